//! The demo folder the README runs on: every report works on it and shows
//! what the issues promise (all stages, a money-losing customer, every kind
//! of reminder), with the columns of docs/reference.md.

mod util;

use unicode_width::UnicodeWidthStr;
use util::Test;

fn demo() -> Test {
    Test::demo().today("2026-11-23")
}

fn csv_header(out: &str) -> &str {
    out.lines().next().unwrap_or("").trim_end_matches('\r')
}

#[test]
fn list_prints_an_aligned_table_and_the_spec_columns() {
    let t = demo();
    let r = t.run(&["list"]);
    r.success();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 56, "a header and 55 customers");
    // Every row's name column starts at the same display column, CJK or not.
    let header_at = lines[0].find("name").expect("name column");
    let id_width = lines[0][..header_at].width();
    for line in &lines[1..] {
        let (id, rest) = line.split_once("  ").expect("two spaces after the id");
        let pad = rest.len() - rest.trim_start().len();
        assert_eq!(id.width() + 2 + pad, id_width, "misaligned: {line}");
    }
    let csv = t.run(&["list", "--format", "csv"]);
    assert_eq!(
        csv_header(&csv.stdout),
        "id,name,owner,tier,tags,stage,last_contact,next_due,revenue,class,lifecycle"
    );
    assert_eq!(csv.stdout.lines().count(), 56);
}

#[test]
fn funnel_shows_every_stage_and_the_chart() {
    let t = demo();
    let r = t.run(&["--color", "always", "funnel"]);
    r.success();
    for stage in [
        "见到客户",
        "发现机会",
        "确认机会",
        "明确需求",
        "方案报价",
        "客户承诺",
        "验收",
        "收款",
    ] {
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(stage))
            .unwrap_or_else(|| panic!("no {stage} row:\n{}", r.stdout));
        assert!(line.contains('█'), "no bar on {line}");
    }
    let csv = t.run(&["funnel", "--format", "csv"]);
    assert_eq!(
        csv_header(&csv.stdout),
        "stage,label,deals,value,weighted_value,reached,conversion,median_days,lost"
    );
    // Every stage was reached by some deal.
    for row in csv.stdout.lines().skip(1) {
        let reached: u32 = row
            .split(',')
            .nth(5)
            .expect("reached")
            .parse()
            .expect("number");
        assert!(reached > 0, "{row}");
    }
}

#[test]
fn segment_by_profit_shows_customers_losing_money() {
    let t = demo();
    let r = t.run(&["segment", "--by", "profit"]);
    r.success().stdout_has("bring").stdout_has("lose");
    let csv = t.run(&["segment", "--by", "profit", "--format", "csv"]);
    assert_eq!(
        csv_header(&csv.stdout),
        "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class"
    );
    let losers = csv
        .stdout
        .lines()
        .skip(1)
        .filter(|row| row.split(',').nth(5).is_some_and(|p| p.starts_with('-')))
        .count();
    assert!(losers >= 1, "{}", csv.stdout);
}

#[test]
fn rfm_scores_the_demo() {
    let csv = demo().run(&["rfm", "--format", "csv"]);
    csv.success();
    assert_eq!(
        csv_header(&csv.stdout),
        "id,name,recency_days,frequency,monetary,r,f,m,score,lifecycle"
    );
}

#[test]
fn remind_shows_every_kind_at_the_demo_date() {
    let r = demo().run(&["remind", "--format", "csv"]);
    r.success();
    assert_eq!(csv_header(&r.stdout), "date,kind,id,name,what,days");
    for kind in [
        "overdue",
        "due",
        "cadence",
        "birthday",
        "anniversary",
        "holiday",
    ] {
        assert!(
            r.stdout.lines().any(|l| l.split(',').nth(1) == Some(kind)),
            "no {kind} reminder:\n{}",
            r.stdout
        );
    }
}

#[test]
fn the_readme_command_runs() {
    let t = Test::new();
    let demo = util::repo_root().join("fixtures/demo");
    let r = t.run_in(
        &util::repo_root(),
        &[
            "--dir",
            demo.to_str().expect("utf-8"),
            "--today",
            "2026-11-23",
            "remind",
        ],
    );
    r.success().stdout_has("overdue").stdout_has("holiday");
}

//! `kith funnel` on a small folder whose figures are worked out by hand.
//!
//! The folder's funnel has four stages, and today is 2026-06-30:
//!
//! | stage  | probability |
//! |--------|-------------|
//! | lead   | 10%         |
//! | quote  | 50%         |
//! | signed | 90%         |
//! | paid   | 100%        |
//!
//! The deals, where they stand today, and the days they spent in each stage
//! they have left (visits summed, skipped stages not counted):
//!
//! | deal | customer | value | now            | reached | lead | quote | signed | paid |
//! |------|----------|-------|----------------|---------|------|-------|--------|------|
//! | d1   | a        | 1000  | won            | paid    | 10   | 10    | 20     | 0    |
//! | d2   | a        | 2000  | open at quote  | quote   | 3    | –     |        |      |
//! | d3   | b        | 3000  | lost at quote  | quote   | 14   | 14    |        |      |
//! | d4   | b        | 500   | open at lead   | lead    | –    |       |        |      |
//! | d5   | b        | 800   | lost at lead   | lead    | 10   |       |        |      |
//! | d6   | c        | 1500  | open at signed | signed  | 6    | skip  | –      |      |
//! | d7   | c        | 700   | lost at quote  | quote   | 3+6  | 7+9   |        |      |
//! | d8   | c        | 900   | opens 07-05    | (future, ignored)                       |
//! | d9   | c        | 400   | open at lead   | lead    | –    | (quote on 07-10 is future) |
//!
//! (– : still in the stage, so not left.)

mod util;

use util::Test;

const CONFIG: &str = "\
currency: CNY
funnel:
  - {id: lead, label: 线索, probability: 0.1}
  - {id: quote, label: 报价, probability: 0.5}
  - {id: signed, label: 签约, probability: 0.9}
  - {id: paid, label: 收款, probability: 1}
";

const A: &str = "\
name: Alpha
owner: li.wei
tags: [east]
deals:
  - id: d1
    value: 1000.00
    stage: paid
    outcome: won
    history:
      - {stage: lead, date: 2026-01-01}
      - {stage: quote, date: 2026-01-11}
      - {stage: signed, date: 2026-01-21}
      - {stage: paid, date: 2026-02-10}
      - {outcome: won, date: 2026-02-10}
  - id: d2
    value: 2000.00
    stage: quote
    outcome: open
    history:
      - {stage: lead, date: 2026-03-01}
      - {stage: quote, date: 2026-03-04}
";

const B: &str = "\
name: Beta
owner: wang.fang
tags: [west]
deals:
  - id: d3
    value: 3000.00
    stage: quote
    outcome: lost
    lost_reason: price
    competitor: Globex
    history:
      - {stage: lead, date: 2026-02-01}
      - {stage: quote, date: 2026-02-15}
      - {outcome: lost, date: 2026-03-01}
  - id: d5
    value: 800.00
    stage: lead
    outcome: lost
    lost_reason: timing
    history:
      - {stage: lead, date: 2026-04-01}
      - {outcome: lost, date: 2026-04-11}
  - id: d4
    value: 500.00
    stage: lead
    outcome: open
    history:
      - {stage: lead, date: 2026-06-01}
";

const C: &str = "\
name: Gamma
owner: li.wei
deals:
  - id: d7
    value: 700.00
    stage: quote
    outcome: lost
    lost_reason: price
    competitor: Initech
    history:
      - {stage: lead, date: 2026-01-10}
      - {stage: quote, date: 2026-01-13}
      - {stage: lead, date: 2026-01-20}
      - {stage: quote, date: 2026-01-26}
      - {outcome: lost, date: 2026-02-04}
  - id: d6
    value: 1500.00
    stage: signed
    outcome: open
    history:
      - {stage: lead, date: 2026-05-01}
      - {stage: signed, date: 2026-05-07}
  - id: d9
    value: 400.00
    stage: quote
    outcome: open
    history:
      - {stage: lead, date: 2026-06-20}
      - {stage: quote, date: 2026-07-10}
  - id: d8
    value: 900.00
    stage: lead
    outcome: open
    history:
      - {stage: lead, date: 2026-07-05}
";

fn folder() -> Test {
    Test::new()
        .today("2026-06-30")
        .config(CONFIG)
        .file("a.yaml", A)
        .file("b.yaml", B)
        .file("east/c.yaml", C)
}

/// Per stage, worked by hand from the table above:
///
/// - deals/value: open deals now there. lead: d4 500 + d9 400 = 900, weighted
///   10% = 90.00; quote: d2 2000, 50% = 1000.00; signed: d6 1500, 90% =
///   1350.00; paid: none (d1 is won, not open).
/// - reached: lead all 8 deals; quote d1 d2 d3 d6 d7 = 5 (d6 skipped it but
///   got past it); signed d1 d6 = 2; paid d1 = 1.
/// - conversion: 5/8 = 0.6250, 2/5 = 0.4000, 1/2 = 0.5000, none for paid.
/// - median_days: lead [3, 6, 9, 10, 10, 14] → (9 + 10) / 2 = 9.5;
///   quote [10, 14, 16] → 14; signed [20] → 20; paid [0] → 0.
/// - lost: lead d5 = 1; quote d3 d7 = 2.
const CSV: &str = "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
lead,线索,2,900.00,90.00,8,0.6250,9.5,1\r
quote,报价,1,2000.00,1000.00,5,0.4000,14,2\r
signed,签约,1,1500.00,1350.00,2,0.5000,20,0\r
paid,收款,0,0.00,0.00,1,,0,0\r
";

#[test]
fn figures_worked_by_hand() {
    folder()
        .run(&["funnel", "--format", "csv"])
        .success()
        .stdout_is(CSV);
}

#[test]
fn table_with_lost_deals_by_reason_and_competitor() {
    // Lost: d3 price/Globex 3000, d5 timing/— 800, d7 price/Initech 700.
    // By reason: price 2 deals 3,700.00; timing 1 deal 800.00. By competitor,
    // one deal each, so by value: Globex, the unrecorded one, Initech.
    folder().run(&["funnel"]).success().stdout_is(
        "\
stage   label  deals  value (CNY)  weighted_value (CNY)  reached  conversion  median_days  lost
lead    线索       2       900.00                 90.00        8      0.6250          9.5     1
quote   报价       1     2,000.00              1,000.00        5      0.4000           14     2
signed  签约       1     1,500.00              1,350.00        2      0.5000           20     0
paid    收款       0         0.00                  0.00        1                        0     0

Lost by reason
reason  deals  value (CNY)
price       2     3,700.00
timing      1       800.00

Lost by competitor
competitor      deals  value (CNY)
Globex              1     3,000.00
(not recorded)      1       800.00
Initech             1       700.00
",
    );
}

#[test]
fn json_has_the_spec_columns_and_exact_numbers() {
    folder()
        .run(&["funnel", "--format", "json"])
        .success()
        .stdout_is(
            "[
  {\"stage\":\"lead\",\"label\":\"线索\",\"deals\":2,\"value\":900.00,\"weighted_value\":90.00,\"reached\":8,\"conversion\":0.6250,\"median_days\":9.5,\"lost\":1},
  {\"stage\":\"quote\",\"label\":\"报价\",\"deals\":1,\"value\":2000.00,\"weighted_value\":1000.00,\"reached\":5,\"conversion\":0.4000,\"median_days\":14,\"lost\":2},
  {\"stage\":\"signed\",\"label\":\"签约\",\"deals\":1,\"value\":1500.00,\"weighted_value\":1350.00,\"reached\":2,\"conversion\":0.5000,\"median_days\":20,\"lost\":0},
  {\"stage\":\"paid\",\"label\":\"收款\",\"deals\":0,\"value\":0.00,\"weighted_value\":0.00,\"reached\":1,\"conversion\":null,\"median_days\":0,\"lost\":0}
]
",
        );
}

#[test]
fn owner_and_tag_select_customers() {
    // li.wei owns a and c: d1 d2 d6 d7 d9 (d8 is in the future).
    // lead: open d9 400 → 40.00; reached 5, quote reached d1 d2 d6 d7 = 4.
    // lead days [10, 3, 6, 9] → (6 + 9) / 2 = 7.5.
    folder()
        .run(&["funnel", "--owner", "li.wei", "--format", "csv"])
        .success()
        .stdout_is(
            "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
lead,线索,1,400.00,40.00,5,0.8000,7.5,0\r
quote,报价,1,2000.00,1000.00,4,0.5000,13,1\r
signed,签约,1,1500.00,1350.00,2,0.5000,20,0\r
paid,收款,0,0.00,0.00,1,,0,0\r
",
        );
    // Tag east: only a (the folder east/ is not a tag): d1 and d2.
    folder()
        .run(&["funnel", "--tag", "east", "--format", "csv"])
        .success()
        .stdout_is(
            "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
lead,线索,0,0.00,0.00,2,1.0000,6.5,0\r
quote,报价,1,2000.00,1000.00,2,0.5000,10,0\r
signed,签约,0,0.00,0.00,1,1.0000,20,0\r
paid,收款,0,0.00,0.00,1,,0,0\r
",
        );
}

#[test]
fn since_and_until_select_deals_by_opening_day() {
    // Opened 2026-03-01 .. 2026-04-30: d2 (03-01) and d5 (04-01).
    // lead: reached 2, left by d2 after 3 days and d5 after 10 → 6.5;
    // quote: reached by d2 only, still there.
    folder()
        .run(&[
            "funnel",
            "--since",
            "2026-03-01",
            "--until",
            "2026-04-30",
            "--format",
            "csv",
        ])
        .success()
        .stdout_is(
            "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
lead,线索,0,0.00,0.00,2,0.5000,6.5,1\r
quote,报价,1,2000.00,1000.00,1,0.0000,,0\r
signed,签约,0,0.00,0.00,0,,,0\r
paid,收款,0,0.00,0.00,0,,,0\r
",
        );
    folder()
        .run(&["funnel", "--since", "2026-07-01"])
        .bad_input()
        .stderr_has("--since 2026-07-01 is after the window's end 2026-06-30");
}

#[test]
fn a_terminal_gets_a_bar_per_stage() {
    // Bars scale with `reached`: 8, 5, 2 and 1 of 8, on 24 cells.
    let run = folder().run(&["--color", "always", "funnel"]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    for (line, cells) in lines[1..5].iter().zip([24, 15, 6, 3]) {
        assert!(line.ends_with('█') && line.contains("  █"), "{line}");
        assert_eq!(line.matches('█').count(), cells, "{line}");
    }
    // Not in csv, even when asked for colour.
    let csv = folder().run(&["--color", "always", "funnel", "--format", "csv"]);
    assert!(!csv.stdout.contains('█'));
}

#[test]
fn an_empty_folder_still_lists_every_stage() {
    Test::new()
        .today("2026-06-30")
        .run(&["funnel", "--format", "csv"])
        .success()
        .stdout_is(
            "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
met,Met the customer,0,0.00,0.00,0,,,0\r
opportunity,Opportunity found,0,0.00,0.00,0,,,0\r
confirmed,Opportunity confirmed,0,0.00,0.00,0,,,0\r
needs,Needs clarified,0,0.00,0.00,0,,,0\r
proposal,Proposal and quote,0,0.00,0.00,0,,,0\r
commitment,Customer commitment,0,0.00,0.00,0,,,0\r
acceptance,Delivered and accepted,0,0.00,0.00,0,,,0\r
paid,Payment collected,0,0.00,0.00,0,,,0\r
",
        );
}

#[test]
fn a_broken_file_is_named_and_the_report_still_printed() {
    let t = folder().file("broken.yaml", "name: [unclosed\n");
    let run = t.run(&["funnel", "--format", "csv"]);
    run.code(2).stdout_is(CSV).stderr_has("broken.yaml:");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn the_verbs_feed_the_funnel() {
    // One deal opened on 1 June, advanced to quote on 11 June, and moved
    // straight to paid (skipping signed) on 21 June, which wins it.
    let t = Test::new()
        .today("2026-06-30")
        .config(CONFIG)
        .file("z.yaml", "name: Zeta\n");
    t.run(&["deal", "z", "Big", "--value", "100", "--date", "2026-06-01"])
        .success();
    t.run(&["advance", "z", "--date", "2026-06-11"]).success();
    t.run(&["advance", "z", "--to", "paid", "--date", "2026-06-21"])
        .success();
    // lead left after 10 days, quote after 10; signed skipped; paid left (won)
    // the day it was reached. Reached: all four stages, once each.
    t.run(&["funnel", "--format", "csv"]).success().stdout_is(
        "\
stage,label,deals,value,weighted_value,reached,conversion,median_days,lost\r
lead,线索,0,0.00,0.00,1,1.0000,10,0\r
quote,报价,0,0.00,0.00,1,1.0000,10,0\r
signed,签约,0,0.00,0.00,1,1.0000,,0\r
paid,收款,0,0.00,0.00,1,,0,0\r
",
    );
}

//! `kith report --html`: one self-contained page whose figures are the text
//! reports' for the same options.

mod util;

use util::Test;

fn demo() -> Test {
    Test::demo().today("2026-11-23")
}

fn page(t: &Test, args: &[&str]) -> String {
    let mut all = vec!["report", "--html", "-"];
    all.extend_from_slice(args);
    t.run(&all).success().stdout.clone()
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = text[from..].find(end).expect("end") + from;
    &text[from..to]
}

/// The svg of the page whose title is `title`.
fn chart<'a>(html: &'a str, title: &str) -> &'a str {
    let at = html
        .find(&format!("aria-label=\"{title}\""))
        .unwrap_or_else(|| panic!("no chart {title}"));
    let start = html[..at].rfind("<svg").expect("svg");
    let end = html[at..].find("</svg>").expect("end") + at + "</svg>".len();
    &html[start..end]
}

#[test]
fn the_page_is_self_contained() {
    let html = page(&demo(), &[]);
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
    );
    assert!(html.ends_with("</main>\n</body>\n</html>\n"));
    for outside in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "https:",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // The only address is the SVG namespace, which is a name, not a fetch.
    assert_eq!(
        html.matches("http:").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert_eq!(html.matches("<svg").count(), 6);
}

#[test]
fn the_headlines_are_the_sentences_segment_prints() {
    let t = demo();
    let html = page(&t, &[]);
    assert_eq!(
        between(&html, "<h2>Headlines</h2>\n<ul>\n", "</ul>"),
        "<li>9.1% of customers (5 of 55) bring 81.6% of revenue</li>\n\
         <li>9.1% of customers (5 of 55) bring 81.6% of profit</li>\n\
         <li>profit peaks at 100.1% of the total with the top 45 customers</li>\n\
         <li>10 customers (18.2%) lose 9,236.00 CNY, 0.1% of the total</li>\n"
    );
    let revenue = t.run(&["segment"]).success().stdout.clone();
    assert!(revenue.ends_with("\n9.1% of customers (5 of 55) bring 81.6% of revenue\n"));
    let profit = t
        .run(&["segment", "--by", "profit"])
        .success()
        .stdout
        .clone();
    assert!(profit.ends_with(
        "\n9.1% of customers (5 of 55) bring 81.6% of profit\n\
         profit peaks at 100.1% of the total with the top 45 customers\n\
         10 customers (18.2%) lose 9,236.00 CNY, 0.1% of the total\n"
    ));
}

#[test]
fn the_reminders_are_counted_per_kind_and_listed_as_remind_prints_them() {
    let t = demo();
    let html = page(&t, &[]);
    let csv = t
        .run(&["remind", "--format", "csv"])
        .success()
        .stdout
        .clone();
    let kinds: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("kind"))
        .collect();
    let mut counted = String::new();
    let mut i = 0;
    while i < kinds.len() {
        let n = kinds[i..].iter().take_while(|k| **k == kinds[i]).count();
        counted += &format!("<tr><td>{}</td><td class=\"n\">{n}</td></tr>\n", kinds[i]);
        i += n;
    }
    assert_eq!(
        between(
            &html,
            "<table class=\"kinds\">\n<tr><th>kind</th><th class=\"n\">reminders</th></tr>\n",
            "<tr><th>all"
        ),
        counted
    );
    assert_eq!(
        counted,
        "<tr><td>overdue</td><td class=\"n\">3</td></tr>\n\
         <tr><td>payment</td><td class=\"n\">4</td></tr>\n\
         <tr><td>due</td><td class=\"n\">5</td></tr>\n\
         <tr><td>close</td><td class=\"n\">1</td></tr>\n\
         <tr><td>complaint</td><td class=\"n\">1</td></tr>\n\
         <tr><td>stalled</td><td class=\"n\">10</td></tr>\n\
         <tr><td>at-risk</td><td class=\"n\">1</td></tr>\n\
         <tr><td>win-back</td><td class=\"n\">1</td></tr>\n\
         <tr><td>cadence</td><td class=\"n\">3</td></tr>\n\
         <tr><td>birthday</td><td class=\"n\">3</td></tr>\n\
         <tr><td>anniversary</td><td class=\"n\">1</td></tr>\n\
         <tr><td>holiday</td><td class=\"n\">81</td></tr>\n"
    );
    // The rows are the table's: a holiday's customers on one line.
    let table = t.run(&["remind"]).success().stdout.clone();
    let rows = between(&html, "<table class=\"rows\">\n", "</table>");
    assert_eq!(rows.lines().count() - 1, table.lines().count() - 1);
    assert!(rows.contains(
        "<tr><td>2026-11-18</td><td>overdue</td><td>上海东方物流集团有限公司</td><td>上海东方物流集团有限公司</td><td>安排分拣线验收测试</td><td class=\"n\">-5</td></tr>"
    ));
    // Money in a reminder's text is grouped, as in the table.
    assert!(
        rows.contains(
            "<td>no purchase for 227 days (usual gap 46); lifetime revenue 266,500.00</td>"
        )
    );
    assert!(!html.contains("more</p>"));
}

#[test]
fn past_fifty_rows_the_page_says_how_many_more() {
    let mut t = Test::new().today("2026-11-23");
    for i in 0..63 {
        t = t.file(
            &format!("c{i:02}.yaml"),
            "name: C\ntasks:\n  - {due: 2026-11-01, what: call back}\n",
        );
    }
    let html = page(&t, &[]);
    let rows = between(&html, "<table class=\"rows\">\n", "</table>");
    assert_eq!(rows.lines().count(), 1 + 50);
    assert!(rows.ends_with("<tr><td>2026-11-01</td><td>overdue</td><td>c49</td><td>C</td><td>call back</td><td class=\"n\">-22</td></tr>\n"));
    assert!(html.contains("</table>\n<p class=\"more\">… and 13 more</p>\n</section>"));
    assert!(html.contains("<tr><th>all</th><th class=\"n\">63</th></tr>"));
}

#[test]
fn nothing_due_says_so() {
    let t = Test::new().today("2026-11-23");
    let html = page(&t, &[]);
    assert!(html.contains("<h2>Today's reminders</h2>\n<p>Nothing is due.</p>"));
}

#[test]
fn the_window_and_filters_apply_as_in_the_text_reports() {
    let t = demo();
    for args in [
        vec!["--since", "2026-06-01"],
        vec!["--since", "2025-01-01", "--until", "2025-12-31"],
        vec!["--owner", "li.wei"],
        vec!["--tag", "export"],
    ] {
        let html = page(&t, &args);
        let mut funnel = vec!["funnel", "--format", "svg"];
        funnel.extend_from_slice(&args);
        let svg = t.run(&funnel).success().stdout.clone();
        assert_eq!(
            chart(&html, "Funnel: deals that reached each stage"),
            svg.trim_end(),
            "{args:?}"
        );
        if args[0] == "--since" {
            for (by, title) in [
                ("revenue", "Pareto curve: cumulative share of revenue"),
                ("profit", "Whale curve: cumulative share of profit"),
            ] {
                let mut segment = vec!["segment", "--by", by, "--format", "svg"];
                segment.extend_from_slice(&args);
                let svg = t.run(&segment).success().stdout.clone();
                assert_eq!(chart(&html, title), svg.trim_end(), "{args:?} {by}");
            }
        }
        let mut remind = vec!["remind", "--format", "csv"];
        if args[0] != "--since" {
            remind.extend_from_slice(&args);
        }
        let csv = t.run(&remind).success().stdout.clone();
        let all = csv.lines().count().saturating_sub(1);
        assert!(
            html.contains(&format!("<tr><th>all</th><th class=\"n\">{all}</th></tr>")),
            "{args:?}: {all}"
        );
    }
    let html = page(
        &t,
        &[
            "--since",
            "2026-06-01",
            "--owner",
            "li.wei",
            "--tag",
            "export",
        ],
    );
    assert!(html.contains(
        "<p class=\"scope\">as of 2026-11-23 · window 2026-06-01 to 2026-11-23 · owner li.wei · tag export · reminders due within 7 days</p>"
    ));
}

#[test]
fn the_page_goes_to_a_file() {
    let t = demo();
    let out = t.path().join("out.html");
    let out = out.to_str().expect("utf-8 path");
    t.run(&["report", "--html", out]).success().stdout_empty();
    assert_eq!(t.read("out.html"), page(&t, &[]));
}

#[test]
fn bad_options_are_one_line_errors() {
    let t = demo();
    t.run(&["report"]).bad_input();
    t.run(&["report", "--html", "-", "--since", "someday"])
        .bad_input()
        .stderr_has("--since");
    t.run(&[
        "report",
        "--html",
        "-",
        "--since",
        "2026-12-01",
        "--until",
        "2026-11-01",
    ])
    .bad_input();
    t.run(&["report", "--html", "-", "--format", "csv"])
        .bad_input()
        .stderr_has("--format csv does not apply");
    let missing = t.path().join("no/such/folder/out.html");
    let r = t.run(&["report", "--html", missing.to_str().expect("utf-8")]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn a_broken_file_is_named_and_the_page_still_made() {
    let t = demo().file("broken.yaml", "name: [unclosed\n");
    let r = t.run(&["report", "--html", "-"]);
    r.code(2).stderr_has("broken.yaml");
    assert!(r.stdout.ends_with("</html>\n"));
}

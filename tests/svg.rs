//! Every SVG kith writes parses as XML, and its bars, points and figures
//! are those of the text reports for the same options: `funnel` and
//! `segment --format svg`, and each chart of `report --html`.

mod util;

use util::Test;

fn demo() -> Test {
    Test::demo().today("2026-11-23")
}

/// The rows of a CSV report (header dropped), naively split: the demo's
/// funnel and segment cells hold no commas.
fn csv_rows(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn column(header: &str, name: &str) -> usize {
    header
        .trim_end()
        .split(',')
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {header}"))
}

/// The text of every `<text>` element, in document order.
fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

fn with_class<'a>(
    doc: &'a roxmltree::Document,
    tag: &str,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
        .collect()
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
}

/// Every SVG document inside an HTML page, in order.
fn page_svgs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed") + start + "</svg>".len();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// How many rows of a CSV report have `value` in `name`.
fn count_in(csv: &str, name: &str, value: &str) -> usize {
    let c = column(csv.lines().next().expect("header"), name);
    csv_rows(csv).iter().filter(|r| r[c] == value).count()
}

/// The points of the chart's one curve.
fn points(doc: &roxmltree::Document) -> Vec<(f64, f64)> {
    let curves = with_class(doc, "polyline", "curve");
    assert_eq!(curves.len(), 1);
    curves[0]
        .attribute("points")
        .expect("points")
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

#[test]
fn the_funnel_chart_has_a_bar_per_stage_with_the_reports_figures() {
    let t = demo();
    let svg = t
        .run(&["funnel", "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&svg);
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let csv = t
        .run(&["funnel", "--format", "csv"])
        .success()
        .stdout
        .clone();
    let rows = csv_rows(&csv);
    assert_eq!(with_class(&doc, "rect", "bar").len(), rows.len());
    assert_eq!(rows.len(), 8);
    // Every label, value and note is real text, in this order: the title,
    // the axis, then per stage its label, the deals that reached it and the
    // rest of its row.
    assert_eq!(
        texts(&doc),
        [
            "Funnel: deals that reached each stage",
            "0",
            "10",
            "20",
            "30",
            "40",
            "deals that reached the stage",
            "见到客户",
            "37",
            "open 3 (80,000.00 CNY, weighted 4,000.00 CNY) · to next 89.19% · median 10 days · lost 1",
            "发现机会",
            "33",
            "open 2 (114,000.00 CNY, weighted 11,400.00 CNY) · to next 87.88% · median 20 days · lost 2",
            "确认机会",
            "29",
            "open 3 (540,000.00 CNY, weighted 108,000.00 CNY) · to next 86.21% · median 20 days · lost 1",
            "明确需求",
            "25",
            "open 2 (118,000.00 CNY, weighted 41,300.00 CNY) · to next 88.00% · median 21 days · lost 1",
            "方案报价",
            "22",
            "open 3 (738,000.00 CNY, weighted 369,000.00 CNY) · to next 77.27% · median 20 days · lost 2",
            "客户承诺",
            "17",
            "open 2 (686,000.00 CNY, weighted 514,500.00 CNY) · to next 82.35% · median 42.5 days · lost 1",
            "验收",
            "14",
            "open 4 (670,000.00 CNY, weighted 603,000.00 CNY) · to next 71.43% · median 17.5 days · lost 0",
            "收款",
            "10",
            "open 0 (0.00 CNY, weighted 0.00 CNY) · median 0 days · lost 0",
        ]
    );
    // And they are the CSV's: label and reached of each stage.
    let header = csv.lines().next().expect("header");
    let (label, reached) = (column(header, "label"), column(header, "reached"));
    let all = texts(&doc);
    for row in &rows {
        let at = all.iter().position(|s| *s == row[label]).expect("label");
        assert_eq!(all[at + 1], row[reached]);
    }
}

/// Checks a segment curve against the CSV of the same report: one point
/// per customer after the origin, rising to the right, and each class's
/// bound written with the `cumulative_share` of its last customer.
fn check_curve(t: &Test, by: &str) {
    let svg = t
        .run(&["segment", "--by", by, "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&svg);
    let csv = t
        .run(&["segment", "--by", by, "--format", "csv"])
        .success()
        .stdout
        .clone();
    let header = csv.lines().next().expect("header");
    let rows = csv_rows(&csv);
    let pts = points(&doc);
    assert_eq!(pts.len(), rows.len() + 1, "the origin and one per customer");
    assert!(pts.windows(2).all(|w| w[0].0 < w[1].0), "x rises");
    let (class, cumulative) = (column(header, "class"), column(header, "cumulative_share"));
    let all = texts(&doc).join("\n");
    for c in ["A", "B", "C"] {
        let last = rows.iter().rposition(|r| r[class] == c).expect("class") + 1;
        let share: f64 = rows[last - 1][cumulative].parse().expect("share");
        let written = format!("top {last} (");
        let line = all
            .lines()
            .find(|l| {
                l.contains(&written) && (l.contains(&format!("{c} ends")) || l.contains("peak"))
            })
            .unwrap_or_else(|| panic!("no mark for class {c}:\n{all}"));
        assert!(
            line.ends_with(&format!("bring {:.2}%", share * 100.0)),
            "{line} vs {share}"
        );
    }
    // The sentences the table prints under the rows are under the chart.
    let table = t.run(&["segment", "--by", by]).success().stdout.clone();
    let sentences: Vec<&str> = table.lines().rev().take_while(|l| !l.is_empty()).collect();
    assert!(!sentences.is_empty());
    for s in sentences {
        assert!(all.lines().any(|l| l == s), "{s} missing from\n{all}");
    }
}

#[test]
fn the_pareto_and_whale_curves_have_a_point_per_customer_and_the_class_bounds() {
    let t = demo();
    check_curve(&t, "revenue");
    check_curve(&t, "profit");
    let whale = t
        .run(&["segment", "--by", "profit", "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&whale);
    let all = texts(&doc);
    assert!(all.contains(&"losing money: 10".to_string()), "{all:?}");
    assert!(
        all.contains(&"3: peak: top 45 (81.8%) bring 100.00%".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"4: end: all 55 bring 99.92%".to_string()),
        "{all:?}"
    );
}

#[test]
fn a_large_folder_draws_a_bounded_curve() {
    let mut t = Test::new().today("2026-11-23");
    for i in 0..450 {
        t = t.file(
            &format!("c{i:03}.yaml"),
            &format!(
                "name: C{i}\ninteractions:\n  - {{date: 2026-01-02, kind: purchase, amount: {}.00}}\n",
                i + 1
            ),
        );
    }
    let svg = t
        .run(&["segment", "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&svg);
    let pts = points(&doc);
    // 200 evenly spread customers, the three class bounds, the origin.
    assert!(pts.len() <= 204 && pts.len() >= 201, "{}", pts.len());
    assert!(svg.len() < 20_000, "{} bytes", svg.len());
}

#[test]
fn an_empty_folder_draws_empty_charts() {
    let t = Test::new().today("2026-11-23");
    let svg = t
        .run(&["segment", "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&svg);
    assert!(with_class(&doc, "polyline", "curve").is_empty());
    assert!(texts(&doc).contains(&"no customer has a positive revenue".to_string()));
    let svg = t
        .run(&["funnel", "--format", "svg"])
        .success()
        .stdout
        .clone();
    let doc = parse(&svg);
    // The default funnel's eight stages, none reached.
    assert_eq!(with_class(&doc, "rect", "bar").len(), 8);
}

#[test]
fn labels_with_markup_and_control_characters_stay_well_formed() {
    let t = Test::new().today("2026-11-23").file(
        "x.yaml",
        "name: X\ndeals:\n  - {id: d, title: t, value: 5.00, stage: met, outcome: lost, lost_reason: \"<script>&\\u0001\\u202e\", history: [{stage: met, date: 2026-01-02}, {outcome: lost, date: 2026-01-03}]}\n",
    );
    let report = t.run(&["funnel"]).success().stdout.clone();
    assert!(report.contains("<script>&"), "{report}");
    let html = t.run(&["report", "--html", "-"]).success().stdout.clone();
    for svg in [t
        .run(&["funnel", "--format", "svg"])
        .success()
        .stdout
        .clone()]
    .into_iter()
    .chain(page_svgs(&html))
    {
        let doc = parse(&svg);
        assert!(!svg.contains("<script"));
        assert!(!svg.contains('\u{1}') && !svg.contains('\u{202e}'));
        let _ = texts(&doc);
    }
    assert!(
        html.contains("&lt;script&gt;&amp;\u{fffd}\u{fffd}"),
        "{html}"
    );
}

#[test]
fn svg_is_refused_where_there_is_no_chart() {
    let t = demo();
    t.run(&["list", "--format", "svg"]).bad_input().stderr_has(
        "`kith list` does not print --format svg; it prints table, csv, tsv, json, ids",
    );
}

#[test]
fn the_pages_charts_match_the_text_reports() {
    let t = demo();
    let html = t.run(&["report", "--html", "-"]).success().stdout.clone();
    let svgs = page_svgs(&html);
    let docs: Vec<roxmltree::Document> = svgs.iter().map(|s| parse(s)).collect();
    let titles: Vec<String> = docs.iter().map(|d| texts(d)[0].clone()).collect();
    assert_eq!(
        titles,
        [
            "Funnel: deals that reached each stage",
            "Lost deals by reason",
            "Whale curve: cumulative share of profit",
            "Pareto curve: cumulative share of revenue",
            "Lifecycle: customers per stage",
            "RFM: 49 customers by recency and frequency score",
        ]
    );
    // The funnel is the one `funnel --format svg` prints.
    let funnel = t
        .run(&["funnel", "--format", "svg"])
        .success()
        .stdout
        .clone();
    assert_eq!(svgs[0], funnel.trim_end());
    let table = t.run(&["funnel"]).success().stdout.clone();
    let reasons = table
        .split("Lost by reason\n")
        .nth(1)
        .expect("lost by reason")
        .split("\n\n")
        .next()
        .expect("table")
        .lines()
        .count()
        - 1;
    assert_eq!(with_class(&docs[1], "rect", "bar").len(), reasons);
    // The curves are those of `segment --format svg`.
    for (doc, by) in [(2, "profit"), (3, "revenue")] {
        let svg = t
            .run(&["segment", "--by", by, "--format", "svg"])
            .success()
            .stdout
            .clone();
        assert_eq!(svgs[doc], svg.trim_end());
    }
    // Lifecycle: a bar per stage, each as long as the customers `rfm`
    // gives that stage.
    let rfm = t.run(&["rfm", "--format", "csv"]).success().stdout.clone();
    let bars = with_class(&docs[4], "rect", "bar");
    assert_eq!(bars.len(), 6);
    let life = texts(&docs[4]);
    for stage in ["prospect", "new", "repeat", "loyal", "at-risk", "lost"] {
        let at = life.iter().position(|s| s == stage).expect("stage");
        assert_eq!(
            life[at + 1],
            count_in(&rfm, "lifecycle", stage).to_string(),
            "{stage}"
        );
    }
    // RFM: 25 cells whose counts are those of each r and f.
    let cells = with_class(&docs[5], "rect", "cell");
    assert_eq!(cells.len(), 25);
    let grid = texts(&docs[5]);
    let rows = csv_rows(&rfm);
    let header = rfm.lines().next().expect("header");
    let (r, f) = (column(header, "r"), column(header, "f"));
    for rs in 1..=5 {
        let at = grid
            .iter()
            .position(|s| *s == format!("R {rs}"))
            .expect("row");
        for fs in 1..=5 {
            let n = rows
                .iter()
                .filter(|row| row[r] == rs.to_string() && row[f] == fs.to_string())
                .count();
            assert_eq!(grid[at + 1 + 2 * (fs - 1)], n.to_string(), "R {rs} F {fs}");
        }
    }
}

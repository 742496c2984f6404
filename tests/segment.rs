//! `kith segment` and `kith list --segment` through the binary: the worked
//! example of docs/analytics.md, the whale curve, shares, windows, and
//! what happens with no data or broken files.

mod util;

use util::{Test, repo_root};

/// The fenced blocks of docs/analytics.md: (info string, content lines).
fn doc_blocks() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo_root().join("docs/analytics.md")).expect("read doc");
    let mut blocks = Vec::new();
    let mut open: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        match (line.strip_prefix("```"), open.take()) {
            (Some(info), None) => open = Some((info.to_string(), Vec::new())),
            (Some(_), Some(done)) => blocks.push(done),
            (None, Some((info, mut lines))) => {
                lines.push(line.to_string());
                open = Some((info, lines));
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The worked example's folder: every yaml block whose first line is
/// `# FILE.yaml`.
fn example() -> Test {
    let mut t = Test::new();
    let mut files = 0;
    for (info, lines) in doc_blocks() {
        if let Some(name) = lines.first().and_then(|l| l.strip_prefix("# "))
            && info == "yaml"
        {
            t = t.file(name, &(lines[1..].join("\n") + "\n"));
            files += 1;
        }
    }
    assert_eq!(files, 6, "kith.yaml and five customers");
    t
}

#[test]
fn the_worked_example_in_the_docs_holds() {
    let t = example();
    let mut commands = 0;
    for (info, lines) in doc_blocks() {
        let Some(args) = lines.first().and_then(|l| l.strip_prefix("$ kith ")) else {
            continue;
        };
        assert_eq!(info, "console");
        let args: Vec<&str> = args.split_whitespace().collect();
        let expected = lines[1..].join("\n") + "\n";
        t.run(&args).success().stdout_is(&expected);
        commands += 1;
    }
    assert_eq!(commands, 5);
}

#[test]
fn csv_has_the_spec_columns_and_rows_only() {
    example()
        .today("2026-11-23")
        .run(&["segment", "--by", "profit", "--format", "csv"])
        .success()
        .stdout_is(
            "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class\r\n\
             1,acme,Acme Trading,10000.00,1000.00,9000.00,9000.00,0.8182,0.8182,A\r\n\
             2,星河贸易,杭州星河贸易有限公司,2500.00,500.00,2000.00,2000.00,0.1818,1.0000,B\r\n\
             3,echo,Echo Studio,0.00,120.00,-120.00,-120.00,-0.0109,0.9891,none\r\n\
             4,delta,Delta Foods,1500.00,2000.00,-500.00,-500.00,-0.0455,0.9436,none\r\n\
             5,bolt,Bolt Logistics,6000.00,7000.00,-1000.00,-1000.00,-0.0909,0.8527,none\r\n",
        );
}

#[test]
fn json_and_ids_carry_the_rows_in_rank_order() {
    let t = example().today("2026-11-23");
    t.run(&["segment", "--format", "ids"])
        .success()
        .stdout_is("acme\nbolt\n星河贸易\ndelta\necho\n");
    t.run(&["segment", "--format", "json"]).success().stdout_has(
        "{\"rank\":1,\"id\":\"acme\",\"name\":\"Acme Trading\",\"revenue\":10000.00,\"cost\":1000.00,\"profit\":9000.00,\"value\":10000.00,\"share\":0.5000,\"cumulative_share\":0.5000,\"class\":\"A\"},\n",
    );
}

#[test]
fn the_chart_draws_the_cumulative_share_on_request() {
    let t = example().today("2026-11-23");
    // Cumulative shares 0.5, 0.8, 0.925, 1, 1 on 40 cells: 20, 32, 37 cells.
    let run = t.run(&["--color", "always", "segment"]);
    run.success().stdout_has(&format!(
        "\ntop  20%  {}{}  50.0%\ntop  40%  {}{}  80.0%\ntop  60%  {}{}  92.5%\ntop  80%  {}  100.0%\ntop 100%  {}  100.0%\n\n40.0% of customers",
        "█".repeat(20),
        " ".repeat(20),
        "█".repeat(32),
        " ".repeat(8),
        "█".repeat(37),
        " ".repeat(3),
        "█".repeat(40),
        "█".repeat(40),
    ));
    let csv = t.run(&["--color", "always", "segment", "--format", "csv"]);
    assert!(!csv.stdout.contains('█'), "{}", csv.stdout);
}

#[test]
fn a_non_positive_total_profit_has_no_whale_curve() {
    // a: 100 - 40 = 60. b: 10 - (1,040 + 40 for the support kind) = -1,070.
    Test::new()
        .today("2026-11-23")
        .config("costs: {support: 40}\n")
        .file(
            "a.yaml",
            "name: A\nacquisition_cost: 40.00\ninteractions:\n  - {date: 2026-05-01, kind: purchase, amount: 100.00}\n",
        )
        .file(
            "b.yaml",
            "name: B\ninteractions:\n  - {date: 2026-05-01, kind: purchase, amount: 10.00}\n  - {date: 2026-05-02, kind: support, cost: 1040.00}\n",
        )
        .run(&["segment", "--by", "profit"])
        .success()
        .stdout_is(
            "rank  id  name  revenue      cost     profit      value     share  cumulative_share  class
   1  a   A      100.00     40.00      60.00      60.00    1.0000            1.0000  A
   2  b   B       10.00  1,080.00  -1,070.00  -1,070.00  -17.8333          -16.8333  none

50.0% of customers (1 of 2) bring 100.0% of profit
total profit is -1,010.00, not positive: there is no whale curve
",
        );
}

#[test]
fn all_values_zero_leave_shares_empty() {
    let t = Test::new()
        .today("2026-11-23")
        .file("b.yaml", "name: B\n")
        .file("a.yaml", "name: A\n");
    t.run(&["segment"]).success().stdout_is(
        "rank  id  name  revenue  cost  profit  value  share  cumulative_share  class
   1  a   A        0.00  0.00    0.00   0.00                           none
   2  b   B        0.00  0.00    0.00   0.00                           none

no customer has a positive revenue
",
    );
    t.run(&["segment", "--format", "csv"]).success().stdout_is(
        "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class\r\n\
         1,a,A,0.00,0.00,0.00,0.00,,,none\r\n\
         2,b,B,0.00,0.00,0.00,0.00,,,none\r\n",
    );
}

#[test]
fn the_window_includes_both_ends() {
    // Purchases on the last day of February, 1 and 31 March, 1 April; the
    // first purchase (28 Feb) is before the window, so the acquisition
    // cost of a does not count in it. b's first purchase is in it: it does.
    let t = Test::new()
        .today("2026-11-23")
        .file(
            "a.yaml",
            "name: A\nacquisition_cost: 70.00\ninteractions:\n  - {date: 2026-02-28, kind: purchase, amount: 1.00}\n  - {date: 2026-03-01, kind: purchase, amount: 10.00}\n  - {date: 2026-03-31, kind: purchase, amount: 20.00}\n  - {date: 2026-04-01, kind: purchase, amount: 40.00}\n",
        )
        .file(
            "b.yaml",
            "name: B\nacquisition_cost: 5.00\ninteractions:\n  - {date: 2026-03-15, kind: purchase, amount: 30.00}\n",
        );
    t.run(&[
        "segment",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-31",
        "--format",
        "csv",
    ])
    .success()
    .stdout_is(
        "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class\r\n\
         1,a,A,30.00,0.00,30.00,30.00,0.5000,0.5000,A\r\n\
         2,b,B,30.00,5.00,25.00,30.00,0.5000,1.0000,A\r\n",
    );
    // All time: every purchase and every acquisition cost. Profits 25 and
    // 1 of 26: b's 0.9615 reaches 80%, a's comes after 95% is passed: C.
    t.run(&["segment", "--by", "profit", "--format", "csv"])
        .success()
        .stdout_is(
            "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class\r\n\
             1,b,B,30.00,5.00,25.00,25.00,0.9615,0.9615,A\r\n\
             2,a,A,71.00,70.00,1.00,1.00,0.0385,1.0000,C\r\n",
        );
}

#[test]
fn an_empty_folder_prints_nothing() {
    let t = Test::new().today("2026-11-23");
    t.run(&["segment"]).success().stdout_is("");
    t.run(&["segment", "--format", "json"])
        .success()
        .stdout_is("[]\n");
}

#[test]
fn a_broken_file_is_named_and_the_report_still_printed() {
    let t = Test::new()
        .today("2026-11-23")
        .file(
            "a.yaml",
            "name: A\ninteractions:\n  - {date: 2026-05-01, kind: purchase, amount: 100.00}\n",
        )
        .file("broken.yaml", "name: [\n");
    let run = t.run(&["segment", "--format", "csv"]);
    run.code(2)
        .stdout_is(
            "rank,id,name,revenue,cost,profit,value,share,cumulative_share,class\r\n\
             1,a,A,100.00,0.00,100.00,100.00,1.0000,1.0000,A\r\n",
        )
        .stderr_has("broken.yaml:1:");
}

#[test]
fn bad_windows_and_measures_are_refused() {
    let t = Test::new().today("2026-11-23");
    t.run(&["segment", "--since", "2026-12-01", "--until", "2026-11-01"])
        .bad_input()
        .stderr_has("--since 2026-12-01 is after the window's end 2026-11-01");
    t.run(&["segment", "--since", "March"])
        .bad_input()
        .stderr_has("--since");
    t.run(&["segment", "--by", "margin"]).code(2);
}

/// big 100, mid 30, small 10; mid and small are tagged. Among the whole
/// folder: big 100/140 = 0.71, A; mid reaches 130/140 = 0.93, A; small is B.
/// Among the tagged two alone small would be A: the class is the folder's.
fn three() -> Test {
    let buy = |name: &str, tags: &str, amount: &str| {
        format!(
            "name: {name}\n{tags}interactions:\n  - {{date: 2026-05-01, kind: purchase, amount: {amount}}}\n"
        )
    };
    Test::new()
        .today("2026-11-23")
        .file("big.yaml", &buy("Big", "", "100.00"))
        .file("mid.yaml", &buy("Mid", "tags: [t]\n", "30.00"))
        .file("small.yaml", &buy("Small", "tags: [t]\n", "10.00"))
        .file("zero.yaml", "name: Zero\n")
}

#[test]
fn list_filters_by_the_class_of_the_whole_folder() {
    let t = three();
    t.run(&["list", "--segment", "a", "--format", "ids"])
        .success()
        .stdout_is("big\nmid\n");
    t.run(&["list", "--segment", "NONE", "--format", "ids"])
        .success()
        .stdout_is("zero\n");
    t.run(&["list", "--tag", "t", "--format", "csv"])
        .success()
        .stdout_is(
            "id,name,owner,tier,tags,stage,last_contact,next_due,revenue,class,lifecycle\r\n\
             mid,Mid,,,t,,2026-05-01,,30.00,A,at-risk\r\n\
             small,Small,,,t,,2026-05-01,,10.00,B,at-risk\r\n",
        );
    t.run(&["list", "--tag", "t", "--segment", "B", "--format", "ids"])
        .success()
        .stdout_is("small\n");
}

#[test]
fn list_refuses_an_unknown_class() {
    three()
        .run(&["list", "--segment", "D"])
        .bad_input()
        .stderr_has("--segment: `D` is not one of A, B, C, none");
}

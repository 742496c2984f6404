//! `kith rfm`, `kith list --lifecycle` and the lifecycle line of `kith show`
//! through the binary, on a folder whose scores are worked out by hand.

mod util;

use util::Test;

fn purchases(name: &str, buys: &[(&str, &str)]) -> String {
    let mut s = format!("name: {name}\ninteractions:\n");
    for (day, amount) in buys {
        s.push_str(&format!(
            "  - {{date: {day}, kind: purchase, amount: {amount}}}\n"
        ));
    }
    s
}

/// Today is 2026-11-23. Five buyers and one customer who never bought:
///
/// | id    | last purchase | days | occasions | revenue |
/// |-------|---------------|------|-----------|---------|
/// | fresh | 2026-11-21    | 2    | 1         | 100     |
/// | whale | 2026-08-15    | 100  | 6         | 5,000   |
/// | mid   | 2026-10-24    | 30   | 3         | 50      |
/// | twin  | 2026-10-24    | 30   | 3         | 400     |
/// | slow  | 2026-09-24    | 60   | 2         | 300     |
///
/// fresh also has a purchase dated after today (2026-12-01), never counted;
/// `never` has one deal, lost.
fn folder() -> Test {
    Test::new()
        .today("2026-11-23")
        .file(
            "fresh.yaml",
            &purchases("Fresh", &[("2026-11-21", "100.00"), ("2026-12-01", "999.00")]),
        )
        .file(
            "whale.yaml",
            &purchases(
                "Whale",
                &[
                    ("2026-03-15", "1000.00"),
                    ("2026-04-15", "1000.00"),
                    ("2026-05-15", "500.00"),
                    ("2026-06-15", "500.00"),
                    ("2026-07-15", "1000.00"),
                    ("2026-08-15", "1000.00"),
                ],
            ),
        )
        .file(
            "mid.yaml",
            &purchases(
                "Mid",
                &[
                    ("2026-10-04", "20.00"),
                    ("2026-10-14", "20.00"),
                    ("2026-10-24", "10.00"),
                ],
            ),
        )
        .file(
            "twin.yaml",
            &purchases(
                "Twin",
                &[
                    ("2026-08-24", "100.00"),
                    ("2026-09-24", "100.00"),
                    ("2026-10-24", "200.00"),
                ],
            ),
        )
        .file(
            "slow.yaml",
            &purchases("Slow", &[("2026-07-24", "100.00"), ("2026-09-24", "200.00")]),
        )
        .file(
            "never.yaml",
            "name: Never\ndeals:\n  - id: first\n    stage: proposal\n    outcome: lost\n    lost_reason: price\n    history:\n      - {stage: met, date: 2026-02-01}\n      - {stage: proposal, date: 2026-03-01}\n      - {outcome: lost, date: 2026-03-20}\n",
        )
}

#[test]
fn scores_and_lifecycles_all_time() {
    // n = 5. r: fresh has 4 older (1 + floor(20/5) = 5); mid and twin tie
    // at 30 days with 2 older (3); slow 1 (2); whale 0 (1).
    // f: whale 6 beats 4 (5); mid and twin tie at 3, beating 2 (3); slow 2
    // beats fresh (2); fresh 1.
    // m: 5,000 > 400 > 300 > 100 > 50: whale 5, twin 4, slow 3, fresh 2, mid 1.
    // Lifecycles: whale's gaps are 30 and 31 days (twice the median: 62
    // days) and it has been silent 100: at-risk. mid's gaps of 10 days
    // give the 30-day minimum, and 30 days is not older than 30: repeat.
    folder().run(&["rfm"]).success().stdout_is(
        "id     name   recency_days  frequency  monetary  r  f  m  score  lifecycle
fresh  Fresh             2          1    100.00  5  1  2  512    new
twin   Twin             30          3    400.00  3  3  4  334    repeat
mid    Mid              30          3     50.00  3  3  1  331    repeat
slow   Slow             60          2    300.00  2  2  3  223    repeat
whale  Whale           100          6  5,000.00  1  5  5  155    at-risk
never  Never                        0      0.00                  lost
",
    );
}

#[test]
fn csv_has_the_spec_columns() {
    folder()
        .run(&["rfm", "--format", "csv"])
        .success()
        .stdout_is(
            "id,name,recency_days,frequency,monetary,r,f,m,score,lifecycle\r\n\
             fresh,Fresh,2,1,100.00,5,1,2,512,new\r\n\
             twin,Twin,30,3,400.00,3,3,4,334,repeat\r\n\
             mid,Mid,30,3,50.00,3,3,1,331,repeat\r\n\
             slow,Slow,60,2,300.00,2,2,3,223,repeat\r\n\
             whale,Whale,100,6,5000.00,1,5,5,155,at-risk\r\n\
             never,Never,,0,0.00,,,,,lost\r\n",
        );
}

#[test]
fn a_window_scores_only_its_purchases() {
    // October: mid bought on 4, 14 and 24 October (50), twin on the 24th
    // (200). n = 2. Both are 7 days old: a tie, r = 1 each. f: mid's 3
    // beats twin's 1: 1 + floor(5/2) = 3. m: twin's 200 beats 50: 3.
    // Lifecycles are judged at 31 October from every purchase up to it:
    // twin has three occasions (repeat) though one is in the window;
    // fresh had not bought yet (prospect); whale is 77 days silent.
    folder()
        .run(&[
            "rfm",
            "--since",
            "2026-10-01",
            "--until",
            "2026-10-31",
            "--format",
            "csv",
        ])
        .success()
        .stdout_is(
            "id,name,recency_days,frequency,monetary,r,f,m,score,lifecycle\r\n\
             mid,Mid,7,3,50.00,1,3,1,131,repeat\r\n\
             twin,Twin,7,1,200.00,1,1,3,113,repeat\r\n\
             fresh,Fresh,,0,0.00,,,,,prospect\r\n\
             never,Never,,0,0.00,,,,,lost\r\n\
             slow,Slow,,0,0.00,,,,,repeat\r\n\
             whale,Whale,,0,0.00,,,,,at-risk\r\n",
        );
}

#[test]
fn a_one_day_window_includes_that_day() {
    // Only 24 October: mid and twin, tied on every measure but money.
    folder()
        .run(&[
            "rfm",
            "--since",
            "2026-10-24",
            "--until",
            "2026-10-24",
            "--format",
            "csv",
        ])
        .success()
        .stdout_has(
            "twin,Twin,0,1,200.00,1,1,3,113,repeat\r\nmid,Mid,0,1,10.00,1,1,1,111,repeat\r\n",
        );
}

#[test]
fn a_lone_buyer_scores_111() {
    Test::new()
        .today("2026-11-23")
        .file("solo.yaml", &purchases("Solo", &[("2026-11-01", "80.00")]))
        .run(&["rfm", "--format", "csv"])
        .success()
        .stdout_is(
            "id,name,recency_days,frequency,monetary,r,f,m,score,lifecycle\r\n\
             solo,Solo,22,1,80.00,1,1,1,111,new\r\n",
        );
}

#[test]
fn an_end_after_today_measures_ages_there_but_counts_nothing_later() {
    // fresh's purchase of 1 December stays out; 21 November to 31
    // December is 40 days.
    folder()
        .run(&["rfm", "--until", "2026-12-31", "--format", "csv"])
        .success()
        .stdout_has("fresh,Fresh,40,1,100.00,");
}

#[test]
fn list_filters_by_lifecycle() {
    let t = folder();
    t.run(&["list", "--lifecycle", "repeat", "--format", "ids"])
        .success()
        .stdout_is("mid\nslow\ntwin\n");
    t.run(&["list", "--lifecycle", "AT-RISK", "--format", "csv"])
        .success()
        .stdout_is(
            "id,name,owner,tier,tags,stage,last_contact,next_due,revenue,class,lifecycle\r\n\
             whale,Whale,,,,,2026-08-15,,5000.00,A,at-risk\r\n",
        );
    t.run(&["list", "--lifecycle", "lost", "--format", "ids"])
        .success()
        .stdout_is("never\n");
}

#[test]
fn list_refuses_an_unknown_lifecycle_naming_the_valid_ones() {
    folder()
        .run(&["list", "--lifecycle", "dormant"])
        .bad_input()
        .stderr_has(
            "--lifecycle: `dormant` is not one of prospect, new, repeat, loyal, at-risk, lost",
        );
}

#[test]
fn show_prints_the_lifecycle_from_that_file_alone() {
    let t = folder().file("broken.yaml", "name: [\n");
    let run = t.run(&["show", "whale"]);
    run.success();
    assert!(
        run.stdout.ends_with(
            "\nRevenue 5,000.00 · Cost 0.00 · Profit 5,000.00\nLifecycle at-risk · 6 purchase days, the last 2026-08-15\n"
        ),
        "{}",
        run.stdout
    );
    let run = t.run(&["show", "never"]);
    run.success();
    assert!(
        run.stdout.ends_with("Profit 0.00\nLifecycle lost\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_file_is_named_after_the_report() {
    folder()
        .file("broken.yaml", "name: [\n")
        .run(&["rfm", "--format", "ids"])
        .code(2)
        .stdout_is("fresh\ntwin\nmid\nslow\nwhale\nnever\n")
        .stderr_has("broken.yaml:1:");
}

//! `kith remind` through the binary, at fixed dates: tasks, cadence,
//! birthdays, anniversaries, holidays, filters, empty output, exit codes and
//! the iCalendar feed (checked by a strict parser below).

mod util;

use std::collections::{BTreeMap, HashSet};

use util::Test;

const CADENCE: &str = "cadence: {vip: 30d, regular: 90d}\n";

fn tasks(due: &[&str]) -> String {
    let mut s = String::from("name: Acme Trading\ntasks:\n");
    for d in due {
        s.push_str(&format!("  - {{due: {d}, what: 'Task {d}'}}\n"));
    }
    s
}

#[test]
fn overdue_and_due_tasks_at_the_window_edges() {
    // Today 2026-11-23, --within 7d: the window ends 2026-11-30 (in);
    // 2026-12-01 is out; a done task is never due.
    let mut acme = tasks(&["2026-11-20", "2026-11-23", "2026-11-30", "2026-12-01"]);
    acme.push_str("  - {due: 2026-11-01, what: Done already, done: 2026-11-02}\n");
    let t = Test::new().today("2026-11-23").file("acme.yaml", &acme);
    t.run(&["remind"]).success().stdout_is(
        "\
date        kind     id    name          what             days
2026-11-20  overdue  acme  Acme Trading  Task 2026-11-20    -3
2026-11-23  due      acme  Acme Trading  Task 2026-11-23     0
2026-11-30  due      acme  Acme Trading  Task 2026-11-30     7
",
    );
    t.run(&["remind", "--within", "8d", "--format", "csv"])
        .success()
        .stdout_is(
            "date,kind,id,name,what,days\r\n\
             2026-11-20,overdue,acme,Acme Trading,Task 2026-11-20,-3\r\n\
             2026-11-23,due,acme,Acme Trading,Task 2026-11-23,0\r\n\
             2026-11-30,due,acme,Acme Trading,Task 2026-11-30,7\r\n\
             2026-12-01,due,acme,Acme Trading,Task 2026-12-01,8\r\n",
        );
}

#[test]
fn within_takes_weeks_and_months() {
    // 2026-11-23 + 2w = 2026-12-07; + 1m = 2026-12-23.
    let t = Test::new().today("2026-11-23").file(
        "acme.yaml",
        &tasks(&["2026-12-07", "2026-12-08", "2026-12-23", "2026-12-24"]),
    );
    let dates = |within: &str| {
        let run = t.run(&["remind", "--within", within, "--format", "csv"]);
        run.success();
        run.stdout
            .lines()
            .skip(1)
            .map(|l| l[..10].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(dates("2w"), ["2026-12-07"]);
    assert_eq!(dates("1m"), ["2026-12-07", "2026-12-08", "2026-12-23"]);
    assert_eq!(dates("0d"), Vec::<String>::new());
}

#[test]
fn a_bad_within_is_refused() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", &tasks(&["2026-11-23"]));
    for bad in ["7", "soon", "-3d", "7x"] {
        let run = t.run(&["remind", "--within", bad]);
        run.bad_input().stderr_has("--within").stdout_empty();
    }
}

#[test]
fn cadence_by_tier_and_class() {
    let t = Test::new()
        .today("2026-11-23")
        .config(CADENCE)
        // vip, last call 2026-10-22: 32 days, lapsed 2026-11-21.
        .file(
            "vip.yaml",
            "name: Vip\ntier: vip\ninteractions:\n  - {date: 2026-10-22, kind: call}\n",
        )
        // vip, 30 days exactly: not older than 30d.
        .file(
            "vip-fresh.yaml",
            "name: Vip Fresh\ntier: vip\ninteractions:\n  - {date: 2026-10-24, kind: call}\n",
        )
        // regular, 91 days: lapsed 2026-11-22.
        .file(
            "regular.yaml",
            "name: Regular\ntier: regular\ninteractions:\n  - {date: 2026-08-24, kind: visit}\n",
        )
        // regular, 90 days exactly: none.
        .file(
            "regular-fresh.yaml",
            "name: Regular Fresh\ntier: regular\ninteractions:\n  - {date: 2026-08-25, kind: email}\n",
        )
        // No tier, class A (9000 of 9100): vip cadence; 50 days quiet.
        .file(
            "whale.yaml",
            "name: Whale\ninteractions:\n  - {date: 2026-10-04, kind: purchase, amount: 9000}\n",
        )
        // No tier, class B: regular cadence; 50 days is within 90d.
        .file(
            "minnow.yaml",
            "name: Minnow\ninteractions:\n  - {date: 2026-10-04, kind: purchase, amount: 100}\n",
        )
        // A note is not a contact, and an entry after today is ignored.
        .file(
            "noted.yaml",
            "name: Noted\ntier: vip\ninteractions:\n  - {date: 2026-01-05, kind: call}\n  - {date: 2026-11-20, kind: note}\n  - {date: 2026-11-30, kind: call}\n",
        );
    t.run(&["remind", "--format", "csv"]).success().stdout_is(
        "date,kind,id,name,what,days\r\n\
         2026-02-04,cadence,noted,Noted,no contact for 322 days (vip cadence 30d),-292\r\n\
         2026-11-03,cadence,whale,Whale,\"no contact for 50 days (class A, vip cadence 30d)\",-20\r\n\
         2026-11-21,cadence,vip,Vip,no contact for 32 days (vip cadence 30d),-2\r\n\
         2026-11-22,cadence,regular,Regular,no contact for 91 days (regular cadence 90d),-1\r\n",
    );
}

#[test]
fn lost_and_never_contacted_customers_get_no_cadence() {
    let t = Test::new()
        .today("2026-11-23")
        .config(CADENCE)
        // Last purchase 2025-11-01, older than 365d: lost.
        .file(
            "gone.yaml",
            "name: Gone\ntier: vip\ninteractions:\n  - {date: 2025-11-01, kind: purchase, amount: 50}\n",
        )
        // No purchase and every deal lost: lost, though called.
        .file(
            "refused.yaml",
            "name: Refused\ntier: vip\ndeals:\n  - id: d\n    stage: met\n    outcome: lost\n    history:\n      - {stage: met, date: 2026-01-01}\n      - {outcome: lost, date: 2026-02-01}\ninteractions:\n  - {date: 2026-02-01, kind: call}\n",
        )
        .file("never.yaml", "name: Never\ntier: vip\n");
    // No cadence row; the lost customer, class A, is one to win back.
    t.run(&["remind", "--format", "csv"]).success().stdout_is(
        "date,kind,id,name,what,days\r\n\
         2026-11-02,win-back,gone,Gone,lost since 2026-11-02; lifetime revenue 50.00 (class A),-21\r\n",
    );
}

#[test]
fn prospects_get_a_cadence_only_when_kith_yaml_sets_one() {
    let prospect =
        "name: Lead\ntier: prospect\ninteractions:\n  - {date: 2026-09-01, kind: call}\n";
    let t = Test::new()
        .today("2026-11-23")
        .config(CADENCE)
        .file("lead.yaml", prospect);
    t.run(&["remind"]).success().stdout_empty();
    let t = Test::new()
        .today("2026-11-23")
        .config("cadence: {prospect: 2m}\n")
        .file("lead.yaml", prospect);
    // 2026-09-01 + 2m = 2026-11-01.
    t.run(&["remind", "--format", "csv"]).success().stdout_is(
        "date,kind,id,name,what,days\r\n\
         2026-11-01,cadence,lead,Lead,no contact for 83 days (prospect cadence 2m),-22\r\n",
    );
}

#[test]
fn birthdays_across_the_year_end_and_anniversaries() {
    let t = Test::new()
        .today("2026-12-28")
        .file(
            "zhang-wei.yaml",
            "name: 张伟\nprofile:\n  birthday: 1979-01-02\n  anniversary: --12-31\n",
        )
        .file(
            "acme.yaml",
            "name: Acme\nprofile:\n  birthday: --01-04\n  anniversary: 2016-01-03\n",
        )
        // 2027-01-05 is the day after the window: out.
        .file("late.yaml", "name: Late\nprofile: {birthday: 1990-01-05}\n");
    t.run(&["remind", "--format", "csv"]).success().stdout_is(
        "date,kind,id,name,what,days\r\n\
         2027-01-02,birthday,zhang-wei,张伟,turns 48,5\r\n\
         2027-01-04,birthday,acme,Acme,birthday,7\r\n\
         2026-12-31,anniversary,zhang-wei,张伟,anniversary,3\r\n\
         2027-01-03,anniversary,acme,Acme,11 years,6\r\n",
    );
}

#[test]
fn the_29th_of_february_in_leap_and_other_years() {
    let t = Test::new().file("leap.yaml", "name: Leap\nprofile: {birthday: 1988-02-29}\n");
    let on = |today: &str, within: &str| {
        let run = t.run(&[
            "--today", today, "remind", "--within", within, "--format", "csv",
        ]);
        run.success();
        run.stdout.lines().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(
        on("2027-02-21", "7d"),
        "2027-02-28,birthday,leap,Leap,turns 39,7"
    );
    assert_eq!(on("2027-02-21", "6d"), "");
    assert_eq!(
        on("2028-02-22", "7d"),
        "2028-02-29,birthday,leap,Leap,turns 40,7"
    );
    // In a leap year the 28th is not the birthday.
    assert_eq!(on("2028-02-22", "6d"), "");
}

fn holiday_folder(today: &str) -> Test {
    Test::new()
        .today(today)
        .config(
            "holidays:\n  - {name: Spring Festival, date: 2027-02-06, before: 7d}\n  - {name: New Year, date: --01-01, before: 5d, tags: [export, vip-list]}\n",
        )
        .file("acme.yaml", "name: Acme\nowner: li.wei\ntags: [export]\n")
        .file("globex.yaml", "name: Globex\nowner: li.wei\ntags: [vip-list, east]\n")
        .file("initech.yaml", "name: Initech\nowner: anna\n")
        .file("east/杭州星河.yaml", "name: 杭州星河贸易\nowner: anna\ntags: [export]\n")
        .file("umbrella.yaml", "name: Umbrella\nowner: anna\n")
}

#[test]
fn a_yearly_holiday_with_tags() {
    // New Year 2027-01-01 is announced from 2026-12-27 (5d ahead).
    holiday_folder("2026-12-26")
        .run(&["remind"])
        .success()
        .stdout_empty();
    let t = holiday_folder("2026-12-27");
    t.run(&["remind"]).success().stdout_is(
        "\
date        kind     id  name                        what                         days
2027-01-01  holiday      Acme, Globex, 杭州星河贸易  New Year: greet 3 customers     5
",
    );
    t.run(&["remind", "--format", "csv"]).success().stdout_is(
        "date,kind,id,name,what,days\r\n\
         2027-01-01,holiday,acme,Acme,New Year,5\r\n\
         2027-01-01,holiday,globex,Globex,New Year,5\r\n\
         2027-01-01,holiday,杭州星河,杭州星河贸易,New Year,5\r\n",
    );
    // On the day itself, and not the day after (then it is a year away).
    holiday_folder("2027-01-01")
        .run(&["remind", "--format", "ids"])
        .success()
        .stdout_is("acme\nglobex\n杭州星河\n");
    holiday_folder("2027-01-02")
        .run(&["remind"])
        .success()
        .stdout_empty();
}

#[test]
fn a_dated_holiday_greets_everyone() {
    // 2027-02-06 - 7d = 2027-01-30.
    holiday_folder("2027-01-29")
        .run(&["remind"])
        .success()
        .stdout_empty();
    let t = holiday_folder("2027-01-30");
    t.run(&["remind"]).success().stdout_is(
        "\
date        kind     id  name                              what                                days
2027-02-06  holiday      Acme, Globex, Initech and 2 more  Spring Festival: greet 5 customers     7
",
    );
    t.run(&["remind", "--format", "tsv"]).success().stdout_is(
        "date\tkind\tid\tname\twhat\tdays\r\n\
         2027-02-06\tholiday\tacme\tAcme\tSpring Festival\t7\r\n\
         2027-02-06\tholiday\tglobex\tGlobex\tSpring Festival\t7\r\n\
         2027-02-06\tholiday\tinitech\tInitech\tSpring Festival\t7\r\n\
         2027-02-06\tholiday\tumbrella\tUmbrella\tSpring Festival\t7\r\n\
         2027-02-06\tholiday\t杭州星河\t杭州星河贸易\tSpring Festival\t7\r\n",
    );
    holiday_folder("2027-02-07")
        .run(&["remind"])
        .success()
        .stdout_empty();
}

#[test]
fn owner_and_tag_filter_every_kind() {
    let t = holiday_folder("2026-12-27");
    t.run(&["remind", "--owner", "anna", "--format", "ids"])
        .success()
        .stdout_is("杭州星河\n");
    t.run(&["remind", "--tag", "vip-list"]).success().stdout_is(
        "\
date        kind     id      name    what                        days
2027-01-01  holiday  globex  Globex  New Year: greet 1 customer     5
",
    );
    t.run(&["remind", "--owner", "nobody"])
        .success()
        .stdout_empty();
    t.run(&[
        "remind", "--owner", "li.wei", "--tag", "east", "--format", "ids",
    ])
    .success()
    .stdout_is("globex\n");
}

#[test]
fn filters_do_not_change_who_is_class_a() {
    // Across the folder, big (9000 of 9100) is class A and small is not.
    // Filtered to small's owner, small must still count as regular (90d):
    // 50 days quiet is no reminder.
    let t = Test::new()
        .today("2026-11-23")
        .config(CADENCE)
        .file(
            "big.yaml",
            "name: Big\nowner: a\ninteractions:\n  - {date: 2026-10-04, kind: purchase, amount: 9000}\n",
        )
        .file(
            "small.yaml",
            "name: Small\nowner: b\ninteractions:\n  - {date: 2026-10-04, kind: purchase, amount: 100}\n",
        );
    t.run(&["remind", "--owner", "b"]).success().stdout_empty();
    t.run(&["remind", "--owner", "a", "--format", "ids"])
        .success()
        .stdout_is("big\n");
}

#[test]
fn nothing_due_prints_nothing_and_exits_0() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", &tasks(&["2027-01-01"]));
    for format in ["table", "csv", "tsv", "ids"] {
        t.run(&["remind", "--format", format])
            .success()
            .stdout_empty();
        t.run(&["remind", "--format", format, "--exit-code"])
            .success()
            .stdout_empty();
    }
    t.run(&["remind", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    let run = t.run(&["remind", "--format", "ics", "--exit-code"]);
    run.success();
    assert_eq!(run.stderr, "");
    let cal = parse_ics(&run.stdout);
    assert!(cal.events.is_empty());
}

#[test]
fn exit_code_is_1_when_anything_is_due() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", &tasks(&["2026-11-24"]));
    t.run(&["remind", "--exit-code"])
        .code(1)
        .stdout_has("Task 2026-11-24");
    t.run(&["remind"]).success();
    t.run(&["remind", "--exit-code", "--format", "ics"]).code(1);
}

#[test]
fn a_broken_file_is_named_and_the_rest_still_reported() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", &tasks(&["2026-11-24"]))
        .file("broken.yaml", "name: [unclosed\n");
    let before = t.snapshot();
    let run = t.run(&["remind", "--exit-code", "--format", "csv"]);
    run.code(2)
        .stdout_has("2026-11-24,due,acme")
        .stderr_has("broken.yaml:");
    assert_eq!(t.snapshot(), before, "remind writes nothing");
}

#[test]
fn ids_name_each_customer_once() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", &tasks(&["2026-11-01", "2026-11-24"]))
        .file("zeta.yaml", &tasks(&["2026-11-02"]));
    t.run(&["remind", "--format", "ids"])
        .success()
        .stdout_is("acme\nzeta\n");
}

#[test]
fn the_ics_feed_passes_a_strict_parser() {
    let long = "回电话讨论修订后的报价，并确认交货日期；然后发送合同".repeat(3);
    let acme = format!(
        "name: 'Acme; Trading, Ltd \\ Co'\ntier: vip\nprofile: {{birthday: 1979-11-25}}\ntasks:\n  - {{due: 2026-11-20, what: \"Line one\\nline two, with; specials\"}}\n  - {{due: 2026-11-24, what: '{long}'}}\n  - {{due: 2026-11-24, what: '{long}'}}\ninteractions:\n  - {{date: 2026-09-01, kind: call}}\n"
    );
    let t = Test::new()
        .today("2026-11-23")
        .config("cadence: {vip: 30d}\nholidays:\n  - {name: 'Thanksgiving, US', date: --11-26, before: 7d}\n")
        .file("acme.yaml", &acme)
        .file("杭州星河.yaml", "name: 杭州星河贸易有限公司\nprofile: {anniversary: 2016-11-27}\n");
    let csv = t.run(&["remind", "--format", "json"]);
    csv.success();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&csv.stdout).unwrap();
    let run = t.run(&["remind", "--format", "ics"]);
    run.success();
    let cal = parse_ics(&run.stdout);
    assert_eq!(cal.props["VERSION"], "2.0");
    assert_eq!(cal.events.len(), rows.len(), "one event per reminder");
    for (event, row) in cal.events.iter().zip(&rows) {
        let date = row["date"].as_str().unwrap().replace('-', "");
        assert_eq!(event["DTSTART;VALUE=DATE"], date);
        assert_eq!(event["DTSTAMP"], "20261123T000000Z");
        let summary = format!(
            "{}: {} — {}",
            capitalised(row["kind"].as_str().unwrap()),
            row["name"].as_str().unwrap(),
            row["what"].as_str().unwrap()
        );
        assert_eq!(event["SUMMARY"], summary, "unfolding restores the text");
        assert!(event["DESCRIPTION"].contains(row["what"].as_str().unwrap()));
        assert_eq!(event["CATEGORIES"], row["kind"].as_str().unwrap());
    }
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "overdue",
            "due",
            "due",
            "cadence",
            "birthday",
            "anniversary",
            "holiday",
            "holiday"
        ]
    );
    // The same reminders the next day keep their UIDs, a task included
    // once it turns overdue.
    let next = parse_ics(
        &t.run(&["--today", "2026-11-24", "remind", "--format", "ics"])
            .stdout,
    );
    let uids =
        |c: &Calendar| -> HashSet<String> { c.events.iter().map(|e| e["UID"].clone()).collect() };
    let (today, tomorrow) = (uids(&cal), uids(&next));
    assert_eq!(today.len(), cal.events.len());
    assert_eq!(today, tomorrow);
}

fn capitalised(s: &str) -> String {
    s[..1].to_uppercase() + &s[1..]
}

// ---------------------------------------------------------------------------
// A strict iCalendar reader: panics on anything RFC 5545 does not allow in
// what kith writes.

struct Calendar {
    props: BTreeMap<String, String>,
    events: Vec<BTreeMap<String, String>>,
}

/// Reads an iCalendar stream: CRLF after every line, no line over 75
/// octets, folds only between characters, BEGIN/END balanced, the required
/// properties present once, TEXT escapes valid. Property keys keep their
/// parameters (`DTSTART;VALUE=DATE`); TEXT values come back unescaped.
fn parse_ics(text: &str) -> Calendar {
    let bytes = text.as_bytes();
    assert!(text.ends_with("\r\n"), "ends with CRLF");
    let mut physical: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "CR without LF at {i}");
                physical.push(&bytes[start..i]);
                i += 2;
                start = i;
            }
            b'\n' => panic!("LF without CR at {i}"),
            _ => i += 1,
        }
    }
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        let line = std::str::from_utf8(line).expect("a fold cut a UTF-8 sequence");
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            logical
                .last_mut()
                .expect("continuation first")
                .push_str(rest);
        } else {
            logical.push(line.to_string());
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut cal = Calendar {
        props: BTreeMap::new(),
        events: Vec::new(),
    };
    let mut ended = false;
    for line in logical {
        assert!(!ended, "content after END:VCALENDAR");
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("no colon: {line}"));
        let name = key.split(';').next().unwrap();
        assert!(
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
            "bad name: {line}"
        );
        assert!(
            !value.chars().any(|c| c.is_control() && c != '\t'),
            "control character: {line:?}"
        );
        match name {
            "BEGIN" => {
                assert!(
                    matches!((stack.len(), value), (0, "VCALENDAR") | (1, "VEVENT")),
                    "BEGIN:{value} at depth {}",
                    stack.len()
                );
                if value == "VEVENT" {
                    cal.events.push(BTreeMap::new());
                }
                stack.push(value.to_string());
            }
            "END" => {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(value),
                    "unbalanced END:{value}"
                );
                ended = stack.is_empty();
            }
            _ => {
                let target = match stack.len() {
                    1 => &mut cal.props,
                    2 => cal.events.last_mut().unwrap(),
                    _ => panic!("property outside a component: {line}"),
                };
                let value = match name {
                    "SUMMARY" | "DESCRIPTION" | "CATEGORIES" | "X-WR-CALNAME" | "UID" => {
                        unescape(value)
                    }
                    _ => value.to_string(),
                };
                assert!(
                    target.insert(key.to_string(), value).is_none(),
                    "{key} twice"
                );
            }
        }
    }
    assert!(ended && stack.is_empty(), "no END:VCALENDAR");
    assert_eq!(cal.props.get("VERSION").map(String::as_str), Some("2.0"));
    assert!(cal.props.contains_key("PRODID"));
    let mut uids = HashSet::new();
    for e in &cal.events {
        for required in [
            "UID",
            "DTSTAMP",
            "DTSTART;VALUE=DATE",
            "DTEND;VALUE=DATE",
            "SUMMARY",
        ] {
            assert!(e.contains_key(required), "VEVENT without {required}: {e:?}");
        }
        assert!(uids.insert(e["UID"].clone()), "UID twice: {}", e["UID"]);
        let stamp = &e["DTSTAMP"];
        assert!(
            stamp.len() == 16 && stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
            "DTSTAMP {stamp}"
        );
        let (start, end) = (day(&e["DTSTART;VALUE=DATE"]), day(&e["DTEND;VALUE=DATE"]));
        assert_eq!(
            end,
            start.succ_opt().unwrap(),
            "an all-day event lasts one day"
        );
    }
    cal
}

fn day(basic: &str) -> chrono::NaiveDate {
    assert_eq!(basic.len(), 8, "{basic}");
    chrono::NaiveDate::parse_from_str(basic, "%Y%m%d").unwrap_or_else(|_| panic!("date {basic}"))
}

/// A TEXT value unescaped; an unescaped `;` or `,`, or an unknown escape,
/// is an error.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {value}"),
            },
            ';' | ',' => panic!("unescaped {c} in {value}"),
            c => out.push(c),
        }
    }
    out
}

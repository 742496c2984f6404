//! The spreadsheet round trip keeps an entry one entry: `export` gives each
//! interaction, deal and task a `ref`, and `import --update` applies an
//! edited row to the entry it names instead of adding a second one.

mod util;
use util::Test;

type Rows = Vec<Vec<String>>;

fn export(t: &Test, table: &str) -> Rows {
    let out = t.run(&["export", table]).success().stdout.clone();
    csv::Reader::from_reader(out.as_bytes())
        .into_records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn header(t: &Test, table: &str) -> Vec<String> {
    let out = t.run(&["export", table]).success().stdout.clone();
    out.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect()
}

/// Writes `rows` under `header` to FILE in the folder; returns its path.
fn write(t: &Test, file: &str, header: &[String], rows: &Rows) -> String {
    let path = t.path().join(file);
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    path.to_str().unwrap().to_string()
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// A customer's revenue as `list` gives it.
fn revenue(t: &Test, id: &str) -> String {
    let out = t.run(&["--format", "csv", "list"]).success().stdout.clone();
    let mut lines = out.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == "revenue").unwrap();
    let row = lines.find(|l| l.starts_with(&format!("{id},"))).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(row.as_bytes());
    r.records().next().unwrap().unwrap()[col].to_string()
}

fn demo() -> Test {
    Test::demo().today("2026-11-23")
}

#[test]
fn an_edited_interaction_is_changed_not_added() {
    let t = demo();
    let h = header(&t, "interactions");
    assert_eq!(h[0], "ref");
    let mut rows = export(&t, "interactions");
    let (id, amount, rating) = (column(&h, "id"), column(&h, "amount"), column(&h, "rating"));
    let n = rows
        .iter()
        .position(|r| r[id] == "acme-logistics-ltd" && r[amount] == "71000.00")
        .unwrap();
    assert_eq!(revenue(&t, "acme-logistics-ltd"), "1035800.00");
    let count = rows.len();
    rows[n][amount] = "71234.00".into();
    rows[n][rating] = "4".into();
    let file = write(&t, "edited.csv", &h, &rows);
    let file_path = file.clone();

    // Without --update the edit is refused, naming the flag; nothing changes.
    let before = t.snapshot();
    t.run(&["import", &file, "--as", "interactions"])
        .bad_input()
        .stderr_has(&format!(
            "edited.csv:{}: the row changes the interaction `{}` of acme-logistics-ltd; import with --update",
            n + 2,
            rows[n][0]
        ));
    assert_eq!(t.snapshot(), before);

    t.run(&["import", &file, "--as", "interactions", "--update"])
        .success()
        .stderr_has("1 customer changed, 1 interaction changed, ");
    let after = export(&t, "interactions");
    assert_eq!(after.len(), count, "no interaction added");
    assert_eq!(revenue(&t, "acme-logistics-ltd"), "1036034.00");
    let edited: Vec<_> = after
        .iter()
        .filter(|r| r[id] == "acme-logistics-ltd" && r[amount] == "71234.00")
        .collect();
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0][rating], "4");
    // Only the changed lines of the file changed; the entry kept its place.
    let file = t.read("acme-logistics-ltd.yaml");
    let original =
        std::fs::read_to_string(util::repo_root().join("fixtures/demo/acme-logistics-ltd.yaml"))
            .unwrap();
    let diff: Vec<_> = similar::TextDiff::from_lines(&original, &file)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value()))
        .collect();
    assert_eq!(
        diff,
        [
            "-    amount: 71000.00\n",
            "+    amount: 71234.00\n",
            "+    rating: 4\n"
        ]
    );
    t.run(&["check"]).success();

    // The same file again: its ref names the entry as it was, which is gone.
    stale_is_refused(
        &t,
        &file_path,
        "interactions",
        &format!(
            "edited.csv:{}: column `ref`: `{}` names none of acme-logistics-ltd's interactions: the interaction changed or was removed since the export",
            n + 2,
            rows[n][0]
        ),
    );
}

/// Importing `file` with `--update` is refused with `message`, and writes
/// nothing.
fn stale_is_refused(t: &Test, file: &str, table: &str, message: &str) {
    let before = t.snapshot();
    t.run(&["import", file, "--as", table, "--update"])
        .bad_input()
        .stderr_has(message);
    assert_eq!(t.snapshot(), before);
}

#[test]
fn an_edited_deal_is_changed_not_added() {
    let t = demo();
    let h = header(&t, "deals");
    assert_eq!(h[0], "ref");
    let mut rows = export(&t, "deals");
    let (deal, value) = (column(&h, "deal"), column(&h, "value"));
    let n = rows.iter().position(|r| r[deal] == "rfid-pilot").unwrap();
    assert_eq!(rows[n][0], "rfid-pilot", "a deal's ref is its id");
    assert_eq!(rows[n][value], "95000.00");
    let count = rows.len();
    rows[n][value] = "96000.00".into();
    let file = write(&t, "deals.csv", &h, &rows);
    t.run(&["import", &file, "--as", "deals"])
        .bad_input()
        .stderr_has(
            "the row changes the deal `rfid-pilot` of acme-logistics-ltd; import with --update",
        );
    t.run(&["import", &file, "--as", "deals", "--update"])
        .success()
        .stderr_has("1 deal changed, ");
    let after = export(&t, "deals");
    assert_eq!(after.len(), count);
    assert_eq!(after[n][value], "96000.00");
    assert_eq!(after[n][deal], "rfid-pilot");

    // A ref naming a deal the customer no longer has is refused with --update.
    let mut stale = vec![rows[n].clone()];
    stale[0][0] = "no-such-deal".into();
    stale[0][deal] = String::new();
    let file = write(&t, "stale.csv", &h, &stale);
    stale_is_refused(
        &t,
        &file,
        "deals",
        "stale.csv:2: column `ref`: `no-such-deal` names none of acme-logistics-ltd's deals",
    );

    // A deal's id cannot change by import.
    let mut renamed = vec![after[n].clone()];
    renamed[0][deal] = "rfid-2".into();
    let file = write(&t, "renamed.csv", &h, &renamed);
    t.run(&["import", &file, "--as", "deals", "--update"])
        .bad_input()
        .stderr_has("renamed.csv:2: column `deal`: the row's ref is the deal `rfid-pilot` but its deal column says `rfid-2`");
}

#[test]
fn an_edited_task_is_changed_not_added_and_keeps_its_number() {
    let t = demo();
    let h = header(&t, "tasks");
    assert_eq!(h[0], "ref");
    let mut rows = export(&t, "tasks");
    let (id, due, done) = (column(&h, "id"), column(&h, "due"), column(&h, "done"));
    let n = rows
        .iter()
        .position(|r| r[id] == "acme-logistics-ltd" && r[done].is_empty())
        .unwrap();
    let shown = t
        .run(&["show", "acme-logistics-ltd"])
        .success()
        .stdout
        .clone();
    let count = rows.len();
    rows[n][due] = "2026-12-04".into();
    let file = write(&t, "tasks.csv", &h, &rows);
    t.run(&["import", &file, "--as", "tasks", "--update"])
        .success()
        .stderr_has("1 task changed, ");
    let after = export(&t, "tasks");
    assert_eq!(after.len(), count);
    assert!(
        after
            .iter()
            .any(|r| r[id] == "acme-logistics-ltd" && r[due] == "2026-12-04")
    );
    // The task keeps the number `show` gave it.
    let again = t
        .run(&["show", "acme-logistics-ltd"])
        .success()
        .stdout
        .clone();
    let number = |s: &str| {
        s.lines()
            .find(|l| l.contains("Send the revised quote"))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
    };
    assert_eq!(number(&shown), number(&again));
    assert!(number(&again).is_some());

    // Marked done in the spreadsheet: the same task, done.
    let mut rows = after;
    let m = rows
        .iter()
        .position(|r| r[id] == "acme-logistics-ltd" && r[due] == "2026-12-04")
        .unwrap();
    rows[m][done] = "2026-11-23".into();
    let file = write(&t, "done.csv", &h, &rows);
    t.run(&["import", &file, "--as", "tasks", "--update"])
        .success();
    let after = export(&t, "tasks");
    assert_eq!(after.len(), count);
    assert_eq!(after[m][done], "2026-11-23");

    // The file again: stale, refused, nothing written.
    stale_is_refused(
        &t,
        &file,
        "tasks",
        &format!(
            "done.csv:{}: column `ref`: `{}` names none of acme-logistics-ltd's tasks",
            m + 2,
            rows[m][0]
        ),
    );
}

#[test]
fn an_unchanged_export_imports_as_already_present() {
    let t = demo();
    for table in ["interactions", "deals", "tasks"] {
        let csv = t.run(&["export", table]).success().stdout.clone();
        t.write(&format!("{table}.csv"), &csv);
        let before = t.snapshot();
        let file = t.path().join(format!("{table}.csv"));
        let file = file.to_str().unwrap();
        for update in [false, true] {
            let mut args = vec!["import", file, "--as", table];
            if update {
                args.push("--update");
            }
            t.run(&args)
                .success()
                .stderr_has("rows already present, skipped");
            assert_eq!(t.snapshot(), before, "{table} --update={update}");
        }
    }
}

#[test]
fn identical_entries_get_distinct_refs() {
    let t = Test::new().today("2026-11-23").file(
        "acme.yaml",
        "name: Acme\ninteractions:\n  - date: 2026-03-01\n    kind: refund\n    amount: -5.00\n  - date: 2026-03-01\n    kind: refund\n    amount: -5.00\n",
    );
    let rows = export(&t, "interactions");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], format!("{}-2", rows[0][0]));
    // Editing the second of two equal refunds changes that one only.
    let h = header(&t, "interactions");
    let mut edited = rows.clone();
    edited[1][column(&h, "summary")] = "second".into();
    let file = write(&t, "r.csv", &h, &edited);
    t.run(&["import", &file, "--as", "interactions", "--update"])
        .success()
        .stderr_has("1 interaction changed, 1 row already present, skipped");
    assert_eq!(export(&t, "interactions").len(), 2);
}

#[test]
fn a_ref_moves_into_another_folder_as_a_new_entry() {
    let from = demo();
    let to = Test::new()
        .today("2026-11-23")
        .config(&from.read("kith.yaml"));
    for table in ["customers", "interactions", "deals", "tasks"] {
        let csv = from.run(&["export", table]).success().stdout.clone();
        to.write("in.csv", &csv);
        let file = to.path().join("in.csv");
        to.run(&["import", file.to_str().unwrap(), "--as", table])
            .success();
        assert_eq!(to.run(&["export", table]).success().stdout, csv, "{table}");
    }
    // With --update a ref of another folder names nothing here.
    let other = Test::new()
        .today("2026-11-23")
        .config(&from.read("kith.yaml"));
    let csv = from.run(&["export", "customers"]).success().stdout.clone();
    other.write("c.csv", &csv);
    let file = other.path().join("c.csv");
    other
        .run(&["import", file.to_str().unwrap(), "--as", "customers"])
        .success();
    let csv = from
        .run(&["export", "interactions"])
        .success()
        .stdout
        .clone();
    other.write("i.csv", &csv);
    let file = other.path().join("i.csv");
    other
        .run(&[
            "import",
            file.to_str().unwrap(),
            "--as",
            "interactions",
            "--update",
        ])
        .bad_input()
        .stderr_has("i.csv:2: column `ref`: ");
}

#[test]
fn one_entry_takes_one_row() {
    let t = demo();
    let h = header(&t, "interactions");
    let rows = export(&t, "interactions");
    let twice = vec![rows[0].clone(), rows[0].clone()];
    let file = write(&t, "twice.csv", &h, &twice);
    t.run(&["import", &file, "--as", "interactions", "--update"])
        .bad_input()
        .stderr_has(&format!(
            "twice.csv:3: column `ref`: line 2 already holds the interaction `{}` of",
            rows[0][0]
        ));
}

#[test]
fn an_empty_cell_of_a_row_with_a_ref_removes_the_value() {
    let t = demo();
    let h = header(&t, "interactions");
    let mut rows = export(&t, "interactions");
    let (id, summary) = (column(&h, "id"), column(&h, "summary"));
    let n = rows
        .iter()
        .position(|r| r[id] == "acme-logistics-ltd" && r[summary] == "Additional order")
        .unwrap();
    rows[n][summary] = String::new();
    let file = write(&t, "clear.csv", &h, &rows);
    let held = |t: &Test| {
        t.read("acme-logistics-ltd.yaml")
            .matches("Additional order")
            .count()
    };
    let before = held(&t);
    t.run(&["import", &file, "--as", "interactions", "--update"])
        .success();
    assert_eq!(held(&t), before - 1);
    assert_eq!(export(&t, "interactions").len(), rows.len());
}

#[test]
fn an_older_export_without_update_says_what_it_added() {
    let t = demo();
    let h = header(&t, "interactions");
    let mut rows = export(&t, "interactions");
    let old = write(&t, "old.csv", &h, &rows);
    let rating = column(&h, "rating");
    rows[0][rating] = "5".into();
    let new = write(&t, "new.csv", &h, &rows);
    t.run(&["import", &new, "--as", "interactions", "--update"])
        .success();
    t.run(&["import", &old, "--as", "interactions"])
        .success()
        .stderr_has("1 row whose ref names no entry added as new (an older export? --update refuses such rows)");
}

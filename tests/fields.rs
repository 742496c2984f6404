//! The declared fields drive every part that reads or writes them: a value
//! set through `kith set` on each declared field is written by the emitter
//! at its place, read alike by both readers, kept by the binary codec, and
//! shown by `show` and (where the field is a column) `export customers` and
//! `import` — so a field added to a declaration is complete with nothing
//! else to write.

mod util;
use util::Test;

use kith::record::fields::{Access, Field};
use kith::record::{
    Contact, Deal, Interaction, Person, Profile, Record, Schema, binary, emit_record, fast,
    parse_record_full,
};

/// What `set` is given for field number `n`, and the lines it must write:
/// under `section:`, or at the top for the record's own fields (`""`).
fn example<S>(f: &Field<S>, section: &str, n: usize) -> (String, String, String) {
    let (head, at) = if section.is_empty() {
        (String::new(), "")
    } else {
        (format!("{section}:\n"), "  ")
    };
    match f.access {
        Access::Text(..) => (
            f.path.to_string(),
            format!("value {n}"),
            format!("{head}{at}{}: value {n}\n", f.key),
        ),
        Access::Networks(..) => (
            format!("{}.net", f.path),
            format!("value {n}"),
            format!("{head}{at}{}:\n{at}  net: value {n}\n", f.key),
        ),
        Access::Yearly(..) => (
            f.path.to_string(),
            format!("--03-1{n}"),
            format!("{head}{at}{}: --03-1{n}\n", f.key),
        ),
        Access::Words(..) => (
            f.path.to_string(),
            format!("w{n}"),
            format!("{head}{at}{}: [w{n}]\n", f.key),
        ),
        Access::Date(..) => (
            f.path.to_string(),
            format!("2026-03-{}", 10 + n),
            format!("{head}{at}{}: 2026-03-{}\n", f.key, 10 + n),
        ),
        Access::Choice(ref c) => {
            let word = c.all[n % c.all.len()];
            (
                f.path.to_string(),
                word.to_string(),
                format!("{head}{at}{}: {word}\n", f.key),
            )
        }
        Access::Flag(..) => (
            f.path.to_string(),
            "true".to_string(),
            format!("{head}{at}{}: true\n", f.key),
        ),
        Access::Money(..) => (
            f.path.to_string(),
            format!("1{n}.50"),
            format!("{head}{at}{}: 1{n}.50\n", f.key),
        ),
        Access::Rating(..) => (
            f.path.to_string(),
            format!("{}", n % 5 + 1),
            format!("{head}{at}{}: {}\n", f.key, n % 5 + 1),
        ),
        Access::Span(..) => (
            f.path.to_string(),
            format!("{}0d", n + 1),
            format!("{head}{at}{}: {}0d\n", f.key, n + 1),
        ),
        Access::Own => unreachable!("`{}` is read and written by hand", f.key),
    }
}

/// The record `text` holds, after checking that both readers read it
/// alike, that the emitter writes it back byte for byte and that the binary
/// codec keeps it.
fn read_both(text: &str, key: &str) -> Record {
    let full = parse_record_full(text.as_bytes(), "acme", &Schema::default()).unwrap();
    let quick = fast::parse(text, "acme", &Schema::default()).expect("canonical");
    assert_eq!(full, quick, "{key}");
    assert_eq!(emit_record(&full), text, "{key}");
    let mut bytes = Vec::new();
    binary::encode(&full, &mut bytes);
    assert_eq!(binary::decode(&bytes), Some(full.clone()), "{key}");
    full
}

/// The cell of column `key` in the first row of `kith export TABLE`.
fn exported(t: &Test, table: &str, key: &str) -> String {
    let csv = t.run(&["export", table]).success().stdout.clone();
    let mut rows = csv.lines();
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == key).expect(key);
    let row: Vec<&str> = rows.next().unwrap().split(',').collect();
    row[col].trim_start_matches('\'').to_string()
}

/// Sets each declared field of a group through `kith set` and checks every
/// part end to end; then all of them at once, in the table's order.
fn check_group<S>(section: &str, group: &'static [Field<S>], part: fn(&Record) -> &S) {
    // The group's own fields are read and written by hand, and tested
    // with the code that does so.
    let group: Vec<&Field<S>> = (group.iter())
        .filter(|f| !matches!(f.access, Access::Own))
        .collect();
    assert!(!group.is_empty(), "{section}");
    let at = if section.is_empty() { "" } else { "  " };
    for (n, f) in group.iter().enumerate() {
        let t = Test::new()
            .today("2026-11-23")
            .file("acme.yaml", "name: Acme\n");
        let (path, value, lines) = example(f, section, n);
        t.run(&["set", "acme", &format!("{path}={value}")])
            .success();
        let text = t.read("acme.yaml");
        assert_eq!(text, format!("name: Acme\n{lines}"), "{path}");

        // Both readers, the emitter and the binary codec agree.
        let full = read_both(&text, &path);

        // `show` prints it under its key.
        let shown = t.run(&["show", "acme"]).success().stdout.clone();
        let label = match f.access {
            Access::Networks(..) => "net:".to_string(),
            _ => format!("{}:", f.key),
        };
        assert_eq!(shown.contains(&label), f.shown, "{path}: {shown}");
        assert!(f.display(part(&full)).is_some() || matches!(f.access, Access::Networks(..)));

        // A customer column goes out through export and back through import.
        let csv = t.run(&["export", "customers"]).success().stdout.clone();
        let mut rows = csv.lines();
        let head: Vec<&str> = rows.next().unwrap().split(',').collect();
        if let Some(col) = head.iter().position(|h| *h == f.key) {
            let row: Vec<&str> = rows.next().unwrap().split(',').collect();
            assert_eq!(row[col].trim_start_matches('\''), value, "{path}");
            let other = value.replace('1', "2");
            t.write("in.csv", &format!("id,{}\nacme,{other}\n", f.key));
            let file = t.path().join("in.csv");
            t.run(&[
                "import",
                file.to_str().unwrap(),
                "--as",
                "customers",
                "--update",
            ])
            .success();
            assert_eq!(
                t.read("acme.yaml"),
                format!("name: Acme\n{}", lines.replace(&value, &other)),
                "{path}"
            );
        }
    }
    // All of them at once: written in the declared order, whatever the
    // order they were set in.
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n");
    for (n, f) in group.iter().enumerate().rev() {
        let (path, value, _) = example(f, section, n);
        t.run(&["set", "acme", &format!("{path}={value}")])
            .success();
    }
    let text = t.read("acme.yaml");
    let order: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(at) && !l[at.len()..].starts_with(' '))
        .filter(|l| !section.is_empty() || !l.starts_with("name:"))
        .map(|l| l.trim().split(':').next().unwrap())
        .collect();
    let keys: Vec<&str> = group.iter().map(|f| f.key).collect();
    assert_eq!(order, keys, "{section}");
}

#[test]
fn every_declared_field_of_the_record_is_read_written_kept_and_shown() {
    check_group("", Record::FIELDS, |r| r);
}

#[test]
fn every_declared_contact_field_is_read_written_kept_and_shown() {
    check_group("contact", Contact::FIELDS, |r| &r.contact);
}

#[test]
fn every_declared_profile_field_is_read_written_kept_and_shown() {
    check_group("profile", Profile::FIELDS, |r| &r.profile);
}

/// A person's declared fields (`contacts:` entries): each is read alike by
/// both readers, written back at its place, kept by the binary codec,
/// shown, exported as a column of `export contacts` and read back from it
/// by `import --as contacts`.
#[test]
fn every_declared_person_field_is_read_written_kept_and_shown() {
    for (n, f) in Person::FIELDS.iter().enumerate() {
        if matches!(f.access, Access::Own) {
            continue;
        }
        let (_, value, line) = example(f, "", n);
        let text = format!("name: Acme\ncontacts:\n  - name: 周敏\n    {line}");
        // Before every example date, so that a person with `left:` is still
        // there when `import` looks for them.
        let t = Test::new().today("2026-01-01").file("acme.yaml", &text);

        let full = read_both(&text, f.key);
        assert_eq!(
            f.display(&full.contacts[0]).as_deref(),
            Some(&*value.replace('[', ""))
        );

        let shown = t.run(&["show", "acme"]).success().stdout.clone();
        assert!(shown.contains(&value), "{}: {shown}", f.key);

        assert_eq!(exported(&t, "contacts", f.key), value, "{}", f.key);

        let other = value.replace('1', "2");
        t.write("in.csv", &format!("id,name,{}\nacme,周敏,{other}\n", f.key));
        let file = t.path().join("in.csv");
        t.run(&[
            "import",
            file.to_str().unwrap(),
            "--as",
            "contacts",
            "--update",
        ])
        .success();
        assert_eq!(
            t.read("acme.yaml"),
            text.replace(&value, &other),
            "{}",
            f.key
        );
    }
}

/// An interaction's declared fields: each is read alike by both readers,
/// written back at its place, kept by the binary codec, exported as a
/// column of `export interactions` and read back from it by `import --as
/// interactions`.
#[test]
fn every_declared_interaction_field_is_read_written_kept_and_exported() {
    for (n, f) in Interaction::FIELDS.iter().enumerate() {
        if matches!(f.access, Access::Own) {
            continue;
        }
        let (_, value, line) = example(f, "", n);
        let text =
            format!("name: Acme\ninteractions:\n  - date: 2026-11-20\n    kind: call\n    {line}");
        let t = Test::new().today("2026-11-23").file("acme.yaml", &text);

        let full = read_both(&text, f.key);
        assert_eq!(
            f.display(&full.interactions[0]),
            Some(value.clone()),
            "{}",
            f.key
        );

        assert_eq!(exported(&t, "interactions", f.key), value, "{}", f.key);

        t.write("acme.yaml", "name: Acme\n");
        t.write(
            "in.csv",
            &format!("id,date,kind,{}\nacme,2026-11-20,call,{value}\n", f.key),
        );
        let file = t.path().join("in.csv");
        t.run(&["import", file.to_str().unwrap(), "--as", "interactions"])
            .success();
        assert_eq!(t.read("acme.yaml"), text, "{}", f.key);
    }
}

/// A deal's declared fields (all but its own: id, stage, outcome and the
/// lists): each is read alike by both readers, written back at its place
/// among the deal's own keys, kept by the binary codec, and exported as a
/// column of `export deals`.
#[test]
fn every_declared_deal_field_is_read_written_kept_and_exported() {
    for (n, f) in Deal::FIELDS.iter().enumerate() {
        if matches!(f.access, Access::Own) {
            continue;
        }
        let (_, value, line) = example(f, "", n);
        let mut text = "name: Acme\ndeals:\n".to_string();
        for g in Deal::FIELDS {
            match g.key {
                "id" => text.push_str("  - id: d1\n"),
                "stage" => text.push_str("    stage: met\n"),
                key if key == f.key => text.push_str(&format!("    {line}")),
                _ => {}
            }
        }
        let t = Test::new().today("2026-11-23").file("acme.yaml", &text);

        let full = read_both(&text, f.key);
        assert_eq!(f.display(&full.deals[0]), Some(value.clone()), "{}", f.key);

        assert_eq!(exported(&t, "deals", f.key), value, "{}", f.key);
    }
}

//! The declared fields drive every part that reads or writes them: a value
//! set through `kith set` on each declared field is written by the emitter
//! at its place, read alike by both readers, kept by the binary codec, and
//! shown by `export customers` and `show` (text fields) — so a field added
//! to a declaration is complete with nothing else to write.

mod util;
use util::Test;

use kith::record::fields::Access;
use kith::record::{Contact, Schema, binary, emit_record, fast, parse_record_full};

#[test]
fn every_declared_contact_field_is_read_written_kept_and_shown() {
    let keys: Vec<&str> = Contact::FIELDS.iter().map(|f| f.key).collect();
    assert!(keys.len() >= 6, "{keys:?}");
    for (n, f) in Contact::FIELDS.iter().enumerate() {
        let t = Test::new()
            .today("2026-11-23")
            .file("acme.yaml", "name: Acme\n");
        let (path, line) = match f.access {
            Access::Text(..) => (f.path.to_string(), format!("  {}: value {n}\n", f.key)),
            Access::Networks(..) => (
                format!("{}.net", f.path),
                format!("  {}:\n    net: value {n}\n", f.key),
            ),
        };
        t.run(&["set", "acme", &format!("{path}=value {n}")])
            .success();
        let text = t.read("acme.yaml");
        assert_eq!(text, format!("name: Acme\ncontact:\n{line}"), "{path}");

        // Both readers, the emitter and the binary codec agree.
        let full = parse_record_full(text.as_bytes(), "acme", &Schema::default()).unwrap();
        let quick = fast::parse(&text, "acme", &Schema::default()).expect("canonical");
        assert_eq!(full, quick, "{path}");
        assert_eq!(emit_record(&full), text, "{path}");
        let mut bytes = Vec::new();
        binary::encode(&full, &mut bytes);
        assert_eq!(binary::decode(&bytes), Some(full.clone()), "{path}");
        assert!(f.text(&full.contact).is_some() || !f.is_text(), "{path}");

        // Every field of the group in one file keeps the declared order.
        let shown = t.run(&["show", "acme"]).success().stdout.clone();
        match f.access {
            Access::Text(..) => {
                assert!(shown.contains(&format!("{}:", f.key)), "{path}: {shown}");
                let csv = t.run(&["export", "customers"]).success().stdout.clone();
                let mut lines = csv.lines();
                let head: Vec<&str> = lines.next().unwrap().split(',').collect();
                let col = head.iter().position(|h| *h == f.key).expect("a column");
                let row: Vec<&str> = lines.next().unwrap().split(',').collect();
                assert_eq!(row[col], format!("value {n}"), "{path}");
                // And it comes back through import.
                t.write("in.csv", &format!("id,{}\nacme,other {n}\n", f.key));
                let file = t.path().join("in.csv");
                t.run(&[
                    "import",
                    file.to_str().unwrap(),
                    "--as",
                    "customers",
                    "--update",
                ])
                .success();
                assert!(
                    t.read("acme.yaml")
                        .contains(&format!("  {}: other {n}\n", f.key))
                );
            }
            Access::Networks(..) => assert!(shown.contains("net:"), "{path}: {shown}"),
        }
    }
    // All of them at once: the emitter writes them in the declared order.
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n");
    for f in Contact::FIELDS.iter().rev() {
        let path = match f.access {
            Access::Text(..) => f.path.to_string(),
            Access::Networks(..) => format!("{}.net", f.path),
        };
        t.run(&["set", "acme", &format!("{path}=x")]).success();
    }
    let text = t.read("acme.yaml");
    let order: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .map(|l| l.trim().split(':').next().unwrap())
        .collect();
    assert_eq!(order, keys);
}

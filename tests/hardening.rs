//! Hardening: one test per promise of the second hardening round, each
//! reproducing the case and checking the exit code, the message and that
//! nothing outside the expected files changed.

mod util;

use util::Test;

const ACME: &str = "name: Acme\ncontact:\n  email: buyer@acme.example\nacquisition_cost: 800.00\n";

#[test]
fn set_never_writes_a_file_kith_cannot_read() {
    let t = Test::new().file("acme.yaml", ACME);
    let before = t.snapshot();
    for (assignment, message) in [
        (
            "contact.email.work=a@b.example",
            "kith: `contact.email` holds text, not a map; cannot set `contact.email.work` below it\n",
        ),
        (
            "name.first=Bob",
            "kith: `name` holds text, not a map; cannot set `name.first` below it\n",
        ),
        (
            "tags.x=",
            "kith: `tags` holds a list, not a map; cannot set `tags.x` below it\n",
        ),
        (
            "owner.x=",
            "kith: `owner` holds text, not a map; cannot set `owner.x` below it\n",
        ),
        (
            "tier.x=vip",
            "kith: `tier` holds one of prospect, regular, vip, not a map; cannot set `tier.x` below it\n",
        ),
        (
            "profile.birthday.x=1",
            "kith: `profile.birthday` holds a date, not a map; cannot set `profile.birthday.x` below it\n",
        ),
        (
            "acquisition_cost.x=1",
            "kith: `acquisition_cost` holds an amount of money, not a map; cannot set `acquisition_cost.x` below it\n",
        ),
        (
            "contact=foo",
            "kith: `contact` is a map of fields (email, phone, address, website, social, preferred); set one of them, e.g. `contact.email=VALUE`\n",
        ),
        (
            "emial=x@y.example",
            "kith: `emial` is not a field kith knows; did you mean `contact.email`? (declare your own fields in kith.yaml `fields:`, or pass --new to store it as text)\n",
        ),
    ] {
        for extra in [&[][..], &["--new"][..]] {
            if assignment.starts_with("emial") && !extra.is_empty() {
                continue;
            }
            let mut args = vec!["set"];
            args.extend_from_slice(extra);
            args.extend(["acme", assignment]);
            let r = t.run(&args);
            r.bad_input();
            assert_eq!(r.stderr, message, "{assignment}");
            assert_eq!(t.snapshot(), before, "{assignment} changed a file");
        }
    }
    t.run(&["check"]).success().stdout_empty();
    // --new stores an unknown key as text; a later set of it needs no --new.
    let r = t.run(&["set", "--new", "acme", "emial=x@y.example"]);
    r.success();
    assert_eq!(r.stderr, "emial: (none) → x@y.example\n");
    t.run(&["set", "acme", "emial="]).success();
    assert_eq!(t.read("acme.yaml"), ACME);
}

#[test]
fn set_accepts_the_fields_kith_yaml_declares_and_names_each_change() {
    let t = Test::new()
        .config("fields: [crm, region]\n")
        .file("acme.yaml", ACME);
    let r = t.run(&[
        "set",
        "acme",
        "crm.legacy_id=X-17",
        "region=east",
        "contact.email=new@acme.example",
        "acquisition_cost=900",
        "tier=vip",
        "tags=a,b",
    ]);
    r.success().stdout_empty();
    assert_eq!(
        r.stderr,
        "crm.legacy_id: (none) → X-17\nregion: (none) → east\n\
         contact.email: buyer@acme.example → new@acme.example\n\
         acquisition_cost: 800.00 → 900.00\ntier: (none) → vip\ntags: (none) → [a, b]\n"
    );
    let r = t.run(&["set", "acme", "regoin=west"]);
    r.bad_input();
    assert!(r.stderr.contains("did you mean `region`?"), "{}", r.stderr);
    t.run(&["check"]).success().stdout_empty();
}

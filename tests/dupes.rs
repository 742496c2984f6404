//! `kith dupes` and `kith merge` on constructed records.

mod util;
use util::Test;

fn folder() -> Test {
    Test::new()
        .today("2026-11-23")
        .file(
            "acme.yaml",
            "name: Acme Trading\nowner: ann\ntags: [export]\ncontact:\n  email: Buyer@Acme.example\n\
deals:\n  - id: erp\n    title: ERP\n    stage: met\n    history:\n      - {stage: met, date: 2026-01-05}\n\
interactions:\n  - date: 2026-11-01\n    kind: call\n",
        )
        .file(
            "east/acme-2.yaml",
            "name: acme   trading\nowner: bob\ntier: vip\ntags: [east, export]\ncontact:\n  phone: '+86 (571) 000-1'\n\
deals:\n  - id: erp\n    title: ERP phase 2\n    stage: needs\n    history:\n      - {stage: needs, date: 2026-02-05}\n\
tasks:\n  - due: 2026-12-01\n    what: Call back\n\
interactions:\n  - date: 2026-11-01\n    kind: call\n  - date: 2026-11-02\n    kind: purchase\n    deal: erp\n    amount: 100.00\n",
        )
        .file("globex.yaml", "name: Globex\ncontact:\n  email: buyer@acme.example\n  phone: 86571 0001\n")
        .file("initech.yaml", "name: Initech\n")
}

#[test]
fn dupes_lists_each_group_once_with_its_members() {
    let t = folder();
    t.run(&["dupes"]).success().stdout_is(
        "id    name          other   other_name      reason\n\
         acme  Acme Trading  acme-2  acme   trading  phone, name\n\
         acme  Acme Trading  globex  Globex          email, phone\n",
    );
}

#[test]
fn dupes_in_csv() {
    let t = folder();
    t.run(&["--format", "csv", "dupes"]).success().stdout_is(
        "id,name,other,other_name,reason\r\n\
         acme,Acme Trading,acme-2,acme   trading,phone;name\r\n\
         acme,Acme Trading,globex,Globex,email;phone\r\n",
    );
    Test::new()
        .file("a.yaml", "name: A\n")
        .run(&["dupes"])
        .success()
        .stdout_empty();
}

#[test]
fn merge_moves_everything_and_notes_the_differences() {
    let t = folder();
    t.run(&["merge", "acme", "acme-2"])
        .success()
        .stdout_empty()
        .stderr_has("merged acme-2 into acme: 1 deals, 1 tasks, 1 interactions moved");
    assert!(!t.exists("east/acme-2.yaml"));
    assert_eq!(
        t.read("acme.yaml"),
        r#"name: Acme Trading
owner: ann
tier: vip
tags: [export, east]
contact:
  email: Buyer@Acme.example
  phone: +86 (571) 000-1
deals:
  - id: erp
    title: ERP
    stage: met
    history:
      - {stage: met, date: 2026-01-05}
  - id: erp-2
    title: ERP phase 2
    stage: needs
    history:
      - {stage: needs, date: 2026-02-05}
tasks:
  - due: 2026-12-01
    what: Call back
interactions:
  - date: 2026-11-01
    kind: call
  - date: 2026-11-02
    kind: purchase
    deal: erp-2
    amount: 100.00
  - date: 2026-11-23
    kind: note
    summary: 'Merged acme-2 (acme   trading) into this customer; its differing values: name: acme   trading; owner: bob'
"#
    );
    t.run(&["check"]).success();
}

#[test]
fn merge_refuses_without_writing() {
    let t = folder().file("commented.yaml", "# mine\nname: Commented\n");
    let before = t.snapshot();
    t.run(&["merge", "acme", "acme"]).bad_input();
    t.run(&["merge", "acme", "nobody"])
        .bad_input()
        .stderr_has("no customer `nobody`");
    t.run(&["merge", "acme", "commented"])
        .bad_input()
        .stderr_has("comments");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn merging_into_a_commented_file_keeps_its_comments() {
    let t = Test::new()
        .today("2026-11-23")
        .file(
            "keep.yaml",
            "# our best customer\nname: Keep   # the legal name\ntags: [a]\n",
        )
        .file("other.yaml", "name: Other\ntags: [b]\n");
    t.run(&["merge", "keep", "other"]).success();
    let text = t.read("keep.yaml");
    assert!(
        text.starts_with("# our best customer\nname: Keep   # the legal name\n"),
        "{text}"
    );
    assert!(text.contains("[a, b]"), "{text}");
    assert!(!t.exists("other.yaml"));
}

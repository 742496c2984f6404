//! The record store and the everyday commands through the real binary:
//! init, add, show, list, set, edit, check, fmt, folder discovery, refusals.

mod util;

use std::fs;

use util::Test;

const XINGHE: &str = "name: 杭州星河贸易有限公司
kind: company
owner: li.wei
tier: vip
tags: [wholesale, east]
contact:
  email: buyer@xinghe.example
  phone: '+86 571 0000 0000'
deals:
  - id: erp-2026
    title: ERP rollout
    value: 50000.00
    stage: proposal
    outcome: open
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: proposal, date: 2026-04-01}
tasks:
  - due: 2026-11-30
    what: Send the signed contract
interactions:
  - date: 2026-11-20
    kind: purchase
    summary: Spring order
    amount: 12000.00
    cost: 300.00
";

const IVANOV: &str = "name: Иванов Пётр
kind: person
owner: anna.petrova
tier: regular
tags: [export]
interactions:
  - date: 2026-10-01
    kind: call
    summary: Asked about prices
";

fn folder() -> Test {
    Test::new()
        .today("2026-11-23")
        .file("杭州星河贸易有限公司.yaml", XINGHE)
        .file("east/иванов-пётр.yaml", IVANOV)
        .file("acme.yaml", "name: Acme Trading\ntags: [retail]\n")
}

#[test]
fn init_creates_a_folder_and_leaves_an_existing_one() {
    let t = Test::bare();
    let dir = t.path().join("customers");
    let dir_s = dir.to_str().expect("utf-8");
    t.run_in(t.path(), &["init", dir_s])
        .success()
        .stdout_empty();
    let config = fs::read_to_string(dir.join("kith.yaml")).expect("kith.yaml");
    assert!(config.contains("# cadence:"), "{config}");
    assert!(dir.join(".kith").is_dir());
    assert_eq!(
        fs::read_to_string(dir.join(".gitignore")).expect("ignore"),
        ".kith/\n"
    );
    fs::write(dir.join("kith.yaml"), "currency: EUR\n").expect("write");
    t.run_in(t.path(), &["init", dir_s]).success();
    assert_eq!(
        fs::read_to_string(dir.join("kith.yaml")).expect("read"),
        "currency: EUR\n"
    );
    assert_eq!(
        fs::read_to_string(dir.join(".gitignore")).expect("ignore"),
        ".kith/\n"
    );
    // The commented defaults are the defaults.
    let t2 = Test::new().config(kith::cmd::init::DEFAULT_CONFIG);
    t2.run(&["check"]).success().stdout_empty();
}

#[test]
fn add_derives_ids_in_any_script_and_prints_only_the_id() {
    let t = Test::new().today("2026-11-23");
    t.run(&["add", "杭州星河贸易有限公司"])
        .success()
        .stdout_is("杭州星河贸易有限公司\n");
    t.run(&["add", "ООО «Северный ветер»"])
        .success()
        .stdout_is("ооо-северный-ветер\n");
    t.run(&["add", "Acme Trading, Ltd."])
        .success()
        .stdout_is("acme-trading-ltd\n");
    t.run(&["add", "ACME trading ltd"])
        .success()
        .stdout_is("acme-trading-ltd-2\n");
    t.run(&[
        "add",
        "Zhang Wei",
        "--id",
        "zhang-wei",
        "--kind",
        "person",
        "--email",
        "zw@example.com",
        "--phone",
        "+86 138 0000 0000",
        "--owner",
        "li.wei",
        "--tag",
        "vip-lead",
        "--tag",
        "east",
        "--source",
        "referral",
        "--tier",
        "prospect",
        "--deal",
        "Office chairs",
        "--value",
        "1200.5",
    ])
    .success()
    .stdout_is("zhang-wei\n");
    assert_eq!(
        t.read("zhang-wei.yaml"),
        "name: Zhang Wei
kind: person
owner: li.wei
source: referral
tier: prospect
tags: [vip-lead, east]
contact:
  email: zw@example.com
  phone: '+86 138 0000 0000'
deals:
  - id: office-chairs
    title: Office chairs
    value: 1200.50
    stage: met
    outcome: open
    history:
      - {stage: met, date: 2026-11-23}
"
    );
}

#[test]
fn add_refuses_bad_input_and_writes_nothing() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    let before = t.snapshot();
    t.run(&["add", "Other", "--id", "acme"])
        .bad_input()
        .stderr_has("already used");
    t.run(&["add", "X", "--id", "../x"])
        .bad_input()
        .stderr_has("not a valid customer id");
    t.run(&["add", "X", "--id", "Upper"])
        .bad_input()
        .stderr_has("lower case");
    t.run(&["add", "X", "--id", "con"])
        .bad_input()
        .stderr_has("Windows");
    t.run(&["add", "   "])
        .bad_input()
        .stderr_has("name is empty");
    t.run(&["add", "X", "--kind", "robot"])
        .bad_input()
        .stderr_has("company, person");
    t.run(&["add", "X", "--deal", "D", "--value", "1.005"])
        .bad_input()
        .stderr_has("two decimals");
    t.run(&["add", "X", "--deal", "D", "--stage", "proposl"])
        .bad_input()
        .stderr_has("did you mean proposal");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn writes_outside_a_kith_folder_are_refused() {
    let t = Test::bare();
    t.run_in(t.path(), &["add", "Acme"]).bad_input().stderr_has(
        "not a kith folder (no kith.yaml here or above): run `kith init` or pass --dir",
    );
    assert!(t.snapshot().is_empty());
}

#[test]
fn the_folder_is_found_from_a_sub_folder() {
    let t = folder();
    let sub = t.path().join("east");
    t.run_in(&sub, &["show", "acme"])
        .success()
        .stdout_has("Acme Trading  (acme)");
    t.run_in(&sub, &["add", "New One"])
        .success()
        .stdout_is("new-one\n");
    assert!(t.exists("new-one.yaml"));
}

#[test]
fn show_prints_the_card() {
    folder()
        .run(&["show", "杭州星河贸易有限公司"])
        .success()
        .stdout_is(
            "杭州星河贸易有限公司  (杭州星河贸易有限公司)
kind: company · owner: li.wei · tier: vip · tags: wholesale, east

  email: buyer@xinghe.example
  phone: +86 571 0000 0000

Deals
  erp-2026  ERP rollout  50,000.00  proposal (Proposal and quote)  open, 236 days in stage

Open tasks
  1. 2026-11-30  Send the signed contract  (in 7 days)

Interactions
  2026-11-20        purchase  Spring order  [12,000.00, cost 300.00]

Revenue 12,000.00 · Cost 300.00 · Profit 11,700.00
Lifecycle new · 1 purchase day, the last 2026-11-20
",
        );
}

#[test]
fn show_refuses_unknown_and_hostile_ids() {
    let t = folder();
    t.run(&["show", "acmee"])
        .bad_input()
        .stderr_has("did you mean acme?");
    for hostile in ["../acme", "a/b", "a\\b", ".kith", "-x", "con", "ACME"] {
        t.run(&["show", "--", hostile])
            .bad_input()
            .stderr_has("not a valid customer id");
    }
}

#[test]
fn list_aligns_cjk_and_writes_csv() {
    let t = folder();
    t.run(&["list"]).success().stdout_is(
"id                    name                  owner         tier     tags             stage     last_contact  next_due      revenue  class  lifecycle
acme                  Acme Trading                                 retail                                                    0.00  none   prospect
иванов-пётр           Иванов Пётр           anna.petrova  regular  export                     2026-10-01                     0.00  none   prospect
杭州星河贸易有限公司  杭州星河贸易有限公司  li.wei        vip      wholesale, east  proposal  2026-11-20    2026-11-30  12,000.00  A      new
"
    );
    t.run(&["list", "--format", "csv"]).success().stdout_is(
        "id,name,owner,tier,tags,stage,last_contact,next_due,revenue,class,lifecycle\r\n\
acme,Acme Trading,,,retail,,,,0.00,none,prospect\r\n\
иванов-пётр,Иванов Пётр,anna.petrova,regular,export,,2026-10-01,,0.00,none,prospect\r\n\
杭州星河贸易有限公司,杭州星河贸易有限公司,li.wei,vip,wholesale;east,proposal,2026-11-20,2026-11-30,12000.00,A,new\r\n",
    );
}

#[test]
fn list_filters() {
    let t = folder();
    t.run(&["list", "--format", "ids", "--tag", "export"])
        .success()
        .stdout_is("иванов-пётр\n");
    t.run(&["list", "--format", "ids", "--owner", "li.wei"])
        .success()
        .stdout_is("杭州星河贸易有限公司\n");
    t.run(&["list", "--format", "ids", "--tier", "regular"])
        .success()
        .stdout_is("иванов-пётр\n");
    t.run(&["list", "--format", "ids", "--stage", "proposal"])
        .success()
        .stdout_is("杭州星河贸易有限公司\n");
    t.run(&["list", "--format", "ids", "--search", "SPRING"])
        .success()
        .stdout_is("杭州星河贸易有限公司\n");
    t.run(&["list", "--format", "ids", "--search", "пётр"])
        .success()
        .stdout_is("иванов-пётр\n");
    t.run(&["list", "--tag", "nothing"])
        .success()
        .stdout_empty();
    t.run(&["list", "--format", "json", "--tag", "nothing"])
        .success()
        .stdout_is("[]\n");
    t.run(&["list", "--tier", "gold"]).bad_input();
    t.run(&["list", "--stage", "nope"]).bad_input();
}

#[test]
fn a_broken_file_is_named_and_the_report_still_printed() {
    let t = folder().file("west/broken.yaml", "name: [unclosed\n");
    let r = t.run(&["list", "--format", "ids"]);
    r.code(2)
        .stdout_is("acme\nиванов-пётр\n杭州星河贸易有限公司\n");
    assert!(
        r.stderr
            .contains("broken.yaml:1:7: name: invalid type: sequence"),
        "{}",
        r.stderr
    );
}

#[test]
fn set_changes_fields_by_path() {
    let t = folder();
    t.run(&[
        "set",
        "--new",
        "acme",
        "contact.email=buyer@acme.example",
        "tier=vip",
        "tags+=export",
        "tags-=retail",
        "profile.birthday=--03-14",
        "crm.legacy_id=X-17",
        "contact.social.wechat=acme_cn",
        "acquisition_cost=800",
        "relationship=partnership",
    ])
    .success()
    .stdout_empty();
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme Trading
tier: vip
relationship: partnership
tags: [export]
contact:
  email: buyer@acme.example
  social:
    wechat: acme_cn
profile:
  birthday: --03-14
acquisition_cost: 800.00
crm:
  legacy_id: X-17
"
    );
    t.run(&["set", "acme", "crm.legacy_id=", "tier=", "tags="])
        .success();
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme Trading
relationship: partnership
contact:
  email: buyer@acme.example
  social:
    wechat: acme_cn
profile:
  birthday: --03-14
acquisition_cost: 800.00
"
    );
}

#[test]
fn set_refuses_bad_values_and_writes_nothing() {
    let t = folder();
    let before = t.snapshot();
    for bad in [
        "tier=gold",
        "acquisition_cost=1.005",
        "acquisition_cost=NaN",
        "profile.birthday=2026-02-30",
        "deals=x",
        "name=",
        "novalue",
        "id=other",
        "kind=robot",
    ] {
        t.run(&["set", "acme", bad]).bad_input();
    }
    t.run(&["set", "nobody", "tier=vip"]).bad_input();
    assert_eq!(t.snapshot(), before);
}

#[test]
fn comments_are_kept_and_files_with_parse_errors_never_rewritten() {
    let t = folder()
        .file(
            "commented.yaml",
            "# prefers calls after 3pm\nname: Commented\n",
        )
        .file("broken.yaml", "name: Broken\ntier: [\n");
    t.run(&["set", "commented", "tier=vip"]).success();
    assert_eq!(
        t.read("commented.yaml"),
        "# prefers calls after 3pm\nname: Commented\ntier: vip\n"
    );
    let before = t.snapshot();
    t.run(&["set", "broken", "tier=vip"])
        .bad_input()
        .stderr_has("broken.yaml:2:7: tier: invalid type");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn fmt_skips_comments_unless_forced() {
    let t = Test::new().file("c.yaml", "# a note\ntags: [b]\nname: C\n");
    t.run(&["fmt"])
        .code(2)
        .stderr_has("would drop 1 comment; add --force");
    assert_eq!(t.read("c.yaml"), "# a note\ntags: [b]\nname: C\n");
    t.run(&["fmt", "--force"]).success();
    assert_eq!(t.read("c.yaml"), "name: C\ntags: [b]\n");
}

#[test]
fn fmt_check_lists_non_canonical_and_broken_files() {
    let t = Test::new()
        .file("ok.yaml", "name: OK\n")
        .file("loose.yaml", "name: \"Loose\"\n")
        .file("bad.yaml", "name: [\n");
    let r = t.run(&["fmt", "--check"]);
    r.code(1)
        .stdout_is(&format!("{}\n", t.path().join("loose.yaml").display()));
    assert!(r.stderr.contains("bad.yaml:"), "{}", r.stderr);
}

#[test]
fn check_locates_every_problem() {
    let t = Test::new()
        .file("ok.yaml", "name: OK\n")
        .file("tab.yaml", "name: T\ncontact:\n\temail: x\n")
        .file("dup.yaml", "name: D\nowner: a\nowner: b\n")
        .file(
            "date.yaml",
            "name: D\ntasks:\n  - due: 2026-02-30\n    what: x\n",
        )
        .file("cents.yaml", "name: C\nacquisition_cost: 1.005\n")
        .file(
            "stage.yaml",
            "name: S\ndeals:\n  - id: d\n    stage: proposl\n",
        )
        .file(
            "kind.yaml",
            "name: K\ninteractions:\n  - date: 2026-01-01\n    kind: telepathy\n",
        )
        .file("noname.yaml", "owner: x\n")
        .file("idkey.yaml", "id: other\nname: I\n")
        .file("list.yaml", "- a\n- b\n")
        .file("number.yaml", "name: 12345\n")
        .file(
            "conflict.yaml",
            "name: C\n<<<<<<< ours\nowner: a\n=======\nowner: b\n>>>>>>> theirs\n",
        )
        .file("east/ok.yaml", "name: Duplicate id\n");
    let r = t.run(&["check"]);
    r.code(1);
    let p = t.path().display().to_string();
    let lines: Vec<String> = r.stdout.lines().map(|l| l.replace(&p, "DIR")).collect();
    let expect = [
        "DIR/cents.yaml:2:19: acquisition_cost: `1.005` has more than two decimals; amounts are exact to the cent",
        "DIR/conflict.yaml:2:1: an unresolved git conflict marker",
        "DIR/date.yaml:3:10: tasks[0].due: `2026-02-30` is not a real calendar date",
        "DIR/dup.yaml:3:1: the key `owner` appears twice in this map; keep one",
        "DIR/east/ok.yaml:1:1: the id `ok` is also used by",
        "DIR/idkey.yaml:1:5: id: `other` does not match the file name `idkey`",
        "DIR/kind.yaml:4:11: interactions[0].kind: `telepathy` is not an interaction kind",
        "DIR/list.yaml:1:1: invalid type: sequence, expected a customer record (a map of keys)",
        "DIR/noname.yaml:1:1: the record has no `name:`",
        "DIR/number.yaml:1:7: name: expected text, found the number 12345; quote it so it stays text: '12345'",
        "DIR/stage.yaml:4:12: deals[0].stage: `proposl` is not a stage of the funnel",
        "DIR/tab.yaml:3:1: a tab indents this line",
    ];
    assert_eq!(lines.len(), expect.len(), "{}", r.stdout);
    for (line, want) in lines.iter().zip(expect) {
        assert!(
            line.starts_with(want),
            "{line}\n  should start with\n{want}"
        );
    }
}

#[test]
fn check_names_a_broken_kith_yaml_and_goes_on() {
    let t = Test::new()
        .config("currency: CNY\nsegments: {a: 1.5}\n")
        .file("bad.yaml", "name: [\n");
    let r = t.run(&["check"]);
    r.code(1);
    assert!(
        r.stdout
            .contains("kith.yaml:2:15: segments.a: `1.5` is not a fraction"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("bad.yaml:1:7"), "{}", r.stdout);
    t.run(&["list"]).bad_input().stderr_has("kith.yaml:2:15");
}

#[test]
fn edit_keeps_a_valid_edit_and_refuses_an_invalid_one() {
    let t = folder();
    let editor = t.path().join("fake-editor.sh");
    fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/Acme Trading/Acme Trading Co/' \"$1\"\n",
    )
    .expect("editor");
    let bad_editor = t.path().join("bad-editor.sh");
    fs::write(&bad_editor, "#!/bin/sh\nprintf 'name: [\\n' > \"$1\"\n").expect("editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for e in [&editor, &bad_editor] {
            fs::set_permissions(e, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }
    let mut cmd = t.command(&["edit", "acme"]);
    cmd.env("EDITOR", &editor);
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme Trading Co\ntags: [retail]\n"
    );
    let mut cmd = t.command(&["edit", "acme"]);
    cmd.env("EDITOR", &bad_editor);
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is unchanged; your version is kept in"));
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme Trading Co\ntags: [retail]\n"
    );
    t.run(&["edit", "acme"]).bad_input().stderr_has("$EDITOR");
}

#[test]
fn twenty_concurrent_writers_keep_every_change() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    let children: Vec<_> = (0..20)
        .map(|n| {
            t.command(&["set", "--new", "acme", &format!("k{n:02}=v{n}")])
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let text = t.read("acme.yaml");
    for n in 0..20 {
        assert!(
            text.contains(&format!("k{n:02}: v{n}\n")),
            "k{n:02} missing:\n{text}"
        );
    }
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn global_options_are_checked() {
    let t = folder();
    t.run(&["--today", "2026-02-30", "list"]).bad_input();
    t.run(&["--today", "soon", "list"]).bad_input();
    t.run(&["--format", "xml", "list"]).code(2);
    t.run(&["--dir", "/nonexistent/kith", "list"]).code(2);
    t.run(&["--today", "yesterday", "show", "acme"]).success();
    t.run(&["-q", "--color", "never", "list", "--format", "ids"])
        .success();
}

#[test]
fn completions_and_man_page() {
    let t = Test::bare();
    t.run(&["completions", "bash"])
        .success()
        .stdout_has("_kith()");
    t.run(&["completions", "zsh"])
        .success()
        .stdout_has("#compdef kith");
    t.run(&["man"]).success().stdout_has(".TH kith");
}

#[test]
fn sub_folder_customers_are_found_through_the_index_and_after_a_move() {
    let t = folder().file("west/broken.yaml", "name: [\n");
    // The first lookup walks and writes the index; later ones read it.
    t.run(&["show", "иванов-пётр"])
        .success()
        .stdout_has("Иванов Пётр");
    assert!(t.path().join(".kith/index").is_dir());
    t.run(&["set", "иванов-пётр", "tier=vip"]).success();
    // Moved by hand: the stale entry is not trusted, the walk finds it.
    fs::create_dir_all(t.path().join("north")).expect("mkdir");
    fs::rename(
        t.path().join("east/иванов-пётр.yaml"),
        t.path().join("north/иванов-пётр.yaml"),
    )
    .expect("move");
    t.run(&["show", "иванов-пётр"])
        .success()
        .stdout_has("tier: vip");
    t.run(&["show", "nobody"])
        .bad_input()
        .stderr_has("no customer `nobody`");
}

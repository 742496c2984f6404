//! `kith merge-file BASE OURS THEIRS` run directly on three files, as git
//! runs it: the result lands in OURS.

mod util;
use util::Test;

const BASE: &str = "\
name: Acme
owner: li.wei
interactions:
  - date: 2026-11-01
    kind: call
";

/// A folder holding the three versions: OURS is `acme.yaml`, the others are
/// hidden (as git's temporary files are), so only OURS is a customer.
fn three(base: &str, ours: &str, theirs: &str) -> Test {
    Test::new()
        .today("2026-11-23")
        .file(".base.yaml", base)
        .file("acme.yaml", ours)
        .file(".theirs.yaml", theirs)
}

fn merge_file(t: &Test) -> util::Run {
    let p = |name: &str| t.path().join(name).display().to_string();
    t.run(&[
        "merge-file",
        &p(".base.yaml"),
        &p("acme.yaml"),
        &p(".theirs.yaml"),
    ])
}

#[test]
fn calls_logged_on_both_sides_merge_into_ours_canonically() {
    let ours = format!("{BASE}  - date: 2026-11-20\n    kind: call\n    summary: 报价\n");
    let theirs = format!("{BASE}  - {{date: 2026-11-20, kind: visit, by: wang.fang}}\n");
    let t = three(BASE, &ours, &theirs);
    merge_file(&t).success().stdout_empty();
    assert_eq!(
        t.read("acme.yaml"),
        format!(
            "{BASE}  - date: 2026-11-20\n    kind: call\n    summary: 报价\n  - date: 2026-11-20\n    kind: visit\n    by: wang.fang\n"
        )
    );
    assert_eq!(t.run(&["fmt", "--check"]).stdout, "");
}

#[test]
fn the_result_does_not_depend_on_which_side_is_ours() {
    let a = format!("{BASE}  - date: 2026-11-20\n    kind: email\n")
        .replace("owner: li.wei\n", "owner: li.wei\ntags: [east]\n");
    let b = format!("{BASE}  - date: 2026-11-20\n    kind: call\n")
        .replace("name: Acme\n", "name: Acme\nkind: company\n");
    let ab = three(BASE, &a, &b);
    let ba = three(BASE, &b, &a);
    merge_file(&ab).success();
    merge_file(&ba).success();
    assert_eq!(ab.read("acme.yaml"), ba.read("acme.yaml"));
}

#[test]
fn a_conflict_marks_that_field_only_exits_1_and_check_names_the_line() {
    let ours =
        format!("{BASE}  - date: 2026-11-20\n    kind: call\n").replace("li.wei", "wang.fang");
    let theirs = BASE.replace("li.wei", "zhao.min");
    let t = three(BASE, &ours, &theirs);
    merge_file(&t)
        .code(1)
        .stdout_empty()
        .stderr_has("changed differently on both sides: owner;");
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme\n<<<<<<< ours\nowner: wang.fang\n=======\nowner: zhao.min\n>>>>>>> theirs\n\
         interactions:\n  - date: 2026-11-01\n    kind: call\n  - date: 2026-11-20\n    kind: call\n"
    );
    t.run(&["check"])
        .code(1)
        .stdout_has("acme.yaml:2:1: an unresolved git conflict marker");
}

#[test]
fn an_empty_base_is_a_two_way_merge() {
    let ours = format!("{BASE}  - date: 2026-11-02\n    kind: email\n");
    let theirs = format!("{BASE}  - date: 2026-11-03\n    kind: visit\n");
    let t = three("", &ours, &theirs);
    merge_file(&t).success();
    // The call both sides created is kept once.
    assert_eq!(
        t.read("acme.yaml"),
        format!("{ours}  - date: 2026-11-03\n    kind: visit\n")
    );
}

#[test]
fn the_id_key_and_stages_unknown_to_the_folder_are_accepted() {
    let base = "id: acme\nname: Acme\ndeals:\n  - id: x\n    stage: 谈判\n";
    let ours = "id: acme\nname: Acme\nowner: li\ndeals:\n  - id: x\n    stage: 谈判\n";
    let theirs = "id: acme\nname: Acme\ndeals:\n  - id: x\n    title: ERP\n    stage: 谈判\n";
    let t =
        three(base, ours, theirs).config("funnel:\n  - {id: met, label: Met, probability: 0.05}\n");
    merge_file(&t).success();
    assert_eq!(
        t.read("acme.yaml"),
        "id: acme\nname: Acme\nowner: li\ndeals:\n  - id: x\n    title: ERP\n    stage: 谈判\n"
    );
}

#[test]
fn a_broken_side_falls_back_to_git_text_merge_and_says_so() {
    let ours = BASE.replace("owner: li.wei", "owner: [li.wei");
    let theirs = format!("{BASE}  - date: 2026-11-20\n    kind: call\n");
    let t = three(BASE, &ours, &theirs);
    merge_file(&t)
        .code(1)
        .stderr_has("our version does not parse (2:8:")
        .stderr_has("merged the lines, but the result is not a valid record");
    // Git's line merge: both changes, nothing lost, nothing rewritten by kith.
    assert_eq!(
        t.read("acme.yaml"),
        format!("{ours}  - date: 2026-11-20\n    kind: call\n")
    );
}

#[test]
fn conflicting_lines_in_a_broken_file_get_git_markers() {
    let ours = BASE.replace("owner: li.wei", "owner: [li.wei");
    let theirs = BASE.replace("owner: li.wei", "owner: zhao.min");
    let t = three(BASE, &ours, &theirs);
    merge_file(&t).code(1).stderr_has("with conflict markers");
    assert!(
        t.read("acme.yaml")
            .contains("<<<<<<< ours\nowner: [li.wei\n=======\nowner: zhao.min\n>>>>>>> theirs\n")
    );
}

#[test]
fn comments_are_kept_by_merging_as_text() {
    let base = format!("# key account\n{BASE}");
    let ours = base.replace("li.wei", "wang.fang");
    let theirs = format!("{base}  - date: 2026-11-20\n    kind: call\n");
    let t = three(&base, &ours, &theirs);
    merge_file(&t)
        .success()
        .stderr_has("the base version holds comments (line 1)")
        .stderr_has("merged as text by git merge-file");
    assert_eq!(
        t.read("acme.yaml"),
        format!("{ours}  - date: 2026-11-20\n    kind: call\n")
    );
}

#[test]
fn a_missing_input_is_bad_usage_and_writes_nothing() {
    let t = Test::new().file("acme.yaml", BASE);
    let before = t.snapshot();
    let acme = t.path().join("acme.yaml").display().to_string();
    t.run(&["merge-file", "/nonexistent/base", &acme, &acme])
        .bad_input()
        .stderr_has("/nonexistent/base: cannot read");
    assert_eq!(t.snapshot(), before);
}

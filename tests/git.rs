//! The merge driver and its set-up with real git: two clones of one
//! repository change the same customer, then one pulls.
//!
//! Git runs with a temporary HOME and no system config, so the host's
//! settings do not leak in; the kith under test is first on PATH, as an
//! installed kith would be.

mod util;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use util::Run;

const ACME: &str = "\
name: Acme
owner: li.wei
deals:
  - id: erp
    stage: needs
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: needs, date: 2026-03-10}
interactions:
  - date: 2026-11-01
    kind: call
";

/// Two clones, `a` and `b`, of a bare `origin`, with a customer folder
/// `customers/` holding `acme.yaml`: `a` made it with `kith init --git`,
/// `b` ran `kith git-setup` after cloning.
struct Team {
    dir: tempfile::TempDir,
    path: OsString,
}

impl Team {
    fn new() -> Team {
        let t = Team::bare();
        t.git(t.root(), &["init", "-q", "--bare", "origin.git"]);
        t.git(t.root(), &["clone", "-q", "origin.git", "a"]);
        t.kith(&t.at("a"), &["init", "customers", "--git"])
            .success();
        t.write("a", ACME);
        t.git(&t.at("a"), &["add", "-A"]);
        t.git(&t.at("a"), &["commit", "-q", "-m", "Acme"]);
        t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
        t.git(t.root(), &["clone", "-q", "origin.git", "b"]);
        t.kith(&t.at("b/customers"), &["git-setup"]).success();
        t
    }

    /// A temporary HOME with only a user name and the branch name set.
    fn bare() -> Team {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().join("home");
        fs::create_dir_all(&home).expect("mkdir home");
        fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n",
        )
        .expect("write .gitconfig");
        let bin = Path::new(env!("CARGO_BIN_EXE_kith"))
            .parent()
            .expect("bin dir")
            .to_path_buf();
        let mut dirs = vec![bin];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).expect("PATH");
        Team { dir, path }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn at(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn command(&self, program: &str, cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        let home = self.at("home");
        cmd.current_dir(cwd)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_MERGE_AUTOEDIT", "no")
            .env("GIT_EDITOR", "true")
            .env("PATH", &self.path)
            .env("NO_COLOR", "1")
            .env("KITH_TODAY", "2026-11-23");
        for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "KITH_DIR"] {
            cmd.env_remove(var);
        }
        cmd
    }

    fn run(&self, program: &str, cwd: &Path, args: &[&str]) -> Run {
        Run::from(self.command(program, cwd).args(args).output().expect("run"))
    }

    /// Runs git, which must succeed; its stdout.
    fn git(&self, cwd: &Path, args: &[&str]) -> String {
        self.run("git", cwd, args).success().stdout.clone()
    }

    fn kith(&self, cwd: &Path, args: &[&str]) -> Run {
        self.run(env!("CARGO_BIN_EXE_kith"), cwd, args)
    }

    /// Writes `acme.yaml` in clone `side`.
    fn write(&self, side: &str, text: &str) {
        fs::write(self.at(side).join("customers/acme.yaml"), text).expect("write acme");
    }

    fn read(&self, side: &str) -> String {
        fs::read_to_string(self.at(side).join("customers/acme.yaml")).expect("read acme")
    }

    fn commit(&self, side: &str, message: &str) {
        self.git(&self.at(side), &["commit", "-q", "-a", "-m", message]);
    }

    /// `a` commits and pushes `theirs`; `b` commits `ours`.
    fn diverge(&self, ours: &str, theirs: &str) {
        self.write("a", theirs);
        self.commit("a", "theirs");
        self.git(&self.at("a"), &["push", "-q", "origin", "main"]);
        self.write("b", ours);
        self.commit("b", "ours");
    }

    fn pull(&self, how: &str) -> Run {
        self.run("git", &self.at("b"), &["pull", "-q", how, "origin", "main"])
    }
}

fn logged(call: &str) -> String {
    format!("{ACME}{call}")
}

const LI_CALL: &str =
    "  - date: 2026-11-20\n    kind: call\n    summary: Quote sent\n    by: li.wei\n";
const WANG_CALL: &str =
    "  - date: 2026-11-20\n    kind: call\n    summary: 问了交期\n    by: wang.fang\n";

#[track_caller]
fn assert_both_calls_canonical(t: &Team) {
    // Two calls of one day: in the order of their canonical text, where the
    // summaries differ first ('Q' sorts before '问').
    assert_eq!(t.read("b"), format!("{ACME}{LI_CALL}{WANG_CALL}"));
    t.kith(&t.at("b/customers"), &["fmt", "--check"])
        .success()
        .stdout_empty();
    assert_eq!(t.git(&t.at("b"), &["status", "--porcelain"]), "");
}

#[test]
fn calls_logged_in_two_clones_merge_cleanly_by_git_merge() {
    let t = Team::new();
    t.diverge(&logged(WANG_CALL), &logged(LI_CALL));
    t.pull("--no-rebase").success();
    assert_both_calls_canonical(&t);
    let parents = t.git(&t.at("b"), &["log", "-1", "--format=%P"]);
    assert_eq!(parents.split_whitespace().count(), 2, "a merge commit");
}

#[test]
fn calls_logged_in_two_clones_merge_cleanly_by_pull_rebase() {
    let t = Team::new();
    t.diverge(&logged(WANG_CALL), &logged(LI_CALL));
    t.pull("--rebase").success();
    assert_both_calls_canonical(&t);
    let parents = t.git(&t.at("b"), &["log", "-1", "--format=%P"]);
    assert_eq!(parents.split_whitespace().count(), 1, "a rebased commit");
}

#[test]
fn edits_to_different_fields_merge_cleanly() {
    let t = Team::new();
    t.kith(
        &t.at("a/customers"),
        &["set", "acme", "contact.email=buyer@acme.example"],
    )
    .success();
    t.commit("a", "email");
    t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
    t.kith(
        &t.at("b/customers"),
        &["set", "acme", "tags=east,vip", "owner=wang.fang"],
    )
    .success();
    t.commit("b", "owner");
    t.pull("--no-rebase").success();
    assert_eq!(
        t.read("b"),
        ACME.replace(
            "owner: li.wei\n",
            "owner: wang.fang\ntags: [east, vip]\ncontact:\n  email: buyer@acme.example\n"
        )
    );
}

#[test]
fn one_field_changed_differently_conflicts_on_that_field_only() {
    let t = Team::new();
    let ours = logged(WANG_CALL).replace("owner: li.wei", "owner: wang.fang");
    let theirs = ACME.replace("owner: li.wei", "owner: zhao.min");
    t.diverge(&ours, &theirs);
    let pull = t.pull("--no-rebase");
    assert_ne!(pull.code, 0, "the pull reports the conflict");
    assert!(
        pull.stderr
            .contains("changed differently on both sides: owner;"),
        "{}",
        pull.stderr
    );
    assert!(
        pull.stdout
            .contains("Merge conflict in customers/acme.yaml"),
        "{}",
        pull.stdout
    );
    assert_eq!(
        t.read("b"),
        format!(
            "name: Acme\n<<<<<<< ours\nowner: wang.fang\n=======\nowner: zhao.min\n>>>>>>> theirs\n{}{WANG_CALL}",
            ACME.split_once("owner: li.wei\n").expect("owner line").1
        )
    );
    t.kith(&t.at("b/customers"), &["check"])
        .code(1)
        .stdout_has("acme.yaml:2:1: an unresolved git conflict marker");
    // Even once added, the pre-commit hook keeps the markers out of history.
    t.git(&t.at("b"), &["add", "customers/acme.yaml"]);
    let commit = t.run("git", &t.at("b"), &["commit", "--no-edit"]);
    assert_ne!(commit.code, 0);
    assert!(
        commit.stderr.contains("kith check found problems"),
        "{}",
        commit.stderr
    );
}

#[test]
fn a_deal_advanced_in_one_clone_and_logged_in_the_other_merges() {
    let t = Team::new();
    let advanced = ACME.replace("stage: needs\n", "stage: proposal\n").replace(
        "      - {stage: needs, date: 2026-03-10}\n",
        "      - {stage: needs, date: 2026-03-10}\n      - {stage: proposal, date: 2026-04-01}\n",
    );
    let call = "  - date: 2026-11-21\n    kind: call\n    deal: erp\n";
    t.diverge(&logged(call), &advanced);
    t.pull("--no-rebase").success();
    assert_eq!(t.read("b"), format!("{advanced}{call}"));
}

#[test]
fn a_file_broken_in_one_clone_falls_back_to_git_text_merge() {
    let t = Team::new();
    let broken = ACME.replace("owner: li.wei", "owner: [li.wei");
    t.write("a", &broken);
    // The hook refuses the broken file; the author forces it through.
    let refused = t.run("git", &t.at("a"), &["commit", "-q", "-a", "-m", "broken"]);
    assert_ne!(refused.code, 0);
    t.git(
        &t.at("a"),
        &["commit", "-q", "-a", "--no-verify", "-m", "broken"],
    );
    t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
    t.write("b", &logged(WANG_CALL));
    t.commit("b", "call");
    let pull = t.pull("--no-rebase");
    assert_ne!(pull.code, 0, "left for a person to look at");
    assert!(
        pull.stderr.contains("their version does not parse (2:8:"),
        "{}",
        pull.stderr
    );
    // Git's line merge: both changes, nothing lost.
    assert_eq!(t.read("b"), format!("{broken}{WANG_CALL}"));
}

#[test]
fn git_setup_sets_attributes_driver_and_hook_and_is_idempotent() {
    let t = Team::new();
    let b = t.at("b");
    assert_eq!(
        fs::read_to_string(b.join("customers/.gitattributes")).expect("attributes"),
        "# Customer records merge with kith's driver (kith git-setup); kith.yaml as text.\n\
         *.yaml merge=kith\n*.yml merge=kith\n/kith.yaml merge=text\n"
    );
    assert_eq!(
        t.git(&b, &["config", "merge.kith.driver"]),
        "kith merge-file %O %A %B\n"
    );
    assert_eq!(
        t.git(&b, &["config", "merge.kith.name"]),
        "kith: three-way merge of customer records\n"
    );
    assert_eq!(
        t.git(
            &b,
            &[
                "check-attr",
                "merge",
                "customers/acme.yaml",
                "customers/east/wang.yml",
                "customers/kith.yaml",
                "customers/east/kith.yaml",
                "README.yaml",
            ],
        ),
        "customers/acme.yaml: merge: kith\ncustomers/east/wang.yml: merge: kith\n\
         customers/kith.yaml: merge: text\ncustomers/east/kith.yaml: merge: kith\n\
         README.yaml: merge: unspecified\n"
    );
    let hook = b.join(".git/hooks/pre-commit");
    let script = fs::read_to_string(&hook).expect("hook");
    assert!(
        script.contains("\nkith --dir customers check || {"),
        "{script}"
    );
    let before = [
        fs::read(b.join("customers/.gitattributes")).expect("read"),
        fs::read(b.join(".git/config")).expect("read"),
        fs::read(&hook).expect("read"),
    ];
    t.kith(&b.join("customers"), &["git-setup"])
        .success()
        .stderr_has("already in place");
    let after = [
        fs::read(b.join("customers/.gitattributes")).expect("read"),
        fs::read(b.join(".git/config")).expect("read"),
        fs::read(&hook).expect("read"),
    ];
    assert_eq!(before, after);
}

#[test]
fn an_existing_pre_commit_hook_is_kept_and_the_line_to_add_shown() {
    let t = Team::bare();
    t.git(t.root(), &["init", "-q", "repo"]);
    let repo = t.at("repo");
    let hook = repo.join(".git/hooks/pre-commit");
    fs::write(&hook, "#!/bin/sh\necho mine\n").expect("write hook");
    t.kith(&repo, &["init", "crm", "--git"])
        .success()
        .stderr_has("a pre-commit hook exists already and was left as it is")
        .stderr_has("add this line to it: kith --dir crm check ||");
    assert_eq!(
        fs::read_to_string(&hook).expect("hook"),
        "#!/bin/sh\necho mine\n"
    );
}

#[test]
fn init_git_starts_a_repository_when_there_is_none() {
    let t = Team::bare();
    t.kith(t.root(), &["init", "crm", "--git"])
        .success()
        .stderr_has("started a git repository in crm");
    let crm = t.at("crm");
    assert!(crm.join(".git").is_dir());
    assert_eq!(
        t.git(&crm, &["config", "merge.kith.driver"]),
        "kith merge-file %O %A %B\n"
    );
    let script = fs::read_to_string(crm.join(".git/hooks/pre-commit")).expect("hook");
    assert!(script.contains("\nkith --dir . check || {"), "{script}");
}

#[test]
fn git_setup_outside_a_repository_says_what_to_do() {
    let t = Team::bare();
    t.kith(t.root(), &["init", "crm"]).success();
    t.kith(&t.at("crm"), &["git-setup"])
        .bad_input()
        .stderr_has("not inside a git repository; clone the team's repository");
    assert!(!t.at("crm/.gitattributes").exists());
}

#[test]
fn the_driver_names_the_binary_when_kith_is_not_on_path() {
    let mut t = Team::bare();
    // PATH: only the folder holding git.
    let git_dir = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|d| d.join("git").is_file())
        .expect("git on PATH");
    assert!(
        !git_dir.join("kith").exists(),
        "a kith beside git hides this case"
    );
    t.path = git_dir.into_os_string();
    t.git(t.root(), &["init", "-q", "repo"]);
    t.kith(&t.at("repo"), &["init", ".", "--git"]).success();
    let exe = fs::canonicalize(env!("CARGO_BIN_EXE_kith")).expect("exe");
    let driver = t.git(&t.at("repo"), &["config", "merge.kith.driver"]);
    let exe = exe.display().to_string();
    assert!(
        driver == format!("{exe} merge-file %O %A %B\n")
            || driver == format!("'{exe}' merge-file %O %A %B\n"),
        "{driver}"
    );
}

/// Both clones start from ACME with `extra` added, committed in `a` and
/// pulled by `b`.
fn team_with(extra: &str) -> Team {
    let t = Team::new();
    t.write("a", &logged(extra));
    t.commit("a", "start");
    t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
    t.pull("--no-rebase").success();
    t
}

const PURCHASE: &str = "  - date: 2026-11-20\n    kind: purchase\n    summary: Big order\n    \
                        amount: 1200.00\n";

fn revenue(t: &Team) -> String {
    let list = t.kith(&t.at("b/customers"), &["list", "--format", "csv"]);
    let list = list.success();
    let mut lines = list.stdout.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("acme").split(',').collect();
    let at = header
        .iter()
        .position(|c| *c == "revenue")
        .expect("revenue");
    row[at].to_string()
}

#[test]
fn a_purchase_edited_in_two_clones_stays_one_purchase() {
    for how in ["--no-rebase", "--rebase"] {
        let t = team_with(PURCHASE);
        let amount = logged(&PURCHASE.replace("1200.00", "1500.00"));
        let summary = logged(&PURCHASE.replace("Big order", "Big order (invoice 42)"));
        t.diverge(&amount, &summary);
        t.pull(how).success();
        assert_eq!(
            t.read("b"),
            logged(
                "  - date: 2026-11-20\n    kind: purchase\n    summary: Big order (invoice 42)\n    \
                 amount: 1500.00\n"
            ),
            "{how}"
        );
        assert_eq!(revenue(&t), "1500.00", "{how}");
        t.kith(&t.at("b/customers"), &["check"])
            .success()
            .stdout_empty();
    }
}

#[test]
fn one_amount_changed_differently_in_two_clones_conflicts_on_that_purchase_only() {
    let t = team_with(&format!("{PURCHASE}  - date: 2026-11-21\n    kind: call\n"));
    let ours = t
        .read("b")
        .replace("1200.00", "1500.00")
        .replace("owner: li.wei", "owner: wang.fang");
    let theirs = t.read("b").replace("1200.00", "1300.00");
    t.diverge(&ours, &theirs);
    let pull = t.pull("--no-rebase");
    assert_ne!(pull.code, 0, "the pull reports the conflict");
    assert!(
        pull.stderr.contains(
            "changed differently on both sides: interactions[2026-11-20 purchase].amount;"
        ),
        "{}",
        pull.stderr
    );
    let text = t.read("b");
    assert!(
        text.contains(
            "    summary: Big order\n<<<<<<< ours\n    amount: 1500.00\n=======\n    \
             amount: 1300.00\n>>>>>>> theirs\n  - date: 2026-11-21\n"
        ),
        "{text}"
    );
    assert!(text.starts_with("name: Acme\nowner: wang.fang\n"), "{text}");
    let line = text
        .lines()
        .position(|l| l.starts_with("<<<<<<<"))
        .expect("a marker")
        + 1;
    t.kith(&t.at("b/customers"), &["check"])
        .code(1)
        .stdout_has(&format!(
            "acme.yaml:{line}:1: an unresolved git conflict marker"
        ));
}

#[test]
fn a_task_done_in_one_clone_and_redated_in_the_other_is_one_done_task() {
    let t = Team::new();
    t.kith(
        &t.at("a/customers"),
        &["task", "acme", "Send the contract", "--due", "2026-11-30"],
    )
    .success()
    .stderr_has("acme: task 1 due 2026-11-30");
    t.commit("a", "task");
    t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
    t.pull("--no-rebase").success();
    t.kith(
        &t.at("a/customers"),
        &["done", "acme", "1", "--date", "2026-11-24"],
    )
    .success();
    t.commit("a", "done");
    t.git(&t.at("a"), &["push", "-q", "origin", "main"]);
    let redated = t.read("b").replace("due: 2026-11-30", "due: 2026-12-04");
    t.write("b", &redated);
    t.commit("b", "re-dated");
    t.pull("--no-rebase").success();
    assert_eq!(
        t.read("b"),
        ACME.replace(
            "interactions:\n",
            "tasks:\n  - number: 1\n    due: 2026-12-04\n    what: Send the contract\n    \
             done: 2026-11-24\ninteractions:\n"
        )
    );
    let show = t.kith(&t.at("b/customers"), &["show", "acme"]);
    assert!(
        !show.success().stdout.contains("Open tasks"),
        "{}",
        show.stdout
    );
}

//! Hostile and broken input: every case is refused with a one-line message
//! naming the file (exit 2, or 1 for `check`), and no file changes.

mod util;

use std::fs;

use util::Test;

/// The hostile files, by name, and a fragment of the message each gets.
fn hostile_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut bomb =
        String::from("name: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        bomb.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
        prev = c;
    }
    let deep = format!(
        "name: deep\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    vec![
        ("bomb", bomb.into_bytes(), "alias bomb"),
        ("deep", deep.into_bytes(), "nested more than 128 levels"),
        (
            "utf8",
            b"name: caf\xe9\n".to_vec(),
            "1:10: the file is not valid UTF-8",
        ),
        (
            "nulbyte",
            b"name: a\x00b\n".to_vec(),
            "1:8: the file holds a NUL byte",
        ),
        (
            "tab",
            b"name: T\ncontact:\n\temail: x\n".to_vec(),
            "3:1: a tab indents this line",
        ),
        (
            "dupkey",
            b"name: D\nname: E\n".to_vec(),
            "2:1: the key `name` appears twice",
        ),
        (
            "list",
            b"- a\n- b\n".to_vec(),
            "1:1: invalid type: sequence, expected a customer record",
        ),
        (
            "scalar",
            b"just text\n".to_vec(),
            "1:1: invalid type: string",
        ),
        ("empty", b"".to_vec(), "1:1: the file holds no record"),
        (
            "comments",
            b"# only\n# comments\n".to_vec(),
            "1:1: the file holds no record",
        ),
        (
            "number",
            b"name: 2026\n".to_vec(),
            "1:7: name: expected text, found the number 2026",
        ),
        (
            "boolean",
            b"name: true\n".to_vec(),
            "1:7: name: expected text, found the boolean true",
        ),
        (
            "textnum",
            b"name: R\ninteractions:\n  - date: 2026-01-01\n    kind: call\n    rating: good\n"
                .to_vec(),
            "5:13: interactions[0].rating: `good` is not a rating",
        ),
        (
            "textmoney",
            b"name: M\nacquisition_cost: lots\n".to_vec(),
            "2:19: acquisition_cost: `lots` is not an amount",
        ),
        (
            "baddate",
            b"name: D\ntasks:\n  - due: 2026-02-30\n    what: x\n".to_vec(),
            "3:10: tasks[0].due: `2026-02-30` is not a real calendar date",
        ),
        (
            "huge",
            b"name: H\nacquisition_cost: 1e308\n".to_vec(),
            "2:19: acquisition_cost: `1e308` is not an amount",
        ),
        (
            "nan",
            b"name: N\nacquisition_cost: NaN\n".to_vec(),
            "2:19: acquisition_cost: `NaN` is not an amount",
        ),
        (
            "cents",
            b"name: C\nacquisition_cost: 0.001\n".to_vec(),
            "2:19: acquisition_cost: `0.001` has more than two decimals",
        ),
    ]
}

#[test]
fn hostile_files_are_refused_and_never_changed() {
    let mut t = Test::new();
    for (id, bytes, _) in hostile_files() {
        fs::write(t.path().join(format!("{id}.yaml")), bytes).expect("write");
    }
    t = t.file("good.yaml", "name: Good\n");
    let before = t.snapshot();
    let check = t.run(&["check"]);
    check.code(1);
    for (id, _, message) in hostile_files() {
        let prefix = format!("{}:", t.path().join(format!("{id}.yaml")).display());
        let line = check
            .stdout
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("check does not name {id}:\n{}", check.stdout));
        assert!(line.contains(message), "{id}: {line}\n  lacks {message}");
        let show = t.run(&["show", id]);
        show.bad_input();
        assert!(show.stderr.contains(&prefix), "{}", show.stderr);
        t.run(&["set", id, "tier=vip"]).bad_input();
    }
    assert_eq!(
        check.stdout.lines().count(),
        hostile_files().len(),
        "{}",
        check.stdout
    );
    t.run(&["list", "--format", "ids"])
        .code(2)
        .stdout_is("good\n");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_fifty_megabyte_file_is_refused_without_reading_it() {
    let t = Test::new();
    let mut big = b"name: big\nnote: '".to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    big.extend_from_slice(b"'\n");
    fs::write(t.path().join("big.yaml"), &big).expect("write");
    t.run(&["check"])
        .code(1)
        .stdout_has("big.yaml:1:1: the file is 50 MiB, over the 20 MiB");
    t.run(&["show", "big"])
        .bad_input()
        .stderr_has("over the 20 MiB");
    t.run(&["set", "big", "tier=vip"]).bad_input();
    assert_eq!(
        fs::metadata(t.path().join("big.yaml")).expect("meta").len(),
        big.len() as u64
    );
}

#[test]
fn crlf_and_a_byte_order_mark_are_accepted() {
    let t = Test::new()
        .file("crlf.yaml", "name: Windows\r\ntags: [a, b]\r\n")
        .file("bom.yaml", "\u{feff}name: Notepad\n");
    t.run(&["check"]).success().stdout_empty();
    t.run(&["show", "crlf"]).success().stdout_has("tags: a, b");
    t.run(&["show", "bom"])
        .success()
        .stdout_has("Notepad  (bom)");
    // An edit keeps the file's line breaks and byte-order mark.
    t.run(&["set", "crlf", "tier=vip"]).success();
    assert_eq!(
        t.read("crlf.yaml"),
        "name: Windows\r\ntier: vip\r\ntags: [a, b]\r\n"
    );
    t.run(&["set", "bom", "tier=vip"]).success();
    assert_eq!(t.read("bom.yaml"), "\u{feff}name: Notepad\ntier: vip\n");
}

#[test]
fn hostile_ids_are_refused_before_any_file_is_touched() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    let before = t.snapshot();
    let long = "a".repeat(101);
    for id in [
        "..",
        "../acme",
        "a/b",
        "a\\b",
        ".hidden",
        "-dash",
        "con",
        "NUL",
        "lpt1",
        "com9",
        "aux.backup",
        &long,
        "Globex",
        "a..b",
    ] {
        t.run(&["show", "--", id]).bad_input();
        t.run(&["set", "--", id, "tier=vip"]).bad_input();
        t.run(&["add", "X", "--id", id]).bad_input();
    }
    assert_eq!(t.snapshot(), before);
}

#[cfg(unix)]
#[test]
fn links_are_neither_read_nor_written_through() {
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.yaml");
    fs::write(&secret, "name: Secret\n").expect("write");
    let t = Test::new().file("good.yaml", "name: Good\n");
    std::os::unix::fs::symlink(&secret, t.path().join("evil.yaml")).expect("link");
    std::os::unix::fs::symlink(outside.path(), t.path().join("elsewhere")).expect("link");
    t.run(&["check"])
        .code(1)
        .stdout_has("evil.yaml:1:1: is a symbolic link");
    t.run(&["list", "--format", "ids"])
        .code(2)
        .stdout_is("good\n");
    t.run(&["show", "evil"])
        .bad_input()
        .stderr_has("symbolic link");
    t.run(&["set", "evil", "tier=vip"]).bad_input();
    t.run(&["show", "secret"])
        .bad_input()
        .stderr_has("no customer `secret`");
    assert_eq!(fs::read_to_string(&secret).expect("read"), "name: Secret\n");
}

#[cfg(unix)]
#[test]
fn read_only_files_and_folders_are_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new()
        .file("ro.yaml", "name: Read only\n")
        .file("locked/inside.yaml", "name: Inside\n");
    let ro = t.path().join("ro.yaml");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).expect("chmod");
    let dir = t.path().join("locked");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).expect("chmod");
    let before = t.snapshot();
    t.run(&["set", "ro", "tier=vip"])
        .code(3)
        .stderr_has("ro.yaml: the file is read-only");
    t.run(&["set", "inside", "tier=vip"])
        .code(3)
        .stderr_has("locked: the folder is read-only");
    assert_eq!(t.snapshot(), before);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(
        fs::read_dir(&dir).expect("dir").count() == 1,
        "no temporary file left"
    );
}

#[test]
fn a_held_lock_times_out_with_exit_3_and_is_released_when_its_holder_dies() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    fs::create_dir_all(t.path().join(".kith")).expect("mkdir");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(t.path().join(".kith/lock"))
        .expect("open");
    lock.lock().expect("lock");
    let mut cmd = t.command(&["set", "acme", "tier=vip"]);
    cmd.env("KITH_LOCK_TIMEOUT", "0.3");
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("held the lock too long"));
    assert_eq!(t.read("acme.yaml"), "name: Acme\n");
    drop(lock);
    t.run(&["set", "acme", "tier=vip"]).success();
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_held_by_a_killed_process_does_not_block() {
    if std::process::Command::new("flock")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("flock(1) not installed: skipping");
        return;
    }
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    fs::create_dir_all(t.path().join(".kith")).expect("mkdir");
    // -o: the lock is held by flock itself, not inherited by `sleep`.
    let mut holder = std::process::Command::new("flock")
        .arg("-o")
        .arg(t.path().join(".kith/lock"))
        .args(["sleep", "60"])
        .spawn()
        .expect("flock");
    std::thread::sleep(std::time::Duration::from_millis(300));
    holder.kill().expect("kill");
    holder.wait().expect("wait");
    t.run(&["set", "acme", "tier=vip"]).success();
}

#[cfg(unix)]
#[test]
fn a_planted_link_at_the_temporary_name_is_not_written_through() {
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("target.txt");
    fs::write(&target, "untouched\n").expect("write");
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    std::os::unix::fs::symlink(&target, t.path().join(".acme.yaml.kith-tmp")).expect("link");
    t.run(&["set", "acme", "tier=vip"]).success();
    assert_eq!(fs::read_to_string(&target).expect("read"), "untouched\n");
    assert_eq!(t.read("acme.yaml"), "name: Acme\ntier: vip\n");
    assert!(!t.exists(".acme.yaml.kith-tmp"));
}

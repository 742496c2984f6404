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

/// The lists of entries (and the people at a customer) change only through
/// their own commands; `set` names them and writes nothing, whether given a
/// value or a key below one.
#[test]
fn set_leaves_the_lists_to_their_own_commands() {
    let t = Test::new().file("acme.yaml", ACME);
    let before = t.snapshot();
    for list in ["contacts", "deals", "tasks", "interactions"] {
        for assignment in [format!("{list}=x"), format!("{list}.x=1")] {
            let r = t.run(&["set", "acme", &assignment]);
            r.bad_input();
            assert_eq!(
                r.stderr,
                format!(
                    "kith: `{list}` changes only through its own commands (deal, advance, lose, task, done, log, contact)\n"
                ),
                "{assignment}"
            );
            assert_eq!(t.snapshot(), before, "{assignment} changed a file");
        }
    }
    let r = t.run(&["set", "acme", "tier_locked.x=1"]);
    r.bad_input();
    assert_eq!(
        r.stderr,
        "kith: `tier_locked` holds a boolean, not a map; cannot set `tier_locked.x` below it\n"
    );
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

/// A small tmpfs, unmounted when dropped. Mounting needs root: the test
/// says so and fails rather than pass without testing anything.
#[cfg(target_os = "linux")]
struct SmallDisk {
    dir: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().expect("tempdir");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "the disk-full test mounts a small tmpfs and needs root (or CAP_SYS_ADMIN); \
             run it as root or skip it with --skip a_full_disk"
        );
        SmallDisk { dir }
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_mid_import_writes_nothing() {
    let disk = SmallDisk::mount("512k");
    let t = Test::new_in(disk.dir.path()).file("acme.yaml", ACME);
    let csv_dir = tempfile::tempdir().expect("tempdir");
    let csv = csv_dir.path().join("rows.csv");
    let mut text = String::from("name,email,address\n");
    for i in 0..40 {
        text.push_str(&format!(
            "Customer {i},c{i}@example.com,{}\n",
            "x".repeat(20_000)
        ));
    }
    std::fs::write(&csv, text).expect("csv");
    let before = t.snapshot();
    let r = t.run(&["import", csv.to_str().expect("utf-8"), "--as", "customers"]);
    r.code(3);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("No space left on device") && r.stderr.contains("nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(t.snapshot(), before);
    assert!(!t.exists(".kith/journal"));
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn the_next_write_command_finishes_or_undoes_an_interrupted_change() {
    // A merge killed after it was decided: acme's new text waits beside it,
    // acme-ltd is still there.
    let t = Test::new()
        .file("acme.yaml", ACME)
        .file("acme-ltd.yaml", "name: ACME Ltd\n")
        .file(".acme.yaml.kith-new", "name: Acme\ntier: vip\n")
        .file(
            ".kith/journal",
            r#"{"state":"commit","write":["acme.yaml"],"remove":["acme-ltd.yaml"]}"#,
        );
    let r = t.run(&["set", "acme", "owner=li"]);
    r.success();
    assert_eq!(
        r.stderr,
        "kith: finished a change of 2 files that a killed kith left half done\nowner: (none) → li\n"
    );
    assert_eq!(t.read("acme.yaml"), "name: Acme\nowner: li\ntier: vip\n");
    assert!(!t.exists("acme-ltd.yaml") && !t.exists(".acme.yaml.kith-new"));
    assert!(!t.exists(".kith/journal"));
    // Killed before it was decided: undone.
    t.write(".globex.yaml.kith-new", "name: Globex\n");
    t.write(
        ".kith/journal",
        r#"{"state":"prepare","write":["globex.yaml"],"remove":["acme.yaml"]}"#,
    );
    let before = t.snapshot();
    let r = t.run(&["log", "acme", "note", "hello", "--date", "2026-11-23"]);
    r.success();
    let dir = t.path().display();
    assert_eq!(
        r.stderr,
        format!(
            "kith: undid a change that a killed kith left half done\n\
             kith: removed the temporary file {dir}/.globex.yaml.kith-new\n\
             acme: logged note on 2026-11-23\n"
        )
    );
    let after = t.snapshot();
    let changed: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(changed, vec!["acme.yaml"]);
    assert!(!t.exists(".globex.yaml.kith-new") && !t.exists(".kith/journal"));
}

#[test]
fn leftover_temporary_files_are_named_and_removed() {
    let t = Test::new()
        .file("acme.yaml", ACME)
        .file(".acme.yaml.kith-tmp", "name: Ac")
        .file("east/.zhang.yaml.kith-new", "name: Zh")
        .file("east/zhang.yaml", "name: Zhang\n");
    let r = t.run(&["check"]);
    r.success().stdout_empty();
    let dir = t.path().display();
    assert_eq!(
        r.stderr,
        format!(
            "kith: removed {dir}/.acme.yaml.kith-tmp, a temporary file a killed kith left\n\
             kith: removed {dir}/east/.zhang.yaml.kith-new, a temporary file a killed kith left\n"
        )
    );
    assert!(!t.exists(".acme.yaml.kith-tmp") && !t.exists("east/.zhang.yaml.kith-new"));
    assert_eq!(t.read("acme.yaml"), ACME);
    t.run(&["check"]).success().stdout_empty();
    assert_eq!(t.run(&["check"]).stderr, "");
}

/// A single-file write killed before its rename leaves its temporary file;
/// the next command that writes anything (here to another customer)
/// removes it under the lock, as `.kith/writing` named it, and says so.
#[test]
fn the_next_write_removes_what_a_killed_write_left() {
    let base = tempfile::tempdir().expect("tempdir");
    std::fs::write(base.path().join("keep"), "x").expect("write");
    let t = Test::new_in(base.path())
        .file("acme.yaml", ACME)
        .file("east/bob.yaml", "name: Bob\n")
        .file("east/.zhang.yaml.kith-tmp", "name: Zh")
        .file(".kith/writing", "east/.zhang.yaml.kith-tmp");
    let r = t.run(&["log", "acme", "call", "hi", "--date", "2026-11-20"]);
    r.success();
    assert!(r.stderr.starts_with(&format!(
        "kith: removed {}/east/.zhang.yaml.kith-tmp, a temporary file a killed kith left\n",
        t.path().display()
    )));
    assert!(!t.exists("east/.zhang.yaml.kith-tmp"));
    assert!(
        !t.exists(".kith/writing"),
        "a finished write leaves no note"
    );
    // A note that points outside the folder, or at a folder, removes nothing.
    for noted in ["../keep", "east"] {
        t.write(".kith/writing", noted);
        t.run(&["log", "acme", "call", "again", "--date", "2026-11-21"])
            .success();
        assert!(t.exists("east/bob.yaml"));
        assert!(!t.exists(".kith/writing"));
    }
    assert!(base.path().join("keep").exists());
}

#[cfg(unix)]
#[test]
fn no_path_below_the_folder_is_read_or_written_through_a_link() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("x.yaml"), "name: X\n").expect("write");
    std::fs::write(outside.path().join("secret"), "root:x:0:0:secret\n").expect("write");
    let t = Test::new()
        .file("acme.yaml", ACME)
        .file("east/x.yaml", "name: X\n");
    // The index learns east/x.yaml; then a pull turns east into a link.
    t.run(&["list"]).success();
    std::fs::remove_dir_all(t.path().join("east")).expect("rm");
    symlink(outside.path(), t.path().join("east")).expect("symlink");
    let outside_before = std::fs::read(outside.path().join("x.yaml")).expect("read");
    let before = t.snapshot();
    let dir = t.path().display().to_string();
    let r = t.run(&["check"]);
    r.code(1).stdout_is(&format!(
        "{dir}/east:1:1: is a symbolic link; kith does not follow links, replace it with the file or folder\n"
    ));
    let r = t.run(&["list", "--format", "ids"]);
    r.code(2).stdout_is("acme\n");
    assert!(
        r.stderr.contains("east:1:1: is a symbolic link"),
        "{}",
        r.stderr
    );
    let r = t.run(&[
        "log",
        "x",
        "note",
        "through the link",
        "--date",
        "2026-11-23",
    ]);
    r.bad_input();
    assert!(r.stderr.contains("no customer `x`"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(outside.path().join("x.yaml")).expect("read"),
        outside_before
    );
    assert_eq!(t.snapshot(), before);

    // kith.yaml through a link: refused without printing what it points to.
    let t = Test::new().file("acme.yaml", ACME);
    std::fs::remove_file(t.path().join("kith.yaml")).expect("rm");
    symlink(outside.path().join("secret"), t.path().join("kith.yaml")).expect("symlink");
    let r = t.run(&["list"]);
    r.bad_input();
    assert_eq!(
        r.stderr,
        format!(
            "kith: {dir2}/kith.yaml:1:1: is a symbolic link; kith does not follow links, replace it with the file\n",
            dir2 = t.path().display()
        )
    );

    // .kith/cache, .kith/lock and .kith itself planted as links.
    for planted in [".kith/cache", ".kith/lock", ".kith"] {
        let t = Test::new().file("acme.yaml", ACME);
        let target = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(t.path().join(".kith")).expect("mkdir");
        let _ = std::fs::remove_dir_all(t.path().join(planted));
        let aim = if planted == ".kith/lock" {
            target.path().join("lockfile")
        } else {
            target.path().to_path_buf()
        };
        symlink(&aim, t.path().join(planted)).expect("symlink");
        let before = t.snapshot();
        let r = t.run(&["list", "--format", "ids"]);
        if planted == ".kith/lock" {
            // Reports take no lock.
            r.success();
        } else {
            r.code(2).stdout_is("acme\n");
            assert!(
                r.stderr.contains("is a symbolic link"),
                "{planted}: {}",
                r.stderr
            );
        }
        let r = t.run(&["set", "acme", "tier=vip"]);
        if planted == ".kith/cache" {
            // A single-customer write never touches the cache.
            r.success();
        } else {
            assert_eq!(r.code, 2, "{planted}: {}", r.stderr);
            assert!(
                r.stderr.contains("is a symbolic link"),
                "{planted}: {}",
                r.stderr
            );
            assert_eq!(t.snapshot(), before, "{planted}");
        }
        let written: Vec<_> = std::fs::read_dir(target.path()).expect("dir").collect();
        assert!(written.is_empty(), "{planted}: kith wrote through the link");
    }
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_opened() {
    let t = Test::new().file("acme.yaml", ACME);
    let mkfifo = |rel: &str| {
        let status = std::process::Command::new("mkfifo")
            .arg(t.path().join(rel))
            .status()
            .expect("mkfifo (coreutils) is needed by this test");
        assert!(status.success());
    };
    mkfifo("fifo.yaml");
    let before = t.snapshot();
    let dir = t.path().display().to_string();
    let message = format!(
        "{dir}/fifo.yaml:1:1: is not a regular file (a FIFO, device or socket); kith opens only regular files"
    );
    t.run(&["show", "fifo"]).bad_input().stderr_has(&message);
    t.run(&["log", "fifo", "note", "x", "--date", "2026-11-23"])
        .bad_input()
        .stderr_has(&message);
    t.run(&["check"]).code(1).stdout_is(&format!("{message}\n"));
    let r = t.run(&["list", "--format", "ids"]);
    r.code(2).stdout_is("acme\n");
    assert_eq!(r.stderr, format!("kith: {message}\n"));
    assert_eq!(t.snapshot(), before);
    // The lock must be a regular file too.
    std::fs::create_dir_all(t.path().join(".kith")).expect("mkdir");
    let _ = std::fs::remove_file(t.path().join(".kith/lock"));
    mkfifo(".kith/lock");
    t.run(&["set", "acme", "tier=vip"])
        .bad_input()
        .stderr_has(".kith/lock: is not a regular file");
    assert_eq!(t.read("acme.yaml"), ACME);
}

#[test]
fn an_invalid_lock_timeout_is_refused() {
    let t = Test::new().file("acme.yaml", ACME);
    let before = t.snapshot();
    for value in ["1e20", "abc", "-1", "nan", "", "inf"] {
        let r = t
            .command(&["set", "acme", "tier=vip"])
            .env("KITH_LOCK_TIMEOUT", value)
            .output()
            .expect("run");
        let r = util::Run::from(r);
        r.bad_input();
        assert_eq!(
            r.stderr,
            format!(
                "kith: KITH_LOCK_TIMEOUT: `{value}` is not a number of seconds from 0 to 86400 (e.g. 30 or 0.5)\n"
            )
        );
        assert_eq!(t.snapshot(), before);
    }
    let r = t
        .command(&["set", "acme", "tier=vip"])
        .env("KITH_LOCK_TIMEOUT", "0.5")
        .output()
        .expect("run");
    assert!(r.status.success());
}

#[test]
fn dates_stay_in_the_years_0001_to_9999() {
    let t = Test::new().file("acme.yaml", ACME);
    let before = t.snapshot();
    for (args, message) in [
        (
            &[
                "--today",
                "9999-12-31",
                "log",
                "acme",
                "note",
                "x",
                "--follow-up",
                "7d",
            ][..],
            "kith: --follow-up: `7d` falls outside the years 0001 to 9999 that kith handles\n",
        ),
        (
            &[
                "--today",
                "0001-01-03",
                "log",
                "acme",
                "note",
                "x",
                "--date",
                "-1w",
            ][..],
            "kith: --date: `-1w` falls outside the years 0001 to 9999 that kith handles\n",
        ),
        (
            &[
                "--today",
                "9999-12-31",
                "task",
                "acme",
                "x",
                "--due",
                "tomorrow",
            ][..],
            "kith: --due: `tomorrow` falls outside the years 0001 to 9999 that kith handles\n",
        ),
        (
            &["task", "acme", "x", "--due", "0000-12-31"][..],
            "kith: --due: `0000-12-31` falls outside the years 0001 to 9999 that kith handles\n",
        ),
        (
            &["--today", "9999-06-30", "task", "acme", "x", "--due", "1y"][..],
            "kith: --due: `1y` falls outside the years 0001 to 9999 that kith handles\n",
        ),
    ] {
        let r = t.run(args);
        r.bad_input();
        assert_eq!(r.stderr, message, "{args:?}");
        assert_eq!(t.snapshot(), before, "{args:?}");
    }
    // The last day is still a day.
    t.run(&[
        "--today",
        "9999-12-30",
        "task",
        "acme",
        "x",
        "--due",
        "tomorrow",
    ])
    .success();
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn limits_hold_on_the_way_in() {
    const MIB: usize = 1024 * 1024;
    let t = Test::new().file("acme.yaml", ACME);
    let csv_dir = tempfile::tempdir().expect("tempdir");
    let csv = csv_dir.path().join("huge.csv");
    let huge = format!(
        "name,email,address\nSmall,s@example.com,here\nHuge,h@example.com,{}\n",
        "x".repeat(21 * MIB)
    );
    std::fs::write(&csv, huge).expect("csv");
    let before = t.snapshot();
    let csv = csv.to_str().expect("utf-8");
    let r = t.run(&["import", csv, "--as", "customers"]);
    r.bad_input();
    assert_eq!(
        r.stderr,
        format!(
            "kith: {csv}:3: column `address`: the row holds 21 MiB, over the 20 MiB a customer record may have\n"
        )
    );
    assert_eq!(t.snapshot(), before);

    // A record just under the limit: a log that would take it over is refused.
    let big = format!("name: Big\nnote: {}\n", "y".repeat(20 * MIB - 60_000));
    t.write("big.yaml", &big);
    let before = t.snapshot();
    let summary = "z".repeat(100_000);
    let r = t.run(&["log", "big", "note", &summary, "--date", "2026-11-23"]);
    r.bad_input();
    let size = big.len()
        + "interactions:\n  - date: 2026-11-23\n    kind: note\n    summary: \n".len()
        + summary.len();
    assert_eq!(
        r.stderr,
        format!(
            "kith: {}/big.yaml: the record would be {size} bytes, over the 20 MiB kith reads back; nothing was written\n",
            t.path().display()
        )
    );
    assert_eq!(t.snapshot(), before);

    // The same with a comment (edited in place, not rewritten): the advice is
    // to trim the file, not a `fmt --force` that could not help.
    t.write("big.yaml", &format!("# kept\n{big}"));
    let before = t.snapshot();
    let r = t.run(&["log", "big", "note", &summary, "--date", "2026-11-23"]);
    r.bad_input().stderr_has(&format!(
        "/big.yaml: the record would be {size} bytes, over the 20 MiB kith reads back; nothing was written; trim the file"
    ));
    assert!(!r.stderr.contains("fmt"), "{}", r.stderr);
    assert_eq!(t.snapshot(), before);

    // kith.yaml has the same limit, checked before it is read.
    let t = Test::new().file("acme.yaml", ACME);
    t.write("kith.yaml", &format!("# {}\n", "c".repeat(21 * MIB)));
    let r = t.run(&["list"]);
    r.bad_input();
    assert_eq!(
        r.stderr,
        format!(
            "kith: {}/kith.yaml:1:1: the file is 21 MiB, over the 20 MiB a customer record or kith.yaml may have; split or trim it\n",
            t.path().display()
        )
    );
}

/// Item 7: a NUL is refused at import, with its line and cell, before
/// anything is written.
#[test]
fn a_nul_is_refused_at_import() {
    let t = Test::new().file("acme.yaml", ACME);
    let csv_dir = tempfile::tempdir().expect("tempdir");
    let csv = csv_dir.path().join("nul.csv");
    std::fs::write(
        &csv,
        "name,email\nGood,g@example.com\nBad\0Co,b@example.com\n",
    )
    .expect("csv");
    let before = t.snapshot();
    let csv = csv.to_str().expect("utf-8");
    let r = t.run(&["import", csv, "--as", "customers"]);
    r.bad_input();
    assert_eq!(
        r.stderr,
        format!("kith: {csv}:3: cell 1 holds a NUL character; remove it and import again\n")
    );
    assert_eq!(t.snapshot(), before);
}

#[test]
fn hostile_yaml_costs_linear_time() {
    let open = format!("name: deep\nz: {}\n", "[".repeat(100_000));
    let closed = format!(
        "name: deep\nz: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (what, text) in [("open", &open), ("closed", &closed)] {
        let t = Test::new().file("acme.yaml", ACME).file("deep.yaml", text);
        let before = t.snapshot();
        let dir = t.path().display().to_string();
        let message = format!(
            "{dir}/deep.yaml:2:132: values are nested more than 128 levels deep; kith refuses such files"
        );
        let started = std::time::Instant::now();
        t.run(&["check"]).code(1).stdout_is(&format!("{message}\n"));
        let r = t.run(&["list", "--format", "ids"]);
        r.code(2).stdout_is("acme\n");
        assert_eq!(r.stderr, format!("kith: {message}\n"));
        t.run(&["show", "deep"]).bad_input();
        // Was 29 s for list and 44 s for check; now one pass over 100 KB.
        let took = started.elapsed();
        assert!(took.as_secs_f64() < 5.0, "{what}: {took:?}");
        assert_eq!(t.snapshot(), before);
    }
    // kith.yaml and the merge driver's inputs get the same scan.
    let t = Test::new().file("acme.yaml", ACME);
    t.write("kith.yaml", &format!("kinds: {}\n", "[".repeat(100_000)));
    let r = t.run(&["list"]);
    r.bad_input();
    assert!(
        r.stderr
            .contains("kith.yaml:1:136: values are nested more than 128 levels deep"),
        "{}",
        r.stderr
    );
}

/// An editor script for `kith edit`, made executable.
#[cfg(unix)]
fn editor(t: &Test, name: &str, script: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = t.path().join(".kith").join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path.display().to_string()
}

/// The drafts `kith edit` left in `.kith/`.
fn drafts(t: &Test) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(t.path().join(".kith"))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("edit-"))
        })
        .collect();
    found.sort();
    found
}

/// `kith edit acme` with `editor` as $EDITOR.
#[cfg(unix)]
fn edit_with(t: &Test, editor: &str) -> util::Run {
    util::Run::from(
        t.command(&["edit", "acme"])
            .env("EDITOR", editor)
            .output()
            .expect("run"),
    )
}

#[cfg(unix)]
#[test]
fn kith_edit_never_throws_away_the_users_work() {
    let t = Test::new().file("acme.yaml", ACME);
    let dir = t.path().display().to_string();
    // The edit does not parse (stdin is not a terminal): the draft is kept.
    let bad = editor(&t, "bad.sh", "printf 'name: [\\nmy work\\n' > \"$1\"");
    let before = t.snapshot();
    let r = edit_with(&t, &bad);
    r.bad_input();
    let kept = drafts(&t);
    assert_eq!(kept.len(), 1);
    let draft = kept[0].display().to_string();
    assert!(
        r.stderr.starts_with(&format!("kith: {draft}:")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with(&format!(
            "; {dir}/acme.yaml is unchanged; your version is kept in {draft}: fix it, then `cp {draft} {dir}/acme.yaml` and `kith check` (or run kith edit again)\n"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&kept[0]).expect("draft"),
        "name: [\nmy work\n"
    );
    assert_eq!(t.snapshot(), before);
    std::fs::remove_file(&kept[0]).expect("rm");

    // The file changed on disk while the editor was open: the draft is kept.
    let racing = editor(
        &t,
        "racing.sh",
        &format!(
            "printf 'name: Changed elsewhere\\n' > {dir}/acme.yaml; printf 'name: Mine\\n' > \"$1\""
        ),
    );
    let r = edit_with(&t, &racing);
    r.code(3);
    let kept = drafts(&t);
    assert_eq!(kept.len(), 1);
    let draft = kept[0].display().to_string();
    assert_eq!(
        r.stderr,
        format!(
            "kith: {dir}/acme.yaml: changed on disk while you edited, so your version was not saved over it; your version is kept in {draft}: fix it, then `cp {draft} {dir}/acme.yaml` and `kith check` (or run kith edit again)\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(&kept[0]).expect("draft"),
        "name: Mine\n"
    );
    assert_eq!(t.read("acme.yaml"), "name: Changed elsewhere\n");
    std::fs::remove_file(&kept[0]).expect("rm");

    // The editor removed the draft: say which file is missing.
    let remover = editor(&t, "remover.sh", "rm \"$1\"");
    let before = t.snapshot();
    let r = edit_with(&t, &remover);
    r.bad_input();
    assert!(
        r.stderr.contains(".kith/edit-acme-") && r.stderr.contains("cannot read the draft"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with(&format!(
            "did the editor remove or move it? {dir}/acme.yaml is unchanged\n"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(t.snapshot(), before);
    assert!(drafts(&t).is_empty());
}

/// Values a whole-file rewrite would change (a tag the reader drops, a
/// number beyond 64 bits) are never dropped silently: `fmt --force`, `log`
/// on a hand-kept file, `merge` and the merge driver refuse, naming the
/// line and column; an edit in place keeps them.
#[test]
fn tags_and_huge_numbers_are_kept_or_the_write_is_refused() {
    let t = Test::new().today("2026-11-23");
    let cases = [
        ("blob: !!binary aGVsbG8=", "2:7", "the YAML tag `!!binary`"),
        ("pair: !!set {a, b}", "2:7", "the YAML tag `!!set`"),
        ("order: !!omap [a: 1, b: 2]", "2:8", "the YAML tag `!!omap`"),
        (
            "big: 123456789012345678901234567890123456789012345",
            "2:6",
            "the number `123456789012345678901234567890123456789012345` (beyond 64 bits, read as an approximation; quote it to keep it as text)",
        ),
    ];
    for (line, at, what) in cases {
        let text = format!("name: A\n{line}\n");
        t.write("a.yaml", &text);
        let file = t.path().join("a.yaml");
        let file = file.to_str().unwrap();
        let before = t.snapshot();
        t.run(&["fmt", "--force", file])
            .code(2)
            .stderr_has(&format!(
                "a.yaml:{at}: {what} would be lost by formatting; nothing was written"
            ));
        t.run(&["fmt", "--check"]).code(1).stderr_has(what);
        assert_eq!(t.snapshot(), before, "{line}");
        let r = t.run(&["log", "a", "call", "hi"]);
        if what.starts_with("the number") {
            // An edit in place keeps the line as it is.
            r.success();
            assert!(t.read("a.yaml").contains(&format!("\n{line}\n")), "{line}");
        } else {
            // The in-place editor does not follow tags, and a rewrite would
            // lose this one: refused, with no advice to run `fmt --force`.
            r.bad_input().stderr_has(&format!(
                "nor rewrite it: {what} at line {}, column {} would be lost; nothing was written; make the change by hand",
                &at[..1],
                &at[2..]
            ));
            assert!(!r.stderr.contains("--force"), "{}", r.stderr);
            assert_eq!(t.snapshot(), before, "{line}");
        }
        t.write("a.yaml", &text);
    }
    t.write("b.yaml", "name: B\nx: !!binary aGVsbG8=\ny: !mine 1\n");
    let before = t.snapshot();
    // `merge` would carry OTHER's values into KEEP's file.
    t.run(&["merge", "a", "b"])
        .bad_input()
        .stderr_has("b.yaml:2:4: the YAML tag `!!binary` would be lost moving it into");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn errors_that_led_nowhere_say_what_to_do() {
    let t = Test::new()
        .file("a.yaml", "name: A\nbig: 18446744073709551616\n")
        .file("b.yaml", "name: B\n---\nname: C\n");
    let dir = t.path().display();
    t.run(&["check"]).code(1).stdout_is(&format!(
        "{dir}/a.yaml:2:6: big: the number 18446744073709551616 does not fit in 64 bits, the largest kith keeps; quote it ('18446744073709551616') to keep it as text\n\
         {dir}/b.yaml:2:1: the file holds more than one YAML document (a `---` line starts another); a customer file is one record: remove that line, or move the second record to a file of its own\n",
    ));
}

/// The merge driver leaves a file holding a tag it would drop to git's own
/// line merge, which keeps every line.
#[test]
fn the_merge_driver_never_drops_a_tag() {
    let t = Test::new();
    t.write("base.yaml", "name: A\nblob: !!binary aGVsbG8=\n");
    t.write("ours.yaml", "name: A\nblob: !!binary aGVsbG8=\nowner: li\n");
    t.write(
        "theirs.yaml",
        "name: A\nsource: fair\nblob: !!binary aGVsbG8=\n",
    );
    let p = |f: &str| t.path().join(f).to_str().unwrap().to_string();
    t.run(&["merge-file", &p("base.yaml"), &p("ours.yaml"), &p("theirs.yaml")])
        .success()
        .stderr_has("holds the YAML tag `!!binary` at line 2, which a record merge would lose; merged as text by git merge-file");
    assert_eq!(
        t.read("ours.yaml"),
        "name: A\nsource: fair\nblob: !!binary aGVsbG8=\nowner: li\n"
    );
}

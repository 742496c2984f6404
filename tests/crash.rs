//! Crash safety and concurrency: writers killed at random moments, many
//! writers at once, and readers during writes never lose or tear a record.

mod util;

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use kith::record::{Schema, parse_record};
use util::Test;

/// A small deterministic generator of pauses, so runs are repeatable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn interactions_in(t: &Test, file: &str) -> usize {
    let text = fs::read(t.path().join(file)).expect("read");
    let stem = file.trim_end_matches(".yaml");
    let r = parse_record(&text, stem, &Schema::default())
        .unwrap_or_else(|e| panic!("{file} does not parse after a kill: {e}"));
    r.interactions.len()
}

/// Files the folder scan would see (hidden temporary files are not among them).
fn visible_yaml(t: &Test) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(t.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && !n.starts_with('.') && n != "kith.yaml")
        .collect();
    names.sort();
    names
}

fn kill_loop(iterations: u64) {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n");
    let bin = env!("CARGO_BIN_EXE_kith");
    let mut rng = Lcg(42);
    // Pauses span twice the time one log takes here, so that kills land
    // before, during and after the write however fast the machine is.
    let started = Instant::now();
    t.run(&["-q", "log", "acme", "note", "timing"]).success();
    let span_us = (started.elapsed().as_micros() as u64 * 2).max(2000);
    let mut count = 1;
    let mut completed = 0;
    for n in 0..iterations {
        let mut child = Command::new(bin)
            .arg("--dir")
            .arg(t.path())
            .args(["--today", "2026-11-23", "log", "acme", "call"])
            .arg(format!("call number {n}"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.next() % span_us));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let now = interactions_in(&t, "acme.yaml");
        assert!(
            now == count || now == count + 1,
            "iteration {n}: {count} interactions before, {now} after"
        );
        if now == count + 1 {
            completed += 1;
        } else {
            assert!(!status.success(), "a successful log must have been written");
        }
        count = now;
        assert_eq!(visible_yaml(&t), vec!["acme.yaml"], "iteration {n}");
    }
    // The kills landed both before and after the write: the loop tested both.
    assert!(
        completed > 0 && completed < iterations,
        "{completed} of {iterations} completed"
    );
    t.run(&["check"]).success().stdout_empty();
    // A later writer removes the temporary files killed writers left.
    t.run(&["log", "acme", "note", "after the storm"]).success();
    let leftovers = fs::read_dir(t.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("kith-tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn log_killed_at_random_moments_leaves_old_or_new_record() {
    kill_loop(150);
}

/// The long run reported in docs/reliability.md:
/// `cargo test --release --test crash -- --ignored`.
#[test]
#[ignore]
fn log_killed_at_random_moments_long_run() {
    kill_loop(2000);
}

#[test]
fn mixed_writers_on_several_customers_keep_every_change() {
    let t = Test::new().today("2026-11-23");
    for c in ["a", "b", "c"] {
        t.write(
            &format!("{c}.yaml"),
            &format!("name: {c}\ndeals:\n  - id: big\n    stage: met\n    outcome: open\n    history:\n      - {{stage: met, date: 2026-01-01}}\n"),
        );
    }
    let mut children = Vec::new();
    for c in ["a", "b", "c"] {
        for n in 0..6 {
            let summary = format!("call {n}");
            children.push(
                t.command(&["-q", "log", c, "call", &summary])
                    .spawn()
                    .expect("spawn"),
            );
            children.push(
                t.command(&["-q", "set", "--new", c, &format!("k{n}=v{n}")])
                    .spawn()
                    .expect("spawn"),
            );
            children.push(
                t.command(&["-q", "task", c, &format!("task {n}"), "--due", "3d"])
                    .spawn()
                    .expect("spawn"),
            );
        }
        children.push(
            t.command(&["-q", "advance", c, "--to", "proposal"])
                .spawn()
                .expect("spawn"),
        );
    }
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    for c in ["a", "b", "c"] {
        let text = t.read(&format!("{c}.yaml"));
        for n in 0..6 {
            assert!(
                text.contains(&format!("summary: call {n}\n")),
                "{c}: call {n}\n{text}"
            );
            assert!(text.contains(&format!("k{n}: v{n}\n")), "{c}: k{n}\n{text}");
            assert!(
                text.contains(&format!("what: task {n}\n")),
                "{c}: task {n}\n{text}"
            );
        }
        assert!(text.contains("stage: proposal\n"), "{text}");
    }
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn readers_never_see_a_half_written_file() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n");
    let path = t.path().join("acme.yaml");
    let writers: Vec<_> = (0..30)
        .map(|n| {
            t.command(&[
                "-q",
                "log",
                "acme",
                "call",
                &format!("a call with a long summary number {n} {}", "x".repeat(2000)),
            ])
            .spawn()
            .expect("spawn")
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut reads = 0;
    let mut seen_max = 0;
    while seen_max < 30 && Instant::now() < deadline {
        let bytes = fs::read(&path).expect("read");
        let r = parse_record(&bytes, "acme", &Schema::default())
            .unwrap_or_else(|e| panic!("a reader saw a torn file: {e}"));
        seen_max = seen_max.max(r.interactions.len());
        reads += 1;
    }
    for mut w in writers {
        assert!(w.wait().expect("wait").success());
    }
    assert!(reads > 30, "only {reads} reads");
    assert_eq!(interactions_in(&t, "acme.yaml"), 30);
}

/// Where crash tests keep their folders: memory when the system has a
/// tmpfs at `/dev/shm` (a kill does not care about the disk, and thousands
/// of fsyncs there cost nothing), else the temporary folder.
fn scratch() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// A count from the environment, for the long runs.
fn count_from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Kills `args` at `kills` moments spread over the time a whole run takes
/// (stratified: the k-th kill lands at a random moment of the k-th slice),
/// each on a fresh folder made by `fresh`. After each kill one `kith check`
/// must leave the folder exactly as before or as after (temporary files
/// included, the journal gone); when `rerun` says so for the state found
/// (true: as after), the command is run again and must give the state after. Returns how many kills left each state.
fn kill_at_random_moments(
    fresh: &dyn Fn() -> Test,
    args: &[&str],
    kills: u64,
    rerun: &dyn Fn(bool) -> bool,
) -> (u64, u64) {
    let reference = fresh();
    let before = reference.snapshot();
    let started = Instant::now();
    reference.run(args).success();
    let span_us = (started.elapsed().as_micros() as u64 * 6 / 5).max(2000);
    let after = reference.snapshot();
    assert_ne!(before, after);
    let mut rng = Lcg(7);
    let (mut as_before, mut as_after) = (0, 0);
    // On a loaded machine a run can take far longer (or shorter) than the
    // timed one, and every planned kill may land on one side of the commit:
    // then kills go on, later (or earlier) each time, until both sides have
    // been seen, so that the test never passes without testing both.
    let mut n = 0;
    while n < kills || ((as_before == 0 || as_after == 0) && n < kills + 24) {
        let t = fresh();
        let mut child = t
            .command(args)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let slice = span_us / kills;
        let pause = match n.checked_sub(kills) {
            None => slice * n + rng.next() % slice.max(1),
            Some(extra) if as_after == 0 => span_us * (extra + 2),
            Some(extra) => rng.next() % (span_us / (extra + 2)).max(1),
        };
        std::thread::sleep(Duration::from_micros(pause));
        let _ = child.kill();
        child.wait().expect("wait");
        let check = t.run(&["check"]);
        check.success().stdout_empty();
        assert!(!t.exists(".kith/journal"), "kill {n}: the journal is left");
        let now = t.snapshot();
        let finished = now == after;
        if now == before {
            as_before += 1;
        } else if finished {
            as_after += 1;
        } else {
            let changed: Vec<_> = now
                .iter()
                .filter(|f| !before.contains(f) && !after.contains(f))
                .map(|(p, _)| p.display().to_string())
                .take(5)
                .collect();
            panic!(
                "kill {n} at {pause} µs: the folder is neither as before nor as after \
                 ({} files; before {}, after {}; e.g. {changed:?})\ncheck said: {}",
                now.len(),
                before.len(),
                after.len(),
                check.stderr
            );
        }
        if rerun(finished) {
            t.run(args).success();
            assert_eq!(t.snapshot(), after, "kill {n}: the re-run differs");
        }
        n += 1;
    }
    (as_before, as_after)
}

fn import_kills(rows: u64, kills: u64) -> (u64, u64) {
    let base = scratch();
    let csv_dir = tempfile::tempdir_in(&base).expect("tempdir");
    let csv = csv_dir.path().join("rows.csv");
    let mut text = String::from("name,email,phone\nAcme,c0@example.com,+86 571 0000\n");
    for i in 1..rows {
        text.push_str(&format!("Customer {i},c{i}@example.com,\n"));
    }
    fs::write(&csv, text).expect("csv");
    let csv = csv.to_string_lossy().into_owned();
    let fresh = || {
        Test::new_in(&base)
            .file(
                "acme.yaml",
                "name: Acme\ncontact:\n  email: c0@example.com\n",
            )
            .file("globex.yaml", "name: Globex\n")
    };
    // Every run re-imports: an interrupted import run again never duplicates.
    kill_at_random_moments(
        &fresh,
        &["-q", "import", &csv, "--as", "customers"],
        kills,
        &|_| true,
    )
}

#[test]
fn an_import_killed_at_random_moments_is_all_or_nothing() {
    // The long run of docs/reliability.md: KITH_CRASH_IMPORT_ROWS=5000
    // KITH_CRASH_IMPORT_KILLS=50.
    let rows = count_from_env("KITH_CRASH_IMPORT_ROWS", 500);
    let kills = count_from_env("KITH_CRASH_IMPORT_KILLS", 6);
    let (before, after) = import_kills(rows, kills);
    eprintln!("{kills} kills of a {rows}-row import: {before} as before, {after} as after");
    assert!(before + after >= kills);
    assert!(before > 0 && after > 0, "{before} before, {after} after");
}

const KEEP: &str = "name: Acme\ncontact:\n  email: buyer@acme.example\ninteractions:\n  - date: 2026-01-05\n    kind: purchase\n    amount: 100.00\n";
const OTHER: &str = "name: ACME Ltd\ninteractions:\n  - date: 2026-02-05\n    kind: purchase\n    amount: 250.00\n  - date: 2026-03-05\n    kind: purchase\n    amount: 75.00\n";

#[test]
fn a_merge_killed_at_random_moments_is_all_or_nothing() {
    let kills = count_from_env("KITH_CRASH_MERGE_KILLS", 100);
    let base = scratch();
    let fresh = || {
        Test::new_in(&base)
            .today("2026-11-23")
            .file("acme.yaml", KEEP)
            .file("acme-ltd.yaml", OTHER)
    };
    let (before, after) = kill_at_random_moments(
        &fresh,
        &["-q", "merge", "acme", "acme-ltd"],
        kills,
        &|finished| !finished,
    );
    eprintln!("{kills} kills of merge: {before} as before, {after} as after");
    assert!(before + after >= kills);
    assert!(before > 0 && after > 0, "{before} before, {after} after");
}

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

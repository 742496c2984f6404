//! The integration-test builder: a temporary customer folder, the real
//! binary, exact output.
//!
//! ```ignore
//! let t = Test::new().today("2026-11-23").file("acme.yaml", "name: Acme\n");
//! t.run(&["show", "acme"]).success().stdout_has("Acme");
//! ```
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Test {
    dir: tempfile::TempDir,
    today: Option<String>,
    env: Vec<(String, String)>,
}

/// The outcome of one run of kith.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a fixture, leaving out what kith keeps in `.kith/` (the index and
/// the cache a test of the library may have left in the repository's copy).
fn copy_tree(from: &Path, to: &Path) {
    let walker = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".kith");
    for entry in walker {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

impl Test {
    /// An empty kith folder (an empty kith.yaml: every default).
    pub fn new() -> Test {
        let t = Test::bare();
        fs::write(t.path().join("kith.yaml"), "").expect("write kith.yaml");
        t
    }

    /// An empty temporary folder, not a kith folder.
    pub fn bare() -> Test {
        Test {
            dir: tempfile::tempdir().expect("tempdir"),
            today: None,
            env: Vec::new(),
        }
    }

    /// An empty kith folder made inside `base` (a tmpfs for crash tests,
    /// where thousands of fsyncs cost nothing).
    pub fn new_in(base: &Path) -> Test {
        let t = Test {
            dir: tempfile::tempdir_in(base).expect("tempdir"),
            today: None,
            env: Vec::new(),
        };
        fs::write(t.path().join("kith.yaml"), "").expect("write kith.yaml");
        t
    }

    /// A copy of `fixtures/NAME`.
    pub fn fixture(name: &str) -> Test {
        let t = Test::bare();
        copy_tree(&repo_root().join("fixtures").join(name), t.path());
        t
    }

    /// A copy of `fixtures/demo`.
    pub fn demo() -> Test {
        Test::fixture("demo")
    }

    pub fn today(mut self, date: &str) -> Test {
        self.today = Some(date.to_string());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Writes a file below the folder (creating sub-folders).
    pub fn file(self, rel: &str, content: &str) -> Test {
        self.write(rel, content);
        self
    }

    pub fn config(self, content: &str) -> Test {
        self.file("kith.yaml", content)
    }

    pub fn write(&self, rel: &str, content: &str) {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(p, content).expect("write");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// A snapshot of every file below the folder (path, bytes), outside `.kith`.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(self.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| !e.path().components().any(|c| c.as_os_str() == ".kith"))
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(self.path())
                    .expect("prefix")
                    .to_path_buf();
                (rel, fs::read(e.path()).expect("read"))
            })
            .collect();
        files.sort();
        files
    }

    /// The kith command with `--dir` set to this folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
        cmd.arg("--dir").arg(self.path());
        cmd.args(args);
        cmd.env_remove("KITH_DIR")
            .env_remove("KITH_TODAY")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .env("NO_COLOR", "1")
            .env("KITH_LOCK_TIMEOUT", "30");
        if let Some(today) = &self.today {
            cmd.env("KITH_TODAY", today);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Runs kith on this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run kith"))
    }

    /// Runs kith in `cwd` without `--dir`.
    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
        cmd.current_dir(cwd)
            .args(args)
            .env_remove("KITH_DIR")
            .env_remove("KITH_TODAY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        if let Some(today) = &self.today {
            cmd.env("KITH_TODAY", today);
        }
        Run::from(cmd.output().expect("run kith"))
    }
}

impl Default for Test {
    fn default() -> Test {
        Test::new()
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        self.code(0)
    }

    /// Exit 2 with a one-line message on stderr, and no panic.
    #[track_caller]
    pub fn bad_input(&self) -> &Run {
        self.code(2);
        assert_eq!(self.stderr.lines().count(), 1, "one line:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_is(&self, expected: &str) -> &Run {
        assert_eq!(self.stdout, expected, "stdout\n--- stderr\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_empty(&self) -> &Run {
        self.stdout_is("")
    }
}

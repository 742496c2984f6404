//! The documentation runs: every command shown in README.md and docs/*.md
//! is run by this test against the output the page shows, so the pages
//! cannot drift from what kith does.
//!
//! Each page runs top to bottom in one `bash`, in a fresh folder holding a
//! copy of `fixtures/`, with this build's `kith` first on PATH; `cd` and
//! `export` carry from one block to the next, as for a reader typing along.
//! What a page may hold:
//!
//! - a block of `$ COMMAND` lines, each followed by its output (stdout and
//!   stderr as a terminal shows them, piped: tables are never shortened). The
//!   output must match line for line (trailing spaces aside); a line `...`
//!   stands for any number of lines. A command may fail (exit 2 or 3) only
//!   when its shown output holds kith's error line (`kith: …`).
//! - an `sh` block: commands whose output is not shown. They must not fail:
//!   any command exiting non-zero fails the test, except kith's exit 1
//!   ("something found", as `remind --exit-code`).
//! - a `yaml` block whose first line is `# NAME.yaml`, or any block opened
//!   with `file=NAME` after its language (```` ```csv file=leads.csv ````):
//!   that file, written in the current folder before the next step runs.
//!
//! Other blocks (synopses, crontab lines, file excerpts) are not run. In the
//! README, `cargo run --release --` runs this build's kith and `cargo test`
//! is this suite itself. `git@example.com:` names a bare repository in the
//! test's folder, and `mail` keeps what it would send in `sent-mail`. docs/performance.md is not run: its commands time 250,000
//! customers for minutes; `benches/` runs them.

mod util;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Pages whose commands are not run, and why.
const NOT_RUN: &[(&str, &str)] = &[("docs/performance.md", "benchmarks at 250,000 customers")];

#[derive(Debug)]
enum Step {
    /// A shown command and its shown output.
    Console {
        line: usize,
        command: String,
        expected: Vec<String>,
    },
    /// Commands without shown output.
    Script { line: usize, text: String },
    /// A file written before the next step.
    File { name: String, text: String },
}

/// The steps of a page, in order.
fn steps(page: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = page.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let info = info.trim().to_string();
        let mut body = Vec::new();
        for (_, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push(l.to_string());
        }
        let first_line = n + 2;
        if let Some(name) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            steps.push(Step::File {
                name: name.to_string(),
                text: body.join("\n") + "\n",
            });
            continue;
        }
        match info.as_str() {
            "sh" => steps.push(Step::Script {
                line: first_line,
                text: body.join("\n"),
            }),
            "yaml" => {
                if let Some(name) = body
                    .first()
                    .and_then(|l| l.strip_prefix("# "))
                    .filter(|n| n.ends_with(".yaml") && !n.contains(' '))
                {
                    steps.push(Step::File {
                        name: name.to_string(),
                        text: body.join("\n") + "\n",
                    });
                }
            }
            "" | "console" | "text" => {
                for (i, l) in body.iter().enumerate() {
                    if let Some(command) = l.strip_prefix("$ ") {
                        let expected = body[i + 1..]
                            .iter()
                            .take_while(|l| !l.starts_with("$ "))
                            .cloned()
                            .collect();
                        steps.push(Step::Console {
                            line: first_line + i,
                            command: command.to_string(),
                            expected,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    steps
}

const PRELUDE: &str = r#"exec 2>&1
mail() { cat >> "$HOME/sent-mail"; }
cargo() {
  case "$1" in
    run) while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done; shift; kith "$@" ;;
    test) : ;;
    *) echo "@@doc-fail cargo $1 is not run by the docs test"; return 2 ;;
  esac
}
kith() {
  command kith "$@"
  local s=$?
  if [ -z "$__console" ] && [ "$s" -ge 2 ]; then echo "@@doc-fail exit $s: kith $*"; fi
  return "$s"
}
__on_err() {
  local s=$1 c=${2#command }
  case "$c" in return*) return ;; esac
  if [ -z "$__console" ] && ! { [ "$s" = 1 ] && [ "${c#kith }" != "$c" ]; }; then
    echo "@@doc-fail exit $s: $c"
  fi
}
trap '__on_err $? "$BASH_COMMAND"' ERR
"#;

/// The bash script of a page: each step between markers.
fn script(steps: &[Step]) -> String {
    let mut s = String::from(PRELUDE);
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Console { command, .. } => {
                let _ = writeln!(
                    s,
                    "__console=1; printf '\\n@@doc-step {i}\\n'; {command}\n\
                     printf '\\n@@doc-exit %s\\n' $?; __console="
                );
            }
            Step::Script { text, .. } => {
                let _ = writeln!(s, "printf '\\n@@doc-step {i}\\n'\n{text}");
            }
            Step::File { name, text } => {
                let _ = writeln!(
                    s,
                    "printf '\\n@@doc-step {i}\\n'\ncat > '{name}' <<'KITH_DOC_EOF'\n{text}KITH_DOC_EOF"
                );
            }
        }
    }
    let _ = writeln!(s, "printf '\\n@@doc-step end\\n'");
    s
}

/// Whether `actual` is what the page shows: line by line, trailing spaces
/// aside, `...` standing for any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a.trim_end() == e.trim_end() && matches(rest, more)),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".kith")
    {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs one page; returns its failures, one message each.
fn run_page(rel: &str) -> Vec<String> {
    let page = fs::read_to_string(util::repo_root().join(rel)).expect("read page");
    // KITH_DOCS_BLESS=1 writes what was printed into the page, for a
    // developer who changed an output on purpose to review with git diff.
    run_text(rel, &page, std::env::var_os("KITH_DOCS_BLESS").is_some())
}

/// Runs the text of a page named `rel`.
fn run_text(rel: &str, page: &str, bless: bool) -> Vec<String> {
    let root = util::repo_root();
    let steps = steps(page);
    let sandbox = tempfile::tempdir().expect("tempdir");
    let work = sandbox.path().join("work");
    copy_tree(&root.join("fixtures"), &work.join("fixtures"));
    let remote = sandbox.path().join("remote");
    let bare = remote.join("team/customers.git");
    fs::create_dir_all(&bare).expect("mkdir");
    let init = Command::new("git")
        .args(["init", "--bare", "--quiet"])
        .arg(&bare)
        .status()
        .expect("git is needed by the docs test");
    assert!(init.success(), "git init --bare");
    let home = sandbox.path().join("home");
    fs::create_dir_all(&home).expect("mkdir");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_kith"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script(&steps))
        .current_dir(&work)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("LC_ALL", "C.UTF-8")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("KITH_LOCK_TIMEOUT", "30")
        .env("GIT_AUTHOR_NAME", "Li Wei")
        .env("GIT_AUTHOR_EMAIL", "li.wei@example.com")
        .env("GIT_COMMITTER_NAME", "Li Wei")
        .env("GIT_COMMITTER_EMAIL", "li.wei@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_COUNT", "2")
        .env(
            "GIT_CONFIG_KEY_0",
            format!("url.{}/.insteadOf", remote.display()),
        )
        .env("GIT_CONFIG_VALUE_0", "git@example.com:")
        .env("GIT_CONFIG_KEY_1", "init.defaultBranch")
        .env("GIT_CONFIG_VALUE_1", "master")
        .output()
        .expect("bash is needed by the docs test");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut segments: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(step) = line.strip_prefix("@@doc-step ") {
            segments.push((step.to_string(), Vec::new()));
        } else if let Some((_, lines)) = segments.last_mut() {
            lines.push(line);
        }
    }
    let mut failures = Vec::new();
    let mut blessed: Vec<(usize, usize, String)> = Vec::new();
    let reached_end = segments.last().is_some_and(|(s, _)| s == "end");
    if !reached_end {
        failures.push(format!("{rel}: the page did not run to its end:\n{text}"));
    }
    for (i, step) in steps.iter().enumerate() {
        let Some((_, lines)) = segments.iter().find(|(s, _)| *s == i.to_string()) else {
            continue;
        };
        // Each marker is printed after a line break of its own.
        let mut lines = lines.clone();
        if lines.last() == Some(&"") {
            lines.pop();
        }
        match step {
            Step::Console {
                line,
                command,
                expected,
            } => {
                let exit = lines
                    .iter()
                    .rposition(|l| l.starts_with("@@doc-exit "))
                    .map(|p| lines.remove(p));
                let code: i32 = exit
                    .and_then(|l| l.strip_prefix("@@doc-exit "))
                    .and_then(|c| c.trim().parse().ok())
                    .unwrap_or(-1);
                if lines.last() == Some(&"") {
                    lines.pop();
                }
                let shows_error = expected.iter().any(|l| l.starts_with("kith: "));
                if !matches(expected, &lines) && bless {
                    blessed.push((*line, expected.len(), lines.join("\n")));
                } else if !matches(expected, &lines) {
                    failures.push(format!(
                        "{rel}:{line}: $ {command}\n--- shown\n{}\n--- printed\n{}",
                        expected.join("\n"),
                        lines.join("\n")
                    ));
                } else if code >= 2 && !shows_error {
                    failures.push(format!("{rel}:{line}: $ {command}: exit {code}"));
                }
            }
            Step::Script { line, .. } => {
                for l in lines.iter().filter(|l| l.starts_with("@@doc-fail ")) {
                    failures.push(format!(
                        "{rel}: the sh block at line {line}: {}\n{}",
                        l.trim_start_matches("@@doc-fail "),
                        lines.join("\n")
                    ));
                }
            }
            Step::File { .. } => {}
        }
    }
    if !blessed.is_empty() {
        let mut page_lines: Vec<String> = page.lines().map(str::to_string).collect();
        for (line, shown, printed) in blessed.into_iter().rev() {
            let printed: Vec<String> = printed.lines().map(str::to_string).collect();
            page_lines.splice(line..line + shown, printed);
        }
        fs::write(root.join(rel), page_lines.join("\n") + "\n").expect("bless the page");
    }
    failures
}

/// README.md and every page of docs/ but those not run.
fn pages() -> Vec<String> {
    let root = util::repo_root();
    let mut pages = vec!["README.md".to_string()];
    let mut docs: Vec<String> = fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .filter(|p| !NOT_RUN.iter().any(|(n, _)| n == p))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

#[test]
fn every_command_in_the_docs_prints_what_the_docs_show() {
    let failures: Vec<String> = pages().iter().flat_map(|p| run_page(p)).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_harness_catches_wrong_output_and_failing_commands() {
    let page = "```console\n$ echo a\nb\n$ kith --dir nowhere list\n```\n\
                ```sh\nfalse\nkith --dir nowhere list || true\nkith --version\n```\n";
    let failures = run_text("page.md", page, false);
    assert_eq!(failures.len(), 4, "{failures:#?}");
    assert!(failures[0].starts_with("page.md:2: $ echo a\n--- shown\nb\n--- printed\na"));
    assert!(failures[1].starts_with("page.md:4: $ kith --dir nowhere list\n--- shown\n\n"));
    assert!(failures[2].contains("exit 1: false"), "{}", failures[2]);
    assert!(
        failures[3].contains("exit 2: kith --dir nowhere list"),
        "{}",
        failures[3]
    );
    let good = "```console\n$ printf 'a\\nx\\ny\\nz\\n'\na\n...\nz\n```\n";
    assert_eq!(run_text("good.md", good, false), Vec::<String>::new());
}

#[test]
fn the_docs_pages_exist() {
    // A renamed page must be renamed here too, not silently dropped.
    let pages = pages();
    for p in [
        "README.md",
        "docs/daily-use.md",
        "docs/analytics.md",
        "docs/git.md",
    ] {
        assert!(pages.iter().any(|x| x == p), "{p}");
    }
}

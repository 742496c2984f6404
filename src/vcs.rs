//! The git repository around a customer folder, as `kith git-setup` and
//! `kith init --git` set it up: git merges customer files with `kith
//! merge-file`, and commits are checked. Messages go to `note`.
//!
//! Three things, each left alone when already in place, so running it again
//! changes nothing:
//! - `.gitattributes` in the customer folder (committed, shared by the team):
//!   `*.yaml`/`*.yml` use the `kith` driver, the folder's own `kith.yaml`
//!   merges as text (the later line wins in git's attribute rules);
//! - `merge.kith.name` and `merge.kith.driver` in the clone's `.git/config`,
//!   which git never shares: each teammate runs `kith git-setup` once;
//! - a pre-commit hook running `kith check`, unless a hook exists already.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::Result;

use crate::error;
use crate::store::write_atomic;

/// The attribute lines, in the order that gives them effect.
const ATTRIBUTES: [&str; 3] = [
    "*.yaml merge=kith",
    "*.yml merge=kith",
    "/kith.yaml merge=text",
];

const DRIVER_NAME: &str = "kith: three-way merge of customer records";

/// For `kith init --git`: starts a repository in `root` unless it is in one
/// already, then sets it up.
pub fn setup(note: &dyn Fn(String), root: &Path) -> Result<()> {
    let top = match toplevel(root)? {
        Some(top) => top,
        None => {
            let out = git(root, &["init", "--quiet"])?;
            if !out.status.success() {
                return Err(git_failed(root, "git init", &out));
            }
            // Branch `main` whatever git's default, so that docs/git.md's
            // `git push -u origin main` works as written; `symbolic-ref`
            // rather than `init -b`, which older gits lack.
            let out = git(root, &["symbolic-ref", "HEAD", "refs/heads/main"])?;
            if !out.status.success() {
                return Err(git_failed(root, "git symbolic-ref", &out));
            }
            note(format!(
                "started a git repository in {} (branch main)",
                root.display()
            ));
            toplevel(root)?.ok_or_else(|| {
                error::env(format!(
                    "{}: git init ran but git does not see a repository there",
                    root.display()
                ))
            })?
        }
    };
    configure(note, root, &top)
}

pub fn configure(note: &dyn Fn(String), root: &Path, top: &Path) -> Result<()> {
    let kith = kith_command();
    let driver = format!("{kith} merge-file %O %A %B");
    let attributes = write_attributes(note, root)?;
    let name = set_config(note, root, "merge.kith.name", DRIVER_NAME)?;
    let driver = set_config(note, root, "merge.kith.driver", &driver)?;
    let hook = install_hook(note, root, top, &kith)?;
    if !(attributes || name || driver || hook) {
        note(format!(
            "kith's git set-up is already in place in {}; nothing changed",
            top.display()
        ));
    }
    Ok(())
}

/// Runs `git -C dir ARGS`; only failing to start git is an error here.
fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| error::env(format!("cannot run git: {e}; install git and try again")))
}

fn git_failed(dir: &Path, what: &str, out: &Output) -> anyhow::Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    error::env(format!(
        "{}: {what} failed: {}",
        dir.display(),
        stderr.trim().replace('\n', " ")
    ))
}

/// The top folder of the repository holding `dir`, if it is in one.
pub fn toplevel(dir: &Path) -> Result<Option<PathBuf>> {
    let out = git(dir, &["rev-parse", "--show-toplevel"])?;
    let top = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
    Ok((out.status.success() && !top.is_empty()).then(|| PathBuf::from(top)))
}

/// Appends the attribute lines unless they are there, in an order that
/// gives them effect.
fn write_attributes(note: &dyn Fn(String), root: &Path) -> Result<bool> {
    let path = root.join(".gitattributes");
    let existing = read_if_exists(&path)?;
    if attributes_in_effect(&existing) {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# Customer records merge with kith's driver (kith git-setup); kith.yaml as text.\n",
    );
    for line in ATTRIBUTES {
        text.push_str(line);
        text.push('\n');
    }
    write_atomic(&path, text.as_bytes())?;
    note(format!(
        "wrote {}: commit it so that the whole team merges customer files with kith",
        path.display()
    ));
    Ok(true)
}

/// Whether every attribute line is present with the `kith.yaml` exception
/// after both patterns (in git, the later line wins).
fn attributes_in_effect(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let last = |want: &str| lines.iter().rposition(|l| *l == want);
    match ATTRIBUTES.map(last) {
        [Some(yaml), Some(yml), Some(config)] => config > yaml && config > yml,
        _ => false,
    }
}

fn read_if_exists(path: &Path) -> Result<String> {
    match fs::read_to_string(path) {
        Ok(s) => Ok(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(error::env(format!("{}: cannot read: {e}", path.display()))),
    }
}

/// Sets `key` in the repository's own config unless it has that value.
fn set_config(note: &dyn Fn(String), dir: &Path, key: &str, value: &str) -> Result<bool> {
    let current = git(dir, &["config", "--local", "--get", key])?;
    if current.status.success() && String::from_utf8_lossy(&current.stdout).trim_end() == value {
        return Ok(false);
    }
    let out = git(dir, &["config", "--local", key, value])?;
    if !out.status.success() {
        return Err(git_failed(dir, "git config", &out));
    }
    note(format!("set {key} = {value}"));
    Ok(true)
}

/// Installs the pre-commit hook, or says what to add to an existing one.
fn install_hook(note: &dyn Fn(String), root: &Path, top: &Path, kith: &str) -> Result<bool> {
    let out = git(root, &["rev-parse", "--git-path", "hooks/pre-commit"])?;
    if !out.status.success() {
        return Err(git_failed(root, "git rev-parse", &out));
    }
    let hook = root.join(String::from_utf8_lossy(&out.stdout).trim_end());
    let line = hook_line(kith, &folder_in_repo(root, top));
    let existing = read_if_exists(&hook)?;
    if existing.contains(&line) {
        return Ok(false);
    }
    if !existing.is_empty() {
        note(format!(
            "{}: a pre-commit hook exists already and was left as it is; to check customer files before each commit, add this line to it: {line}",
            hook.display()
        ));
        return Ok(false);
    }
    if let Some(dir) = hook.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| error::env(format!("{}: cannot create: {e}", dir.display())))?;
    }
    let script = format!(
        "#!/bin/sh\n\
         # Installed by kith git-setup: no commit while a customer file is invalid\n\
         # (does not parse, or holds an unresolved conflict). Skip once with --no-verify.\n\
         {line}\n"
    );
    write_atomic(&hook, script.as_bytes())?;
    make_executable(&hook)?;
    note(format!(
        "installed {}: kith check runs before each commit",
        hook.display()
    ));
    Ok(true)
}

/// The hook's command. Git runs hooks in the top folder of the work tree.
fn hook_line(kith: &str, folder: &str) -> String {
    format!(
        "{kith} --dir {} check || {{ echo 'kith check found problems in customer files; fix them, or commit with --no-verify' >&2; exit 1; }}",
        shell_quote(folder)
    )
}

/// The customer folder relative to the repository's top (`.` when it is
/// the top), so the hook keeps working when the clone is moved.
fn folder_in_repo(root: &Path, top: &Path) -> String {
    let (Ok(root), Ok(top)) = (root.canonicalize(), top.canonicalize()) else {
        return root.display().to_string();
    };
    match root.strip_prefix(&top) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => root.display().to_string(),
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| error::env(format!("{}: cannot make executable: {e}", path.display())))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

/// How git and the hook call kith: plain `kith` when the kith found on PATH
/// is the one running (the set-up then survives upgrades that move the
/// binary), else the running binary's full path, quoted for the shell.
fn kith_command() -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "kith".to_string();
    };
    let on_path = find_on_path(&format!("kith{}", std::env::consts::EXE_SUFFIX));
    match on_path {
        Some(found) if same_file(&found, &exe) => "kith".to_string(),
        _ => shell_quote(&exe.to_string_lossy()),
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// `s` as one word for `sh`: as it is when plain, else single-quoted.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_count_only_in_an_order_that_works() {
        assert!(!attributes_in_effect(""));
        assert!(attributes_in_effect(
            "*.yaml merge=kith\n*.yml merge=kith\n/kith.yaml merge=text\n"
        ));
        // The exception before the pattern is overridden by it.
        assert!(!attributes_in_effect(
            "/kith.yaml merge=text\n*.yaml merge=kith\n*.yml merge=kith\n"
        ));
        assert!(!attributes_in_effect("*.yaml merge=kith\n"));
    }

    #[test]
    fn quotes_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote("customers"), "customers");
        assert_eq!(shell_quote("/usr/local/bin/kith"), "/usr/local/bin/kith");
        assert_eq!(shell_quote("my customers"), "'my customers'");
        assert_eq!(shell_quote("客户"), "'客户'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}

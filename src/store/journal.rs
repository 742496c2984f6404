//! Changes to several files at once, all or none, across a kill at any
//! moment and a failed write: the journal in `.kith/journal`.
//!
//! A batch is committed in four steps, under the folder lock:
//! 1. the journal is written in state `prepare`, naming every file the batch
//!    changes;
//! 2. each new text is written to a hidden temporary file beside its target
//!    (`.ID.yaml.kith-new`) and fsynced; a failure here (a full disk) removes
//!    them all and the folder is as before;
//! 3. the journal is switched to `commit` (one atomic rename): from here on
//!    the change is decided;
//! 4. each temporary file is renamed over its target, removed files are
//!    removed, the folders are fsynced, and the journal is removed.
//!
//! The next kith that takes the lock (every write command, and `check`)
//! finds a journal left by a killed one: in state `prepare` it removes the
//! temporary files (undo), in state `commit` it renames those still there and
//! removes what is to be removed (finish). Either way the folder ends as it
//! was before the batch or as it is after it, never in between.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fsio;
use crate::error;

/// The journal, below the folder.
const JOURNAL: &str = ".kith/journal";

/// A journal larger than this is not kith's: 250,000 paths of 200 bytes.
const MAX_JOURNAL_BYTES: u64 = 64 * 1024 * 1024;

/// The suffix of a batch's temporary files.
pub const TEMP_SUFFIX: &str = ".kith-new";

/// One file of a batch: its new text, or its removal.
#[derive(Debug)]
pub struct Op {
    /// The target, as the user sees its path (the folder joined with it).
    pub path: PathBuf,
    /// The new bytes; `None` removes the file.
    pub new: Option<Vec<u8>>,
    /// What the file must hold when the batch is committed (`None`: it must
    /// not exist), so that a change made meanwhile is never overwritten.
    pub expected: Option<Vec<u8>>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum State {
    Prepare,
    Commit,
}

#[derive(Serialize, Deserialize, Debug)]
struct Journal {
    state: State,
    /// Paths relative to the folder, `/` between parts.
    write: Vec<String>,
    remove: Vec<String>,
}

/// The hidden temporary file a batch writes `target`'s new text to.
pub fn temp_of(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}

/// Commits `ops` all or none. The caller holds the folder lock. `written`
/// is called once per file written, for a progress bar.
pub fn commit(root: &Path, ops: &[Op], written: &(dyn Fn() + Sync)) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    for op in ops {
        check_unchanged(op)?;
        fsio::refuse_read_only(&op.path)?;
    }
    let relative = |op: &Op| relative(root, &op.path);
    let journal = Journal {
        state: State::Prepare,
        write: ops
            .iter()
            .filter(|o| o.new.is_some())
            .map(relative)
            .collect::<Result<_>>()?,
        remove: ops
            .iter()
            .filter(|o| o.new.is_none())
            .map(relative)
            .collect::<Result<_>>()?,
    };
    save(root, &journal)?;
    if let Err(e) = write_temporaries(ops, written) {
        // Nothing is decided yet: undo.
        for op in ops.iter().filter(|o| o.new.is_some()) {
            let _ = fs::remove_file(temp_of(&op.path));
        }
        let _ = remove_journal(root);
        return Err(e);
    }
    let journal = Journal {
        state: State::Commit,
        ..journal
    };
    save(root, &journal)?;
    finish(root, &journal).map_err(|e| {
        error::env(format!(
            "{e}; the change is recorded in {} and the next kith command finishes it",
            root.join(JOURNAL).display()
        ))
    })
}

/// Refuses a batch whose file changed on disk since it was read.
fn check_unchanged(op: &Op) -> Result<()> {
    let now = match fs::symlink_metadata(&op.path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(error::env(format!(
                "{}: cannot read: {e}",
                op.path.display()
            )));
        }
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(error::bad(format!(
                "{}: is not a regular file; kith does not write through it; nothing was written",
                op.path.display()
            )));
        }
        Ok(_) => Some(
            fs::read(&op.path)
                .map_err(|e| error::env(format!("{}: cannot read: {e}", op.path.display())))?,
        ),
    };
    if now == op.expected {
        return Ok(());
    }
    let what = match (&op.expected, &now) {
        (None, Some(_)) => "already exists",
        (Some(_), None) => "was removed while kith was working",
        _ => "changed on disk while kith was working (an editor?)",
    };
    Err(error::env(format!(
        "{}: {what}; nothing was written, try again",
        op.path.display()
    )))
}

/// Writes every new text to its temporary file, in parallel: each waits on
/// an fsync, and many in flight let the file system commit them together.
fn write_temporaries(ops: &[Op], written: &(dyn Fn() + Sync)) -> Result<()> {
    let write = |op: &Op| -> Result<()> {
        let Some(bytes) = &op.new else {
            return Ok(());
        };
        let tmp = temp_of(&op.path);
        let result = (|| -> std::io::Result<()> {
            match fs::remove_file(&tmp) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        written();
        result.map_err(|e| {
            error::env(format!(
                "{}: cannot write: {e}; nothing was written",
                op.path.display()
            ))
        })
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WRITERS)
        .build()
        .ok();
    let results: Vec<Result<()>> = match pool {
        Some(pool) => pool.install(|| ops.par_iter().map(write).collect()),
        None => ops.iter().map(write).collect(),
    };
    results.into_iter().collect()
}

const WRITERS: usize = 64;

/// Step 4, also run by recovery: every temporary file still there is
/// renamed over its target, every file to remove is removed, the folders are
/// fsynced, and the journal goes.
fn finish(root: &Path, journal: &Journal) -> Result<()> {
    let mut folders = BTreeSet::new();
    for rel in &journal.write {
        let target = root.join(rel);
        let tmp = temp_of(&target);
        match fs::rename(&tmp, &target) {
            Ok(()) => {}
            // Renamed before the kill.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(error::env(format!(
                    "{}: cannot write: {e}",
                    target.display()
                )));
            }
        }
        folders.insert(parent(&target));
    }
    for rel in &journal.remove {
        let target = root.join(rel);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(error::env(format!(
                    "{}: cannot remove: {e}",
                    target.display()
                )));
            }
        }
        folders.insert(parent(&target));
    }
    for folder in folders {
        fsio::sync_dir(&folder)
            .map_err(|e| error::env(format!("{}: cannot sync: {e}", folder.display())))?;
    }
    remove_journal(root)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes the journal atomically (temporary file, fsync, rename, fsync).
fn save(root: &Path, journal: &Journal) -> Result<()> {
    let path = root.join(JOURNAL);
    let cannot =
        |e: &dyn std::fmt::Display| error::env(format!("{}: cannot write: {e}", path.display()));
    let text = serde_json::to_vec(journal).map_err(|e| cannot(&e))?;
    fs::create_dir_all(parent(&path)).map_err(|e| cannot(&e))?;
    fsio::write_atomic(&path, &text)
}

fn remove_journal(root: &Path) -> Result<()> {
    let path = root.join(JOURNAL);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(error::env(format!(
                "{}: cannot remove: {e}",
                path.display()
            )));
        }
        _ => {}
    }
    fsio::sync_dir(&parent(&path))
        .map_err(|e| error::env(format!("{}: cannot sync: {e}", path.display())))
}

/// A target's path relative to the folder, as the journal holds it.
fn relative(root: &Path, path: &Path) -> Result<String> {
    let rel = path.strip_prefix(root).ok().and_then(Path::to_str);
    match rel {
        Some(rel) if safe(rel) => Ok(rel.replace('\\', "/")),
        _ => Err(error::bad(format!(
            "{}: cannot be changed with others: its path is not plain text inside {}",
            path.display(),
            root.display()
        ))),
    }
}

/// A journal path kith may act on: relative, no `..`, nothing hidden, a
/// customer file.
fn safe(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && (rel.ends_with(".yaml") || rel.ends_with(".yml"))
        && path.components().all(|c| match c {
            Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
            _ => false,
        })
}

/// What recovery did, for a line on stderr.
#[derive(Debug, PartialEq, Eq)]
pub enum Recovered {
    /// A batch decided before the kill, finished: how many files it changed.
    Finished(usize),
    /// A batch killed before it was decided, undone: the temporary files
    /// removed.
    Undone(Vec<PathBuf>),
}

/// Finishes or undoes a batch a killed kith left. The caller holds the lock.
pub fn recover(root: &Path) -> Result<Option<Recovered>> {
    let path = root.join(JOURNAL);
    let _ = fs::remove_file(fsio::temp_path(&path));
    let meta = match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error::env(format!("{}: cannot read: {e}", path.display()))),
        Ok(meta) => meta,
    };
    let damaged = |why: &str| {
        error::bad(format!(
            "{}: {why}; it is not a journal kith wrote: look at it, then remove it",
            path.display()
        ))
    };
    if !meta.file_type().is_file() {
        return Err(damaged("is not a regular file"));
    }
    let mut bytes = Vec::new();
    File::open(&path)
        .and_then(|f| f.take(MAX_JOURNAL_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| error::env(format!("{}: cannot read: {e}", path.display())))?;
    if bytes.is_empty() {
        // Killed between creating and filling it (a rename makes this all
        // but impossible): nothing of the batch was written.
        remove_journal(root)?;
        return Ok(None);
    }
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|_| damaged("cannot be read"))?;
    if !journal.write.iter().chain(&journal.remove).all(|r| safe(r)) {
        return Err(damaged("names a path outside the customer files"));
    }
    match journal.state {
        State::Commit => {
            finish(root, &journal)?;
            Ok(Some(Recovered::Finished(
                journal.write.len() + journal.remove.len(),
            )))
        }
        State::Prepare => {
            let mut removed = Vec::new();
            for rel in &journal.write {
                let tmp = temp_of(&root.join(rel));
                if fs::remove_file(&tmp).is_ok() {
                    removed.push(tmp);
                }
            }
            remove_journal(root)?;
            Ok(Some(Recovered::Undone(removed)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(root: &Path, name: &str, new: Option<&str>, expected: Option<&str>) -> Op {
        Op {
            path: root.join(name),
            new: new.map(|s| s.as_bytes().to_vec()),
            expected: expected.map(|s| s.as_bytes().to_vec()),
        }
    }

    fn read(root: &Path, name: &str) -> Option<String> {
        fs::read_to_string(root.join(name)).ok()
    }

    #[test]
    fn a_batch_writes_and_removes_together() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.yaml"), "old a\n").unwrap();
        fs::write(root.join("b.yaml"), "old b\n").unwrap();
        let ops = [
            op(root, "a.yaml", Some("new a\n"), Some("old a\n")),
            op(root, "b.yaml", None, Some("old b\n")),
            op(root, "c.yaml", Some("new c\n"), None),
        ];
        commit(root, &ops, &|| {}).unwrap();
        assert_eq!(read(root, "a.yaml").as_deref(), Some("new a\n"));
        assert_eq!(read(root, "b.yaml"), None);
        assert_eq!(read(root, "c.yaml").as_deref(), Some("new c\n"));
        assert!(!root.join(JOURNAL).exists());
        assert_eq!(recover(root).unwrap(), None);
    }

    #[test]
    fn a_changed_file_stops_the_batch_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.yaml"), "edited\n").unwrap();
        let ops = [
            op(root, "c.yaml", Some("new c\n"), None),
            op(root, "a.yaml", Some("new a\n"), Some("old a\n")),
        ];
        assert!(commit(root, &ops, &|| {}).is_err());
        assert_eq!(read(root, "c.yaml"), None);
        assert_eq!(read(root, "a.yaml").as_deref(), Some("edited\n"));
    }

    #[test]
    fn a_prepared_batch_is_undone_and_a_committed_one_finished() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(".kith")).unwrap();
        fs::write(root.join("a.yaml"), "old a\n").unwrap();
        fs::write(root.join("b.yaml"), "old b\n").unwrap();
        fs::write(temp_of(&root.join("a.yaml")), "new a\n").unwrap();
        let mut journal = Journal {
            state: State::Prepare,
            write: vec!["a.yaml".into(), "c.yaml".into()],
            remove: vec!["b.yaml".into()],
        };
        save(root, &journal).unwrap();
        assert_eq!(
            recover(root).unwrap(),
            Some(Recovered::Undone(vec![temp_of(&root.join("a.yaml"))]))
        );
        assert_eq!(read(root, "a.yaml").as_deref(), Some("old a\n"));
        assert!(!temp_of(&root.join("a.yaml")).exists());
        // Committed, a.yaml already renamed, c.yaml not yet.
        fs::write(root.join("a.yaml"), "new a\n").unwrap();
        fs::write(temp_of(&root.join("c.yaml")), "new c\n").unwrap();
        journal.state = State::Commit;
        save(root, &journal).unwrap();
        assert_eq!(recover(root).unwrap(), Some(Recovered::Finished(3)));
        assert_eq!(read(root, "a.yaml").as_deref(), Some("new a\n"));
        assert_eq!(read(root, "c.yaml").as_deref(), Some("new c\n"));
        assert_eq!(read(root, "b.yaml"), None);
        assert_eq!(recover(root).unwrap(), None);
    }

    #[test]
    fn a_hostile_journal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(".kith")).unwrap();
        for paths in [
            vec!["../x.yaml"],
            vec!["/etc/x.yaml"],
            vec![".git/x.yaml"],
            vec!["kith"],
        ] {
            let journal = Journal {
                state: State::Commit,
                write: paths.iter().map(|s| s.to_string()).collect(),
                remove: vec![],
            };
            save(root, &journal).unwrap();
            assert!(recover(root).is_err(), "{paths:?}");
        }
        fs::write(root.join(JOURNAL), "{not json").unwrap();
        assert!(recover(root).is_err());
    }
}

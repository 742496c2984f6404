//! The only file-system writes kith makes: atomic replacement and the lock.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::error;

/// The folder lock, held while a writer reads, changes and replaces files.
/// The operating system releases it when the process dies.
pub struct Lock {
    _file: File,
}

/// How long a writer waits for the lock; `KITH_LOCK_TIMEOUT` (seconds)
/// shortens it for tests.
fn lock_timeout() -> Duration {
    std::env::var("KITH_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(10), Duration::from_secs_f64)
}

pub fn lock(root: &Path) -> Result<Lock> {
    let dir = root.join(".kith");
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let deadline = Instant::now() + lock_timeout();
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    return Err(error::env(format!(
                        "{}: another kith is writing and held the lock too long; try again",
                        path.display()
                    )));
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

/// The hidden temporary name a replacement is written under: hidden, so a
/// scan never sees a half-written file, and fixed per target, so that the
/// temporary file a killed writer left is overwritten and renamed away by the
/// next write of the same file. Writers hold the folder lock, so no two write
/// the same temporary file at once.
pub(super) fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.kith-tmp"))
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same
/// folder, fsync, rename, fsync of the folder. A reader sees the old file or
/// the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    refuse_read_only(path)?;
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        // A leftover of a killed writer (or anything planted under this name,
        // a link included) is removed, never written through.
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(path.parent().unwrap_or(Path::new(".")))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(error::env(format!("{}: cannot write: {e}", path.display())));
    }
    Ok(())
}

/// A read-only file or folder is the user's "do not touch": refused even
/// where the process could write anyway (as root).
pub(super) fn refuse_read_only(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    for (what, p) in [("file", path), ("folder", dir)] {
        if fs::metadata(p).is_ok_and(|m| m.permissions().readonly()) {
            return Err(error::env(format!(
                "{}: the {what} is read-only; nothing was written",
                p.display()
            )));
        }
    }
    Ok(())
}

pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?
        .sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

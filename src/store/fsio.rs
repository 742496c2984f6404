//! The only file-system writes kith makes: atomic replacement and the lock;
//! and the one way kith opens a file below its folder for reading: never
//! through a link, never anything but a regular file, never past a size.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::error;

/// The folder lock, held while a writer reads, changes and replaces files.
/// The operating system releases it when the process dies.
pub struct Lock {
    _file: File,
}

/// How long a writer waits for the lock: 10 s, or `KITH_LOCK_TIMEOUT`
/// seconds (a number from 0 to a day; a fraction is allowed). Anything else
/// is refused, so a typo never silently means the default.
fn lock_timeout() -> Result<Duration> {
    let Some(text) = std::env::var_os("KITH_LOCK_TIMEOUT") else {
        return Ok(Duration::from_secs(10));
    };
    let text = text.to_string_lossy();
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && (0.0..=MAX_LOCK_TIMEOUT).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            error::bad(format!(
                "KITH_LOCK_TIMEOUT: `{text}` is not a number of seconds from 0 to {MAX_LOCK_TIMEOUT} \
                 (e.g. 30 or 0.5)"
            ))
        })
}

/// A day: longer than any writer holds the lock.
const MAX_LOCK_TIMEOUT: f64 = 86_400.0;

pub fn lock(root: &Path) -> Result<Lock> {
    let timeout = lock_timeout()?;
    let dir = private_dir(root, &[])?;
    let path = dir.join("lock");
    if let Some(why) = not_regular(&path) {
        return Err(error::bad(format!("{}: {why}", path.display())));
    }
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    no_follow(&mut options);
    let file = options.open(&path).map_err(|e| {
        error::env(format!(
            "{}: cannot open the lock file: {e}",
            path.display()
        ))
    })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(error::bad(format!("{}: {NOT_REGULAR}", path.display())));
    }
    let deadline = Instant::now() + timeout;
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

const LINK: &str = "is a symbolic link; kith does not follow links, replace it with the file";
const NOT_REGULAR: &str =
    "is not a regular file (a FIFO, device or socket); kith opens only regular files";

/// Why the thing at `path` may not be opened, if it exists and is a link
/// or not a regular file.
pub fn not_regular(path: &Path) -> Option<&'static str> {
    let meta = fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() {
        Some(LINK)
    } else if !meta.is_file() {
        Some(NOT_REGULAR)
    } else {
        None
    }
}

/// `.kith/PARTS…` below the folder, made when missing, refused when any
/// part of it is a link or not a folder: kith's own files are never written
/// elsewhere.
pub fn private_dir(root: &Path, parts: &[&str]) -> Result<PathBuf> {
    let mut dir = root.join(".kith");
    for i in 0..=parts.len() {
        if i > 0 {
            dir.push(parts[i - 1]);
        }
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(m) => {
                let why = if m.file_type().is_symlink() {
                    "is a symbolic link; kith does not follow links, remove it"
                } else {
                    "is not a folder; remove it"
                };
                return Err(error::bad(format!("{}: {why}", dir.display())));
            }
            Err(_) => match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(error::env(format!("{}: cannot create: {e}", dir.display())));
                }
            },
        }
    }
    Ok(dir)
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Link,
    NotRegular,
    TooBig(u64),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Link => f.write_str(LINK),
            ReadError::NotRegular => f.write_str(NOT_REGULAR),
            ReadError::TooBig(len) => write!(
                f,
                "the file is {} MiB, over the {} MiB a customer record or kith.yaml may have; \
                 split or trim it",
                len / (1024 * 1024),
                crate::record::MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl ReadError {
    /// The exit code: the environment for I/O, bad input otherwise.
    pub fn into_error(self, path: &Path) -> anyhow::Error {
        let message = format!("{}:1:1: {self}", path.display());
        match self {
            ReadError::Io(_) => error::env(message),
            _ => error::bad(message),
        }
    }
}

/// Opens `path` for reading without following a link in its last part and
/// without waiting on a FIFO, and reads it whole if it is a regular file of
/// at most `limit` bytes (refused before reading when it is larger).
pub fn read_regular(path: &Path, limit: u64) -> Result<(Vec<u8>, fs::Metadata), ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    let mut file = options.open(path).map_err(|e| {
        if is_link_error(&e) {
            ReadError::Link
        } else {
            ReadError::Io(e)
        }
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

/// O_NOFOLLOW (a link in the last part fails the open) and O_NONBLOCK (a
/// FIFO does not hang it; regular files ignore the flag).
fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = options;
}

fn is_link_error(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The first folder strictly between `root` and `path` that is a link, if
/// any: a path through it leads out of the folder.
pub fn link_on_the_way(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut dir = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        dir.push(part);
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(dir);
        }
    }
    None
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

//! The cache of parsed records in `.kith/cache/`: what lets a whole-folder
//! report skip opening and parsing the files that have not changed since the
//! last report.
//!
//! The cache is never the truth. Each record in it is kept with the stamp of
//! the file it was parsed from (size, modification and change times to the
//! nanosecond, inode), and is used only while a fresh `lstat` of that file
//! gives the same stamp. Any write changes the change time, which no program
//! can set back, so a file edited behind kith's back (same size, same second,
//! modification time restored) is parsed again. The racy case, a file written
//! again within the same clock tick as the read that cached it, is ruled out
//! as git does: a file whose times are within `RACY` of the moment the scan
//! started is parsed but not cached, until a later report sees it settled.
//!
//! The records are spread over `SHARDS` files by a hash of their path, so a
//! changed customer rewrites one small shard and a scan holds only the shards
//! being read. A shard starts with the fingerprint of the build and the
//! folder's stages and kinds (a new kith or an edited `kith.yaml` drops the
//! whole cache) and a checksum of its body (a shard torn by a crash is
//! dropped). Shards are written to a temporary file and renamed into place
//! without fsync: losing the cache costs one slower report, nothing more.
//! Files that do not parse are never cached; they are read every time, so
//! their errors are always reported. `KITH_NO_CACHE=1` turns the cache off.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::record::{self, Record, Schema};
use xxhash_rust::xxh3::{Xxh3Builder, xxh3_64};

const DIR: &str = ".kith/cache";
pub const SHARDS: usize = 64;
const MAGIC: &[u8; 8] = b"kithrc01";
/// How close to the scan's start a file's times may be before it counts as
/// still changing: more than any file system's timestamp granularity (FAT's
/// two seconds is the coarsest).
const RACY: Duration = Duration::from_secs(2);

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    modified_ns: i64,
    changed_ns: i64,
    inode: u64,
}

const STAMP_BYTES: usize = 32;

impl Stamp {
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nanos: i64| secs.checked_mul(1_000_000_000)?.checked_add(nanos);
        Some(Stamp {
            size: meta.size(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec())?,
            changed_ns: ns(meta.ctime(), meta.ctime_nsec())?,
            inode: meta.ino(),
        })
    }

    /// Elsewhere there is no change time to trust, so nothing is cached.
    #[cfg(not(unix))]
    pub fn of(_meta: &fs::Metadata) -> Option<Stamp> {
        None
    }

    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.modified_ns.to_le_bytes());
        out.extend_from_slice(&self.changed_ns.to_le_bytes());
        out.extend_from_slice(&self.inode.to_le_bytes());
    }

    fn get(bytes: &[u8]) -> Option<Stamp> {
        let word = |i: usize| -> Option<[u8; 8]> { bytes.get(i * 8..i * 8 + 8)?.try_into().ok() };
        Some(Stamp {
            size: u64::from_le_bytes(word(0)?),
            modified_ns: i64::from_le_bytes(word(1)?),
            changed_ns: i64::from_le_bytes(word(2)?),
            inode: u64::from_le_bytes(word(3)?),
        })
    }

    /// Whether the file may still be changing within the same clock tick as
    /// `start`: then a later write could leave this very stamp.
    fn is_racy(&self, start_ns: i64) -> bool {
        let settled = start_ns.saturating_sub(RACY.as_nanos() as i64);
        self.modified_ns >= settled || self.changed_ns >= settled
    }
}

/// The cache of one folder, for one scan.
pub struct Cache {
    dir: PathBuf,
    /// The length of the folder's path, as the walk gives it.
    root_len: usize,
    fingerprint: u64,
    start_ns: i64,
}

impl Cache {
    /// The cache of the folder at `root`, unless it is turned off or kith
    /// cannot tell which build it is.
    pub fn open(root: &Path, schema: &Schema) -> Option<Cache> {
        if std::env::var_os("KITH_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
            return None;
        }
        let start_ns = i64::try_from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()?
                .as_nanos(),
        )
        .ok()?;
        Some(Cache {
            dir: root.join(DIR),
            root_len: root.as_os_str().len(),
            fingerprint: fingerprint(schema)?,
            start_ns,
        })
    }

    /// A file's key in the cache: its path below the folder. The walk joins
    /// names onto the folder, so every path it gives starts with the folder.
    pub fn key<'p>(&self, path: &'p Path) -> &'p [u8] {
        let path = path.as_os_str().as_encoded_bytes();
        match path.get(self.root_len..) {
            Some(rel) => rel.strip_prefix(b"/").unwrap_or(rel),
            None => path,
        }
    }

    /// The shard that holds the file with `key`.
    pub fn shard_of(key: &[u8]) -> usize {
        super::stable_hash(key) as usize % SHARDS
    }

    fn shard_path(&self, shard: usize) -> PathBuf {
        self.dir.join(format!("{shard:02}"))
    }

    /// The bytes of shard `shard` as last written; empty when there is none
    /// or it is from another build, another `kith.yaml`, or damaged.
    pub fn read(&self, shard: usize) -> Vec<u8> {
        let bytes = fs::read(self.shard_path(shard)).unwrap_or_default();
        let valid = bytes.len() >= HEADER
            && bytes[..8] == *MAGIC
            && bytes[8..16] == self.fingerprint.to_le_bytes()
            && bytes[16..HEADER] == checksum(&bytes[HEADER..]).to_le_bytes();
        if valid { bytes } else { Vec::new() }
    }

    /// The records in a shard's `bytes` (from `read`), ready for lookups.
    pub fn shard<'a>(&self, bytes: &'a [u8]) -> Shard<'a> {
        let mut old = HashMap::default();
        let mut rest = bytes.get(HEADER..).unwrap_or_default();
        while let Some((key, entry)) = split_entry(rest) {
            rest = &rest[entry.whole.len()..];
            old.insert(key, entry);
        }
        Shard {
            old,
            pieces: Vec::new(),
            changed: !rest.is_empty(),
            start_ns: self.start_ns,
        }
    }

    /// Writes `shard` back if it differs from what was read. Best effort: a
    /// folder that cannot hold the cache (read-only) simply has none.
    pub fn write(&self, index: usize, shard: Shard) {
        if !shard.changed && shard.pieces.len() == shard.old.len() {
            return;
        }
        let path = self.shard_path(index);
        if shard.pieces.is_empty() {
            let _ = fs::remove_file(&path);
            return;
        }
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let mut bytes =
            Vec::with_capacity(HEADER + shard.pieces.iter().map(|p| p.len()).sum::<usize>());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.fingerprint.to_le_bytes());
        bytes.extend_from_slice(&[0; 8]);
        for piece in &shard.pieces {
            bytes.extend_from_slice(piece);
        }
        let sum = checksum(&bytes[HEADER..]);
        bytes[16..HEADER].copy_from_slice(&sum.to_le_bytes());
        let tmp = self
            .dir
            .join(format!(".{index:02}.tmp-{}", std::process::id()));
        if fs::write(&tmp, &bytes).is_err() || fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

const HEADER: usize = 24;

/// A cached record as read from a shard.
#[derive(Clone, Copy)]
struct Old<'a> {
    stamp: Stamp,
    record: &'a [u8],
    /// The whole entry, to carry over unchanged.
    whole: &'a [u8],
}

/// One shard during a scan: the records it held, and those it will hold.
pub struct Shard<'a> {
    old: HashMap<&'a [u8], Old<'a>, Xxh3Builder>,
    /// The entries of the shard to be written: carried over, or new.
    pieces: Vec<Cow<'a, [u8]>>,
    /// Whether a record was added, or the old body had a damaged tail.
    changed: bool,
    start_ns: i64,
}

impl Shard<'_> {
    /// What `read` makes of the cached record of the file `key` at `path`
    /// (in its binary form), if the file still has the stamp it was cached
    /// with; the record is then carried over into the new shard.
    pub fn take<R>(
        &mut self,
        key: &[u8],
        path: &Path,
        read: impl FnOnce(&[u8]) -> Option<R>,
    ) -> Option<R> {
        let old = *self.old.get(key)?;
        let now = Stamp::of(&fs::symlink_metadata(path).ok()?)?;
        if now != old.stamp {
            return None;
        }
        let item = read(old.record)?;
        self.pieces.push(Cow::Borrowed(old.whole));
        Some(item)
    }

    /// Caches `record`, freshly parsed from the file `key` with `stamp`,
    /// unless the file may still be changing.
    pub fn put(&mut self, key: &[u8], stamp: Option<Stamp>, record: &Record) {
        let Some(stamp) = stamp.filter(|s| !s.is_racy(self.start_ns)) else {
            return;
        };
        let mut bytes = Vec::with_capacity(512);
        record::binary::encode(record, &mut bytes);
        let mut whole = Vec::with_capacity(bytes.len() + key.len() + STAMP_BYTES + 8);
        put_entry(&mut whole, key, &stamp, &bytes);
        self.pieces.push(Cow::Owned(whole));
        self.changed = true;
    }
}

/// An entry of a shard's body: key length, key, stamp, record length, record.
fn put_entry(body: &mut Vec<u8>, key: &[u8], stamp: &Stamp, record: &[u8]) {
    body.extend_from_slice(&(key.len() as u32).to_le_bytes());
    body.extend_from_slice(key);
    stamp.put(body);
    body.extend_from_slice(&(record.len() as u32).to_le_bytes());
    body.extend_from_slice(record);
}

/// The first entry of `body` and the rest, if it holds a whole one.
fn split_entry(body: &[u8]) -> Option<(&[u8], Old<'_>)> {
    let (key, rest) = split_counted(body)?;
    let stamp = Stamp::get(rest.get(..STAMP_BYTES)?)?;
    let (record, rest) = split_counted(&rest[STAMP_BYTES..])?;
    let whole = &body[..body.len() - rest.len()];
    Some((
        key,
        Old {
            stamp,
            record,
            whole,
        },
    ))
}

fn split_counted(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    let len = u32::from_le_bytes(len) as usize;
    let rest = &bytes[4..];
    (len <= rest.len()).then(|| rest.split_at(len))
}

/// What the cached records depend on besides the files: the build of kith
/// (the record types and the parser may change with any) and the folder's
/// stages and kinds (which decide what parses).
fn fingerprint(schema: &Schema) -> Option<u64> {
    let exe = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut h = std::hash::DefaultHasher::new();
    MAGIC.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    exe.len().hash(&mut h);
    exe.modified().ok()?.hash(&mut h);
    format!("{schema:?}").hash(&mut h);
    Some(h.finish())
}

/// A checksum of a shard's body: XXH3, which reads eight bytes at a time
/// and sees a changed byte anywhere.
fn checksum(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(modified_ns: i64, changed_ns: i64) -> Stamp {
        Stamp {
            size: 10,
            modified_ns,
            changed_ns,
            inode: 7,
        }
    }

    #[test]
    fn a_file_changed_within_the_racy_window_is_not_settled() {
        let start = 100_000_000_000;
        let margin = RACY.as_nanos() as i64;
        assert!(!stamp(start - margin - 1, start - margin - 1).is_racy(start));
        assert!(stamp(start - margin, start - margin - 1).is_racy(start));
        assert!(stamp(start - margin - 1, start - margin).is_racy(start));
        // A time in the future (a clock set back) is never settled.
        assert!(stamp(start + 1, start - margin - 1).is_racy(start));
    }

    #[test]
    fn entries_split_back_as_written_and_a_torn_tail_is_not_an_entry() {
        let mut body = Vec::new();
        put_entry(&mut body, b"east/a.yaml", &stamp(1, 2), b"rec-a");
        put_entry(&mut body, b"b.yaml", &stamp(3, 4), b"");
        let (key, a) = split_entry(&body).expect("first");
        assert_eq!(
            (key, a.stamp, a.record),
            (&b"east/a.yaml"[..], stamp(1, 2), &b"rec-a"[..])
        );
        let (key, b) = split_entry(&body[a.whole.len()..]).expect("second");
        assert_eq!(
            (key, b.stamp, b.record),
            (&b"b.yaml"[..], stamp(3, 4), &b""[..])
        );
        assert_eq!(a.whole.len() + b.whole.len(), body.len());
        let first = 4 + 11 + STAMP_BYTES + 4 + 5;
        for cut in 0..body.len() {
            let whole = usize::from(cut >= first);
            let mut rest = &body[..cut];
            let mut n = 0;
            while let Some((_, entry)) = split_entry(rest) {
                rest = &rest[entry.whole.len()..];
                n += 1;
            }
            assert_eq!(n, whole, "cut at {cut}");
        }
    }

    #[test]
    fn the_checksum_sees_a_changed_byte_anywhere() {
        let body: Vec<u8> = (0..100u8).collect();
        let sum = checksum(&body);
        for i in 0..body.len() {
            let mut other = body.clone();
            other[i] ^= 1;
            assert_ne!(checksum(&other), sum, "byte {i}");
        }
    }
}

//! The id index in `.kith/index/`: where each customer in a sub-folder lives,
//! so that a single-customer command finds it without walking the folder.
//!
//! The index is a cache, never the truth: a hit is used only if that file
//! still exists with that stem; a miss or a stale hit falls back to a walk,
//! which rewrites the index. Customers at the top level need no index
//! (`DIR/ID.yaml` is tried first). The ids are spread over 256 small bucket
//! files, so a lookup reads a few kilobytes however large the folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Entry, fsio};

const DIR: &str = ".kith/index";

/// A bucket larger than this is not kith's.
const MAX_BUCKET_BYTES: u64 = 16 * 1024 * 1024;

fn bucket(id: &str) -> String {
    format!("{:02x}", super::stable_hash(id.as_bytes()) & 0xff)
}

/// The indexed path of `id` below `root`, if the index has one that still
/// holds a file of that name.
pub fn lookup(root: &Path, id: &str) -> Option<PathBuf> {
    let file = root.join(DIR).join(bucket(id));
    if fsio::link_on_the_way(root, &file).is_some() {
        return None;
    }
    let (bytes, _) = fsio::read_regular(&file, MAX_BUCKET_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rel = text.lines().find_map(|l| {
        let (k, v) = l.split_once('\t')?;
        (k == id).then_some(v)
    })?;
    let path = root.join(rel);
    let stem_ok = path.file_stem().is_some_and(|s| s.to_string_lossy() == id);
    let is_file = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
    let plain = !rel.split('/').any(|c| c == ".." || c.starts_with('.'));
    (stem_ok && is_file && plain && fsio::link_on_the_way(root, &path).is_none()).then_some(path)
}

/// Whether the folder has an index yet.
pub fn exists(root: &Path) -> bool {
    root.join(DIR).is_dir()
}

/// Rewrites the index from a walk's entries. Best effort: a folder that
/// cannot hold it (read-only) simply has none.
pub fn rebuild(root: &Path, entries: &[Entry]) {
    let mut buckets: BTreeMap<String, String> = (0..=255u32)
        .map(|b| (format!("{b:02x}"), String::new()))
        .collect();
    for e in entries {
        let Ok(rel) = e.path.strip_prefix(root) else {
            continue;
        };
        if rel.components().count() < 2 {
            continue;
        }
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Some(text) = buckets.get_mut(&bucket(&e.id)) {
            text.push_str(&e.id);
            text.push('\t');
            text.push_str(&rel);
            text.push('\n');
        }
    }
    let Ok(dir) = fsio::private_dir(root, &["index"]) else {
        return;
    };
    let pid = std::process::id();
    for (name, text) in buckets {
        let path = dir.join(&name);
        if fs::read_to_string(&path).is_ok_and(|old| old == text) {
            continue;
        }
        let tmp = dir.join(format!(".{name}.tmp-{pid}"));
        let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(text.as_bytes()));
        if written.is_err() || fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sub_folder_customers_and_drops_stale_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("east")).expect("mkdir");
        fs::write(root.join("east/zhang.yaml"), "name: Z\n").expect("write");
        let entries = vec![
            Entry {
                path: root.join("east/zhang.yaml"),
                id: "zhang".into(),
                depth: 2,
            },
            Entry {
                path: root.join("top.yaml"),
                id: "top".into(),
                depth: 1,
            },
        ];
        rebuild(root, &entries);
        assert_eq!(lookup(root, "zhang"), Some(root.join("east/zhang.yaml")));
        assert_eq!(lookup(root, "top"), None);
        fs::remove_file(root.join("east/zhang.yaml")).expect("rm");
        assert_eq!(lookup(root, "zhang"), None);
    }

    #[test]
    fn buckets_are_stable() {
        assert_eq!(bucket("acme"), bucket("acme"));
        // XXH3-64 of the empty string is 0x2d06800538d394c2: the bucket is
        // its last byte, the same in every build and on every machine.
        assert_eq!(bucket(""), "c2");
    }
}

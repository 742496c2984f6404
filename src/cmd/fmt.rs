//! `kith fmt`: rewrites customer files in canonical form. `--check` lists
//! the files that differ and changes nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::FmtArgs;
use crate::cmd::{self, Ctx};
use crate::error;
use crate::record;
use crate::record::id;
use crate::store::{FileError, Store};

/// What formatting one file found.
enum Outcome {
    Canonical,
    /// Differs; the canonical text, and how many comments it would drop.
    Differs(String, usize),
}

pub fn run(ctx: &Ctx, args: FmtArgs) -> Result<u8> {
    let store = ctx.store()?;
    // Files the walk refuses (links, bad names) count as broken, as in `check`.
    let mut broken = Vec::new();
    let targets: Vec<(PathBuf, String)> = if args.files.is_empty() {
        let walk = store.walk();
        broken.extend(walk.errors);
        walk.items.into_iter().map(|e| (e.path, e.id)).collect()
    } else {
        args.files
            .iter()
            .map(|p| Ok((p.clone(), stem_of(p)?)))
            .collect::<Result<_>>()?
    };
    let _lock = if args.check {
        None
    } else {
        Some(store.lock()?)
    };
    let mut differing = 0usize;
    let mut skipped = 0usize;
    let mut out = std::io::stdout().lock();
    for (path, stem) in &targets {
        let (bytes, outcome) = match examine(&store, path, stem) {
            Ok(r) => r,
            Err(e) => {
                broken.push(e);
                continue;
            }
        };
        let Outcome::Differs(text, comments) = outcome else {
            continue;
        };
        differing += 1;
        if args.check {
            writeln!(out, "{}", path.display())?;
            continue;
        }
        if comments > 0 && !args.force {
            skipped += 1;
            ctx.note(format!(
                "kith: {}: skipped; formatting would drop {comments} comment{}; add --force to drop them",
                path.display(),
                if comments == 1 { "" } else { "s" }
            ));
            continue;
        }
        // The file is rewritten only if it still holds what was examined.
        if !store.replace_if_unchanged(path, &bytes, text.as_bytes())? {
            return Err(error::env(format!(
                "{}: changed on disk while formatting; run kith fmt again",
                path.display()
            )));
        }
        ctx.note(format!("formatted {}", path.display()));
    }
    let broken_code = cmd::report_broken(&broken);
    if args.check {
        return Ok(if differing > 0 || broken_code != 0 {
            error::FOUND
        } else {
            0
        });
    }
    if broken_code != 0 || skipped > 0 {
        return Ok(error::BAD_INPUT);
    }
    Ok(0)
}

/// Why a file holding tag `tag` is not rewritten by `doing`.
fn lost_value_message(what: &str, doing: &str) -> String {
    format!(
        "{what} would be lost by {doing}; nothing was written; change this file by hand, or \
         change that value so kith can keep it"
    )
}

fn stem_of(path: &Path) -> Result<String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .ok_or_else(|| error::bad(format!("{}: not a .yaml customer file", path.display())))?;
    id::validate(stem).map_err(|e| error::bad(format!("{}: {e}", path.display())))?;
    Ok(stem.to_string())
}

fn examine(store: &Store, path: &Path, stem: &str) -> Result<(Vec<u8>, Outcome), FileError> {
    let whole = |message: String| FileError {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message,
    };
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(whole(
            "is a symbolic link; kith does not follow links".into(),
        ));
    }
    let bytes = fs::read(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    let record = record::parse_record(&bytes, stem, store.schema()).map_err(|e| FileError {
        path: path.to_path_buf(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let text = record::emit_record(&record);
    if text.as_bytes() == bytes.as_slice() {
        return Ok((bytes, Outcome::Canonical));
    }
    let original = String::from_utf8_lossy(&bytes);
    if let Some(t) = record::lost_value(&original) {
        return Err(FileError {
            path: path.to_path_buf(),
            line: t.line,
            column: t.column,
            message: lost_value_message(&t.describe(), "formatting"),
        });
    }
    let comments = record::comment_lines(&original).len();
    Ok((bytes, Outcome::Differs(text, comments)))
}

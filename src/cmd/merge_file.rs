//! `kith merge-file BASE OURS THEIRS`: the git merge driver. Git runs it as
//! `kith merge-file %O %A %B` on three temporary files and reads the result
//! from OURS; exit 0 is a clean merge, 1 a conflict.
//!
//! Records that parse are merged by `merge` and written canonically. When an
//! input does not parse, or holds comments a record merge would drop, git's
//! own text merge does the work instead: kith never writes a record it only
//! half understood.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::cli::MergeFileArgs;
use crate::cmd::Ctx;
use crate::error;
use crate::merge::{self, Merged};
use crate::record::{self, Record, Schema};
use crate::store::write_atomic;

pub fn run(_ctx: &Ctx, args: MergeFileArgs) -> Result<u8> {
    let base = read(&args.base)?;
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    let parsed = (|| {
        let base = if is_blank(&base) {
            None
        } else {
            Some(parse("the base version", &base)?)
        };
        Ok::<_, String>((
            base,
            parse("our version", &ours)?,
            parse("their version", &theirs)?,
        ))
    })();
    let (base, ours_record, theirs_record) = match parsed {
        Ok(records) => records,
        Err(why) => return text_merge(&args, &why),
    };
    match merge::merge(base.as_ref(), &ours_record, &theirs_record) {
        Merged::Clean(merged) => {
            let text = record::emit_record(&merged);
            if let Err(e) = record::parse_record(text.as_bytes(), "", &Schema::default()) {
                // A merge of valid records is valid; should that ever fail,
                // git's text merge is the safe answer.
                return text_merge(&args, &format!("the merged record does not parse ({e})"));
            }
            write_atomic(&args.ours, text.as_bytes())?;
            Ok(0)
        }
        Merged::Unreadable(why) => text_merge(&args, &why),
        Merged::Conflict { text, fields } => {
            write_atomic(&args.ours, text.as_bytes())?;
            eprintln!(
                "kith: merge-file: changed differently on both sides: {}; the file holds \
                 <<<<<<< ours / ======= / >>>>>>> theirs around each: keep one side, delete \
                 the marker lines, then run kith check",
                fields.join(", ")
            );
            Ok(error::FOUND)
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| {
        let message = format!("{}: cannot read: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            error::bad(message)
        } else {
            error::env(message)
        }
    })
}

/// Git gives an empty BASE when both sides created the file.
fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// One side parsed with a schema that accepts any stage and kind (the
/// folder's settings are not at hand) and no file name to check `id:`
/// against; `Err` says why the record merge cannot be used.
fn parse(which: &str, bytes: &[u8]) -> Result<Record, String> {
    let record = record::parse_record(bytes, "", &Schema::default())
        .map_err(|e| format!("{which} does not parse ({e})"))?;
    let text = String::from_utf8_lossy(bytes);
    if let Some(line) = record::comment_lines(&text).first() {
        return Err(format!(
            "{which} holds comments (line {line}), which a record merge would drop"
        ));
    }
    if let Some(t) = record::lost_value(&text) {
        return Err(format!(
            "{which} holds {} at line {}, which a record merge would lose",
            t.describe(),
            t.line
        ));
    }
    Ok(record)
}

/// Git's own line merge of the three files into OURS. A clean text merge
/// whose result is a valid record is clean; anything else is left for a
/// person (exit 1), with git's markers where the lines conflict.
fn text_merge(args: &MergeFileArgs, why: &str) -> Result<u8> {
    let status = Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .status()
        .map_err(|e| error::env(format!("{why}, and git merge-file could not run: {e}")))?;
    let result = read(&args.ours)?;
    let valid = record::parse_record(&result, "", &Schema::default()).is_ok();
    match status.code() {
        Some(0) if valid => {
            eprintln!("kith: merge-file: {why}; merged as text by git merge-file");
            Ok(0)
        }
        Some(0) => {
            eprintln!(
                "kith: merge-file: {why}; git merge-file merged the lines, but the result \
                 is not a valid record: fix it, then run kith check"
            );
            Ok(error::FOUND)
        }
        Some(code) if (1..128).contains(&code) => {
            eprintln!(
                "kith: merge-file: {why}; merged as text by git merge-file, with conflict \
                 markers: resolve them, then run kith check"
            );
            Ok(error::FOUND)
        }
        _ => Err(error::env(format!(
            "{why}, and git merge-file failed ({status}); nothing was merged"
        ))),
    }
}

//! `kith dupes`: likely duplicate customers, each group once, its first
//! member beside each other member; `kith merge
//! KEEP OTHER`: OTHER folded into KEEP and its file removed, both or neither.

use anyhow::Result;

use crate::cli::MergeArgs;
use crate::cmd::{self, Ctx};
use crate::dupes::{self, Keys};
use crate::error;
use crate::output::{Cell, Table};
use crate::record;

pub const COLUMNS: &[&str] = &["id", "name", "other", "other_name", "reason"];

pub fn run_dupes(ctx: &Ctx) -> Result<u8> {
    let store = ctx.store()?;
    let scan = store.scan(|r| Keys::of(&r, ctx.today));
    let names: std::collections::HashMap<&str, &str> = scan
        .items
        .iter()
        .map(|k| (k.id.as_str(), k.name.as_str()))
        .collect();
    let name = |id: &str| Cell::text(names.get(id).copied().unwrap_or_default());
    let mut table = Table::new(COLUMNS);
    for p in dupes::pairs(&scan.items) {
        table.push(vec![
            Cell::text(&p.id),
            name(&p.id),
            Cell::text(&p.other),
            name(&p.other),
            Cell::List(p.reasons.iter().map(|r| r.to_string()).collect()),
        ]);
    }
    ctx.print(&store, &table)?;
    Ok(cmd::report_broken(&scan.errors))
}

pub fn run_merge(ctx: &Ctx, args: MergeArgs) -> Result<u8> {
    if args.keep == args.other {
        return Err(error::bad(format!(
            "`{}` cannot be merged into itself; name two customers",
            args.keep
        )));
    }
    let store = ctx.store()?;
    let lock = store.lock()?;
    let keep = store.load_for_write(&args.keep)?;
    let other = store.load_for_write(&args.other)?;
    // OTHER's file goes away: its comments would go with it, unseen.
    let other_text = String::from_utf8_lossy(&other.bytes);
    if let Some(line) = record::comment_lines(&other_text).first() {
        return Err(error::bad(format!(
            "{}:{line}:1: holds comments that merging would delete with the file; \
             move them into {} by hand (or drop them with `kith fmt {} --force`), then merge",
            other.path.display(),
            keep.path.display(),
            other.path.display()
        )));
    }
    if let Some(t) = record::lost_value(&other_text) {
        return Err(error::bad(format!(
            "{}:{}:{}: {} would be lost moving it into {}; nothing was written; move that \
             value by hand, then merge",
            other.path.display(),
            t.line,
            t.column,
            t.describe(),
            keep.path.display()
        )));
    }
    let mut merged = keep.record.clone();
    let moved = dupes::merge(&mut merged, other.record.clone(), ctx.today);
    // Both files change together: a kill in between must never leave the
    // moved purchases in both.
    let mut batch = store.batch();
    batch.replace(&store, &keep, &merged)?;
    batch.remove(&other);
    store.commit(&lock, batch, &|| {})?;
    let mut note = format!(
        "merged {} into {}: {} deals, {} tasks, {} interactions moved, {} removed",
        args.other,
        args.keep,
        moved.deals,
        moved.tasks,
        moved.interactions,
        other.path.display()
    );
    if moved.differing > 0 {
        note.push_str(&format!(
            "; {} differing values kept in a note",
            moved.differing
        ));
    }
    ctx.note(note);
    Ok(0)
}

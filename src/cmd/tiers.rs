//! `kith tiers`: the tier and relationship level each customer's all-time
//! value class suggests, beside the current ones; `--apply` sets them.

use anyhow::Result;

use crate::analysis::tiers::{self, Customer, Row};
use crate::analysis::value::{self, Window};
use crate::cli::TiersArgs;
use crate::cmd::{self, Ctx};
use crate::error;
use crate::output::{Cell, Table};

pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "class",
    "revenue",
    "tier",
    "suggested_tier",
    "relationship",
    "suggested_relationship",
    "locked",
];

pub fn run(ctx: &Ctx, args: TiersArgs) -> Result<u8> {
    let store = ctx.store()?;
    let config = &store.config;
    let window = Window::all_time(ctx.today);
    let scan = store.scan(|r| Customer::of(&r, value::totals(&r, config, window).revenue));
    let broken = cmd::report_broken(&scan.errors);
    let rows = tiers::rows(scan.items, config);
    if args.apply {
        if broken != 0 {
            return Err(error::bad(
                "some files do not parse (named above); fix them before --apply, which classifies over the whole folder",
            ));
        }
        apply(ctx, &store, &rows)?;
    }
    let mut table = Table::new(COLUMNS);
    for row in &rows {
        table.push(cells(row));
    }
    ctx.print(&store, &table)?;
    Ok(broken)
}

/// Writes the suggestions onto every customer that changes, all or none:
/// under the lock every record is read and changed in memory, then the
/// files are written as one batch, which the next kith finishes or undoes
/// if this one is interrupted.
fn apply(ctx: &Ctx, store: &crate::store::Store, rows: &[Row]) -> Result<()> {
    let changing: Vec<&Row> = rows.iter().filter(|r| r.changes()).collect();
    if changing.is_empty() {
        return Ok(());
    }
    let lock = store.lock()?;
    let mut batch = store.batch();
    let mut notes = Vec::with_capacity(changing.len());
    for row in &changing {
        let loaded = store.load_for_write(&row.customer.id)?;
        let mut record = loaded.record.clone();
        if record.tier_locked == Some(true) {
            continue;
        }
        record.tier = Some(row.suggested_tier);
        record.relationship = Some(row.suggested_relationship);
        batch.replace(store, &loaded, &record)?;
        let was = |v: Option<&str>| v.unwrap_or("none").to_string();
        notes.push(format!(
            "{}: tier {} → {}, relationship {} → {}",
            row.customer.id,
            was(loaded.record.tier.map(|t| t.as_str())),
            row.suggested_tier,
            was(loaded.record.relationship.map(|t| t.as_str())),
            row.suggested_relationship,
        ));
    }
    store.commit(&lock, batch, &|| ())?;
    for note in notes {
        ctx.note(note);
    }
    Ok(())
}

fn cells(row: &Row) -> Vec<Cell> {
    let c = &row.customer;
    vec![
        Cell::text(&c.id),
        Cell::text(&c.name),
        Cell::text(row.class.as_str()),
        Cell::Money(c.revenue),
        Cell::opt_text(c.tier.map(|t| t.as_str())),
        Cell::text(row.suggested_tier.as_str()),
        Cell::opt_text(c.relationship.map(|r| r.as_str())),
        Cell::text(row.suggested_relationship.as_str()),
        // A boolean: no text a spreadsheet could misread, so unguarded in
        // CSV, and `true`/`false` in JSON.
        Cell::Decimal(c.locked.to_string()),
    ]
}

//! `kith receivables`: one row per invoice with an open balance, most
//! overdue first; the table format adds the totals per ageing bucket.

use std::io::Write;

use anyhow::Result;

use crate::analysis::receivables::{self, Row};
use crate::cli::OwnerArgs;
use crate::cmd::{self, Ctx};
use crate::output::{Cell, Format, Table};

pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "deal",
    "invoice",
    "date",
    "due",
    "amount",
    "paid",
    "open",
    "days_past_due",
    "bucket",
];

pub fn run(ctx: &Ctx, args: OwnerArgs) -> Result<u8> {
    let store = ctx.store()?;
    let today = ctx.today;
    let owner = args.owner.as_deref();
    let scan = store.scan(|r| {
        if !r.selected(owner, None) {
            return Vec::new();
        }
        receivables::rows_of(&r, today)
    });
    let mut rows: Vec<Row> = scan.items.into_iter().flatten().collect();
    receivables::sort(&mut rows);
    let mut table = Table::new(COLUMNS);
    for row in &rows {
        table.push(cells(row));
    }
    ctx.print(&store, &table)?;
    if ctx.format() == Format::Table && !rows.is_empty() {
        let mut totals = Table::new(&["bucket", "invoices", "open"]);
        for (bucket, n, open) in receivables::totals(&rows) {
            totals.push(vec![
                Cell::text(bucket),
                Cell::Int(i64::try_from(n).unwrap_or(i64::MAX)),
                Cell::Money(open),
            ]);
        }
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "\nTotals by bucket")?;
        }
        ctx.print(&store, &totals)?;
    }
    Ok(cmd::report_broken(&scan.errors))
}

fn cells(row: &Row) -> Vec<Cell> {
    vec![
        Cell::text(&row.id),
        Cell::text(&row.name),
        Cell::opt_text(row.owner.as_deref()),
        Cell::text(&row.deal),
        Cell::Int(i64::from(row.invoice)),
        Cell::Date(row.date),
        Cell::Date(row.due),
        Cell::Money(row.amount),
        Cell::Money(row.paid),
        Cell::Money(row.open),
        Cell::Int(row.days_past_due),
        Cell::text(row.bucket()),
    ]
}

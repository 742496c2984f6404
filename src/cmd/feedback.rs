//! `kith feedback`: ratings, complaints and refunds per customer, owner,
//! interaction kind or product, over a window.

use anyhow::Result;

use crate::analysis::complaints::{By, Feedback, Row};
use crate::cli::{FeedbackArgs, FeedbackBy};
use crate::cmd::{self, Ctx};
use crate::output::{Cell, Table};

pub const COLUMNS: &[&str] = &[
    "key",
    "name",
    "interactions",
    "rated",
    "average_rating",
    "complaints",
    "resolved",
    "open",
    "median_days_to_resolve",
    "refunds",
    "refunded",
];

pub fn run(ctx: &Ctx, args: FeedbackArgs) -> Result<u8> {
    let store = ctx.store()?;
    let window = ctx.window(&args.window)?;
    let by = match args.by {
        FeedbackBy::Customer => By::Customer,
        FeedbackBy::Owner => By::Owner,
        FeedbackBy::Kind => By::Kind,
        FeedbackBy::Product => By::Product,
    };
    let owner = args.owner.as_deref();
    let scan = store.scan(|mut r| {
        let kept = owner.is_none_or(|o| r.owner.as_deref() == Some(o));
        if !kept {
            r.interactions.clear();
        }
        let mut one = Feedback::new(by, window);
        one.add(&r);
        one
    });
    let mut all = Feedback::new(by, window);
    for part in scan.items {
        all.merge(part);
    }
    let mut table = Table::new(COLUMNS);
    for row in all.rows() {
        table.push(cells(&row));
    }
    ctx.print(&store, &table)?;
    Ok(cmd::report_broken(&scan.errors))
}

fn cells(row: &Row) -> Vec<Cell> {
    let count = |n: u64| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    vec![
        Cell::text(&row.key),
        Cell::text(&row.name),
        count(row.interactions),
        count(row.rated),
        row.average_rating().map_or(Cell::Empty, Cell::Decimal),
        count(row.complaints),
        count(row.resolved),
        count(row.open),
        row.median_days_to_resolve()
            .map_or(Cell::Empty, Cell::Decimal),
        count(row.refunds),
        Cell::Money(row.refunded),
    ]
}

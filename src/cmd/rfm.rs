//! `kith rfm`: recency, frequency and monetary scores with each customer's
//! lifecycle stage.

use anyhow::Result;

use crate::analysis::facts::{Facts, Period};
use crate::analysis::rfm::{self, Row};
use crate::cli::RfmArgs;
use crate::cmd::{self, Ctx};
use crate::output::{Cell, Table};

pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "recency_days",
    "frequency",
    "monetary",
    "r",
    "f",
    "m",
    "score",
    "lifecycle",
];

pub fn run(ctx: &Ctx, args: RfmArgs) -> Result<u8> {
    let store = ctx.store()?;
    let period = Period::new(ctx.window(&args.window)?, ctx.today);
    let config = &store.config;
    let (owner, tag) = (args.owner.as_deref(), args.tag.as_deref());
    let scan = store.scan(|r| {
        r.selected(owner, tag)
            .then(|| Facts::of(&r, config, period))
    });
    let facts = scan.items.into_iter().flatten().collect();
    let mut table = Table::new(COLUMNS);
    for row in rfm::report(facts, period.end) {
        table.push(cells(row));
    }
    ctx.print(&store, &table)?;
    Ok(cmd::report_broken(&scan.errors))
}

fn cells(row: Row) -> Vec<Cell> {
    let score = |s: Option<u8>| s.map_or(Cell::Empty, |s| Cell::Int(i64::from(s)));
    let f = row.facts;
    vec![
        Cell::text(&*f.id),
        Cell::text(&*f.name),
        row.recency_days.map_or(Cell::Empty, Cell::Int),
        Cell::Int(f.occasions as i64),
        Cell::Money(f.revenue),
        score(row.scores.map(|s| s.r)),
        score(row.scores.map(|s| s.f)),
        score(row.scores.map(|s| s.m)),
        row.scores.map_or(Cell::Empty, |s| Cell::Text(s.code())),
        Cell::text(f.lifecycle.as_str()),
    ]
}

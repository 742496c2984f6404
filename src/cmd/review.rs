//! `kith review`: the weekly review, one row per event in the window; the
//! table format adds the counts per kind and owner and the weighted pipeline
//! at both ends (the rules are in `analysis::review`).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use crate::analysis::review::{self, Days, Event, Review};
use crate::cli::ReviewArgs;
use crate::cmd::{self, Ctx};
use crate::date::Span;
use crate::error;
use crate::money::Money;
use crate::output::{Cell, Format, Table};

pub const COLUMNS: &[&str] = &["date", "kind", "id", "name", "owner", "what", "amount"];

pub fn run(ctx: &Ctx, args: ReviewArgs) -> Result<u8> {
    let store = ctx.store()?;
    let days = window(ctx, &args)?;
    let config = &store.config;
    let owner = args.owner.as_deref();
    let scan = store.scan(|r| {
        if !r.selected(owner, None) {
            return None;
        }
        Some(review::customer(&r, config, days))
    });
    let reviews: Vec<Review> = scan.items.into_iter().flatten().collect();
    let start: Money = reviews.iter().map(|r| r.pipeline_start).sum();
    let end: Money = reviews.iter().map(|r| r.pipeline_end).sum();
    let mut events: Vec<Event> = reviews.into_iter().flat_map(|r| r.events).collect();
    review::sort(&mut events);
    if ctx.format() == Format::Table {
        print_summary(ctx, &store, &events, days, (start, end))?;
    }
    let mut table = Table::new(COLUMNS);
    for e in events {
        table.push(vec![
            Cell::Date(e.date),
            Cell::text(e.kind.as_str()),
            Cell::Text(e.id),
            Cell::Text(e.name),
            Cell::opt_text(e.owner.as_deref()),
            Cell::Text(e.what),
            Cell::opt_money(e.amount),
        ]);
    }
    ctx.print(&store, &table)?;
    Ok(cmd::report_broken(&scan.errors))
}

/// `--since 7d`: the seven days ending on `--until`; a date: the first day.
fn window(ctx: &Ctx, args: &ReviewArgs) -> Result<Days> {
    let last = match &args.until {
        Some(u) => ctx.date("--until", u)?,
        None => ctx.today,
    };
    let first = match Span::parse(&args.since) {
        Ok(span) => span
            .before(last)
            .and_then(|d| d.succ_opt())
            .ok_or_else(|| error::bad("--since: the window runs off the calendar"))?,
        Err(_) => ctx.date("--since", &args.since)?,
    };
    if first > last {
        return Err(error::bad(format!(
            "--since {first} is after the window's end {last}; the window would be empty"
        )));
    }
    Ok(Days {
        first,
        last,
        today: ctx.today,
    })
}

/// The counts per kind and owner, and the weighted pipeline at both ends.
fn print_summary(
    ctx: &Ctx,
    store: &crate::store::Store,
    events: &[Event],
    days: Days,
    (start, end): (Money, Money),
) -> Result<()> {
    let mut counts: BTreeMap<(review::Kind, &str), i64> = BTreeMap::new();
    for e in events {
        *counts
            .entry((e.kind, e.owner.as_deref().unwrap_or("")))
            .or_default() += 1;
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Review {} to {}: weighted pipeline {} on {} → {} on {}\n",
            days.first,
            days.last,
            start.grouped(),
            days.before(),
            end.grouped(),
            days.end()
        )?;
    }
    if !counts.is_empty() {
        let mut table = Table::new(&["kind", "owner", "events"]);
        for ((kind, owner), n) in counts {
            table.push(vec![
                Cell::text(kind.as_str()),
                Cell::text(owner),
                Cell::Int(n),
            ]);
        }
        ctx.print(store, &table)?;
        let mut out = std::io::stdout().lock();
        writeln!(out)?;
    }
    Ok(())
}

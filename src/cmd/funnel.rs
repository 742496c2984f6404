//! `kith funnel`: the funnel report (docs/daily-use.md), one row per stage,
//! then (in table format) the lost deals by reason and by competitor.

use std::io::Write;

use anyhow::Result;

use crate::analysis::funnel::{self, DealFacts, Funnel, LostRow};
use crate::cli::FunnelArgs;
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::output::{Cell, Format, Table, chart, pictures, svg};
use crate::record::Record;
use crate::store::Store;

pub const COLUMNS: &[&str] = &[
    "stage",
    "label",
    "deals",
    "value",
    "weighted_value",
    "reached",
    "conversion",
    "median_days",
    "lost",
];

/// Cells of the terminal bar drawn for the stage that most deals reached.
const BAR_WIDTH: usize = 24;

pub fn run(ctx: &Ctx, args: FunnelArgs) -> Result<u8> {
    let store = ctx.store()?;
    let window = ctx.window(&args.window)?;
    // A deal without history has no opening date: it counts only when no
    // window was asked for.
    let windowed = args.window.given();
    let config = &store.config;
    let today = ctx.today;
    let scan = store.scan(|r| {
        if !selected(&r, &args) {
            return Vec::new();
        }
        funnel::deals_of(&r, config, today, window, windowed)
    });
    let deals: Vec<DealFacts> = scan.items.into_iter().flatten().collect();
    let report = funnel::funnel(&deals, config);
    if ctx.format() == Format::Svg {
        svg::print(&svg::bars(&pictures::funnel(&report, config)))?;
        return Ok(cmd::report_broken(&scan.errors));
    }
    let chart = ctx.color && ctx.format() == Format::Table;
    ctx.print(&store, &stage_table(&report, config, chart))?;
    if ctx.format() == Format::Table {
        print_lost(ctx, &store, "Lost by reason", "reason", &report.by_reason)?;
        print_lost(
            ctx,
            &store,
            "Lost by competitor",
            "competitor",
            &report.by_competitor,
        )?;
    }
    Ok(cmd::report_broken(&scan.errors))
}

fn selected(r: &Record, args: &FunnelArgs) -> bool {
    args.owner
        .as_ref()
        .is_none_or(|o| r.owner.as_ref() == Some(o))
        && args.tag.as_ref().is_none_or(|t| r.tags.contains(t))
}

fn stage_table(report: &Funnel, config: &Config, chart: bool) -> Table {
    let mut columns = COLUMNS.to_vec();
    if chart {
        columns.push("");
    }
    let mut table = Table::new(&columns);
    let widest = report.stages.iter().map(|s| s.reached).max().unwrap_or(0);
    for s in &report.stages {
        let stage = &config.funnel[s.stage];
        let mut row = vec![
            Cell::text(&stage.id),
            Cell::text(&stage.label),
            count(s.deals),
            Cell::Money(s.value),
            Cell::Money(s.weighted_value),
            count(s.reached),
            s.conversion
                .map_or(Cell::Empty, |c| Cell::Decimal(c.to_string())),
            s.median_days
                .map_or(Cell::Empty, |m| Cell::Decimal(m.to_string())),
            count(s.lost),
        ];
        if chart {
            let share = if widest == 0 {
                0.0
            } else {
                s.reached as f64 / widest as f64
            };
            row.push(Cell::text(chart::bar(share, BAR_WIDTH)));
        }
        table.push(row);
    }
    table
}

fn count(n: usize) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A lost-deals table under its heading, after a blank line; nothing when no
/// deal was lost.
fn print_lost(
    ctx: &Ctx,
    store: &Store,
    heading: &str,
    column: &'static str,
    rows: &[LostRow],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut table = Table::new(&[column, "deals", "value"]);
    for r in rows {
        let name = r
            .name
            .clone()
            .unwrap_or_else(|| "(not recorded)".to_string());
        table.push(vec![Cell::Text(name), count(r.deals), Cell::Money(r.value)]);
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "\n{heading}")?;
    }
    ctx.print(store, &table)
}

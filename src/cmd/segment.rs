//! `kith segment`: customers ranked by revenue or profit, their ABC classes,
//! and on a terminal the cumulative curve; the Pareto and whale-curve
//! sentences follow the table.

use std::io::Write;

use anyhow::Result;

use crate::analysis::facts::{Facts, Period};
use crate::analysis::segment::{self, By, Report, Row, fraction, percent};
use crate::cli::{SegmentArgs, SegmentBy};
use crate::cmd::{self, Ctx};
use crate::output::{Cell, Format, Made, chart, pictures, svg};

pub const COLUMNS: &[&str] = &[
    "rank",
    "id",
    "name",
    "revenue",
    "cost",
    "profit",
    "value",
    "share",
    "cumulative_share",
    "class",
];

/// Points of the terminal chart: one per tenth of the customers.
const CHART_STEPS: usize = 10;
const CHART_WIDTH: usize = 40;

pub fn run(ctx: &Ctx, args: SegmentArgs) -> Result<u8> {
    let store = ctx.store()?;
    let period = Period::new(ctx.window(&args.window)?, ctx.today);
    let config = &store.config;
    let (owner, tag) = (args.owner.as_deref(), args.tag.as_deref());
    let scan = store.scan(|r| {
        r.selected(owner, tag)
            .then(|| Facts::of(&r, config, period))
    });
    let by = match args.by {
        SegmentBy::Revenue => By::Revenue,
        SegmentBy::Profit => By::Profit,
    };
    let facts = scan.items.into_iter().flatten().collect();
    let report = segment::report(facts, by, config);
    if ctx.format() == Format::Svg {
        svg::print(&svg::curve(&pictures::curve(&report, config)))?;
        return Ok(cmd::report_broken(&scan.errors));
    }
    let after = after_table(ctx, &report, config.currency.as_deref());
    ctx.print(
        &store,
        &Made::new(COLUMNS, &report.rows, |r| cells(r, &report)),
    )?;
    let mut out = std::io::stdout().lock();
    for line in after {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(cmd::report_broken(&scan.errors))
}

/// What follows the rows in the table format: the chart on a terminal, then
/// the sentences. They are part of the report a person reads, so they go to
/// stdout; csv, tsv, json and ids carry the rows alone, for scripts.
fn after_table(ctx: &Ctx, report: &Report, currency: Option<&str>) -> Vec<String> {
    if ctx.format() != Format::Table || report.rows.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::new()];
    if ctx.color && report.positive.is_positive() {
        lines.extend(curve(report));
        lines.push(String::new());
    }
    lines.extend(report.summary(currency));
    lines
}

fn cells(r: &Row, report: &Report) -> Vec<Cell> {
    let share = |m| segment::share(m, report.positive).map_or(Cell::Empty, Cell::Decimal);
    let profit = r.facts.profit();
    vec![
        Cell::Int(r.rank as i64),
        Cell::text(&*r.facts.id),
        Cell::text(&*r.facts.name),
        Cell::Money(r.facts.revenue),
        Cell::Money(r.facts.cost),
        Cell::Money(profit),
        Cell::Money(r.value),
        share(r.value),
        share(r.cumulative),
        Cell::text(r.class.as_str()),
    ]
}

/// The cumulative share after each tenth of the customers, as bars: the
/// `cumulative_share` column drawn (with profit it rises to 100% at the
/// last profitable customer and falls back with those who lose money).
fn curve(report: &Report) -> Vec<String> {
    let n = report.rows.len() as i128;
    let positive = report.positive;
    report
        .curve(CHART_STEPS)
        .into_iter()
        .map(|(k, cumulative)| {
            let customers = format!("{}%", fraction(k as i128 * 100, n, 0));
            let bar = chart::bar(cumulative.to_f64() / positive.to_f64(), CHART_WIDTH);
            format!(
                "top {customers:>4}  {bar:<CHART_WIDTH$}  {}",
                percent(cumulative.cents(), positive.cents())
            )
        })
        .collect()
}

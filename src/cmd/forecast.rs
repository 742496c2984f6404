//! `kith forecast`: expected closes, wins and targets per month or quarter
//! and owner (the rules are in `analysis::forecast`).

use anyhow::Result;

use crate::analysis::forecast::{self, DealLine, Row, Span};
use crate::cli::{ForecastArgs, ForecastBy};
use crate::cmd::{self, Ctx};
use crate::error;
use crate::output::{Cell, Table};
use crate::period::{CalendarPeriod, Granularity};

pub const COLUMNS: &[&str] = &[
    "period",
    "owner",
    "open_deals",
    "value",
    "weighted_value",
    "won_deals",
    "won_value",
    "target",
    "attainment",
    "gap",
];

/// Periods shown by default: today's and the two after it.
const DEFAULT_PERIODS: usize = 3;

pub fn run(ctx: &Ctx, args: ForecastArgs) -> Result<u8> {
    let store = ctx.store()?;
    let granularity = match args.by {
        ForecastBy::Month => Granularity::Month,
        ForecastBy::Quarter => Granularity::Quarter,
    };
    let periods = shown_periods(ctx, &args, granularity)?;
    let config = &store.config;
    let today = ctx.today;
    let owner = args.owner.as_deref();
    let scan = store.scan(|r| {
        if !r.selected(owner, None) {
            return Vec::new();
        }
        forecast::deal_lines(&r, config, today)
    });
    let lines: Vec<DealLine> = scan.items.into_iter().flatten().collect();
    let span = Span {
        granularity,
        periods: &periods,
        today,
        owner,
    };
    let mut table = Table::new(COLUMNS);
    for row in forecast::forecast(&lines, &config.targets, &span) {
        table.push(cells(row));
    }
    ctx.print(&store, &table)?;
    Ok(cmd::report_broken(&scan.errors))
}

/// The periods from the one holding `--since` (default today) to the one
/// holding `--until` (default two after the first).
fn shown_periods(
    ctx: &Ctx,
    args: &ForecastArgs,
    granularity: Granularity,
) -> Result<Vec<CalendarPeriod>> {
    let since = match &args.since {
        Some(s) => ctx.date("--since", s)?,
        None => ctx.today,
    };
    let periods = match &args.until {
        Some(u) => {
            let until = ctx.date("--until", u)?;
            if until < since {
                return Err(error::bad(format!(
                    "--since {since} is after --until {until}; no period to show"
                )));
            }
            forecast::periods(since, until, granularity)
        }
        None => {
            let first = CalendarPeriod::of(since, granularity);
            std::iter::successors(Some(first), |p| Some(p.next()))
                .take(DEFAULT_PERIODS)
                .collect()
        }
    };
    Ok(periods)
}

fn cells(row: Row) -> Vec<Cell> {
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    vec![
        Cell::Period(row.slot.to_string()),
        Cell::Text(row.owner.clone()),
        count(row.open_deals),
        Cell::Money(row.value),
        Cell::Money(row.weighted_value),
        count(row.won_deals),
        Cell::Money(row.won_value),
        Cell::opt_money(row.target),
        row.attainment().map_or(Cell::Empty, Cell::Decimal),
        Cell::opt_money(row.gap()),
    ]
}

//! `kith report --html FILE`: the funnel, the whale and Pareto curves, the
//! lifecycle, the RFM grid and today's reminders on one page. One scan of
//! the folder feeds the same analyses `funnel`, `segment`, `rfm` and
//! `remind` run, so every figure is the one those reports print.

use std::io::Write;

use anyhow::Result;

use crate::analysis::facts::{Facts, Period};
use crate::analysis::funnel::{self, DealFacts};
use crate::analysis::remind::{self, Remind};
use crate::analysis::rfm;
use crate::analysis::segment::{self, By};
use crate::cli::ReportArgs;
use crate::cmd::{self, Ctx};
use crate::date::Span;
use crate::error;
use crate::output::html::{self, Contents};
use crate::record::Record;
use crate::store;

/// How far ahead the page's reminders look: `kith remind`'s default.
const WITHIN_DAYS: u32 = 7;

/// What the scan keeps of one customer.
struct Item {
    remind: remind::Customer,
    /// None when `--owner`/`--tag` leave the customer out.
    kept: Option<(Facts, Vec<DealFacts>)>,
}

pub fn run(ctx: &Ctx, args: ReportArgs) -> Result<u8> {
    let store = ctx.store()?;
    let config = &store.config;
    let today = ctx.today;
    let window = ctx.window(&args.window)?;
    let windowed = args.window.since.is_some() || args.window.until.is_some();
    let period = Period::new(window, today);
    let remind = Remind::new(config, today, Span::days(WITHIN_DAYS))
        .ok_or_else(|| error::bad("today is too close to the end of the calendar kith handles"))?;
    let scan = store.scan(|r| {
        let kept = selected(&r, &args);
        Item {
            remind: remind.customer(&r, kept),
            kept: kept.then(|| {
                (
                    Facts::of(&r, config, period),
                    funnel::deals_of(&r, config, today, window, windowed),
                )
            }),
        }
    });
    let mut customers = Vec::with_capacity(scan.items.len());
    let mut facts = Vec::with_capacity(scan.items.len());
    let mut deals = Vec::new();
    for item in scan.items {
        customers.push(item.remind);
        if let Some((f, d)) = item.kept {
            facts.push(f);
            deals.extend(d);
        }
    }
    // The analyses are independent: on two threads the page costs little
    // more than the slowest of them (and each drops its own input there).
    let (for_revenue, for_profit) = (facts.clone(), facts.clone());
    let remind = &remind;
    let ((funnel, reminders), (by_revenue, (by_profit, rfm))) = rayon::join(
        move || (funnel::funnel(&deals, config), remind.finish(customers)),
        move || {
            rayon::join(
                move || segment::report(for_revenue, By::Revenue, config),
                move || {
                    (
                        segment::report(for_profit, By::Profit, config),
                        rfm::report(facts, period.end),
                    )
                },
            )
        },
    );
    let page = html::page(&Contents {
        config,
        scope: scope(ctx, &args, window),
        funnel: &funnel,
        by_revenue: &by_revenue,
        by_profit: &by_profit,
        rfm: &rfm,
        reminders: &reminders,
    });
    if args.html == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(page.as_bytes())?;
        out.flush()?;
    } else {
        store::write_atomic(std::path::Path::new(&args.html), page.as_bytes())?;
    }
    Ok(cmd::report_broken(&scan.errors))
}

/// Whether `--owner` and `--tag` keep a customer.
fn selected(r: &Record, args: &ReportArgs) -> bool {
    args.owner
        .as_ref()
        .is_none_or(|o| r.owner.as_ref() == Some(o))
        && args.tag.as_ref().is_none_or(|t| r.tags.contains(t))
}

/// The line under the page's title: the day, the window and the filters.
fn scope(ctx: &Ctx, args: &ReportArgs, window: crate::analysis::Window) -> Vec<String> {
    let mut out = vec![format!("as of {}", ctx.today)];
    out.push(match window.since {
        Some(since) => format!("window {since} to {}", window.until),
        None => format!("all time to {}", window.until),
    });
    if let Some(owner) = &args.owner {
        out.push(format!("owner {owner}"));
    }
    if let Some(tag) = &args.tag {
        out.push(format!("tag {tag}"));
    }
    out.push(format!("reminders due within {WITHIN_DAYS} days"));
    out
}

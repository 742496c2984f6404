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
    let windowed = args.window.given();
    let period = Period::new(window, today);
    let remind = Remind::new(config, today, Span::days(WITHIN_DAYS))
        .ok_or_else(|| error::bad("today is too close to the end of the calendar kith handles"))?;
    let scan = store.scan(|r| {
        let kept = r.selected(args.owner.as_deref(), args.tag.as_deref());
        // Each deal's facts once, for the funnel and the stalled rule both.
        let deals: Vec<Option<DealFacts>> = r
            .deals
            .iter()
            .map(|d| funnel::deal_facts(d, config, today))
            .collect();
        Item {
            remind: remind.customer_with(&r, kept, &deals),
            kept: kept.then(|| {
                (
                    Facts::of(&r, config, period),
                    funnel::opened_in(deals.into_iter().flatten(), window, windowed),
                )
            }),
        }
    });
    let mut customers = Vec::with_capacity(scan.items.len());
    let mut facts = Vec::with_capacity(scan.items.len());
    // Sized at once: grown by doubling, a quarter of a million deals would
    // hold up to twice their room.
    let mut deals = Vec::with_capacity(
        scan.items
            .iter()
            .filter_map(|i| i.kept.as_ref())
            .map(|(_, d)| d.len())
            .sum(),
    );
    for item in scan.items {
        customers.push(item.remind);
        if let Some((f, d)) = item.kept {
            facts.push(f);
            deals.extend(d);
        }
    }
    // The analyses are independent: on two threads the page costs little
    // more than the slowest of them. The facts share their texts, so the
    // copies are cheap.
    let (for_revenue, for_profit) = (facts.clone(), facts.clone());
    let remind = &remind;
    let ((funnel, reminders), (by_revenue, (by_profit, rfm))) = rayon::join(
        move || {
            let rows = remind.rows(customers);
            let made = (
                funnel::funnel(&deals, config),
                remind::head(&rows, html::REMINDER_ROWS),
            );
            leave_to_exit((rows, deals));
            made
        },
        move || {
            rayon::join(
                move || segment::report(for_revenue, By::Revenue, config),
                move || {
                    (
                        segment::report(for_profit, By::Profit, config),
                        rfm::scored(facts, period.end),
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
    leave_to_exit((by_revenue, by_profit, rfm));
    Ok(cmd::report_broken(&scan.errors))
}

/// Leaves the analyses' large inputs and results to the operating system,
/// which takes back the whole heap when the command ends a moment later:
/// freeing a row per customer, one by one, would cost a tenth of the
/// page's time at a quarter of a million customers.
fn leave_to_exit<T>(big: T) {
    std::mem::forget(big);
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

//! `kith list`: one line per customer, filtered.

use anyhow::Result;

use crate::analysis::{self, Window};
use crate::app::{self, Ctx};
use crate::cli::ListArgs;
use crate::config::Config;
use crate::date::Date;
use crate::error;
use crate::output::{Cell, Table};
use crate::record::{Record, Tier};

pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "tier",
    "tags",
    "stage",
    "last_contact",
    "next_due",
    "revenue",
    "class",
    "lifecycle",
];

/// What `list` keeps of a record: the row, and what the filters need.
struct Line {
    id: String,
    row: Vec<Cell>,
}

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<u8> {
    let store = ctx.store()?;
    if let Some(t) = &args.tier {
        Tier::parse(t).ok_or_else(|| {
            error::bad(format!(
                "--tier: `{t}` is not one of {}",
                Tier::ALL.join(", ")
            ))
        })?;
    }
    if let Some(s) = &args.stage {
        crate::cmd::deal::known_stage(&store.config, s)?;
    }
    let search = args.search.as_ref().map(|s| s.to_lowercase());
    let config = &store.config;
    let today = ctx.today;
    let scan = store.scan(|r| {
        matches(&r, &args, search.as_deref()).then(|| Line {
            id: r.id.clone(),
            row: row(&r, config, today),
        })
    });
    let mut lines: Vec<Line> = scan.items.into_iter().flatten().collect();
    lines.sort_by(|a, b| a.id.cmp(&b.id));
    let mut table = Table::new(COLUMNS);
    for l in lines {
        table.push(l.row);
    }
    ctx.print(&store, &table)?;
    Ok(app::report_broken(&scan.errors))
}

fn matches(r: &Record, args: &ListArgs, search: Option<&str>) -> bool {
    if args.tag.as_ref().is_some_and(|t| !r.tags.contains(t)) {
        return false;
    }
    if args
        .owner
        .as_ref()
        .is_some_and(|o| r.owner.as_ref() != Some(o))
    {
        return false;
    }
    if args
        .tier
        .as_ref()
        .is_some_and(|t| r.tier.map(|x| x.as_str()) != Some(t.as_str()))
    {
        return false;
    }
    if let Some(stage) = &args.stage
        && !r.deals.iter().any(|d| d.is_open() && &d.stage == stage)
    {
        return false;
    }
    if let Some(needle) = search
        && !searchable(r).to_lowercase().contains(needle)
    {
        return false;
    }
    true
}

/// The text `--search` looks in: id, name, contact, tags, notes and summaries.
fn searchable(r: &Record) -> String {
    let mut parts: Vec<&str> = vec![&r.id, &r.name];
    parts.extend(r.owner.as_deref());
    parts.extend(r.tags.iter().map(String::as_str));
    let c = &r.contact;
    parts.extend(
        [&c.email, &c.phone, &c.address, &c.website]
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    parts.extend(r.interactions.iter().filter_map(|i| i.summary.as_deref()));
    parts.extend(r.deals.iter().filter_map(|d| d.title.as_deref()));
    parts.join("\n")
}

fn row(r: &Record, config: &Config, today: Date) -> Vec<Cell> {
    let last_contact = r
        .interactions
        .iter()
        .filter(|i| i.is_contact() && i.date.date <= today)
        .map(|i| i.date.date)
        .max();
    let next_due = r.tasks.iter().filter(|t| t.is_open()).map(|t| t.due).min();
    let totals = analysis::totals(r, config, Window::all_time(today));
    vec![
        Cell::text(&r.id),
        Cell::text(&r.name),
        Cell::opt_text(r.owner.as_deref()),
        Cell::opt_text(r.tier.map(|t| t.as_str())),
        Cell::List(r.tags.clone()),
        Cell::opt_text(furthest_open_stage(r, config)),
        Cell::opt_date(last_contact),
        Cell::opt_date(next_due),
        Cell::Money(totals.revenue),
        Cell::Empty,
        Cell::Empty,
    ]
}

/// The stage of the customer's most advanced open deal.
pub fn furthest_open_stage<'a>(r: &'a Record, config: &Config) -> Option<&'a str> {
    r.deals
        .iter()
        .filter(|d| d.is_open())
        .max_by_key(|d| config.stage_index(&d.stage))
        .map(|d| d.stage.as_str())
}

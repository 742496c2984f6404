//! `kith list`: one line per customer, filtered, with its ABC class (by
//! all-time revenue, among every customer of the folder) and lifecycle.

use anyhow::Result;

use crate::analysis::abc::Class;
use crate::analysis::facts::{Facts, Period};
use crate::analysis::lifecycle::Lifecycle;
use crate::analysis::segment;
use crate::app::{self, Ctx};
use crate::cli::ListArgs;
use crate::config::Config;
use crate::date::Date;
use crate::error;
use crate::money::Money;
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

/// What `list` keeps of each record: what the classes need (every
/// customer takes part in them, filtered or not), and the row's first
/// columns when the record passes the filters.
struct Item {
    id: String,
    revenue: Money,
    lifecycle: Lifecycle,
    row: Option<Vec<Cell>>,
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
    let class = args.segment.as_deref().map(parse_class).transpose()?;
    let lifecycle = args.lifecycle.as_deref().map(parse_lifecycle).transpose()?;
    let search = args.search.as_ref().map(|s| s.to_lowercase());
    let config = &store.config;
    let today = ctx.today;
    let scan = store.scan(|r| {
        let facts = Facts::of(&r, config, Period::all_time(today));
        let keep =
            lifecycle.is_none_or(|l| l == facts.lifecycle) && matches(&r, &args, search.as_deref());
        Item {
            row: keep.then(|| row(&r, &facts, config, today)),
            id: facts.id,
            revenue: facts.revenue,
            lifecycle: facts.lifecycle,
        }
    });
    let mut items = scan.items;
    let classes = segment::classes_ranked(&mut items, |i| (i.revenue, i.id.as_str()), config);
    let mut lines: Vec<(String, Vec<Cell>)> = items
        .into_iter()
        .zip(classes)
        .filter(|(_, c)| class.is_none_or(|wanted| wanted == *c))
        .filter_map(|(item, c)| {
            let mut row = item.row?;
            row.push(Cell::text(c.as_str()));
            row.push(Cell::text(item.lifecycle.as_str()));
            Some((item.id, row))
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut table = Table::new(COLUMNS);
    for (_, row) in lines {
        table.push(row);
    }
    ctx.print(&store, &table)?;
    Ok(app::report_broken(&scan.errors))
}

fn parse_class(text: &str) -> Result<Class> {
    Class::parse(text)
        .ok_or_else(|| error::bad(format!("--segment: `{text}` is not one of A, B, C, none")))
}

fn parse_lifecycle(text: &str) -> Result<Lifecycle> {
    Lifecycle::parse(&text.to_lowercase()).ok_or_else(|| {
        error::bad(format!(
            "--lifecycle: `{text}` is not one of {}",
            Lifecycle::ALL.join(", ")
        ))
    })
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

/// The columns before `class` and `lifecycle`, which need the whole folder.
fn row(r: &Record, facts: &Facts, config: &Config, today: Date) -> Vec<Cell> {
    let last_contact = r
        .interactions
        .iter()
        .filter(|i| i.is_contact() && i.date.date <= today)
        .map(|i| i.date.date)
        .max();
    let next_due = r.tasks.iter().filter(|t| t.is_open()).map(|t| t.due).min();
    // Room for the class and lifecycle pushed after the scan, so that a
    // quarter of a million rows are not each reallocated to twice the size.
    let mut row = Vec::with_capacity(COLUMNS.len());
    row.extend([
        Cell::text(&r.id),
        Cell::text(&r.name),
        Cell::opt_text(r.owner.as_deref()),
        Cell::opt_text(r.tier.map(|t| t.as_str())),
        Cell::List(r.tags.clone()),
        Cell::opt_text(furthest_open_stage(r, config)),
        Cell::opt_date(last_contact),
        Cell::opt_date(next_due),
        Cell::Money(facts.revenue),
    ]);
    row
}

/// The stage of the customer's most advanced open deal.
pub fn furthest_open_stage<'a>(r: &'a Record, config: &Config) -> Option<&'a str> {
    r.deals
        .iter()
        .filter(|d| d.is_open())
        .max_by_key(|d| config.stage_index(&d.stage))
        .map(|d| d.stage.as_str())
}

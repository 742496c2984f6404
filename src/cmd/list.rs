//! `kith list`: one line per customer, filtered, with its ABC class (by
//! all-time revenue, among every customer of the folder) and lifecycle.

use anyhow::Result;

use crate::analysis::abc::Class;
use crate::analysis::facts::{Facts, Period};
use crate::analysis::lifecycle::Lifecycle;
use crate::analysis::segment;
use crate::cli::ListArgs;
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::date::Date;
use crate::error;
use crate::money::Money;
use crate::output::{Cell, Made};
use crate::record::{Contact, Record, Tier};
use crate::store::Store;

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
/// customer takes part in them, filtered or not), and the rest of its line
/// when the record passes the filters.
struct Item {
    id: String,
    revenue: Money,
    lifecycle: Lifecycle,
    line: Option<Line>,
}

/// A customer on the list: an item that passed the filters, with its class.
struct Listed {
    id: String,
    revenue: Money,
    lifecycle: Lifecycle,
    class: Class,
    line: Line,
}

/// The columns of a line that come from the record alone, kept as they are
/// and made into cells only when printed.
struct Line {
    name: String,
    owner: Option<String>,
    tier: Option<Tier>,
    tags: Vec<String>,
    stage: Option<String>,
    last_contact: Option<Date>,
    next_due: Option<Date>,
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
        crate::deal::known_stage(&store.config, s)?;
    }
    let class = args.segment.as_deref().map(parse_class).transpose()?;
    let lifecycle = args.lifecycle.as_deref().map(parse_lifecycle).transpose()?;
    let search = args.search.as_ref().map(|s| s.to_lowercase());
    print_lines(ctx, &store, class, &|r, facts| {
        lifecycle.is_none_or(|l| l == facts.lifecycle) && matches(r, &args, search.as_deref())
    })
}

/// Prints the lines of the customers `keep` selects (and of class `class`,
/// when given), classed among every customer of the folder; `show` prints
/// one customer's line this way.
pub fn print_lines(
    ctx: &Ctx,
    store: &Store,
    class: Option<Class>,
    keep: &(dyn Fn(&Record, &Facts) -> bool + Sync),
) -> Result<u8> {
    let config = &store.config;
    let today = ctx.today;
    let scan = store.scan(|r| {
        let facts = Facts::of(&r, config, Period::all_time(today));
        let keep = keep(&r, &facts);
        Item {
            line: keep.then(|| line(&r, config, today)),
            id: facts.id,
            revenue: facts.revenue,
            lifecycle: facts.lifecycle,
        }
    });
    let mut items = scan.items;
    let classes = segment::classes_ranked(&mut items, |i| (i.revenue, i.id.as_str()), config);
    let mut lines: Vec<Listed> = items
        .into_iter()
        .zip(classes)
        .filter(|(_, c)| class.is_none_or(|wanted| wanted == *c))
        .filter_map(|(item, class)| {
            Some(Listed {
                line: item.line?,
                id: item.id,
                revenue: item.revenue,
                lifecycle: item.lifecycle,
                class,
            })
        })
        .collect();
    lines.sort_by(|a, b| a.id.cmp(&b.id));
    ctx.print(store, &Made::new(COLUMNS, &lines, cells))?;
    Ok(cmd::report_broken(&scan.errors))
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
    parts.extend(
        Contact::FIELDS
            .iter()
            .filter(|f| f.searched)
            .filter_map(|f| f.text(&r.contact)),
    );
    parts.extend(r.interactions.iter().filter_map(|i| i.summary.as_deref()));
    parts.extend(r.deals.iter().filter_map(|d| d.title.as_deref()));
    parts.join("\n")
}

/// What a line shows of a record that passes the filters.
fn line(r: &Record, config: &Config, today: Date) -> Line {
    Line {
        name: r.name.clone(),
        owner: r.owner.clone(),
        tier: r.tier,
        tags: r.tags.clone(),
        stage: furthest_open_stage(r, config).map(str::to_string),
        last_contact: r
            .interactions
            .iter()
            .filter(|i| i.is_contact() && i.date.date <= today)
            .map(|i| i.date.date)
            .max(),
        next_due: r.tasks.iter().filter(|t| t.is_open()).map(|t| t.due).min(),
    }
}

fn cells(item: &Listed) -> Vec<Cell> {
    let line = &item.line;
    vec![
        Cell::text(&item.id),
        Cell::text(&line.name),
        Cell::opt_text(line.owner.as_deref()),
        Cell::opt_text(line.tier.map(|t| t.as_str())),
        Cell::List(line.tags.clone()),
        Cell::opt_text(line.stage.as_deref()),
        Cell::opt_date(line.last_contact),
        Cell::opt_date(line.next_due),
        Cell::Money(item.revenue),
        Cell::text(item.class.as_str()),
        Cell::text(item.lifecycle.as_str()),
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

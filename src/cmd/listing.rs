//! The customer lines `kith list` prints (and `kith show` prints for one
//! customer in csv, tsv, json and ids): a customer's line with its ABC class
//! by all-time revenue among every customer of the folder, and lifecycle.

use anyhow::Result;

use crate::analysis::abc::Class;
use crate::analysis::facts::{Facts, Period};
use crate::analysis::lifecycle::Lifecycle;
use crate::analysis::segment;
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::date::Date;
use crate::money::Money;
use crate::output::{Cell, Made};
use crate::record::{Record, Tier};
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
    id: std::sync::Arc<str>,
    revenue: Money,
    lifecycle: Lifecycle,
    line: Option<Line>,
}

/// A customer on the list: an item that passed the filters, with its class.
struct Listed {
    id: std::sync::Arc<str>,
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
    let classes = segment::classes_ranked(&mut items, |i| (i.revenue, &*i.id), config);
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
        Cell::text(&*item.id),
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

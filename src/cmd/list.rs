//! `kith list`: one line per customer, filtered, with its ABC class (by
//! all-time revenue, among every customer of the folder) and lifecycle.

use anyhow::Result;

use crate::analysis::abc::Class;
use crate::analysis::lifecycle::Lifecycle;
use crate::cli::ListArgs;
use crate::cmd::{Ctx, listing};
use crate::error;
use crate::record::{Contact, Record, Tier};

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
    listing::print_lines(ctx, &store, class, &|r, facts| {
        lifecycle.is_none_or(|l| l == facts.lifecycle) && matches(r, &args, search.as_deref())
    })
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
    parts.extend(
        Record::FIELDS
            .iter()
            .filter(|f| f.searched)
            .flat_map(|f| f.texts(r)),
    );
    parts.extend(
        Contact::FIELDS
            .iter()
            .filter(|f| f.searched)
            .flat_map(|f| f.texts(&r.contact)),
    );
    parts.extend(r.interactions.iter().filter_map(|i| i.summary.as_deref()));
    parts.extend(r.deals.iter().filter_map(|d| d.title.as_deref()));
    parts.join("\n")
}

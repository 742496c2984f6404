//! `kith add`: a new customer file; prints its id.

use std::io::Write;

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::AddArgs;
use crate::error;
use crate::money::Money;
use crate::record::{CustomerKind, Deal, HistoryEntry, Outcome, Record, Tier};
use crate::store::id;

pub fn run(ctx: &Ctx, args: AddArgs) -> Result<u8> {
    let store = ctx.store()?;
    let name = args.name.trim().to_string();
    if name.is_empty() {
        return Err(error::bad("the name is empty; give the customer's name"));
    }
    if let Some(explicit) = &args.id {
        id::validate(explicit).map_err(error::bad)?;
    }
    let kind = args
        .kind
        .as_deref()
        .map(|k| parse_word(k, CustomerKind::parse, CustomerKind::ALL, "--kind"))
        .transpose()?;
    let tier = args
        .tier
        .as_deref()
        .map(|t| parse_word(t, Tier::parse, Tier::ALL, "--tier"))
        .transpose()?;
    let deal = match &args.deal {
        Some(title) => Some(new_deal(
            &store.config,
            title,
            args.value.as_deref(),
            args.stage.as_deref(),
            &[],
            ctx.today,
        )?),
        None => None,
    };
    let record = store.create(|taken| {
        let id = match &args.id {
            Some(explicit) => explicit.clone(),
            None => id::first_free(&id::derive(&name), taken),
        };
        let mut r = Record::new(&id, &name);
        r.kind = kind;
        r.tier = tier;
        r.owner = args.owner.clone();
        r.source = args.source.clone();
        r.tags = args.tags.clone();
        r.contact.email = args.email.clone();
        r.contact.phone = args.phone.clone();
        r.deals.extend(deal);
        Ok(r)
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", record.id)?;
    Ok(0)
}

/// A word from a fixed set, or an error listing the set.
pub fn parse_word<T>(
    text: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
    option: &str,
) -> Result<T> {
    parse(text).ok_or_else(|| {
        error::bad(format!(
            "{option}: `{text}` is not one of {}",
            all.join(", ")
        ))
    })
}

/// A new open deal at `stage` (default the funnel's first), opened `today`,
/// with an id derived from the title that `existing` does not use.
pub fn new_deal(
    config: &crate::config::Config,
    title: &str,
    value: Option<&str>,
    stage: Option<&str>,
    existing: &[Deal],
    today: crate::date::Date,
) -> Result<Deal> {
    if title.trim().is_empty() {
        return Err(error::bad("the deal title is empty"));
    }
    let value = value
        .map(|v| Money::parse(v).map_err(|e| error::bad(format!("--value: {e}"))))
        .transpose()?;
    let stage = match stage {
        Some(s) => crate::cmd::deal::known_stage(config, s)?,
        None => config
            .funnel
            .first()
            .map(|s| s.id.clone())
            .ok_or_else(|| error::bad("the funnel has no stages"))?,
    };
    let deal_id = id::first_free(&id::derive(title), |c| existing.iter().any(|d| d.id == c));
    Ok(Deal {
        id: deal_id,
        title: Some(title.trim().to_string()),
        value,
        stage: stage.clone(),
        outcome: Some(Outcome::Open),
        lost_reason: None,
        competitor: None,
        history: vec![HistoryEntry {
            stage: Some(stage),
            outcome: None,
            date: today,
            extra: Default::default(),
        }],
        extra: Default::default(),
    })
}

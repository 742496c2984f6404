//! `kith add`: a new customer file; prints its id.

use std::io::Write;

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::AddArgs;
use crate::deal;
use crate::error;
use crate::record::{CustomerKind, Record, Tier};
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
        Some(title) => Some(deal::new_deal(
            &store.config,
            title,
            args.value.as_deref(),
            args.stage.as_deref(),
            None,
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

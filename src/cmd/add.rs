//! `kith add`: a new customer file; prints its id.

use std::io::Write;

use anyhow::Result;

use crate::cli::AddArgs;
use crate::cmd::Ctx;
use crate::date::Date;
use crate::deal;
use crate::error;
use crate::record::id;
use crate::record::{CustomerKind, Record, Tier};
use crate::store::Store;

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
    let others = same_name_or_email(&store, &name, args.email.as_deref(), ctx.today);
    if !args.force
        && let Some((id, holder)) = &others.email
    {
        return Err(error::bad(format!(
            "{} is already the email of {id} ({holder}); add --force to add another customer with it",
            args.email.as_deref().unwrap_or_default()
        )));
    }
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
    if !others.name.is_empty() {
        ctx.note(format!(
            "kith: warning: {} already named `{name}`: {}; added {} beside",
            if others.name.len() == 1 {
                "a customer is"
            } else {
                "customers are"
            },
            others.name.join(", "),
            record.id
        ));
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", record.id)?;
    Ok(0)
}

/// Customers a new one may repeat: the one holding its email, itself or
/// through a current contact (its id, and who holds it), and the ids of
/// those of the same name (NFKC, case folded).
struct Others {
    email: Option<(String, String)>,
    name: Vec<String>,
}

fn same_name_or_email(store: &Store, name: &str, email: Option<&str>, today: Date) -> Others {
    let wanted_name = id::name_key(name);
    let wanted_email = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let scan = store.scan(|r| {
        let is_wanted = |e: Option<&str>| {
            wanted_email
                .as_deref()
                .is_some_and(|w| e.is_some_and(|e| e.trim().to_lowercase() == w))
        };
        let holder = if is_wanted(r.contact.email.as_deref()) {
            Some(r.name.clone())
        } else {
            r.contacts
                .iter()
                .find(|p| p.is_current(today) && is_wanted(p.email.as_deref()))
                .map(|p| format!("{}, a contact of {}", p.name, r.name))
        };
        let same_email = holder.is_some();
        let same_name = id::name_key(&r.name) == wanted_name;
        (same_email || same_name).then(|| (r.id, holder.unwrap_or(r.name), same_email, same_name))
    });
    let mut found: Vec<_> = scan.items.into_iter().flatten().collect();
    found.sort();
    Others {
        email: found
            .iter()
            .find(|f| f.2)
            .map(|f| (f.0.clone(), f.1.clone())),
        name: found.iter().filter(|f| f.3).map(|f| f.0.clone()).collect(),
    }
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

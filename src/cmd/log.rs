//! `kith log`: adds an interaction to a customer's timeline, and with
//! `--follow-up` a task.
//!
//! `interactions` is the last key of a canonical file and is kept in date
//! order, so logging something that happened today is a pure append: every
//! byte above the new entry stays as it was.

use anyhow::Result;

use crate::analysis::complaints;
use crate::cli::LogArgs;
use crate::cmd::Ctx;
use crate::config::Config;
use crate::date::{self, When};
use crate::deal::{deal_index, money_arg};
use crate::error;
use crate::record::{CaseStatus, Interaction, Record, Task};

pub fn run(ctx: &Ctx, args: LogArgs) -> Result<u8> {
    let store = ctx.store()?;
    let entry = interaction(ctx, &store.config, &args)?;
    let follow_up = args
        .follow_up
        .as_deref()
        .map(|when| follow_up(when, &entry, args.task.as_deref()))
        .transpose()?;
    let due = follow_up.as_ref().map(|t| t.due);
    let (number, complaint) = store.update(&args.id, |r| {
        if let Some(d) = &entry.deal {
            deal_index(r, d)?;
        }
        let mut entry = entry.clone();
        if let Some(with) = &entry.with {
            entry.with = Some(contact_name(r, with)?);
        }
        // A complaint keeps the number `resolve` takes, whatever comes later.
        let complaint = complaints::is_complaint(&entry).then(|| complaints::next_number(r));
        entry.number = complaint;
        r.interactions.push(entry);
        Ok((follow_up.map(|t| r.add_task(t)), complaint))
    })?;
    let mut note = format!("{}: logged {} on {}", args.id, entry.kind, entry.date);
    if let Some(n) = complaint {
        note.push_str(&format!(" (complaint {n})"));
    }
    if let (Some(n), Some(due)) = (number, due) {
        note.push_str(&format!("; task {n} due {due}"));
    }
    ctx.note(note);
    Ok(0)
}

/// The interaction the arguments describe, every value checked.
fn interaction(ctx: &Ctx, config: &Config, args: &LogArgs) -> Result<Interaction> {
    let kind = known_kind(config, &args.kind)?;
    let date = match &args.date {
        Some(text) => {
            When::parse_cli(text, ctx.today).map_err(|e| error::bad(format!("--date: {e}")))?
        }
        None => When::day(ctx.today),
    };
    let mut i = Interaction::new(date, &kind);
    i.summary = given(&args.summary);
    i.by = given(&args.by);
    i.deal = given(&args.deal);
    i.product = given(&args.product);
    i.payment = given(&args.payment);
    i.amount = args
        .amount
        .as_deref()
        .map(|a| money_arg("--amount", a))
        .transpose()?
        .map(|m| Interaction::stored_amount(&kind, m));
    i.cost = args
        .cost
        .as_deref()
        .map(|c| money_arg("--cost", c))
        .transpose()?;
    i.rating = args.rating.as_deref().map(rating).transpose()?;
    i.with = given(&args.with);
    if complaints::is_complaint(&i) {
        // A complaint is a case, open until `kith resolve` closes it.
        i.status = Some(CaseStatus::Open);
    }
    Ok(i)
}

/// The contact `name` stands for, as the customer's file writes it; a name
/// that is none of its contacts is refused with the nearest ones.
fn contact_name(r: &Record, name: &str) -> Result<String> {
    if let Some(p) = r.contact_named(name) {
        return Ok(p.name.clone());
    }
    let names = r.contacts.iter().map(|p| p.name.as_str());
    let near = crate::error::nearest(name, names.clone());
    let hint = if r.contacts.is_empty() {
        "it has no contacts; add one with `kith contact`".to_string()
    } else if near.is_empty() {
        format!("its contacts are: {}", names.collect::<Vec<_>>().join(", "))
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    Err(error::bad(format!(
        "--with: `{name}` is not a contact of {}; {hint}",
        r.id
    )))
}

/// A text option, absent when blank.
fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// An interaction kind this folder knows, or an error listing them.
fn known_kind(config: &Config, kind: &str) -> Result<String> {
    let kinds = config.all_kinds();
    if kinds.iter().any(|k| k == kind) {
        return Ok(kind.to_string());
    }
    let near = crate::error::nearest(kind, kinds.iter().map(String::as_str));
    let all = format!("are: {} (kith.yaml `kinds:` adds more)", kinds.join(", "));
    let hint = if near.is_empty() {
        format!("the kinds {all}")
    } else {
        format!("did you mean {}? The kinds {all}", near.join(", "))
    };
    Err(error::bad(format!(
        "`{kind}` is not an interaction kind; {hint}"
    )))
}

/// A satisfaction rating: a whole number from 1 to 5.
fn rating(text: &str) -> Result<u8> {
    match text.trim() {
        n @ ("1" | "2" | "3" | "4" | "5") => Ok(n.as_bytes()[0] - b'0'),
        _ => Err(error::bad(format!(
            "--rating: `{text}` is not a rating; give a whole number from 1 to 5"
        ))),
    }
}

/// The follow-up task: due a span (`7d`) or a date after the interaction's
/// day, so that a call logged for yesterday is followed up a week after it.
fn follow_up(when: &str, entry: &Interaction, text: Option<&str>) -> Result<Task> {
    let due = date::parse_due(when, entry.date.date)
        .map_err(|e| error::bad(format!("--follow-up: {e}")))?;
    let default = format!(
        "Follow up: {}",
        entry.summary.as_deref().unwrap_or(&entry.kind)
    );
    Task::checked(text.unwrap_or(&default), due).map_err(error::bad)
}

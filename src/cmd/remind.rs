//! `kith remind`: what is due today and within `--within`, for a daily cron
//! mail or a calendar subscription (`--format ics`).

use std::io::Write;

use anyhow::Result;

use crate::analysis::remind::{self, Kind, Remind, Reminder};
use crate::cli::RemindArgs;
use crate::cmd::{self, Ctx};
use crate::date::Span;
use crate::error;
use crate::output::ics::{self, Event};
use crate::output::{Cell, Format, Made};
use crate::record::Record;

pub const COLUMNS: &[&str] = &["date", "kind", "id", "name", "what", "days"];

pub fn run(ctx: &Ctx, args: RemindArgs) -> Result<u8> {
    let within = Span::parse(&args.within).map_err(|e| error::bad(format!("--within: {e}")))?;
    let store = ctx.store()?;
    let remind = Remind::new(&store.config, ctx.today, within).ok_or_else(|| {
        error::bad(format!(
            "--within: `{}` reaches past the calendar kith handles",
            args.within
        ))
    })?;
    let scan = store.scan(|r| remind.customer(&r, kept(&r, &args)));
    let reminders = remind.finish(scan.items);
    let anything_due = !reminders.is_empty();
    match ctx.format() {
        Format::Ics => print_ics(ctx, &args, &reminders)?,
        Format::Table => ctx.print(
            &store,
            &Made::new(COLUMNS, &remind::grouped(&reminders), |r| cells(r, true)),
        )?,
        // Cells are made row by row as they are written: a holiday greeting
        // every customer makes as many rows as the folder has customers.
        _ => ctx.print(&store, &Made::new(COLUMNS, &reminders, |r| cells(r, false)))?,
    }
    let broken = cmd::report_broken(&scan.errors);
    Ok(if broken != 0 {
        broken
    } else if args.exit_code && anything_due {
        error::FOUND
    } else {
        0
    })
}

/// Whether `--owner` and `--tag` keep a customer (holidays included).
fn kept(r: &Record, args: &RemindArgs) -> bool {
    args.owner
        .as_ref()
        .is_none_or(|o| r.owner.as_ref() == Some(o))
        && args.tag.as_ref().is_none_or(|t| r.tags.contains(t))
}

/// A row's cells; `grouped`: money in `what` with thousands separators, as
/// a table shows it.
fn cells(r: &Reminder, grouped: bool) -> Vec<Cell> {
    vec![
        Cell::Date(r.date),
        Cell::text(r.kind.as_str()),
        if r.id.is_empty() {
            Cell::Empty
        } else {
            Cell::text(&*r.id)
        },
        Cell::text(&*r.name),
        Cell::text(r.text(grouped)),
        Cell::Int(r.days),
    ]
}

fn print_ics(ctx: &Ctx, args: &RemindArgs, reminders: &[Reminder]) -> Result<()> {
    let name = match &args.owner {
        Some(owner) => format!("kith reminders ({owner})"),
        None => "kith reminders".to_string(),
    };
    let events: Vec<Event> = reminders.iter().map(event).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    ics::write_calendar(&mut out, &name, ctx.today, &events)?;
    out.flush()?;
    Ok(())
}

/// A reminder as a calendar event on its date.
fn event(r: &Reminder) -> Event {
    Event {
        uid: uid(r),
        date: r.date,
        summary: format!("{}: {} — {}", capitalised(r.kind), r.name, r.text(true)),
        description: format!(
            "{}\n{} ({})\nkith show {}",
            r.text(true),
            r.name,
            r.id,
            r.id
        ),
        category: r.kind.as_str().to_string(),
    }
}

/// A UID that stays the same every day the reminder is due, so that a
/// calendar updates the event instead of adding another: built from what
/// identifies it (a task by customer, due date and text, whether due or
/// already overdue; a holiday by customer, day and name; a stalled deal by
/// its title; the others by customer, day and what they say), never from the
/// days left.
fn uid(r: &Reminder) -> String {
    let (group, key) = match r.kind {
        Kind::Overdue | Kind::Due => ("task", &*r.what),
        Kind::Holiday => ("holiday", &*r.what),
        Kind::Close => ("close", &*r.what),
        // `invoice N of DEAL`: the open balance after it changes with payments.
        Kind::Payment => ("payment", r.what.split(':').next().unwrap_or("")),
        // A customer may have several on one day: told apart by the
        // complaint, the deal's title, the person.
        Kind::Complaint => ("complaint", &*r.what),
        Kind::Stalled => ("stalled", r.what.split(": ").next().unwrap_or("")),
        Kind::Birthday => ("birthday", &*r.what),
        other => (other.as_str(), ""),
    };
    format!(
        "{group}-{}-{}@kith",
        r.date.format("%Y%m%d"),
        ics::digest(&[&r.id, key])
    )
}

fn capitalised(kind: Kind) -> String {
    let s = kind.as_str();
    s[..1].to_uppercase() + &s[1..]
}

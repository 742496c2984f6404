//! `kith resolve`: closes a complaint, with the day and how.

use anyhow::Result;

use crate::analysis::complaints;
use crate::cli::ResolveArgs;
use crate::cmd::Ctx;
use crate::error;
use crate::record::{CaseStatus, Record};

pub fn run(ctx: &Ctx, args: ResolveArgs) -> Result<u8> {
    let store = ctx.store()?;
    let date = match &args.date {
        Some(text) => ctx.date("--date", text)?,
        None => ctx.today,
    };
    let note = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let (n, summary) = store.update(&args.id, |r| {
        let n = match args.n {
            Some(n) => n,
            None => only_open(r, ctx.today)?,
        };
        let index = complaint_index(r, n)?;
        let c = &mut r.interactions[index];
        if complaints::resolved_on(c).is_some() {
            return Err(error::bad(format!(
                "complaint {n} of {} is already resolved",
                r.id
            )));
        }
        if date < c.date.date {
            return Err(error::bad(format!(
                "--date: {date} is before the complaint came in ({})",
                c.date.date
            )));
        }
        c.status = Some(CaseStatus::Resolved);
        c.resolved = Some(date);
        if note.is_some() {
            c.resolution.clone_from(&note);
        }
        Ok((n, c.summary.clone().unwrap_or_default()))
    })?;
    ctx.note(format!(
        "{}: complaint {n} resolved on {date}{}",
        args.id,
        if summary.is_empty() {
            String::new()
        } else {
            format!(" ({summary})")
        }
    ));
    Ok(0)
}

/// The number of the only open complaint, or an error listing the open ones.
fn only_open(r: &Record, today: crate::date::Date) -> Result<usize> {
    let open: Vec<_> = complaints::open(r, today).collect();
    match open.as_slice() {
        [(n, _)] => Ok(*n),
        [] => Err(error::bad(format!("{} has no open complaint", r.id))),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|(n, i)| format!("{n}. {}", complaints::label(i)))
                .collect();
            Err(error::bad(format!(
                "{} has {} open complaints: {}; give the number of the one resolved",
                r.id,
                several.len(),
                listed.join("; ")
            )))
        }
    }
}

/// The place in `interactions` of complaint `n`; refused when no complaint
/// or several (after a merge) hold the number.
fn complaint_index(r: &Record, n: usize) -> Result<usize> {
    let numbered: Vec<(usize, usize)> = complaints::numbered_places(r).collect();
    let holding: Vec<usize> = numbered
        .iter()
        .filter(|(m, _)| *m == n)
        .map(|(_, at)| *at)
        .collect();
    match holding.as_slice() {
        [at] => Ok(*at),
        [] if numbered.is_empty() => Err(error::bad(format!("{} has no complaints", r.id))),
        [] => {
            let mut numbers: Vec<usize> = numbered.iter().map(|(m, _)| *m).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
            Err(error::bad(format!(
                "{} has no complaint {n}; its complaints are numbered {}",
                r.id,
                numbers.join(", ")
            )))
        }
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|&at| complaints::label(&r.interactions[at]))
                .collect();
            Err(error::bad(format!(
                "complaint number {n} of {} is held by {} complaints ({}); give all but one another \
                 number in the file (`kith check` names them), then resolve",
                r.id,
                several.len(),
                listed.join("; ")
            )))
        }
    }
}

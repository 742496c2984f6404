//! `kith task` and `kith done`: follow-ups.
//!
//! A task's number is stored in it when it is created (`number:`), one above
//! every number the customer's tasks have, so it never changes whatever
//! tasks are added or done later; `Record::task_numbers` numbers the tasks
//! written without one.

use anyhow::Result;

use crate::cli::{DoneArgs, TaskArgs};
use crate::cmd::Ctx;
use crate::date;
use crate::error;
use crate::record::{Record, Task};

pub fn run_task(ctx: &Ctx, args: TaskArgs) -> Result<u8> {
    let store = ctx.store()?;
    let due =
        date::parse_due(&args.due, ctx.today).map_err(|e| error::bad(format!("--due: {e}")))?;
    let task = Task::checked(&args.what, due).map_err(error::bad)?;
    let n = store.update(&args.id, |r| Ok(r.add_task(task)))?;
    ctx.note(format!("{}: task {n} due {due}", args.id));
    Ok(0)
}

pub fn run_done(ctx: &Ctx, args: DoneArgs) -> Result<u8> {
    let store = ctx.store()?;
    let date = match &args.date {
        Some(text) => ctx.date("--date", text)?,
        None => ctx.today,
    };
    let (n, what) = store.update(&args.id, |r| {
        let n = match args.n {
            Some(n) => n,
            None => only_open(r)?,
        };
        let t = task_mut(r, n)?;
        if let Some(done) = t.done {
            return Err(error::bad(format!(
                "task {n} of {} ({}) was already done on {done}",
                args.id, t.what
            )));
        }
        t.done = Some(date);
        Ok((n, t.what.clone()))
    })?;
    ctx.note(format!("{}: task {n} done ({what})", args.id));
    Ok(0)
}

/// The number of the only open task, or an error listing the open ones.
fn only_open(r: &Record) -> Result<u32> {
    let open: Vec<(u32, &Task)> = r.open_tasks().collect();
    match open.as_slice() {
        [(n, _)] => Ok(*n),
        [] => Err(error::bad(format!("{} has no open task", r.id))),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|(n, t)| format!("{n}. {} {}", t.due, t.what))
                .collect();
            Err(error::bad(format!(
                "{} has {} open tasks: {}; give the number of the one done",
                r.id,
                several.len(),
                listed.join("; ")
            )))
        }
    }
}

/// The task numbered `n`, or an error saying which numbers there are, or
/// naming the tasks that share the number.
fn task_mut(r: &mut Record, n: u32) -> Result<&mut Task> {
    let numbers = r.task_numbers();
    let held: Vec<usize> = (0..numbers.len()).filter(|&i| numbers[i] == n).collect();
    match held.as_slice() {
        [i] => Ok(&mut r.tasks[*i]),
        [] => {
            let mut open: Vec<String> = r.open_tasks().map(|(m, _)| m.to_string()).collect();
            let which = match open.len() {
                0 => "it has no open task".to_string(),
                1 => format!("its open task is {}", open.remove(0)),
                _ => format!("its open tasks are {}", open.join(", ")),
            };
            Err(error::bad(format!("{} has no task {n}; {which}", r.id)))
        }
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|&i| format!("{} {}", r.tasks[i].due, r.tasks[i].what))
                .collect();
            Err(error::bad(format!(
                "{} has {} tasks numbered {n} (from a merge): {}; give one of them another \
                 number (`number:` in the file, kith edit {}), then run kith done again",
                r.id,
                several.len(),
                listed.join("; "),
                r.id
            )))
        }
    }
}

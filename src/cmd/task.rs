//! `kith task` and `kith done`: follow-ups.
//!
//! A task's number is its place in the customer's whole task list, sorted as
//! the file keeps it (due date, then text), which is how `kith show` numbers
//! the open ones; so a number does not shift when an earlier task is done.

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::{DoneArgs, TaskArgs};
use crate::date::{self, Date};
use crate::error;
use crate::record::{Record, Task};

pub fn run_task(ctx: &Ctx, args: TaskArgs) -> Result<u8> {
    let store = ctx.store()?;
    let due =
        date::parse_due(&args.due, ctx.today).map_err(|e| error::bad(format!("--due: {e}")))?;
    let task = new_task(&args.what, due)?;
    let n = store.update(&args.id, |r| Ok(add(r, task)))?;
    ctx.note(format!("{}: task {n} due {due}", args.id));
    Ok(0)
}

/// An open task, refusing an empty text.
pub fn new_task(what: &str, due: Date) -> Result<Task> {
    let what = what.trim();
    if what.is_empty() {
        return Err(error::bad(
            "the task's text is empty; say what is to be done",
        ));
    }
    Ok(Task::new(due, what))
}

/// Adds `task` to the record; returns its number as `kith show` prints it.
pub fn add(r: &mut Record, task: Task) -> usize {
    r.tasks.push(task.clone());
    r.sort_lists();
    r.tasks
        .iter()
        .position(|t| *t == task)
        .map_or(r.tasks.len(), |i| i + 1)
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
fn only_open(r: &Record) -> Result<usize> {
    let open: Vec<(usize, &Task)> = r.open_tasks().collect();
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

/// Task `n` (counted from 1), or an error saying how many there are.
fn task_mut(r: &mut Record, n: usize) -> Result<&mut Task> {
    let count = r.tasks.len();
    let id = r.id.clone();
    n.checked_sub(1)
        .and_then(|i| r.tasks.get_mut(i))
        .ok_or_else(|| match count {
            0 => error::bad(format!("{id} has no tasks")),
            1 => error::bad(format!("{id} has 1 task; there is no task {n}")),
            _ => error::bad(format!(
                "{id} has {count} tasks, numbered 1 to {count}; there is no task {n}"
            )),
        })
}

//! `kith check`: validates every file and kith.yaml. Prints nothing when all
//! is well; otherwise one `FILE:LINE:COL: message` per problem, and exit 1.
//! First, under the lock, it finishes or undoes a multi-file change a killed
//! kith left and removes stale temporary files, naming them on stderr.

use std::fs;
use std::io::Write;

use anyhow::Result;

use crate::analysis::complaints;
use crate::cli::CheckArgs;
use crate::cmd::Ctx;
use crate::error;
use crate::record;
use crate::store::{FileError, Store};

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<u8> {
    let (store, config_problem) = Store::discover_lenient(ctx.dir.as_deref())?;
    let mut problems: Vec<String> = config_problem.into_iter().collect();
    if store.has_journal() {
        store.tidy(&[])?;
    }
    let (errors, warned, leftovers) = if args.strict {
        let scan = store.scan_texts(|entry, bytes, r| {
            let mut warnings = strict_warnings(bytes);
            warnings.extend(shared_numbers(&r, &String::from_utf8_lossy(bytes)));
            (entry.path.clone(), warnings)
        });
        (scan.errors, scan.items, scan.leftovers)
    } else {
        // Only a file with tasks that share a number is read again, to say
        // where they are.
        let scan = store.scan_files(|entry, r| {
            let shared = has_shared_numbers(&r);
            let warnings = match shared.then(|| fs::read(&entry.path)) {
                Some(Ok(bytes)) => shared_numbers(&r, &String::from_utf8_lossy(&bytes)),
                _ => Vec::new(),
            };
            (entry.path.clone(), warnings)
        });
        (scan.errors, scan.items, scan.leftovers)
    };
    store.tidy(&leftovers)?;
    problems.extend(errors.iter().map(ToString::to_string));
    for (path, warnings) in warned {
        for (line, column, message) in warnings {
            problems.push(
                FileError {
                    path: path.clone(),
                    line,
                    column,
                    message,
                }
                .to_string(),
            );
        }
    }
    problems.sort_by_key(|a| natural_key(a));
    let mut out = std::io::stdout().lock();
    for p in &problems {
        writeln!(out, "{}", p.replace(['\n', '\r'], " "))?;
    }
    Ok(if problems.is_empty() { 0 } else { error::FOUND })
}

/// Sorts `path:line:col:` problems by path, then line and column as numbers.
fn natural_key(p: &str) -> (String, usize, usize) {
    let place = p.split_once(": ").map_or(p, |(place, _)| place);
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
    let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let path = parts.next().unwrap_or("").to_string();
    (path, line, col)
}

/// Whether a record has tasks or complaints that share a number.
fn has_shared_numbers(r: &record::Record) -> bool {
    !r.shared_task_numbers().is_empty() || !complaints::shared_numbers(r).is_empty()
}

/// Task or complaint numbers held by several entries (two clones each
/// added one, then merged): one problem at each `number:` line after the
/// first, naming the entries, so that `kith done` and `kith resolve` can
/// tell them apart once one is renumbered.
fn shared_numbers(r: &record::Record, text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let tasks = r.shared_task_numbers().into_iter().map(|(n, tasks)| {
        let listed: Vec<String> = tasks
            .iter()
            .map(|t| format!("{} {}", t.due, t.what))
            .collect();
        ("tasks", "task", n as usize, listed)
    });
    let cases = complaints::shared_numbers(r).into_iter().map(|(n, cases)| {
        let listed: Vec<String> = cases.iter().map(|i| complaints::label(i)).collect();
        ("interactions", "complaint", n, listed)
    });
    for (section, what, n, listed) in tasks.chain(cases) {
        let message = format!(
            "{what} number {n} is held by {} {what}s ({}); give all but one another number",
            listed.len(),
            listed.join("; ")
        );
        let places = number_lines(text, section, n);
        match places.split_first() {
            Some((_, later)) if !later.is_empty() => {
                out.extend(later.iter().map(|&(l, c)| (l, c, message.clone())));
            }
            _ => out.push((1, 1, message)),
        }
    }
    out
}

/// The lines and columns of `number: N` under the top-level key `section`.
fn number_lines(text: &str, section: &str, n: usize) -> Vec<(usize, usize)> {
    let wanted = format!("number: {n}");
    let mut inside = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '-', '#']) && !line.is_empty() {
            inside = line.split(':').next() == Some(section);
            continue;
        }
        let rest = line.trim_start();
        let rest = rest.strip_prefix("- ").map_or(rest, str::trim_start);
        if inside && rest.trim_end() == wanted {
            out.push((i + 1, line.len() - rest.len() + 1));
        }
    }
    out
}

/// Strings that a YAML 1.1 reader (PyYAML, yq) would read as something else:
/// `no`, `on`, `0123` written plain where kith reads text, in any value, list
/// or flow collection. A file whose structure kith cannot follow (anchors,
/// tags) gets one warning saying so.
fn strict_warnings(bytes: &[u8]) -> Vec<(usize, usize, String)> {
    let text = String::from_utf8_lossy(bytes);
    match record::yaml11_traps(&text) {
        Ok(traps) => traps
            .into_iter()
            .map(|t| {
                let message = format!(
                    "warning: `{}` is read as text by kith but as a number, date or yes/no by YAML 1.1 readers; quote it: '{}'",
                    t.text, t.text
                );
                (t.line, t.column, message)
            })
            .collect(),
        Err(e) => vec![(
            e.line,
            1,
            format!(
                "warning: kith cannot check this file's quoting or edit it in place: {}",
                e.what
            ),
        )],
    }
}

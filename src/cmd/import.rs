//! `kith import`: a CSV file (or a vCard file for `--as contacts`) into
//! records, all or nothing.
//!
//! Every row is checked before the folder is locked; then, under one lock,
//! the folder is scanned once (ids and emails), the customers the rows name
//! are loaded, every change is made in memory, and only then are the changed
//! files written, all or none (`Store::commit`). `--dry-run` prints what would
//! be created and changed (a table on stdout) and writes nothing.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::{ImportArgs, ImportKind};
use crate::cmd::Ctx;
use crate::error;
use crate::output::{self, Cell, CsvOptions, Table};
use crate::sheet::UID_KEY;
use crate::sheet::import::{self, Applied, Index, Item, Raw, Rules, Target, Work};
use crate::sheet::preset::Preset;
use crate::sheet::value::Dates;
use crate::sheet::{decode, read, vcard};
use crate::store::{self, Loaded, Lock, Store};

pub const DRY_RUN_COLUMNS: &[&str] = &["id", "action", "changes"];

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<u8> {
    let store = ctx.store()?;
    let kind = args.kind.unwrap_or(ImportKind::Customers);
    if args.from.is_some() && !matches!(kind, ImportKind::Customers | ImportKind::Contacts) {
        return Err(error::bad(
            "--from reads exports of customers; leave out --as, or give --as customers",
        ));
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(decode::encoding)
        .transpose()
        .map_err(error::bad)?;
    let source = args.file.display().to_string();
    let at = |e: String| error::bad(format!("{source}:{e}"));
    let bytes = read_input(&args.file)?;
    let text = decode::decode(&bytes, encoding, vcard::is_vcard(&bytes)).map_err(at)?;
    let rules = Rules {
        config: &store.config,
        dates: Dates {
            format: args
                .date_format
                .clone()
                .or_else(|| args.from.and_then(Preset::date_format).map(str::to_string)),
        },
        today: ctx.today,
        update: args.update,
    };
    let (target, mut input) = rows(ctx, &text, &args, kind).map_err(at)?;
    let skip = args.skip_bad.is_some();
    let mut refused = Vec::new();
    let mut items = Vec::new();
    for row in std::mem::take(&mut input.rows) {
        match row.raw.and_then(|raw| import::check(raw, target, &rules)) {
            Ok(item) => items.push(item),
            Err(e) if skip => refused.push((row.line, e)),
            Err(e) => return Err(at(e)),
        }
    }
    let lock = store.lock()?;
    let index = index(&store)?;
    let items = if kind == ImportKind::Contacts && target == Target::Customers {
        index.cards_to_contacts(items)
    } else {
        items
    };
    let loaded = load(&store, &index, &items)?;
    // A copy to change: the store needs the record as read to edit a
    // hand-kept file in place.
    let records = loaded
        .iter()
        .map(|(id, l)| (id.clone(), l.record.clone()))
        .collect();
    let mut applied = import::apply(items, &index, records, &rules, skip).map_err(at)?;
    refused.append(&mut applied.refused);
    refused.sort_by_key(|(line, _)| *line);
    if args.dry_run {
        ctx.print(&store, &dry_run_table(&applied))?;
    } else {
        if let Some(path) = &args.skip_bad {
            store::write_atomic(path, &input.refused_file(&refused)?)?;
        }
        write(ctx, &store, &lock, &applied, &loaded)?;
    }
    ctx.note(summary(&source, &applied, args.dry_run));
    if !refused.is_empty() {
        let to = args
            .skip_bad
            .as_ref()
            .filter(|_| !args.dry_run)
            .map_or(String::new(), |p| format!(", written to {}", p.display()));
        ctx.note(format!(
            "kith: {}{to}",
            count(refused.len(), "row refused", "rows refused")
        ));
    }
    Ok(0)
}

/// The file's bytes; `-` reads stdin.
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    result.map_err(|e| {
        let message = format!("{}: cannot read: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            error::bad(message)
        } else {
            error::env(message)
        }
    })?;
    Ok(bytes)
}

/// The rows of a file as read, each with its line and the cells (or the
/// card) it was read from, to write the refused ones back.
struct Input {
    rows: Vec<InputRow>,
    originals: HashMap<u64, Vec<String>>,
    /// The CSV header, or `None` for a vCard file.
    header: Option<Vec<String>>,
}

struct InputRow {
    line: u64,
    raw: Result<Raw, String>,
}

impl Input {
    /// The `--skip-bad` file: for CSV the header and each refused row as
    /// read, with a `reason` column; for vCard each refused card as read,
    /// with the reason in an `X-KITH-REASON` property.
    fn refused_file(&self, refused: &[(u64, String)]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        match &self.header {
            Some(header) => {
                let mut w = output::csv_writer(&mut out, CsvOptions::default())?;
                w.write_record(header.iter().map(String::as_str).chain(["reason"]))?;
                for (line, reason) in refused {
                    let cells = self.originals.get(line).map_or(&[][..], Vec::as_slice);
                    w.write_record(cells.iter().map(String::as_str).chain([reason.as_str()]))?;
                }
                w.flush()?;
            }
            None => {
                for (line, reason) in refused {
                    let card = self
                        .originals
                        .get(line)
                        .and_then(|c| c.first())
                        .map_or("", String::as_str);
                    out.extend_from_slice(vcard::with_reason(card, reason).as_bytes());
                }
            }
        }
        Ok(out)
    }
}

/// The rows of the file, before their values are checked: vCard cards for
/// `--as contacts` given a vCard file, else CSV rows through the header's
/// mapping.
fn rows(
    ctx: &Ctx,
    text: &str,
    args: &ImportArgs,
    kind: ImportKind,
) -> Result<(Target, Input), String> {
    let target = match kind {
        ImportKind::Customers => Target::Customers,
        ImportKind::Contacts => Target::Contacts,
        ImportKind::Interactions => Target::Interactions,
        ImportKind::Deals => Target::Deals,
        ImportKind::Tasks => Target::Tasks,
        ImportKind::Invoices => Target::Invoices,
    };
    let is_vcard = vcard::is_vcard(text.as_bytes());
    // A vCard card is a customer, or, when its organisation is a customer's
    // name, that customer's contact (settled once the folder is indexed).
    if kind == ImportKind::Contacts && is_vcard {
        let mut input = Input {
            rows: Vec::new(),
            originals: HashMap::new(),
            header: None,
        };
        for card in vcard::parse(text)? {
            input.originals.insert(card.line, vec![card.text]);
            input.rows.push(InputRow {
                line: card.line,
                raw: card.raw,
            });
        }
        return Ok((Target::Customers, input));
    }
    if is_vcard {
        return Err("1: this is a vCard file; import it with --as contacts".to_string());
    }
    let mut sheet = read::parse(text)?;
    let mut input = Input {
        rows: Vec::new(),
        originals: HashMap::new(),
        header: Some(sheet.header.clone()),
    };
    if sheet.header.is_empty() {
        return Ok((target, input));
    }
    let mapping = import::map_columns(&sheet.header, target, &args.map, args.from)
        .map_err(|e| format!("1: {e}"))?;
    if !mapping.ignored.is_empty() {
        ctx.note(format!(
            "kith: ignoring the columns {} (map them with --map 'COL=FIELD')",
            mapping.ignored.join(", ")
        ));
    }
    let keep = args.skip_bad.is_some();
    for row in std::mem::take(&mut sheet.rows) {
        let raw = sheet
            .check_width(&row)
            .map(|()| Raw::from_row(row.line, &row.cells, &mapping));
        if keep {
            input.originals.insert(row.line, row.cells);
        }
        input.rows.push(InputRow {
            line: row.line,
            raw,
        });
    }
    Ok((target, input))
}

/// Every customer's id and email, from one scan. A file that does not parse
/// stops the import: its id or email might be the one a row names.
fn index(store: &Store) -> Result<Index> {
    let scan = store.scan(|mut r| {
        let uid = match r.extra.remove(UID_KEY) {
            Some(yaml_serde::Value::String(u)) => Some(u),
            _ => None,
        };
        (r.id, r.contact.email, uid, r.name)
    });
    if let Some(e) = scan.errors.first() {
        return Err(error::bad(format!(
            "{e}; fix it before importing (kith check lists every problem), nothing was written"
        )));
    }
    Ok(Index::new(scan.items))
}

/// The existing customers the rows name, loaded in parallel.
fn load(store: &Store, index: &Index, items: &[Item]) -> Result<HashMap<String, Loaded>> {
    let named: Vec<String> = index.named_by(items).into_iter().collect();
    named
        .into_par_iter()
        .map(|id| store.load_for_write(&id).map(|l| (id, l)))
        .collect()
}

/// Writes each created or changed customer once, all or none (a killed or
/// failed import leaves the folder as it was, or the next kith finishes
/// it), with a progress bar on a terminal.
fn write(
    ctx: &Ctx,
    store: &Store,
    lock: &Lock,
    applied: &Applied,
    loaded: &HashMap<String, Loaded>,
) -> Result<()> {
    let mut batch = store.batch();
    for work in &applied.works {
        match (&work.new_in, loaded.get(&work.record.id)) {
            (Some(folder), _) => {
                batch.create_in(store, folder.as_deref().unwrap_or(""), &work.record)?;
            }
            (None, Some(l)) => batch.replace(store, l, &work.record)?,
            (None, None) => {
                return Err(error::env(format!(
                    "{}: was not loaded before writing",
                    work.record.id
                )));
            }
        }
    }
    let progress = Progress::new(ctx, batch.len());
    let result = store.commit(lock, batch, &|| progress.tick());
    progress.finish();
    result
}

fn dry_run_table(applied: &Applied) -> Table {
    let mut t = Table::new(DRY_RUN_COLUMNS);
    for w in &applied.works {
        let action = if w.new_in.is_some() {
            "create"
        } else {
            "change"
        };
        t.push(vec![
            Cell::text(&w.record.id),
            Cell::text(action),
            Cell::List(w.changes()),
        ]);
    }
    t
}

/// One line for stderr: what was (or would be) created, changed, skipped.
fn summary(source: &str, applied: &Applied, dry_run: bool) -> String {
    let created = applied.works.iter().filter(|w| w.new_in.is_some()).count();
    let changed = applied.works.len() - created;
    let sum = |f: fn(&Work) -> usize| applied.works.iter().map(f).sum::<usize>();
    let mut parts = Vec::new();
    for (n, one, many) in [
        (created, "customer created", "customers created"),
        (changed, "customer changed", "customers changed"),
        (
            sum(|w| w.interactions),
            "interaction added",
            "interactions added",
        ),
        (
            sum(|w| w.interactions_changed),
            "interaction changed",
            "interactions changed",
        ),
        (sum(|w| w.deals_added), "deal added", "deals added"),
        (sum(|w| w.deals_changed), "deal changed", "deals changed"),
        (sum(|w| w.tasks_added), "task added", "tasks added"),
        (sum(|w| w.tasks_changed), "task changed", "tasks changed"),
        (sum(|w| w.contacts_added), "contact added", "contacts added"),
        (
            sum(|w| w.contacts_changed),
            "contact changed",
            "contacts changed",
        ),
    ] {
        if n > 0 {
            parts.push(count(n, one, many));
        }
    }
    if applied.skipped > 0 {
        parts.push(count(
            applied.skipped,
            "row already present, skipped",
            "rows already present, skipped",
        ));
    }
    if applied.unmatched_refs > 0 {
        parts.push(format!(
            "{} (an older export? --update refuses such rows)",
            count(
                applied.unmatched_refs,
                "row whose ref names no entry added as new",
                "rows whose ref names no entry added as new",
            )
        ));
    }
    if applied.kept > 0 {
        parts.push(format!(
            "{} kept (--update overwrites)",
            count(applied.kept, "differing value", "differing values")
        ));
    }
    let head = if dry_run {
        format!("kith: dry run of {source}, nothing written")
    } else {
        format!("kith: imported {source}")
    };
    if parts.is_empty() {
        parts.push("nothing new".to_string());
    }
    format!("{head}: {}", parts.join(", "))
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal (and not
/// `--quiet`), redrawn at most a hundred times.
struct Progress {
    total: usize,
    done: AtomicUsize,
    shown: bool,
}

impl Progress {
    fn new(ctx: &Ctx, total: usize) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            shown: !ctx.quiet && total > 0 && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.shown || (done * 100 / self.total) == ((done - 1) * 100 / self.total) {
            return;
        }
        let filled = done * 30 / self.total;
        let bar = format!("{}{}", "█".repeat(filled), " ".repeat(30 - filled));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\rwriting [{bar}] {done}/{}", self.total);
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

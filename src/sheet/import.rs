//! `import` without the files: rows of a CSV file (or contacts of a vCard
//! file) checked value by value, matched to customers, and applied to
//! records in memory. The command reads, locks, loads and writes around it.
//!
//! The rules are docs/reference.md's (and spreadsheets.md): customers match by id, then email, else get
//! a derived id; an existing customer's empty fields are filled and differing
//! ones kept unless `--update`; an interaction (or task) identical to one the
//! record held before the import is skipped, while identical rows of one file
//! are all kept. Empty cells never erase anything.

use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;

use super::preset::Preset;
use super::value::{self, Dates};
use super::{
    CONTACT_FIELDS, CUSTOMER_FIELDS, DEAL_FIELDS, INTERACTION_FIELDS, INVOICE_FIELDS,
    ORGANIZATION_KEY, OTHER_LISTS, REF_KEY, TASK_FIELDS, UID_KEY, canonical_customer_value,
    customer_cell, set_customer_field,
};
use crate::config::Config;
use crate::date::{Date, Span};
use crate::deal::ledger;
use crate::money::Money;
use crate::record::fields::{Access, Field, Fill};
use crate::record::id;
use crate::record::{
    CustomerKind, Deal, HistoryEntry, Interaction, Outcome, Person, Record, Task, fold,
};

/// What the rows of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Customers,
    Interactions,
    Deals,
    Tasks,
    Invoices,
    /// People at customers (`export contacts`): each row's `id` names the
    /// customer.
    Contacts,
}

impl Target {
    /// The fields a column may map to. `id` and `email` name the customer
    /// a row belongs to; `path` places a new customer in a sub-folder.
    pub fn fields(self) -> Vec<&'static str> {
        let own: &[&str] = match self {
            Target::Customers => return [&["id", "path"][..], &CUSTOMER_FIELDS].concat(),
            Target::Interactions => {
                return [&[REF_KEY, "id", "email"], &INTERACTION_FIELDS[..]].concat();
            }
            Target::Deals => return [&[REF_KEY, "id", "email"], DEAL_FIELDS].concat(),
            Target::Tasks => return [&[REF_KEY, "id", "email"], TASK_FIELDS].concat(),
            Target::Invoices => INVOICE_FIELDS,
            // The email is the person's, not the customer's.
            Target::Contacts => return [&["id"], &CONTACT_FIELDS[..]].concat(),
        };
        [&["id", "email"], own].concat()
    }

    /// The fields a file must have a column for.
    fn required(self) -> &'static [&'static str] {
        match self {
            Target::Customers => &[],
            Target::Interactions => &["date", "kind"],
            Target::Deals => &[],
            Target::Tasks => &["due", "what"],
            Target::Invoices => &["deal", "amount"],
            Target::Contacts => &["id", "name"],
        }
    }
}

/// Which columns fill each field, and the columns that fill none.
#[derive(Debug)]
pub struct Mapping {
    pub sources: Vec<Source>,
    /// Columns that map to nothing, for a note.
    pub ignored: Vec<String>,
    /// The product the file comes from, whose tag lists are split its way.
    preset: Option<Preset>,
}

/// One field's columns: alternatives tried in order, the first that holds
/// text in a row filling the field (every one of them, for `email` and
/// `phone`, whose every value is kept).
#[derive(Debug)]
pub struct Source {
    pub field: &'static str,
    alternatives: Vec<Join>,
}

/// Columns joined into one value: a space between parts (family name first
/// without one, in CJK names), `, ` between address parts, `;` between tags.
#[derive(Debug)]
struct Join {
    columns: Vec<usize>,
    /// The column holding the family name, in a name.
    family: Option<usize>,
    /// What error messages call the column: `First Name+Last Name`.
    label: String,
    /// The kind of customer a row is when this join gives its name.
    kind: Option<&'static str>,
}

/// Fields every value of which is kept: the first is the field, the others
/// go to its `other_` list.
const EVERY_VALUE: &[&str] = &["email", "phone"];

/// The field another name stands for: `company` is `organization`.
fn alias(field: &str) -> &str {
    match field {
        "company" => "organization",
        other => other,
    }
}

/// The column of `header` a `--map` names: its exact name, else the same
/// name in another case.
fn column_named(header: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    header
        .iter()
        .position(|h| h == name)
        .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
}

/// The columns of a `--map` (`A+B`): a header holding `+` itself is one column.
fn map_columns_of(header: &[String], cols: &str) -> Result<Vec<usize>, String> {
    if let Some(i) = column_named(header, cols) {
        return Ok(vec![i]);
    }
    cols.split('+')
        .map(|c| {
            column_named(header, c).ok_or_else(|| {
                format!(
                    "--map: the file has no column `{}`; its columns are: {}",
                    c.trim(),
                    header.join(", ")
                )
            })
        })
        .collect()
}

/// The column among `columns` whose name says it holds a family name.
fn family_column(header: &[String], columns: &[usize]) -> Option<usize> {
    columns.iter().copied().find(|&i| {
        let h = header[i].to_lowercase();
        ["last", "family", "surname", "姓"]
            .iter()
            .any(|w| h.contains(w))
    })
}

/// Maps the header: `--map COLS=FIELD` first (`A+B=FIELD` joins columns,
/// `COL=` ignores one), then the `--from` product's columns, then columns
/// named like a field (case and surrounding spaces ignored).
pub fn map_columns(
    header: &[String],
    target: Target,
    maps: &[String],
    preset: Option<Preset>,
) -> Result<Mapping, String> {
    let known = target.fields();
    let mut sources: Vec<Source> = Vec::new();
    let mut used = vec![false; header.len()];
    let label = |columns: &[usize]| {
        columns
            .iter()
            .map(|&i| header[i].as_str())
            .collect::<Vec<_>>()
            .join("+")
    };
    for m in maps {
        let (cols, field) = m
            .rsplit_once('=')
            .ok_or_else(|| format!("--map: `{m}` is not COL=FIELD"))?;
        let columns = map_columns_of(header, cols)?;
        for &i in &columns {
            used[i] = true;
        }
        let field = alias(field.trim());
        if field.is_empty() {
            continue;
        }
        let f = known.iter().find(|k| **k == field).ok_or_else(|| {
            format!(
                "--map: `{field}` is not a field of this import; the fields are: {}",
                known.join(", ")
            )
        })?;
        if let Some(other) = sources.iter().find(|s| s.field == *f) {
            return Err(format!(
                "the columns `{}` and `{}` both map to `{f}`; join them with --map '{}+{}={f}'",
                other.alternatives[0].label,
                label(&columns),
                other.alternatives[0].label,
                label(&columns),
            ));
        }
        sources.push(Source {
            field: f,
            alternatives: vec![Join {
                family: family_column(header, &columns),
                label: label(&columns),
                columns,
                kind: None,
            }],
        });
    }
    let by_user: Vec<&'static str> = sources.iter().map(|s| s.field).collect();
    for rule in preset.map_or(&[][..], Preset::rules) {
        if by_user.contains(&rule.field) || !known.contains(&rule.field) {
            continue;
        }
        let columns: Vec<usize> = rule
            .columns
            .iter()
            .filter_map(|c| header.iter().position(|h| h == c))
            .filter(|&i| !used[i])
            .collect();
        if columns.is_empty() {
            continue;
        }
        let join = Join {
            family: rule
                .family
                .and_then(|f| columns.iter().copied().find(|&i| header[i] == f)),
            label: label(&columns),
            columns,
            kind: rule.kind,
        };
        match sources.iter_mut().find(|s| s.field == rule.field) {
            Some(s) => s.alternatives.push(join),
            None => sources.push(Source {
                field: rule.field,
                alternatives: vec![join],
            }),
        }
    }
    for s in &sources {
        for j in &s.alternatives {
            for &i in &j.columns {
                used[i] = true;
            }
        }
    }
    for (i, h) in header.iter().enumerate() {
        if used[i] {
            continue;
        }
        let name = h.trim().to_lowercase();
        let name = alias(&name);
        let Some(f) = known.iter().find(|k| **k == name) else {
            continue;
        };
        if let Some(other) = sources.iter().find(|s| s.field == *f) {
            if preset.is_some() {
                continue;
            }
            return Err(format!(
                "the columns `{}` and `{h}` both map to `{f}`; ignore one with --map '{h}='",
                other.alternatives[0].label
            ));
        }
        used[i] = true;
        sources.push(Source {
            field: f,
            alternatives: vec![Join {
                columns: vec![i],
                family: None,
                label: h.clone(),
                kind: None,
            }],
        });
    }
    let has = |f: &str| sources.iter().any(|s| s.field == f);
    for need in target.required() {
        if !has(need) {
            return Err(format!(
                "the file has no `{need}` column; name one so, or map one with --map 'COL={need}'"
            ));
        }
    }
    let keys: &[&str] = match target {
        Target::Customers => &["id", "email", "name", "organization", "phone", "uid"],
        _ => &["id", "email"],
    };
    if !keys.iter().any(|k| has(k)) {
        return Err(format!(
            "the file has no column naming the customer ({}); map one with --map",
            keys.join(", ")
        ));
    }
    let mut used = vec![false; header.len()];
    for s in &sources {
        for j in &s.alternatives {
            for &i in &j.columns {
                used[i] = true;
            }
        }
    }
    let ignored = header
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(h, _)| h.clone())
        .collect();
    Ok(Mapping {
        sources,
        ignored,
        preset,
    })
}

/// One row before its values are checked: the fields it fills, each with
/// the column it came from (for messages) and its text. `email` and `phone`
/// may come several times: the first is the field, the others are kept too.
#[derive(Debug, Default)]
pub struct Raw {
    pub line: u64,
    pub cells: Vec<(&'static str, String, String)>,
}

impl Raw {
    /// A CSV row through the mapping.
    pub fn from_row(line: u64, cells: &[String], mapping: &Mapping) -> Raw {
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let mut out = Vec::with_capacity(mapping.sources.len());
        for s in &mapping.sources {
            if EVERY_VALUE.contains(&s.field) {
                for j in &s.alternatives {
                    for &i in &j.columns {
                        let values = if s.field == "email" {
                            cell(i).split([';', ',']).collect()
                        } else {
                            vec![cell(i)]
                        };
                        for v in values.into_iter().map(str::trim).filter(|v| !v.is_empty()) {
                            out.push((s.field, j.label.clone(), v.to_string()));
                        }
                    }
                }
                continue;
            }
            let found = s.alternatives.iter().find_map(|j| {
                let text = join(s.field, j, cells);
                (!text.trim().is_empty()).then_some((j, text))
            });
            match found {
                Some((j, text)) => {
                    let text = match (s.field, mapping.preset) {
                        ("tags", Some(p)) => p.tags(&text),
                        _ => text,
                    };
                    if let Some(kind) = j.kind {
                        out.push(("kind", j.label.clone(), kind.to_string()));
                    }
                    out.push((s.field, j.label.clone(), text));
                }
                None => out.push((s.field, s.alternatives[0].label.clone(), String::new())),
            }
        }
        Raw { line, cells: out }
    }

    fn get(&self, field: &str) -> Option<(&str, &str)> {
        self.cells
            .iter()
            .find(|(f, _, t)| *f == field && !t.trim().is_empty())
            .map(|(_, c, t)| (c.as_str(), t.as_str()))
    }

    /// Reads the declared fields of `group` (see `record::fields`) from the
    /// row: free text as written and other values trimmed, days and days of
    /// the year in the import's date format, the rest as a customer cell is
    /// read. The error names the field.
    fn declared<S>(
        &self,
        group: &'static [Field<S>],
        s: &mut S,
        dates: &Dates,
    ) -> Result<(), (&'static str, String)> {
        for f in group {
            let Some((_, cell)) = self.get(f.key) else {
                continue;
            };
            let trimmed = cell.trim();
            let done = match f.access {
                Access::Text(_, slot) => {
                    *slot(s) = Some(if f.prose { cell } else { trimmed }.to_string());
                    Ok(())
                }
                Access::Yearly(_, slot) => dates.yearly(trimmed).map(|d| *slot(s) = Some(d)),
                Access::Date(_, slot) => dates.day(trimmed).map(|d| *slot(s) = Some(d)),
                _ => super::set_declared(group, s, f.key, trimmed).unwrap_or(Ok(())),
            };
            done.map_err(|e| (f.key, e))?;
        }
        Ok(())
    }
}

/// The text of a join's columns in one row: a lone column as it is, parts
/// joined as the field wants them, empty parts left out.
fn join(field: &str, j: &Join, cells: &[String]) -> String {
    if let [i] = j.columns[..] {
        return cells.get(i).cloned().unwrap_or_default();
    }
    let part = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let parts: Vec<&str> = j
        .columns
        .iter()
        .map(|&i| part(i))
        .filter(|p| !p.is_empty())
        .collect();
    match field {
        "name" => {
            let family = j.family.map(part).filter(|f| !f.is_empty());
            match family {
                Some(f) if parts.iter().any(|p| p.chars().any(is_cjk)) => {
                    let given = j
                        .columns
                        .iter()
                        .filter(|&&i| Some(i) != j.family)
                        .map(|&i| part(i));
                    std::iter::once(f).chain(given).collect()
                }
                _ if parts.iter().any(|p| p.chars().any(is_cjk)) => parts.concat(),
                _ => parts.join(" "),
            }
        }
        "organization" => parts.join("; "),
        "address" => parts
            .iter()
            .map(|p| p.replace("\r\n", "\n").replace('\n', ", "))
            .collect::<Vec<_>>()
            .join(", "),
        "tags" => parts.join(";"),
        _ => parts.join(" "),
    }
}

/// A character of Chinese, Japanese or Korean writing.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ac00}'..='\u{d7af}' | '\u{20000}'..='\u{2ffff}')
}

/// A row checked: the customer it belongs to and what it brings.
#[derive(Debug)]
pub struct Item {
    pub line: u64,
    /// `(column, value)` of the id, the vCard UID and the email naming the
    /// customer.
    id: Option<(String, String)>,
    uid: Option<(String, String)>,
    email: Option<(String, String)>,
    what: What,
    /// The `ref` of the interaction, deal or task the row was exported
    /// from, and the fields the file has a column for (which a row with a
    /// ref sets, empty cells included).
    entry_ref: Option<String>,
    mapped: Vec<&'static str>,
}

#[derive(Debug)]
enum What {
    Customer {
        /// `(field, canonical value)` of every non-empty cell.
        values: Vec<(&'static str, String)>,
        /// The sub-folder a new customer goes to (from `path`).
        folder: Option<String>,
        /// The column of the name, for the message when it is missing.
        name_column: Option<String>,
        /// The name of a new customer whose row has none: its organisation
        /// (`true`), else its email, else its phone.
        fallback: Option<(String, bool)>,
    },
    Interaction(Interaction),
    Deal(DealRow),
    Task(Task),
    Contact(Person),
    Invoice(InvoiceRow),
}

/// An invoice row: the deal it belongs to, and the invoice with the fields
/// the row leaves empty still to settle (number, date, due).
#[derive(Debug)]
struct InvoiceRow {
    deal: String,
    no: Option<u32>,
    date: Option<Date>,
    amount: Money,
    due: Option<Date>,
}

impl DealRow {
    /// Whether the row leaves field `field` empty.
    fn is_empty(&self, field: &str) -> bool {
        match field {
            "title" => self.title.is_none(),
            "value" => self.value.is_none(),
            "lost_reason" => self.lost_reason.is_none(),
            "competitor" => self.competitor.is_none(),
            "close" => self.close.is_none(),
            "terms" => self.terms.is_none(),
            _ => false,
        }
    }
}

#[derive(Debug)]
struct DealRow {
    id: Option<String>,
    title: Option<String>,
    value: Option<Money>,
    stage: Option<String>,
    outcome: Option<Outcome>,
    opened: Option<Date>,
    closed: Option<Date>,
    lost_reason: Option<String>,
    competitor: Option<String>,
    close: Option<Date>,
    terms: Option<Span>,
}

/// What the rows are checked against.
pub struct Rules<'a> {
    pub config: &'a Config,
    pub dates: Dates,
    pub today: Date,
    pub update: bool,
}

/// Checks every value of a row; the error names the line, the column and
/// the value.
pub fn check(raw: Raw, target: Target, rules: &Rules) -> Result<Item, String> {
    // No record may grow past what kith reads back: a row too large for one
    // is refused before anything is written.
    let size: usize = raw.cells.iter().map(|(_, _, t)| t.len()).sum();
    if size > crate::record::MAX_FILE_BYTES {
        let col = raw
            .cells
            .iter()
            .max_by_key(|(_, _, t)| t.len())
            .map_or("", |(_, c, _)| c.as_str());
        return Err(format!(
            "{}: column `{col}`: the row holds {} MiB, over the {} MiB a customer record may have",
            raw.line,
            size / (1024 * 1024),
            crate::record::MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let at = |field: &str, e: String| {
        let col = raw.get(field).map_or(field, |(c, _)| c);
        format!("{}: column `{col}`: {e}", raw.line)
    };
    let text = |field: &str| raw.get(field).map(|(_, t)| t.to_string());
    let trimmed = |field: &str| raw.get(field).map(|(_, t)| t.trim().to_string());
    let key = |field: &str| {
        raw.get(field)
            .map(|(c, t)| (c.to_string(), t.trim().to_string()))
    };
    let day = |field: &str| {
        trimmed(field)
            .map(|t| rules.dates.day(&t).map_err(|e| at(field, e)))
            .transpose()
    };
    let money = |field: &str| {
        trimmed(field)
            .map(|t| Money::parse(&t).map_err(|e| at(field, e)))
            .transpose()
    };
    let what = match target {
        Target::Customers => {
            let mut values = Vec::new();
            let mut others: [(&str, Vec<&str>); 2] = [("email", vec![]), ("phone", vec![])];
            for (field, _, t) in &raw.cells {
                if !CUSTOMER_FIELDS.contains(field) || t.trim().is_empty() {
                    continue;
                }
                if let Some((_, more)) = others.iter_mut().find(|(f, _)| f == field)
                    && values.iter().any(|(f, _)| f == field)
                {
                    let t = t.trim();
                    let first = values.iter().find(|(f, _)| f == field).map(|(_, v)| v);
                    if first.is_none_or(|v: &String| v != t) && !more.contains(&t) {
                        more.push(t);
                    }
                    continue;
                }
                let date = matches!(*field, "birthday" | "anniversary");
                if date && value::is_zero_date(t) {
                    continue;
                }
                let t = if date {
                    rules.dates.yearly(t).map_err(|e| at(field, e))?.to_string()
                } else if *field == "name" || *field == "tags" {
                    t.trim().to_string()
                } else {
                    t.clone()
                };
                let canonical = canonical_customer_value(field, &t).map_err(|e| at(field, e))?;
                values.push((*field, canonical));
            }
            for (field, more) in others {
                if !more.is_empty() {
                    let list = OTHER_LISTS
                        .iter()
                        .find(|(f, _)| *f == field)
                        .map_or(field, |(_, l)| l);
                    values.push((list, more.join(";")));
                }
            }
            let fallback = if values.iter().any(|(f, _)| *f == "name") {
                None
            } else {
                ["organization", "email", "phone"]
                    .iter()
                    .find_map(|f| values.iter().find(|(g, _)| g == f))
                    .map(|(f, v)| (v.clone(), *f == "organization"))
            };
            // An organisation that is the customer's own name says nothing more.
            let name = values
                .iter()
                .find(|(f, _)| *f == "name")
                .map(|(_, n)| n.clone())
                .or_else(|| fallback.as_ref().map(|(n, _)| n.clone()));
            values.retain(|(f, v)| *f != "organization" || Some(v) != name.as_ref());
            let folder = trimmed("path")
                .map(|p| folder_of(&p).map_err(|e| at("path", e)))
                .transpose()?
                .flatten();
            What::Customer {
                values,
                folder,
                fallback,
                name_column: raw
                    .cells
                    .iter()
                    .find(|c| c.0 == "name")
                    .map(|c| c.1.clone()),
            }
        }
        Target::Interactions => {
            let date = rules
                .dates
                .when(&trimmed("date").unwrap_or_default())
                .map_err(|e| at("date", e))?;
            let kind = trimmed("kind").unwrap_or_default();
            if !rules.config.all_kinds().contains(&kind) {
                return Err(at(
                    "kind",
                    format!(
                        "`{kind}` is not an interaction kind; the kinds are: {} (kith.yaml `kinds:` adds more)",
                        rules.config.all_kinds().join(", ")
                    ),
                ));
            }
            let mut i = Interaction::new(date, &kind);
            (raw.declared(Interaction::FIELDS, &mut i, &rules.dates)).map_err(|(f, e)| at(f, e))?;
            i.amount = i.amount.map(|m| Interaction::stored_amount(&kind, m));
            What::Interaction(i)
        }
        Target::Deals => {
            let stage = trimmed("stage")
                .map(|s| match rules.config.stage(&s) {
                    Some(_) => Ok(s),
                    None => Err(at(
                        "stage",
                        format!(
                            "`{s}` is not a stage of the funnel; the stages are: {}",
                            stage_list(rules.config)
                        ),
                    )),
                })
                .transpose()?;
            let outcome = one_of(trimmed("outcome"), Outcome::parse, Outcome::ALL)
                .map_err(|e| at("outcome", e))?;
            let value = money("value")?;
            if value.is_some_and(Money::is_negative) {
                return Err(at("value", "a deal's value cannot be negative".to_string()));
            }
            let row = DealRow {
                id: trimmed("deal"),
                title: text("title"),
                value,
                stage,
                outcome,
                opened: day("opened")?,
                closed: day("closed")?,
                lost_reason: text("lost_reason"),
                competitor: text("competitor"),
                close: day("close")?,
                terms: trimmed("terms")
                    .map(|t| Span::parse(&t).map_err(|e| at("terms", e)))
                    .transpose()?,
            };
            if row.id.is_none() && row.title.is_none() {
                return Err(format!(
                    "{}: the row has neither a `deal` id nor a `title`; give one",
                    raw.line
                ));
            }
            if row.closed.is_some() && matches!(row.outcome, None | Some(Outcome::Open)) {
                return Err(at(
                    "closed",
                    "a close date needs the outcome won or lost".to_string(),
                ));
            }
            if let (Some(o), Some(c)) = (row.opened, row.closed)
                && c < o
            {
                return Err(at(
                    "closed",
                    format!("{c} is before the day the deal opened ({o})"),
                ));
            }
            What::Deal(row)
        }
        Target::Tasks => {
            let due = day("due")?.ok_or_else(|| at("due", "the due date is empty".to_string()))?;
            let what = text("what").ok_or_else(|| at("what", "the task is empty".to_string()))?;
            let mut task = Task::new(due, &what);
            task.done = day("done")?;
            What::Task(task)
        }
        Target::Invoices => {
            let deal =
                trimmed("deal").ok_or_else(|| at("deal", "the deal is empty".to_string()))?;
            let amount = money("amount")?
                .filter(|m| m.is_positive())
                .ok_or_else(|| at("amount", "an invoice needs a positive amount".to_string()))?;
            let no = trimmed("no")
                .map(|n| match n.parse::<u32>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(at(
                        "no",
                        format!("`{n}` is not an invoice number (1, 2, ...)"),
                    )),
                })
                .transpose()?;
            What::Invoice(InvoiceRow {
                deal,
                no,
                date: day("date")?,
                amount,
                due: day("due")?,
            })
        }
        Target::Contacts => {
            let name =
                trimmed("name").ok_or_else(|| at("name", "the name is empty".to_string()))?;
            let mut p = Person::new(&name);
            (raw.declared(Person::FIELDS, &mut p, &rules.dates)).map_err(|(f, e)| at(f, e))?;
            return Ok(Item {
                line: raw.line,
                id: key("id"),
                uid: None,
                email: None,
                what: What::Contact(p),
                entry_ref: None,
                mapped: Vec::new(),
            });
        }
    };
    Ok(Item {
        line: raw.line,
        id: key("id"),
        uid: key(UID_KEY),
        email: key("email"),
        what,
        entry_ref: trimmed(REF_KEY),
        mapped: raw.cells.iter().map(|(f, _, _)| *f).collect(),
    })
}

/// A word of a fixed set, when the cell holds one.
fn one_of<T>(
    text: Option<String>,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<Option<T>, String> {
    text.map(|t| parse(&t).ok_or_else(|| format!("`{t}` is not one of {}", all.join(", "))))
        .transpose()
}

fn stage_list(config: &Config) -> String {
    let ids: Vec<&str> = config.funnel.iter().map(|s| s.id.as_str()).collect();
    ids.join(", ")
}

/// The sub-folder of a `path` cell (`east/zhang-wei.yaml` → `east`), checked
/// to stay inside the customer folder and out of hidden folders.
fn folder_of(path: &str) -> Result<Option<String>, String> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let folders = &parts[..parts.len() - 1];
    if folders
        .iter()
        .any(|p| p.is_empty() || p.starts_with('.') || p.contains(':'))
    {
        return Err(format!(
            "`{path}` is not a path inside the folder; give one like east/name.yaml"
        ));
    }
    Ok((!folders.is_empty()).then(|| folders.join("/")))
}

/// The customers already in the folder: their ids, who holds each vCard
/// UID, and who holds each email (case-insensitive; the first id in byte
/// order when several share one).
#[derive(Debug, Default)]
pub struct Index {
    pub ids: HashSet<String>,
    uids: HashMap<String, String>,
    emails: HashMap<String, String>,
    /// Folded names, to the first id in byte order holding each.
    names: HashMap<String, String>,
}

/// What the index knows of one customer: its id, email, vCard UID and name.
pub type Known = (String, Option<String>, Option<String>, String);

impl Index {
    pub fn new(mut customers: Vec<Known>) -> Index {
        customers.sort();
        let mut index = Index::default();
        for (id, email, uid, name) in customers {
            if let Some(e) = email {
                index
                    .emails
                    .entry(email_key(&e))
                    .or_insert_with(|| id.clone());
            }
            index.names.entry(fold(&name)).or_insert_with(|| id.clone());
            if let Some(u) = uid {
                index.uids.entry(u).or_insert_with(|| id.clone());
            }
            index.ids.insert(id);
        }
        index
    }

    /// Turns each vCard card whose organisation (`ORG`, its first unit) is
    /// the name of a customer of the folder (after NFKC and case folding)
    /// into a contact of that customer; other cards stay customers.
    pub fn cards_to_contacts(&self, items: Vec<Item>) -> Vec<Item> {
        items
            .into_iter()
            .map(|item| {
                let What::Customer { values, .. } = &item.what else {
                    return item;
                };
                let value = |f: &str| {
                    values
                        .iter()
                        .find(|(field, _)| *field == f)
                        .map(|(_, v)| v.clone())
                };
                // A card for the company itself stays a customer card.
                if value("kind").as_deref() != Some("person") {
                    return item;
                }
                let first_unit = |o: String| o.split("; ").next().unwrap_or_default().to_string();
                let Some(id) = value(ORGANIZATION_KEY)
                    .map(first_unit)
                    .and_then(|o| self.names.get(&fold(&o)))
                else {
                    return item;
                };
                let mut p = Person::new(&value("name").unwrap_or_default());
                p.email = value("email");
                p.phone = value("phone");
                p.birthday =
                    value("birthday").and_then(|b| crate::date::YearlyDate::parse(&b).ok());
                Item {
                    line: item.line,
                    id: Some(("ORG".to_string(), id.clone())),
                    uid: None,
                    email: None,
                    what: What::Contact(p),
                    entry_ref: None,
                    mapped: Vec::new(),
                }
            })
            .collect()
    }

    /// The existing customers the rows name, which the command loads.
    pub fn named_by(&self, items: &[Item]) -> BTreeSet<String> {
        items
            .iter()
            .filter_map(|item| self.existing(item))
            .collect()
    }

    fn existing(&self, item: &Item) -> Option<String> {
        if let Some((_, id)) = &item.id
            && self.ids.contains(id)
        {
            return Some(id.clone());
        }
        if let Some(id) = item.uid.as_ref().and_then(|(_, u)| self.uids.get(u)) {
            return Some(id.clone());
        }
        let (_, email) = item.email.as_ref()?;
        self.emails.get(&email_key(email)).cloned()
    }
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// One customer the import creates or changes.
#[derive(Debug)]
pub struct Work {
    pub record: Record,
    /// `Some` for a new customer: the sub-folder its file goes to (`None`:
    /// the top of the folder).
    pub new_in: Option<Option<String>>,
    /// The fields filled or overwritten.
    pub fields: BTreeSet<&'static str>,
    pub interactions: usize,
    pub interactions_changed: usize,
    pub deals_added: usize,
    pub deals_changed: usize,
    pub tasks_added: usize,
    pub tasks_changed: usize,
    pub contacts_added: usize,
    pub contacts_changed: usize,
    /// The entries as the record held them before the import, taken when
    /// the first row of interactions or tasks reaches the record (before
    /// any of them changes it).
    held: Option<Held>,
}

/// What a record held before the import: its interactions' texts (a row
/// equal to one is skipped), its tasks by due date and text, and its
/// interactions, tasks and deals by the ref `export` gives them; with the
/// refs rows of this import applied, and their line (one entry takes one
/// row).
#[derive(Debug)]
struct Held {
    texts: HashSet<String>,
    tasks_by_due: HashMap<(Date, String), usize>,
    interactions: HashMap<String, usize>,
    tasks: HashMap<String, usize>,
    deals: HashSet<String>,
    used: HashMap<(&'static str, String), u64>,
}

impl Held {
    fn of(record: &Record) -> Held {
        let index = |refs: Vec<String>| refs.into_iter().enumerate().map(|(n, r)| (r, n)).collect();
        let texts: Vec<String> = record
            .interactions
            .iter()
            .map(Interaction::canonical_text)
            .collect();
        Held {
            interactions: index(super::entry_refs(texts.iter().cloned())),
            texts: texts.into_iter().collect(),
            tasks_by_due: record
                .tasks
                .iter()
                .enumerate()
                .map(|(n, t)| ((t.due, t.what.clone()), n))
                .collect(),
            tasks: index(super::entry_refs(
                record.tasks.iter().map(Task::canonical_text),
            )),
            deals: record.deals.iter().map(|d| d.id.clone()).collect(),
            used: HashMap::new(),
        }
    }
}

impl Work {
    fn new(record: Record, new_in: Option<Option<String>>) -> Work {
        Work {
            new_in,
            fields: BTreeSet::new(),
            interactions: 0,
            interactions_changed: 0,
            deals_added: 0,
            deals_changed: 0,
            tasks_added: 0,
            tasks_changed: 0,
            contacts_added: 0,
            contacts_changed: 0,
            record,
            held: None,
        }
    }

    /// The record as it was before the import (see `Held`).
    fn held(&mut self) -> &mut Held {
        let record = &self.record;
        self.held.get_or_insert_with(|| Held::of(record))
    }

    /// The entry of list `list` (`interactions`, `tasks` or `deals`) a
    /// row's `ref` names, as the index of the entry (0 for a deal), or
    /// `None` for a row to add: one without a ref, or, without `--update`,
    /// one whose ref names no entry (data moving to another folder). With
    /// `--update` such a ref is refused: the entry changed or went away
    /// since the export.
    fn referenced(
        &mut self,
        list: &'static str,
        reference: Option<&str>,
        line: u64,
        update: bool,
    ) -> Result<Option<usize>, String> {
        let Some(reference) = reference else {
            return Ok(None);
        };
        let id = self.record.id.clone();
        let refs = self.held();
        let found = match list {
            "interactions" => refs.interactions.get(reference).copied(),
            "tasks" => refs.tasks.get(reference).copied(),
            _ => refs.deals.contains(reference).then_some(0),
        };
        let singular = list.trim_end_matches('s');
        let Some(n) = found else {
            if !update {
                return Ok(None);
            }
            return Err(format!(
                "{line}: column `ref`: `{reference}` names none of {id}'s {list}: the {singular} changed or was removed since the export; export again and redo the edit, or import without --update to add the row as a new {singular}"
            ));
        };
        if let Some(first) = refs.used.insert((list, reference.to_string()), line) {
            return Err(format!(
                "{line}: column `ref`: line {first} already holds the {singular} `{reference}` of {id}; keep one row for it"
            ));
        }
        Ok(Some(n))
    }

    pub fn is_changed(&self) -> bool {
        self.new_in.is_some()
            || !self.fields.is_empty()
            || self.interactions + self.interactions_changed > 0
            || self.deals_added + self.deals_changed > 0
            || self.tasks_added + self.tasks_changed > 0
            || self.contacts_added + self.contacts_changed > 0
    }

    /// What changes, in words, for `--dry-run`.
    pub fn changes(&self) -> Vec<String> {
        let mut fields: Vec<&str> = self.fields.iter().copied().collect();
        fields.sort_by_key(|f| {
            CUSTOMER_FIELDS
                .iter()
                .position(|c| c == f)
                .unwrap_or(usize::MAX)
        });
        let mut out: Vec<String> = fields.into_iter().map(str::to_string).collect();
        let counts = [
            (self.interactions, "interaction added", "interactions added"),
            (
                self.interactions_changed,
                "interaction changed",
                "interactions changed",
            ),
            (self.deals_added, "deal added", "deals added"),
            (self.deals_changed, "deal changed", "deals changed"),
            (self.tasks_added, "task added", "tasks added"),
            (self.tasks_changed, "task changed", "tasks changed"),
            (self.contacts_added, "contact added", "contacts added"),
            (self.contacts_changed, "contact changed", "contacts changed"),
        ];
        for (n, one, many) in counts {
            match n {
                0 => {}
                1 => out.push(format!("1 {one}")),
                n => out.push(format!("{n} {many}")),
            }
        }
        out
    }
}

/// The result of applying every row.
#[derive(Debug, Default)]
pub struct Applied {
    pub works: Vec<Work>,
    /// Rows identical to what a record already held.
    pub skipped: usize,
    /// Differing values kept because `--update` was not given.
    pub kept: usize,
    /// Rows added as new entries to a customer of the folder although they
    /// carry a ref: one naming none of its entries (an older export?).
    pub unmatched_refs: usize,
    /// With `--skip-bad`: the line and the reason of each row refused here.
    pub refused: Vec<(u64, String)>,
}

/// Applies the rows, in file order, to the records they name. `loaded`
/// holds every existing customer `index.named_by` listed. A row that cannot
/// be applied stops everything, or with `skip` is refused alone (it changes
/// nothing before it is found bad).
pub fn apply(
    items: Vec<Item>,
    index: &Index,
    mut loaded: HashMap<String, Record>,
    rules: &Rules,
    skip: bool,
) -> Result<Applied, String> {
    let mut works: IndexMap<String, Work> = IndexMap::new();
    let mut emails: HashMap<String, String> = HashMap::new();
    let mut uids: HashMap<String, String> = HashMap::new();
    let mut suffixes: HashMap<String, u32> = HashMap::new();
    let mut out = Applied::default();
    let refuse = |line: u64, e: String, out: &mut Applied| {
        if skip {
            out.refused.push((line, e));
            Ok(())
        } else {
            Err(e)
        }
    };
    for item in items {
        let id = match resolve(&item, index, &works, &emails, &uids) {
            Some(id) => id,
            None => match new_customer(&item, index, &works, &mut suffixes) {
                Ok(id) => id,
                Err(e) => {
                    refuse(item.line, e, &mut out)?;
                    continue;
                }
            },
        };
        if !works.contains_key(&id) {
            let work = match loaded.remove(&id) {
                Some(record) => Work::new(record, None),
                None => match &item.what {
                    What::Customer {
                        folder, fallback, ..
                    } => {
                        let mut record = Record::new(&id, "");
                        if let Some((name, organization)) = fallback {
                            record.name.clone_from(name);
                            if *organization {
                                record.kind = Some(CustomerKind::Company);
                            }
                        }
                        Work::new(record, Some(folder.clone()))
                    }
                    _ => {
                        refuse(item.line, unknown_customer(&item, index), &mut out)?;
                        continue;
                    }
                },
            };
            works.insert(id.clone(), work);
        }
        let work = &mut works[&id];
        let line = item.line;
        let list = match &item.what {
            What::Interaction(_) => "interactions",
            What::Task(_) => "tasks",
            _ => "deals",
        };
        let named = match item
            .entry_ref
            .as_deref()
            .map(|r| work.referenced(list, Some(r), line, rules.update))
        {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(n))) => Some(n),
            Some(Err(e)) => {
                refuse(line, e, &mut out)?;
                continue;
            }
        };
        let reference = item.entry_ref.as_deref().unwrap_or_default();
        let unmatched = !reference.is_empty() && named.is_none() && work.new_in.is_none();
        let added = |w: &Work| w.interactions + w.tasks_added + w.deals_added;
        let before = added(work);
        match item.what {
            What::Customer { values, .. } => {
                let before = (work.fields.len(), out.kept);
                customer(work, &values, rules, &mut out.kept);
                if work.new_in.is_none() && before == (work.fields.len(), out.kept) {
                    out.skipped += 1;
                }
                if let Some(e) = &work.record.contact.email {
                    emails.entry(email_key(e)).or_insert_with(|| id.clone());
                }
                if let Some((_, u)) = &item.uid {
                    uids.entry(u.clone()).or_insert_with(|| id.clone());
                }
            }
            What::Interaction(i) => match named {
                Some(n) => {
                    let new = overlay_interaction(&work.record.interactions[n], i, &item.mapped);
                    let outcome = replace(&mut work.record.interactions[n], new, rules.update);
                    work.interactions_changed += usize::from(outcome == Replaced::Changed);
                    settle(
                        outcome,
                        "interaction",
                        line,
                        reference,
                        work,
                        &mut out,
                        refuse,
                    )?;
                }
                None if interaction(work, i) => work.interactions += 1,
                None => out.skipped += 1,
            },
            What::Task(t) if named.is_some() => {
                let n = named.unwrap_or_default();
                let new = overlay_task(&work.record.tasks[n], t, &item.mapped);
                let outcome = replace(&mut work.record.tasks[n], new, rules.update);
                work.tasks_changed += usize::from(outcome == Replaced::Changed);
                settle(outcome, "task", line, reference, work, &mut out, refuse)?;
            }
            What::Deal(mut d) if named.is_some() => {
                if d.id.as_deref().is_some_and(|id| id != reference) {
                    let e = format!(
                        "{line}: column `deal`: the row's ref is the deal `{reference}` but its deal column says `{}`; a deal's id cannot change by import",
                        d.id.as_deref().unwrap_or_default()
                    );
                    refuse(line, e, &mut out)?;
                    continue;
                }
                d.id = Some(reference.to_string());
                let Some(n) = work.record.deals.iter().position(|x| x.id == reference) else {
                    continue;
                };
                let clearing: Vec<&str> = item
                    .mapped
                    .iter()
                    .copied()
                    .filter(|f| d.is_empty(f))
                    .collect();
                let mut new = work.record.deals[n].clone();
                let mut kept = 0;
                fill_deal(&mut new, d, rules, true, &clearing, &mut kept);
                let outcome = replace(&mut work.record.deals[n], new, rules.update);
                work.deals_changed += usize::from(outcome == Replaced::Changed);
                settle(outcome, "deal", line, reference, work, &mut out, refuse)?;
            }
            What::Deal(mut d) => {
                if d.id.is_none() && !reference.is_empty() {
                    d.id = Some(reference.to_string());
                }
                let before = (work.deals_added, work.deals_changed, out.kept);
                if let Err(e) = deal(work, d, rules, &mut out.kept) {
                    refuse(line, format!("{line}: {e}"), &mut out)?;
                    continue;
                }
                if before == (work.deals_added, work.deals_changed, out.kept) {
                    out.skipped += 1;
                }
            }
            What::Task(t) => task(work, t, rules.update, &mut out.kept, &mut out.skipped),
            What::Invoice(i) => {
                let before = (work.deals_changed, out.kept);
                invoice(work, i, rules, &mut out.kept).map_err(|e| format!("{line}: {e}"))?;
                if before == (work.deals_changed, out.kept) {
                    out.skipped += 1;
                }
            }
            What::Contact(p) => contact(work, p, rules, &mut out.kept, &mut out.skipped),
        }
        if unmatched && added(&works[&id]) > before {
            out.unmatched_refs += 1;
        }
    }
    for (_, mut work) in works {
        if work.is_changed() {
            work.record.sort_lists();
            out.works.push(work);
        }
    }
    Ok(out)
}

/// The customer a row names: by id, then by vCard UID, then by email
/// (among the folder's customers and those this import created or gave a
/// UID or an email).
fn resolve(
    item: &Item,
    index: &Index,
    works: &IndexMap<String, Work>,
    emails: &HashMap<String, String>,
    uids: &HashMap<String, String>,
) -> Option<String> {
    if let Some((_, id)) = &item.id
        && (works.contains_key(id) || index.ids.contains(id))
    {
        return Some(id.clone());
    }
    if let Some((_, uid)) = &item.uid
        && let Some(id) = uids.get(uid).or_else(|| index.uids.get(uid))
    {
        return Some(id.clone());
    }
    let (_, email) = item.email.as_ref()?;
    let key = email_key(email);
    emails.get(&key).or_else(|| index.emails.get(&key)).cloned()
}

/// The id of a customer a row creates: the one given, else derived from the
/// name and made unique.
fn new_customer(
    item: &Item,
    index: &Index,
    works: &IndexMap<String, Work>,
    suffixes: &mut HashMap<String, u32>,
) -> Result<String, String> {
    let What::Customer {
        values,
        name_column,
        fallback,
        ..
    } = &item.what
    else {
        return Err(unknown_customer(item, index));
    };
    let name = values
        .iter()
        .find(|(f, _)| *f == "name")
        .map(|(_, n)| n)
        .or(fallback.as_ref().map(|(n, _)| n));
    let Some(name) = name else {
        return Err(format!(
            "{}: column `{}`: a new customer needs a name, an organization, an email or a phone",
            item.line,
            name_column.as_deref().unwrap_or("name")
        ));
    };
    if let Some((col, id)) = &item.id {
        id::validate(id).map_err(|e| format!("{}: column `{col}`: {e}", item.line))?;
        return Ok(id.clone());
    }
    let taken = |c: &str| index.ids.contains(c) || works.contains_key(c);
    let base = id::derive(name);
    if !taken(&base) {
        return Ok(base);
    }
    // Many rows of one name (a phone book's John Smiths) would probe -2, -3
    // … from the start each time; the next number to try is remembered.
    let start = suffixes.get(&base).copied().unwrap_or(2);
    let (id, n) = (start..)
        .map(|n| (id::numbered(&base, n), n))
        .find(|(candidate, _)| !taken(candidate))
        .unwrap_or_else(|| (base.clone(), start));
    suffixes.insert(base, n + 1);
    Ok(id)
}

fn unknown_customer(item: &Item, index: &Index) -> String {
    match (&item.id, &item.email) {
        (Some((col, id)), _) => {
            let near = crate::error::nearest(id, index.ids.iter().map(String::as_str));
            let hint = if near.is_empty() {
                "; import the customers first".to_string()
            } else {
                format!("; did you mean {}?", near.join(", "))
            };
            format!(
                "{}: column `{col}`: no customer `{}`{hint}",
                item.line,
                id::printable(id)
            )
        }
        (None, Some((col, email))) => format!(
            "{}: column `{col}`: no customer has the email `{email}`; import the customers first",
            item.line
        ),
        (None, None) => format!("{}: the row names no customer (id or email)", item.line),
    }
}

/// Fills empty fields; overwrites differing ones only with `--update`.
fn customer(work: &mut Work, values: &[(&'static str, String)], rules: &Rules, kept: &mut usize) {
    for (field, text) in values {
        let now = customer_cell(&work.record, field).plain();
        if now == *text {
            continue;
        }
        if now.is_empty() || rules.update {
            // The value was checked when the row was, so setting cannot fail.
            if set_customer_field(&mut work.record, field, text).is_ok() {
                work.fields.insert(field);
            }
        } else {
            *kept += 1;
        }
    }
}

/// What a row with a ref did to the entry it names.
#[derive(Debug, PartialEq, Eq)]
enum Replaced {
    /// The row is the entry as held: already present.
    Same,
    Changed,
    /// The row differs, and `--update` was not given.
    Refused,
}

/// Puts `new` in place of `held` when it differs and `update` allows.
fn replace<T: PartialEq>(held: &mut T, new: T, update: bool) -> Replaced {
    if new == *held {
        Replaced::Same
    } else if update {
        *held = new;
        Replaced::Changed
    } else {
        Replaced::Refused
    }
}

/// Counts a row that was already present, or refuses one that changes the
/// entry its ref names without `--update`, naming the flag.
fn settle(
    outcome: Replaced,
    what: &str,
    line: u64,
    reference: &str,
    work: &Work,
    out: &mut Applied,
    refuse: impl Fn(u64, String, &mut Applied) -> Result<(), String>,
) -> Result<(), String> {
    match outcome {
        Replaced::Same => out.skipped += 1,
        Replaced::Changed => {}
        Replaced::Refused => refuse(
            line,
            format!(
                "{line}: the row changes the {what} `{reference}` of {}; import with --update to apply it",
                work.record.id
            ),
            out,
        )?,
    }
    Ok(())
}

/// The interaction a row with a ref makes of the one it names: each field
/// the file has a column for takes the row's value (an empty cell removes
/// it); the others, and keys kith does not know, stay.
fn overlay_interaction(held: &Interaction, row: Interaction, mapped: &[&str]) -> Interaction {
    let mut new = held.clone();
    let has = |f: &str| mapped.contains(&f);
    new.date = row.date;
    new.kind = row.kind;
    macro_rules! take {
        ($($field:ident),*) => {$(
            if has(stringify!($field)) {
                new.$field = row.$field;
            }
        )*};
    }
    take!(
        summary, by, deal, amount, cost, product, payment, rating, with, status, resolved,
        resolution
    );
    new
}

/// The task a row with a ref makes of the one it names: due date and text
/// from the row, `done` too when the file has the column; its number stays.
fn overlay_task(held: &Task, row: Task, mapped: &[&str]) -> Task {
    let mut new = held.clone();
    new.due = row.due;
    new.what = row.what;
    if mapped.contains(&"done") {
        new.done = row.done;
    }
    new
}

/// Adds an interaction unless the record held an identical one before the
/// import; says whether it was added.
fn interaction(work: &mut Work, i: Interaction) -> bool {
    if work.held().texts.contains(&i.canonical_text()) {
        return false;
    }
    work.record.interactions.push(i);
    true
}

/// A person: skipped when the customer holds the same entry; otherwise the
/// current contact of that name gets the row's empty fields filled (and,
/// with `--update`, its differing ones overwritten); otherwise appended.
fn contact(work: &mut Work, p: Person, rules: &Rules, kept: &mut usize, skipped: &mut usize) {
    if work.record.contacts.contains(&p) {
        *skipped += 1;
        return;
    }
    let Some(current) = work.record.current_contact_mut(&p.name, rules.today) else {
        work.record.contacts.push(p);
        work.contacts_added += 1;
        return;
    };
    let mut changed = false;
    let mut differing = 0;
    for f in Person::FIELDS {
        match f.fill(current, &p, rules.update) {
            Fill::Same => {}
            Fill::Changed => changed = true,
            Fill::Differs => differing += 1,
        }
    }
    *kept += differing;
    if changed {
        work.contacts_changed += 1;
    } else if differing == 0 {
        *skipped += 1;
    }
}

/// A task the record held before the import (same due date and text) gets
/// its `done` date filled (replaced with `--update`); any other is added.
fn task(work: &mut Work, t: Task, update: bool, kept: &mut usize, skipped: &mut usize) {
    let Some(&n) = work.held().tasks_by_due.get(&(t.due, t.what.clone())) else {
        work.record.tasks.push(t);
        work.tasks_added += 1;
        return;
    };
    let held = &mut work.record.tasks[n];
    match (held.done, t.done) {
        (a, b) if a == b || b.is_none() => *skipped += 1,
        (None, b) => {
            held.done = b;
            work.tasks_changed += 1;
        }
        (Some(_), b) if update => {
            held.done = b;
            work.tasks_changed += 1;
        }
        _ => *kept += 1,
    }
}

/// Adds an invoice to its deal; one with the same number is left as it is
/// when equal, replaced with `--update`, and otherwise kept (counted).
fn invoice(
    work: &mut Work,
    row: InvoiceRow,
    rules: &Rules,
    kept: &mut usize,
) -> Result<(), String> {
    let record = &mut work.record;
    let Some(deal) = record.deals.iter_mut().find(|d| d.id == row.deal) else {
        return Err(format!(
            "{} has no deal `{}`; import the deal first (--as deals)",
            record.id, row.deal
        ));
    };
    let date = row.date.unwrap_or(rules.today);
    let mut new = ledger::invoice(deal, rules.config, row.amount, date, row.due)
        .ok_or_else(|| "the due date runs off the calendar".to_string())?;
    if let Some(no) = row.no {
        new.no = no;
    }
    match deal.invoices.iter_mut().find(|i| i.no == new.no) {
        None => {
            deal.invoices.push(new);
            work.deals_changed += 1;
        }
        Some(held) if (held.date, held.amount, held.due) == (new.date, new.amount, new.due) => {}
        Some(held) if rules.update => {
            (held.date, held.amount, held.due) = (new.date, new.amount, new.due);
            work.deals_changed += 1;
        }
        Some(_) => *kept += 1,
    }
    Ok(())
}

/// Adds a deal, or fills the deal of the same id.
fn deal(work: &mut Work, row: DealRow, rules: &Rules, kept: &mut usize) -> Result<(), String> {
    let record = &mut work.record;
    let existing = row
        .id
        .as_deref()
        .and_then(|id| record.deals.iter().position(|d| d.id == id));
    match existing {
        Some(n) => {
            if fill_deal(&mut record.deals[n], row, rules, rules.update, &[], kept) {
                work.deals_changed += 1;
            }
        }
        None => {
            let d = new_deal(row, &record.deals, rules)?;
            record.deals.push(d);
            work.deals_added += 1;
        }
    }
    Ok(())
}

/// Fills an empty field, or with `update` replaces a differing one; counts
/// a differing value kept. Says whether the field changed.
fn fill_value<T: PartialEq>(
    slot: &mut Option<T>,
    new: Option<T>,
    update: bool,
    kept: &mut usize,
) -> bool {
    match new {
        Some(v) if slot.is_none() || (update && slot.as_ref() != Some(&v)) => {
            *slot = Some(v);
            true
        }
        Some(v) if slot.as_ref() != Some(&v) => {
            *kept += 1;
            false
        }
        _ => false,
    }
}

fn new_deal(row: DealRow, existing: &[Deal], rules: &Rules) -> Result<Deal, String> {
    let stage = match row.stage {
        Some(s) => s,
        None => rules
            .config
            .funnel
            .first()
            .map(|s| s.id.clone())
            .ok_or("the funnel has no stages")?,
    };
    let opened = row.opened.unwrap_or(rules.today);
    let taken = |c: &str| existing.iter().any(|d| d.id == c);
    let id = match row.id {
        Some(id) => id,
        None => id::first_free(&id::derive(row.title.as_deref().unwrap_or("deal")), taken),
    };
    let mut d = Deal::open(id, row.title, row.value, stage, opened);
    d.lost_reason = row.lost_reason;
    d.competitor = row.competitor;
    d.close = row.close;
    d.terms = row.terms;
    if let Some(o @ (Outcome::Won | Outcome::Lost)) = row.outcome {
        d.outcome = Some(o);
        d.history
            .push(HistoryEntry::became(o, row.closed.unwrap_or(opened)));
    }
    Ok(d)
}

/// Fills a deal's empty fields from the row; with `--update` also moves it
/// to the row's stage and outcome (dated today, or the close date). Says
/// whether anything changed.
fn fill_deal(
    d: &mut Deal,
    row: DealRow,
    rules: &Rules,
    update: bool,
    clearing: &[&str],
    kept: &mut usize,
) -> bool {
    let mut changed = false;
    // A row with a ref is the deal as exported: its empty cells remove.
    macro_rules! clear {
        ($($field:ident),*) => {$(
            if clearing.contains(&stringify!($field)) && d.$field.is_some() {
                d.$field = None;
                changed = true;
            }
        )*};
    }
    clear!(title, value, lost_reason, competitor, close, terms);
    let mut fill = |slot: &mut Option<String>, new: Option<String>| match new {
        Some(v) if slot.is_none() || (update && slot.as_ref() != Some(&v)) => {
            *slot = Some(v);
            changed = true;
        }
        Some(v) if slot.as_ref() != Some(&v) => *kept += 1,
        _ => {}
    };
    fill(&mut d.title, row.title);
    fill(&mut d.lost_reason, row.lost_reason);
    fill(&mut d.competitor, row.competitor);
    match row.value {
        Some(v) if d.value.is_none() || (update && d.value != Some(v)) => {
            d.value = Some(v);
            changed = true;
        }
        Some(v) if d.value != Some(v) => *kept += 1,
        _ => {}
    }
    changed |= fill_value(&mut d.close, row.close, update, kept);
    changed |= fill_value(&mut d.terms, row.terms, update, kept);
    if let Some(stage) = row.stage.filter(|s| *s != d.stage) {
        if update {
            d.history.push(HistoryEntry::reached(&stage, rules.today));
            d.stage = stage;
            changed = true;
        } else {
            *kept += 1;
        }
    }
    if let Some(o) = row.outcome.filter(|o| *o != d.outcome()) {
        if update {
            d.history
                .push(HistoryEntry::became(o, row.closed.unwrap_or(rules.today)));
            d.outcome = Some(o);
            changed = true;
        } else {
            *kept += 1;
        }
    }
    changed
}

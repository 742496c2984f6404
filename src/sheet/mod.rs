//! The spreadsheet round trip: the four flat tables of docs/reference.md
//! (`export`), and reading them back (`import`, vCard contacts).
//!
//! Export and import share the column lists and the customer fields below,
//! so that a column exported is a column imported, value for value.

pub mod decode;
pub mod import;
pub mod preset;
pub mod read;
pub mod value;
pub mod vcard;

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::date::YearlyDate;
use crate::output::Cell;
use crate::record::fields::{self, Access, Field};
use crate::record::{Contact, Interaction, Person, Profile, Record, Task};

/// The tables `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dataset {
    Customers,
    Interactions,
    Deals,
    Tasks,
    Contacts,
    Invoices,
}

/// A customer's own fields, in the order of the `export customers` columns
/// (which add `id` before them and `path` after): the record's fields in
/// canonical order, the name and every exported declared field, with the
/// contact's text fields in place of `contact:` and the profile's days of
/// the year in place of `profile:`.
static OWN_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for f in Record::FIELDS {
        match (&f.access, f.key) {
            (Access::Own, "name") => out.push(f.key),
            (Access::Own, "contact") => {
                out.extend(
                    Contact::FIELDS
                        .iter()
                        .filter(|f| f.is_text())
                        .map(|f| f.key),
                );
            }
            (Access::Own, "profile") => out.extend(
                (Profile::FIELDS.iter())
                    .filter(|f| matches!(f.access, Access::Yearly(..)))
                    .map(|f| f.key),
            ),
            (Access::Own, _) => {}
            _ if f.exported => out.push(f.key),
            _ => {}
        }
    }
    out
});

pub static CUSTOMER_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&["id"], &OWN_FIELDS[..], &["path"]].concat());

/// The declared fields of an interaction in the order of their columns:
/// the order of the declaration, but for `deal`, which follows `rating`
/// as it has since the first release, so that spreadsheets keep their
/// columns.
static INTERACTION_DECLARED: LazyLock<Vec<&'static Field<Interaction>>> = LazyLock::new(|| {
    let mut fields: Vec<_> = (Interaction::FIELDS.iter())
        .filter(|f| !matches!(f.access, Access::Own))
        .collect();
    if let Some(deal) = fields.iter().position(|f| f.key == "deal") {
        let deal = fields.remove(deal);
        let after = fields
            .iter()
            .position(|f| f.key == "rating")
            .map_or(0, |r| r + 1);
        fields.insert(after, deal);
    }
    fields
});

/// The fields of an interaction, deal and task row after the customer's
/// `id`: what `export` writes and what `import` maps columns to.
pub static INTERACTION_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    ["date", "kind"]
        .into_iter()
        .chain(INTERACTION_DECLARED.iter().map(|f| f.key))
        .collect()
});

pub const DEAL_FIELDS: &[&str] = &[
    "deal",
    "title",
    "value",
    "stage",
    "outcome",
    "opened",
    "closed",
    "lost_reason",
    "competitor",
    "close",
    "terms",
];

pub const TASK_FIELDS: &[&str] = &["due", "what", "done"];

/// The fields of a contact row (a person at a customer) after the
/// customer's `id`: every key of a person, in canonical order.
pub static CONTACT_FIELDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| Person::FIELDS.iter().map(|f| f.key).collect());

pub const INVOICE_FIELDS: &[&str] = &["deal", "no", "date", "amount", "due"];

pub static INVOICE_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&["id"], INVOICE_FIELDS].concat());

/// The column naming an interaction, deal or task as it was exported: see
/// [`entry_refs`].
pub const REF_KEY: &str = "ref";

pub static INTERACTION_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&[REF_KEY, "id"], &INTERACTION_FIELDS[..]].concat());

pub static DEAL_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&[REF_KEY, "id"], DEAL_FIELDS].concat());

pub static TASK_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&[REF_KEY, "id"], TASK_FIELDS].concat());

pub static CONTACT_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&["id"], &CONTACT_FIELDS[..]].concat());

/// The organisation a person works for: an import column (alias
/// `company`) and a key of the record.
pub const ORGANIZATION_KEY: &str = "organization";

/// The customer fields `import` can set: the exported columns but `id` and
/// `path` (which say where the record is, not what it holds), the
/// organisation of a person, a note, and the `uid` of a vCard.
pub static CUSTOMER_FIELDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| [&OWN_FIELDS[..], &[ORGANIZATION_KEY, "note", UID_KEY]].concat());

/// The unknown key a vCard's `UID` is kept under: it names the card in later
/// imports of the same address book.
pub const UID_KEY: &str = "uid";

/// Where the emails and phones after the first are kept, under `contact:`.
pub const OTHER_LISTS: &[(&str, &str)] = &[("email", "other_emails"), ("phone", "other_phones")];

pub fn columns(what: Dataset) -> &'static [&'static str] {
    match what {
        Dataset::Customers => &CUSTOMER_COLUMNS,
        Dataset::Interactions => &INTERACTION_COLUMNS,
        Dataset::Deals => &DEAL_COLUMNS,
        Dataset::Tasks => &TASK_COLUMNS,
        Dataset::Invoices => &INVOICE_COLUMNS,
        Dataset::Contacts => &CONTACT_COLUMNS,
    }
}

/// The rows one customer contributes to table `what`, in the record's
/// canonical list order (the record must be sorted). `path` is the file's
/// path relative to the folder.
pub fn rows(r: &Record, what: Dataset, path: &str) -> Vec<Vec<Cell>> {
    let id = || Cell::text(&r.id);
    match what {
        Dataset::Customers => {
            let mut row = vec![id()];
            row.extend(OWN_FIELDS.iter().map(|f| customer_cell(r, f)));
            row.push(Cell::text(path));
            vec![row]
        }
        Dataset::Interactions => r
            .interactions
            .iter()
            .zip(entry_refs(
                r.interactions.iter().map(Interaction::canonical_text),
            ))
            .map(|(i, reference)| {
                let own = INTERACTION_DECLARED.iter().map(|f| declared_cell_of(f, i));
                [
                    Cell::Text(reference),
                    id(),
                    Cell::When(i.date),
                    Cell::text(&i.kind),
                ]
                .into_iter()
                .chain(own)
                .collect()
            })
            .collect(),
        Dataset::Deals => r
            .deals
            .iter()
            .map(|d| {
                vec![
                    Cell::text(&d.id),
                    id(),
                    Cell::text(&d.id),
                    Cell::opt_text(d.title.as_deref()),
                    Cell::opt_money(d.value),
                    Cell::text(&d.stage),
                    Cell::text(d.outcome().as_str()),
                    Cell::opt_date(d.opened()),
                    Cell::opt_date(d.closed()),
                    Cell::opt_text(d.lost_reason.as_deref()),
                    Cell::opt_text(d.competitor.as_deref()),
                    Cell::opt_date(d.close),
                    d.terms.map_or(Cell::Empty, |t| Cell::Text(t.to_string())),
                ]
            })
            .collect(),
        Dataset::Invoices => r
            .deals
            .iter()
            .flat_map(|d| {
                d.invoices.iter().map(move |i| {
                    vec![
                        id(),
                        Cell::text(&d.id),
                        Cell::Int(i64::from(i.no)),
                        Cell::Date(i.date),
                        Cell::Money(i.amount),
                        Cell::Date(i.due),
                    ]
                })
            })
            .collect(),
        Dataset::Tasks => r
            .tasks
            .iter()
            .zip(entry_refs(r.tasks.iter().map(Task::canonical_text)))
            .map(|(t, reference)| {
                vec![
                    Cell::Text(reference),
                    id(),
                    Cell::Date(t.due),
                    Cell::text(&t.what),
                    Cell::opt_date(t.done),
                ]
            })
            .collect(),
        Dataset::Contacts => r
            .contacts
            .iter()
            .map(|p| {
                let fields = Person::FIELDS.iter().map(|f| match f.key {
                    "name" => Cell::text(&p.name),
                    _ => declared_cell_of(f, p),
                });
                std::iter::once(id()).chain(fields).collect()
            })
            .collect(),
    }
}

/// The refs of a customer's interactions or tasks, given their canonical
/// texts in list order: `r` and 12 hex digits of a hash of the entry's text,
/// so that a ref names the entry as it was when exported and names none
/// once the entry changes. The second and later of identical entries get
/// `-2`, `-3`, … so that every ref of a customer is unique. Nothing is
/// stored in the file: the ref is computed again wherever it is read.
pub fn entry_refs(texts: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    texts
        .into_iter()
        .map(|text| {
            let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes()) >> 16;
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            match *n {
                1 => format!("r{key:012x}"),
                n => format!("r{key:012x}-{n}"),
            }
        })
        .collect()
}

/// One customer field as a cell (empty when absent): what `export` prints,
/// and what `import` and `merge` compare.
pub fn customer_cell(r: &Record, field: &str) -> Cell {
    let declared = declared_cell(Record::FIELDS, r, field)
        .or_else(|| declared_cell(Contact::FIELDS, &r.contact, field))
        .or_else(|| declared_cell(Profile::FIELDS, &r.profile, field));
    if let Some(cell) = declared {
        return cell;
    }
    match field {
        "name" => Cell::text(&r.name),
        UID_KEY => match r.extra.get(field) {
            Some(yaml_serde::Value::String(s)) => Cell::text(s),
            _ => Cell::Empty,
        },
        "other_emails" | "other_phones" => match r.contact.extra.get(field) {
            Some(yaml_serde::Value::Sequence(items)) => Cell::List(
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => Cell::Empty,
        },
        _ => Cell::Empty,
    }
}

/// A declared field of a group as a cell, when it is one that fits a cell:
/// any but a map of networks.
fn declared_cell<S>(group: &'static [Field<S>], s: &S, field: &str) -> Option<Cell> {
    let field = fields::find(group, field)?;
    match field.access {
        Access::Networks(..) | Access::Own => None,
        _ => Some(declared_cell_of(field, s)),
    }
}

/// A declared field as a cell: empty when absent, and for a map of
/// networks, which no column holds.
fn declared_cell_of<S>(field: &Field<S>, s: &S) -> Cell {
    match field.access {
        Access::Text(get, _) => Cell::opt_text(get(s).as_deref()),
        Access::Yearly(get, _) => yearly_cell(*get(s)),
        Access::Date(get, _) => Cell::opt_date(*get(s)),
        Access::Choice(ref c) => (c.get)(s).map_or(Cell::Empty, Cell::text),
        Access::Flag(get, _) => get(s).map_or(Cell::Empty, |b| Cell::text(b.to_string())),
        Access::Money(get, _) => Cell::opt_money(*get(s)),
        Access::Rating(get, _) => get(s).map_or(Cell::Empty, |n| Cell::Int(n.into())),
        Access::Span(get, _) => get(s).map_or(Cell::Empty, |t| Cell::Text(t.to_string())),
        Access::Words(get, _) if get(s).is_empty() => Cell::Empty,
        Access::Words(get, _) => Cell::List(get(s).clone()),
        Access::Networks(..) | Access::Own => Cell::Empty,
    }
}

/// Sets a declared field of a group that fits a cell from its text; `None`
/// when the group has no such field.
pub(super) fn set_declared<S>(
    group: &'static [Field<S>],
    s: &mut S,
    field: &str,
    text: &str,
) -> Option<Result<(), String>> {
    let done = match fields::find(group, field)?.access {
        Access::Text(_, slot) => {
            Ok((!text.is_empty()).then(|| text.to_string())).map(|t| *slot(s) = t)
        }
        Access::Yearly(_, slot) => value::yearly(text).map(|d| *slot(s) = d),
        Access::Date(_, slot) => value::day(text).map(|d| *slot(s) = d),
        Access::Choice(ref c) => c.choose(s, text),
        Access::Flag(_, slot) => value::flag(text).map(|b| *slot(s) = b),
        Access::Words(_, slot) => Ok(value::list(text)).map(|w| *slot(s) = w),
        Access::Money(_, slot) => value::money(text).map(|m| *slot(s) = m),
        Access::Rating(_, slot) => value::rating(text).map(|n| *slot(s) = n),
        Access::Span(_, slot) => value::span(text).map(|t| *slot(s) = t),
        Access::Networks(..) | Access::Own => return None,
    };
    Some(done)
}

/// A birthday or anniversary: a date cell (never guarded as number-like
/// text); `--MM-DD` without the year stays text, so the formula guard keeps
/// its leading dashes from being read as a formula.
fn yearly_cell(d: Option<YearlyDate>) -> Cell {
    match d {
        Some(YearlyDate::Full(d)) => Cell::Date(d),
        Some(other) => Cell::text(other.to_string()),
        None => Cell::Empty,
    }
}

/// Sets one customer field from its text (dates already in ISO or `--MM-DD`
/// form); empty text removes it. The error says what is wrong with the value.
pub fn set_customer_field(r: &mut Record, field: &str, text: &str) -> Result<(), String> {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let declared = set_declared(Record::FIELDS, r, field, text)
        .or_else(|| set_declared(Contact::FIELDS, &mut r.contact, field, text))
        .or_else(|| set_declared(Profile::FIELDS, &mut r.profile, field, text));
    if let Some(done) = declared {
        return done;
    }
    match field {
        "name" if text.is_empty() => return Err("the name is empty".to_string()),
        "name" => r.name = text.to_string(),
        UID_KEY => match opt(text) {
            Some(s) => {
                r.extra
                    .insert(field.to_string(), yaml_serde::Value::String(s));
            }
            None => {
                r.extra.remove(field);
            }
        },
        "other_emails" | "other_phones" => {
            let items = value::list(text);
            if items.is_empty() {
                r.contact.extra.remove(field);
            } else {
                let items = items.into_iter().map(yaml_serde::Value::String).collect();
                r.contact
                    .extra
                    .insert(field.to_string(), yaml_serde::Value::Sequence(items));
            }
        }
        other => return Err(format!("`{other}` is not a customer field")),
    }
    Ok(())
}

/// The text of a field value as the record would hold it (`12` becomes
/// `12.00`, `a; b` becomes `a;b`), so that values compare as data.
pub fn canonical_customer_value(field: &str, text: &str) -> Result<String, String> {
    let mut probe = Record::default();
    set_customer_field(&mut probe, field, text)?;
    Ok(customer_cell(&probe, field).plain())
}

/// A path relative to the folder, with `/` between its parts whatever the
/// system, as the `path` column shows it.
pub fn relative_path(root: &std::path::Path, path: &std::path::Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

//! The canonical text of a record: the one form kith writes and `kith fmt`
//! produces. The same record always gives the same bytes.

use std::fmt::Write;

use yaml_serde::Value;

use super::quote::scalar;
use super::{
    Contact, Deal, Extra, HistoryEntry, Interaction, Invoice, Person, Profile, Record, Task,
};
use crate::date::{Date, Span, YearlyDate};
use crate::money::Money;

/// Writes `record` canonically. Lists are sorted first, so the caller's copy
/// need not be.
pub fn emit_record(record: &Record) -> String {
    let mut sorted = record.clone();
    sort_lists(&mut sorted);
    emit_in_order(&sorted)
}

/// Writes `r` canonically but with its lists in the order they have, so that
/// the lossless editor can line a hand-kept file's entries up with their
/// canonical text.
pub fn emit_in_order(r: &Record) -> String {
    let mut out = String::with_capacity(512 + 160 * r.interactions.len());
    r.emit_fields(&mut out, 0, |out, key| match key {
        "id" if r.id_key => line(out, 0, key, &r.id),
        "name" => line(out, 0, key, &r.name),
        "contact" if !r.contact.is_empty() => {
            out.push_str("contact:\n");
            contact(out, &r.contact);
        }
        "profile" if !r.profile.is_empty() => {
            out.push_str("profile:\n");
            profile(out, &r.profile);
        }
        "contacts" => list(out, key, &r.contacts, person),
        "deals" => list(out, key, &r.deals, deal),
        "tasks" => list(out, key, &r.tasks, task),
        "interactions" => {
            extra(out, 0, &r.extra);
            list(out, key, &r.interactions, interaction);
        }
        _ => {}
    });
    out
}

/// A block list under `key:`, each item written by `item`; nothing when
/// the list is empty.
fn list<T>(out: &mut String, key: &str, items: &[T], item: fn(&mut String, &T)) {
    if !items.is_empty() {
        let _ = writeln!(out, "{key}:");
        for i in items {
            item(out, i);
        }
    }
}

/// Sorts deals, tasks and interactions into canonical order.
pub fn sort_lists(r: &mut Record) {
    for d in &mut r.deals {
        d.invoices.sort_by_key(|i| (i.date, i.no));
    }
    sort_by_date_then_text(
        &mut r.deals,
        |d| (d.opened().unwrap_or(Date::MAX), None::<chrono::NaiveTime>),
        |d| {
            let mut s = String::new();
            deal(&mut s, d);
            s
        },
    );
    sort_by_date_then_text(
        &mut r.tasks,
        |t| (t.due, None::<chrono::NaiveTime>),
        Task::canonical_text,
    );
    sort_by_date_then_text(
        &mut r.interactions,
        |i| (i.date.date, i.date.time),
        Interaction::canonical_text,
    );
}

impl Task {
    /// The task's lines as the canonical file holds them: its identity when
    /// lists are sorted and merged.
    pub fn canonical_text(&self) -> String {
        let mut s = String::new();
        task(&mut s, self);
        s
    }
}

impl Interaction {
    /// The interaction's lines as the canonical file holds them: its identity
    /// when lists are sorted and merged.
    pub fn canonical_text(&self) -> String {
        let mut s = String::new();
        interaction(&mut s, self);
        s
    }
}

impl Invoice {
    /// The invoice as the canonical file holds it (a flow map).
    pub fn canonical_text(&self) -> String {
        invoice(self)
    }
}

impl HistoryEntry {
    /// The entry as the canonical file holds it (a flow map).
    pub fn canonical_text(&self) -> String {
        history_entry(self)
    }
}

fn sort_by_date_then_text<T, K: Ord>(
    items: &mut [T],
    key: impl Fn(&T) -> K,
    text: impl Fn(&T) -> String,
) {
    let in_order = items.windows(2).all(|w| key(&w[0]) < key(&w[1]));
    if in_order {
        return;
    }
    items.sort_by_cached_key(|item| (key(item), text(item)));
}

fn line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}{}: {}", "", scalar(key), scalar(value));
}

fn raw_line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}{}: {}", "", scalar(key), value);
}

fn opt(out: &mut String, indent: usize, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        line(out, indent, key, v);
    }
}

fn opt_raw(out: &mut String, indent: usize, key: &str, value: Option<String>) {
    if let Some(v) = value {
        raw_line(out, indent, key, &v);
    }
}

fn flow_list(out: &mut String, indent: usize, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let inner: Vec<_> = items.iter().map(|s| scalar(s)).collect();
    raw_line(out, indent, key, &format!("[{}]", inner.join(", ")));
}

fn contact(out: &mut String, c: &Contact) {
    c.emit_fields(out, 2, |_, _| {});
    extra(out, 2, &c.extra);
}

fn profile(out: &mut String, p: &Profile) {
    p.emit_fields(out, 2, |_, _| {});
    extra(out, 2, &p.extra);
}

/// A value of a declared field as the file holds it (see
/// `record::fields`): nothing when absent or empty.
pub(super) trait EmitValue {
    fn emit(&self, out: &mut String, indent: usize, key: &str);
}

impl EmitValue for Option<String> {
    fn emit(&self, out: &mut String, indent: usize, key: &str) {
        opt(out, indent, key, self.as_deref());
    }
}

impl EmitValue for Option<&'static str> {
    fn emit(&self, out: &mut String, indent: usize, key: &str) {
        opt(out, indent, key, *self);
    }
}

/// Values written as they print, never quoted: days, amounts, flags,
/// ratings, spans.
macro_rules! emit_raw {
    ($($ty:ty),+) => {$(
        impl EmitValue for Option<$ty> {
            fn emit(&self, out: &mut String, indent: usize, key: &str) {
                if let Some(v) = self {
                    let _ = writeln!(out, "{:indent$}{}: {v}", "", scalar(key));
                }
            }
        }
    )+};
}

emit_raw!(YearlyDate, Date, bool, Money, u8, Span);

impl EmitValue for Vec<String> {
    fn emit(&self, out: &mut String, indent: usize, key: &str) {
        flow_list(out, indent, key, self);
    }
}

/// A map of networks, in the order written.
impl EmitValue for Vec<(String, String)> {
    fn emit(&self, out: &mut String, indent: usize, key: &str) {
        if !self.is_empty() {
            let _ = writeln!(out, "{:indent$}{}:", "", key);
            for (k, v) in self {
                line(out, indent + 2, k, v);
            }
        }
    }
}

/// The first line of a list item: `  - key: value`, the value already in
/// its YAML form.
fn head(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "  - {key}: {value}");
}

fn person(out: &mut String, p: &Person) {
    p.emit_fields(out, 4, |out, key| {
        if key == "name" {
            head(out, key, scalar(&p.name));
        }
    });
    extra(out, 4, &p.extra);
}

fn deal(out: &mut String, d: &Deal) {
    d.emit_fields(out, 4, |out, key| match key {
        "id" => head(out, key, scalar(&d.id)),
        "stage" => line(out, 4, key, &d.stage),
        "outcome" => opt(out, 4, key, d.outcome.map(|o| o.as_str())),
        "invoices" if !d.invoices.is_empty() => {
            out.push_str("    invoices:\n");
            for i in &d.invoices {
                let _ = writeln!(out, "      - {}", invoice(i));
            }
        }
        "history" if !d.history.is_empty() => {
            out.push_str("    history:\n");
            for h in &d.history {
                let _ = writeln!(out, "      - {}", history_entry(h));
            }
        }
        _ => {}
    });
    extra(out, 4, &d.extra);
}

/// An invoice as a flow map: `{no: 1, date: …, amount: …, due: …}`.
pub(super) fn invoice(i: &Invoice) -> String {
    let mut parts = vec![
        format!("'no': {}", i.no),
        format!("date: {}", i.date.format("%Y-%m-%d")),
        format!("amount: {}", i.amount),
        format!("due: {}", i.due.format("%Y-%m-%d")),
    ];
    for (k, v) in &i.extra {
        parts.push(format!("{}: {}", scalar(k), flow_value(v)));
    }
    format!("{{{}}}", parts.join(", "))
}

/// A history entry as a flow map: `{stage: met, date: 2026-03-02}`.
pub(super) fn history_entry(h: &HistoryEntry) -> String {
    let mut parts = Vec::with_capacity(3 + h.extra.len());
    if let Some(s) = &h.stage {
        parts.push(format!("stage: {}", scalar(s)));
    }
    if let Some(o) = h.outcome {
        parts.push(format!("outcome: {o}"));
    }
    parts.push(format!("date: {}", h.date.format("%Y-%m-%d")));
    for (k, v) in &h.extra {
        parts.push(format!("{}: {}", scalar(k), flow_value(v)));
    }
    format!("{{{}}}", parts.join(", "))
}

fn task(out: &mut String, t: &Task) {
    let due = t.due.format("%Y-%m-%d");
    t.emit_fields(out, 4, |out, key| match key {
        "number" => {
            if let Some(n) = t.number {
                head(out, key, n);
            }
        }
        // The first line, unless a number came before it.
        "due" if t.number.is_none() => head(out, key, &due),
        "due" => raw_line(out, 4, key, &due.to_string()),
        "what" => line(out, 4, key, &t.what),
        _ => {}
    });
    extra(out, 4, &t.extra);
}

fn interaction(out: &mut String, i: &Interaction) {
    i.emit_fields(out, 4, |out, key| match key {
        "date" => head(out, key, i.date),
        "kind" => line(out, 4, key, &i.kind),
        "number" => opt_raw(out, 4, key, i.number.map(|n| n.to_string())),
        _ => {}
    });
    extra(out, 4, &i.extra);
}

fn extra(out: &mut String, indent: usize, extra: &Extra) {
    for (k, v) in extra {
        keyed_value(out, indent, &scalar(k), v);
    }
}

/// Writes `key: value`, the key already in its YAML form: a number key stays
/// a number, a text key is quoted when it must be.
fn keyed_value(out: &mut String, indent: usize, key: &str, v: &Value) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            let _ = writeln!(out, "{:indent$}{key}:", "");
            emit_value_block(out, indent + 2, v);
        }
        Value::Sequence(_) if is_block(v) => {
            let _ = writeln!(out, "{:indent$}{key}:", "");
            emit_value_block(out, indent + 2, v);
        }
        Value::Tagged(t) if is_block(&t.value) => {
            let _ = writeln!(out, "{:indent$}{key}: {}", "", t.tag);
            emit_value_block(out, indent + 2, &t.value);
        }
        _ => {
            let _ = writeln!(out, "{:indent$}{key}: {}", "", flow_value(v));
        }
    }
}

/// Whether a value is written in block style: non-empty maps, and lists
/// holding a map or list. Lists of plain scalars are flow style, like tags.
fn is_block(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => !m.is_empty(),
        Value::Sequence(s) => s.iter().any(|i| {
            matches!(i, Value::Mapping(_) | Value::Sequence(_))
                || matches!(i, Value::Tagged(t) if is_block(&t.value))
        }),
        _ => false,
    }
}

/// Writes a non-empty map or list in block style at `indent`.
pub fn emit_value_block(out: &mut String, indent: usize, v: &Value) {
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                keyed_value(out, indent, &flow_value(k), v);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                if is_block(item) {
                    let mut nested = String::new();
                    emit_value_block(&mut nested, indent + 2, item);
                    // The first line of the nested block starts after "- ".
                    let rest = &nested[indent + 2..];
                    let _ = write!(out, "{:indent$}- {rest}", "");
                } else {
                    let _ = writeln!(out, "{:indent$}- {}", "", flow_value(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{:indent$}{}", "", flow_value(other));
        }
    }
}

/// A value on one line: scalars, and maps and lists in flow style.
fn flow_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s).into_owned(),
        Value::Sequence(items) => {
            let inner: Vec<_> = items.iter().map(flow_value).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Mapping(m) => {
            let inner: Vec<_> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_value(k), flow_value(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Tagged(t) => format!("{} {}", t.tag, flow_value(&t.value)),
    }
}

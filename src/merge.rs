//! The three-way merge of one customer record, behind `kith merge-file` (the
//! git merge driver). Pure: three records in, a record or a conflicted text
//! out.
//!
//! The rules (docs/git.md explains them to users):
//! - interactions and tasks keep their identity through an edit. Each side is
//!   compared with the base: an entry still there word for word is kept; of
//!   the rest, a removed and an added entry are one entry changed when they
//!   hold the same task number (`number:`), or, without one, when at least half of
//!   their fields are equal (the best-matching pairs first). Fields are
//!   compared as their canonical text, so a field added to an entry needs no
//!   rule here. An entry changed on both sides merges field by field like any
//!   map; removed on one side and changed on the other is a conflict on that
//!   entry. Entries added are kept, and one added alike on both sides (an
//!   import run on two laptops) is kept once.
//! - a deal's history merges as a multiset of entries: how many copies of an
//!   entry there are merges three-way, and when both sides changed that
//!   number differently the changes add up (ours + theirs − base).
//! - deals match by id; when both sides moved a deal (stage or outcome)
//!   differently, it follows the side whose latest history entry is newer (of
//!   the same day: a conflict); moved on one side, it follows that side.
//! - `contacts` merges three-way as one list: a person added, edited or gone
//!   on one side is taken from that side; changes on both sides conflict.
//! - every other value merges three-way at any depth: taken from the side that
//!   changed it; maps key by key; lists of words (tags, hobbies, groups) as
//!   sets. A value changed differently on both sides is a conflict.
//!
//! A conflict is shown by merging twice, once taking our side of every
//! conflict and once theirs: the two canonical texts differ only there, so a
//! line diff of them puts the git markers around the conflicting keys (or the
//! one entry) only.

use std::cmp::Ordering;
use std::collections::HashMap;

use yaml_serde::{Mapping, Value};

use crate::record::fields::{Access, Field};
use crate::record::{
    Contact, Deal, Extra, HistoryEntry, Interaction, Invoice, Profile, Record, Schema, Task,
    parse_record,
};

/// What merging one record gives.
#[derive(Debug)]
pub enum Merged {
    /// The merged record, its lists in canonical order.
    Clean(Box<Record>),
    /// The canonical text with git conflict markers around each conflict, and
    /// the conflicting fields (`owner`, `contact.email`, `deals[erp].title`,
    /// `interactions[2026-11-20 purchase].amount`).
    Conflict { text: String, fields: Vec<String> },
    /// Entries merged field by field that no longer read as entries (a
    /// combination of fields the record does not allow); the reason.
    Unreadable(String),
}

/// Merges `ours` and `theirs`, two descendants of `base`. Without a base
/// (both sides created the file) it is a two-way merge: a value that differs
/// is a conflict, and an entry on both sides is kept once.
pub fn merge(base: Option<&Record>, ours: &Record, theirs: &Record) -> Merged {
    let two_way;
    let base = match base {
        Some(b) => b,
        None => {
            two_way = common_base(ours, theirs);
            &two_way
        }
    };
    let mut taking_ours = Merger::new(Side::Ours);
    let mut left = match taking_ours.record(base, ours, theirs) {
        Ok(r) => r,
        Err(why) => return Merged::Unreadable(why),
    };
    left.sort_lists();
    if taking_ours.conflicts.is_empty() {
        return Merged::Clean(Box::new(left));
    }
    let right = match Merger::new(Side::Theirs).record(base, ours, theirs) {
        Ok(r) => r,
        Err(why) => return Merged::Unreadable(why),
    };
    let (ours_text, theirs_text) = (
        crate::record::emit_record(&left),
        crate::record::emit_record(&right),
    );
    if ours_text == theirs_text {
        // Values unequal in memory but written alike: nothing a person
        // could choose between.
        return Merged::Clean(Box::new(left));
    }
    Merged::Conflict {
        text: with_markers(&ours_text, &theirs_text),
        fields: taking_ours.conflicts,
    }
}

/// The base of a two-way merge: nothing, except the entries both sides hold,
/// which are then kept once rather than twice.
fn common_base(ours: &Record, theirs: &Record) -> Record {
    Record {
        tasks: common(&ours.tasks, &theirs.tasks, Task::canonical_text),
        interactions: common(
            &ours.interactions,
            &theirs.interactions,
            Interaction::canonical_text,
        ),
        ..Record::default()
    }
}

/// The entries of `a` that `b` holds too, as a multiset.
fn common<T: Clone>(a: &[T], b: &[T], text: impl Fn(&T) -> String) -> Vec<T> {
    let mut in_b: HashMap<String, usize> = HashMap::new();
    for item in b {
        *in_b.entry(text(item)).or_default() += 1;
    }
    a.iter()
        .filter(|item| match in_b.get_mut(&text(item)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .cloned()
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Ours,
    Theirs,
}

/// One pass of the merge: which side a conflict takes, and the conflicts met.
struct Merger {
    prefer: Side,
    conflicts: Vec<String>,
}

impl Merger {
    fn new(prefer: Side) -> Merger {
        Merger {
            prefer,
            conflicts: Vec::new(),
        }
    }

    /// A value merged three-way as a whole.
    fn leaf<T: PartialEq + Clone>(&mut self, path: &str, base: &T, ours: &T, theirs: &T) -> T {
        if ours == theirs || base == theirs {
            ours.clone()
        } else if base == ours {
            theirs.clone()
        } else {
            self.conflict(path, ours, theirs)
        }
    }

    fn conflict<T: Clone>(&mut self, path: &str, ours: &T, theirs: &T) -> T {
        self.conflicts.push(path.to_string());
        match self.prefer {
            Side::Ours => ours.clone(),
            Side::Theirs => theirs.clone(),
        }
    }

    /// The field `get` of three structs, merged as a leaf.
    fn field<S, T: PartialEq + Clone>(
        &mut self,
        path: &str,
        [b, o, t]: [&S; 3],
        get: impl Fn(&S) -> &T,
    ) -> T {
        self.leaf(path, get(b), get(o), get(t))
    }

    fn record(&mut self, b: &Record, o: &Record, t: &Record) -> Result<Record, String> {
        let r = [b, o, t];
        let id_of = |r: &Record| (r.id_key, r.id.clone());
        let (id_key, id) = self.leaf("id", &id_of(b), &id_of(o), &id_of(t));
        let texts = |r: &Record| r.tasks.iter().map(Task::canonical_text).collect::<Vec<_>>();
        let tasks = self.entries("tasks", [&texts(b), &texts(o), &texts(t)], Some("number"));
        let texts = |r: &Record| {
            (r.interactions.iter())
                .map(Interaction::canonical_text)
                .collect::<Vec<_>>()
        };
        let interactions = self.entries(
            "interactions",
            [&texts(b), &texts(o), &texts(t)],
            Some("number"),
        );
        let (tasks, interactions) = read_entries(&tasks, &interactions)?;
        // In canonical order, so that conflicts are listed in it: the
        // declared fields by their table, the record's own by hand. Any
        // other field added to Record must be given a merge rule here
        // (`every_field_changed_on_one_side_is_kept` catches one that is not).
        let mut merged = Record {
            id,
            id_key,
            tasks,
            interactions,
            ..Record::default()
        };
        for f in Record::FIELDS {
            match f.key {
                "name" => merged.name = self.field(f.key, r, |r| &r.name),
                "contact" => merged.contact = self.contact([&b.contact, &o.contact, &t.contact]),
                "profile" => merged.profile = self.profile([&b.profile, &o.profile, &t.profile]),
                "contacts" => merged.contacts = self.field(f.key, r, |r| &r.contacts),
                "deals" => merged.deals = self.deals(&b.deals, &o.deals, &t.deals),
                _ => self.declared_field(f.path, f, r, &mut merged),
            }
        }
        merged.extra = self.extra("", &b.extra, &o.extra, &t.extra);
        Ok(merged)
    }

    /// Interactions or tasks, each as its canonical text: the entries kept,
    /// changed, merged and added (see the module comment). `key` names the
    /// field that identifies an entry when both versions hold it.
    fn entries(&mut self, list: &str, texts: [&[String]; 3], key: Option<&str>) -> Vec<String> {
        let [b, o, t] = texts;
        if let Some(whole) = unchanged_side(b, o, t) {
            return whole;
        }
        let fields = |l: &[String]| l.iter().map(|s| Fields::of(s)).collect::<Vec<_>>();
        let (bf, of, tf) = (fields(b), fields(o), fields(t));
        // Each side's pairing once alone, then again knowing what the other
        // side did, which settles the pairs that are equally alike.
        let (ours, theirs) = (
            Changes::of(&bf, &of, key, None),
            Changes::of(&bf, &tf, key, None),
        );
        let (ours, theirs) = (
            Changes::of(&bf, &of, key, Some(&theirs)),
            Changes::of(&bf, &tf, key, Some(&ours)),
        );
        let mut out = Vec::with_capacity(o.len().max(t.len()));
        for (i, base) in bf.iter().enumerate() {
            let at = format!("{list}[{}]", base.label());
            let merged = match (ours.fate[i], theirs.fate[i]) {
                (Fate::Kept, Fate::Kept) => Some(b[i].clone()),
                (Fate::Removed, Fate::Kept | Fate::Removed) | (Fate::Kept, Fate::Removed) => None,
                (Fate::Changed(x), Fate::Kept) => Some(o[x].clone()),
                (Fate::Kept, Fate::Changed(y)) => Some(t[y].clone()),
                (Fate::Changed(x), Fate::Changed(y)) => {
                    Some(self.entry(&at, [base, &of[x], &tf[y]]).text())
                }
                (Fate::Removed, Fate::Changed(y)) => self.conflict(&at, &None, &Some(t[y].clone())),
                (Fate::Changed(x), Fate::Removed) => self.conflict(&at, &Some(o[x].clone()), &None),
            };
            out.extend(merged);
        }
        let added = |side: &Changes, texts: &[String]| {
            side.added
                .iter()
                .map(|&j| texts[j].clone())
                .collect::<Vec<_>>()
        };
        out.extend(multiset(
            &[],
            &added(&ours, o),
            &added(&theirs, t),
            String::clone,
        ));
        out
    }

    /// One entry changed on both sides, merged field by field.
    fn entry(&mut self, at: &str, [b, o, t]: [&Fields; 3]) -> Fields {
        let mut keys: Vec<&str> = Vec::new();
        for (k, _) in b.0.iter().chain(&o.0).chain(&t.0) {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        let mut merged = Vec::with_capacity(keys.len());
        for k in keys {
            let get = |f: &Fields| f.get(k).map(str::to_string);
            let value = self.leaf(&format!("{at}.{k}"), &get(b), &get(o), &get(t));
            merged.extend(value.map(|v| (k.to_string(), v)));
        }
        Fields(merged)
    }

    fn contact(&mut self, c: [&Contact; 3]) -> Contact {
        let [b, o, t] = c;
        let mut merged = self.declared(Contact::FIELDS, c);
        merged.extra = self.extra("contact", &b.extra, &o.extra, &t.extra);
        merged
    }

    fn profile(&mut self, p: [&Profile; 3]) -> Profile {
        let [b, o, t] = p;
        let mut merged = self.declared(Profile::FIELDS, p);
        merged.extra = self.extra("profile", &b.extra, &o.extra, &t.extra);
        merged
    }

    /// The declared fields of a group (see `record::fields`), each merged
    /// as what it holds: a value, a list of words, a map of networks.
    fn declared<S: Default>(&mut self, group: &'static [Field<S>], s: [&S; 3]) -> S {
        let mut merged = S::default();
        self.declared_into("", group, s, &mut merged);
        merged
    }

    /// The declared fields of a group merged into `merged`, each path
    /// under `prefix` (none when empty); the group's own fields are left
    /// to the caller.
    fn declared_into<S>(
        &mut self,
        prefix: &str,
        group: &'static [Field<S>],
        s: [&S; 3],
        merged: &mut S,
    ) {
        for f in group {
            let path = match prefix {
                "" => f.path.to_string(),
                _ => format!("{prefix}.{}", f.path),
            };
            self.declared_field(&path, f, s, merged);
        }
    }

    /// Declared field `f` merged into `merged` as what it holds, its
    /// conflicts under `path`; nothing for one of the group's own fields.
    fn declared_field<S>(&mut self, path: &str, f: &Field<S>, s: [&S; 3], merged: &mut S) {
        let [b, o, t] = s;
        match f.access {
            Access::Text(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Yearly(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Date(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Flag(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Money(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Rating(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Span(get, slot) => *slot(merged) = self.field(path, s, get),
            Access::Own => {}
            Access::Choice(ref c) => {
                let word = self.leaf(path, &(c.get)(b), &(c.get)(o), &(c.get)(t));
                (c.set)(merged, word);
            }
            Access::Words(get, slot) => *slot(merged) = words(get(b), get(o), get(t)),
            Access::Networks(get, slot) => {
                *slot(merged) = self.map(
                    [get(b), get(o), get(t)],
                    String::clone,
                    |m, key, [b, o, t]| {
                        let path = format!("{path}.{key}");
                        m.leaf(&path, &b.cloned(), &o.cloned(), &t.cloned())
                    },
                );
            }
        }
    }

    /// Deals matched by id. A deal on one side only was added there, or
    /// removed on the other: merged as a whole, so removed on one side and
    /// changed on the other is a conflict.
    fn deals(&mut self, b: &[Deal], o: &[Deal], t: &[Deal]) -> Vec<Deal> {
        let mut ids: Vec<&str> = b.iter().chain(o).chain(t).map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let find = |list: &[Deal], id: &str| list.iter().find(|d| d.id == id).cloned();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let (bd, od, td) = (find(b, id), find(o, id), find(t, id));
            let merged = match (&od, &td) {
                (Some(od), Some(td)) => Some(self.deal(bd.as_ref(), od, td)),
                _ => self.leaf(&format!("deals[{id}]"), &bd, &od, &td),
            };
            out.extend(merged);
        }
        out
    }

    fn deal(&mut self, base: Option<&Deal>, o: &Deal, t: &Deal) -> Deal {
        let two_way;
        let b = match base {
            Some(b) => b,
            None => {
                two_way = Deal {
                    id: o.id.clone(),
                    history: common(&o.history, &t.history, HistoryEntry::canonical_text),
                    invoices: common(&o.invoices, &t.invoices, Invoice::canonical_text),
                    ..Deal::blank()
                };
                &two_way
            }
        };
        let d = [b, o, t];
        let at = |field: &str| format!("deals[{}].{field}", o.id);
        // Moved on both sides, differently: the side whose latest history
        // entry is newer decides; moved on one side: that side, as for any
        // value; the same day on both: a conflict.
        let position = |d: &Deal| (d.stage.clone(), d.outcome);
        let both_moved =
            position(o) != position(b) && position(t) != position(b) && position(o) != position(t);
        let latest = |d: &Deal| d.history.iter().map(|h| h.date).max();
        let newer = if both_moved {
            latest(o).cmp(&latest(t))
        } else {
            Ordering::Equal
        };
        let (stage, outcome) = match newer {
            Ordering::Greater => position(o),
            Ordering::Less => position(t),
            Ordering::Equal => (
                self.field(&at("stage"), d, |d| &d.stage),
                self.field(&at("outcome"), d, |d| &d.outcome),
            ),
        };
        let mut merged = Deal {
            id: o.id.clone(),
            stage,
            outcome,
            invoices: invoices(&b.invoices, &o.invoices, &t.invoices),
            history: history(&b.history, &o.history, &t.history),
            ..Deal::blank()
        };
        self.declared_into(&format!("deals[{}]", o.id), Deal::FIELDS, d, &mut merged);
        merged.extra = self.extra(&format!("deals[{}]", o.id), &b.extra, &o.extra, &t.extra);
        merged
    }

    /// Unknown keys of a map, merged key by key at any depth.
    fn extra(&mut self, prefix: &str, b: &Extra, o: &Extra, t: &Extra) -> Extra {
        let pairs = |m: &Extra| m.clone().into_iter().collect::<Vec<_>>();
        self.map(
            [&pairs(b), &pairs(o), &pairs(t)],
            String::clone,
            |m, key, [b, o, t]| m.value(&join(prefix, key), b, o, t),
        )
        .into_iter()
        .collect()
    }

    /// A value of an unknown key: maps on both sides merge key by key, any
    /// other value as a whole.
    fn value(
        &mut self,
        path: &str,
        b: Option<&Value>,
        o: Option<&Value>,
        t: Option<&Value>,
    ) -> Option<Value> {
        if let (Some(Value::Mapping(om)), Some(Value::Mapping(tm))) = (o, t)
            && o != t
            && b != o
            && b != t
        {
            let empty = Mapping::new();
            let bm = match b {
                Some(Value::Mapping(m)) => m,
                _ => &empty,
            };
            let pairs = |m: &Mapping| m.clone().into_iter().collect::<Vec<_>>();
            let merged = self.map(
                [&pairs(bm), &pairs(om), &pairs(tm)],
                key_text,
                |m, key, [b, o, t]| m.value(&join(path, &key_text(key)), b, o, t),
            );
            return Some(Value::Mapping(merged.into_iter().collect()));
        }
        self.leaf(path, &b.cloned(), &o.cloned(), &t.cloned())
    }

    /// Two maps merged key by key by `value` (None: the key is absent).
    /// When both sides changed the map, its keys keep the base's order and
    /// the keys either side added follow in byte order, so the result does
    /// not depend on which side is ours.
    fn map<K: Clone + PartialEq, V: Clone + PartialEq>(
        &mut self,
        [b, o, t]: [&[(K, V)]; 3],
        name: impl Fn(&K) -> String,
        mut value: impl FnMut(&mut Merger, &K, [Option<&V>; 3]) -> Option<V>,
    ) -> Vec<(K, V)> {
        if let Some(whole) = unchanged_side(b, o, t) {
            return whole;
        }
        fn get<'m, K: PartialEq, V>(m: &'m [(K, V)], k: &K) -> Option<&'m V> {
            m.iter().find(|(x, _)| x == k).map(|(_, v)| v)
        }
        let mut added: Vec<&K> = o
            .iter()
            .chain(t)
            .map(|(k, _)| k)
            .filter(|k| get(b, k).is_none())
            .collect();
        added.sort_by_cached_key(|k| name(k));
        added.dedup();
        let keys = b.iter().map(|(k, _)| k).chain(added);
        let mut out = Vec::new();
        for k in keys {
            if let Some(v) = value(self, k, [get(b, k), get(o, k), get(t, k)]) {
                out.push((k.clone(), v));
            }
        }
        out
    }
}

/// `prefix.key`, or `key` at the top.
fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => yaml_serde::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

/// A list that one side left as the base had it: the other side's list,
/// whole and in its order.
fn unchanged_side<T: Clone + PartialEq>(b: &[T], o: &[T], t: &[T]) -> Option<Vec<T>> {
    if o == t || b == t {
        Some(o.to_vec())
    } else if b == o {
        Some(t.to_vec())
    } else {
        None
    }
}

/// Lists of words as sets: the base's words that neither side removed, in
/// the base's order, then the words either side added, in byte order.
fn words(b: &[String], o: &[String], t: &[String]) -> Vec<String> {
    if let Some(whole) = unchanged_side(b, o, t) {
        return whole;
    }
    let mut out: Vec<String> = b
        .iter()
        .filter(|w| o.contains(w) && t.contains(w))
        .cloned()
        .collect();
    let mut added: Vec<&String> = o.iter().chain(t).filter(|w| !b.contains(w)).collect();
    added.sort_unstable();
    added.dedup();
    out.extend(added.into_iter().cloned());
    out
}

/// An entry of a list (an interaction, a task) as its fields: each key
/// with its lines as the canonical text writes them, less the entry's
/// indent. Two versions of a field are the same when their text is.
#[derive(Debug, Clone, PartialEq)]
struct Fields(Vec<(String, String)>);

/// The indent of an entry's fields in the canonical text: `  - ` before the
/// first, four spaces before the others and before their nested lines.
const ENTRY_INDENT: usize = 4;

impl Fields {
    fn of(text: &str) -> Fields {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let body = line.get(ENTRY_INDENT..).unwrap_or("");
            match fields.last_mut() {
                Some((_, lines)) if body.starts_with(' ') || body.is_empty() => {
                    lines.push_str(body);
                    lines.push('\n');
                }
                _ => fields.push((key_of(body).to_string(), format!("{body}\n"))),
            }
        }
        Fields(fields)
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The entry as the canonical text writes it (the reader puts its keys
    /// in order).
    fn text(&self) -> String {
        let mut out = String::new();
        for (n, line) in self.0.iter().flat_map(|(_, v)| v.lines()).enumerate() {
            out.push_str(if n == 0 { "  - " } else { "    " });
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// What a conflict calls the entry: the values of its first two fields
    /// (`2026-11-20 purchase`; a task's number and due date).
    fn label(&self) -> String {
        let value = |(k, v): &(String, String)| {
            let first = v.lines().next().unwrap_or("");
            first.get(k.len() + 1..).unwrap_or("").trim().to_string()
        };
        let parts: Vec<String> = self.0.iter().take(2).map(value).collect();
        parts.join(" ")
    }
}

/// The key of a field's first line: up to the colon that ends it, a quoted
/// key taken whole.
fn key_of(line: &str) -> &str {
    let end = match line.as_bytes().first() {
        Some(&q @ (b'\'' | b'"')) => {
            let mut i = 1;
            let bytes = line.as_bytes();
            while i < bytes.len() {
                if bytes[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            (i + 1).min(line.len())
        }
        _ => line.find(':').unwrap_or(line.len()),
    };
    &line[..end]
}

/// What one side did to a base entry.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Kept,
    Removed,
    /// Changed into this entry of the side.
    Changed(usize),
}

/// One side compared with the base: the fate of each base entry, and the
/// side's entries that are new.
struct Changes {
    fate: Vec<Fate>,
    added: Vec<usize>,
}

/// Past this many pairs of removed and added entries, only entries with the
/// same key are paired, and greedily: a side that rewrote thousands of
/// entries is not searched pair by pair.
const MAX_PAIRS: usize = 1 << 16;

/// The removed and added entries that are one entry changed: the pairing of
/// alike entries whose likeness (a weight) adds up to the most
/// (Kuhn–Munkres), so that an entry alike to two others goes to the one
/// that has no better match.
fn pairs(
    removed: &[usize],
    added: &[usize],
    likeness: impl Fn(usize, usize) -> Option<i64>,
) -> Vec<(usize, usize)> {
    if removed.is_empty() || added.is_empty() {
        return Vec::new();
    }
    if removed.len().saturating_mul(added.len()) > MAX_PAIRS {
        let mut out = Vec::new();
        let mut taken = vec![false; added.len()];
        for &i in removed {
            let free = (0..added.len()).find(|&k| !taken[k] && likeness(i, added[k]).is_some());
            if let Some(k) = free {
                taken[k] = true;
                out.push((i, added[k]));
            }
        }
        return out;
    }
    // Rows must not outnumber columns: the shorter list gives the rows.
    let flip = removed.len() > added.len();
    let (rows, columns) = if flip {
        (added, removed)
    } else {
        (removed, added)
    };
    let like = |r: usize, c: usize| {
        let (i, j) = if flip {
            (columns[c], rows[r])
        } else {
            (rows[r], columns[c])
        };
        likeness(i, j)
    };
    let mut weights = pathfinding::matrix::Matrix::new(rows.len(), columns.len(), 0i64);
    for r in 0..rows.len() {
        for c in 0..columns.len() {
            weights[(r, c)] = like(r, c).unwrap_or(0);
        }
    }
    let (_, assigned) = pathfinding::kuhn_munkres::kuhn_munkres(&weights);
    assigned
        .into_iter()
        .enumerate()
        .filter(|&(r, c)| like(r, c).is_some())
        .map(|(r, c)| {
            if flip {
                (columns[c], rows[r])
            } else {
                (rows[r], columns[c])
            }
        })
        .collect()
}

impl Changes {
    /// `other`: the other side's changes, when known. Of two base entries
    /// equally alike to an added one (two purchases of one day and amount,
    /// one removed and the other edited), the one the other side changed
    /// is taken first, then one it kept, so that the merge is clean when
    /// one reading of the side's edit allows it.
    fn of<'f>(
        base: &'f [Fields],
        side: &'f [Fields],
        key: Option<&str>,
        other: Option<&Changes>,
    ) -> Changes {
        let mut fate = vec![Fate::Removed; base.len()];
        let mut unmatched: HashMap<&Fields, Vec<usize>> = HashMap::new();
        for (j, f) in side.iter().enumerate().rev() {
            unmatched.entry(f).or_default().push(j);
        }
        let mut taken = vec![false; side.len()];
        for (i, f) in base.iter().enumerate() {
            if let Some(j) = unmatched.get_mut(f).and_then(Vec::pop) {
                fate[i] = Fate::Kept;
                taken[j] = true;
            }
        }
        let removed: Vec<usize> = (0..base.len())
            .filter(|&i| fate[i] == Fate::Removed)
            .collect();
        let added: Vec<usize> = (0..side.len()).filter(|&j| !taken[j]).collect();
        let search = removed.len().saturating_mul(added.len()) <= MAX_PAIRS;
        let key_of = |f: &'f Fields| key.and_then(|k| f.get(k));
        let likeness = |i: usize, j: usize| {
            let like = match (key_of(&base[i]), key_of(&side[j])) {
                (Some(a), Some(b)) if a == b => Some(Likeness::SameKey),
                (Some(_), Some(_)) => None,
                _ if search => Likeness::of(&base[i], &side[j]),
                _ => None,
            };
            let tie_break = match other.map(|o| o.fate[i]) {
                Some(Fate::Changed(_)) => 2,
                Some(Fate::Kept) => 1,
                _ => 0,
            };
            like.map(|l| l.weight() * 4 + tie_break)
        };
        for (i, j) in pairs(&removed, &added, likeness) {
            fate[i] = Fate::Changed(j);
            taken[j] = true;
        }
        let added = added.into_iter().filter(|&j| !taken[j]).collect();
        Changes { fate, added }
    }
}

/// How alike a removed and an added entry are, when alike enough to be one
/// entry changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Likeness {
    /// `same` of `all` fields equal (all: the keys either holds).
    Fields {
        same: usize,
        all: usize,
    },
    SameKey,
}

impl Likeness {
    fn of(a: &Fields, b: &Fields) -> Option<Likeness> {
        let same = a.0.iter().filter(|(k, v)| b.get(k) == Some(v)).count();
        let only_b = b.0.iter().filter(|(k, _)| a.get(k).is_none()).count();
        let all = a.0.len() + only_b;
        (same >= 1 && 2 * same >= all).then_some(Likeness::Fields { same, all })
    }

    /// The likeness as a weight for the pairing: the share of equal fields
    /// in thousandths, a shared key above any share.
    fn weight(self) -> i64 {
        match self {
            Likeness::SameKey => 1_000_000,
            Likeness::Fields { same, all } => (same * 1000 / all) as i64,
        }
    }
}

impl std::hash::Hash for Fields {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Eq for Fields {}

/// Tasks and interactions from their merged canonical texts, read as the
/// record reader reads them.
fn read_entries(
    tasks: &[String],
    interactions: &[String],
) -> Result<(Vec<Task>, Vec<Interaction>), String> {
    let mut text = String::from("name: x\n");
    for (key, list) in [("tasks", tasks), ("interactions", interactions)] {
        if !list.is_empty() {
            text.push_str(key);
            text.push_str(":\n");
            list.iter().for_each(|e| text.push_str(e));
        }
    }
    let r = parse_record(text.as_bytes(), "", &Schema::default())
        .map_err(|e| format!("the merged entries do not read as entries ({e})"))?;
    Ok((r.tasks, r.interactions))
}

/// A deal's history: a multiset too, kept oldest first. Entries of one day
/// keep their order within their side (a stage reached, then the deal won).
fn history(b: &[HistoryEntry], o: &[HistoryEntry], t: &[HistoryEntry]) -> Vec<HistoryEntry> {
    unchanged_side(b, o, t).unwrap_or_else(|| {
        let mut merged = multiset(b, o, t, HistoryEntry::canonical_text);
        merged.sort_by_key(|h| h.date);
        merged
    })
}

/// A deal's invoices merge as its history does: as multisets, in date
/// order (then number).
fn invoices(b: &[Invoice], o: &[Invoice], t: &[Invoice]) -> Vec<Invoice> {
    unchanged_side(b, o, t).unwrap_or_else(|| {
        let mut merged = multiset(b, o, t, Invoice::canonical_text);
        merged.sort_by_key(|i| (i.date, i.no));
        merged
    })
}

/// Each distinct entry, by `text`, appears as often as both sides agree on,
/// else ours + theirs − base times (at least zero). The entries come in the
/// order of one side followed by the other's further copies; the side whose
/// texts sort first goes first, so the result is the same either way round.
fn multiset<T: Clone>(b: &[T], o: &[T], t: &[T], text: impl Fn(&T) -> String) -> Vec<T> {
    let texts = |list: &[T]| list.iter().map(&text).collect::<Vec<_>>();
    let (bt, ot, tt) = (texts(b), texts(o), texts(t));
    let mut copies: HashMap<&str, [usize; 3]> = HashMap::new();
    for (side, list) in [&bt, &ot, &tt].into_iter().enumerate() {
        for s in list {
            copies.entry(s).or_default()[side] += 1;
        }
    }
    let mut wanted: HashMap<&str, usize> = copies
        .into_iter()
        .map(|(s, [b, o, t])| (s, if o == t { o } else { (o + t).saturating_sub(b) }))
        .collect();
    let (first, second) = if ot <= tt {
        ((o, &ot), (t, &tt))
    } else {
        ((t, &tt), (o, &ot))
    };
    let mut out = Vec::new();
    let candidates = first
        .0
        .iter()
        .zip(first.1)
        .chain(second.0.iter().zip(second.1));
    for (item, s) in candidates {
        if let Some(n) = wanted.get_mut(s.as_str())
            && *n > 0
        {
            *n -= 1;
            out.push(item.clone());
        }
    }
    out
}

/// `ours` with git's conflict markers around the lines where `theirs`
/// differs from it.
fn with_markers(ours: &str, theirs: &str) -> String {
    let a: Vec<&str> = ours.lines().collect();
    let b: Vec<&str> = theirs.lines().collect();
    let mut out = String::with_capacity(ours.len() + theirs.len() / 8 + 64);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut pending: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let flush = |out: &mut String, pending: &mut Option<_>| {
        if let Some((x, y)) = pending.take() {
            let (x, y): (std::ops::Range<usize>, std::ops::Range<usize>) = (x, y);
            out.push_str("<<<<<<< ours\n");
            push_lines(out, &a[x]);
            out.push_str("=======\n");
            push_lines(out, &b[y]);
            out.push_str(">>>>>>> theirs\n");
        }
    };
    for op in ops {
        let (tag, x, y) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            flush(&mut out, &mut pending);
            push_lines(&mut out, &a[x]);
        } else {
            pending = Some(match pending {
                Some((px, py)) => (px.start..x.end, py.start..y.end),
                None => (x, y),
            });
        }
    }
    flush(&mut out, &mut pending);
    out
}

fn push_lines(out: &mut String, lines: &[&str]) {
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::record::{Schema, emit_record, parse_record};

    fn rec(yaml: &str) -> Record {
        parse_record(yaml.as_bytes(), "", &Schema::default()).expect("test record parses")
    }

    /// The merged text: canonical on a clean merge, with markers otherwise.
    fn merged(base: &str, ours: &str, theirs: &str) -> String {
        let base = (!base.is_empty()).then(|| rec(base));
        match merge(base.as_ref(), &rec(ours), &rec(theirs)) {
            Merged::Clean(r) => emit_record(&r),
            Merged::Conflict { text, .. } => text,
            Merged::Unreadable(why) => panic!("{why}"),
        }
    }

    fn conflicts(base: &str, ours: &str, theirs: &str) -> Vec<String> {
        match merge(Some(&rec(base)), &rec(ours), &rec(theirs)) {
            Merged::Clean(_) => Vec::new(),
            Merged::Conflict { fields, .. } => fields,
            Merged::Unreadable(why) => panic!("{why}"),
        }
    }

    const BASE: &str = "name: Acme\ninteractions:\n  - date: 2026-11-01\n    kind: call\n";

    #[test]
    fn calls_logged_on_both_sides_are_both_kept_in_date_order() {
        let ours = format!("{BASE}  - date: 2026-11-20\n    kind: call\n    by: li\n");
        let theirs = format!("{BASE}  - date: 2026-11-03\n    kind: email\n");
        assert_eq!(
            merged(BASE, &ours, &theirs),
            "name: Acme\ninteractions:\n  - date: 2026-11-01\n    kind: call\n  \
             - date: 2026-11-03\n    kind: email\n  - date: 2026-11-20\n    kind: call\n    by: li\n"
        );
    }

    #[test]
    fn an_entry_removed_or_changed_on_one_side_is_removed_or_changed() {
        let removed = "name: Acme\n";
        let added = format!("{BASE}  - date: 2026-11-02\n    kind: visit\n");
        assert_eq!(
            merged(BASE, removed, &added),
            "name: Acme\ninteractions:\n  - date: 2026-11-02\n    kind: visit\n"
        );
        let changed = BASE.replace("kind: call", "kind: visit");
        assert_eq!(merged(BASE, &changed, BASE), changed);
    }

    /// The golden file sets every field the record has: written on one
    /// side over a bare record, the merge keeps all of it. A field added to
    /// `Record` (and to the golden file) without a merge rule fails here.
    #[test]
    fn every_field_changed_on_one_side_is_kept() {
        let all = include_str!("../docs/canonical.yaml");
        let bare = "id: 杭州星河贸易有限公司\nname: 杭州星河贸易有限公司\n";
        assert_eq!(merged(bare, all, bare), all);
        assert_eq!(merged(bare, bare, all), all);
    }

    #[test]
    fn a_task_done_on_one_side_is_done() {
        let base = "name: Acme\ntasks:\n  - due: 2026-11-30\n    what: Send the contract\n";
        let done = format!("{base}    done: 2026-11-29\n");
        let other = format!("{base}  - due: 2026-12-05\n    what: Call back\n");
        assert_eq!(
            merged(base, &done, &other),
            "name: Acme\ntasks:\n  - due: 2026-11-30\n    what: Send the contract\n    done: 2026-11-29\n  \
             - due: 2026-12-05\n    what: Call back\n"
        );
    }

    #[test]
    fn copies_of_an_entry_add_up_unless_both_sides_agree() {
        let call = "  - date: 2026-11-20\n    kind: call\n";
        // Both sides added the same call (an import run twice): one call.
        let both = format!("{BASE}{call}");
        assert_eq!(merged(BASE, &both, &both), both);
        // Ours logged the call twice, theirs once: 2 + 1 − 0 = 3 copies.
        let twice = format!("{BASE}{call}{call}");
        assert_eq!(
            merged(BASE, &twice, &both),
            format!("{BASE}{call}{call}{call}")
        );
        // Ours removed the base call, theirs added a copy of it: 0 + 2 − 1 = 1.
        let copy = format!("{BASE}  - date: 2026-11-01\n    kind: call\n");
        assert_eq!(merged(BASE, "name: Acme\n", &copy), BASE);
    }

    #[test]
    fn fields_changed_on_different_sides_both_apply() {
        let ours = BASE.replace("name: Acme\n", "name: Acme\nowner: li\n");
        let theirs = BASE.replace(
            "name: Acme\n",
            "name: Acme\ncontact:\n  email: a@x.example\n",
        );
        assert_eq!(
            merged(BASE, &ours, &theirs),
            BASE.replace(
                "name: Acme\n",
                "name: Acme\nowner: li\ncontact:\n  email: a@x.example\n"
            )
        );
    }

    #[test]
    fn a_field_changed_alike_on_both_sides_is_no_conflict() {
        let ours = BASE.replace("Acme", "Acme Ltd");
        assert_eq!(merged(BASE, &ours, &ours), ours);
    }

    #[test]
    fn a_field_changed_differently_is_a_conflict_marked_around_that_key_only() {
        let base =
            "name: Acme\nowner: li\nsource: web\ncontact:\n  email: a@x.example\n  phone: '1'\n";
        let ours = base
            .replace("li", "wang")
            .replace("phone: '1'", "phone: '2'");
        let theirs = base.replace("li", "zhao").replace("a@x", "b@x");
        assert_eq!(
            merged(base, &ours, &theirs),
            "name: Acme\n<<<<<<< ours\nowner: wang\n=======\nowner: zhao\n>>>>>>> theirs\n\
             source: web\ncontact:\n  email: b@x.example\n  phone: '2'\n"
        );
        assert_eq!(conflicts(base, &ours, &theirs), ["owner"]);
    }

    #[test]
    fn removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
        let base = "name: Acme\nowner: li\nsource: web\n";
        let ours = "name: Acme\nsource: web\n";
        let theirs = base.replace("li", "zhao");
        assert_eq!(
            merged(base, ours, &theirs),
            "name: Acme\n<<<<<<< ours\n=======\nowner: zhao\n>>>>>>> theirs\nsource: web\n"
        );
    }

    #[test]
    fn unknown_keys_merge_at_any_depth() {
        let base = "name: Acme\nerp:\n  code: 7\n  region: east\n";
        let ours = base.replace("code: 7", "code: 8");
        let theirs = base
            .replace("east", "west")
            .replace("name: Acme\n", "name: Acme\nvat: X1\n");
        assert_eq!(
            merged(base, &ours, &theirs),
            "name: Acme\nerp:\n  code: 8\n  region: west\nvat: X1\n"
        );
        let clash = base.replace("code: 7", "code: 9");
        assert_eq!(conflicts(base, &ours, &clash), ["erp.code"]);
        assert_eq!(
            merged(base, &ours, &clash),
            "name: Acme\nerp:\n<<<<<<< ours\n  code: 8\n=======\n  code: 9\n>>>>>>> theirs\n  region: east\n"
        );
    }

    #[test]
    fn social_accounts_merge_by_name() {
        let base = "name: Acme\ncontact:\n  social:\n    wechat: a\n";
        let ours = format!("{base}    qq: '1'\n");
        let theirs = format!("{base}    line: b\n");
        assert_eq!(
            merged(base, &ours, &theirs),
            "name: Acme\ncontact:\n  social:\n    wechat: a\n    line: b\n    qq: '1'\n"
        );
    }

    #[test]
    fn tags_added_on_both_sides_are_all_kept() {
        let base = "name: Acme\ntags: [b, a]\n";
        let ours = "name: Acme\ntags: [b, a, z]\n";
        let theirs = "name: Acme\ntags: [b, c]\n";
        // a removed by theirs; z and c added.
        assert_eq!(merged(base, ours, theirs), "name: Acme\ntags: [b, c, z]\n");
        assert_eq!(merged(base, theirs, ours), "name: Acme\ntags: [b, c, z]\n");
    }

    const DEAL: &str = "name: Acme\ndeals:\n  - id: erp\n    stage: needs\n    history:\n      \
                        - {stage: met, date: 2026-03-02}\n      - {stage: needs, date: 2026-03-10}\n";

    #[test]
    fn a_deal_follows_the_side_with_the_newer_history() {
        let advanced = DEAL.replace("stage: needs\n", "stage: proposal\n")
            + "      - {stage: proposal, date: 2026-04-01}\n";
        let logged =
            format!("{DEAL}interactions:\n  - date: 2026-04-02\n    kind: call\n    deal: erp\n");
        let expected = format!(
            "{advanced}interactions:\n  - date: 2026-04-02\n    kind: call\n    deal: erp\n"
        );
        assert_eq!(merged(DEAL, &advanced, &logged), expected);
        assert_eq!(merged(DEAL, &logged, &advanced), expected);
    }

    #[test]
    fn deal_histories_merge_and_the_newest_side_sets_stage_and_outcome() {
        let advanced = DEAL.replace("stage: needs\n", "stage: proposal\n")
            + "      - {stage: proposal, date: 2026-04-01}\n";
        let lost = DEAL.replace(
            "stage: needs\n",
            "stage: needs\n    outcome: lost\n    lost_reason: price\n",
        ) + "      - {outcome: lost, date: 2026-04-05}\n";
        assert_eq!(
            merged(DEAL, &advanced, &lost),
            "name: Acme\ndeals:\n  - id: erp\n    stage: needs\n    outcome: lost\n    lost_reason: price\n    history:\n      \
             - {stage: met, date: 2026-03-02}\n      - {stage: needs, date: 2026-03-10}\n      \
             - {stage: proposal, date: 2026-04-01}\n      - {outcome: lost, date: 2026-04-05}\n"
        );
    }

    #[test]
    fn a_deal_moved_differently_on_the_same_day_is_a_conflict() {
        let to = |stage: &str| {
            DEAL.replace("stage: needs\n", &format!("stage: {stage}\n"))
                + &format!("      - {{stage: {stage}, date: 2026-04-01}}\n")
        };
        assert_eq!(
            conflicts(DEAL, &to("proposal"), &to("commitment")),
            ["deals[erp].stage"]
        );
    }

    #[test]
    fn a_deal_removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
        let titled = DEAL.replace("stage: needs\n", "title: ERP\n    stage: needs\n");
        assert_eq!(conflicts(DEAL, "name: Acme\n", &titled), ["deals[erp]"]);
        assert_eq!(merged(DEAL, "name: Acme\n", DEAL), "name: Acme\n");
    }

    #[test]
    fn without_a_base_entries_on_both_sides_are_kept_once() {
        let ours = format!("{BASE}  - date: 2026-11-02\n    kind: visit\n");
        let theirs = format!("{BASE}  - date: 2026-11-03\n    kind: email\n");
        assert_eq!(
            merged("", &ours, &theirs),
            format!("{ours}  - date: 2026-11-03\n    kind: email\n")
        );
        let other_name = theirs.replace("Acme", "ACME");
        assert!(
            merged("", &ours, &other_name)
                .contains("<<<<<<< ours\nname: Acme\n=======\nname: ACME\n")
        );
    }

    #[test]
    fn the_id_key_is_kept_whatever_the_file_is_called() {
        let base = format!("id: acme\n{BASE}");
        assert_eq!(merged(&base, &base, &base), base);
    }

    #[test]
    fn markers_go_around_the_differing_lines_only() {
        assert_eq!(
            with_markers("x\na\nb\ny\n", "x\nb\nz\ny\n"),
            "x\n<<<<<<< ours\na\n=======\n>>>>>>> theirs\nb\n<<<<<<< ours\n=======\nz\n>>>>>>> theirs\ny\n"
        );
    }

    const PURCHASE: &str = "name: Acme\ninteractions:\n  - date: 2026-11-20\n    kind: purchase\n    \
                            summary: Big order\n    amount: 1200.00\n";

    #[test]
    fn an_entry_edited_on_both_sides_is_one_entry_with_both_edits() {
        let amount = PURCHASE.replace("1200.00", "1500.00");
        let summary = PURCHASE.replace("Big order", "Big order (invoice 42)");
        let both = "name: Acme\ninteractions:\n  - date: 2026-11-20\n    kind: purchase\n    \
                    summary: Big order (invoice 42)\n    amount: 1500.00\n";
        assert_eq!(merged(PURCHASE, &amount, &summary), both);
        assert_eq!(merged(PURCHASE, &summary, &amount), both);
        // Edited alike on both sides: one change.
        assert_eq!(merged(PURCHASE, &amount, &amount), amount);
        // A field added on one side (a rating), another changed on the other.
        let rated = format!("{PURCHASE}    rating: 4\n");
        assert_eq!(
            merged(PURCHASE, &rated, &amount),
            format!("{amount}    rating: 4\n")
        );
    }

    #[test]
    fn one_field_changed_differently_is_a_conflict_on_that_entry_only() {
        let base = format!("{PURCHASE}  - date: 2026-11-21\n    kind: call\n");
        let ours = base
            .replace("1200.00", "1500.00")
            .replace("kind: call", "kind: visit");
        let theirs = base.replace("1200.00", "1300.00");
        assert_eq!(
            conflicts(&base, &ours, &theirs),
            ["interactions[2026-11-20 purchase].amount"]
        );
        assert_eq!(
            merged(&base, &ours, &theirs),
            "name: Acme\ninteractions:\n  - date: 2026-11-20\n    kind: purchase\n    \
             summary: Big order\n<<<<<<< ours\n    amount: 1500.00\n=======\n    amount: 1300.00\n\
             >>>>>>> theirs\n  - date: 2026-11-21\n    kind: visit\n"
        );
    }

    #[test]
    fn an_entry_removed_on_one_side_and_edited_on_the_other_is_a_conflict() {
        let edited = PURCHASE.replace("1200.00", "1500.00");
        assert_eq!(
            conflicts(PURCHASE, "name: Acme\n", &edited),
            ["interactions[2026-11-20 purchase]"]
        );
        assert_eq!(
            merged(PURCHASE, "name: Acme\n", &edited),
            format!(
                "name: Acme\n<<<<<<< ours\n=======\n{}>>>>>>> theirs\n",
                &edited["name: Acme\n".len()..]
            )
        );
    }

    #[test]
    fn a_task_done_on_one_side_and_redated_on_the_other_is_one_task() {
        for numbered in ["", "  - number: 1\n    due: 2026-11-30\n"] {
            let base = if numbered.is_empty() {
                "name: Acme\ntasks:\n  - due: 2026-11-30\n    what: Send the contract\n".to_string()
            } else {
                format!("name: Acme\ntasks:\n{numbered}    what: Send the contract\n")
            };
            let done = format!("{base}    done: 2026-11-29\n");
            let redated = base.replace("2026-11-30", "2026-12-04");
            let expected = format!("{redated}    done: 2026-11-29\n");
            assert_eq!(merged(&base, &done, &redated), expected);
            assert_eq!(merged(&base, &redated, &done), expected);
        }
    }

    #[test]
    fn a_numbered_task_stays_itself_whatever_changes() {
        let base = "name: Acme\ntasks:\n  - number: 3\n    due: 2026-11-30\n    what: Send it\n";
        let rewritten = base
            .replace("2026-11-30", "2026-12-09")
            .replace("Send it", "Post the signed copy");
        let done = format!("{base}    done: 2026-11-29\n");
        assert_eq!(
            merged(base, &rewritten, &done),
            format!("{rewritten}    done: 2026-11-29\n")
        );
        // Two different tasks given the same number on each side are both kept.
        let ours = format!("{base}  - number: 4\n    due: 2026-12-01\n    what: Call\n");
        let theirs = format!("{base}  - number: 4\n    due: 2026-12-02\n    what: Visit\n");
        assert_eq!(
            merged(base, &ours, &theirs),
            format!("{ours}  - number: 4\n    due: 2026-12-02\n    what: Visit\n")
        );
    }

    #[test]
    fn fields_split_at_their_keys_and_join_back() {
        let text = "  - date: 2026-11-20\n    kind: call\n    'a: b': x\n    erp:\n      code: 7\n";
        let f = Fields::of(text);
        let keys: Vec<&str> = f.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["date", "kind", "'a: b'", "erp"]);
        assert_eq!(f.get("erp"), Some("erp:\n  code: 7\n"));
        assert_eq!(f.text(), text);
        assert_eq!(f.label(), "2026-11-20 call");
    }

    /// What one side does to a purchase of the base.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Edit {
        Keep,
        Remove,
        Amount(u8),
        Summary(u8),
        Date(u8),
        Rating(u8),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            3 => Just(Edit::Keep),
            1 => Just(Edit::Remove),
            1 => (0..3u8).prop_map(Edit::Amount),
            1 => (0..3u8).prop_map(Edit::Summary),
            1 => (0..3u8).prop_map(Edit::Date),
            1 => (0..3u8).prop_map(Edit::Rating),
        ]
    }

    fn purchase(day_of: u32, summary: String, cents: u32) -> Interaction {
        let mut it = Interaction::new(crate::date::When::day(day(day_of)), "purchase");
        it.summary = Some(summary);
        it.amount = Some(crate::money::Money::from_cents(i128::from(cents)));
        it
    }

    /// The field an edit changes, and its new value applied to `it`.
    fn apply(it: &mut Interaction, e: Edit) -> Option<&'static str> {
        match e {
            Edit::Keep | Edit::Remove => return None,
            Edit::Amount(v) => {
                it.amount = Some(crate::money::Money::from_cents(i128::from(v) * 100 + 7))
            }
            Edit::Summary(v) => it.summary = Some(format!("edited {v}")),
            Edit::Date(v) => it.date = crate::date::When::day(day(25 + u32::from(v))),
            Edit::Rating(v) => it.rating = Some(1 + v),
        }
        Some(match e {
            Edit::Amount(_) => "amount",
            Edit::Summary(_) => "summary",
            Edit::Date(_) => "date",
            _ => "rating",
        })
    }

    fn revenue(r: &Record) -> i128 {
        r.interactions
            .iter()
            .filter_map(|i| i.amount)
            .map(|m| m.cents())
            .sum()
    }

    fn sorted_texts(list: &[Interaction]) -> Vec<String> {
        let mut texts: Vec<String> = list.iter().map(Interaction::canonical_text).collect();
        texts.sort();
        texts
    }

    proptest! {
        /// Random purchases edited at random on both sides (several of one
        /// amount included; each on its own day, so that no two differ in
        /// one field only, which no reading of the files could tell from
        /// one removed and the other edited): every purchase is merged
        /// once with both sides' edits, none is duplicated or lost, what
        /// either side added is kept, and revenue is what the edits imply;
        /// the merge conflicts exactly when both sides changed one field
        /// differently, or one removed a purchase the other changed.
        #[test]
        fn edited_entries_stay_single_and_revenue_adds_up(
            base in proptest::collection::vec(1..4u32, 0..7),
            edits in proptest::collection::vec((edit(), edit()), 7),
            ours_added in proptest::collection::vec(1..4u32, 0..3),
            theirs_added in proptest::collection::vec(1..4u32, 0..3),
        ) {
            let base: Vec<Interaction> = base
                .iter()
                .enumerate()
                .map(|(i, &a)| purchase(1 + i as u32, format!("item {i}"), a * 10_000))
                .collect();
            let mut records = [Record::new("", "Acme"), Record::new("", "Acme"), Record::new("", "Acme")];
            records[0].interactions = base.clone();
            let mut expected = Vec::new();
            let mut conflict = false;
            for (i, b) in base.iter().enumerate() {
                let (eo, et) = edits[i];
                let (mut o, mut t) = (b.clone(), b.clone());
                let (fo, ft) = (apply(&mut o, eo), apply(&mut t, et));
                if eo != Edit::Remove {
                    records[1].interactions.push(o.clone());
                }
                if et != Edit::Remove {
                    records[2].interactions.push(t.clone());
                }
                match (eo, et) {
                    (Edit::Remove, Edit::Remove | Edit::Keep) | (Edit::Keep, Edit::Remove) => {}
                    (Edit::Remove, _) | (_, Edit::Remove) => conflict = true,
                    _ if fo.is_some() && fo == ft && o != t => conflict = true,
                    _ => {
                        let mut m = o.clone();
                        apply(&mut m, et);
                        expected.push(m);
                    }
                }
            }
            for (side, added) in [(1, &ours_added), (2, &theirs_added)] {
                for (k, &a) in added.iter().enumerate() {
                    let it = purchase(20 + u32::from(k as u8), format!("added {side} {k}"), a * 333);
                    records[side].interactions.push(it.clone());
                    expected.push(it);
                }
            }
            let [b, o, t] = &records;
            match merge(Some(b), o, t) {
                Merged::Clean(m) => {
                    prop_assert!(!conflict, "a clean merge where a conflict was due");
                    prop_assert_eq!(sorted_texts(&m.interactions), sorted_texts(&expected));
                    let mut want = Record::new("", "Acme");
                    want.interactions = expected;
                    prop_assert_eq!(revenue(&m), revenue(&want));
                }
                Merged::Conflict { fields, .. } => {
                    prop_assert!(conflict, "an unexpected conflict on {:?}", fields)
                }
                Merged::Unreadable(why) => prop_assert!(false, "{}", why),
            }
        }
    }

    // Property tests on small records built from a few choices per field, so
    // that sides often agree and merges are often clean.

    fn day(d: u32) -> crate::date::Date {
        crate::date::Date::from_ymd_opt(2026, 11, d).expect("valid day")
    }

    fn interaction(i: u8) -> Interaction {
        let mut it = Interaction::new(
            crate::date::When::day(day(1 + u32::from(i % 4))),
            ["call", "email", "visit"][usize::from(i % 3)],
        );
        it.summary = (i >= 6).then(|| format!("note {i}"));
        it
    }

    fn record_from(
        owner: u8,
        tags: u8,
        interactions: &[u8],
        tasks: &[(u8, bool)],
        deal: Option<(u8, Vec<u8>)>,
        extra: u8,
    ) -> Record {
        const STAGES: [&str; 3] = ["met", "needs", "proposal"];
        let mut r = Record::new("", "Acme");
        r.owner = [None, Some("li"), Some("wang")][usize::from(owner % 3)].map(String::from);
        r.tags = ["a", "b", "c"]
            .iter()
            .enumerate()
            .filter(|(i, _)| tags & (1 << i) != 0)
            .map(|(_, t)| t.to_string())
            .collect();
        r.interactions = interactions.iter().copied().map(interaction).collect();
        r.tasks = tasks
            .iter()
            .map(|&(due, done)| Task {
                number: None,
                due: day(10 + u32::from(due)),
                what: format!("task {due}"),
                done: done.then(|| day(20)),
                extra: Extra::new(),
            })
            .collect();
        if let Some((stage, mut steps)) = deal {
            steps.sort_unstable();
            r.deals.push(Deal {
                id: "erp".into(),
                title: None,
                value: None,
                stage: STAGES[usize::from(stage % 3)].into(),
                outcome: None,
                lost_reason: None,
                competitor: None,
                close: None,
                terms: None,
                invoices: Vec::new(),
                history: steps
                    .iter()
                    .map(|&s| HistoryEntry {
                        stage: Some(STAGES[usize::from(s % 3)].into()),
                        outcome: None,
                        date: day(1 + u32::from(s)),
                        extra: Extra::new(),
                    })
                    .collect(),
                extra: Extra::new(),
            });
        }
        let nested = |pairs: &[(&str, &str)]| {
            Value::Mapping(
                pairs
                    .iter()
                    .map(|(k, v)| (Value::from(*k), Value::from(*v)))
                    .collect(),
            )
        };
        let x = match extra % 4 {
            0 => None,
            1 => Some(Value::from("one")),
            2 => Some(nested(&[("p", "1")])),
            _ => Some(nested(&[("p", "2"), ("q", "3")])),
        };
        r.extra.extend(x.map(|v| ("x".to_string(), v)));
        r
    }

    prop_compose! {
        fn arb_record()(
            owner in 0..3u8,
            tags in 0..8u8,
            interactions in proptest::collection::vec(0..10u8, 0..5),
            tasks in proptest::collection::vec((0..3u8, any::<bool>()), 0..3),
            deal in proptest::option::of((0..3u8, proptest::collection::vec(0..4u8, 0..3))),
            extra in 0..4u8,
        ) -> Record {
            record_from(owner, tags, &interactions, &tasks, deal, extra)
        }
    }

    fn text_of(m: Merged) -> Result<String, Vec<String>> {
        match m {
            Merged::Clean(r) => Ok(emit_record(&r)),
            Merged::Conflict { fields, .. } => Err(fields),
            Merged::Unreadable(why) => Err(vec![why]),
        }
    }

    proptest! {
        #[test]
        fn merging_with_itself_or_an_unchanged_base_changes_nothing(
            base in arb_record(),
            a in arb_record(),
        ) {
            let a_text = emit_record(&a);
            prop_assert_eq!(text_of(merge(Some(&a), &a, &a)), Ok(a_text.clone()));
            prop_assert_eq!(text_of(merge(Some(&base), &a, &a)), Ok(a_text.clone()));
            prop_assert_eq!(text_of(merge(Some(&base), &a, &base)), Ok(a_text.clone()));
            prop_assert_eq!(text_of(merge(Some(&base), &base, &a)), Ok(a_text.clone()));
            prop_assert_eq!(text_of(merge(None, &a, &a)), Ok(a_text));
        }

        #[test]
        fn merging_is_symmetric_and_canonical(
            base in arb_record(),
            a in arb_record(),
            b in arb_record(),
        ) {
            let ab = text_of(merge(Some(&base), &a, &b));
            let ba = text_of(merge(Some(&base), &b, &a));
            prop_assert_eq!(&ab, &ba);
            if let Ok(text) = ab {
                let again = parse_record(text.as_bytes(), "", &Schema::default());
                prop_assert_eq!(again.map(|r| emit_record(&r)), Ok(text));
            }
        }
    }
}

//! The three-way merge of one customer record, behind `kith merge-file` (the
//! git merge driver). Pure: three records in, a record or a conflicted text
//! out.
//!
//! The rules (SPEC section 6, "Merging"; docs/git.md explains them to users):
//! - interactions, tasks and a deal's history merge as multisets of entries,
//!   an entry being its canonical text. How many copies of an entry there are
//!   merges three-way like any value, and when both sides changed that number
//!   differently the changes add up: ours + theirs − base, at least zero. So a
//!   call logged on each side is kept, an entry removed or changed on one side
//!   is removed or changed, a task done on one side is done, and the same
//!   entry added on both sides (an import run on two laptops) is kept once.
//! - deals match by id; when both sides moved a deal (stage or outcome)
//!   differently, it follows the side whose latest history entry is newer (of
//!   the same day: a conflict); moved on one side, it follows that side.
//! - every other value merges three-way at any depth: taken from the side that
//!   changed it; maps key by key; lists of words (tags, hobbies, groups) as
//!   sets. A value changed differently on both sides is a conflict.
//!
//! A conflict is shown by merging twice, once taking our side of every
//! conflict and once theirs: the two canonical texts differ only there, so a
//! line diff of them puts the git markers around the conflicting keys only.

use std::cmp::Ordering;
use std::collections::HashMap;

use yaml_serde::{Mapping, Value};

use crate::record::{Contact, Deal, Extra, HistoryEntry, Interaction, Profile, Record, Task};

/// What merging one record gives.
#[derive(Debug)]
pub enum Merged {
    /// The merged record, its lists in canonical order.
    Clean(Box<Record>),
    /// The canonical text with git conflict markers around each conflict, and
    /// the conflicting fields (`owner`, `contact.email`, `deals[erp].title`).
    Conflict { text: String, fields: Vec<String> },
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
    let mut left = taking_ours.record(base, ours, theirs);
    left.sort_lists();
    if taking_ours.conflicts.is_empty() {
        return Merged::Clean(Box::new(left));
    }
    let right = Merger::new(Side::Theirs).record(base, ours, theirs);
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

    fn record(&mut self, b: &Record, o: &Record, t: &Record) -> Record {
        let r = [b, o, t];
        let id_of = |r: &Record| (r.id_key, r.id.clone());
        let (id_key, id) = self.leaf("id", &id_of(b), &id_of(o), &id_of(t));
        // No `..`: a field added to Record must be given a merge rule here.
        Record {
            id,
            id_key,
            name: self.field("name", r, |r| &r.name),
            kind: self.field("kind", r, |r| &r.kind),
            owner: self.field("owner", r, |r| &r.owner),
            source: self.field("source", r, |r| &r.source),
            tier: self.field("tier", r, |r| &r.tier),
            relationship: self.field("relationship", r, |r| &r.relationship),
            tags: words(&b.tags, &o.tags, &t.tags),
            contact: self.contact([&b.contact, &o.contact, &t.contact]),
            profile: self.profile([&b.profile, &o.profile, &t.profile]),
            acquisition_cost: self.field("acquisition_cost", r, |r| &r.acquisition_cost),
            deals: self.deals(&b.deals, &o.deals, &t.deals),
            tasks: entries(&b.tasks, &o.tasks, &t.tasks, Task::canonical_text),
            interactions: entries(
                &b.interactions,
                &o.interactions,
                &t.interactions,
                Interaction::canonical_text,
            ),
            extra: self.extra("", &b.extra, &o.extra, &t.extra),
        }
    }

    fn contact(&mut self, c: [&Contact; 3]) -> Contact {
        let [b, o, t] = c;
        Contact {
            email: self.field("contact.email", c, |c| &c.email),
            phone: self.field("contact.phone", c, |c| &c.phone),
            address: self.field("contact.address", c, |c| &c.address),
            website: self.field("contact.website", c, |c| &c.website),
            social: self.map(
                [&b.social, &o.social, &t.social],
                String::clone,
                |m, key, [b, o, t]| {
                    let path = format!("contact.social.{key}");
                    m.leaf(&path, &b.cloned(), &o.cloned(), &t.cloned())
                },
            ),
            preferred: self.field("contact.preferred", c, |c| &c.preferred),
            extra: self.extra("contact", &b.extra, &o.extra, &t.extra),
        }
    }

    fn profile(&mut self, p: [&Profile; 3]) -> Profile {
        let [b, o, t] = p;
        Profile {
            birthday: self.field("profile.birthday", p, |p| &p.birthday),
            anniversary: self.field("profile.anniversary", p, |p| &p.anniversary),
            family: self.field("profile.family", p, |p| &p.family),
            hobbies: words(&b.hobbies, &o.hobbies, &t.hobbies),
            groups: words(&b.groups, &o.groups, &t.groups),
            extra: self.extra("profile", &b.extra, &o.extra, &t.extra),
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
        Deal {
            id: o.id.clone(),
            title: self.field(&at("title"), d, |d| &d.title),
            value: self.field(&at("value"), d, |d| &d.value),
            stage,
            outcome,
            lost_reason: self.field(&at("lost_reason"), d, |d| &d.lost_reason),
            competitor: self.field(&at("competitor"), d, |d| &d.competitor),
            history: history(&b.history, &o.history, &t.history),
            extra: self.extra(&format!("deals[{}]", o.id), &b.extra, &o.extra, &t.extra),
        }
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

/// Interactions and tasks: multisets (see the module comment). Their order
/// does not matter here, the canonical writer sorts them.
fn entries<T: Clone + PartialEq>(b: &[T], o: &[T], t: &[T], text: impl Fn(&T) -> String) -> Vec<T> {
    unchanged_side(b, o, t).unwrap_or_else(|| multiset(b, o, t, text))
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
    let (mut i, mut j) = (0, 0);
    let end = (a.len(), b.len());
    for (x, y) in common_lines(&a, &b).into_iter().chain([end]) {
        if x > i || y > j {
            out.push_str("<<<<<<< ours\n");
            push_lines(&mut out, &a[i..x]);
            out.push_str("=======\n");
            push_lines(&mut out, &b[j..y]);
            out.push_str(">>>>>>> theirs\n");
        }
        if let Some(line) = a.get(x) {
            push_lines(&mut out, &[line]);
        }
        (i, j) = (x + 1, y + 1);
    }
    out
}

fn push_lines(out: &mut String, lines: &[&str]) {
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
}

/// Past this many differing lines the diff stops looking for common lines
/// inside the differing part and shows it as one conflict: the two sides of
/// a merge differ only where they conflict, so this is never reached in
/// practice, and it bounds the work.
const MAX_EDITS: usize = 2000;

/// The index pairs of the lines a shortest edit script from `a` to `b`
/// keeps, in order.
fn common_lines(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle_a = &a[prefix..a.len() - suffix];
    let middle_b = &b[prefix..b.len() - suffix];
    let mut pairs: Vec<(usize, usize)> = (0..prefix).map(|k| (k, k)).collect();
    pairs.extend(
        myers(middle_a, middle_b)
            .into_iter()
            .map(|(x, y)| (x + prefix, y + prefix)),
    );
    pairs.extend((0..suffix).map(|k| (a.len() - suffix + k, b.len() - suffix + k)));
    pairs
}

/// Myers' O(ND) shortest edit script (1986): the kept line pairs, or none
/// when more than MAX_EDITS edits are needed.
fn myers(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDITS) as isize;
    let offset = max + 1;
    let mut v = vec![0isize; 2 * max as usize + 3];
    let mut trace = Vec::new();
    for d in 0..=max {
        trace.push(v.clone());
        for k in (-d..=d).step_by(2) {
            let i = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
                v[i + 1]
            } else {
                v[i - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                return backtrack(&trace, offset, n, m);
            }
        }
    }
    Vec::new()
}

/// Walks the saved frontiers of `myers` back from the end, collecting the
/// diagonal moves (kept lines).
fn backtrack(trace: &[Vec<isize>], offset: isize, n: isize, m: isize) -> Vec<(usize, usize)> {
    let (mut x, mut y) = (n, m);
    let mut pairs = Vec::new();
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let i = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        if d > 0 {
            (x, y) = (prev_x, prev_y);
        }
    }
    pairs.reverse();
    pairs
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
        }
    }

    fn conflicts(base: &str, ours: &str, theirs: &str) -> Vec<String> {
        match merge(Some(&rec(base)), &rec(ours), &rec(theirs)) {
            Merged::Clean(_) => Vec::new(),
            Merged::Conflict { fields, .. } => fields,
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
    fn the_diff_keeps_the_longest_common_lines() {
        let a = ["x", "a", "b", "c", "y"];
        let b = ["x", "b", "c", "d", "y"];
        assert_eq!(common_lines(&a, &b), [(0, 0), (2, 1), (3, 2), (4, 4)]);
        assert_eq!(
            with_markers("x\na\nb\ny\n", "x\nb\nz\ny\n"),
            "x\n<<<<<<< ours\na\n=======\n>>>>>>> theirs\nb\n<<<<<<< ours\n=======\nz\n>>>>>>> theirs\ny\n"
        );
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
                no: None,
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

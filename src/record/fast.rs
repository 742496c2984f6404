//! A fast reader for the canonical layout: the one form kith writes.
//!
//! Almost every file in a folder is exactly what `emit_record` wrote, so the
//! store reads those line by line here and hands anything else to the full
//! YAML parser (`parse_record_full`). This reader never reports errors: when
//! the text strays from the layout in any way, or the record would be
//! invalid, it answers `None` and the full parser produces the located error.
//! When it answers a record, that record is the one the full parser returns
//! for the same text; `tests/fast_parse.rs` checks this on random records and
//! on mutations of their text. When in doubt it answers `None`.
//!
//! What it reads: keys in canonical order (which also proves no key repeats),
//! block maps and lists at the emitter's indentation, scalars plain (only when
//! the emitter would have written them plain), single-quoted or double-quoted
//! with the emitter's escapes, flow lists of text, history entries as flow
//! maps, and unknown keys whose value is text or a flow list of text.

use std::borrow::Cow;

use yaml_serde::Value;

use super::fields::{Access, Field};
use super::parse::{MAX_FILE_BYTES, Schema, conflict_marker_line};
use super::quote::{needs_escape, needs_quotes};
use super::{
    Contact, Deal, Extra, HistoryEntry, Interaction, Outcome, Person, Profile, Record, Task,
};
use crate::date::{self, Date, Span, When, YearlyDate};
use crate::money::Money;

/// Keys longer than this are left to the full parser: libyaml refuses a
/// plain key of more than 1024 characters.
const MAX_KEY_BYTES: usize = 512;

/// The rank of unknown keys in maps where they follow every known key.
const LAST: u8 = u8::MAX;

/// The place in canonical order of the key of rank `rank` in its table:
/// twice its place counted from 1, which leaves a place between any two
/// keys for the keys kith does not know (a record's come between `tasks`
/// and `interactions`).
fn place(rank: usize) -> usize {
    2 * (rank + 1)
}

/// The record in `text`, when `text` is in canonical layout and valid;
/// `None` for anything else.
pub fn parse(text: &str, stem: &str, schema: &Schema) -> Option<Record> {
    if text.len() > MAX_FILE_BYTES || !text.ends_with('\n') || !printable(text) {
        return None;
    }
    let mut reader = Reader {
        lines: Lines::new(text),
        schema,
    };
    let record = reader.record(stem)?;
    reader.lines.peek().is_none().then_some(record)
}

/// Whether libyaml accepts every character of `text`. It refuses ASCII
/// control characters but tab, line feed and carriage return, DEL, and
/// U+FFFE and U+FFFF; kith writes tabs and carriage returns only escaped, so
/// those are refused too. Characters that only a double-quoted scalar may
/// carry are checked scalar by scalar.
fn printable(text: &str) -> bool {
    let b = text.as_bytes();
    // A pass without branches first, which the compiler vectorises: most
    // texts hold no byte worth a closer look.
    let suspect = |c: u8| (c < 0x20 && c != b'\n') | (c == 0x7f) | (c == 0xef);
    if !b.iter().fold(false, |any, &c| any | suspect(c)) {
        return true;
    }
    b.iter().enumerate().all(|(i, &c)| match c {
        b'\n' => true,
        0..=0x1f | 0x7f => false,
        0xef => !(b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf))),
        _ => true,
    })
}

/// The lines of a text that ends with a line feed, one looked ahead.
struct Lines<'a> {
    current: Option<&'a str>,
    rest: &'a str,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut lines = Lines {
            current: None,
            rest: text,
        };
        lines.bump();
        lines
    }

    fn peek(&self) -> Option<&'a str> {
        self.current
    }

    fn bump(&mut self) {
        self.current = self.rest.find('\n').map(|end| {
            let line = &self.rest[..end];
            self.rest = &self.rest[end + 1..];
            line
        });
    }
}

/// One `key: value` line, or `key:` with the value (a block, or nothing)
/// on the lines below.
struct Entry<'a> {
    key: Cow<'a, str>,
    value: Option<&'a str>,
}

/// The canonical order of one map's keys: known keys by rising rank, unknown
/// keys at `unknown_rank` in byte order of their names. Keeping to it also
/// proves that no key repeats, which the full parser refuses.
struct Order {
    rank: u8,
    unknown_rank: u8,
}

impl Order {
    fn new(unknown_rank: u8) -> Order {
        Order {
            rank: 0,
            unknown_rank,
        }
    }

    fn known(&mut self, rank: u8) -> Option<()> {
        (rank > self.rank).then(|| self.rank = rank)
    }

    fn unknown(&mut self, extra: &Extra, key: &str) -> Option<()> {
        if self.rank > self.unknown_rank {
            return None;
        }
        self.rank = self.unknown_rank;
        match extra.keys().next_back() {
            Some(last) if last.as_str() >= key => None,
            _ => Some(()),
        }
    }
}

struct Reader<'a, 's> {
    lines: Lines<'a>,
    schema: &'s Schema,
}

impl<'a> Reader<'a, '_> {
    /// The next line as an entry of a map at exactly `indent` spaces, taken;
    /// `None`, taking nothing, when it is anything else. That ends the map
    /// being read, and a line no reader takes fails the whole parse, since
    /// `parse` requires every line to be taken.
    fn entry(&mut self, indent: usize) -> Option<Entry<'a>> {
        let line = self.lines.peek()?;
        // At the left margin, refuse what the full parser reads as a conflict
        // marker or a document end (`... x`), not as a key.
        if indent == 0 && (conflict_marker_line(line).is_some() || line.starts_with("...")) {
            return None;
        }
        let entry = entry(indented(line, indent)?)?;
        self.lines.bump();
        Some(entry)
    }

    /// The next line as the first entry of a list item, `- key: value` at
    /// `indent`, taken; `None`, taking nothing, when it is anything else.
    fn item(&mut self, indent: usize) -> Option<Entry<'a>> {
        let line = self.lines.peek()?;
        let entry = entry(indented(line, indent)?.strip_prefix("- ")?)?;
        self.lines.bump();
        Some(entry)
    }

    /// Feeds `first` (a list item's first entry) and then each entry at
    /// `indent` to `field`, until the map ends.
    fn fields(
        &mut self,
        first: Option<Entry<'a>>,
        indent: usize,
        mut field: impl FnMut(&mut Self, Entry<'a>) -> Option<()>,
    ) -> Option<()> {
        let mut next = first;
        while let Some(entry) = next.take().or_else(|| self.entry(indent)) {
            field(self, entry)?;
        }
        Some(())
    }

    /// The items of a block list at `indent`, each read by `item` from its
    /// first entry, with the items before it at hand.
    fn list<T>(
        &mut self,
        indent: usize,
        mut item: impl FnMut(&mut Self, Entry<'a>, &[T]) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut items = Vec::new();
        while let Some(first) = self.item(indent) {
            let next = item(self, first, &items)?;
            items.push(next);
        }
        Some(items)
    }

    fn record(&mut self, stem: &str) -> Option<Record> {
        let mut r = Record::new(stem, "");
        let table = Record::FIELDS;
        let interactions = table.iter().position(|f| f.key == "interactions")?;
        let unknown = u8::try_from(place(interactions) - 1).ok()?;
        let extra: fn(&mut Record) -> &mut Extra = |r| &mut r.extra;
        self.keyed(
            None,
            0,
            table,
            &mut r,
            extra,
            unknown,
            |this, r, key, value| {
                match key {
                    "id" => {
                        // It must equal the stem, unless the file name says
                        // nothing (an empty stem); then it is the id.
                        let id = text(value?)?;
                        if !stem.is_empty() && id != stem {
                            return None;
                        }
                        r.id = id.into_owned();
                        r.id_key = true;
                    }
                    "name" => r.name = text(value?)?.into_owned(),
                    "contact" => {
                        block(value)?;
                        r.contact = this.group(Contact::FIELDS, |c| &mut c.extra)?;
                    }
                    "profile" => {
                        block(value)?;
                        r.profile = this.group(Profile::FIELDS, |p| &mut p.extra)?;
                    }
                    "contacts" => {
                        block(value)?;
                        r.contacts = this.list(2, |this, first, _| this.person(first))?;
                    }
                    "deals" => {
                        block(value)?;
                        r.deals = this.list(2, |this, first, earlier| this.deal(first, earlier))?;
                    }
                    "tasks" => {
                        block(value)?;
                        r.tasks = this.list(2, |this, first, _| this.task(first))?;
                    }
                    "interactions" => {
                        block(value)?;
                        r.interactions = this.list(2, |this, first, _| this.interaction(first))?;
                    }
                    _ => return None,
                }
                Some(())
            },
        )?;
        (!r.name.trim().is_empty()).then_some(r)
    }

    /// A map of declared fields (`contact:`, `profile:`) at indent 2: each
    /// in its place, then the keys kith does not know.
    fn group<S: Default>(
        &mut self,
        group: &'static [Field<S>],
        extra: fn(&mut S) -> &mut Extra,
    ) -> Option<S> {
        let mut s = S::default();
        self.keyed(None, 2, group, &mut s, extra, LAST, |_, _, _, _| None)?;
        Some(s)
    }

    /// Field `rank` of a declared group (see `record::fields`), which must
    /// come after the group's fields before it: `place` is its place in the
    /// canonical order of the map it is in (see [`place`]).
    fn declared<S>(
        &mut self,
        group: &'static [Field<S>],
        rank: usize,
        place: usize,
        s: &mut S,
        order: &mut Order,
        value: Option<&'a str>,
    ) -> Option<()> {
        order.known(u8::try_from(place).ok()?)?;
        match group.get(rank)?.access {
            Access::Text(_, slot) => *slot(s) = Some(text(value?)?.into_owned()),
            Access::Networks(_, slot) => {
                block(value)?;
                *slot(s) = self.social()?;
            }
            Access::Yearly(_, slot) => *slot(s) = Some(raw(value?, YearlyDate::parse)?),
            Access::Date(_, slot) => *slot(s) = Some(raw(value?, date::parse_iso)?),
            Access::Flag(_, slot) => *slot(s) = Some(flag(value?)?),
            Access::Money(_, slot) => *slot(s) = Some(money(value?)?),
            Access::Rating(_, slot) => *slot(s) = Some(rating(value?)?),
            Access::Span(_, slot) => *slot(s) = Some(raw(value?, Span::parse)?),
            Access::Own => return None,
            Access::Choice(ref c) => (c.set)(s, Some(&text(value?)?)).then_some(())?,
            Access::Words(_, slot) => *slot(s) = text_list(value?)?,
        }
        Some(())
    }

    /// `social:`, a map of text kept in the order written; a repeated name
    /// is the full parser's error to report.
    fn social(&mut self) -> Option<Vec<(String, String)>> {
        let mut social: Vec<(String, String)> = Vec::new();
        while let Some(Entry { key, value }) = self.entry(4) {
            if social.iter().any(|(k, _)| *k == key) {
                return None;
            }
            social.push((key.into_owned(), text(value?)?.into_owned()));
        }
        Some(social)
    }

    /// A map whose keys `table` lists in canonical order, at `indent`
    /// (`first` is its first entry when it is a list item): each declared
    /// field read through the table, each of the struct's own by `own`,
    /// and the keys kith does not know at place `unknown_place` (`LAST`:
    /// after all of them).
    #[allow(clippy::too_many_arguments)]
    fn keyed<S>(
        &mut self,
        first: Option<Entry<'a>>,
        indent: usize,
        table: &'static [Field<S>],
        s: &mut S,
        extra: fn(&mut S) -> &mut Extra,
        unknown_place: u8,
        mut own: impl FnMut(&mut Self, &mut S, &str, Option<&'a str>) -> Option<()>,
    ) -> Option<()> {
        let mut order = Order::new(unknown_place);
        let mut next = 0;
        self.fields(first, indent, |this, Entry { key, value }| {
            let Some(rank) = rank_of(table, &mut next, &key) else {
                return unknown(&mut order, extra(s), key, value);
            };
            if !matches!(table[rank].access, Access::Own) {
                return this.declared(table, rank, place(rank), s, &mut order, value);
            }
            order.known(u8::try_from(place(rank)).ok()?)?;
            own(this, s, &key, value)
        })
    }

    /// A person (`Person::FIELDS`): the name is required.
    fn person(&mut self, first: Entry<'a>) -> Option<Person> {
        let mut p = Person::default();
        let extra: fn(&mut Person) -> &mut Extra = |p| &mut p.extra;
        self.keyed(
            Some(first),
            4,
            Person::FIELDS,
            &mut p,
            extra,
            LAST,
            |_, p, key, value| {
                match key {
                    "name" => p.name = text(value?)?.into_owned(),
                    _ => return None,
                }
                Some(())
            },
        )?;
        (!p.name.trim().is_empty()).then_some(p)
    }

    /// A deal (`Deal::FIELDS`); its id must differ from those of the
    /// `earlier` deals.
    fn deal(&mut self, first: Entry<'a>, earlier: &[Deal]) -> Option<Deal> {
        let mut d = Deal::blank();
        let extra: fn(&mut Deal) -> &mut Extra = |d| &mut d.extra;
        self.keyed(
            Some(first),
            4,
            Deal::FIELDS,
            &mut d,
            extra,
            LAST,
            |this, d, key, value| {
                match key {
                    "id" => {
                        let id = text(value?)?;
                        if id.is_empty() || earlier.iter().any(|e| e.id == id) {
                            return None;
                        }
                        d.id = id.into_owned();
                    }
                    "stage" => d.stage = this.stage(text(value?)?)?,
                    "outcome" => d.outcome = Some(Outcome::parse(&text(value?)?)?),
                    "history" => {
                        block(value)?;
                        d.history = this.history()?;
                    }
                    // Invoices are rare: the full parser reads them.
                    _ => return None,
                }
                Some(())
            },
        )?;
        (!d.id.is_empty() && !d.stage.is_empty()).then_some(d)
    }

    /// A deal's history: one flow map a line, `- {stage: met, date: …}`.
    fn history(&mut self) -> Option<Vec<HistoryEntry>> {
        let mut history = Vec::new();
        while let Some(line) = self.lines.peek() {
            let Some(item) = indented(line, 6).and_then(|l| l.strip_prefix("- ")) else {
                break;
            };
            history.push(self.history_entry(item)?);
            self.lines.bump();
        }
        Some(history)
    }

    fn history_entry(&self, text: &str) -> Option<HistoryEntry> {
        let mut h = HistoryEntry {
            stage: None,
            outcome: None,
            date: Date::MIN,
            extra: Extra::new(),
        };
        let mut order = Order::new(LAST);
        let mut rest = text.strip_prefix('{')?;
        loop {
            let (key, after) = flow_key(rest)?;
            let (value, after) = if key == "date" {
                flow_scalar(after, false)?
            } else {
                flow_scalar(after, true)?
            };
            match &*key {
                "stage" => {
                    order.known(1)?;
                    h.stage = Some(self.stage(value)?);
                }
                "outcome" => {
                    order.known(2)?;
                    h.outcome = Some(Outcome::parse(&value)?);
                }
                "date" => {
                    order.known(3)?;
                    h.date = date::parse_iso(&value).ok()?;
                }
                _ => {
                    order.unknown(&h.extra, &key)?;
                    h.extra
                        .insert(key.into_owned(), Value::String(value.into_owned()));
                }
            }
            if after == "}" {
                break;
            }
            rest = after.strip_prefix(", ")?;
        }
        (h.date != Date::MIN && (h.stage.is_some() || h.outcome.is_some())).then_some(h)
    }

    /// A task (`Task::FIELDS`): the due date and the text are required.
    fn task(&mut self, first: Entry<'a>) -> Option<Task> {
        let mut t = Task {
            number: None,
            due: Date::MIN,
            what: String::new(),
            done: None,
            extra: Extra::new(),
        };
        let extra: fn(&mut Task) -> &mut Extra = |t| &mut t.extra;
        self.keyed(
            Some(first),
            4,
            Task::FIELDS,
            &mut t,
            extra,
            LAST,
            |_, t, key, value| {
                match key {
                    "number" => t.number = Some(super::task_number(value?)?),
                    "due" => t.due = raw(value?, date::parse_iso)?,
                    "what" => t.what = text(value?)?.into_owned(),
                    _ => return None,
                }
                Some(())
            },
        )?;
        (t.due != Date::MIN && !t.what.is_empty()).then_some(t)
    }

    /// An interaction (`Interaction::FIELDS`): the date and a kind the
    /// folder has are required.
    fn interaction(&mut self, first: Entry<'a>) -> Option<Interaction> {
        let mut i = Interaction::new(When::day(Date::MIN), "");
        let extra: fn(&mut Interaction) -> &mut Extra = |i| &mut i.extra;
        self.keyed(
            Some(first),
            4,
            Interaction::FIELDS,
            &mut i,
            extra,
            LAST,
            |this, i, key, value| {
                match key {
                    "date" => i.date = raw(value?, When::parse_iso)?,
                    "kind" => i.kind = this.kind(text(value?)?)?,
                    "number" => i.number = Some(super::task_number(value?)?),
                    _ => return None,
                }
                Some(())
            },
        )?;
        if i.date.date == Date::MIN || i.kind.is_empty() {
            return None;
        }
        i.amount = i.amount.map(|m| Interaction::stored_amount(&i.kind, m));
        Some(i)
    }

    /// A stage, when the funnel has it.
    fn stage(&self, stage: Cow<'_, str>) -> Option<String> {
        known_to(self.schema.stages.as_deref(), stage)
    }

    /// An interaction kind, when the folder has it.
    fn kind(&self, kind: Cow<'_, str>) -> Option<String> {
        known_to(self.schema.kinds.as_deref(), kind)
    }
}

/// The rank of `key` in `table`, looked for from `next` on (keys come in
/// the table's order, so the next one is usually at `next`), then before
/// it; `next` moves past what is found.
fn rank_of<S>(table: &[Field<S>], next: &mut usize, key: &str) -> Option<usize> {
    let later = table.get(*next..)?.iter().position(|f| f.key == key);
    let rank = match later {
        Some(r) => *next + r,
        None => table.iter().position(|f| f.key == key)?,
    };
    *next = rank + 1;
    Some(rank)
}

/// `name` when `names` (if given) holds it.
fn known_to(names: Option<&[String]>, name: Cow<'_, str>) -> Option<String> {
    match names {
        Some(names) if !names.iter().any(|n| *n == name) => None,
        _ => Some(name.into_owned()),
    }
}

/// An unknown key with its value, stored as the full parser stores it.
fn unknown(
    order: &mut Order,
    extra: &mut Extra,
    key: Cow<'_, str>,
    value: Option<&str>,
) -> Option<()> {
    order.unknown(extra, &key)?;
    let value = value?;
    let value = if value.starts_with('[') {
        Value::Sequence(text_list(value)?.into_iter().map(Value::String).collect())
    } else {
        Value::String(text(value)?.into_owned())
    };
    extra.insert(key.into_owned(), value);
    Some(())
}

/// A key whose value is a block on the lines below: nothing after its colon.
fn block(value: Option<&str>) -> Option<()> {
    value.is_none().then_some(())
}

/// The rest of `line` after exactly `indent` spaces.
fn indented(line: &str, indent: usize) -> Option<&str> {
    let b = line.as_bytes();
    let spaces = b.len() >= indent && b[..indent].iter().all(|&c| c == b' ');
    (spaces && b.get(indent).is_some_and(|&c| c != b' ')).then(|| &line[indent..])
}

/// `key: value` or `key:`, with one space after the colon and none at the end.
fn entry(s: &str) -> Option<Entry<'_>> {
    let (key, rest) = block_key(s)?;
    if rest.is_empty() {
        return Some(Entry { key, value: None });
    }
    let value = rest.strip_prefix(' ')?;
    let padded = value.is_empty() || value.starts_with(' ') || value.ends_with(' ');
    (!padded).then_some(Entry {
        key,
        value: Some(value),
    })
}

/// A block map's key and what follows its colon.
fn block_key(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let (key, length, rest) = if s.starts_with(['\'', '"']) {
        let (key, rest) = quoted(s)?;
        (key, s.len() - rest.len(), rest.strip_prefix(':')?)
    } else {
        // A plain key never holds `: ` nor ends with `:`, so the first
        // `: ` (or the final colon) ends it.
        let end = match colon_space(s) {
            Some(end) => end,
            None => s.strip_suffix(':')?.len(),
        };
        (Cow::Borrowed(plain(&s[..end])?), end, &s[end + 1..])
    };
    key_ok(&key, length).then_some((key, rest))
}

/// A flow map's key and what follows its `: `.
fn flow_key(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let (key, rest) = if s.starts_with(['\'', '"']) {
        quoted(s)?
    } else {
        let end = colon_space(s)?;
        (Cow::Borrowed(plain(&s[..end])?), &s[end..])
    };
    let length = s.len() - rest.len();
    key_ok(&key, length).then_some((key, rest.strip_prefix(": ")?))
}

/// Where the first `: ` is; a byte scan, quicker than `str::find` on the
/// short strings of a record.
fn colon_space(s: &str) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w == b": ")
}

/// Keys the full parser may read otherwise: over-long ones, and `<<`, a
/// merge key to some YAML readers.
fn key_ok(key: &str, length: usize) -> bool {
    length <= MAX_KEY_BYTES && key != "<<"
}

/// A whole value that is text.
fn text(value: &str) -> Option<Cow<'_, str>> {
    match scalar(value, true, false)? {
        (text, "") => Some(text),
        _ => None,
    }
}

/// A whole value parsed by kith itself (dates, money), as the full parser
/// does with the scalar's raw text, whatever YAML would resolve it to.
fn raw<T, E>(value: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
    match scalar(value, false, false)? {
        (text, "") => parse(&text).ok(),
        _ => None,
    }
}

fn money(value: &str) -> Option<Money> {
    raw(value, Money::parse)
}

/// `true` or `false`, written plain.
fn flag(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn rating(value: &str) -> Option<u8> {
    match value.as_bytes() {
        [d @ b'1'..=b'5'] => Some(d - b'0'),
        _ => None,
    }
}

/// A flow list of text, `[a, 'b c']`.
fn text_list(value: &str) -> Option<Vec<String>> {
    let mut rest = value.strip_prefix('[')?;
    let mut items = Vec::new();
    if rest == "]" {
        return Some(items);
    }
    loop {
        let (item, after) = flow_scalar(rest, true)?;
        items.push(item.into_owned());
        if after == "]" {
            return Some(items);
        }
        rest = after.strip_prefix(", ")?;
    }
}

/// A scalar inside a flow list or map, and the text after it.
fn flow_scalar(s: &str, strict: bool) -> Option<(Cow<'_, str>, &str)> {
    scalar(s, strict, true)
}

/// A scalar at the start of `s` and the text after it: quoted, or plain up
/// to the end (in a flow collection, up to the next `,`, `]` or `}`).
/// `strict` takes a plain scalar only when the emitter would have written it
/// plain: then every YAML reader sees the same text, never a number, boolean
/// or null. Without it (dates, money) the caller's own parser decides.
fn scalar(s: &str, strict: bool, flow: bool) -> Option<(Cow<'_, str>, &str)> {
    if s.starts_with(['\'', '"']) {
        return quoted(s);
    }
    let end = if flow {
        s.bytes().position(|b| matches!(b, b',' | b']' | b'}'))?
    } else {
        s.len()
    };
    let token = &s[..end];
    let token = if strict {
        plain(token)?
    } else {
        raw_token(token)?
    };
    Some((Cow::Borrowed(token), &s[end..]))
}

/// `s` when YAML reads it as a plain scalar holding exactly `s`, in block
/// and flow context: a letter, digit, sign or dot, then only those and
/// inner colons. That is every date and amount kith writes; the caller's
/// parser (lenient about spaces, some of them) then sees what the full
/// parser sees.
fn raw_token(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let safe = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-');
    let ok = b.first().is_some_and(safe)
        && b.last().is_some_and(safe)
        && b.iter().all(|c| safe(c) || *c == b':');
    ok.then_some(s)
}

/// `s` when it is safe as a plain scalar.
fn plain(s: &str) -> Option<&str> {
    (!needs_quotes(s)).then_some(s)
}

/// A quoted scalar at the start of `s`, decoded, and the text after it.
fn quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    match s.as_bytes().first()? {
        b'\'' => single_quoted(&s[1..]),
        b'"' => double_quoted(&s[1..]),
        _ => None,
    }
}

/// The body of a single-quoted scalar up to its closing quote, `''` read as
/// one quote. Characters that need escapes make it the full parser's (libyaml
/// folds a raw U+0085, for one).
fn single_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let mut owned: Option<String> = None;
    let mut rest = s;
    loop {
        let close = rest.find('\'')?;
        let (piece, after) = (&rest[..close], &rest[close + 1..]);
        if let Some(more) = after.strip_prefix('\'') {
            let o = owned.get_or_insert_with(String::new);
            o.push_str(piece);
            o.push('\'');
            rest = more;
            continue;
        }
        let text = match owned {
            None => Cow::Borrowed(piece),
            Some(mut o) => {
                o.push_str(piece);
                Cow::Owned(o)
            }
        };
        return (!text.chars().any(needs_escape)).then_some((text, after));
    }
}

/// The body of a double-quoted scalar up to its closing quote, with the
/// escapes the emitter writes; any other escape makes it the full parser's.
fn double_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let mut owned: Option<String> = None;
    let mut rest = s;
    loop {
        let stop = rest.find(['"', '\\'])?;
        let piece = &rest[..stop];
        if piece.chars().any(needs_escape) {
            return None;
        }
        if rest.as_bytes()[stop] == b'"' {
            let text = match owned {
                None => Cow::Borrowed(piece),
                Some(mut o) => {
                    o.push_str(piece);
                    Cow::Owned(o)
                }
            };
            return Some((text, &rest[stop + 1..]));
        }
        let (c, after) = escape(&rest[stop + 1..])?;
        let o = owned.get_or_insert_with(String::new);
        o.push_str(piece);
        o.push(c);
        rest = after;
    }
}

/// One escape after its backslash: `\"`, `\\`, `\n`, `\t`, `\r`, `\0`,
/// `\xNN`, `\uNNNN`.
fn escape(s: &str) -> Option<(char, &str)> {
    let (c, length) = match s.as_bytes().first()? {
        b'"' => ('"', 1),
        b'\\' => ('\\', 1),
        b'n' => ('\n', 1),
        b't' => ('\t', 1),
        b'r' => ('\r', 1),
        b'0' => ('\0', 1),
        b'x' => (hex(s.get(1..3)?)?, 3),
        b'u' => (hex(s.get(1..5)?)?, 5),
        _ => return None,
    };
    Some((c, &s[length..]))
}

fn hex(digits: &str) -> Option<char> {
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

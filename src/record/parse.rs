//! Reading a record from YAML text, with every problem located at its line
//! and column.
//!
//! The record is deserialised straight from yaml_serde's event stream by
//! hand-written visitors (no `#[serde(flatten)]`, which would buffer the map
//! and lose positions). Checks that need the folder's settings (known stages
//! and kinds) run inside the visitors of the values they check, so yaml_serde
//! attaches that value's position to the error. The settings reach the
//! visitors through a thread-local set for the duration of one parse.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use yaml_serde::Value;

use super::fields::{self, Access};
use super::{
    Contact, Deal, Extra, HistoryEntry, Interaction, Invoice, Outcome, Person, Profile, Record,
    Task,
};
use crate::date::{self, Date, Span, When, YearlyDate};
use crate::money::Money;

/// Files larger than this are refused before parsing: no customer needs it,
/// and a hostile file must not exhaust memory.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// What a record is checked against: the folder's stages and kinds.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Stage ids of the funnel; `None` accepts any stage.
    pub stages: Option<Vec<String>>,
    /// Interaction kinds; `None` accepts any kind.
    pub kinds: Option<Vec<String>>,
}

/// A problem in a file, at a 1-based line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

struct Context {
    stem: String,
    schema: Schema,
    deal_ids: HashSet<String>,
}

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
}

fn with_context<T>(f: impl FnOnce(&mut Context) -> T) -> Option<T> {
    CONTEXT.with(|c| c.borrow_mut().as_mut().map(f))
}

/// Clears the thread-local context even when parsing unwinds.
struct ContextGuard;

impl Drop for ContextGuard {
    fn drop(&mut self) {
        CONTEXT.with(|c| *c.borrow_mut() = None);
    }
}

/// Parses a customer file with the full YAML parser, every problem located.
pub fn parse_record_full(bytes: &[u8], stem: &str, schema: &Schema) -> Result<Record, ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: format!(
                "the file is {} MiB, over the {} MiB a customer record may have; split or trim it",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let text = decode(bytes)?;
    if text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    }) {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: "the file holds no record; a customer needs at least `name:`".into(),
        });
    }
    if let Some(line) = conflict_marker_line(text) {
        return Err(ParseError {
            line,
            column: 1,
            message: "an unresolved git conflict marker; keep the right side, remove the \
                      <<<<<<< ======= >>>>>>> lines, then run kith check"
                .into(),
        });
    }
    CONTEXT.with(|c| {
        *c.borrow_mut() = Some(Context {
            stem: stem.to_string(),
            schema: schema.clone(),
            deal_ids: HashSet::new(),
        })
    });
    let _guard = ContextGuard;
    let mut record: Record = yaml_serde::from_str::<RecordDoc>(text)
        .map_err(|e| relocated(text, located(&e)))?
        .0;
    if !stem.is_empty() {
        record.id = stem.to_string();
    }
    Ok(record)
}

/// The first line that is a git conflict marker, if any.
pub fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.starts_with("<<<<<<< ")
                || l == "<<<<<<<"
                || l.starts_with(">>>>>>> ")
                || l == ">>>>>>>"
                || l == "======="
        })
        .map(|i| i + 1)
}

/// The text of a file: UTF-8, with a leading byte-order mark dropped.
fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position_of(bytes, e.valid_up_to());
        ParseError {
            line,
            column,
            message: "the file is not valid UTF-8; save it as UTF-8".into(),
        }
    })?;
    if let Some(at) = text.find('\0') {
        let (line, column) = position_of(bytes, at);
        return Err(ParseError {
            line,
            column,
            message: "the file holds a NUL byte; it is not a text file".into(),
        });
    }
    check_depth(text)?;
    Ok(text)
}

/// How deep values may nest: libyaml's own limit. A file that opens
/// 100,000 flow collections costs libyaml time quadratic in their number
/// before it says so; `check_depth` refuses it in one pass first.
const MAX_DEPTH: usize = 128;

/// Refuses text whose flow collections (`[`, `{`) nest deeper than
/// `MAX_DEPTH`, in one pass, before any YAML parser sees it. Quoted strings
/// and comments are skipped; outside flow collections a bracket counts only
/// where a value starts (after `key: `, `- `, an anchor or tag, or at the
/// start of a line), as YAML reads it.
pub fn check_depth(text: &str) -> Result<(), ParseError> {
    #[derive(PartialEq)]
    enum In {
        Plain,
        Single,
        Double,
    }
    let mut depth = 0usize;
    let mut state = In::Plain;
    let (mut line, mut column) = (1usize, 0usize);
    // Whether the next character may start a value; whether it follows an
    // anchor or a tag (`&a`, `!!set`), after which a value starts too.
    let (mut at_start, mut property) = (true, false);
    let mut prev = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
        match state {
            In::Single if c == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
                column += 1;
            }
            In::Single if c == '\'' => state = In::Plain,
            In::Double if c == '\\' => {
                if chars.next() == Some('\n') {
                    line += 1;
                    column = 0;
                } else {
                    column += 1;
                }
            }
            In::Double if c == '"' => state = In::Plain,
            In::Single | In::Double => {}
            In::Plain if c == '#' && prev.is_whitespace() => {
                // A comment, to the end of the line.
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        column = 0;
                        break;
                    }
                }
                (at_start, property, prev) = (true, false, '\n');
                continue;
            }
            In::Plain => {
                let opens = (c == '[' || c == '{') && (depth > 0 || at_start);
                if opens {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(ParseError {
                            line,
                            column,
                            message: format!(
                                "values are nested more than {MAX_DEPTH} levels deep; kith \
                                 refuses such files"
                            ),
                        });
                    }
                } else if (c == ']' || c == '}') && depth > 0 {
                    depth -= 1;
                } else if at_start && c == '\'' {
                    state = In::Single;
                } else if at_start && c == '"' {
                    state = In::Double;
                }
                let blank_next = matches!(chars.peek(), None | Some(' ' | '\t' | '\n' | '\r'));
                (at_start, property) = match c {
                    '\n' => (true, false),
                    ' ' | '\t' => (at_start || property, false),
                    '[' | '{' if opens => (true, false),
                    ',' if depth > 0 => (true, false),
                    ':' => (blank_next, false),
                    '-' | '?' => (at_start && blank_next, false),
                    '&' | '!' if at_start => (false, true),
                    _ => (false, property),
                };
            }
        }
        prev = c;
    }
    Ok(())
}

fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Turns a yaml_serde error into a one-line located error.
pub fn located(e: &yaml_serde::Error) -> ParseError {
    let text = e.to_string();
    let (line, column) = e
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    // yaml_serde appends " at line L column C" (and libyaml a context after a
    // comma, with its own position); the position goes in front instead. The
    // context's position is kept when it differs: for an unclosed `[` it is
    // where the real mistake is.
    let message = match text.find(" at line ") {
        Some(i) => {
            let mut m = text[..i].to_string();
            if let Some(ctx) = text[i..].find(", ").map(|j| &text[i + j + 2..]) {
                let (what, at) = match ctx.split_once(" at line ") {
                    Some((what, at)) => (what, line_column(at)),
                    None => (ctx, None),
                };
                m = match at {
                    Some((l, c)) if (l, c) != (line, column) => {
                        format!("{m} ({what} that starts at {l}:{c})")
                    }
                    _ => format!("{m} ({what})"),
                };
            }
            m
        }
        None => text,
    };
    let message = match message.as_str() {
        "repetition limit exceeded" => {
            "YAML aliases expand beyond kith's limit (an alias bomb?); write the values out".into()
        }
        "recursion limit exceeded" => {
            "values are nested more than 128 levels deep; kith refuses such files".into()
        }
        m if m.contains(MULTI_DOCUMENT) => "the file holds more than one YAML document (a \
             `---` line starts another); a customer file is one record: remove that line, or \
             move the second record to a file of its own"
            .into(),
        m => match beyond_64_bits(m) {
            Some(fixed) => fixed,
            None => message,
        },
    };
    ParseError {
        line,
        column,
        message: message.replace('\n', " "),
    }
}

/// yaml_serde's words for a file of several documents.
const MULTI_DOCUMENT: &str = "more than one document";

/// yaml_serde's "invalid type: integer `N` as u128, expected any YAML
/// value" (a number beyond 64 bits under a key kith does not know), said so
/// that it leads somewhere; the key it names is kept in front.
fn beyond_64_bits(message: &str) -> Option<String> {
    let (head, rest) = message.split_once("invalid type: integer `")?;
    let (number, tail) = rest.split_once('`')?;
    if !(tail.starts_with(" as u128") || tail.starts_with(" as i128")) {
        return None;
    }
    Some(format!(
        "{head}the number {number} does not fit in 64 bits, the largest kith keeps; \
         quote it ('{number}') to keep it as text"
    ))
}

/// Where the second document of a file starts: the line of its `---`.
fn second_document(text: &str) -> Option<usize> {
    let mut seen_content = false;
    for (n, line) in text.lines().enumerate() {
        if line == "---" || line.starts_with("--- ") {
            if seen_content {
                return Some(n + 1);
            }
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            seen_content = true;
        }
    }
    None
}

/// Reads libyaml's `L column C`.
fn line_column(text: &str) -> Option<(usize, usize)> {
    let (line, column) = text.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// Puts an error where the file's problem is: a second document at its
/// `---` line, a line indented with a tab at the tab.
fn relocated(text: &str, e: ParseError) -> ParseError {
    if e.message.contains("more than one YAML document")
        && let Some(line) = second_document(text)
    {
        return ParseError {
            line,
            column: 1,
            message: e.message,
        };
    }
    tab_indent(text, e)
}

/// libyaml's scanner says "found character that cannot start any token"
/// (or "found a tab character …") when a tab indents a line; when the line it
/// stopped at is indented with one, say so, at the tab.
fn tab_indent(text: &str, e: ParseError) -> ParseError {
    if !e.message.starts_with("found ") {
        return e;
    }
    let Some(line) = text.lines().nth(e.line - 1) else {
        return e;
    };
    let indent = &line[..line.len() - line.trim_start().len()];
    match indent.chars().position(|c| c == '\t') {
        Some(at) => ParseError {
            line: e.line,
            column: at + 1,
            message: "a tab indents this line; YAML indents with spaces only, replace the tab \
                      with spaces"
                .into(),
        },
        None => e,
    }
}

/// Parses a `kith.yaml`-style document with positions, for the config loader.
pub fn from_yaml_located<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ParseError> {
    let text = decode(bytes)?;
    yaml_serde::from_str(text).map_err(|e| relocated(text, located(&e)))
}

// ---------------------------------------------------------------------------
// The map visitor shared by every struct of the record.

/// A struct read key by key: known keys into fields, the rest into `extra`.
trait Fields: Sized {
    const WHAT: &'static str;
    fn empty() -> Self;
    /// Reads the value of `key` if it is known; returns false otherwise.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
    fn extra(&mut self) -> &mut Extra;
    fn finish(self) -> Result<Self, String> {
        Ok(self)
    }
}

struct FieldsVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} (a map of keys)", T::WHAT)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::empty();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key_seed(UniqueKey(&mut seen))? {
            if !out.field(&key, &mut map)? {
                let value: Value = map.next_value()?;
                out.extra().insert(key, value);
            }
        }
        out.finish().map_err(de::Error::custom)
    }
}

fn read_fields<'de, T: Fields, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(FieldsVisitor(PhantomData))
}

/// A map key, refused when the map already has it.
struct UniqueKey<'a>(&'a mut HashSet<String>);

impl<'de> DeserializeSeed<'de> for UniqueKey<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let seen = self.0;
        raw_with(d, "a key", |key| {
            if seen.insert(key.to_string()) {
                Ok(key.to_string())
            } else {
                Err(format!(
                    "the key `{key}` appears twice in this map; keep one"
                ))
            }
        })
    }
}

// ---------------------------------------------------------------------------
// Scalars.

/// A scalar read as text and turned into `T` by `check` inside the visitor,
/// so that an error carries the scalar's own position. With `strict`, a plain
/// number or boolean is refused: other readers (PyYAML, spreadsheets) would
/// not see the same text.
struct ScalarVisitor<F> {
    what: &'static str,
    strict: bool,
    check: F,
}

impl<T, F: FnOnce(&str) -> Result<T, String>> Visitor<'_> for ScalarVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        if self.strict {
            return Err(E::custom(format!(
                "expected {}, found the boolean {v}; quote it: '{v}'",
                self.what
            )));
        }
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.number(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.number(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.number(v)
    }
}

impl<T, F: FnOnce(&str) -> Result<T, String>> ScalarVisitor<F> {
    fn number<E: de::Error>(self, v: impl fmt::Display) -> Result<T, E> {
        if self.strict {
            return Err(E::custom(format!(
                "expected {}, found the number {v}; quote it so it stays text: '{v}'",
                self.what
            )));
        }
        self.visit_str(&v.to_string())
    }
}

/// Text checked by `check`; plain numbers and booleans refused.
fn text_with<'de, D: Deserializer<'de>, T>(
    d: D,
    what: &'static str,
    check: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    d.deserialize_any(ScalarVisitor {
        what,
        strict: true,
        check,
    })
}

/// The raw text of a scalar, whatever YAML would resolve it to, parsed by
/// kith itself (dates, money).
fn raw_with<'de, D: Deserializer<'de>, T>(
    d: D,
    what: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    d.deserialize_str(ScalarVisitor {
        what,
        strict: false,
        check: parse,
    })
}

struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text_with(d, "text", |s| Ok(Text(s.to_string())))
    }
}

struct DateValue(Date);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a date (YYYY-MM-DD)", |s| {
            date::parse_iso(s).map(DateValue)
        })
    }
}

struct SpanValue(Span);

impl<'de> Deserialize<'de> for SpanValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a span (30d, 6w, 2m)", |s| Span::parse(s).map(SpanValue))
    }
}

/// An invoice number: a whole number from 1.
struct InvoiceNo(u32);

impl<'de> Deserialize<'de> for InvoiceNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "an invoice number", |s| match s.parse::<u32>() {
            Ok(n) if n > 0 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') => {
                Ok(InvoiceNo(n))
            }
            _ => Err(format!(
                "`{s}` is not an invoice number; write a whole number from 1"
            )),
        })
    }
}

struct WhenValue(When);

impl<'de> Deserialize<'de> for WhenValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", |s| {
            When::parse_iso(s).map(WhenValue)
        })
    }
}

struct YearlyValue(YearlyDate);

impl<'de> Deserialize<'de> for YearlyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a date (YYYY-MM-DD or --MM-DD)", |s| {
            YearlyDate::parse(s).map(YearlyValue)
        })
    }
}

pub(crate) struct MoneyValue(pub Money);

impl<'de> Deserialize<'de> for MoneyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "an amount", |s| Money::parse(s).map(MoneyValue))
    }
}

struct Rating(u8);

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a rating from 1 to 5", |s| match s {
            "1" | "2" | "3" | "4" | "5" => Ok(Rating(s.as_bytes()[0] - b'0')),
            _ => Err(format!(
                "`{s}` is not a rating; write a whole number from 1 to 5"
            )),
        })
    }
}

/// A task's number: a whole number from 1.
struct TaskNumber(u32);

impl<'de> Deserialize<'de> for TaskNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a task number", |s| {
            super::task_number(s)
                .map(TaskNumber)
                .ok_or_else(|| format!("`{s}` is not a task number; write a whole number from 1"))
        })
    }
}

/// A deal's outcome, or none for a null: read as a word of its set.
fn outcome<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Outcome>, A::Error> {
    let word = map.next_value_seed(WordSeed {
        what: Outcome::WHAT,
        all: Outcome::ALL,
    })?;
    Ok(word.and_then(Outcome::parse))
}

/// One word of a fixed set (a declared field's, see `record::fields`, or
/// an outcome's), or none for a null.
struct WordSeed {
    what: &'static str,
    all: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for WordSeed {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for WordSeed {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {}", self.what)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        text_with(d, self.what, |s| match self.all.iter().find(|w| **w == s) {
            Some(word) => Ok(Some(*word)),
            None => Err(format!(
                "`{s}` is not a {}; use one of: {}",
                self.what,
                self.all.join(", ")
            )),
        })
    }
}

/// `true` or `false`, as every YAML reader reads them alike.
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "true or false", |s| match s {
            "true" => Ok(Flag(true)),
            "false" => Ok(Flag(false)),
            _ => Err(format!("`{s}` is not true or false; write one of them")),
        })
    }
}

/// A funnel stage, checked against the folder's funnel.
struct StageValue(String);

impl<'de> Deserialize<'de> for StageValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text_with(d, "a stage", |s| {
            let problem = with_context(|cx| match &cx.schema.stages {
                Some(stages) if !stages.iter().any(|x| x == s) => Some(format!(
                    "`{s}` is not a stage of the funnel; the stages are: {}",
                    stages.join(", ")
                )),
                _ => None,
            })
            .flatten();
            problem.map_or_else(|| Ok(StageValue(s.to_string())), Err)
        })
    }
}

/// An interaction kind, checked against the built-in and configured kinds.
struct KindName(String);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text_with(d, "an interaction kind", |s| {
            let problem = with_context(|cx| match &cx.schema.kinds {
                Some(kinds) if !kinds.iter().any(|k| k == s) => Some(format!(
                    "`{s}` is not an interaction kind; the kinds are: {} (kith.yaml `kinds:` adds more)",
                    kinds.join(", ")
                )),
                _ => None,
            })
            .flatten();
            problem.map_or_else(|| Ok(KindName(s.to_string())), Err)
        })
    }
}

/// The optional `id:` key, which must equal the file's stem when it is known.
struct IdKey(String);

impl<'de> Deserialize<'de> for IdKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "the customer id", |s| {
            let problem = with_context(|cx| {
                (!cx.stem.is_empty() && cx.stem != s).then(|| {
                    format!(
                        "`{s}` does not match the file name `{}`; rename the file or fix the id",
                        cx.stem
                    )
                })
            })
            .flatten();
            problem.map_or_else(|| Ok(IdKey(s.to_string())), Err)
        })
    }
}

/// A deal id, unique within its customer.
struct DealId(String);

impl<'de> Deserialize<'de> for DealId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        raw_with(d, "a deal id", |s| {
            if s.is_empty() {
                return Err("a deal id cannot be empty".to_string());
            }
            let duplicate = with_context(|cx| !cx.deal_ids.insert(s.to_string())).unwrap_or(false);
            if duplicate {
                return Err(format!(
                    "the deal id `{s}` is used twice in this customer; deal ids must be unique"
                ));
            }
            Ok(DealId(s.to_string()))
        })
    }
}

/// A list of plain strings.
struct TextList(Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<Text> = Vec::deserialize(d)?;
        Ok(TextList(items.into_iter().map(|t| t.0).collect()))
    }
}

/// A map of text to text, kept in order (`social:`).
struct TextMap(Vec<(String, String)>);

impl<'de> Deserialize<'de> for TextMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of names to text")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextMap, A::Error> {
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                while let Some(k) = map.next_key_seed(UniqueKey(&mut seen))? {
                    let Text(v) = map.next_value()?;
                    out.push((k, v));
                }
                Ok(TextMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A list of structs read with `Fields`.
struct FieldsList<T>(Vec<T>);

impl<'de, T: Fields> Deserialize<'de> for FieldsList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Fields> Visitor<'de> for V<T> {
            type Value = FieldsList<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a list of {}s", T::WHAT)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FieldsList<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Wrapped<T>>()? {
                    out.push(item.0);
                }
                Ok(FieldsList(out))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

struct Wrapped<T>(T);

impl<'de, T: Fields> Deserialize<'de> for Wrapped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_fields(d).map(Wrapped)
    }
}

/// Reads the value of the current key into `T`, mapped by `f`; a null reads
/// as absent.
fn next<'de, A: MapAccess<'de>, T: Deserialize<'de>, U>(
    map: &mut A,
    f: impl FnOnce(T) -> U,
) -> Result<Option<U>, A::Error> {
    Ok(map.next_value::<Option<T>>()?.map(f))
}

// ---------------------------------------------------------------------------
// The structs.

struct RecordDoc(Record);

impl<'de> Deserialize<'de> for RecordDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_fields(d).map(RecordDoc)
    }
}

impl Fields for Record {
    const WHAT: &'static str = "a customer record";

    fn empty() -> Self {
        Record::default()
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        if declared(Record::FIELDS, self, key, map)? {
            return Ok(true);
        }
        match key {
            "id" => {
                if let Some(id) = next(map, |k: IdKey| k.0)? {
                    self.id = id;
                    self.id_key = true;
                }
            }
            "name" => self.name = next(map, |t: Text| t.0)?.unwrap_or_default(),
            "contact" => self.contact = next(map, |c: Wrapped<Contact>| c.0)?.unwrap_or_default(),
            "profile" => self.profile = next(map, |p: Wrapped<Profile>| p.0)?.unwrap_or_default(),
            "contacts" => {
                self.contacts = next(map, |l: FieldsList<Person>| l.0)?.unwrap_or_default()
            }
            "deals" => self.deals = next(map, |l: FieldsList<Deal>| l.0)?.unwrap_or_default(),
            "tasks" => self.tasks = next(map, |l: FieldsList<Task>| l.0)?.unwrap_or_default(),
            "interactions" => {
                self.interactions = next(map, |l: FieldsList<Interaction>| l.0)?.unwrap_or_default()
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.name.trim().is_empty() {
            return Err("the record has no `name:`; every customer needs one".into());
        }
        Ok(self)
    }
}

/// Reads field `key` of a declared group (see `record::fields`); `false`
/// when the group has no such field.
fn declared<'de, S, A: MapAccess<'de>>(
    group: &'static [fields::Field<S>],
    s: &mut S,
    key: &str,
    map: &mut A,
) -> Result<bool, A::Error> {
    let Some(field) = fields::find(group, key) else {
        return Ok(false);
    };
    match field.access {
        Access::Text(_, slot) => *slot(s) = next(map, |t: Text| t.0)?,
        Access::Networks(_, slot) => *slot(s) = next(map, |m: TextMap| m.0)?.unwrap_or_default(),
        Access::Yearly(_, slot) => *slot(s) = next(map, |y: YearlyValue| y.0)?,
        Access::Date(_, slot) => *slot(s) = next(map, |d: DateValue| d.0)?,
        Access::Flag(_, slot) => *slot(s) = next(map, |f: Flag| f.0)?,
        Access::Money(_, slot) => *slot(s) = next(map, |m: MoneyValue| m.0)?,
        Access::Rating(_, slot) => *slot(s) = next(map, |r: Rating| r.0)?,
        Access::Span(_, slot) => *slot(s) = next(map, |t: SpanValue| t.0)?,
        Access::Own => return Ok(false),
        Access::Choice(ref c) => {
            let word = map.next_value_seed(WordSeed {
                what: c.what,
                all: c.all,
            })?;
            (c.set)(s, word);
        }
        Access::Words(_, slot) => *slot(s) = next(map, |l: TextList| l.0)?.unwrap_or_default(),
    }
    Ok(true)
}

impl Fields for Contact {
    const WHAT: &'static str = "contact details";

    fn empty() -> Self {
        Contact::default()
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        declared(Contact::FIELDS, self, key, map)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

impl Fields for Profile {
    const WHAT: &'static str = "a profile";

    fn empty() -> Self {
        Profile::default()
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        declared(Profile::FIELDS, self, key, map)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

impl Fields for Person {
    const WHAT: &'static str = "a contact";

    fn empty() -> Self {
        Person::default()
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        if key == "name" {
            self.name = next(map, |t: Text| t.0)?.unwrap_or_default();
            return Ok(true);
        }
        declared(Person::FIELDS, self, key, map)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.name.trim().is_empty() {
            return Err("a contact has no `name:`".into());
        }
        Ok(self)
    }
}

impl Fields for Deal {
    const WHAT: &'static str = "a deal";

    fn empty() -> Self {
        Deal::blank()
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = next(map, |i: DealId| i.0)?.unwrap_or_default(),
            "stage" => self.stage = next(map, |s: StageValue| s.0)?.unwrap_or_default(),
            "outcome" => self.outcome = outcome(map)?,
            "invoices" => {
                self.invoices = next(map, |l: FieldsList<Invoice>| l.0)?.unwrap_or_default()
            }
            "history" => {
                self.history = next(map, |l: FieldsList<HistoryEntry>| l.0)?.unwrap_or_default()
            }
            _ => return declared(Deal::FIELDS, self, key, map),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.id.is_empty() {
            return Err("a deal has no `id:`; give it one unique within the customer".into());
        }
        if self.stage.is_empty() {
            return Err(format!("the deal `{}` has no `stage:`", self.id));
        }
        Ok(self)
    }
}

impl Fields for Invoice {
    const WHAT: &'static str = "an invoice";

    fn empty() -> Self {
        Invoice {
            no: 0,
            date: Date::MIN,
            amount: Money::ZERO,
            due: Date::MIN,
            extra: Extra::new(),
        }
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "no" => self.no = next(map, |n: InvoiceNo| n.0)?.unwrap_or(0),
            "date" => self.date = next(map, |d: DateValue| d.0)?.unwrap_or(Date::MIN),
            "amount" => self.amount = next(map, |m: MoneyValue| m.0)?.unwrap_or(Money::ZERO),
            "due" => self.due = next(map, |d: DateValue| d.0)?.unwrap_or(Date::MIN),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.no == 0 {
            return Err("an invoice has no `no:`".into());
        }
        if self.date == Date::MIN || self.due == Date::MIN {
            return Err(format!("invoice {} needs a `date:` and a `due:`", self.no));
        }
        if !self.amount.is_positive() {
            return Err(format!("invoice {} needs a positive `amount:`", self.no));
        }
        Ok(self)
    }
}

impl Fields for HistoryEntry {
    const WHAT: &'static str = "a history entry";

    fn empty() -> Self {
        HistoryEntry {
            stage: None,
            outcome: None,
            date: Date::MIN,
            extra: Extra::new(),
        }
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "stage" => self.stage = next(map, |s: StageValue| s.0)?,
            "outcome" => self.outcome = outcome(map)?,
            "date" => self.date = next(map, |d: DateValue| d.0)?.unwrap_or(Date::MIN),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.date == Date::MIN {
            return Err("a history entry has no `date:`".into());
        }
        if self.stage.is_none() && self.outcome.is_none() {
            return Err("a history entry needs a `stage:` or an `outcome:`".into());
        }
        Ok(self)
    }
}

impl Fields for Task {
    const WHAT: &'static str = "a task";

    fn empty() -> Self {
        Task {
            number: None,
            due: Date::MIN,
            what: String::new(),
            done: None,
            extra: Extra::new(),
        }
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "number" => self.number = next(map, |n: TaskNumber| n.0)?,
            "due" => self.due = next(map, |d: DateValue| d.0)?.unwrap_or(Date::MIN),
            "what" => self.what = next(map, |t: Text| t.0)?.unwrap_or_default(),
            _ => return declared(Task::FIELDS, self, key, map),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(self) -> Result<Self, String> {
        if self.due == Date::MIN {
            return Err("a task has no `due:` date".into());
        }
        if self.what.is_empty() {
            return Err("a task has no `what:`".into());
        }
        Ok(self)
    }
}

impl Fields for Interaction {
    const WHAT: &'static str = "an interaction";

    fn empty() -> Self {
        Interaction::new(When::day(Date::MIN), "")
    }

    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "date" => self.date = next(map, |w: WhenValue| w.0)?.unwrap_or(When::day(Date::MIN)),
            "kind" => self.kind = next(map, |k: KindName| k.0)?.unwrap_or_default(),
            "number" => self.number = next(map, |n: TaskNumber| n.0)?,
            _ => return declared(Interaction::FIELDS, self, key, map),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }

    fn finish(mut self) -> Result<Self, String> {
        if self.date.date == Date::MIN {
            return Err("an interaction has no `date:`".into());
        }
        if self.kind.is_empty() {
            return Err("an interaction has no `kind:`".into());
        }
        self.amount = self
            .amount
            .map(|m| Interaction::stored_amount(&self.kind, m));
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str) -> Option<(usize, usize)> {
        check_depth(text).err().map(|e| (e.line, e.column))
    }

    #[test]
    fn nesting_past_the_limit_is_refused_in_one_pass() {
        let deep = |n: usize| format!("name: a\nz: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(depth_error(&deep(MAX_DEPTH)), None);
        assert_eq!(depth_error(&deep(MAX_DEPTH + 1)), Some((2, 4 + MAX_DEPTH)));
        assert_eq!(
            depth_error(&format!("z: {}", "[".repeat(100_000))),
            Some((1, 4 + MAX_DEPTH))
        );
        assert_eq!(
            depth_error(&format!("- &a {}", "{a: ".repeat(200))),
            Some((1, 6 + 4 * MAX_DEPTH))
        );
        assert_eq!(
            depth_error(&format!("x: !!seq\n  {}", "[".repeat(200))),
            Some((2, 3 + MAX_DEPTH))
        );
        assert_eq!(
            depth_error(&format!("- {}", "[".repeat(200))),
            Some((1, 3 + MAX_DEPTH))
        );
    }

    #[test]
    fn brackets_in_text_and_comments_do_not_count() {
        let many = "[".repeat(300);
        for text in [
            format!("name: a{many}\n"),
            format!("name: '{many}'\n"),
            format!("name: \"{many}\"\n"),
            format!("name: a # {many}\n"),
            format!("# {many}\nname: a\n"),
            format!("name: 'it''s {many}'\n"),
            format!("name: \"say \\\" {many}\"\n"),
            format!("z: ['{many}', \"{many}\"]\n"),
            format!("url: http://x{many}\n"),
        ] {
            assert_eq!(depth_error(&text), None, "{text}");
        }
    }
}

//! `kith set ID KEY=VALUE...`: sets fields by dotted path. Known keys take a
//! value of their type; lists take comma-separated items, `+=` adds one and
//! `-=` removes one; `KEY=` removes the key. A key kith does not know is
//! accepted only when the file already holds it, `kith.yaml` declares it
//! under `fields:`, or `--new` is given; it is then stored as text. A path
//! through a value that is not a map is refused, so `set` never writes a
//! file kith cannot read. Each changed field is named on stderr.

use std::sync::LazyLock;

use anyhow::Result;
use yaml_serde::{Mapping, Value};

use crate::cli::SetArgs;
use crate::cmd::Ctx;
use crate::date::{Span, YearlyDate};
use crate::error;
use crate::money::Money;
use crate::record::fields::{self, Access, Field};
use crate::record::{self, Contact, Deal, Extra, Profile, Record};
use crate::sheet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Set,
    Add,
    Remove,
}

/// One `KEY=VALUE` as typed.
#[derive(Debug)]
struct Assignment {
    path: Vec<String>,
    op: Op,
    value: String,
}

fn parse_assignment(text: &str) -> Result<Assignment> {
    let (key, op, value) = if let Some((k, v)) = text.split_once("+=") {
        (k, Op::Add, v)
    } else if let Some((k, v)) = text.split_once("-=") {
        (k, Op::Remove, v)
    } else if let Some((k, v)) = text.split_once('=') {
        (k, Op::Set, v)
    } else {
        return Err(error::bad(format!(
            "`{text}` is not KEY=VALUE (or KEY+=ITEM, KEY-=ITEM, KEY= to remove)"
        )));
    };
    let path: Vec<String> = key.split('.').map(|p| p.trim().to_string()).collect();
    if path.iter().any(String::is_empty) {
        return Err(error::bad(format!(
            "`{key}` is not a key path (write contact.email)"
        )));
    }
    Ok(Assignment {
        path,
        op,
        value: value.to_string(),
    })
}

pub fn run(ctx: &Ctx, args: SetArgs) -> Result<u8> {
    let store = ctx.store()?;
    let assignments = args
        .assignments
        .iter()
        .map(|a| parse_assignment(a))
        .collect::<Result<Vec<_>>>()?;
    let declared = &store.config.fields;
    let changes = store.update(&args.id, |record| {
        let before = record.clone();
        for a in &assignments {
            let keys: Vec<&str> = a.path.iter().map(String::as_str).collect();
            check_key(&keys, &as_yaml(record), declared, args.new)?;
            apply(record, a)?;
        }
        Ok(changed_fields(&before, record, &assignments))
    })?;
    for change in changes {
        ctx.note(change);
    }
    Ok(0)
}

/// What a key kith knows holds, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Choice(&'static [&'static str]),
    Flag,
    List,
    Money,
    Date,
    /// A map of kith's own fields (`contact`, `profile`).
    Fields,
    /// `contact.social`: network → name.
    Networks,
    /// Deals, tasks, interactions and the id, changed by other commands.
    Own,
}

impl Shape {
    fn describe(self) -> String {
        match self {
            Shape::Text => "text".into(),
            Shape::Choice(all) => format!("one of {}", all.join(", ")),
            Shape::Flag => "a boolean".into(),
            Shape::List => "a list".into(),
            Shape::Money => "an amount of money".into(),
            Shape::Date => "a date".into(),
            Shape::Fields => "a map of fields".into(),
            Shape::Networks => "a map of networks".into(),
            Shape::Own => "a list".into(),
        }
    }
}

/// Every key kith knows, with what it holds: the record's keys in
/// canonical order, each group's declared fields after the group.
static KNOWN: LazyLock<Vec<(&'static str, Shape)>> = LazyLock::new(|| {
    fn shapes<S>(group: &'static [Field<S>]) -> Vec<(&'static str, Shape)> {
        let shape = |f: &Field<S>| match f.access {
            Access::Text(..) => Shape::Text,
            Access::Networks(..) => Shape::Networks,
            Access::Yearly(..) | Access::Date(..) => Shape::Date,
            Access::Words(..) => Shape::List,
            Access::Choice(ref c) => Shape::Choice(c.all),
            Access::Flag(..) => Shape::Flag,
            Access::Money(..) => Shape::Money,
            Access::Rating(..) => Shape::Choice(&["1", "2", "3", "4", "5"]),
            Access::Span(..) => Shape::Text,
            Access::Own => Shape::Own,
        };
        group.iter().map(|f| (f.path, shape(f))).collect()
    }
    let mut known = Vec::new();
    for (key, shape) in shapes(Record::FIELDS) {
        match key {
            "name" => known.push((key, Shape::Text)),
            "contact" => {
                known.push((key, Shape::Fields));
                known.extend(shapes(Contact::FIELDS));
            }
            "profile" => {
                known.push((key, Shape::Fields));
                known.extend(shapes(Profile::FIELDS));
            }
            _ => known.push((key, shape)),
        }
    }
    known
});

fn known(key: &str) -> Option<Shape> {
    KNOWN.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// Refuses a key `set` must not write: a path through a value that is not
/// a map (the file would no longer parse, or would hold a key twice), a map
/// of fields given a value, and a key that is neither known, nor held by the
/// file, nor declared in `kith.yaml`, unless `new`.
fn check_key(path: &[&str], held: &Value, declared: &[String], new: bool) -> Result<()> {
    let key = path.join(".");
    if matches!(known(path[0]), Some(Shape::Own)) {
        // Refused with its own message by `apply`.
        return Ok(());
    }
    for n in 1..path.len() {
        let through = path[..n].join(".");
        match known(&through) {
            None | Some(Shape::Fields) => {}
            Some(Shape::Networks) if n + 1 == path.len() => return Ok(()),
            Some(Shape::Networks) => {
                return Err(not_a_map(&path[..=n].join("."), "text", &key));
            }
            Some(shape) => return Err(not_a_map(&through, &shape.describe(), &key)),
        }
    }
    match known(&key) {
        Some(Shape::Fields) => {
            let fields: Vec<&str> = KNOWN
                .iter()
                .filter_map(|(k, _)| k.strip_prefix(&format!("{key}.")))
                .filter(|k| !k.contains('.'))
                .collect();
            return Err(error::bad(format!(
                "`{key}` is a map of fields ({}); set one of them, e.g. `{key}.{}=VALUE`",
                fields.join(", "),
                fields.first().copied().unwrap_or_default()
            )));
        }
        Some(Shape::Networks) => {
            return Err(error::bad(format!(
                "`{key}` is a map of networks; set one of them, e.g. `{key}.wechat=NAME`"
            )));
        }
        Some(_) => return Ok(()),
        None => {}
    }
    // A key kith does not know: through the file's own values.
    let mut at = held;
    let mut in_file = true;
    for (i, part) in path.iter().enumerate() {
        match at {
            Value::Mapping(map) => match map.get(*part) {
                Some(v) => at = v,
                None => {
                    in_file = false;
                    break;
                }
            },
            other => return Err(not_a_map(&path[..i].join("."), value_kind(other), &key)),
        }
    }
    let is_declared = declared
        .iter()
        .any(|d| key == *d || key.starts_with(&format!("{d}.")));
    if in_file || is_declared || new {
        return Ok(());
    }
    let hint = match nearest_key(&key, declared) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    Err(error::bad(format!(
        "`{key}` is not a field kith knows; {hint}(declare your own fields in kith.yaml \
         `fields:`, or pass --new to store it as text)"
    )))
}

fn not_a_map(field: &str, holds: &str, key: &str) -> anyhow::Error {
    error::bad(format!(
        "`{field}` holds {holds}, not a map; cannot set `{key}` below it"
    ))
}

/// What a value of the file is, as messages name it.
fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The known or declared key nearest to a mistyped one, comparing the whole
/// path and its last part (`emial` → `contact.email`).
fn nearest_key(key: &str, declared: &[String]) -> Option<String> {
    let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_string();
    let candidates = KNOWN
        .iter()
        .filter(|(_, s)| !matches!(s, Shape::Fields | Shape::Networks | Shape::Own))
        .map(|(k, _)| (*k).to_string())
        .chain(declared.iter().cloned());
    candidates
        .map(|c| {
            let score =
                strsim::jaro_winkler(key, &c).max(strsim::jaro_winkler(&last(key), &last(&c)));
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, c)| c)
}

/// The record as YAML values, to look keys up by path.
fn as_yaml(r: &Record) -> Value {
    yaml_serde::from_str(&record::emit_record(r)).unwrap_or(Value::Null)
}

/// `field: old → new` for each key the assignments changed, in their order.
fn changed_fields(before: &Record, after: &Record, assignments: &[Assignment]) -> Vec<String> {
    let (old, new) = (as_yaml(before), as_yaml(after));
    let mut seen = Vec::new();
    let mut lines = Vec::new();
    for a in assignments {
        let key = a.path.join(".");
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let was = shown(before, &old, &a.path);
        let now = shown(after, &new, &a.path);
        if was != now {
            lines.push(format!("{key}: {was} → {now}"));
        }
    }
    lines
}

/// A field's value as the change note shows it; `(none)` when absent.
fn shown(r: &Record, yaml: &Value, path: &[String]) -> String {
    let key = path.join(".");
    let cell_field = match key.as_str() {
        _ if matches!(path[0].as_str(), "contact" | "profile")
            && path.len() == 2
            && sheet::CUSTOMER_COLUMNS.contains(&path[1].as_str()) =>
        {
            Some(path[1].as_str())
        }
        // Lists of words as the file writes them, `[a, b]`, not as cells.
        _ if path.len() == 1
            && fields::find(Record::FIELDS, &key)
                .is_some_and(|f| !matches!(f.access, Access::Words(..))) =>
        {
            Some(key.as_str())
        }
        "name" => Some(key.as_str()),
        _ => None,
    };
    let text = match cell_field {
        Some(field) => sheet::customer_cell(r, field).plain(),
        None => {
            let mut at = Some(yaml);
            for part in path {
                at = at.and_then(|v| v.get(part.as_str()));
            }
            at.map(flow).unwrap_or_default()
        }
    };
    if text.is_empty() {
        "(none)".to_string()
    } else {
        text
    }
}

/// A value on one line: scalars as they are, lists and maps in flow style.
fn flow(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items) => {
            format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            )
        }
        Value::Mapping(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", flow(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Tagged(t) => flow(&t.value),
    }
}

fn apply(r: &mut Record, a: &Assignment) -> Result<()> {
    let keys: Vec<&str> = a.path.iter().map(String::as_str).collect();
    let v = a.value.as_str();
    let declared = match keys.as_slice() {
        [key] => set_declared(Record::FIELDS, r, key, a),
        ["contact", key] => set_declared(Contact::FIELDS, &mut r.contact, key, a),
        ["profile", key] => set_declared(Profile::FIELDS, &mut r.profile, key, a),
        _ => None,
    };
    if let Some(done) = declared {
        return done;
    }
    match keys.as_slice() {
        ["id"] => Err(error::bad(
            "the id is the file name; to change it, rename the file (and fix `id:` if it has one)",
        )),
        ["deals", deal, field @ ("close" | "terms")] => set_deal(r, deal, field, a),
        ["deals" | "tasks" | "interactions" | "contacts", ..] => Err(error::bad(format!(
            "`{}` changes only through its own commands (deal, advance, lose, task, done, log, contact)",
            keys[0]
        ))),
        ["name"] => {
            if a.op != Op::Set || v.trim().is_empty() {
                return Err(error::bad(
                    "every customer needs a name; give name=NEW NAME",
                ));
            }
            r.name = v.trim().to_string();
            Ok(())
        }
        ["contact", "social", network] => {
            let social = &mut r.contact.social;
            let pos = social.iter().position(|(k, _)| k == network);
            match (a.op, pos) {
                (Op::Set, _) if v.is_empty() => {
                    social.retain(|(k, _)| k != network);
                }
                (Op::Set, Some(i)) => social[i].1 = v.to_string(),
                (Op::Set, None) => social.push(((*network).to_string(), v.to_string())),
                _ => return Err(not_a_list(&a.path)),
            }
            Ok(())
        }
        ["contact", rest @ ..] => set_unknown(&mut r.contact.extra, rest, a),
        ["profile", rest @ ..] => set_unknown(&mut r.profile.extra, rest, a),
        rest => set_unknown(&mut r.extra, rest, a),
    }
}

/// A deal's expected close date or payment terms: the only deal fields
/// `set` changes (the others change through the deal commands).
fn set_deal(r: &mut Record, deal: &str, field: &str, a: &Assignment) -> Result<()> {
    let i = crate::deal::deal_index(r, deal)?;
    let d = &mut r.deals[i];
    set_declared(Deal::FIELDS, d, field, a).unwrap_or_else(|| Err(not_a_list(&a.path)))
}

fn not_a_list(path: &[String]) -> anyhow::Error {
    error::bad(format!("`{}` is not a list; use KEY=VALUE", path.join(".")))
}

/// Sets field `key` of a declared group as what it holds; `None` when the
/// group has no such field, or the field is a map (its entries are set one
/// by one).
fn set_declared<S>(
    group: &'static [Field<S>],
    s: &mut S,
    key: &str,
    a: &Assignment,
) -> Option<Result<()>> {
    Some(match fields::find(group, key)?.access {
        Access::Text(_, slot) => set_text(slot(s), a),
        Access::Yearly(_, slot) => set_parsed(slot(s), a, YearlyDate::parse),
        Access::Date(_, slot) => set_parsed(slot(s), a, crate::date::parse_iso),
        Access::Flag(_, slot) => set_word(slot(s), a, |s| s.parse().ok(), FLAG),
        Access::Money(_, slot) => set_parsed(slot(s), a, Money::parse),
        Access::Rating(_, slot) => set_parsed(slot(s), a, |s| {
            crate::sheet::value::rating(s).and_then(|n| n.ok_or_else(String::new))
        }),
        Access::Span(_, slot) => set_parsed(slot(s), a, Span::parse),
        Access::Own => return None,
        // The same rule as a spreadsheet cell's.
        Access::Choice(ref c) if a.op == Op::Set => c
            .choose(s, &a.value)
            .map_err(|e| error::bad(format!("{}: {e}", a.path.join(".")))),
        Access::Choice(..) => Err(not_a_list(&a.path)),
        Access::Words(_, slot) => set_list(slot(s), a),
        Access::Networks(..) => return None,
    })
}

fn set_text(field: &mut Option<String>, a: &Assignment) -> Result<()> {
    if a.op != Op::Set {
        return Err(not_a_list(&a.path));
    }
    *field = (!a.value.is_empty()).then(|| a.value.clone());
    Ok(())
}

fn set_parsed<T>(
    field: &mut Option<T>,
    a: &Assignment,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<()> {
    if a.op != Op::Set {
        return Err(not_a_list(&a.path));
    }
    *field = if a.value.is_empty() {
        None
    } else {
        Some(parse(&a.value).map_err(|e| error::bad(format!("{}: {e}", a.path.join("."))))?)
    };
    Ok(())
}

/// The words of a flag.
const FLAG: &[&str] = &["true", "false"];

fn set_word<T>(
    field: &mut Option<T>,
    a: &Assignment,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<()> {
    set_parsed(field, a, |s| {
        parse(s).ok_or_else(|| format!("`{s}` is not one of {}", all.join(", ")))
    })
}

fn split_items(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn set_list(list: &mut Vec<String>, a: &Assignment) -> Result<()> {
    match a.op {
        Op::Set => *list = split_items(&a.value),
        Op::Add => {
            for item in split_items(&a.value) {
                if !list.contains(&item) {
                    list.push(item);
                }
            }
        }
        Op::Remove => {
            let gone = split_items(&a.value);
            list.retain(|t| !gone.contains(t));
        }
    }
    Ok(())
}

/// An unknown key, at any depth below `extra`, stored as text.
fn set_unknown(extra: &mut Extra, path: &[&str], a: &Assignment) -> Result<()> {
    let Some((first, rest)) = path.split_first() else {
        return Err(error::bad("empty key"));
    };
    if rest.is_empty() {
        return set_unknown_leaf(extra, first, a);
    }
    let entry = extra
        .entry((*first).to_string())
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    let Value::Mapping(map) = entry else {
        return Err(error::bad(format!(
            "`{first}` holds a value, not a map; cannot set `{}` below it",
            a.path.join(".")
        )));
    };
    let mut nested: Extra = map
        .iter()
        .filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), v.clone())))
        .collect();
    set_unknown(&mut nested, rest, a)?;
    if nested.is_empty() {
        extra.remove(*first);
    } else {
        *map = nested
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect();
    }
    Ok(())
}

fn set_unknown_leaf(extra: &mut Extra, key: &str, a: &Assignment) -> Result<()> {
    let value = a.value.as_str();
    match a.op {
        Op::Set if value.is_empty() => {
            extra.remove(key);
        }
        Op::Set => {
            extra.insert(key.to_string(), Value::String(value.to_string()));
        }
        Op::Add | Op::Remove => {
            let mut items: Vec<Value> = match extra.remove(key) {
                None => Vec::new(),
                Some(Value::Sequence(items)) => items,
                Some(other) => {
                    extra.insert(key.to_string(), other);
                    return Err(not_a_list(&a.path));
                }
            };
            let changed = split_items(value);
            if a.op == Op::Add {
                for item in changed {
                    let item = Value::String(item);
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            } else {
                items.retain(|i| !i.as_str().is_some_and(|s| changed.iter().any(|c| c == s)));
            }
            if !items.is_empty() {
                extra.insert(key.to_string(), Value::Sequence(items));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date;
    use crate::record::Tier;

    /// `set` of one assignment as the command does it: the key checked
    /// against the record, then applied.
    fn set_with(r: &mut Record, text: &str, declared: &[String], new: bool) -> Result<()> {
        let a = parse_assignment(text)?;
        let keys: Vec<&str> = a.path.iter().map(String::as_str).collect();
        check_key(&keys, &as_yaml(r), declared, new)?;
        apply(r, &a)
    }

    fn set(r: &mut Record, text: &str) -> Result<()> {
        set_with(r, text, &[], false)
    }

    fn message(r: Result<()>) -> String {
        format!("{:#}", r.expect_err("refused"))
    }

    #[test]
    fn sets_known_and_unknown_keys() {
        let mut r = Record::new("a", "A");
        set(&mut r, "contact.email=x@y.example").unwrap();
        set(&mut r, "tags=a, b").unwrap();
        set(&mut r, "tags+=c").unwrap();
        set(&mut r, "tags-=a").unwrap();
        set(&mut r, "tier=vip").unwrap();
        set_with(&mut r, "crm.legacy_id=X-17", &[], true).unwrap();
        set(&mut r, "profile.birthday=--03-14").unwrap();
        assert_eq!(r.contact.email.as_deref(), Some("x@y.example"));
        assert_eq!(r.tags, vec!["b", "c"]);
        assert_eq!(r.tier, Some(Tier::Vip));
        assert_eq!(r.profile.birthday.unwrap().to_string(), "--03-14");
        assert!(r.extra.contains_key("crm"));
        // Held by the file now: no --new needed.
        set(&mut r, "crm.legacy_id=").unwrap();
        assert!(!r.extra.contains_key("crm"));
    }

    #[test]
    fn sets_a_deals_close_date_and_terms_only() {
        let mut r = Record::new("a", "A");
        let day = date::parse_iso("2026-03-01").unwrap();
        r.deals.push(crate::record::Deal::open(
            "erp".into(),
            None,
            None,
            "met".into(),
            day,
        ));
        set(&mut r, "deals.erp.close=2026-12-31").unwrap();
        set(&mut r, "deals.erp.terms=45d").unwrap();
        assert_eq!(r.deals[0].close.unwrap().to_string(), "2026-12-31");
        assert_eq!(r.deals[0].terms.unwrap().to_string(), "45d");
        assert!(set(&mut r, "deals.erp.close=soon").is_err());
        assert!(set(&mut r, "deals.erp.stage=won").is_err());
        set(&mut r, "deals.erp.close=").unwrap();
        assert_eq!(r.deals[0].close, None);
    }

    #[test]
    fn refuses_bad_values() {
        let mut r = Record::new("a", "A");
        assert!(set(&mut r, "tier=gold").is_err());
        assert!(set(&mut r, "acquisition_cost=1.005").is_err());
        assert!(set(&mut r, "profile.birthday=2026-02-30").is_err());
        assert!(set(&mut r, "deals=x").is_err());
        assert!(set(&mut r, "deals.erp.close=2026-12-01").is_err());
        assert!(set(&mut r, "name=").is_err());
        assert!(set(&mut r, "novalue").is_err());
    }

    #[test]
    fn paths_through_values_that_are_not_maps_are_refused() {
        let mut r = Record::new("a", "A");
        for (text, expected) in [
            (
                "contact.email.work=a@b.example",
                "`contact.email` holds text, not a map",
            ),
            ("name.first=Bob", "`name` holds text, not a map"),
            ("tags.x=", "`tags` holds a list, not a map"),
            ("owner.x=", "`owner` holds text, not a map"),
            (
                "tier.x=vip",
                "`tier` holds one of prospect, regular, vip, not a map",
            ),
            (
                "profile.birthday.x=1",
                "`profile.birthday` holds a date, not a map",
            ),
            (
                "acquisition_cost.x=1",
                "`acquisition_cost` holds an amount of money, not a map",
            ),
            (
                "contact.social.wechat.x=1",
                "`contact.social.wechat` holds text, not a map",
            ),
            (
                "contact=foo",
                "`contact` is a map of fields (email, phone, address, ",
            ),
            ("profile=foo", "`profile` is a map of fields"),
            (
                "contact.social=foo",
                "`contact.social` is a map of networks",
            ),
        ] {
            let m = message(set_with(&mut r, text, &[], true));
            assert!(m.starts_with(expected), "{text}: {m}");
        }
        set_with(&mut r, "crm=old", &[], true).unwrap();
        let m = message(set(&mut r, "crm.id=1"));
        assert_eq!(
            m,
            "`crm` holds text, not a map; cannot set `crm.id` below it"
        );
        assert_eq!(r, {
            let mut want = Record::new("a", "A");
            want.extra.insert("crm".into(), Value::String("old".into()));
            want
        });
    }

    #[test]
    fn unknown_keys_need_a_declaration_or_new() {
        let mut r = Record::new("a", "A");
        assert_eq!(
            message(set(&mut r, "emial=x@y.example")),
            "`emial` is not a field kith knows; did you mean `contact.email`? (declare your own \
             fields in kith.yaml `fields:`, or pass --new to store it as text)"
        );
        assert!(message(set(&mut r, "contact.phnoe=1")).contains("did you mean `contact.phone`?"));
        assert!(
            message(set(&mut r, "zzzzzz=1"))
                .starts_with("`zzzzzz` is not a field kith knows; (declare")
        );
        let declared = vec!["crm".to_string(), "region".to_string()];
        set_with(&mut r, "crm.legacy_id=X", &declared, false).unwrap();
        set_with(&mut r, "region=east", &declared, false).unwrap();
        assert!(
            message(set_with(&mut r, "regoin=east", &declared, false))
                .contains("did you mean `region`?")
        );
        set_with(&mut r, "emial=x", &[], true).unwrap();
        assert_eq!(r.extra.get("emial"), Some(&Value::String("x".into())));
    }

    #[test]
    fn changes_are_named_old_to_new() {
        let before = Record::new("a", "A");
        let mut after = before.clone();
        let assignments: Vec<Assignment> =
            ["tier=vip", "acquisition_cost=800", "name=A", "crm.id=7"]
                .iter()
                .map(|t| parse_assignment(t).unwrap())
                .collect();
        for a in &assignments {
            apply(&mut after, a).unwrap();
        }
        assert_eq!(
            changed_fields(&before, &after, &assignments),
            vec![
                "tier: (none) → vip",
                "acquisition_cost: (none) → 800.00",
                "crm.id: (none) → 7"
            ]
        );
    }
}

//! `kith set ID KEY=VALUE...`: sets fields by dotted path. Known keys take a
//! value of their type; lists take comma-separated items, `+=` adds one and
//! `-=` removes one; `KEY=` removes the key; unknown keys are stored as text.

use anyhow::Result;
use yaml_serde::{Mapping, Value};

use crate::app::Ctx;
use crate::cli::SetArgs;
use crate::date::YearlyDate;
use crate::error;
use crate::money::Money;
use crate::record::{CustomerKind, Extra, Record, Relationship, Tier};

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
    store.update(&args.id, |record| {
        for a in &assignments {
            apply(record, a)?;
        }
        Ok(())
    })?;
    Ok(0)
}

fn apply(r: &mut Record, a: &Assignment) -> Result<()> {
    let keys: Vec<&str> = a.path.iter().map(String::as_str).collect();
    let v = a.value.as_str();
    match keys.as_slice() {
        ["id"] => Err(error::bad(
            "the id is the file name; to change it, rename the file (and fix `id:` if it has one)",
        )),
        ["deals" | "tasks" | "interactions", ..] => Err(error::bad(format!(
            "`{}` changes only through its own commands (deal, advance, lose, task, done, log)",
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
        ["kind"] => set_word(&mut r.kind, a, CustomerKind::parse, CustomerKind::ALL),
        ["tier"] => set_word(&mut r.tier, a, Tier::parse, Tier::ALL),
        ["relationship"] => set_word(
            &mut r.relationship,
            a,
            Relationship::parse,
            Relationship::ALL,
        ),
        ["organization"] => set_text(&mut r.organization, a),
        ["owner"] => set_text(&mut r.owner, a),
        ["source"] => set_text(&mut r.source, a),
        ["tags"] => set_list(&mut r.tags, a),
        ["acquisition_cost"] => set_parsed(&mut r.acquisition_cost, a, Money::parse),
        ["contact", "email"] => set_text(&mut r.contact.email, a),
        ["contact", "phone"] => set_text(&mut r.contact.phone, a),
        ["contact", "address"] => set_text(&mut r.contact.address, a),
        ["contact", "website"] => set_text(&mut r.contact.website, a),
        ["contact", "preferred"] => set_text(&mut r.contact.preferred, a),
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
        ["profile", "birthday"] => set_parsed(&mut r.profile.birthday, a, YearlyDate::parse),
        ["profile", "anniversary"] => set_parsed(&mut r.profile.anniversary, a, YearlyDate::parse),
        ["profile", "family"] => set_text(&mut r.profile.family, a),
        ["profile", "hobbies"] => set_list(&mut r.profile.hobbies, a),
        ["profile", "groups"] => set_list(&mut r.profile.groups, a),
        ["profile", "note"] => set_text(&mut r.profile.note, a),
        ["contact", rest @ ..] => set_unknown(&mut r.contact.extra, rest, a),
        ["profile", rest @ ..] => set_unknown(&mut r.profile.extra, rest, a),
        rest => set_unknown(&mut r.extra, rest, a),
    }
}

fn not_a_list(path: &[String]) -> anyhow::Error {
    error::bad(format!("`{}` is not a list; use KEY=VALUE", path.join(".")))
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

    fn set(r: &mut Record, text: &str) -> Result<()> {
        apply(r, &parse_assignment(text)?)
    }

    #[test]
    fn sets_known_and_unknown_keys() {
        let mut r = Record::new("a", "A");
        set(&mut r, "contact.email=x@y.example").unwrap();
        set(&mut r, "tags=a, b").unwrap();
        set(&mut r, "tags+=c").unwrap();
        set(&mut r, "tags-=a").unwrap();
        set(&mut r, "tier=vip").unwrap();
        set(&mut r, "crm.legacy_id=X-17").unwrap();
        set(&mut r, "profile.birthday=--03-14").unwrap();
        assert_eq!(r.contact.email.as_deref(), Some("x@y.example"));
        assert_eq!(r.tags, vec!["b", "c"]);
        assert_eq!(r.tier, Some(Tier::Vip));
        assert_eq!(r.profile.birthday.unwrap().to_string(), "--03-14");
        assert!(r.extra.contains_key("crm"));
        set(&mut r, "crm.legacy_id=").unwrap();
        assert!(!r.extra.contains_key("crm"));
    }

    #[test]
    fn refuses_bad_values() {
        let mut r = Record::new("a", "A");
        assert!(set(&mut r, "tier=gold").is_err());
        assert!(set(&mut r, "acquisition_cost=1.005").is_err());
        assert!(set(&mut r, "profile.birthday=2026-02-30").is_err());
        assert!(set(&mut r, "deals=x").is_err());
        assert!(set(&mut r, "name=").is_err());
        assert!(set(&mut r, "novalue").is_err());
    }
}

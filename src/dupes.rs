//! Likely duplicate customers, and merging one customer into another: pure
//! functions on records, no I/O (`cmd::dupes` reads and writes).
//!
//! Two customers are likely the same when they share an email (case
//! ignored; the customer's own or a current contact's), a phone number (spaces, `-`, `.`, `(`, `)` and `+` ignored) or a
//! name (case and runs of white space ignored, full-width forms folded).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::date::{Date, When};
use crate::record::id;
use crate::record::{Extra, Interaction, Record};
use crate::sheet::{CUSTOMER_FIELDS, customer_cell, set_customer_field};

/// What duplicate detection keeps of a record.
#[derive(Debug, Clone)]
pub struct Keys {
    pub id: String,
    pub name: String,
    /// The customer's email and its current contacts' emails, lower case,
    /// each once.
    emails: Vec<String>,
    phone: Option<String>,
    folded_name: String,
}

impl Keys {
    /// The keys of a record, its contacts as current on `today`.
    pub fn of(r: &Record, today: Date) -> Keys {
        let current = r.contacts.iter().filter(|p| p.is_current(today));
        let mut emails: Vec<String> = std::iter::once(r.contact.email.as_deref())
            .chain(current.map(|p| p.email.as_deref()))
            .flatten()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        emails.sort();
        emails.dedup();
        Keys {
            id: r.id.clone(),
            name: r.name.clone(),
            emails,
            phone: r
                .contact
                .phone
                .as_deref()
                .map(phone_key)
                // `n/a`, `none`, `-`: placeholders, not numbers two customers share.
                .filter(|p| p.chars().any(|c| c.is_ascii_digit())),
            folded_name: fold_name(&r.name),
        }
    }
}

/// A phone number with its punctuation removed: `+86 (571) 000-0000` and
/// `86571 0000000` are the same.
pub fn phone_key(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '+')))
        .collect()
}

/// A name folded for comparison: NFKC, lower case, white space runs as one
/// space, ends trimmed.
pub fn fold_name(name: &str) -> String {
    crate::record::fold(name)
}

/// A row of a group of likely duplicates: its first member `id` (in byte
/// order), another member `other`, and why `other` is in the group:
/// `email`, `phone`, `name` (in that order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub id: String,
    pub other: String,
    pub reasons: Vec<&'static str>,
}

/// One of the keys two customers may share (a customer may have several
/// emails).
type KeyOf = fn(&Keys) -> Vec<&str>;

/// Every likely duplicate, as groups: customers linked by a shared key,
/// directly or through others, make one group. Each group is given as pairs
/// of its first member (in id order) with each other member, and why that
/// member is in the group (the keys it shares with others of it: `email`,
/// `phone`, `name`). A group of two is the pair itself; a group of 3,000
/// customers is 2,999 rows, not the 4.5 million pairs among them. Customers
/// are grouped by each key (union-find), so the cost grows with the folder,
/// not its square. Ordered by id then other.
pub fn pairs(keys: &[Keys]) -> Vec<Pair> {
    let extractors: [(&'static str, KeyOf); 3] = [
        ("email", |k| k.emails.iter().map(String::as_str).collect()),
        ("phone", |k| k.phone.as_deref().into_iter().collect()),
        ("name", |k| {
            Some(k.folded_name.as_str())
                .filter(|n| !n.is_empty())
                .into_iter()
                .collect()
        }),
    ];
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    let mut reasons: Vec<Vec<&'static str>> = vec![Vec::new(); keys.len()];
    for (reason, key) in extractors {
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut shared: HashSet<&str> = HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            for value in key(k) {
                match first.get(value) {
                    Some(&j) => {
                        join(&mut parent, i, j);
                        shared.insert(value);
                    }
                    None => {
                        first.insert(value, i);
                    }
                }
            }
        }
        for (i, k) in keys.iter().enumerate() {
            if key(k).iter().any(|v| shared.contains(v)) {
                reasons[i].push(reason);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out = Vec::new();
    for mut members in groups.into_values().filter(|m| m.len() > 1) {
        members.sort_by(|&a, &b| keys[a].id.cmp(&keys[b].id));
        let head = &keys[members[0]].id;
        for &m in &members[1..] {
            out.push(Pair {
                id: head.clone(),
                other: keys[m].id.clone(),
                reasons: reasons[m].clone(),
            });
        }
    }
    out.sort_by(|x, y| (&x.id, &x.other).cmp(&(&y.id, &y.other)));
    out
}

/// The representative of `i`'s group, shortening the path on the way.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn join(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// What a merge moved, for the message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub deals: usize,
    pub tasks: usize,
    pub interactions: usize,
    /// Values of OTHER that differed from KEEP's, kept in the note.
    pub differing: usize,
}

/// Merges `other` into `keep`: its deals (a clashing deal id renamed, and
/// the interactions naming it following), tasks and interactions move over
/// (those identical to one KEEP holds are dropped, so merging two imports of
/// the same data does not count them twice); KEEP's empty fields are filled
/// from OTHER, lists (tags, hobbies, groups) united; OTHER's differing values
/// are written into a `note` interaction dated `today` that records the merge.
pub fn merge(keep: &mut Record, other: Record, today: Date) -> Moved {
    let mut moved = Moved::default();
    let mut differing = fill_fields(keep, &other);
    let renamed = move_deals(keep, &other, &mut moved);
    // OTHER's people join KEEP's, but for those KEEP already has as they are.
    for p in &other.contacts {
        if !keep.contacts.contains(p) {
            keep.contacts.push(p.clone());
        }
    }
    let held: HashSet<String> = keep.tasks.iter().map(|t| t.canonical_text()).collect();
    for t in other.tasks {
        if !held.contains(&t.canonical_text()) {
            keep.tasks.push(t);
            moved.tasks += 1;
        }
    }
    let held: HashSet<String> = keep
        .interactions
        .iter()
        .map(Interaction::canonical_text)
        .collect();
    for mut i in other.interactions {
        if let Some(new) = i.deal.as_ref().and_then(|d| renamed.get(d)) {
            i.deal = Some(new.clone());
        }
        if !held.contains(&i.canonical_text()) {
            keep.interactions.push(i);
            moved.interactions += 1;
        }
    }
    moved.differing = differing.len();
    let mut summary = format!("Merged {} ({}) into this customer", other.id, other.name);
    if !differing.is_empty() {
        differing.sort();
        summary.push_str(&format!("; its differing values: {}", differing.join("; ")));
    }
    let mut note = Interaction::new(When::day(today), "note");
    note.summary = Some(summary);
    keep.interactions.push(note);
    keep.sort_lists();
    moved
}

/// Fills KEEP's empty fields from OTHER; returns OTHER's differing values
/// as `field: value`.
fn fill_fields(keep: &mut Record, other: &Record) -> Vec<String> {
    let mut differing = Vec::new();
    for field in CUSTOMER_FIELDS.iter() {
        let mine = customer_cell(keep, field).plain();
        let theirs = customer_cell(other, field).plain();
        if theirs.is_empty() || mine == theirs {
            continue;
        }
        if *field == "tags" {
            union(&mut keep.tags, &other.tags);
        } else if mine.is_empty() {
            // The value comes from a record, so it is valid for the field.
            let _ = set_customer_field(keep, field, &theirs);
        } else {
            differing.push(format!("{field}: {theirs}"));
        }
    }
    union(&mut keep.profile.hobbies, &other.profile.hobbies);
    union(&mut keep.profile.groups, &other.profile.groups);
    match (&keep.profile.family, &other.profile.family) {
        (None, Some(f)) => keep.profile.family = Some(f.clone()),
        (Some(a), Some(b)) if a != b => differing.push(format!("family: {b}")),
        _ => {}
    }
    for (net, handle) in &other.contact.social {
        match keep.contact.social.iter().find(|(n, _)| n == net) {
            None => keep.contact.social.push((net.clone(), handle.clone())),
            Some((_, h)) if h != handle => differing.push(format!("social.{net}: {handle}")),
            Some(_) => {}
        }
    }
    fill_extra(&mut keep.extra, &other.extra, "", &mut differing);
    fill_extra(
        &mut keep.contact.extra,
        &other.contact.extra,
        "contact.",
        &mut differing,
    );
    fill_extra(
        &mut keep.profile.extra,
        &other.profile.extra,
        "profile.",
        &mut differing,
    );
    differing
}

fn union(mine: &mut Vec<String>, theirs: &[String]) {
    for t in theirs {
        if !mine.contains(t) {
            mine.push(t.clone());
        }
    }
}

fn fill_extra(mine: &mut Extra, theirs: &Extra, prefix: &str, differing: &mut Vec<String>) {
    for (key, value) in theirs {
        match mine.get(key) {
            None => {
                mine.insert(key.clone(), value.clone());
            }
            Some(v) if v != value => {
                let text = yaml_serde::to_string(value).unwrap_or_default();
                differing.push(format!("{prefix}{key}: {}", text.trim()));
            }
            Some(_) => {}
        }
    }
}

/// Moves OTHER's deals into KEEP; a deal identical to KEEP's is dropped, a
/// clashing id gets `-2`, `-3` …. Returns the renames.
fn move_deals(keep: &mut Record, other: &Record, moved: &mut Moved) -> HashMap<String, String> {
    let mut renamed = HashMap::new();
    for d in &other.deals {
        if keep.deals.contains(d) {
            continue;
        }
        let mut d = d.clone();
        if keep.deal(&d.id).is_some() {
            let new = id::first_free(&d.id, |c| keep.deal(c).is_some());
            renamed.insert(d.id.clone(), new.clone());
            d.id = new;
        }
        keep.deals.push(d);
        moved.deals += 1;
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        crate::date::parse_iso("2026-11-23").unwrap()
    }

    #[test]
    fn a_current_contact_s_email_is_the_customer_s_too() {
        use crate::record::Person;
        let mut xinghe = rec("xinghe", "Xinghe", None, None);
        let mut zhou = Person::new("周敏");
        zhou.email = Some("Zhou.Min@xinghe.example".into());
        let mut gone = zhou.clone();
        gone.email = Some("old@xinghe.example".into());
        gone.left = Some(crate::date::parse_iso("2026-10-31").unwrap());
        xinghe.contacts = vec![zhou, gone];
        let records = [
            xinghe,
            rec("zhou-min", "周敏", Some("zhou.min@xinghe.example"), None),
            rec("old", "Old", Some("old@xinghe.example"), None),
        ];
        let keys: Vec<Keys> = records.iter().map(|r| Keys::of(r, today())).collect();
        let found = pairs(&keys);
        assert_eq!(
            found,
            vec![Pair {
                id: "xinghe".into(),
                other: "zhou-min".into(),
                reasons: vec!["email"],
            }]
        );
    }

    fn rec(id: &str, name: &str, email: Option<&str>, phone: Option<&str>) -> Record {
        let mut r = Record::new(id, name);
        r.contact.email = email.map(str::to_string);
        r.contact.phone = phone.map(str::to_string);
        r
    }

    #[test]
    fn phone_placeholders_are_not_shared_numbers() {
        let records = [
            rec("a", "Alpha", None, Some("n/a")),
            rec("b", "Beta", None, Some("n/a")),
        ];
        let keys: Vec<Keys> = records.iter().map(|r| Keys::of(r, today())).collect();
        assert!(keys.iter().all(|k| k.phone.is_none()));
    }

    #[test]
    fn finds_pairs_by_email_phone_and_name() {
        let records = [
            rec(
                "acme",
                "Acme  Ltd",
                Some("Buyer@Acme.example"),
                Some("+86 (571) 000-1"),
            ),
            rec("acme-2", "acme ltd", None, Some("86571 0001")),
            rec("globex", "Globex", Some("buyer@acme.example "), None),
            rec("initech", "Initech", None, None),
            rec("ｉｎｉｔｅｃｈ", "ＩＮＩＴＥＣＨ", None, None),
        ];
        let keys: Vec<Keys> = records.iter().map(|r| Keys::of(r, today())).collect();
        let found = pairs(&keys);
        let pair = |a: &str, b: &str, r: &[&'static str]| Pair {
            id: a.to_string(),
            other: b.to_string(),
            reasons: r.to_vec(),
        };
        assert_eq!(
            found,
            vec![
                pair("acme", "acme-2", &["phone", "name"]),
                pair("acme", "globex", &["email"]),
                pair("initech", "ｉｎｉｔｅｃｈ", &["name"]),
            ]
        );
    }

    #[test]
    fn a_large_group_is_listed_once_with_its_members() {
        let records: Vec<Record> = (0..3000)
            .map(|i| {
                rec(
                    &format!("c{i:04}"),
                    "Same Name",
                    Some("same@example.com"),
                    None,
                )
            })
            .collect();
        let keys: Vec<Keys> = records.iter().map(|r| Keys::of(r, today())).collect();
        let found = pairs(&keys);
        assert_eq!(found.len(), 2999);
        assert!(
            found
                .iter()
                .all(|p| p.id == "c0000" && p.reasons == ["email", "name"])
        );
        assert_eq!(found[2998].other, "c2999");
    }

    #[test]
    fn customers_linked_through_another_are_one_group() {
        let records = [
            rec("a", "Alpha", Some("x@example.com"), None),
            rec("b", "Beta", Some("x@example.com"), Some("123")),
            rec("c", "Gamma", None, Some("123")),
            rec("d", "Delta", None, None),
        ];
        let keys: Vec<Keys> = records.iter().map(|r| Keys::of(r, today())).collect();
        let found = pairs(&keys);
        let ids: Vec<(&str, &str, Vec<&str>)> = found
            .iter()
            .map(|p| (p.id.as_str(), p.other.as_str(), p.reasons.clone()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("a", "b", vec!["email", "phone"]),
                ("a", "c", vec!["phone"])
            ]
        );
    }
}

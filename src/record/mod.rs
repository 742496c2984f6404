//! The customer record: its types, how it is read from YAML and how it is
//! written back in the one canonical form.
//!
//! Fields kith does not know are kept in `extra` maps at every level, so a
//! hand-added key survives every command.

#[macro_use]
pub mod fields;
pub mod binary;
mod comments;
mod edit;
mod emit;
pub mod fast;
pub mod id;
mod parse;
mod quote;
mod tags;

use std::collections::BTreeMap;

use crate::date::{Date, Span, When, YearlyDate};
use crate::money::Money;

pub use comments::comment_lines;
pub use edit::{Trap, Unsupported, rewrite, yaml11_traps};
pub use emit::{emit_record, emit_value_block};
pub use parse::{
    MAX_FILE_BYTES, ParseError, Schema, conflict_marker_line, from_yaml_located, parse_record_full,
};
pub use quote::{double_quoted, needs_quotes, scalar, single_quoted, yaml11_misread};
pub use tags::{LostValue, lost_value};

/// Parses the bytes of a customer file whose stem is `stem`: the canonical
/// layout kith writes by its fast reader, anything else (and every error) by
/// the full YAML parser. Both give the same record for the same text. An
/// empty stem means the file name says nothing (git's merge driver gets
/// temporary names): the `id:` key is then not checked, and is the record's
/// id.
pub fn parse_record(bytes: &[u8], stem: &str, schema: &Schema) -> Result<Record, ParseError> {
    let canonical = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| fast::parse(text, stem, schema));
    match canonical {
        Some(record) => Ok(record),
        None => parse_record_full(bytes, stem, schema),
    }
}

/// Keys kith does not know, kept in byte order of their names.
pub type Extra = BTreeMap<String, yaml_serde::Value>;

/// The interaction kinds every folder has; `kith.yaml` may add more.
pub const BUILTIN_KINDS: &[&str] = &[
    "call",
    "email",
    "meeting",
    "visit",
    "message",
    "purchase",
    "payment",
    "refund",
    "complaint",
    "feedback",
    "support",
    "care",
    "note",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// The file stem: the customer's id.
    pub id: String,
    /// Whether the file carries an explicit `id:` key (it must equal the stem).
    pub id_key: bool,
    pub name: String,
    pub kind: Option<CustomerKind>,
    /// The organisation a person works for (a vCard's `ORG`, with its units).
    pub organization: Option<String>,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub tier: Option<Tier>,
    /// `tier_locked: true` keeps the tier and relationship as set by hand
    /// when `kith tiers --apply` runs.
    pub tier_locked: Option<bool>,
    pub relationship: Option<Relationship>,
    pub tags: Vec<String>,
    pub contact: Contact,
    pub profile: Profile,
    /// The people at the customer, in the order written.
    pub contacts: Vec<Person>,
    pub acquisition_cost: Option<Money>,
    pub deals: Vec<Deal>,
    pub tasks: Vec<Task>,
    pub interactions: Vec<Interaction>,
    pub extra: Extra,
}

fields_table! {
    /// Every key of a customer record, in canonical order. The `own` ones
    /// (the id and name, the maps and the lists) are read and written by
    /// hand at their place; each of the others is a column of `export
    /// customers` (but the `unexported`), a fact of `show` and a path of
    /// `set`, merged as a value (a list of words as a set).
    Record {
        own id,
        own name,
        choice(CustomerKind) kind,
        /// The organisation a person works for (a vCard's `ORG`, with its
        /// units): read by `import`, not a column of `export`.
        text organization unexported,
        text owner searched,
        text source,
        choice(Tier) tier,
        /// `tier_locked: true` keeps the tier and relationship as set by
        /// hand when `kith tiers --apply` runs.
        flag tier_locked unexported,
        choice(Relationship) relationship,
        words tags searched,
        own contact,
        own profile,
        own contacts,
        /// What winning the customer cost, for their net value; `show`
        /// counts it in the customer's cost.
        money acquisition_cost unshown,
        own deals,
        own tasks,
        // The keys kith does not know come here, before `interactions`.
        own interactions,
        ; id_key, extra
    }
}

fields_struct! {
    /// How to reach the customer: the `contact:` map.
    pub struct Contact in "contact" {
        text email searched,
        text phone searched,
        text address searched,
        text website searched,
        /// Network name to handle, in the order written.
        networks social,
        /// The channel the customer prefers.
        text preferred,
    }
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        *self == Contact::default()
    }
}

fields_struct! {
    /// What kith remembers of the customer as a person: the `profile:` map.
    pub struct Profile in "profile" {
        yearly birthday,
        yearly anniversary,
        prose family,
        words hobbies,
        words groups,
        /// A free note about the customer, as other CRMs and address books keep.
        prose note,
    }
}

impl Profile {
    pub fn is_empty(&self) -> bool {
        *self == Profile::default()
    }
}

/// One person at a customer (`contacts:`): a buyer, a manager, an engineer.
/// The name is required and comes first; the other fields are declared in
/// `Person::FIELDS`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<YearlyDate>,
    pub note: Option<String>,
    pub since: Option<Date>,
    /// The day the person left; absent while they are there.
    pub left: Option<Date>,
    pub extra: Extra,
}

fields_table! {
    /// Every key of a person, in canonical order: the name, required, read
    /// and written by hand; each of the others through the table, a column
    /// of `export contacts` and `import`.
    Person {
        own name,
        text role,
        text email,
        text phone,
        text wechat,
        yearly birthday,
        prose note,
        date since,
        date left,
        ; extra
    }
}

impl Person {
    pub fn new(name: &str) -> Person {
        Person {
            name: name.to_string(),
            ..Person::default()
        }
    }

    /// Whether the person is still there on `today`: no `left`, or a `left`
    /// after today.
    pub fn is_current(&self, today: Date) -> bool {
        self.left.is_none_or(|left| left > today)
    }

    /// Whether `name` names this person: the same after NFKC and case
    /// folding, white space runs as one.
    pub fn is_named(&self, name: &str) -> bool {
        fold(&self.name) == fold(name)
    }

    /// `NAME (ROLE)`, or the name alone without a role.
    pub fn label(&self) -> String {
        match &self.role {
            Some(role) => format!("{} ({role})", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub id: String,
    pub title: Option<String>,
    pub value: Option<Money>,
    pub stage: String,
    pub outcome: Option<Outcome>,
    pub lost_reason: Option<String>,
    pub competitor: Option<String>,
    /// The expected close date.
    pub close: Option<Date>,
    /// Payment terms; absent: kith.yaml `payment_terms`.
    pub terms: Option<Span>,
    /// Invoices issued, oldest first.
    pub invoices: Vec<Invoice>,
    pub history: Vec<HistoryEntry>,
    pub extra: Extra,
}

fields_table! {
    /// Every key of a deal, in canonical order. The `own` ones (the id,
    /// the stage and outcome, which merge as one position, and the lists)
    /// are read and written by hand at their place; the others through the
    /// table.
    Deal {
        own id,
        text title,
        money value,
        own stage,
        own outcome,
        text lost_reason,
        text competitor,
        date close,
        span terms,
        own invoices,
        own history,
        ; extra
    }
}

impl Deal {
    /// A deal with no field set: the start of reading one.
    pub fn blank() -> Deal {
        Deal {
            id: String::new(),
            title: None,
            value: None,
            stage: String::new(),
            outcome: None,
            lost_reason: None,
            competitor: None,
            close: None,
            terms: None,
            invoices: Vec::new(),
            history: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// A new open deal at `stage`, its history starting with that stage on
    /// `opened`.
    pub fn open(
        id: String,
        title: Option<String>,
        value: Option<Money>,
        stage: String,
        opened: Date,
    ) -> Deal {
        Deal {
            id,
            title,
            value,
            outcome: Some(Outcome::Open),
            lost_reason: None,
            competitor: None,
            close: None,
            terms: None,
            invoices: Vec::new(),
            history: vec![HistoryEntry::reached(&stage, opened)],
            stage,
            extra: Extra::new(),
        }
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome.unwrap_or(Outcome::Open)
    }

    pub fn is_open(&self) -> bool {
        self.outcome() == Outcome::Open
    }

    /// The deal's opening date: its first history entry.
    pub fn opened(&self) -> Option<Date> {
        self.history.first().map(|h| h.date)
    }

    /// The deal's close date: its last `won` or `lost` entry.
    pub fn closed(&self) -> Option<Date> {
        if self.is_open() {
            return None;
        }
        self.history
            .iter()
            .rev()
            .find(|h| matches!(h.outcome, Some(Outcome::Won | Outcome::Lost)))
            .map(|h| h.date)
    }

    /// The day the deal entered its current stage, if the history says.
    pub fn stage_since(&self) -> Option<Date> {
        self.history
            .iter()
            .rev()
            .find(|h| h.stage.as_deref() == Some(self.stage.as_str()))
            .map(|h| h.date)
    }
}

/// An invoice of a deal: `{no: 1, date: …, amount: …, due: …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    /// Numbered from 1 within the deal.
    pub no: u32,
    pub date: Date,
    pub amount: Money,
    pub due: Date,
    pub extra: Extra,
}

/// One change of a deal: a stage reached, or a close or reopening.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub stage: Option<String>,
    pub outcome: Option<Outcome>,
    pub date: Date,
    pub extra: Extra,
}

impl HistoryEntry {
    /// `{stage: STAGE, date: DATE}`: the deal reached a stage.
    pub fn reached(stage: &str, date: Date) -> HistoryEntry {
        HistoryEntry {
            stage: Some(stage.to_string()),
            outcome: None,
            date,
            extra: Extra::new(),
        }
    }

    /// `{outcome: OUTCOME, date: DATE}`: the deal was won, lost or reopened.
    pub fn became(outcome: Outcome, date: Date) -> HistoryEntry {
        HistoryEntry {
            stage: None,
            outcome: Some(outcome),
            date,
            extra: Extra::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The task's number for `done` and `show`, given when kith creates the
    /// task and kept for good (see `Record::task_numbers`); a task written
    /// by hand may have none.
    pub number: Option<u32>,
    pub due: Date,
    pub what: String,
    pub done: Option<Date>,
    pub extra: Extra,
}

fields_table! {
    /// Every key of a task, in canonical order. The `own` ones (its number,
    /// and the due date and text, required) are read and written by hand.
    Task {
        own number,
        own due,
        own what,
        date done,
        ; extra
    }
}

impl Task {
    /// An open task from text a person typed, refusing an empty one.
    pub fn checked(what: &str, due: Date) -> Result<Task, String> {
        let what = what.trim();
        if what.is_empty() {
            return Err("the task's text is empty; say what is to be done".into());
        }
        Ok(Task::new(due, what))
    }

    /// An open task.
    pub fn new(due: Date, what: &str) -> Task {
        Task {
            number: None,
            due,
            what: what.to_string(),
            done: None,
            extra: Extra::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.done.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub date: When,
    pub kind: String,
    /// A complaint's number for `resolve` and `show`, given when kith logs
    /// the complaint and kept for good (see `Record::complaint_numbers`).
    pub number: Option<u32>,
    pub summary: Option<String>,
    pub by: Option<String>,
    pub deal: Option<String>,
    pub amount: Option<Money>,
    pub cost: Option<Money>,
    pub product: Option<String>,
    pub payment: Option<String>,
    pub rating: Option<u8>,
    /// The contact of the customer the interaction was with.
    pub with: Option<String>,
    /// A complaint's state: open until resolved.
    pub status: Option<CaseStatus>,
    pub resolved: Option<Date>,
    pub resolution: Option<String>,
    pub extra: Extra,
}

fields_table! {
    /// Every key of an interaction, in canonical order. The `own` ones (the
    /// date and kind, required, and a complaint's number) are read and
    /// written by hand; each of the others through the table, a column of
    /// `export interactions` and `import`.
    Interaction {
        own date,
        own kind,
        own number,
        prose summary,
        prose by,
        text deal,
        money amount,
        money cost,
        prose product,
        prose payment,
        rating rating,
        text with,
        choice(CaseStatus) status,
        date resolved,
        prose resolution,
        ; extra
    }
}

impl Interaction {
    pub fn new(date: When, kind: &str) -> Interaction {
        Interaction {
            date,
            kind: kind.to_string(),
            number: None,
            summary: None,
            by: None,
            deal: None,
            amount: None,
            cost: None,
            product: None,
            payment: None,
            rating: None,
            with: None,
            status: None,
            resolved: None,
            resolution: None,
            extra: Extra::new(),
        }
    }

    /// An amount as stored for an interaction of `kind`: a refund is money
    /// going back, negative whatever sign is typed.
    pub fn stored_amount(kind: &str, amount: Money) -> Money {
        if kind == "refund" {
            -amount.abs()
        } else {
            amount
        }
    }

    /// A contact with the customer: anything but an internal note.
    pub fn is_contact(&self) -> bool {
        self.kind != "note"
    }

    /// A purchase is an interaction with a positive amount.
    pub fn is_purchase(&self) -> bool {
        self.amount.is_some_and(Money::is_positive)
    }
}

/// A task number as written: digits without a leading zero, from 1.
pub fn task_number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits || text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// The numbers of entries that keep one (tasks, complaints), given each
/// entry's stored number: a stored number is the entry's; entries without
/// one take, in the order `key` gives, the lowest numbers none stores. So a
/// file of unnumbered entries is numbered 1, 2, 3 … as it is sorted, and a
/// number kith stores later (always above every number in use) never moves
/// them.
pub fn numbers_of<K: Ord>(stored: &[Option<u32>], key: impl Fn(usize) -> K) -> Vec<u32> {
    let held: std::collections::HashSet<u32> = stored.iter().flatten().copied().collect();
    let mut unnumbered: Vec<usize> = (0..stored.len()).filter(|&i| stored[i].is_none()).collect();
    unnumbered.sort_by_cached_key(|&i| key(i));
    let mut numbers: Vec<u32> = stored.iter().map(|n| n.unwrap_or(0)).collect();
    let mut free = (1..).filter(|n| !held.contains(n));
    for i in unnumbered {
        numbers[i] = free.next().unwrap_or(u32::MAX);
    }
    numbers
}

/// A name folded for comparison: NFKC, lower case, white space runs as one
/// space, ends trimmed.
pub fn fold(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = name.nfkc().flat_map(char::to_lowercase).collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An enum of words as the files and reports write them: `as_str`,
/// `parse`, `ALL` and `Display`, in declaration order (which is also its
/// sort order).
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident $what:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];

            /// What one of the words is, as messages name it.
            pub const WHAT: &'static str = $what;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

text_enum!(CustomerKind "customer kind" { Company = "company", Person = "person" });
text_enum!(Tier "tier" { Prospect = "prospect", Regular = "regular", Vip = "vip" });
text_enum!(Relationship "relationship" {
    Basic = "basic",
    Reactive = "reactive",
    Accountable = "accountable",
    Proactive = "proactive",
    Partnership = "partnership",
});
text_enum!(Outcome "deal outcome" { Open = "open", Won = "won", Lost = "lost" });
text_enum!(CaseStatus "complaint status" { Open = "open", Resolved = "resolved" });

impl Record {
    pub fn new(id: &str, name: &str) -> Record {
        Record {
            id: id.to_string(),
            name: name.to_string(),
            ..Record::default()
        }
    }

    /// Puts the lists in canonical order: deals by opening date, tasks by due
    /// date, interactions by date and time; ties by their canonical text.
    pub fn sort_lists(&mut self) {
        emit::sort_lists(self);
    }

    /// Whether the filters `--owner` and `--tag` keep the customer.
    pub fn selected(&self, owner: Option<&str>, tag: Option<&str>) -> bool {
        owner.is_none_or(|o| self.owner.as_deref() == Some(o))
            && tag.is_none_or(|t| self.tags.iter().any(|x| x == t))
    }

    pub fn deal(&self, id: &str) -> Option<&Deal> {
        self.deals.iter().find(|d| d.id == id)
    }

    /// The current contact (at `today`) called `name`, if any.
    pub fn current_contact_mut(&mut self, name: &str, today: Date) -> Option<&mut Person> {
        self.contacts
            .iter_mut()
            .find(|p| p.is_current(today) && p.is_named(name))
    }

    /// The contact called `name`, current or former (the latest entry when a
    /// person came back).
    pub fn contact_named(&self, name: &str) -> Option<&Person> {
        self.contacts.iter().rev().find(|p| p.is_named(name))
    }

    /// Each task's number, in the order of `tasks`. A number stored in the
    /// task is its number. Tasks without one (written by hand, or before kith
    /// stored numbers) take, in date order, the lowest numbers no task
    /// stores: so a file of unnumbered tasks is numbered 1, 2, 3 … as it is
    /// sorted, and a number kith stores later (always above every number in
    /// use) never moves them.
    pub fn task_numbers(&self) -> Vec<u32> {
        let stored: Vec<Option<u32>> = self.tasks.iter().map(|t| t.number).collect();
        numbers_of(&stored, |i| {
            (self.tasks[i].due, self.tasks[i].canonical_text())
        })
    }

    /// Adds `task` with the next free number, and returns the number.
    pub fn add_task(&mut self, mut task: Task) -> u32 {
        let no = self.next_task_number();
        task.number = Some(no);
        self.tasks.push(task);
        self.sort_lists();
        no
    }

    /// The number a new task gets: one above every number in use, so that
    /// no task's number ever changes and none is given twice.
    pub fn next_task_number(&self) -> u32 {
        self.task_numbers()
            .into_iter()
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }

    /// The open tasks with their numbers, in list order.
    pub fn open_tasks(&self) -> impl Iterator<Item = (u32, &Task)> {
        self.task_numbers()
            .into_iter()
            .zip(&self.tasks)
            .filter(|(_, t)| t.is_open())
    }

    /// Numbers held by more than one task (after a merge of two clones
    /// that each added a task), each with the tasks holding it.
    pub fn shared_task_numbers(&self) -> Vec<(u32, Vec<&Task>)> {
        let mut by_number: BTreeMap<u32, Vec<&Task>> = BTreeMap::new();
        for (n, t) in self.task_numbers().into_iter().zip(&self.tasks) {
            by_number.entry(n).or_default().push(t);
        }
        by_number
            .into_iter()
            .filter(|(_, ts)| ts.len() > 1)
            .collect()
    }
}

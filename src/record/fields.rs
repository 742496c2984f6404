//! Every map of a customer file, declared once: a table of its keys in
//! canonical order, each with its kind. `fields_table!` writes the table of
//! a struct written by hand (`Record`, `Person`, `Interaction`, `Deal`,
//! `Task`); `fields_struct!` writes the struct and its table (`Contact`,
//! `Profile`). The readers (the full parser and the fast reader), the merge
//! driver, `set`, `show`, `list --search` and the export and import columns
//! go through the table; the emitter and the binary codec are written out
//! by the macros, field by field. A key with rules of its own is `own`: it
//! has its place in the table and its struct's code reads and writes it.
//! Adding an optional field is one line in its table (see ARCHITECTURE.md).

use crate::date::{Date, Span, YearlyDate};
use crate::money::Money;

/// How a field is read and written, by what it holds.
pub enum Access<S: 'static> {
    /// Optional text: `key: some text`.
    Text(fn(&S) -> &Option<String>, fn(&mut S) -> &mut Option<String>),
    /// A map of names to text, in the order written: `social: {wechat: …}`.
    Networks(
        fn(&S) -> &Vec<(String, String)>,
        fn(&mut S) -> &mut Vec<(String, String)>,
    ),
    /// A day of the year, with or without its year: `birthday: --03-14`.
    Yearly(
        fn(&S) -> &Option<YearlyDate>,
        fn(&mut S) -> &mut Option<YearlyDate>,
    ),
    /// A list of words, in flow style: `hobbies: [golf, tea]`.
    Words(fn(&S) -> &Vec<String>, fn(&mut S) -> &mut Vec<String>),
    /// A calendar day: `since: 2019-03-01`.
    Date(fn(&S) -> &Option<Date>, fn(&mut S) -> &mut Option<Date>),
    /// One word of a fixed set: `tier: vip`.
    Choice(Choice<S>),
    /// `true` or `false`: `tier_locked: true`.
    Flag(fn(&S) -> &Option<bool>, fn(&mut S) -> &mut Option<bool>),
    /// An amount exact to the cent: `amount: 12000.00`.
    Money(fn(&S) -> &Option<Money>, fn(&mut S) -> &mut Option<Money>),
    /// A satisfaction rating, a whole number from 1 to 5: `rating: 4`.
    Rating(fn(&S) -> &Option<u8>, fn(&mut S) -> &mut Option<u8>),
    /// A span of time: `terms: 45d`.
    Span(fn(&S) -> &Option<Span>, fn(&mut S) -> &mut Option<Span>),
    /// A key the struct's own code reads and writes at this place (one that
    /// is required, or has rules of its own, as a deal's stage): the parts
    /// that go through the table skip it.
    Own,
}

/// A field holding one word of a fixed set (an enum of `text_enum!`), seen
/// through its words so that every part can handle it without its type.
pub struct Choice<S: 'static> {
    /// The word, when there is one.
    pub get: fn(&S) -> Option<&'static str>,
    /// Sets the word (`None` clears it); `false`, changing nothing, when the
    /// word is not one of `all`.
    pub set: fn(&mut S, Option<&str>) -> bool,
    /// Every word, in the enum's order.
    pub all: &'static [&'static str],
    /// What a word of the set is, as messages name it: `customer kind`.
    pub what: &'static str,
}

impl<S> Choice<S> {
    /// Sets the word from the text of a cell or of `kith set`; empty text
    /// clears it.
    pub fn choose(&self, s: &mut S, text: &str) -> Result<(), String> {
        let word = (!text.is_empty()).then_some(text);
        if (self.set)(s, word) {
            Ok(())
        } else {
            Err(format!("`{text}` is not one of {}", self.all.join(", ")))
        }
    }
}

/// One declared field.
pub struct Field<S: 'static> {
    /// The key in the file, which is also its column in `export customers`
    /// and its label in `show`.
    pub key: &'static str,
    /// The dotted path `set` takes: `group.key`.
    pub path: &'static str,
    /// Whether `list --search` looks in it.
    pub searched: bool,
    /// Whether it is a column of `export customers` (the record's own
    /// fields; `unexported` ones are not).
    pub exported: bool,
    /// Whether `show` lists it among the customer's facts (`unshown` ones
    /// it shows elsewhere).
    pub shown: bool,
    /// Free text (`prose`), which `import` keeps as written; other text is
    /// a single value, trimmed.
    pub prose: bool,
    pub access: Access<S>,
}

impl<S> Field<S> {
    /// Whether the field holds optional text.
    pub fn is_text(&self) -> bool {
        matches!(self.access, Access::Text(..))
    }

    /// The field's texts, for a field of text or of words.
    pub fn texts<'a>(&self, s: &'a S) -> impl Iterator<Item = &'a str> {
        let (one, many): (Option<&'a str>, &'a [String]) = match self.access {
            Access::Text(get, _) => (get(s).as_deref(), &[]),
            Access::Words(get, _) => (None, get(s)),
            _ => (None, &[]),
        };
        one.into_iter().chain(many.iter().map(String::as_str))
    }

    /// The value as `show` prints it; `None` when absent or empty. A map
    /// of networks is shown entry by entry, not here.
    pub fn display(&self, s: &S) -> Option<String> {
        match self.access {
            Access::Text(get, _) => get(s).clone(),
            Access::Yearly(get, _) => get(s).map(|d| d.to_string()),
            Access::Words(get, _) => Some(get(s).join(", ")).filter(|w| !w.is_empty()),
            Access::Date(get, _) => get(s).map(|d| d.to_string()),
            Access::Choice(ref c) => (c.get)(s).map(str::to_string),
            Access::Flag(get, _) => get(s).map(|b| b.to_string()),
            Access::Money(get, _) => get(s).map(|m| m.to_string()),
            Access::Rating(get, _) => get(s).map(|n| n.to_string()),
            Access::Span(get, _) => get(s).map(|t| t.to_string()),
            Access::Networks(..) | Access::Own => None,
        }
    }

    /// Fills the field of `mine` from `theirs` when `mine` has none; when
    /// both have one and they differ, takes `theirs` only if `update`.
    pub fn fill(&self, mine: &mut S, theirs: &S, update: bool) -> Fill {
        match self.access {
            Access::Text(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Yearly(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Date(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Words(get, slot) => fill(slot(mine), get(theirs), Vec::is_empty, update),
            Access::Networks(get, slot) => fill(slot(mine), get(theirs), Vec::is_empty, update),
            Access::Flag(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Money(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Rating(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Span(get, slot) => fill(slot(mine), get(theirs), Option::is_none, update),
            Access::Own => Fill::Same,
            Access::Choice(ref c) => {
                let (had, word) = ((c.get)(mine), (c.get)(theirs));
                let mut slot = had;
                let done = fill(&mut slot, &word, Option::is_none, update);
                (c.set)(mine, slot);
                done
            }
        }
    }
}

/// What [`Field::fill`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Nothing to take, or the same value.
    Same,
    /// The value was taken.
    Changed,
    /// The values differ and the field was kept.
    Differs,
}

fn fill<T: Clone + PartialEq>(
    mine: &mut T,
    theirs: &T,
    empty: fn(&T) -> bool,
    update: bool,
) -> Fill {
    if empty(theirs) || mine == theirs {
        Fill::Same
    } else if empty(mine) || update {
        *mine = theirs.clone();
        Fill::Changed
    } else {
        Fill::Differs
    }
}

/// The declared field of a group called `key`.
pub fn find<S>(fields: &'static [Field<S>], key: &str) -> Option<&'static Field<S>> {
    fields.iter().find(|f| f.key == key)
}

/// The type a field of each kind holds.
macro_rules! field_type {
    (text) => { Option<String> };
    (prose) => { Option<String> };
    (date) => { Option<Date> };
    (flag) => { Option<bool> };
    (money) => { Option<Money> };
    (rating) => { Option<u8> };
    (span) => { Option<Span> };
    (networks) => { Vec<(String, String)> };
    (yearly) => { Option<YearlyDate> };
    (words) => { Vec<String> };
}

/// The accessors of field `$field` of kind `$kind`.
macro_rules! field_access {
    (text, $field:ident) => {
        $crate::record::fields::Access::Text(|s| &s.$field, |s| &mut s.$field)
    };
    (prose, $field:ident) => {
        $crate::record::fields::Access::Text(|s| &s.$field, |s| &mut s.$field)
    };
    (date, $field:ident) => {
        $crate::record::fields::Access::Date(|s| &s.$field, |s| &mut s.$field)
    };
    (flag, $field:ident) => {
        $crate::record::fields::Access::Flag(|s| &s.$field, |s| &mut s.$field)
    };
    (money, $field:ident) => {
        $crate::record::fields::Access::Money(|s| &s.$field, |s| &mut s.$field)
    };
    (rating, $field:ident) => {
        $crate::record::fields::Access::Rating(|s| &s.$field, |s| &mut s.$field)
    };
    (span, $field:ident) => {
        $crate::record::fields::Access::Span(|s| &s.$field, |s| &mut s.$field)
    };
    (own, $field:ident) => {
        $crate::record::fields::Access::Own
    };
    (choice, $field:ident, $ty:ident) => {
        $crate::record::fields::Access::Choice($crate::record::fields::Choice {
            get: |s| s.$field.map($ty::as_str),
            set: |s, word| match word.map($ty::parse) {
                None => {
                    s.$field = None;
                    true
                }
                Some(Some(value)) => {
                    s.$field = Some(value);
                    true
                }
                Some(None) => false,
            },
            all: $ty::ALL,
            what: $ty::WHAT,
        })
    };
    (networks, $field:ident) => {
        $crate::record::fields::Access::Networks(|s| &s.$field, |s| &mut s.$field)
    };
    (yearly, $field:ident) => {
        $crate::record::fields::Access::Yearly(|s| &s.$field, |s| &mut s.$field)
    };
    (words, $field:ident) => {
        $crate::record::fields::Access::Words(|s| &s.$field, |s| &mut s.$field)
    };
}

macro_rules! field_prose {
    (prose) => {
        true
    };
    ($kind:ident) => {
        false
    };
}

/// Writes field `$field` of `$s` in canonical form at `$indent`; an `own`
/// one by the struct's own code, `$own`.
macro_rules! field_emit {
    (own, $s:tt, $field:ident, $out:ident, $indent:ident, $own:ident) => {
        $own($out, stringify!($field))
    };
    (choice, $s:tt, $field:ident, $out:ident, $indent:ident, $own:ident) => {
        $crate::record::emit::EmitValue::emit(
            &$s.$field.map(|w| w.as_str()),
            $out,
            $indent,
            stringify!($field),
        )
    };
    ($kind:ident, $s:tt, $field:ident, $out:ident, $indent:ident, $own:ident) => {
        $crate::record::emit::EmitValue::emit(&$s.$field, $out, $indent, stringify!($field))
    };
}

/// The dotted path `set` takes to field `$field`: under the section, when
/// there is one.
macro_rules! field_path {
    ([], $field:ident) => {
        stringify!($field)
    };
    ([$section:literal], $field:ident) => {
        concat!($section, ".", stringify!($field))
    };
}

/// Whether flag `$want` is among a field's flags (`searched`,
/// `unexported`, `unshown`).
macro_rules! field_flag {
    ($want:ident;) => {
        false
    };
    (searched; searched $($rest:ident)*) => {
        true
    };
    (unexported; unexported $($rest:ident)*) => {
        true
    };
    (unshown; unshown $($rest:ident)*) => {
        true
    };
    ($want:ident; $other:ident $($rest:ident)*) => {
        field_flag!($want; $($rest)*)
    };
}

/// Declares a group of fields: the struct (each field, then `extra`, the
/// keys kith does not know) and `FIELDS`, its table in canonical order.
///
/// ```ignore
/// fields_struct! {
///     /// How to reach the customer.
///     pub struct Contact in "contact" {
///         text email searched,
///         networks social,
///     }
/// }
/// ```
macro_rules! fields_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $section:literal {
            $( $(#[$fmeta:meta])* $kind:ident $field:ident $($flag:ident)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: field_type!($kind), )*
            pub extra: Extra,
        }

        fields_table! {
            /// Every field of the group, in canonical order.
            $name in $section { $( $kind $field $($flag)* ),* ; extra }
        }
    };
}

/// Declares the fields of a struct written by hand: `FIELDS`, their table
/// in canonical order, where the path `set` takes is the key itself (under
/// `section.` when one is given); the struct's other fields follow the `;`.
/// It also writes the emitter of the fields and the struct's binary codec.
///
/// A field of one word of a fixed set names its enum, which must come from
/// `text_enum!`; a field's flags follow its name.
///
/// ```ignore
/// fields_table! {
///     /// The record's own fields.
///     Record { choice(Tier) tier, text owner searched, flag tier_locked unexported; extra }
/// }
/// ```
macro_rules! fields_table {
    (
        $(#[$meta:meta])*
        $name:ident $(in $section:literal)? { $($body:tt)* }
    ) => {
        fields_table!(@table [$($section)?] $(#[$meta])* $name { $($body)* });
    };
    (
        @table $section:tt
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$fmeta:meta])* $kind:ident $(($ty:ident))? $field:ident $($flag:ident)* ),* $(,)?
            ; $( $more:ident ),* $(,)?
        }
    ) => {
        impl $name {
            $(#[$meta])*
            pub const FIELDS: &'static [$crate::record::fields::Field<$name>] = &[$(
                $crate::record::fields::Field {
                    key: stringify!($field),
                    path: field_path!($section, $field),
                    searched: field_flag!(searched; $($flag)*),
                    exported: !field_flag!(unexported; $($flag)*),
                    shown: !field_flag!(unshown; $($flag)*),
                    prose: field_prose!($kind),
                    access: field_access!($kind, $field $(, $ty)?),
                }
            ),*];

            /// Writes the fields in canonical form at `indent`, in order, each
            /// own one by `own`: code written out field by field, which the
            /// compiler inlines.
            pub(in $crate::record) fn emit_fields(
                &self,
                out: &mut String,
                indent: usize,
                mut own: impl FnMut(&mut String, &'static str),
            ) {
                let _ = &mut own;
                $( field_emit!($kind, self, $field, out, indent, own); )*
            }
        }

        /// The binary codec of the cache: every key in the table's order,
        /// then the struct's other fields (`$more`); code written out field
        /// by field, which the compiler inlines.
        impl $crate::record::binary::Bin for $name {
            fn put(&self, out: &mut Vec<u8>) {
                $( $crate::record::binary::Bin::put(&self.$field, out); )*
                $( $crate::record::binary::Bin::put(&self.$more, out); )*
            }
            fn get(input: &mut $crate::record::binary::Input) -> Option<$name> {
                Some($name {
                    $( $field: $crate::record::binary::Bin::get(input)?, )*
                    $( $more: $crate::record::binary::Bin::get(input)?, )*
                })
            }
        }
    };
}

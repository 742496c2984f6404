//! The customer's own fields, each declared once. A group of fields (the
//! `contact:` map, …) is declared with [`fields_struct!`], which writes the
//! struct and a table of its fields in canonical order; the readers (the
//! full parser and the fast reader), the emitter, the binary codec, the
//! merge driver, `set`, `show`, `list --search` and the export and import
//! columns all go through that table. Adding an optional text field to a
//! group is one line in its declaration (see ARCHITECTURE.md).

use crate::date::{Date, YearlyDate};

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

    /// The field's text, when it holds optional text.
    pub fn text<'a>(&self, s: &'a S) -> Option<&'a str> {
        match self.access {
            Access::Text(get, _) => get(s).as_deref(),
            _ => None,
        }
    }

    /// The value as `show` prints it; `None` when absent or empty. A map
    /// of networks is shown entry by entry, not here.
    pub fn display(&self, s: &S) -> Option<String> {
        match self.access {
            Access::Text(get, _) => get(s).clone(),
            Access::Yearly(get, _) => get(s).map(|d| d.to_string()),
            Access::Words(get, _) => Some(get(s).join(", ")).filter(|w| !w.is_empty()),
            Access::Date(get, _) => get(s).map(|d| d.to_string()),
            Access::Networks(..) => None,
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

macro_rules! field_searched {
    () => {
        false
    };
    (searched) => {
        true
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
            $( $(#[$fmeta:meta])* $kind:ident $field:ident $($searched:ident)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: field_type!($kind), )*
            pub extra: Extra,
        }

        impl $name {
            /// Every field of the group, in canonical order.
            pub const FIELDS: &'static [$crate::record::fields::Field<$name>] = &[$(
                $crate::record::fields::Field {
                    key: stringify!($field),
                    path: concat!($section, ".", stringify!($field)),
                    searched: field_searched!($($searched)?),
                    prose: field_prose!($kind),
                    access: field_access!($kind, $field),
                }
            ),*];
        }
    };
}

/// Declares the fields of a struct written by hand: `FIELDS`, their table
/// in canonical order, where the path `set` takes is the key itself.
///
/// ```ignore
/// fields_table! {
///     /// The record's own text fields.
///     Record { text owner, text source }
/// }
/// ```
macro_rules! fields_table {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $kind:ident $field:ident $($searched:ident)? ),* $(,)?
        }
    ) => {
        impl $name {
            $(#[$meta])*
            pub const FIELDS: &'static [$crate::record::fields::Field<$name>] = &[$(
                $crate::record::fields::Field {
                    key: stringify!($field),
                    path: stringify!($field),
                    searched: field_searched!($($searched)?),
                    prose: field_prose!($kind),
                    access: field_access!($kind, $field),
                }
            ),*];
        }
    };
}

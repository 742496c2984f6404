//! How the editor writes the text it adds: a changed value in the quoting of
//! the one it replaces, new keys and list entries in the file's own
//! indentation, lists and maps in the style of their neighbours. Everything
//! is rendered from the canonical outline of the new record, whose scalars
//! are already quoted as kith would write them.

use super::Editor;
use super::outline::{Entry, Item, Kind, Node, Style};
use crate::record::quote;

/// How a file indents its blocks, learnt from the first of each it has;
/// canonical (two columns each) for what it has none of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Columns from a key to the keys of the map under it.
    map_step: usize,
    /// Columns from a key to the dashes of the list under it (0: the list
    /// stands at the key's own column).
    seq_offset: usize,
    /// Columns from a dash to its entry's text.
    seq_gap: usize,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            map_step: 2,
            seq_offset: 2,
            seq_gap: 2,
        }
    }
}

/// The value a new one replaces, or stands beside, in the file.
#[derive(Clone, Copy)]
pub struct Old<'n> {
    /// Its node in the file.
    pub t: &'n Node,
    /// Its quotes, when they were the author's choice: kith would have
    /// written the value otherwise. Quotes a value needs are no reason to
    /// quote the next one.
    pub quote: Option<Style>,
}

/// How one block list writes its entries.
pub struct ListStyle {
    /// The column of its dashes.
    col: usize,
    /// Columns from a dash to the entry's text.
    gap: usize,
    /// Whether its entries are maps, and if so in flow style.
    flow_maps: Option<bool>,
}

#[derive(Default)]
struct Found {
    map_step: Option<usize>,
    seq_offset: Option<usize>,
    seq_gap: Option<usize>,
}

impl Editor<'_> {
    /// The layout of the file whose outline is `root`.
    pub(super) fn learn_layout(&self, root: &Node) -> Layout {
        let mut found = Found::default();
        self.find_layout(root, &mut found);
        let d = Layout::default();
        Layout {
            map_step: found.map_step.filter(|&s| s > 0).unwrap_or(d.map_step),
            seq_offset: found.seq_offset.unwrap_or(d.seq_offset),
            seq_gap: found.seq_gap.filter(|&g| g > 1).unwrap_or(d.seq_gap),
        }
    }

    fn find_layout(&self, n: &Node, found: &mut Found) {
        if n.flow {
            return;
        }
        let line = |at: usize| self.t_lines.number(at);
        for e in n.entries() {
            let v = &e.value;
            if !v.flow && line(v.start) != line(e.colon) {
                let step = self.t_col(v.start).saturating_sub(self.t_col(e.key_start));
                match v.kind {
                    Kind::Map(_) => _ = found.map_step.get_or_insert(step),
                    Kind::Seq(_) => _ = found.seq_offset.get_or_insert(step),
                    _ => {}
                }
            }
            self.find_layout(v, found);
        }
        for i in n.items() {
            if line(i.value.start) == line(i.start) && !matches!(i.value.kind, Kind::Null) {
                found.seq_gap.get_or_insert(i.value.start - i.start);
            }
            self.find_layout(&i.value, found);
        }
    }

    /// How the file's block list `t` writes its entries.
    pub(super) fn list_style(&self, t: &Node) -> ListStyle {
        let Some(first) = t.items().first() else {
            return ListStyle {
                col: self.t_col(t.start),
                gap: self.layout.seq_gap,
                flow_maps: None,
            };
        };
        let on_dash_line =
            self.t_lines.number(first.value.start) == self.t_lines.number(first.start);
        ListStyle {
            col: self.t_col(first.start),
            gap: if on_dash_line && first.value.start - first.start > 1 {
                first.value.start - first.start
            } else {
                self.layout.seq_gap
            },
            flow_maps: match first.value.kind {
                Kind::Map(_) => Some(first.value.flow),
                _ => None,
            },
        }
    }

    /// Canonical entry `ae` as lines of a map whose keys stand at `col`. Its
    /// nested blocks are indented as those of `model` are (the same key in
    /// a neighbouring entry of the file), else as the file's layout says.
    pub(super) fn entry_lines(&self, ae: &Entry, col: usize, model: Option<&Entry>) -> String {
        let pad = " ".repeat(col);
        let key = &self.a[ae.key_start..ae.colon];
        let v = &ae.value;
        match v.kind {
            Kind::Map(_) | Kind::Seq(_) if !v.flow => {
                format!("{pad}{key}:\n{}", self.value_lines(v, col, model))
            }
            _ => format!("{pad}{key}: {}\n", self.a_text(v)),
        }
    }

    /// The lines of canonical block value `v` under a key at `key_col`,
    /// indented as `model`'s value is when it is a block of the same kind.
    pub(super) fn value_lines(&self, v: &Node, key_col: usize, model: Option<&Entry>) -> String {
        let same_kind = |m: &&Entry| {
            let below = self.t_lines.number(m.value.start) != self.t_lines.number(m.colon);
            let kinds = matches!(
                (&m.value.kind, &v.kind),
                (Kind::Map(_), Kind::Map(_)) | (Kind::Seq(_), Kind::Seq(_))
            );
            below && kinds && !m.value.flow
        };
        let model = model.filter(same_kind);
        let step = model.map(|m| {
            self.t_col(m.value.start)
                .saturating_sub(self.t_col(m.key_start))
        });
        match &v.kind {
            Kind::Map(entries) => {
                let col = key_col + step.unwrap_or(self.layout.map_step);
                entries
                    .iter()
                    .map(|e| self.entry_lines(e, col, model.and_then(|m| m.value.entry(&e.key))))
                    .collect()
            }
            Kind::Seq(items) => {
                let style = match model {
                    Some(m) => ListStyle {
                        col: key_col + step.unwrap_or(0),
                        ..self.list_style(&m.value)
                    },
                    None => ListStyle {
                        col: key_col + self.layout.seq_offset,
                        gap: self.layout.seq_gap,
                        flow_maps: None,
                    },
                };
                let item_model = model.and_then(|m| m.value.items().first()).map(|i| Old {
                    t: &i.value,
                    quote: None,
                });
                items
                    .iter()
                    .map(|i| self.item_lines(i, &style, item_model))
                    .collect()
            }
            _ => String::new(),
        }
    }

    /// Canonical item `aj` as lines of a block list written as `style`
    /// says: a map among flow maps in flow style, a flow map among block
    /// maps long-hand (a deal's history written in block style). `model` is
    /// a neighbouring entry of the file: a scalar is quoted as it is when it
    /// can be, a map's nested blocks are indented as its are.
    pub(super) fn item_lines(&self, aj: &Item, style: &ListStyle, model: Option<Old>) -> String {
        let content = style.col + style.gap;
        let pad = " ".repeat(content);
        let a = &aj.value;
        let entry_model = |key: &str| model.and_then(|m| m.t.entry(key));
        let body: String = match &a.kind {
            Kind::Map(_) if !a.flow && style.flow_maps == Some(true) => {
                format!("{pad}{}\n", self.to_flow(a))
            }
            Kind::Map(entries) if !a.flow || style.flow_maps == Some(false) => entries
                .iter()
                .map(|e| self.entry_lines(e, content, entry_model(&e.key)))
                .collect(),
            Kind::Seq(items) if !a.flow => {
                let inner = ListStyle {
                    col: content,
                    gap: self.layout.seq_gap,
                    flow_maps: None,
                };
                items
                    .iter()
                    .map(|i| self.item_lines(i, &inner, None))
                    .collect()
            }
            _ => format!("{pad}{}\n", self.restyle(a, model.and_then(|m| m.quote))),
        };
        // The first line's indentation becomes the dash, the same width.
        let dash = format!("{}-{}", " ".repeat(style.col), " ".repeat(style.gap - 1));
        format!("{dash}{}", &body[content..])
    }

    /// How the file writes `t`, whose canonical text is `b` (when kith
    /// reads a value there).
    pub(super) fn old<'n>(&self, t: &'n Node, b: Option<&Node>) -> Old<'n> {
        let quote = match t.kind {
            Kind::Scalar(s @ (Style::Single | Style::Double)) => {
                b.filter(|b| self.t_text(t) != self.b_text(b)).map(|_| s)
            }
            _ => None,
        };
        Old { t, quote }
    }

    /// A new value on one line: a scalar (quoted as `old` was, when that was
    /// a choice the new value allows), a flow collection, or a block one
    /// turned to flow style when the file wrote `old` in flow style. `None`:
    /// it needs block lines.
    pub(super) fn inline_text(&self, a: &Node, old: Option<Old>) -> Option<String> {
        match &a.kind {
            Kind::Scalar(_) | Kind::Null => Some(self.restyle(a, old.and_then(|o| o.quote))),
            _ if a.flow => Some(self.a_text(a).to_string()),
            _ if old.is_some_and(|o| o.t.flow) => Some(self.to_flow(a)),
            _ => None,
        }
    }

    /// A new value inside a flow collection, where everything is inline.
    pub(super) fn flow_text(&self, a: &Node, old: Option<Old>) -> String {
        self.inline_text(a, old).unwrap_or_else(|| self.to_flow(a))
    }

    /// A canonical block map or list in flow style.
    pub(super) fn to_flow(&self, a: &Node) -> String {
        match &a.kind {
            Kind::Map(entries) if !a.flow => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{}: {}",
                            &self.a[e.key_start..e.colon],
                            self.to_flow(&e.value)
                        )
                    })
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
            Kind::Seq(items) if !a.flow => {
                let inner: Vec<String> = items.iter().map(|i| self.to_flow(&i.value)).collect();
                format!("[{}]", inner.join(", "))
            }
            _ => self.a_text(a).to_string(),
        }
    }

    /// The canonical scalar `a` in the author's `quote` style, when the new
    /// value is text that style can carry; a number, date or yes/no is
    /// written as kith writes it.
    pub(super) fn restyle(&self, a: &Node, quote: Option<Style>) -> String {
        let canonical = self.a_text(a);
        let Some(style) = quote else {
            return canonical.to_string();
        };
        let quoted = canonical.starts_with(['\'', '"']);
        if !quoted && quote::yaml11_misread(canonical) {
            return canonical.to_string();
        }
        let value = if quoted {
            match yaml_serde::from_str::<String>(canonical) {
                Ok(v) => v,
                Err(_) => return canonical.to_string(),
            }
        } else {
            canonical.to_string()
        };
        match style {
            Style::Single => quote::single_quoted(&value).unwrap_or_else(|| canonical.to_string()),
            Style::Double => quote::double_quoted(&value),
            Style::Plain | Style::Block => canonical.to_string(),
        }
    }
}

//! Editing a hand-kept customer file in place: a command changes only the
//! entries it means to change, and every other byte stays as its author wrote
//! it (comments, blank lines, quoting, key order, flow or block style).
//!
//! Three outlines are lined up: the file's own (`t`); the canonical text of
//! the record the file holds, with its lists in the file's order (`b`); and
//! the canonical text of the record the command produced (`a`). Wherever `b`
//! and `a` differ, the file is spliced at the matching place: a changed
//! scalar keeps its key, its comment and, when the new value allows, its
//! quoting; a new list entry goes at its sorted place in the style of its
//! neighbours; a new key goes at its canonical place among the keys the file
//! has. The result is read back and must be exactly the record the command
//! produced; otherwise nothing is written.

mod align;
mod outline;
mod render;
mod traps;

use align::{Alignment, Anchor};
pub use outline::Unsupported;
use outline::{Entry, Item, Kind, Lines, Node};
use render::Layout;
pub use traps::{Trap, yaml11_traps};

use super::emit::emit_in_order;
use super::{Record, Schema, emit_record, parse_record};

/// The top-level lists kith keeps sorted by date; a hand-written file may
/// keep them in its own order, so their entries are matched wherever they
/// stand.
const SORTED_LISTS: &[&str] = &["deals", "tasks", "interactions"];

/// The text of `original` (a file that reads as `before`) changed so that it
/// reads as `after`, keeping everything the change does not touch. The
/// error says why the file cannot be edited in place.
pub fn rewrite(
    original: &str,
    before: &Record,
    after: &Record,
    stem: &str,
    schema: &Schema,
) -> Result<String, String> {
    let (bom, body) = match original.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", original),
    };
    let held = parse_record(body.as_bytes(), stem, schema).map_err(|e| e.to_string())?;
    if sorted(&held) != sorted(before) {
        return Err("the file does not hold the record kith read".into());
    }
    let b = emit_in_order(&held);
    let a = emit_record(after);
    let edited = Editor::new(body, &b, &a).run()?;
    let text = format!("{bom}{edited}");
    read_back(&text, after, stem, schema)?;
    Ok(text)
}

/// Checks that `text` reads as exactly `intended`, lists compared in
/// canonical order (a file may keep them in its own).
fn read_back(text: &str, intended: &Record, stem: &str, schema: &Schema) -> Result<(), String> {
    let back = parse_record(text.as_bytes(), stem, schema)
        .map_err(|e| format!("the edited text does not read back: {e}"))?;
    if sorted(&back) != sorted(intended) {
        return Err("the edited text does not read back as the intended record".into());
    }
    Ok(())
}

/// A record with its lists in canonical order: what equality means for a
/// file that keeps its lists in its own order.
fn sorted(record: &Record) -> Record {
    let mut r = record.clone();
    r.sort_lists();
    r
}

/// Replaces `start..end` of the file with `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

struct Editor<'s> {
    t: &'s str,
    b: &'s str,
    a: &'s str,
    t_lines: Lines,
    /// The file's line break, used for every line kith adds.
    newline: &'static str,
    layout: Layout,
    edits: Vec<Edit>,
}

fn mismatch(key: &str) -> String {
    format!("the file and its record do not line up at `{key}`")
}

fn shares_a_line(line: usize) -> String {
    format!("line {line}: an entry that shares its line with another must change")
}

impl<'s> Editor<'s> {
    fn new(t: &'s str, b: &'s str, a: &'s str) -> Editor<'s> {
        let newline = if t.find('\n').is_some_and(|i| t[..i].ends_with('\r')) {
            "\r\n"
        } else {
            "\n"
        };
        Editor {
            t,
            b,
            a,
            t_lines: Lines::new(t),
            newline,
            layout: Layout::default(),
            edits: Vec::new(),
        }
    }

    fn run(mut self) -> Result<String, String> {
        let t = outline::outline(self.t).map_err(|e| e.to_string())?;
        self.layout = self.learn_layout(&t);
        let b = outline::outline(self.b).map_err(|e| e.to_string())?;
        let a = outline::outline(self.a).map_err(|e| e.to_string())?;
        self.map(&t, &b, &a, true)?;
        self.apply()
    }

    fn apply(mut self) -> Result<String, String> {
        self.edits.sort_by_key(|e| (e.start, e.end));
        let mut out = String::with_capacity(self.t.len() + 256);
        let mut cursor = 0;
        for e in &self.edits {
            if e.start < cursor {
                return Err("two changes fall on the same text".into());
            }
            out.push_str(&self.t[cursor..e.start]);
            out.push_str(&e.text);
            cursor = e.end;
        }
        out.push_str(&self.t[cursor..]);
        // A file without a final line break keeps it so, whatever was added
        // or removed at its end.
        if !self.t.is_empty()
            && !self.t.ends_with('\n')
            && let Some(rest) = out.strip_suffix('\n')
        {
            let kept = rest.strip_suffix('\r').unwrap_or(rest).len();
            out.truncate(kept);
        }
        Ok(out)
    }

    fn edit(&mut self, start: usize, end: usize, text: String) {
        self.edits.push(Edit { start, end, text });
    }

    /// Inserts whole lines at `at`, a line start or the end of the file
    /// (which may lack a final line break).
    fn insert_lines(&mut self, at: usize, text: &str) {
        let mut text = self.native(text);
        if at == self.t.len() && !self.t.is_empty() && !self.t.ends_with('\n') {
            text.insert_str(0, self.newline);
        }
        self.edit(at, at, text);
    }

    /// Lines with the file's line breaks.
    fn native(&self, text: &str) -> String {
        if self.newline == "\n" {
            text.to_string()
        } else {
            text.replace("\r\n", "\n").replace('\n', self.newline)
        }
    }

    fn t_text(&self, n: &Node) -> &'s str {
        &self.t[n.start..n.end]
    }

    fn b_text(&self, n: &Node) -> &'s str {
        &self.b[n.start..n.end]
    }

    fn a_text(&self, n: &Node) -> &'s str {
        &self.a[n.start..n.end]
    }

    fn t_col(&self, at: usize) -> usize {
        at - self.t_lines.line_start(at)
    }

    fn begins_line(&self, at: usize) -> bool {
        self.t_lines.begins_line(self.t, at)
    }

    // -----------------------------------------------------------------------
    // Maps.

    fn map(&mut self, t: &Node, b: &Node, a: &Node, root: bool) -> Result<(), String> {
        let reshaped = a.entries().iter().any(|e| b.entry(&e.key).is_none())
            || b.entries().iter().any(|e| a.entry(&e.key).is_none());
        if t.flow && reshaped {
            return self.rebuild_flow_map(t, b, a);
        }
        for (k, ae) in a.entries().iter().enumerate() {
            match (b.entry(&ae.key), t.entry(&ae.key)) {
                (Some(be), Some(te)) => {
                    if self.b_text(&be.value) != self.a_text(&ae.value) {
                        let sorted = root && SORTED_LISTS.contains(&ae.key.as_str());
                        self.entry_value(t.flow, te, &be.value, ae, sorted)?;
                    }
                }
                // The file has the key, its value empty to kith (`tags: []`,
                // a map of empty keys).
                (None, Some(te)) => match (&te.value.kind, &ae.value.kind) {
                    (Kind::Map(entries), Kind::Map(_)) if !entries.is_empty() => {
                        self.map(&te.value, &Node::empty_map(), &ae.value, false)?
                    }
                    _ => self.replace_value(t.flow, te, None, ae)?,
                },
                (None, None) => self.insert_entry(t, a, k)?,
                (Some(_), None) => return Err(mismatch(&ae.key)),
            }
        }
        for be in b.entries() {
            if a.entry(&be.key).is_none() {
                let te = t.entry(&be.key).ok_or_else(|| mismatch(&be.key))?;
                self.remove_lines(te.key_start, te.end)?;
            }
        }
        Ok(())
    }

    fn entry_value(
        &mut self,
        flow: bool,
        te: &Entry,
        b: &Node,
        ae: &Entry,
        sorted: bool,
    ) -> Result<(), String> {
        let (t, a) = (&te.value, &ae.value);
        match (&t.kind, &b.kind, &a.kind) {
            (Kind::Map(_), Kind::Map(_), Kind::Map(_)) => self.map(t, b, a, false),
            (Kind::Seq(_), Kind::Seq(_), Kind::Seq(_)) => self.seq(t, b, a, sorted),
            _ => self.replace_value(flow, te, Some(b), ae),
        }
    }

    /// Gives the file's entry `te` (whose canonical value is `b`) the value
    /// of `ae`, inline when the value is a scalar or a flow collection (or
    /// the file wrote it in flow style), else as block lines below the key.
    fn replace_value(
        &mut self,
        parent_flow: bool,
        te: &Entry,
        b: Option<&Node>,
        ae: &Entry,
    ) -> Result<(), String> {
        let old = &te.value;
        let null = matches!(old.kind, Kind::Null);
        if parent_flow {
            let text = self.flow_text(&ae.value, Some(self.old(old, b)));
            if null {
                self.edit(te.colon + 1, te.colon + 1, format!(" {text}"));
            } else {
                self.edit(old.start, old.end, text);
            }
            return Ok(());
        }
        let on_key_line = self.t_lines.number(old.start) == self.t_lines.number(te.colon);
        let old_lines_end = self.t_lines.next_line(old.end.max(te.colon + 1) - 1);
        match self.inline_text(&ae.value, Some(self.old(old, b))) {
            Some(text) if on_key_line && !null => self.edit(old.start, old.end, text),
            Some(text) => {
                self.edit(te.colon + 1, te.colon + 1, format!(" {text}"));
                if !on_key_line {
                    let below = self.t_lines.next_line(te.colon);
                    self.edit(below, old_lines_end, String::new());
                }
            }
            None => {
                let block = self.value_lines(&ae.value, self.t_col(te.key_start), None);
                if on_key_line {
                    if !null {
                        self.edit(te.colon + 1, old.end, String::new());
                    }
                    self.insert_lines(old_lines_end, &block);
                } else {
                    let below = self.t_lines.next_line(te.colon);
                    let block = self.native(&block);
                    self.edit(below, old_lines_end, block);
                }
            }
        }
        Ok(())
    }

    /// Adds entry `k` of `a` to the file's block map `t`: after the nearest
    /// key before it (in canonical order) that the file has, else before
    /// the nearest one after it, else at the end.
    fn insert_entry(&mut self, t: &Node, a: &Node, k: usize) -> Result<(), String> {
        let ae = &a.entries()[k];
        let first = t.entries().first().ok_or_else(|| mismatch(&ae.key))?;
        let col = self.t_col(first.key_start);
        let text = self.entry_lines(ae, col, None);
        let before = a.entries()[..k].iter().rev().find_map(|e| t.entry(&e.key));
        let after = a.entries()[k + 1..].iter().find_map(|e| t.entry(&e.key));
        let at = match (before, after) {
            (Some(p), _) => p.end,
            (None, Some(s)) if self.begins_line(s.key_start) => {
                self.t_lines.above_comments(s.key_start, col)
            }
            _ => t.entries().last().map_or(first.end, |e| e.end),
        };
        self.insert_lines(at, &text);
        Ok(())
    }

    /// Removes the lines of an entry or item that starts at `at` and ends
    /// at `end` (after its line break).
    fn remove_lines(&mut self, at: usize, end: usize) -> Result<(), String> {
        if !self.begins_line(at) {
            return Err(shares_a_line(self.t_lines.number(at)));
        }
        let start = self.t_lines.line_start(at);
        self.edit(start, end, String::new());
        Ok(())
    }

    /// A flow map that gains or loses keys, written again with its kept
    /// entries as they were and new ones at their canonical place.
    fn rebuild_flow_map(&mut self, t: &Node, b: &Node, a: &Node) -> Result<(), String> {
        let entries = t.entries();
        let spans: Vec<(usize, usize)> = entries.iter().map(|e| (e.key_start, e.end)).collect();
        self.refuse_inner_comments(&spans)?;
        let predecessor = |k: usize| {
            a.entries()[..k]
                .iter()
                .rev()
                .find(|e| t.entry(&e.key).is_some())
                .map(|e| e.key.as_str())
        };
        let new_after = |key: Option<&str>| -> Vec<String> {
            a.entries()
                .iter()
                .enumerate()
                .filter(|(k, e)| t.entry(&e.key).is_none() && predecessor(*k) == key)
                .map(|(_, e)| {
                    format!(
                        "{}: {}",
                        &self.a[e.key_start..e.colon],
                        self.flow_text(&e.value, None)
                    )
                })
                .collect()
        };
        let mut pieces = new_after(None);
        for te in entries {
            match (a.entry(&te.key), b.entry(&te.key)) {
                (Some(ae), Some(be)) if self.b_text(&be.value) == self.a_text(&ae.value) => {
                    pieces.push(self.t[te.key_start..te.end].to_string());
                }
                (Some(ae), be) => {
                    let be = be.map(|be| &be.value);
                    let value = self.flow_text(&ae.value, Some(self.old(&te.value, be)));
                    pieces.push(match te.value.kind {
                        Kind::Null => format!("{} {value}", &self.t[te.key_start..=te.colon]),
                        _ => format!("{}{value}", &self.t[te.key_start..te.value.start]),
                    });
                }
                (None, Some(_)) => {}
                (None, None) => pieces.push(self.t[te.key_start..te.end].to_string()),
            }
            pieces.extend(new_after(Some(&te.key)));
        }
        self.replace_flow_inside(t, &spans, &pieces);
        Ok(())
    }

    // -----------------------------------------------------------------------
    // Lists.

    fn seq(&mut self, t: &Node, b: &Node, a: &Node, sorted: bool) -> Result<(), String> {
        let item_text = |text: &'s str, i: &Item| &text[i.start..i.value.end];
        let old: Vec<&str> = b.items().iter().map(|i| item_text(self.b, i)).collect();
        let new: Vec<&str> = a.items().iter().map(|i| item_text(self.a, i)).collect();
        if t.items().len() != old.len() {
            return Err(mismatch("a list"));
        }
        let al = if sorted {
            let identity = |text: &'s str, i: &Item| match i.value.entries().first() {
                Some(e) => &text[e.key_start..e.value.end],
                None => &text[i.start..i.value.end],
            };
            let old_ids: Vec<&str> = b.items().iter().map(|i| identity(self.b, i)).collect();
            let new_ids: Vec<&str> = a.items().iter().map(|i| identity(self.a, i)).collect();
            align::unordered(&old, &new, &old_ids, &new_ids)
        } else {
            align::ordered(&old, &new)
        };
        if t.flow && al.reshapes() {
            return self.rebuild_flow_seq(t, b, a, &al);
        }
        for (j, link) in al.new_to_old.iter().enumerate() {
            match *link {
                Some((_, true)) => {}
                Some((i, false)) => {
                    self.item_value(t, &t.items()[i], &b.items()[i].value, &a.items()[j])?
                }
                None => self.insert_item(t, b, &a.items()[j], al.anchor(j))?,
            }
        }
        for (ti, kept) in t.items().iter().zip(&al.kept) {
            if !kept {
                self.remove_lines(ti.start, ti.end)?;
            }
        }
        Ok(())
    }

    fn item_value(&mut self, t: &Node, ti: &Item, b: &Node, aj: &Item) -> Result<(), String> {
        let (old, a) = (&ti.value, &aj.value);
        match (&old.kind, &b.kind, &a.kind) {
            (Kind::Map(_), Kind::Map(_), Kind::Map(_)) => return self.map(old, b, a, false),
            (Kind::Seq(_), Kind::Seq(_), Kind::Seq(_)) => return self.seq(old, b, a, false),
            _ => {}
        }
        let like = Some(self.old(old, Some(b)));
        let inline = if t.flow {
            Some(self.flow_text(a, like))
        } else {
            self.inline_text(a, like)
        };
        let on_dash_line = self.t_lines.number(old.start) == self.t_lines.number(ti.start);
        match inline {
            Some(text) if on_dash_line && !matches!(old.kind, Kind::Null) => {
                self.edit(old.start, old.end, text)
            }
            _ => {
                let text = self.item_lines(aj, &self.list_style(t), like);
                self.remove_lines(ti.start, ti.end)?;
                self.insert_lines(ti.end, &text);
            }
        }
        Ok(())
    }

    /// Adds `aj` to the file's block list `t` (whose canonical entries are
    /// `b`) next to the entry `anchor` names, written like it.
    fn insert_item(&mut self, t: &Node, b: &Node, aj: &Item, anchor: Anchor) -> Result<(), String> {
        let (i, after) = match anchor {
            Anchor::After(i) => (i, true),
            Anchor::Before(i) => (i, false),
        };
        let ti = &t.items()[i];
        let like = self.old(&ti.value, b.items().get(i).map(|x| &x.value));
        let text = self.item_lines(aj, &self.list_style(t), Some(like));
        let gap = self.blank_gap(t, i);
        if after {
            self.insert_lines(ti.end, &format!("{gap}{text}"));
        } else if self.begins_line(ti.start) {
            let at = self.t_lines.above_comments(ti.start, self.t_col(ti.start));
            self.insert_lines(at, &format!("{text}{gap}"));
        } else {
            return Err(shares_a_line(self.t_lines.number(ti.start)));
        }
        Ok(())
    }

    /// The blank lines the file puts between its entries next to entry `i`
    /// of block list `t`, so that a new entry is set apart as they are.
    fn blank_gap(&self, t: &Node, i: usize) -> &'s str {
        let items = t.items();
        let k = if i + 1 < items.len() {
            i
        } else if i > 0 {
            i - 1
        } else {
            return "";
        };
        let next = items[k + 1].start;
        let to = self.t_lines.above_comments(next, self.t_col(next));
        let gap = &self.t[items[k].end.min(to)..to];
        if gap.trim().is_empty() { gap } else { "" }
    }

    /// A flow list that gains or loses entries, written again: kept entries
    /// as they were, changed and new ones in the style of their neighbours.
    fn rebuild_flow_seq(
        &mut self,
        t: &Node,
        b: &Node,
        a: &Node,
        al: &Alignment,
    ) -> Result<(), String> {
        let items = t.items();
        let like = |i: usize| {
            let ti = items.get(i)?;
            Some(self.old(&ti.value, b.items().get(i).map(|x| &x.value)))
        };
        let spans: Vec<(usize, usize)> = items.iter().map(|i| (i.start, i.end)).collect();
        self.refuse_inner_comments(&spans)?;
        let pieces: Vec<String> = a
            .items()
            .iter()
            .enumerate()
            .map(|(j, aj)| match al.new_to_old[j] {
                Some((i, true)) => self.t_text(&items[i].value).to_string(),
                Some((i, false)) => self.flow_text(&aj.value, like(i)),
                None => {
                    let (Anchor::After(i) | Anchor::Before(i)) = al.anchor(j);
                    self.flow_text(&aj.value, like(i))
                }
            })
            .collect();
        self.replace_flow_inside(t, &spans, &pieces);
        Ok(())
    }

    /// Refuses to rebuild a flow collection with a comment between its
    /// entries, which the rebuild would lose.
    fn refuse_inner_comments(&self, spans: &[(usize, usize)]) -> Result<(), String> {
        for w in spans.windows(2) {
            if self.t[w[0].1..w[1].0].contains('#') {
                return Err(format!(
                    "line {}: a comment inside a flow collection kith must change",
                    self.t_lines.number(w[0].1)
                ));
            }
        }
        Ok(())
    }

    /// Replaces the entries of flow collection `t` (from its first entry to
    /// its last) with `pieces`, joined as the file joins them.
    fn replace_flow_inside(&mut self, t: &Node, spans: &[(usize, usize)], pieces: &[String]) {
        let separator = match spans {
            [first, second, ..] => self.t[first.1..second.0].to_string(),
            _ => ", ".to_string(),
        };
        let (start, end) = match (spans.first(), spans.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            _ => (t.start + 1, t.end - 1),
        };
        self.edit(start, end, pieces.join(&separator));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Date, When};
    use crate::record::{Interaction, Task, Tier};

    fn day(text: &str) -> Date {
        crate::date::parse_iso(text).unwrap()
    }

    /// `text` changed by `change` as a command would: read, sorted, changed.
    fn edit(text: &str, change: impl FnOnce(&mut Record)) -> Result<String, String> {
        let schema = Schema::default();
        let mut before = parse_record(text.as_bytes(), "c", &schema).unwrap();
        before.sort_lists();
        let mut after = before.clone();
        change(&mut after);
        rewrite(text, &before, &after, "c", &schema)
    }

    #[test]
    fn a_changed_scalar_keeps_its_line_comment_and_quotes() {
        let text = "# top\nname: \"Acme\"   # legal name\nowner: 'li'  # boss\n";
        let out = edit(text, |r| {
            r.name = "Acme Ltd".into();
            r.owner = Some("zhang".into());
        });
        assert_eq!(
            out.unwrap(),
            "# top\nname: \"Acme Ltd\"   # legal name\nowner: 'zhang'  # boss\n"
        );
        // A value the old style cannot carry is quoted as kith quotes it.
        let out = edit("name: Acme\nowner: li # boss\n", |r| {
            r.owner = Some("no".into())
        });
        assert_eq!(out.unwrap(), "name: Acme\nowner: 'no' # boss\n");
        let out = edit("name: Acme\nowner: 'li'\n", |r| {
            r.owner = Some("a\nb".into())
        });
        assert_eq!(out.unwrap(), "name: Acme\nowner: \"a\\nb\"\n");
        // Quotes a value needed (as kith writes it) are not a style to keep.
        let text = "name: Acme\nsource: 'a: b'\ntags: [x, '2026']\n";
        let out = edit(text, |r| {
            r.source = Some("fair".into());
            r.tags.push("new".into());
        });
        assert_eq!(
            out.unwrap(),
            "name: Acme\nsource: fair\ntags: [x, '2026', new]\n"
        );
    }

    #[test]
    fn new_keys_go_to_their_canonical_place_among_the_file_s_keys() {
        // The file's own order is kept; `tier` follows `owner` (the nearest
        // key before it in canonical order), `contact` comes after `tags`.
        let text = "tags: [a]\nname: Acme\nowner: li\n\n# history\ninteractions:\n  - date: 2026-01-02\n    kind: call\n";
        let out = edit(text, |r| {
            r.tier = Some(Tier::Vip);
            r.contact.email = Some("x@y.example".into());
        });
        assert_eq!(
            out.unwrap(),
            "tags: [a]\ncontact:\n  email: x@y.example\nname: Acme\nowner: li\ntier: vip\n\n# history\ninteractions:\n  - date: 2026-01-02\n    kind: call\n"
        );
    }

    #[test]
    fn a_removed_key_takes_its_lines_and_leaves_comments_above() {
        let text =
            "name: Acme\n# who owns it\nowner: li   # boss\n  # more about li\nsource: fair\n";
        let out = edit(text, |r| r.owner = None);
        assert_eq!(out.unwrap(), "name: Acme\n# who owns it\nsource: fair\n");
    }

    #[test]
    fn list_entries_go_to_their_sorted_place_in_the_style_of_their_neighbours() {
        // Indentless list, four columns after the dash, blank lines between
        // entries: the new interaction (1 March) goes between the two.
        let text = "name: Acme\ninteractions:\n-   date: 2026-02-01\n    kind: call\n\n-   date: 2026-04-01\n    kind: visit   # on site\n";
        let out = edit(text, |r| {
            let mut i = Interaction::new(When::day(day("2026-03-01")), "note");
            i.summary = Some("Sent the quote".into());
            r.interactions.push(i);
        });
        assert_eq!(
            out.unwrap(),
            "name: Acme\ninteractions:\n-   date: 2026-02-01\n    kind: call\n\n-   date: 2026-03-01\n    kind: note\n    summary: Sent the quote\n\n-   date: 2026-04-01\n    kind: visit   # on site\n"
        );
    }

    #[test]
    fn a_file_s_own_list_order_is_kept() {
        // Tasks out of date order: the done task changes in place, the new
        // one follows its sorted predecessor.
        let text = "name: Acme\ntasks:\n  - due: 2026-12-01\n    what: Late one\n  - due: 2026-10-01\n    what: Early one  # first\n";
        let out = edit(text, |r| {
            r.tasks[0].done = Some(day("2026-10-02"));
            r.tasks.push(Task::new(day("2026-11-01"), "Middle one"));
        });
        assert_eq!(
            out.unwrap(),
            "name: Acme\ntasks:\n  - due: 2026-12-01\n    what: Late one\n  - due: 2026-10-01\n    what: Early one  # first\n    done: 2026-10-02\n  - due: 2026-11-01\n    what: Middle one\n"
        );
    }

    #[test]
    fn flow_lists_stay_flow_and_block_lists_block() {
        let text = "name: Acme\ntags: [\"a\", b]  # mine\nprofile:\n  hobbies:\n    - golf   # since 2010\n    - tea\n";
        let out = edit(text, |r| {
            r.tags.push("c".into());
            r.profile.hobbies.retain(|h| h != "golf");
            r.profile.hobbies.push("go".into());
        });
        assert_eq!(
            out.unwrap(),
            "name: Acme\ntags: [\"a\", b, c]  # mine\nprofile:\n  hobbies:\n    - tea\n    - go\n"
        );
    }

    #[test]
    fn empty_values_are_filled_where_they_stand() {
        let text = "name: Acme\ntags: []   # none yet\nowner:   # to be decided\ncontact:\n";
        let out = edit(text, |r| {
            r.tags = vec!["a".into()];
            r.owner = Some("li".into());
            r.contact.email = Some("x@y.example".into());
        });
        assert_eq!(
            out.unwrap(),
            "name: Acme\ntags: [a]   # none yet\nowner: li   # to be decided\ncontact:\n  email: x@y.example\n"
        );
    }

    #[test]
    fn a_map_of_empty_keys_is_filled_in_place() {
        let text = "name: Acme\ncontact:\n  # nothing yet\n  email:\n  phone: ~\n";
        let out = edit(text, |r| r.contact.phone = Some("+1 555".into()));
        assert_eq!(
            out.unwrap(),
            "name: Acme\ncontact:\n  # nothing yet\n  email:\n  phone: '+1 555'\n"
        );
    }

    #[test]
    fn line_breaks_and_a_missing_last_line_break_are_kept() {
        let out = edit("name: Acme\r\nowner: li\r\n", |r| r.tier = Some(Tier::Vip));
        assert_eq!(out.unwrap(), "name: Acme\r\nowner: li\r\ntier: vip\r\n");
        let out = edit("name: Acme", |r| r.owner = Some("li".into()));
        assert_eq!(out.unwrap(), "name: Acme\nowner: li");
        let out = edit("\u{feff}name: Acme\n", |r| r.owner = Some("li".into()));
        assert_eq!(out.unwrap(), "\u{feff}name: Acme\nowner: li\n");
    }

    #[test]
    fn what_cannot_be_mapped_is_refused() {
        let out = edit("name: Acme\nbase: &b {x: 1}\nmore: *b\n", |r| {
            r.owner = Some("li".into())
        });
        assert_eq!(out.unwrap_err(), "line 2: YAML anchors and aliases (& *)");
        // A comment inside a flow list that must be written again.
        let text = "name: Acme\ntags: [a,  # first\n  b]\n";
        let out = edit(text, |r| {
            r.tags.remove(0);
        });
        assert!(
            out.unwrap_err()
                .contains("a comment inside a flow collection")
        );
    }

    #[test]
    fn text_that_reads_back_otherwise_is_caught() {
        let schema = Schema::default();
        let intended = Record::new("c", "Acme");
        assert!(read_back("name: Acme\n", &intended, "c", &schema).is_ok());
        let err = read_back("name: Acme Ltd\n", &intended, "c", &schema).unwrap_err();
        assert_eq!(
            err,
            "the edited text does not read back as the intended record"
        );
        assert!(read_back("name: [\n", &intended, "c", &schema).is_err());
    }
}

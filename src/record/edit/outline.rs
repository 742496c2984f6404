//! A lossless outline of a YAML document's structure: which byte ranges hold
//! which map entries, list items and scalars. Nothing is decoded except map
//! keys, and nothing is lost: the editor splices the original text at these
//! ranges and leaves every other byte alone.
//!
//! It is not a YAML parser. It runs only on text yaml_serde has already read,
//! so it can trust indentation and brackets to be well formed; what it cannot
//! map faithfully (anchors, aliases, tags, complex keys, directives, several
//! documents) it refuses with a reason.

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Single,
    Double,
    /// A block scalar (`|`, `>`).
    Block,
}

#[derive(Debug)]
pub enum Kind {
    /// No value at all (`key:` with nothing after it): the node is the empty
    /// range where a value would go.
    Null,
    Scalar(Style),
    Map(Vec<Entry>),
    Seq(Vec<Item>),
}

#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    /// A map or list in flow style (`{..}`, `[..]`).
    pub flow: bool,
    /// The node's text, from its first character to its last (no trailing
    /// comment, no line break).
    pub start: usize,
    pub end: usize,
}

/// A map entry.
#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub key_start: usize,
    /// The byte offset of the `:` after the key.
    pub colon: usize,
    pub value: Node,
    /// Block style: the end of the entry's last line (after its line break),
    /// with the more indented comment lines right below it. Flow style: the
    /// end of the value.
    pub end: usize,
}

/// A list item.
#[derive(Debug)]
pub struct Item {
    /// The dash (block style) or the value's first character (flow style).
    pub start: usize,
    pub value: Node,
    /// As for `Entry::end`.
    pub end: usize,
}

impl Node {
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(e) => e,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Item] {
        match &self.kind {
            Kind::Seq(i) => i,
            _ => &[],
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    /// A map without entries, standing for a value that is empty to kith.
    pub fn empty_map() -> Node {
        Node::leaf(Kind::Map(Vec::new()), 0, 0)
    }

    fn leaf(kind: Kind, start: usize, end: usize) -> Node {
        Node {
            kind,
            flow: false,
            start,
            end,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Comment,
    Content,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// The end of the line's text, before `\r\n` or `\n`.
    end: usize,
    /// The start of the next line.
    next: usize,
    indent: usize,
    kind: LineKind,
}

/// The lines of a text, and where each starts; shared by the parser and the
/// editor, which inserts and removes whole lines.
pub struct Lines {
    lines: Vec<Line>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut lines = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let next = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            let mut end = next;
            if text[start..end].ends_with('\n') {
                end -= 1;
            }
            if text[start..end].ends_with('\r') {
                end -= 1;
            }
            let body = &text[start..end];
            let indent = body.len() - body.trim_start_matches(' ').len();
            let rest = body[indent..].trim_start_matches([' ', '\t']);
            let kind = if rest.is_empty() {
                LineKind::Blank
            } else if rest.starts_with('#') {
                LineKind::Comment
            } else {
                LineKind::Content
            };
            lines.push(Line {
                start,
                end,
                next,
                indent,
                kind,
            });
            start = next;
        }
        Lines { lines }
    }

    /// The index of the line holding byte `offset`.
    fn index_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.next <= offset)
            .min(self.lines.len().saturating_sub(1))
    }

    /// The start of the line holding byte `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        self.lines.get(self.index_of(offset)).map_or(0, |l| l.start)
    }

    /// The start of the line after the one holding byte `offset`.
    pub fn next_line(&self, offset: usize) -> usize {
        self.lines.get(self.index_of(offset)).map_or(0, |l| l.next)
    }

    /// The 1-based line number of byte `offset`.
    pub fn number(&self, offset: usize) -> usize {
        self.index_of(offset) + 1
    }

    /// Whether only spaces precede byte `offset` on its line.
    pub fn begins_line(&self, text: &str, offset: usize) -> bool {
        text[self.line_start(offset)..offset]
            .bytes()
            .all(|b| b == b' ')
    }

    /// Where the comment lines right above the line of `offset` begin (those
    /// indented no deeper than `column`): a comment directly above an entry
    /// belongs to it, so text inserted before the entry goes above them.
    pub fn above_comments(&self, offset: usize, column: usize) -> usize {
        let mut i = self.index_of(offset);
        while i > 0 {
            let above = &self.lines[i - 1];
            if above.kind != LineKind::Comment || above.indent > column {
                break;
            }
            i -= 1;
        }
        self.lines[i].start
    }

    /// The end of a block entry whose text ends at `content_end`: the end of
    /// that line, and of the comment lines right below it that are indented
    /// deeper than `column` (they annotate the entry).
    fn entry_end(&self, content_end: usize, column: usize) -> usize {
        let mut i = self.index_of(content_end.saturating_sub(1));
        while let Some(below) = self.lines.get(i + 1) {
            if below.kind != LineKind::Comment || below.indent <= column {
                break;
            }
            i += 1;
        }
        self.lines[i].next
    }
}

/// A construct the outline cannot map, and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub line: usize,
    pub what: String,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

/// The outline of a whole document, whose root must be a block map.
pub fn outline(text: &str) -> Result<Node, Unsupported> {
    let lines = Lines::new(text);
    let p = Parser {
        text,
        lines: &lines,
    };
    let mut first = p.next_content(0);
    if let Some(i) = first {
        let line = &lines.lines[i];
        let body = &text[line.start..line.end];
        if body.starts_with('%') {
            return Err(p.unsupported(line.start, "YAML directives (%)"));
        }
        if body == "---" || body.starts_with("--- #") {
            first = p.next_content(i + 1);
        } else if body.starts_with("--- ") {
            return Err(p.unsupported(line.start, "a value on the `---` line"));
        }
    }
    let Some(i) = first else {
        return Err(Unsupported {
            line: 1,
            what: "a file without keys".into(),
        });
    };
    let line = lines.lines[i];
    let pos = line.start + line.indent;
    if p.key_at(pos, &line)?.is_none() {
        return Err(p.unsupported(pos, "a record that is not a block map of keys"));
    }
    let (root, next) = p.block_map(i, line.indent, pos)?;
    if let Some(rest) = p.next_content(next) {
        let line = &lines.lines[rest];
        let body = &text[line.start..line.end];
        let trailer = body == "..." || body.starts_with("... #");
        if !trailer || p.next_content(rest + 1).is_some() {
            return Err(p.unsupported(line.start, "text after the record (several documents?)"));
        }
    }
    Ok(root)
}

struct Parser<'t> {
    text: &'t str,
    lines: &'t Lines,
}

impl Parser<'_> {
    fn unsupported(&self, at: usize, what: &str) -> Unsupported {
        Unsupported {
            line: self.lines.number(at),
            what: what.to_string(),
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.text.as_bytes().get(at).copied().unwrap_or(b'\n')
    }

    fn line(&self, i: usize) -> Line {
        self.lines.lines[i]
    }

    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.lines.lines.len()).find(|&i| self.lines.lines[i].kind == LineKind::Content)
    }

    /// A `-` that starts a block list item at `at`.
    fn is_dash(&self, at: usize) -> bool {
        self.byte(at) == b'-' && matches!(self.byte(at + 1), b' ' | b'\t' | b'\r' | b'\n')
    }

    /// Whether the rest of the line from `at` is empty or a comment.
    fn rest_is_empty(&self, at: usize, line: &Line) -> bool {
        let rest = self.text[at..line.end].trim_start_matches([' ', '\t']);
        rest.is_empty() || rest.starts_with('#')
    }

    fn skip_blanks(&self, mut at: usize, line: &Line) -> usize {
        while at < line.end && matches!(self.byte(at), b' ' | b'\t') {
            at += 1;
        }
        at
    }

    /// A map key starting at `at`: its text, and the offset of its colon.
    fn key_at(&self, at: usize, line: &Line) -> Result<Option<(String, usize)>, Unsupported> {
        let (key, after) = match self.byte(at) {
            b'\'' | b'"' => {
                let end = self.quoted(at)?;
                if end > line.end {
                    return Ok(None);
                }
                let colon = self.skip_blanks(end, line);
                if self.byte(colon) != b':' {
                    return Ok(None);
                }
                let key = yaml_serde::from_str::<String>(&self.text[at..end])
                    .map_err(|_| self.unsupported(at, "a quoted key kith cannot read"))?;
                (key, colon)
            }
            b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'#' => return Ok(None),
            b'?' if matches!(self.byte(at + 1), b' ' | b'\t' | b'\r' | b'\n') => {
                return Err(self.unsupported(at, "complex keys (`? `)"));
            }
            _ => {
                let body = &self.text[at..line.end];
                let mut found = None;
                let bytes = body.as_bytes();
                for (i, &b) in bytes.iter().enumerate() {
                    if b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
                        break;
                    }
                    if b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) {
                        found = Some(i);
                        break;
                    }
                }
                let Some(i) = found else {
                    return Ok(None);
                };
                (body[..i].trim_end().to_string(), at + i)
            }
        };
        if key == "<<" {
            return Err(self.unsupported(at, "merge keys (`<<`)"));
        }
        Ok(Some((key, after)))
    }

    /// A block map whose keys stand at `column`, the first at `at` on line
    /// `first` (after a list dash, it starts mid-line).
    fn block_map(
        &self,
        first: usize,
        column: usize,
        at: usize,
    ) -> Result<(Node, usize), Unsupported> {
        let mut entries = Vec::new();
        let (mut line, mut pos) = (first, at);
        loop {
            let (entry, next) = self.entry(line, pos, column)?;
            entries.push(entry);
            let Some(n) = self.next_content(next) else {
                break;
            };
            let l = self.line(n);
            if l.indent > column {
                return Err(self.unsupported(l.start, "indentation kith cannot follow"));
            }
            if l.indent < column || self.key_at(l.start + l.indent, &l)?.is_none() {
                break;
            }
            (line, pos) = (n, l.start + l.indent);
        }
        let end = entries.last().map_or(at, |e| e.value.end.max(e.colon + 1));
        let next = self.lines.index_of(end.saturating_sub(1)) + 1;
        Ok((
            Node {
                kind: Kind::Map(entries),
                flow: false,
                start: at,
                end,
            },
            next,
        ))
    }

    fn entry(&self, line: usize, at: usize, column: usize) -> Result<(Entry, usize), Unsupported> {
        let l = self.line(line);
        let Some((key, colon)) = self.key_at(at, &l)? else {
            return Err(self.unsupported(at, "a line that is not `key: value`"));
        };
        let value_at = self.skip_blanks(colon + 1, &l);
        let (value, next) = if self.rest_is_empty(value_at, &l) {
            self.block_value(line + 1, column, true, colon + 1)?
        } else {
            self.inline(line, value_at, column)?
        };
        let end = self.lines.entry_end(value.end.max(colon + 1), column);
        let next = next.max(self.lines.index_of(end.saturating_sub(1)) + 1);
        Ok((
            Entry {
                key,
                key_start: at,
                colon,
                value,
                end,
            },
            next,
        ))
    }

    /// The value of a key or dash that ends its line: a block node on the
    /// lines below, indented deeper than `parent` (a list may stand at the
    /// key's own column), or no value at all.
    fn block_value(
        &self,
        from: usize,
        parent: usize,
        in_map: bool,
        null_at: usize,
    ) -> Result<(Node, usize), Unsupported> {
        let Some(i) = self.next_content(from) else {
            return Ok((Node::leaf(Kind::Null, null_at, null_at), from));
        };
        let l = self.line(i);
        let pos = l.start + l.indent;
        let dash = self.is_dash(pos);
        if !(l.indent > parent || (in_map && dash && l.indent == parent)) {
            return Ok((Node::leaf(Kind::Null, null_at, null_at), from));
        }
        if dash {
            self.block_seq(i, l.indent, pos)
        } else if self.key_at(pos, &l)?.is_some() {
            self.block_map(i, l.indent, pos)
        } else {
            self.inline(i, pos, parent)
        }
    }

    /// A block list whose dashes stand at `column`, the first at `at`.
    fn block_seq(
        &self,
        first: usize,
        column: usize,
        at: usize,
    ) -> Result<(Node, usize), Unsupported> {
        let mut items = Vec::new();
        let (mut line, mut pos) = (first, at);
        loop {
            let (item, next) = self.item(line, pos, column)?;
            items.push(item);
            let Some(n) = self.next_content(next) else {
                break;
            };
            let l = self.line(n);
            if l.indent > column {
                return Err(self.unsupported(l.start, "indentation kith cannot follow"));
            }
            if l.indent < column || !self.is_dash(l.start + l.indent) {
                break;
            }
            (line, pos) = (n, l.start + l.indent);
        }
        let end = items.last().map_or(at, |i| i.value.end.max(i.start + 1));
        let next = self.lines.index_of(end.saturating_sub(1)) + 1;
        Ok((
            Node {
                kind: Kind::Seq(items),
                flow: false,
                start: at,
                end,
            },
            next,
        ))
    }

    fn item(&self, line: usize, dash: usize, column: usize) -> Result<(Item, usize), Unsupported> {
        let l = self.line(line);
        let at = self.skip_blanks(dash + 1, &l);
        let nested = at - l.start;
        let (value, next) = if self.rest_is_empty(at, &l) {
            self.block_value(line + 1, column, false, dash + 1)?
        } else if self.is_dash(at) {
            self.block_seq(line, nested, at)?
        } else if self.key_at(at, &l)?.is_some() {
            self.block_map(line, nested, at)?
        } else {
            self.inline(line, at, column)?
        };
        let end = self.lines.entry_end(value.end.max(dash + 1), column);
        let next = next.max(self.lines.index_of(end.saturating_sub(1)) + 1);
        Ok((
            Item {
                start: dash,
                value,
                end,
            },
            next,
        ))
    }

    /// A value that starts at `at` on line `line`: a scalar or a flow
    /// collection, which may run over several lines. `parent` is the column
    /// of the key or dash it belongs to.
    fn inline(&self, line: usize, at: usize, parent: usize) -> Result<(Node, usize), Unsupported> {
        let node = match self.byte(at) {
            b'\'' => Node::leaf(Kind::Scalar(Style::Single), at, self.quoted(at)?),
            b'"' => Node::leaf(Kind::Scalar(Style::Double), at, self.quoted(at)?),
            b'[' | b'{' => self.flow(at)?,
            b'|' | b'>' => self.block_scalar(line, at, parent)?,
            b'&' | b'*' => return Err(self.unsupported(at, "YAML anchors and aliases (& *)")),
            b'!' => return Err(self.unsupported(at, "YAML tags (!)")),
            b'?' if matches!(self.byte(at + 1), b' ' | b'\t' | b'\r' | b'\n') => {
                return Err(self.unsupported(at, "complex keys (`? `)"));
            }
            _ => self.plain(line, at, parent),
        };
        let last = self.lines.index_of(node.end.saturating_sub(1));
        if !self.rest_is_empty(node.end, &self.line(last)) {
            return Err(self.unsupported(node.end, "text after a value kith cannot place"));
        }
        Ok((node, last + 1))
    }

    /// A plain scalar, with the lines that continue it (indented deeper than
    /// `parent`, until a comment or a shallower line).
    fn plain(&self, line: usize, at: usize, parent: usize) -> Node {
        let l = self.line(line);
        let (mut end, commented) = self.plain_line_end(at, &l);
        if !commented {
            for i in line + 1..self.lines.lines.len() {
                let c = self.line(i);
                match c.kind {
                    LineKind::Blank => continue,
                    LineKind::Comment => break,
                    LineKind::Content if c.indent <= parent => break,
                    LineKind::Content => {
                        let (e, commented) = self.plain_line_end(c.start + c.indent, &c);
                        end = e;
                        if commented {
                            break;
                        }
                    }
                }
            }
        }
        Node::leaf(Kind::Scalar(Style::Plain), at, end)
    }

    /// Where plain text from `at` ends on its line, and whether a comment
    /// follows it.
    fn plain_line_end(&self, at: usize, l: &Line) -> (usize, bool) {
        let body = &self.text[at..l.end];
        let bytes = body.as_bytes();
        let cut =
            (1..bytes.len()).find(|&i| bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t'));
        let text = &body[..cut.unwrap_or(body.len())];
        (at + text.trim_end_matches([' ', '\t']).len(), cut.is_some())
    }

    /// The end of the quoted scalar starting at `at` (after its closing
    /// quote); it may run over lines.
    fn quoted(&self, at: usize) -> Result<usize, Unsupported> {
        let bytes = self.text.as_bytes();
        let quote = bytes[at];
        let mut i = at + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return Ok(i + 1),
                _ => i += 1,
            }
        }
        Err(self.unsupported(at, "an unclosed quote"))
    }

    /// A block scalar (`|`, `>`): its header and the lines indented deeper
    /// than `parent`.
    fn block_scalar(&self, line: usize, at: usize, parent: usize) -> Result<Node, Unsupported> {
        let l = self.line(line);
        let mut header = at + 1;
        while header < l.end && matches!(self.byte(header), b'+' | b'-' | b'0'..=b'9') {
            header += 1;
        }
        if !self.rest_is_empty(header, &l) {
            return Err(self.unsupported(at, "a block scalar header kith cannot read"));
        }
        let mut end = header;
        for i in line + 1..self.lines.lines.len() {
            let c = self.line(i);
            if c.kind == LineKind::Blank {
                continue;
            }
            if c.indent <= parent {
                break;
            }
            end = c.end;
        }
        Ok(Node::leaf(Kind::Scalar(Style::Block), at, end))
    }

    /// Skips white space, line breaks and comments inside a flow collection.
    fn flow_gap(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        while at < bytes.len() {
            match bytes[at] {
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'#' if matches!(bytes[at - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                    while at < bytes.len() && bytes[at] != b'\n' {
                        at += 1;
                    }
                }
                _ => break,
            }
        }
        at
    }

    /// A flow collection (`[..]` or `{..}`) starting at `at`.
    fn flow(&self, at: usize) -> Result<Node, Unsupported> {
        let open = self.byte(at);
        let close = if open == b'[' { b']' } else { b'}' };
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let mut i = self.flow_gap(at + 1);
        while self.byte(i) != close {
            if open == b'[' {
                let value = self.flow_value(i)?;
                i = self.flow_gap(value.end);
                if self.byte(i) == b':' {
                    return Err(self.unsupported(i, "a `key: value` pair inside a flow list"));
                }
                items.push(Item {
                    start: value.start,
                    end: value.end,
                    value,
                });
            } else {
                let entry = self.flow_entry(i)?;
                i = self.flow_gap(entry.end);
                entries.push(entry);
            }
            match self.byte(i) {
                b',' => i = self.flow_gap(i + 1),
                b if b == close => {}
                _ => return Err(self.unsupported(i, "a flow collection kith cannot read")),
            }
        }
        let kind = if open == b'[' {
            Kind::Seq(items)
        } else {
            Kind::Map(entries)
        };
        Ok(Node {
            kind,
            flow: true,
            start: at,
            end: i + 1,
        })
    }

    fn flow_entry(&self, at: usize) -> Result<Entry, Unsupported> {
        let key_end = match self.byte(at) {
            b'\'' | b'"' => self.quoted(at)?,
            _ => self.flow_plain_end(at),
        };
        let key_text = &self.text[at..key_end];
        let key = if matches!(self.byte(at), b'\'' | b'"') {
            yaml_serde::from_str::<String>(key_text)
                .map_err(|_| self.unsupported(at, "a quoted key kith cannot read"))?
        } else {
            key_text.to_string()
        };
        let colon = self.flow_gap(key_end);
        if key.is_empty() || self.byte(colon) != b':' {
            return Err(self.unsupported(at, "a flow map entry without `key: value`"));
        }
        let value_at = self.flow_gap(colon + 1);
        let value = if matches!(self.byte(value_at), b',' | b'}') {
            Node::leaf(Kind::Null, colon + 1, colon + 1)
        } else {
            self.flow_value(value_at)?
        };
        Ok(Entry {
            key,
            key_start: at,
            colon,
            end: value.end,
            value,
        })
    }

    fn flow_value(&self, at: usize) -> Result<Node, Unsupported> {
        match self.byte(at) {
            b'[' | b'{' => self.flow(at),
            b'\'' => Ok(Node::leaf(
                Kind::Scalar(Style::Single),
                at,
                self.quoted(at)?,
            )),
            b'"' => Ok(Node::leaf(
                Kind::Scalar(Style::Double),
                at,
                self.quoted(at)?,
            )),
            b'&' | b'*' => Err(self.unsupported(at, "YAML anchors and aliases (& *)")),
            b'!' => Err(self.unsupported(at, "YAML tags (!)")),
            _ => {
                let end = self.flow_plain_end(at);
                if end == at {
                    return Err(self.unsupported(at, "a flow collection kith cannot read"));
                }
                Ok(Node::leaf(Kind::Scalar(Style::Plain), at, end))
            }
        }
    }

    /// The end of a plain scalar inside a flow collection: before `,`, a
    /// bracket, `: `, a comment or the line's end.
    fn flow_plain_end(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = at;
        while i < bytes.len() {
            match bytes[i] {
                b',' | b'[' | b']' | b'{' | b'}' | b'\r' | b'\n' => break,
                b':' if matches!(
                    bytes.get(i + 1),
                    None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}')
                ) =>
                {
                    break;
                }
                b'#' if i > at && matches!(bytes[i - 1], b' ' | b'\t') => break,
                _ => i += 1,
            }
        }
        at + self.text[at..i].trim_end_matches([' ', '\t']).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: &Node) -> Vec<&str> {
        n.entries().iter().map(|e| e.key.as_str()).collect()
    }

    fn text_of<'a>(text: &'a str, n: &Node) -> &'a str {
        &text[n.start..n.end]
    }

    #[test]
    fn maps_block_structure_with_comments() {
        let text = "# top\nname: Acme   # the name\n\ntags: [a, 'b c']\ncontact:\n  # work\n  email: x@y.example\n  phone: '+1 2'\ninteractions:\n- date: 2026-01-02\n  kind: call\n  # about the call\n- date: 2026-01-03\n  kind: note\n";
        let root = outline(text).unwrap();
        assert_eq!(keys(&root), ["name", "tags", "contact", "interactions"]);
        let name = root.entry("name").unwrap();
        assert_eq!(text_of(text, &name.value), "Acme");
        assert_eq!(&text[name.key_start..name.end], "name: Acme   # the name\n");
        let tags = &root.entry("tags").unwrap().value;
        assert!(tags.flow);
        let items: Vec<_> = tags
            .items()
            .iter()
            .map(|i| text_of(text, &i.value))
            .collect();
        assert_eq!(items, ["a", "'b c'"]);
        let contact = &root.entry("contact").unwrap().value;
        assert_eq!(keys(contact), ["email", "phone"]);
        let phone = &contact.entry("phone").unwrap().value;
        assert!(matches!(phone.kind, Kind::Scalar(Style::Single)));
        let list = root.entry("interactions").unwrap();
        let first = &list.value.items()[0];
        assert_eq!(
            &text[first.start..first.end],
            "- date: 2026-01-02\n  kind: call\n  # about the call\n"
        );
        assert_eq!(keys(&first.value), ["date", "kind"]);
    }

    #[test]
    fn multi_line_scalars_and_empty_values() {
        let text = "name: a long\n  name here\nowner:\nnote: |\n  line one\n\n  line two\nsource: \"two\n  lines\"\n";
        let root = outline(text).unwrap();
        assert_eq!(
            text_of(text, &root.entry("name").unwrap().value),
            "a long\n  name here"
        );
        assert!(matches!(
            root.entry("owner").unwrap().value.kind,
            Kind::Null
        ));
        let note = &root.entry("note").unwrap().value;
        assert_eq!(text_of(text, note), "|\n  line one\n\n  line two");
        assert_eq!(
            text_of(text, &root.entry("source").unwrap().value),
            "\"two\n  lines\""
        );
    }

    #[test]
    fn nested_flow_collections() {
        let text = "deals:\n  - id: d\n    history: [{stage: met, date: 2026-01-01}, {outcome: won, date: 2026-02-01}]\n";
        let root = outline(text).unwrap();
        let deal = &root.entry("deals").unwrap().value.items()[0].value;
        let history = &deal.entry("history").unwrap().value;
        let second = &history.items()[1].value;
        assert!(second.flow);
        assert_eq!(keys(second), ["outcome", "date"]);
        assert_eq!(
            text_of(text, &second.entry("date").unwrap().value),
            "2026-02-01"
        );
    }

    #[test]
    fn refuses_what_it_cannot_map() {
        for text in [
            "base: &b x\nname: *b\n",
            "name: !custom x\n",
            "? name\n: x\n",
            "%YAML 1.2\n---\nname: x\n",
            "name: x\n<<: {owner: y}\n",
            "name: x\n---\nname: y\n",
        ] {
            assert!(outline(text).is_err(), "{text:?}");
        }
        assert!(outline("---\nname: x\n...\n").is_ok());
    }
}

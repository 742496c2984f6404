//! YAML tags a rewrite would lose. kith keeps a value under a key it does not
//! know as it reads it, and its reader resolves the core tags (`!!str`,
//! `!!int` …) into the value itself and keeps a local tag (`!mine`) with it;
//! every other tag (`!!binary`, `!!set`, `!!omap`, `!!timestamp`, a verbatim
//! `!<tag:…>`) is read as if it were not there. A command that would write
//! such a file whole (`fmt`, the merge driver, `merge`) refuses instead, so
//! that no tag is ever dropped silently; see docs/format.md.
//!
//! The scan follows just enough of YAML to find tags where a node starts:
//! quoted text, comments, block scalars and flow collections are skipped.

/// A tag the reader does not keep (or a number it cannot keep whole), where
/// it stands (1-based).
#[derive(Debug, PartialEq, Eq)]
pub struct LostValue {
    pub line: usize,
    pub column: usize,
    pub tag: String,
    pub number: bool,
}

impl LostValue {
    /// What is lost, for a message: "the YAML tag `!!binary`".
    pub fn describe(&self) -> String {
        if self.number {
            format!(
                "the number `{}` (beyond 64 bits, read as an approximation; quote it to keep it as text)",
                self.tag
            )
        } else {
            format!("the YAML tag `{}`", self.tag)
        }
    }
}

/// Whether a plain scalar is an integer too large for 64 bits, which the
/// reader keeps only as a floating-point approximation.
fn is_lost_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<i64>().is_err()
        && text.parse::<u64>().is_err()
}

/// The core tags, which the reader resolves into the value (`!!str 123` is
/// the text `123`), so a rewrite keeps what they mean.
const RESOLVED: &[&str] = &["str", "int", "float", "bool", "null", "seq", "map"];

/// Whether the reader loses tag `tag` (as written, `!` included).
fn is_lost(tag: &str) -> bool {
    let core = |name: &str| !RESOLVED.contains(&name);
    if let Some(name) = tag.strip_prefix("!!") {
        return core(name);
    }
    if let Some(verbatim) = tag.strip_prefix("!<").and_then(|t| t.strip_suffix('>')) {
        return match verbatim.strip_prefix("tag:yaml.org,2002:") {
            Some(name) => core(name),
            // A verbatim local tag is kept; any other URI is not.
            None => !verbatim.starts_with('!'),
        };
    }
    // `!handle!suffix` needs a %TAG directive kith does not keep.
    tag[1..].contains('!')
}

/// The first tag of `text` a rewrite would lose.
pub fn lost_value(text: &str) -> Option<LostValue> {
    let mut quote: Option<char> = None;
    // The column a block scalar's content is indented past.
    let mut block: Option<usize> = None;
    let mut flow = 0usize;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(owner) = block {
            if line.trim().is_empty() || indent > owner {
                continue;
            }
            block = None;
        }
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        // Whether the next token starts a node, and the column of the node
        // (key or list entry) that owns what follows.
        let mut node = quote.is_none();
        let mut owner = indent;
        let mut i = 0;
        while i < chars.len() {
            let (at, c) = chars[i];
            let next = chars.get(i + 1).map(|x| x.1);
            let spaced = next.is_none_or(char::is_whitespace);
            if let Some(q) = quote {
                match (q, c) {
                    ('\'', '\'') if next == Some('\'') => i += 1,
                    ('"', '\\') => i += 1,
                    ('\'', '\'') | ('"', '"') => quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if c == '#' && (i == 0 || chars[i - 1].1.is_whitespace()) {
                break;
            }
            let token_end = |from: usize| {
                (from..chars.len())
                    .find(|&j| {
                        let c = chars[j].1;
                        c.is_whitespace() || (flow > 0 && matches!(c, ',' | ']' | '}'))
                    })
                    .unwrap_or(chars.len())
            };
            if node {
                match c {
                    '!' => {
                        let end = token_end(i);
                        let to = chars.get(end).map_or(line.len(), |x| x.0);
                        let tag = &line[at..to];
                        if is_lost(tag) {
                            return Some(LostValue {
                                line: n + 1,
                                column: i + 1,
                                tag: tag.to_string(),
                                number: false,
                            });
                        }
                        i = end;
                        continue;
                    }
                    '&' => {
                        i = token_end(i);
                        continue;
                    }
                    '-' | '?' if flow == 0 && spaced => {
                        owner = i;
                        i += 1;
                        continue;
                    }
                    '[' | '{' => {
                        flow += 1;
                        i += 1;
                        continue;
                    }
                    '|' | '>' if flow == 0 => {
                        block = Some(owner);
                        break;
                    }
                    '\'' | '"' => {
                        quote = Some(c);
                        node = false;
                        if flow == 0 {
                            owner = i;
                        }
                        i += 1;
                        continue;
                    }
                    _ => {
                        node = false;
                        if flow == 0 {
                            owner = i;
                        }
                        let end = token_end(i);
                        let to = chars.get(end).map_or(line.len(), |x| x.0);
                        let word = line[at..to].trim_end_matches(':');
                        let alone = line[to..].trim_start();
                        if is_lost_number(word)
                            && (alone.is_empty() || alone.starts_with(['#', ',', ']', '}']))
                        {
                            return Some(LostValue {
                                line: n + 1,
                                column: i + 1,
                                tag: word.to_string(),
                                number: true,
                            });
                        }
                    }
                }
            }
            match c {
                ':' if spaced || (flow > 0 && matches!(next, Some(',' | ']' | '}'))) => node = true,
                ',' if flow > 0 => node = true,
                ']' | '}' if flow > 0 => flow -= 1,
                _ => {}
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(usize, usize, String)> {
        lost_value(text).map(|t| (t.line, t.column, t.tag))
    }

    #[test]
    fn tags_the_reader_drops_are_found() {
        for (text, line, column, tag) in [
            ("name: A\nblob: !!binary aGVsbG8=\n", 2, 7, "!!binary"),
            ("name: A\nx:\n  - !!set {a, b}\n", 3, 5, "!!set"),
            ("name: A\nx: [1, !!omap [a: 1]]\n", 2, 8, "!!omap"),
            (
                "x: !<tag:yaml.org,2002:timestamp> 2001-12-14\n",
                1,
                4,
                "!<tag:yaml.org,2002:timestamp>",
            ),
            ("x: &a !!pairs [a: 1]\n", 1, 7, "!!pairs"),
            ("x: !e!thing 1\n", 1, 4, "!e!thing"),
        ] {
            assert_eq!(found(text), Some((line, column, tag.into())), "{text:?}");
        }
    }

    #[test]
    fn numbers_beyond_64_bits_are_found() {
        assert_eq!(
            found("name: A\nbig: 123456789012345678901234567890\n"),
            Some((2, 6, "123456789012345678901234567890".into()))
        );
        assert_eq!(
            found("x: [1, -9223372036854775809]\n").map(|f| f.2),
            Some("-9223372036854775809".into())
        );
        for fits in [
            "x: 18446744073709551615\n",
            "x: -9223372036854775808\n",
            "x: 123456789012345678901234567890 apples\n",
            "x: '123456789012345678901234567890'\n",
        ] {
            assert_eq!(found(fits), None, "{fits:?}");
        }
    }

    #[test]
    fn kept_tags_and_look_alikes_are_not() {
        for text in [
            "name: A\ns: !!str 123\nb: !!bool \"true\"\n",
            "x: !mine value\n",
            "x: !<!mine> value\n",
            "summary: \"a !!binary in quotes\"\n",
            "summary: 'it''s !!binary'\n",
            "summary: plain text - !!binary inside\n",
            "summary: hi # !!binary in a comment\n",
            "note: |\n  !!binary in a block scalar\n  more\nname: A\n",
            "- note: >\n    !!set folded\n  kind: call\n",
            "summary: \"two\n  !!binary lines\"\n",
            "summary: Wow!\n",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_block_scalar_ends_where_its_owner_does() {
        assert_eq!(
            found("- note: |\n    text\n  blob: !!binary AA==\n").map(|f| f.0),
            Some(3)
        );
    }
}

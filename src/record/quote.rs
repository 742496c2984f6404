//! When a string may be written as a plain YAML scalar, and how to quote it
//! when not.
//!
//! The rule is conservative: anything a YAML 1.1 reader (PyYAML, yq) or a
//! YAML 1.2 reader could take for something other than text is quoted, so
//! every reader sees exactly the string kith meant.

use std::borrow::Cow;

/// Words YAML 1.1 or 1.2 resolves to null or a boolean. A `match` on
/// literals compiles to inline comparisons; every plain scalar kith reads or
/// writes passes here.
fn special_word(s: &str) -> bool {
    matches!(
        s,
        "~" | "null"
            | "Null"
            | "NULL"
            | "y"
            | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "<<"
            | "="
    )
}

/// True when a YAML 1.1 reader would read this plain scalar as something other
/// than the same string: a null, boolean, number, timestamp or merge key.
pub fn yaml11_misread(s: &str) -> bool {
    if special_word(s) {
        return true;
    }
    let unsigned = s.trim_start_matches(['+', '-']);
    if unsigned.eq_ignore_ascii_case(".inf") || unsigned.eq_ignore_ascii_case(".nan") {
        return true;
    }
    // Numbers, sexagesimals, timestamps: a leading digit, sign or dot followed
    // only by characters that occur in those forms.
    let first = s.as_bytes().first().copied().unwrap_or(b' ');
    let numeric_start = first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.');
    numeric_start
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().all(|b| {
            b.is_ascii_hexdigit()
                || matches!(
                    b,
                    b'_' | b':'
                        | b'.'
                        | b'+'
                        | b'-'
                        | b' '
                        | b'x'
                        | b'X'
                        | b'o'
                        | b'O'
                        | b't'
                        | b'T'
                        | b'z'
                        | b'Z'
                )
        })
}

/// True when `s` cannot be written as a plain scalar, in block or flow context.
pub fn needs_quotes(s: &str) -> bool {
    // The common case, every key and most words: lower-case letters and `_`,
    // of which only the special words need quotes.
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return special_word(s);
    }
    let Some(first) = s.chars().next() else {
        return true;
    };
    let last = s.chars().last().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    // `: ` and ` #` end a plain scalar; in a flow list, libyaml also ends it
    // at `:` before `?`. One pass over the pairs: `str::contains` is slow on
    // the short strings of a record.
    let ends_early = s
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b':', b' ' | b'?'] | [b' ', b'#']));
    if ends_early || s.ends_with(':') {
        return true;
    }
    if s.bytes()
        .any(|b| matches!(b, b',' | b'[' | b']' | b'{' | b'}' | b'\t'))
    {
        return true;
    }
    if s.chars().any(needs_escape) {
        return true;
    }
    yaml11_misread(s)
}

/// Characters that only a double-quoted scalar can carry (libyaml refuses
/// U+FFFE and U+FFFF anywhere else).
pub(super) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{a0}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// `s` as a YAML scalar: plain when safe, single-quoted when that suffices,
/// double-quoted with escapes when it holds line breaks or control characters.
pub fn scalar(s: &str) -> Cow<'_, str> {
    if !needs_quotes(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(single_quoted(s).unwrap_or_else(|| double_quoted(s)))
}

/// `s` single-quoted, or `None` when it holds characters only double quotes
/// can carry.
pub fn single_quoted(s: &str) -> Option<String> {
    (!s.chars().any(needs_escape)).then(|| format!("'{}'", s.replace('\'', "''")))
}

/// `s` double-quoted, escaping only what must be escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_yaml_readers_misread() {
        for s in [
            "no",
            "yes",
            "on",
            "off",
            "~",
            "null",
            "0123",
            "1.10",
            "2026-01-01",
            "1:20",
            "12",
            "-5",
            "+86 571 0000 0000",
            ".inf",
            "0x1F",
            "1e5",
            "",
            " x",
            "x ",
            "a: b",
            "a #b",
            "[x]",
            "- x",
            "@x",
            "line\nbreak",
            "'quoted'",
            "a:?b",
            ".:?",
        ] {
            assert!(needs_quotes(s), "{s:?} should be quoted");
        }
    }

    #[test]
    fn leaves_plain_text_plain() {
        for s in [
            "杭州星河贸易有限公司",
            "Иванов Пётр",
            "ERP rollout",
            "3M Company",
            "li.wei",
            "https://xinghe.example",
            "buyer@xinghe.example",
            "a-b_c",
            "C#",
            "x=1",
        ] {
            assert!(!needs_quotes(s), "{s:?} should stay plain");
        }
    }

    #[test]
    fn escapes_line_breaks() {
        assert_eq!(scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(scalar("it's: x"), "'it''s: x'");
        assert_eq!(scalar("tab\there"), "\"tab\\there\"");
        assert_eq!(scalar("a\u{ffff}"), "\"a\\uffff\"");
    }
}

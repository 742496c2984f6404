//! The spreadsheet guard of CSV text cells: a leading `'` before text a
//! spreadsheet would not keep as it is, either because it would run it as a
//! formula (`=`, `+`, `-`, `@`, tab, line breaks: OWASP's list) or because it
//! would read it as a number, a date or a boolean (`0123`, `3/4`, `1e5`,
//! `TRUE`) and write it back changed. `import` removes exactly the guard
//! `export` adds, so text survives a round trip through a spreadsheet.

use std::borrow::Cow;

/// The leading characters that make a spreadsheet run a cell as a formula.
const FORMULA_PREFIXES: &[char] = &['=', '+', '-', '@', '\t', '\r', '\n'];

/// A text cell made safe for spreadsheets: a leading `'` when it needs one.
pub fn guard(text: Cow<'_, str>) -> Cow<'_, str> {
    if needs_guard(&text) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// Removes the guard `guard` added, for `import`: a `'` before text that
/// would need one. Any other leading `'` is the text's own.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

/// Whether a spreadsheet would change the text: a formula prefix, number-like
/// text, or a `'` before such text (which the spreadsheet would strip).
fn needs_guard(text: &str) -> bool {
    text.starts_with(FORMULA_PREFIXES)
        || number_like(text)
        || text.strip_prefix('\'').is_some_and(needs_guard)
}

/// Text that LibreOffice or Excel (en-US or zh-CN) would read as a number, a
/// date, a time or a boolean and write back in another form: leading zeros,
/// 16 or more digits, trailing decimal zeros, thousands separators,
/// exponents, percentages, amounts with a currency sign or in parentheses,
/// `TRUE`/`FALSE`, and digits joined by date or time separators (`3/4`,
/// `1-2`, `1.2.3`, `10:30`, `2026年3月4日`). A plain number that a
/// spreadsheet writes back the same (`42`, `1.5`) needs no guard.
pub fn number_like(text: &str) -> bool {
    let t = text.trim();
    let Some(first) = t.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit()
        || matches!(
            first,
            '.' | '(' | '$' | '¥' | '€' | '£' | '￥' | 't' | 'T' | 'f' | 'F'
        ))
    {
        return false;
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return true;
    }
    if let Some(n) = t.strip_suffix('%') {
        return number(n.trim_end()).is_some();
    }
    if let Some(n) = t.strip_prefix(['$', '¥', '€', '£', '￥']) {
        return number(n.trim_start()).is_some();
    }
    if let Some(n) = t.strip_prefix('(').and_then(|n| n.strip_suffix(')')) {
        return number(n).is_some();
    }
    if let Some(shape) = number(t) {
        return !shape.writes_back_unchanged();
    }
    date_like(t)
}

/// How a number is written, for deciding whether a spreadsheet would write
/// it back the same.
struct Shape {
    grouped: bool,
    exponent: bool,
    leading_zero: bool,
    bare_point: bool,
    trailing_zero: bool,
    digits: usize,
}

impl Shape {
    fn writes_back_unchanged(&self) -> bool {
        !(self.grouped
            || self.exponent
            || self.leading_zero
            || self.bare_point
            || self.trailing_zero
            || self.digits >= 16)
    }
}

/// `123`, `1,234.50`, `.5`, `1e5`: digits with optional thousands groups, a
/// decimal point and an exponent; `None` for anything else.
fn number(t: &str) -> Option<Shape> {
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let grouped = int.contains(',');
    if grouped {
        let mut groups = int.split(',');
        let head = groups.next()?;
        if head.is_empty() || head.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let int_digits = int.bytes().filter(|b| *b != b',');
    if !int_digits.clone().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int_len = int_digits.count();
    if int_len + frac.len() == 0 {
        return None;
    }
    Some(Shape {
        grouped,
        exponent: exponent.is_some(),
        leading_zero: int_len > 1 && int.starts_with('0'),
        bare_point: mantissa.contains('.') && (int_len == 0 || frac.is_empty()),
        trailing_zero: frac.ends_with('0'),
        digits: int_len + frac.len(),
    })
}

/// Digits joined by date or time separators: `3/4`, `1-2-2026`, `1.2.3`,
/// `10:30`, `3/4 10:30`, `2026年3月4日`. One `.` alone makes a decimal, not a
/// date.
fn date_like(t: &str) -> bool {
    let mut groups = 0;
    let mut in_digits = false;
    let mut points = 0;
    let mut date_separator = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                groups += 1;
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        match c {
            '/' | '-' | ':' | '年' | '月' => date_separator = true,
            '日' | ' ' => {}
            '.' => points += 1,
            _ => return false,
        }
    }
    groups >= 2 && (date_separator || points >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_what_a_spreadsheet_would_change() {
        for text in [
            "0123456789",
            "00",
            "1234567890123456",
            "1.10",
            "1.",
            ".5",
            "1,234",
            "1e5",
            "2E-3",
            "50%",
            "$5",
            "(12)",
            "TRUE",
            "false",
            "3/4",
            "1-2",
            "2026-11-23",
            "1.2.3",
            "10:30",
            "3/4 10:30",
            "2026年3月4日",
            "=SUM(A1)",
            "+86 571",
            "-5",
            "@x",
            "'0123",
            "''=x",
        ] {
            assert!(needs_guard(text), "{text:?} needs a guard");
        }
        for text in [
            "",
            "42",
            "1.5",
            "0",
            "0.25",
            "123456789012345",
            "acme",
            "1/2 price",
            "571 0000 0000",
            "3 apples",
            "Tuesday",
            "e5",
            "1,23",
            "'plain",
            "erp-2026",
        ] {
            assert!(!needs_guard(text), "{text:?} needs no guard");
        }
    }

    #[test]
    fn unguard_removes_exactly_the_guard_added() {
        for text in [
            "0123", "'0123", "''0123", "=x", "'=x", "'plain", "plain", "3/4", "'", "",
        ] {
            let guarded = guard(Cow::Borrowed(text));
            assert_eq!(unguard(&guarded), text, "{text:?} as {guarded:?}");
        }
        assert_eq!(unguard("'plain"), "'plain");
        assert_eq!(unguard("'0123"), "0123");
    }
}

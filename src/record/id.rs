//! The rules for customer ids, which are also file names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub const MAX_ID_BYTES: usize = 100;

const WINDOWS_DEVICES: &[&str] = &["con", "prn", "aux", "nul"];

/// Checks an id against the rules of docs/reference.md, before any file is
/// touched; the message says what is wrong.
pub fn validate(id: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "`{}` is not a valid customer id: {why}",
            printable(id)
        ))
    };
    if id.is_empty() {
        return bad("it is empty");
    }
    if id.len() > MAX_ID_BYTES {
        return bad("it is longer than 100 bytes");
    }
    if id.contains(['/', '\\']) {
        return bad("it holds a path separator");
    }
    if id.contains('\0') || id.chars().any(char::is_control) {
        return bad("it holds a control character");
    }
    if id.contains("..") {
        return bad("it holds `..`");
    }
    if id.starts_with(['.', '-']) {
        return bad("it starts with a dot or a dash");
    }
    if id.ends_with(['.', '-', '_']) {
        return bad("it ends with a dot, dash or underscore");
    }
    if !unicode_normalization::is_nfc(id) {
        return bad("it is not in Unicode NFC form");
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_alphanumeric() || is_combining_mark(*c) || matches!(c, '-' | '_' | '.')))
    {
        return bad(&format!(
            "`{c}` is not allowed; use letters, combining marks, digits, `-`, `_` and `.`"
        ));
    }
    if id.chars().any(char::is_uppercase) {
        return bad("ids are lower case");
    }
    if is_windows_device(id) {
        return bad("it is a reserved device name on Windows");
    }
    Ok(())
}

/// A customer's name as `show NAME` compares it: NFKC, case folded, ends
/// trimmed (`Ａｃｍｅ Ltd.` and `acme ltd.` are the same name).
pub fn name_key(name: &str) -> String {
    name.trim().nfkc().collect::<String>().to_lowercase()
}

fn is_windows_device(id: &str) -> bool {
    let base = id.split('.').next().unwrap_or(id);
    if WINDOWS_DEVICES.contains(&base) {
        return true;
    }
    let b = base.as_bytes();
    b.len() == 4
        && (base.starts_with("com") || base.starts_with("lpt"))
        && (b'1'..=b'9').contains(&b[3])
}

/// The id `kith add` derives from a name: NFKC, lower case, every run of
/// other characters one `-`, ends trimmed, at most 100 bytes. The script is
/// kept: `杭州星河贸易` stays `杭州星河贸易`.
pub fn derive(name: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in name.nfkc().flat_map(char::to_lowercase) {
        // A combining mark (the stress in `Володи́мирович`) belongs to the
        // letter before it, not between two words.
        if is_combining_mark(c) && !pending_dash && !out.is_empty() {
            out.push(c);
        } else if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    let mut id: String = out.nfc().collect();
    if id.len() > MAX_ID_BYTES {
        let mut cut = MAX_ID_BYTES;
        while !id.is_char_boundary(cut) {
            cut -= 1;
        }
        id.truncate(cut);
        while id.ends_with('-') {
            id.pop();
        }
    }
    if id.is_empty() {
        id = "customer".to_string();
    }
    if is_windows_device(&id) {
        id.push_str("-1");
    }
    id
}

/// `base` with `-2`, `-3` … appended until `taken` says no, kept within the
/// length limit.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| numbered(base, n))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// `base` with `-N` appended, kept within the length limit.
pub fn numbered(base: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let mut stem = base.to_string();
    while stem.len() + suffix.len() > MAX_ID_BYTES {
        stem.pop();
    }
    format!("{}{suffix}", stem.trim_end_matches('-'))
}

/// The id as shown in messages: control characters made visible.
pub fn printable(id: &str) -> String {
    id.chars().flat_map(char::escape_debug).collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_ids_in_any_script() {
        assert_eq!(derive("杭州星河贸易"), "杭州星河贸易");
        assert_eq!(derive("Acme Trading, Ltd."), "acme-trading-ltd");
        assert_eq!(derive("Иванов Пётр"), "иванов-пётр");
        assert_eq!(derive("  ＡＢＣ  Co "), "abc-co");
        assert_eq!(derive("!!!"), "customer");
        assert_eq!(derive("Con"), "con-1");
        assert_eq!(derive("Петро Володи́мирович"), "петро-володи́мирович");
        assert_eq!(derive("\u{301}a"), "a");
        assert!(validate("володи́мирович").is_ok());
        let long = "长".repeat(60);
        let id = derive(&long);
        assert!(id.len() <= 100 && validate(&id).is_ok());
    }

    #[test]
    fn refuses_hostile_ids() {
        for bad in [
            "", "../x", "a/b", "a\\b", "a\0b", ".hidden", "-x", "x-", "a..b", "Acme", "con",
            "lpt1", "com9.txt", "a b", "a:b",
        ] {
            assert!(validate(bad).is_err(), "{bad:?}");
        }
        assert!(validate(&"a".repeat(101)).is_err());
        for good in ["acme", "杭州星河贸易", "иванов-пётр", "a_b.c-2", "console"] {
            assert!(validate(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn appends_a_number_when_taken() {
        let taken = ["acme", "acme-2"];
        assert_eq!(first_free("acme", |c| taken.contains(&c)), "acme-3");
        assert_eq!(first_free("new", |c| taken.contains(&c)), "new");
    }
}

//! Plain scalars that kith reads as text but a YAML 1.1 reader (PyYAML, yq)
//! reads as something else: an unquoted `no`, `on`, `0123` in a name, a tag,
//! a contact, an unknown key. `kith check --strict` warns about them in
//! hand-written files; kith quotes them itself when it writes.

use super::outline::{Kind, Lines, Node, Style, Unsupported, outline};
use crate::record::quote;

/// One such scalar: where it stands (1-based) and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct Trap {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// The places where kith reads a plain date, which YAML 1.1 readers also
/// read as a date: no trap there. `-` stands for any list entry.
const DATE_PLACES: &[&[&str]] = &[
    &["interactions", "-", "date"],
    &["tasks", "-", "due"],
    &["tasks", "-", "done"],
    &["profile", "birthday"],
    &["profile", "anniversary"],
    &["deals", "-", "history", "-", "date"],
];

/// The traps in a customer file's text, or why its structure cannot be
/// followed (anchors, tags …).
pub fn yaml11_traps(text: &str) -> Result<Vec<Trap>, Unsupported> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = outline(body)?;
    let walk = Walk {
        text: body,
        lines: Lines::new(body),
    };
    let mut found = Vec::new();
    walk.node(&root, &mut Vec::new(), &mut found);
    Ok(found)
}

struct Walk<'t> {
    text: &'t str,
    lines: Lines,
}

impl Walk<'_> {
    fn node<'n>(&self, n: &'n Node, path: &mut Vec<&'n str>, found: &mut Vec<Trap>) {
        match &n.kind {
            Kind::Scalar(Style::Plain) => {
                let text = &self.text[n.start..n.end];
                if !DATE_PLACES.contains(&path.as_slice()) && misread(text) {
                    let start = self.lines.line_start(n.start);
                    let column = self.text[start..n.start].chars().count() + 1;
                    found.push(Trap {
                        line: self.lines.number(n.start),
                        column,
                        text: text.to_string(),
                    });
                }
            }
            Kind::Map(entries) => {
                for e in entries {
                    path.push(&e.key);
                    self.node(&e.value, path, found);
                    path.pop();
                }
            }
            Kind::Seq(items) => {
                for i in items {
                    path.push("-");
                    self.node(&i.value, path, found);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// Whether a plain scalar is text to kith (yaml_serde reads a string) but a
/// number, boolean, null or date to a YAML 1.1 reader.
fn misread(plain: &str) -> bool {
    quote::yaml11_misread(plain)
        && matches!(
            yaml_serde::from_str::<yaml_serde::Value>(plain),
            Ok(yaml_serde::Value::String(_))
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traps(text: &str) -> Vec<(usize, usize, String)> {
        yaml11_traps(text)
            .unwrap()
            .into_iter()
            .map(|t| (t.line, t.column, t.text))
            .collect()
    }

    #[test]
    fn finds_plain_words_yaml_1_1_misreads_wherever_they_stand() {
        let text = "name: 'no'\nsource: no   # a trap\ntags: [on, east]\nhobbies:\n- off\ncontact:\n  social: {vk: yes}\n  extension: 0123\nbirthday: 1:20\n";
        assert_eq!(
            traps(text),
            [
                (2, 9, "no".to_string()),
                (3, 8, "on".to_string()),
                (5, 3, "off".to_string()),
                (7, 16, "yes".to_string()),
                (8, 14, "0123".to_string()),
                (9, 11, "1:20".to_string()),
            ]
        );
    }

    #[test]
    fn numbers_and_dates_where_kith_reads_them_are_no_traps() {
        let text = "name: Иван\nacquisition_cost: 800.00\nprofile:\n  birthday: 1979-03-14\ninteractions:\n  - date: 2026-01-02\n    kind: call\n    rating: 4\ntasks:\n  - due: 2026-01-09\n    what: Call\n    done: 2026-01-08\n";
        assert!(traps(text).is_empty());
        // The same date under a key kith does not know is text to kith.
        assert_eq!(traps("name: A\nsince: 2019-01-01\n")[0].2, "2019-01-01");
    }
}

//! Finding comments in YAML text, which kith must not drop silently.

/// The 1-based lines that hold a comment. A `#` starts a comment at the start
/// of a line or after white space, outside quotes and block scalars. The scan
/// errs on the side of finding one: a false find only makes `kith fmt` ask
/// for `--force`, never lose text.
pub fn comment_lines(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut block_indent: Option<usize> = None;
    let mut in_single = false;
    let mut in_double = false;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(bi) = block_indent {
            if line.trim().is_empty() || indent > bi {
                continue;
            }
            block_indent = None;
        }
        let mut prev_space = true;
        let mut escaped = false;
        let mut chars = line.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if in_double {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_double = false;
                }
                prev_space = false;
                continue;
            }
            if in_single {
                if c == '\'' {
                    if chars.peek().map(|(_, c)| *c) == Some('\'') {
                        chars.next();
                    } else {
                        in_single = false;
                    }
                }
                prev_space = false;
                continue;
            }
            match c {
                '#' if prev_space => {
                    found.push(n + 1);
                    break;
                }
                '\'' if prev_space => in_single = true,
                '"' if prev_space => in_double = true,
                _ => {}
            }
            prev_space = c.is_whitespace() || matches!(c, '[' | '{' | ',');
        }
        let content = line.split(" #").next().unwrap_or(line).trim_end();
        if !in_single && !in_double && block_scalar_header(content) {
            block_indent = Some(indent);
        }
    }
    found
}

/// A line whose value starts a block scalar: `key: |`, `- >-`, `key: |2`.
fn block_scalar_header(content: &str) -> bool {
    let Some(last_token) = content.rsplit([' ', '\t']).next() else {
        return false;
    };
    let mut chars = last_token.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
        && content.len() > last_token.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_real_comments_only() {
        let text = "# top\nname: 'a # not'\nnote: \"x # y\"\nurl: https://x.example/#frag\ntags: [a, b] # after\nbody: |\n  # inside a block\n  text\nowner: li # last\n";
        assert_eq!(comment_lines(text), vec![1, 5, 9]);
    }

    #[test]
    fn canonical_text_has_none() {
        assert!(comment_lines("name: C#\nsummary: 'it''s #1'\n").is_empty());
    }
}

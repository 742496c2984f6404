//! vCard 3.0 and 4.0 (and the 2.1 that old phones still write) read into
//! customer rows for `import --as contacts`: folded lines joined,
//! quoted-printable decoded, escapes undone; `FN` (else `N`, else `ORG`) is
//! the name, the preferred (else first) `EMAIL` and `TEL`, `ADR` joined with
//! commas, `BDAY` in its basic and extended forms, and a person's `ORG` kept
//! under the unknown key `organization`.

use super::import::Raw;
use super::{ORGANIZATION_KEY, UID_KEY};

/// Whether the bytes look like a vCard file rather than CSV.
pub fn is_vcard(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCARD")
}

/// One property: `[group.]NAME;PARAM=V;...:VALUE`, with the line it starts on.
#[derive(Debug)]
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// `PREF=1` (4.0), `TYPE=pref` (3.0), or a bare `PREF` (2.1).
    fn preferred(&self) -> bool {
        self.params.iter().any(|(k, v)| {
            (k.eq_ignore_ascii_case("pref") && (v.is_empty() || v == "1"))
                || (k.eq_ignore_ascii_case("type")
                    && v.split(',').any(|t| t.eq_ignore_ascii_case("pref")))
        })
    }

    fn quoted_printable(&self) -> bool {
        self.param("encoding")
            .is_some_and(|e| e.eq_ignore_ascii_case("quoted-printable"))
            || self
                .params
                .iter()
                .any(|(k, v)| v.is_empty() && k.eq_ignore_ascii_case("quoted-printable"))
    }

    /// The value decoded, split into its `;`-separated components with the
    /// escapes undone.
    fn components(&self) -> Vec<String> {
        split_unescaped(&self.decoded(), ';')
    }

    /// The whole value decoded, escapes undone.
    fn text(&self) -> String {
        unescape(&self.decoded())
    }

    fn decoded(&self) -> String {
        if !self.quoted_printable() {
            return self.value.clone();
        }
        let bytes = decode_qp(&self.value);
        // Old phones name the charset of the bytes: UTF-8, ISO-8859-1,
        // windows-1251, GBK …
        match self
            .param("charset")
            .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        {
            Some(e) => e.decode_without_bom_handling(&bytes).0.into_owned(),
            None => String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// One card of a file: the line it starts on, its text as read, and the
/// customer row it makes (or why it makes none).
#[derive(Debug)]
pub struct Card {
    pub line: u64,
    pub text: String,
    pub raw: Result<Raw, String>,
}

/// A refused card as read, with the reason in an `X-KITH-REASON` property
/// before its end, for `--skip-bad`.
pub fn with_reason(card: &str, reason: &str) -> String {
    let body = card.trim_end();
    let (head, end) = body
        .rfind('\n')
        .map_or(("", body), |i| (&body[..=i], &body[i + 1..]));
    let reason = reason.replace('\\', "\\\\").replace('\n', "\\n");
    format!(
        "{head}X-KITH-REASON:{reason}\r\n{}\r\n",
        end.trim_end_matches('\r')
    )
}

/// Parses a vCard file into one customer row per card; the error names the
/// line of what breaks the file as a whole.
pub fn parse(text: &str) -> Result<Vec<Card>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    let card_text = |from: u64, to: u64| -> String {
        let (a, b) = (from as usize - 1, (to as usize).min(lines.len()));
        lines[a..b]
            .iter()
            .map(|l| format!("{}\r\n", l.trim_end_matches('\r')))
            .collect()
    };
    let mut rows = Vec::new();
    let mut card: Option<(u64, Vec<Property>)> = None;
    for (line, logical) in unfold(text) {
        if logical.trim().is_empty() {
            continue;
        }
        let prop = property(&logical).ok_or_else(|| {
            format!(
                "{line}: `{}` is not a vCard property (NAME:VALUE)",
                short(&logical)
            )
        })?;
        match (prop.name.as_str(), &mut card) {
            ("BEGIN", None) if prop.value.eq_ignore_ascii_case("vcard") => {
                card = Some((line, Vec::new()));
            }
            ("END", Some(_)) if prop.value.eq_ignore_ascii_case("vcard") => {
                if let Some((start, props)) = card.take() {
                    rows.push(Card {
                        line: start,
                        text: card_text(start, line),
                        raw: contact(start, &props),
                    });
                }
            }
            (_, Some((_, props))) => props.push(prop),
            (_, None) => {
                return Err(format!(
                    "{line}: a property outside BEGIN:VCARD … END:VCARD"
                ));
            }
        }
    }
    if let Some((start, _)) = card {
        return Err(format!("{start}: the card has no END:VCARD"));
    }
    Ok(rows)
}

/// The logical lines with the line each starts on: a line beginning with a
/// space or tab continues the previous one (RFC 6350 folding), and a
/// quoted-printable value ending in `=` continues on the next line (2.1).
///
/// A vCard 2.1 base64 value (`PHOTO;ENCODING=BASE64:…`) may go on over lines
/// that are not indented; they continue it up to the blank line that ends
/// it.
fn unfold(text: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut soft_break = false;
    let mut base64 = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = n as u64 + 1;
        match out.last_mut() {
            Some((_, prev)) if soft_break => {
                prev.pop();
                prev.push_str(line);
            }
            Some((_, prev)) if line.starts_with([' ', '\t']) => prev.push_str(&line[1..]),
            Some((_, prev)) if base64 && is_base64_line(line) => prev.push_str(line),
            _ => {
                base64 = is_base64_head(line);
                out.push((number, line.to_string()));
            }
        }
        if line.trim().is_empty() {
            base64 = false;
        }
        soft_break = out.last().is_some_and(|(_, l)| {
            l.ends_with('=') && l.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
        });
    }
    out
}

/// A property line whose value is base64 (`ENCODING=BASE64`, `ENCODING=b`).
fn is_base64_head(line: &str) -> bool {
    let head = line.split(':').next().unwrap_or("").to_ascii_uppercase();
    head.split(';')
        .any(|p| matches!(p.trim(), "ENCODING=BASE64" | "ENCODING=B" | "BASE64"))
}

/// A line of base64 text alone (no `NAME:`), which goes on a base64 value.
fn is_base64_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

fn property(line: &str) -> Option<Property> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim_matches('"').to_string()),
            None => (p.trim().to_string(), String::new()),
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}

/// One card as a customer row.
fn contact(line: u64, props: &[Property]) -> Result<Raw, String> {
    let first = |name: &str| props.iter().find(|p| p.name == name);
    // Every value of a property, the preferred one first.
    let every = |name: &str| {
        let (preferred, rest): (Vec<&Property>, Vec<&Property>) = props
            .iter()
            .filter(|p| p.name == name)
            .partition(|p| p.preferred());
        preferred.into_iter().chain(rest)
    };
    let formatted = first("FN")
        .map(Property::text)
        .filter(|s| !s.trim().is_empty());
    let structured = first("N").map(|p| person_name(&p.components()));
    let units: Vec<String> = first("ORG").map_or_else(Vec::new, |p| {
        p.components()
            .into_iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect()
    });
    let org = units.first().cloned();
    let company = match first("KIND").map(|p| p.text().to_ascii_lowercase()) {
        Some(k) => k == "org" || k == "organization",
        None => {
            first("X-ABSHOWAS").is_some_and(|p| p.text().eq_ignore_ascii_case("company"))
                || (structured.as_deref().is_none_or(str::is_empty)
                    && org.is_some()
                    && formatted.as_ref() == org.as_ref())
        }
    };
    let name = formatted
        .or(structured.filter(|s| !s.is_empty()))
        .or_else(|| company.then(|| org.clone()).flatten());
    if name.is_none() && org.is_none() && first("EMAIL").is_none() && first("TEL").is_none() {
        return Err(format!(
            "{line}: the card has no name, organisation, email or phone (FN, N, ORG, EMAIL, TEL)"
        ));
    }
    let mut raw = Raw {
        line,
        cells: Vec::new(),
    };
    let mut put = |field: &'static str, column: &str, value: String| {
        raw.cells.push((field, column.to_string(), value));
    };
    if let Some(name) = name {
        put("name", "FN", name.trim().to_string());
        put(
            "kind",
            "KIND",
            if company { "company" } else { "person" }.to_string(),
        );
    }
    if !units.is_empty() {
        put(ORGANIZATION_KEY, "ORG", units.join("; "));
    }
    if let Some(p) = first("UID") {
        put(UID_KEY, "UID", p.text().trim().to_string());
    }
    for p in every("EMAIL") {
        let email = p.text();
        let email = email.trim();
        put(
            "email",
            "EMAIL",
            email.strip_prefix("mailto:").unwrap_or(email).to_string(),
        );
    }
    for p in every("TEL") {
        put("phone", "TEL", phone(&p.text()));
    }
    if let Some(p) = every("ADR").next() {
        put("address", "ADR", address(&p.components()));
    }
    if let Some(p) = first("URL") {
        put("website", "URL", p.text().trim().to_string());
    }
    if let Some(p) = first("NOTE") {
        put("note", "NOTE", p.text());
    }
    let categories: Vec<String> = props
        .iter()
        .filter(|p| p.name == "CATEGORIES")
        .flat_map(|p| split_unescaped(&p.decoded(), ','))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if !categories.is_empty() {
        put("tags", "CATEGORIES", categories.join(";"));
    }
    if let Some(p) = first("BDAY") {
        put("birthday", "BDAY", p.text().trim().to_string());
    }
    if let Some(p) = first("ANNIVERSARY").or_else(|| first("X-ANNIVERSARY")) {
        put("anniversary", "ANNIVERSARY", p.text().trim().to_string());
    }
    Ok(raw)
}

/// A phone number as written, without a `tel:` URI's prefix and
/// parameters, its extension (`;ext=102`, `;x=102`) kept as ` ext. 102`.
fn phone(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_prefix("tel:").unwrap_or(t);
    let mut parts = t.split(';');
    let number = parts.next().unwrap_or("").trim();
    let ext = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("ext") || k.trim().eq_ignore_ascii_case("x"))
            .then(|| v.trim())
    });
    match ext {
        Some(e) if !e.is_empty() => format!("{number} ext. {e}"),
        _ => number.to_string(),
    }
}

/// `ADR:pobox;extended;street;locality;region;code;country` in the order a
/// letter is addressed: street, extended, post box, then locality, region,
/// postal code and country; empty parts left out.
fn address(parts: &[String]) -> String {
    [2, 1, 0, 3, 4, 5, 6]
        .iter()
        .filter_map(|&i| parts.get(i))
        .map(|c| c.trim().replace("\r\n", "\n").replace('\n', ", "))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `N:family;given;additional;prefix;suffix` as one name: given names
/// first, except in Chinese, Japanese and Korean, which put the family first
/// without a space.
fn person_name(parts: &[String]) -> String {
    let get = |i: usize| parts.get(i).map_or("", |s| s.trim());
    let (family, given, additional) = (get(0), get(1), get(2));
    if family
        .chars()
        .chain(given.chars())
        .any(super::import::is_cjk)
    {
        return format!("{family}{given}");
    }
    [given, additional, family]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_unescaped(value: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next().map(unescaped_char)),
            c if c == sep => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    parts
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next().map(unescaped_char)),
            c => out.push(c),
        }
    }
    out
}

fn unescaped_char(c: char) -> char {
    match c {
        'n' | 'N' => '\n',
        other => other,
    }
}

/// Quoted-printable: `=XX` is a byte; a bad escape is kept as written.
fn decode_qp(value: &str) -> Vec<u8> {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'=', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(raw: &Raw) -> Vec<(&str, &str)> {
        raw.cells.iter().map(|(f, _, v)| (*f, v.as_str())).collect()
    }

    #[test]
    fn reads_a_3_0_card_with_folding_and_escapes() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;John;;;\r\nFN:John Smith\r\n\
                    ORG:Acme\\, Ltd;Sales\r\nEMAIL;TYPE=INTERNET:john@work.example\r\n\
                    EMAIL;TYPE=INTERNET,pref:john@acme.example\r\nTEL;TYPE=CELL:+1 555 0100\r\n\
                    ADR;TYPE=WORK:;;1 Main St;Spring\r\n field;IL;62701;USA\r\nBDAY:19790314\r\nEND:VCARD\r\n";
        let rows: Vec<Raw> = parse(text)
            .unwrap()
            .into_iter()
            .map(|c| c.raw.unwrap())
            .collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            cells(&rows[0]),
            vec![
                ("name", "John Smith"),
                ("kind", "person"),
                ("organization", "Acme, Ltd; Sales"),
                ("email", "john@acme.example"),
                ("email", "john@work.example"),
                ("phone", "+1 555 0100"),
                ("address", "1 Main St, Springfield, IL, 62701, USA"),
                ("birthday", "19790314"),
            ]
        );
    }

    #[test]
    fn reads_quoted_printable_and_names_without_fn() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=\n=E6=98=8E\nBDAY:--0314\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:4.0\nKIND:org\nORG:Globex\nTEL;VALUE=uri;PREF=1:tel:+86-571-0000\nEND:VCARD\n";
        let rows: Vec<Raw> = parse(text)
            .unwrap()
            .into_iter()
            .map(|c| c.raw.unwrap())
            .collect();
        assert_eq!(
            cells(&rows[0]),
            vec![
                ("name", "王小明"),
                ("kind", "person"),
                ("birthday", "--0314")
            ]
        );
        assert_eq!(
            cells(&rows[1]),
            vec![
                ("name", "Globex"),
                ("kind", "company"),
                ("organization", "Globex"),
                ("phone", "+86-571-0000")
            ]
        );
    }

    #[test]
    fn quoted_printable_in_a_named_charset() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Jos=E9\nEND:VCARD\n";
        let names: Vec<String> = parse(text)
            .unwrap()
            .into_iter()
            .map(|c| c.raw.unwrap().cells[0].2.clone())
            .collect();
        assert_eq!(names, vec!["Иван", "José"]);
    }

    #[test]
    fn phones_addresses_and_base64_lines() {
        assert_eq!(phone("tel:+1-555-0100;ext=102"), "+1-555-0100 ext. 102");
        assert_eq!(phone("+1 555 0100;x=7"), "+1 555 0100 ext. 7");
        assert_eq!(phone(" +86 571 "), "+86 571");
        let parts = |s: &str| s.split(';').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            address(&parts(
                "PO Box 7;Suite 5;1 Main St;Springfield;IL;62701;USA"
            )),
            "1 Main St, Suite 5, PO Box 7, Springfield, IL, 62701, USA"
        );
        let lines = unfold("PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\nSkZJRgAB\nAQ==\n\nTEL:1\n");
        let texts: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==",
                "",
                "TEL:1"
            ]
        );
    }

    #[test]
    fn broken_files_name_the_line() {
        assert!(parse("BEGIN:VCARD\nFN:x\n").unwrap_err().starts_with("1:"));
        assert!(parse("FN:x\n").unwrap_err().starts_with("1:"));
        let cards = parse("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n").unwrap();
        assert!(cards[0].raw.as_ref().unwrap_err().contains("no name"));
        assert_eq!(cards[0].text, "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n");
        assert_eq!(
            with_reason(&cards[0].text, "1: bad"),
            "BEGIN:VCARD\r\nVERSION:3.0\r\nX-KITH-REASON:1: bad\r\nEND:VCARD\r\n"
        );
        assert!(is_vcard(b"\xEF\xBB\xBFbegin:vcard\r\n"));
        assert!(!is_vcard(b"id,name\n"));
    }
}

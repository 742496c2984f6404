//! iCalendar (RFC 5545) output: a calendar of all-day events that calendar
//! programs can import or subscribe to. Owns the format's rules: CRLF line
//! ends, lines folded at 75 octets (never inside a UTF-8 sequence), TEXT
//! escaping, and UIDs unique within the calendar.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::{self, Write};

use crate::date::Date;

/// The longest content line, in octets, before it is folded.
const LINE_OCTETS: usize = 75;

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across runs, so that re-importing updates the event instead
    /// of adding a copy.
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
    pub category: String,
}

/// Writes a calendar holding `events`; with none it is an empty calendar.
/// `stamp` is the day written as every event's DTSTAMP (at midnight UTC), so
/// that the output is a pure function of its input.
pub fn write_calendar(
    out: &mut dyn Write,
    name: &str,
    stamp: Date,
    events: &[Event],
) -> io::Result<()> {
    let mut w = Lines { out };
    w.line("BEGIN:VCALENDAR")?;
    w.line("VERSION:2.0")?;
    w.line("PRODID:-//kith//kith remind//EN")?;
    w.line("CALSCALE:GREGORIAN")?;
    w.line("METHOD:PUBLISH")?;
    w.line(&format!("X-WR-CALNAME:{}", escape(name)))?;
    let stamp = format!("{}T000000Z", basic(stamp));
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for e in events {
        let n = seen.entry(e.uid.as_str()).or_insert(0);
        *n += 1;
        // Identical reminders (the same task written twice) still need
        // distinct UIDs; the copies are numbered in their stable order.
        let uid = if *n == 1 {
            e.uid.clone()
        } else {
            format!("{n}-{}", e.uid)
        };
        w.line("BEGIN:VEVENT")?;
        w.line(&format!("UID:{}", escape(&uid)))?;
        w.line(&format!("DTSTAMP:{stamp}"))?;
        w.line(&format!("DTSTART;VALUE=DATE:{}", basic(e.date)))?;
        // All-day events end (exclusively) on the next day.
        if let Some(end) = e.date.succ_opt() {
            w.line(&format!("DTEND;VALUE=DATE:{}", basic(end)))?;
        }
        w.line(&format!("SUMMARY:{}", escape(&e.summary)))?;
        w.line(&format!("DESCRIPTION:{}", escape(&e.description)))?;
        w.line(&format!("CATEGORIES:{}", escape(&e.category)))?;
        // A reminder does not make anyone busy.
        w.line("TRANSP:TRANSPARENT")?;
        w.line("END:VEVENT")?;
    }
    w.line("END:VCALENDAR")?;
    w.out.flush()
}

/// A stable digest of some text, for building UIDs: 64-bit FNV-1a over the
/// parts separated by NUL, in hex. Unlike std's hasher it is fixed forever,
/// so a UID never changes between kith versions.
pub fn digest(parts: &[&str]) -> String {
    let mut hash = fnv::FnvHasher::default();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash.write(b"\0");
        }
        hash.write(part.as_bytes());
    }
    format!("{:016x}", hash.finish())
}

/// A date in the basic form iCalendar uses: `20261123`.
fn basic(d: Date) -> String {
    d.format("%Y%m%d").to_string()
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as
/// `\n`, other control characters (which TEXT may not hold) as spaces.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes content lines folded and CRLF-terminated.
struct Lines<'a> {
    out: &'a mut dyn Write,
}

impl Lines<'_> {
    /// Folds `line` into pieces of at most 75 octets, each continuation
    /// starting with one space (which counts), cutting only at character
    /// boundaries.
    fn line(&mut self, line: &str) -> io::Result<()> {
        let mut rest = line;
        let mut limit = LINE_OCTETS;
        loop {
            if rest.len() <= limit {
                return self.out.write_all(format!("{rest}\r\n").as_bytes());
            }
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.out.write_all(&rest.as_bytes()[..cut])?;
            self.out.write_all(b"\r\n ")?;
            rest = &rest[cut..];
            limit = LINE_OCTETS - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;

    fn calendar(events: &[Event]) -> String {
        let mut out = Vec::new();
        write_calendar(&mut out, "kith", parse_iso("2026-11-23").unwrap(), events).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn event(summary: &str) -> Event {
        Event {
            uid: "u@kith".into(),
            date: parse_iso("2026-12-31").unwrap(),
            summary: summary.into(),
            description: "a\nb".into(),
            category: "due".into(),
        }
    }

    #[test]
    fn an_empty_calendar() {
        assert_eq!(
            calendar(&[]),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith//kith remind//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:kith\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn an_event_across_the_year_end() {
        let s = calendar(&[event("Call; then, mail \\ done")]);
        assert!(s.contains(
            "BEGIN:VEVENT\r\nUID:u@kith\r\nDTSTAMP:20261123T000000Z\r\n\
             DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n\
             SUMMARY:Call\\; then\\, mail \\\\ done\r\nDESCRIPTION:a\\nb\r\n\
             CATEGORIES:due\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
        ));
    }

    #[test]
    fn folds_at_75_octets_between_characters() {
        // "SUMMARY:" is 8 octets, then 3-octet characters: 8 + 22*3 = 74, so
        // the 23rd character would cross 75 and starts the next line.
        let s = calendar(&[event(&"星".repeat(40))]);
        let line = s.lines().find(|l| l.starts_with("SUMMARY")).unwrap();
        assert_eq!(line.len(), 74);
        let next = s.split("\r\n").skip_while(|l| !l.starts_with("SUMMARY"));
        let cont: Vec<&str> = next.skip(1).take(1).collect();
        assert_eq!(cont, [format!(" {}", "星".repeat(18))]);
        for l in s.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
    }

    #[test]
    fn repeated_uids_are_numbered() {
        let s = calendar(&[event("x"), event("x")]);
        assert!(s.contains("UID:u@kith\r\n") && s.contains("UID:2-u@kith\r\n"));
    }

    #[test]
    fn digests_are_fixed() {
        // FNV-1a 64 of the empty string is its offset basis.
        assert_eq!(digest(&[""]), "cbf29ce484222325");
        // The published FNV-1a 64 test vector for "a".
        assert_eq!(digest(&["a"]), "af63dc4c8601ec8c");
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
    }
}

//! Reading the values of spreadsheet cells: dates in the forms spreadsheets
//! write, money, lists. Every error names the value and the form expected.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::date::{self, Date, When, YearlyDate};
use crate::money::Money;

/// How the dates of one file are read: ISO always, `2026/11/23` and
/// `23.11.2026` (no other order is possible in those forms), and the
/// `--date-format` when given. `11/23/2026` and `23/11/2026` are ambiguous
/// and need `--date-format`.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    pub format: Option<String>,
}

impl Dates {
    pub fn day(&self, text: &str) -> Result<Date, String> {
        let s = text.trim();
        if let Some(d) = self.custom_day(s) {
            return Ok(d);
        }
        builtin_day(s).ok_or_else(|| self.not_a_date(text))
    }

    /// A day with an optional time of day: `2026-11-20T09:30`,
    /// `2026/11/20 09:30`, or the `--date-format` (with or without a time).
    pub fn when(&self, text: &str) -> Result<When, String> {
        let s = text.trim();
        if let Some(f) = &self.format
            && let Ok(dt) = NaiveDateTime::parse_from_str(s, f)
        {
            return Ok(When {
                date: dt.date(),
                time: Some(dt.time()),
            });
        }
        if let Some(d) = self.custom_day(s) {
            return Ok(When::day(d));
        }
        let (day, time) = match s.rsplit_once(['T', ' ']) {
            Some((d, t)) => (
                d.trim(),
                Some(time_of_day(t).ok_or_else(|| self.not_a_date(text))?),
            ),
            None => (s, None),
        };
        let date = builtin_day(day).ok_or_else(|| self.not_a_date(text))?;
        Ok(When { date, time })
    }

    /// A birthday or anniversary: the `--date-format` (tried first, on the
    /// text as written), any day form, `--MM-DD` without the year, and
    /// vCard's forms: `19790314`, `--0314`, a date with a time part.
    pub fn yearly(&self, text: &str) -> Result<YearlyDate, String> {
        let s = text.trim();
        if let Some(d) = self.custom_day(s) {
            return Ok(YearlyDate::Full(d));
        }
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if let Some(md) = s.strip_prefix("--") {
            if md.len() == 4 && digits(md) {
                return YearlyDate::parse(&format!("--{}-{}", &md[..2], &md[2..]));
            }
            return YearlyDate::parse(s);
        }
        let day = s
            .split_once('T')
            .filter(|(d, _)| d.len() >= 8 && digits(&d[..4]))
            .map_or(s, |(d, _)| d);
        if day.len() == 8 && digits(day) {
            let iso = format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..]);
            return self.day(&iso).map(YearlyDate::Full);
        }
        self.day(day).map(YearlyDate::Full)
    }

    fn custom_day(&self, s: &str) -> Option<Date> {
        let f = self.format.as_deref()?;
        NaiveDate::parse_from_str(s, f).ok()
    }

    fn not_a_date(&self, text: &str) -> String {
        match &self.format {
            Some(f) => format!("`{text}` is not a date in the form {f} nor YYYY-MM-DD"),
            None => format!(
                "`{text}` is not a date; write YYYY-MM-DD, 2026/11/23 or 23.11.2026, \
                 or give the file's form with --date-format (e.g. %m/%d/%Y)"
            ),
        }
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `DD.MM.YYYY` (one-digit days and months
/// allowed in the last two, as spreadsheets write them).
fn builtin_day(s: &str) -> Option<Date> {
    if let Ok(d) = date::parse_iso(s) {
        return Some(d);
    }
    let parts = |sep: char| -> Option<(u32, u32, u32)> {
        let mut it = s.split(sep);
        let (a, b, c) = (it.next()?, it.next()?, it.next()?);
        let all_digits = [a, b, c]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if it.next().is_some() || !all_digits {
            return None;
        }
        Some((a.parse().ok()?, b.parse().ok()?, c.parse().ok()?))
    };
    let (year, month, day) = if let Some((y, m, d)) = parts('/') {
        (y, m, d)
    } else {
        let (d, m, y) = parts('.')?;
        (y, m, d)
    };
    if year < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `HH:MM`, also `HH:MM:SS` with zero seconds as spreadsheets write it.
fn time_of_day(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    let hm = t
        .strip_suffix(":00")
        .filter(|hm| hm.len() == 5)
        .unwrap_or(t);
    if hm.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(hm, "%H:%M").ok()
}

/// An empty date written as zeros, as Outlook writes it: `0/0/00`,
/// `00.00.0000`, `0000-00-00`.
pub fn is_zero_date(text: &str) -> bool {
    let t = text.trim();
    t.bytes().any(|b| b == b'0') && t.bytes().all(|b| matches!(b, b'0' | b'/' | b'-' | b'.'))
}

/// A birthday or anniversary already in ISO or `--MM-DD` form; empty is none.
pub fn yearly(text: &str) -> Result<Option<YearlyDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    YearlyDate::parse(text).map(Some)
}

/// A day already in ISO form; empty is none.
pub fn day(text: &str) -> Result<Option<crate::date::Date>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::date::parse_iso(text).map(Some)
}

/// `true` or `false`; empty is none.
pub fn flag(text: &str) -> Result<Option<bool>, String> {
    match text {
        "" => Ok(None),
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        _ => Err(format!("`{text}` is not one of true, false")),
    }
}

/// A span of time (`45d`, `6w`); empty is none.
pub fn span(text: &str) -> Result<Option<crate::date::Span>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::date::Span::parse(text).map(Some)
}

/// An amount exact to the cent; empty is none.
pub fn money(text: &str) -> Result<Option<Money>, String> {
    let s = text.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Money::parse(s).map(Some)
}

/// A satisfaction rating, 1 to 5; empty is none.
pub fn rating(text: &str) -> Result<Option<u8>, String> {
    match text.trim() {
        "" => Ok(None),
        n @ ("1" | "2" | "3" | "4" | "5") => Ok(Some(n.as_bytes()[0] - b'0')),
        _ => Err(format!(
            "`{text}` is not a rating; give a whole number from 1 to 5"
        )),
    }
}

/// A list cell: items joined with `;` (as export writes tags), blanks dropped.
pub fn list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A text cell: absent when blank, kept byte for byte otherwise (a summary's
/// spaces are data).
pub fn text(cell: &str) -> Option<String> {
    (!cell.trim().is_empty()).then(|| cell.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_spreadsheet_date_forms() {
        let dates = Dates::default();
        for text in ["2026-11-23", "2026/11/23", "23.11.2026", " 23.11.2026 "] {
            assert_eq!(dates.day(text), Ok(d(2026, 11, 23)), "{text}");
        }
        assert_eq!(dates.day("1.2.2026"), Ok(d(2026, 2, 1)));
        for bad in [
            "11/23/2026",
            "2026-02-30",
            "31.02.2026",
            "23.11.26",
            "x",
            "",
        ] {
            assert!(dates.day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_custom_format_comes_first() {
        let dates = Dates {
            format: Some("%m/%d/%Y".to_string()),
        };
        assert_eq!(dates.day("11/23/2026"), Ok(d(2026, 11, 23)));
        assert_eq!(dates.day("2026-11-23"), Ok(d(2026, 11, 23)));
        let when = dates.when("11/23/2026").unwrap();
        assert_eq!(when.to_string(), "2026-11-23");
        let with_time = Dates {
            format: Some("%m/%d/%Y %H:%M".to_string()),
        };
        assert_eq!(
            with_time.when("11/23/2026 09:30").unwrap().to_string(),
            "2026-11-23T09:30"
        );
    }

    #[test]
    fn times_of_day() {
        let dates = Dates::default();
        assert_eq!(
            dates.when("2026-11-20T09:30").unwrap().to_string(),
            "2026-11-20T09:30"
        );
        assert_eq!(
            dates.when("2026/11/20 09:30:00").unwrap().to_string(),
            "2026-11-20T09:30"
        );
        assert!(dates.when("2026-11-20T25:00").is_err());
        assert!(dates.when("2026-11-20 09:30:15").is_err());
    }

    #[test]
    fn yearly_dates_with_and_without_the_year() {
        let dates = Dates::default();
        assert_eq!(dates.yearly("--03-14").unwrap().to_string(), "--03-14");
        assert_eq!(
            dates.yearly("14.03.1979").unwrap().to_string(),
            "1979-03-14"
        );
        for vcard in ["19790314", "1979-03-14T00:00:00Z", "19790314T000000"] {
            assert_eq!(dates.yearly(vcard).unwrap().to_string(), "1979-03-14");
        }
        assert_eq!(dates.yearly("--0314").unwrap().to_string(), "--03-14");
        // The file's own form comes first, on the text as written.
        let us = Dates {
            format: Some("%Y%d%m".to_string()),
        };
        assert_eq!(us.yearly("19791403").unwrap().to_string(), "1979-03-14");
    }

    #[test]
    fn lists_ratings_and_money() {
        assert_eq!(list(" a; b ;;c"), vec!["a", "b", "c"]);
        assert_eq!(rating("4"), Ok(Some(4)));
        assert!(rating("6").is_err());
        // 12 units is 1200 cents, written with two decimals.
        assert_eq!(money("12").unwrap().unwrap().to_string(), "12.00");
        assert!(money("1.005").is_err());
        assert_eq!(text("  "), None);
        assert!(is_zero_date("0/0/00") && is_zero_date(" 0000-00-00"));
        assert!(!is_zero_date("0") || is_zero_date("0"));
        assert!(!is_zero_date("1/0/00") && !is_zero_date("--"));
        assert_eq!(text(" x "), Some(" x ".to_string()));
    }
}

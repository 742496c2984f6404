//! Dates, times and spans as users type them.
//!
//! Every date computation takes "today" from the caller (`--today`,
//! `$KITH_TODAY`, else the local date), so nothing here reads the clock.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime};

pub type Date = NaiveDate;

/// A span such as `3d`, `2w`, `6m` (calendar months) or `1y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: u32,
    pub unit: SpanUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Span {
    pub fn days(count: u32) -> Span {
        Span {
            count,
            unit: SpanUnit::Days,
        }
    }

    pub fn parse(text: &str) -> Result<Span, String> {
        let s = text.trim();
        let bad = || format!("`{text}` is not a span (write 3d, 2w, 6m or 1y)");
        let unit = match s.chars().last() {
            Some('d') => SpanUnit::Days,
            Some('w') => SpanUnit::Weeks,
            Some('m') => SpanUnit::Months,
            Some('y') => SpanUnit::Years,
            _ => return Err(bad()),
        };
        let digits = &s[..s.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 5 {
            return Err(bad());
        }
        let count = digits.parse().map_err(|_| bad())?;
        Ok(Span { count, unit })
    }

    /// `date` moved forward by this span; month ends clamp (31 Jan + 1m = 28/29 Feb).
    pub fn after(self, date: Date) -> Option<Date> {
        let moved = match self.unit {
            SpanUnit::Days => date.checked_add_days(Days::new(self.count.into())),
            SpanUnit::Weeks => date.checked_add_days(Days::new(u64::from(self.count) * 7)),
            SpanUnit::Months => date.checked_add_months(Months::new(self.count)),
            SpanUnit::Years => date.checked_add_months(Months::new(self.count.checked_mul(12)?)),
        };
        moved.filter(|d| in_range(*d))
    }

    /// `date` moved back by this span.
    pub fn before(self, date: Date) -> Option<Date> {
        let moved = match self.unit {
            SpanUnit::Days => date.checked_sub_days(Days::new(self.count.into())),
            SpanUnit::Weeks => date.checked_sub_days(Days::new(u64::from(self.count) * 7)),
            SpanUnit::Months => date.checked_sub_months(Months::new(self.count)),
            SpanUnit::Years => date.checked_sub_months(Months::new(self.count.checked_mul(12)?)),
        };
        moved.filter(|d| in_range(*d))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            SpanUnit::Days => 'd',
            SpanUnit::Weeks => 'w',
            SpanUnit::Months => 'm',
            SpanUnit::Years => 'y',
        };
        write!(f, "{}{unit}", self.count)
    }
}

/// Whether a date is one kith writes and reads back: years 0001 to 9999,
/// the four digits of `YYYY-MM-DD`. Every date computed from input (`+7d`,
/// `--follow-up`, `tomorrow`) is checked, so none outside is ever written.
pub fn in_range(date: Date) -> bool {
    (1..=9999).contains(&date.year())
}

/// Parses a strict ISO date, `YYYY-MM-DD`, refusing impossible days such as
/// 30 February, and the year 0000.
pub fn parse_iso(text: &str) -> Result<Date, String> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{text}` is not a date (write YYYY-MM-DD)"));
    }
    // The digits are checked, so the numbers are read directly: chrono's
    // format-string parser would cost more than the rest of a record.
    let number = |range: std::ops::Range<usize>| {
        b[range].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let date = NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or_else(|| format!("`{text}` is not a real calendar date"))?;
    if !in_range(date) {
        return Err(out_of_range(text));
    }
    Ok(date)
}

/// Parses a date as typed on the command line: `YYYY-MM-DD`, `today`,
/// `tomorrow`, `yesterday`, or a span from today such as `+3d` or `-1w`.
pub fn parse_date(text: &str, today: Date) -> Result<Date, String> {
    let s = text.trim();
    match s {
        "today" => return Ok(today),
        "tomorrow" => {
            return today
                .succ_opt()
                .filter(|d| in_range(*d))
                .ok_or_else(|| out_of_range(text));
        }
        "yesterday" => {
            return today
                .pred_opt()
                .filter(|d| in_range(*d))
                .ok_or_else(|| out_of_range(text));
        }
        _ => {}
    }
    if let Some(rest) = s.strip_prefix('+') {
        let span = Span::parse(rest).map_err(|_| not_a_date(text))?;
        return span.after(today).ok_or_else(|| out_of_range(text));
    }
    if let Some(rest) = s.strip_prefix('-') {
        let span = Span::parse(rest).map_err(|_| not_a_date(text))?;
        return span.before(today).ok_or_else(|| out_of_range(text));
    }
    parse_iso(s).map_err(|e| {
        if s.len() == 10 && s.as_bytes()[4] == b'-' {
            e
        } else {
            not_a_date(text)
        }
    })
}

/// A due date as typed: a span ahead of today (`7d`, `+7d`) or any date form.
pub fn parse_due(text: &str, today: Date) -> Result<Date, String> {
    match Span::parse(text) {
        Ok(span) => span.after(today).ok_or_else(|| out_of_range(text)),
        Err(_) => parse_date(text, today).map_err(|e| {
            if e.starts_with(&format!("`{text}` is not a date (")) {
                format!("`{text}` is not a date (write 7d, +3d, -1w, tomorrow or YYYY-MM-DD)")
            } else {
                e
            }
        }),
    }
}

fn not_a_date(text: &str) -> String {
    format!("`{text}` is not a date (write YYYY-MM-DD, today, tomorrow, yesterday, +3d or -1w)")
}

fn out_of_range(text: &str) -> String {
    format!("`{text}` falls outside the years 0001 to 9999 that kith handles")
}

/// The day of an interaction, with the time of day when it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct When {
    pub date: Date,
    pub time: Option<NaiveTime>,
}

impl When {
    pub fn day(date: Date) -> When {
        When { date, time: None }
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    pub fn parse_iso(text: &str) -> Result<When, String> {
        match text.split_once(['T', ' ']) {
            None => Ok(When::day(parse_iso(text)?)),
            Some((d, t)) => {
                let date = parse_iso(d)?;
                let time = parse_time(t).ok_or_else(|| {
                    format!("`{text}` has no valid time (write YYYY-MM-DDTHH:MM)")
                })?;
                Ok(When {
                    date,
                    time: Some(time),
                })
            }
        }
    }

    /// A date as typed on the command line, optionally followed by `THH:MM`
    /// or ` HH:MM`: `yesterday 14:30`, `2026-11-20T09:00`, `-2d`.
    pub fn parse_cli(text: &str, today: Date) -> Result<When, String> {
        let s = text.trim();
        let (day, time) = match s.rsplit_once(['T', ' ']) {
            Some((d, t)) if parse_time(t).is_some() => (d, parse_time(t)),
            _ => (s, None),
        };
        Ok(When {
            date: parse_date(day, today)?,
            time,
        })
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let b = text.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    NaiveTime::parse_from_str(text, "%H:%M").ok()
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(t) = self.time {
            write!(f, "T{}", t.format("%H:%M"))?;
        }
        Ok(())
    }
}

/// A birthday or anniversary: a full date, or `--MM-DD` when the year is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum YearlyDate {
    Full(Date),
    MonthDay { month: u32, day: u32 },
}

impl YearlyDate {
    pub fn parse(text: &str) -> Result<YearlyDate, String> {
        if let Some(md) = text.strip_prefix("--") {
            let b = md.as_bytes();
            let ok = b.len() == 5
                && b[2] == b'-'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 2 || c.is_ascii_digit());
            let bad = || format!("`{text}` is not a day of the year (write --MM-DD)");
            if !ok {
                return Err(bad());
            }
            let month: u32 = md[..2].parse().map_err(|_| bad())?;
            let day: u32 = md[3..].parse().map_err(|_| bad())?;
            // 2000 is a leap year, so 29 February is allowed here.
            NaiveDate::from_ymd_opt(2000, month, day).ok_or_else(bad)?;
            return Ok(YearlyDate::MonthDay { month, day });
        }
        parse_iso(text).map(YearlyDate::Full).map_err(|_| {
            format!("`{text}` is not a date (write YYYY-MM-DD, or --MM-DD without the year)")
        })
    }

    pub fn month_day(self) -> (u32, u32) {
        match self {
            YearlyDate::Full(d) => (d.month(), d.day()),
            YearlyDate::MonthDay { month, day } => (month, day),
        }
    }

    pub fn year(self) -> Option<i32> {
        match self {
            YearlyDate::Full(d) => Some(d.year()),
            YearlyDate::MonthDay { .. } => None,
        }
    }

    /// The day it falls on in `year`; 29 February falls on 28 February in
    /// years that have none.
    pub fn in_year(self, year: i32) -> Option<Date> {
        let (month, day) = self.month_day();
        NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
            if month == 2 && day == 29 {
                NaiveDate::from_ymd_opt(year, 2, 28)
            } else {
                None
            }
        })
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(self, from: Date) -> Option<Date> {
        let this_year = self.in_year(from.year())?;
        if this_year >= from {
            Some(this_year)
        } else {
            self.in_year(from.year() + 1)
        }
    }
}

impl fmt::Display for YearlyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearlyDate::Full(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            YearlyDate::MonthDay { month, day } => write!(f, "--{month:02}-{day:02}"),
        }
    }
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    (b - a).num_days()
}

/// For unit tests across the crate: a date written as `YYYY-MM-DD`.
#[cfg(test)]
pub mod testing {
    use super::{Date, parse_iso};

    pub fn d(s: &str) -> Date {
        parse_iso(s).expect("a valid test date")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_iso(s).unwrap()
    }

    #[test]
    fn relative_dates() {
        let today = d("2026-11-23");
        assert_eq!(parse_date("today", today).unwrap(), today);
        assert_eq!(parse_date("tomorrow", today).unwrap(), d("2026-11-24"));
        assert_eq!(parse_date("yesterday", today).unwrap(), d("2026-11-22"));
        assert_eq!(parse_date("+3d", today).unwrap(), d("2026-11-26"));
        assert_eq!(parse_date("-1w", today).unwrap(), d("2026-11-16"));
        assert_eq!(parse_date("+1m", d("2026-01-31")).unwrap(), d("2026-02-28"));
        assert_eq!(parse_date("-1y", d("2028-02-29")).unwrap(), d("2027-02-28"));
        assert_eq!(parse_due("7d", today).unwrap(), d("2026-11-30"));
    }

    #[test]
    fn refuses_impossible_dates() {
        let today = d("2026-11-23");
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026/01/01",
            "soon",
            "+3x",
            "",
        ] {
            assert!(parse_date(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn when_with_time() {
        let w = When::parse_iso("2026-11-20T09:05").unwrap();
        assert_eq!(w.to_string(), "2026-11-20T09:05");
        assert!(When::parse_iso("2026-11-20T25:00").is_err());
        let today = d("2026-11-23");
        assert_eq!(
            When::parse_cli("yesterday 14:30", today)
                .unwrap()
                .to_string(),
            "2026-11-22T14:30"
        );
        assert_eq!(
            When::parse_cli("-2d", today).unwrap().to_string(),
            "2026-11-21"
        );
    }

    #[test]
    fn yearly_dates_and_leap_days() {
        let leap = YearlyDate::parse("1988-02-29").unwrap();
        assert_eq!(leap.in_year(2027), Some(d("2027-02-28")));
        assert_eq!(leap.in_year(2028), Some(d("2028-02-29")));
        let md = YearlyDate::parse("--01-02").unwrap();
        assert_eq!(md.to_string(), "--01-02");
        assert_eq!(md.next_on_or_after(d("2026-12-28")), Some(d("2027-01-02")));
        assert!(YearlyDate::parse("--02-30").is_err());
        assert!(YearlyDate::parse("--2-3").is_err());
    }

    #[test]
    fn spans() {
        assert_eq!(Span::parse("3d").unwrap(), Span::days(3));
        assert_eq!(Span::parse("6m").unwrap().to_string(), "6m");
        assert!(Span::parse("d").is_err());
        assert!(Span::parse("3").is_err());
        assert!(Span::parse("-3d").is_err());
    }

    /// The digits read by hand give chrono's own reading, calendar rules
    /// included: leap days, month and day zero, year zero.
    #[test]
    fn iso_dates_as_chrono_reads_them() {
        for text in [
            "2026-11-23",
            "2024-02-29",
            "2026-02-29",
            "2000-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "9999-12-31",
        ] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(parse_iso(text).ok(), chrono, "{text}");
        }
        // Year 0000 is a date to chrono, but outside the years kith keeps.
        assert!(parse_iso("0000-01-01").is_err());
        assert!(parse_iso("2026-1-01").is_err());
        assert!(parse_iso("+026-01-01").is_err());
    }
}

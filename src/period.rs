//! Calendar months and quarters, as sales targets and the forecast name
//! them: `2027-01`, `2027-Q1`.

use std::fmt;

use chrono::Datelike;

use crate::date::Date;

/// How a forecast groups dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Month,
    Quarter,
}

/// One calendar month or quarter. Periods of one granularity order by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarPeriod {
    year: i32,
    /// The month (1–12) or the quarter (1–4).
    n: u32,
    granularity: Granularity,
}

impl CalendarPeriod {
    /// The month or quarter holding `date`.
    pub fn of(date: Date, granularity: Granularity) -> CalendarPeriod {
        let n = match granularity {
            Granularity::Month => date.month(),
            Granularity::Quarter => (date.month() - 1) / 3 + 1,
        };
        CalendarPeriod {
            year: date.year(),
            n,
            granularity,
        }
    }

    /// `YYYY-MM` or `YYYY-Qn`.
    pub fn parse(text: &str) -> Result<CalendarPeriod, String> {
        let bad = || {
            format!("`{text}` is not a period (write 2027-01 for a month, 2027-Q1 for a quarter)")
        };
        let (year, rest) = text.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let (granularity, digits, most) = match rest.strip_prefix('Q') {
            Some(q) if q.len() == 1 => (Granularity::Quarter, q, 4),
            Some(_) => return Err(bad()),
            None if rest.len() == 2 => (Granularity::Month, rest, 12),
            None => return Err(bad()),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u32 = digits.parse().map_err(|_| bad())?;
        if n == 0 || n > most || year == 0 {
            return Err(bad());
        }
        Ok(CalendarPeriod {
            year,
            n,
            granularity,
        })
    }

    pub fn granularity(self) -> Granularity {
        self.granularity
    }

    /// The period after this one.
    pub fn next(self) -> CalendarPeriod {
        let last = match self.granularity {
            Granularity::Month => 12,
            Granularity::Quarter => 4,
        };
        if self.n == last {
            CalendarPeriod {
                year: self.year + 1,
                n: 1,
                ..self
            }
        } else {
            CalendarPeriod {
                n: self.n + 1,
                ..self
            }
        }
    }
}

impl fmt::Display for CalendarPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.granularity {
            Granularity::Month => write!(f, "{:04}-{:02}", self.year, self.n),
            Granularity::Quarter => write!(f, "{:04}-Q{}", self.year, self.n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;

    fn of(date: &str, g: Granularity) -> String {
        CalendarPeriod::of(parse_iso(date).unwrap(), g).to_string()
    }

    #[test]
    fn quarters_turn_at_the_first_of_april_july_and_october() {
        assert_eq!(of("2026-03-31", Granularity::Quarter), "2026-Q1");
        assert_eq!(of("2026-04-01", Granularity::Quarter), "2026-Q2");
        assert_eq!(of("2026-12-31", Granularity::Quarter), "2026-Q4");
        assert_eq!(of("2026-12-31", Granularity::Month), "2026-12");
    }

    #[test]
    fn next_crosses_the_year() {
        let q4 = CalendarPeriod::parse("2026-Q4").unwrap();
        assert_eq!(q4.next().to_string(), "2027-Q1");
        let dec = CalendarPeriod::parse("2026-12").unwrap();
        assert_eq!(dec.next().to_string(), "2027-01");
        assert!(dec < dec.next());
    }

    #[test]
    fn parse_refuses_what_is_not_a_month_or_quarter() {
        for bad in [
            "2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-1", "26-01", "2026", "2026-Q12",
            "2026-0a",
        ] {
            assert!(CalendarPeriod::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            CalendarPeriod::parse("2027-Q1").unwrap().to_string(),
            "2027-Q1"
        );
    }
}

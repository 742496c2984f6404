//! Exact amounts of money, held as a whole number of cents.
//!
//! kith never lets a binary float near money: amounts are parsed from their
//! text, summed as integers and printed with exactly two decimals.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// The largest amount a single field may hold: a thousand trillion units.
/// Sums of millions of such amounts still fit the `i128` of cents.
const MAX_UNITS: i128 = 1_000_000_000_000_000;

/// An exact amount, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i128);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_cents(cents: i128) -> Money {
        Money(cents)
    }

    pub fn cents(self) -> i128 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// Parses `12`, `12.5`, `-1200.00`, `+3`. More than two decimals, exponents,
    /// `NaN`, infinities, thousands separators and absurd magnitudes are refused.
    pub fn parse(text: &str) -> Result<Money, String> {
        let s = text.trim();
        let (negative, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty()
            || !all_digits(whole)
            || !all_digits(frac)
            || (digits.contains('.') && frac.is_empty() && whole.is_empty())
        {
            return Err(format!("`{text}` is not an amount (write it like 1200.50)"));
        }
        if frac.len() > 2 {
            return Err(format!(
                "`{text}` has more than two decimals; amounts are exact to the cent"
            ));
        }
        let whole_value: i128 = if whole.is_empty() {
            0
        } else {
            let trimmed = whole.trim_start_matches('0');
            if trimmed.len() > 16 {
                return Err(format!("`{text}` is too large for an amount"));
            }
            trimmed.parse().unwrap_or(0)
        };
        if whole_value > MAX_UNITS {
            return Err(format!("`{text}` is too large for an amount"));
        }
        let mut frac_value: i128 = frac.parse().unwrap_or(0);
        if frac.len() == 1 {
            frac_value *= 10;
        }
        let cents = whole_value * 100 + frac_value;
        Ok(Money(if negative { -cents } else { cents }))
    }

    /// The amount with thousands separators, for tables: `12,000.50`.
    pub fn grouped(self) -> String {
        let plain = self.to_string();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (whole, frac) = rest.split_once('.').unwrap_or((rest, "00"));
        format!("{sign}{}.{frac}", group_digits(whole))
    }

    /// An approximate value for charts and percentages; never for sums.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Multiplies by a probability given in basis points (1/10000), rounding
    /// half away from zero to the cent.
    pub fn times_basis_points(self, bp: i128) -> Money {
        let raw = self.0 * bp;
        let q = raw / 10_000;
        let r = raw % 10_000;
        let rounded = if r.abs() * 2 >= 10_000 {
            q + raw.signum()
        } else {
            q
        };
        Money(rounded)
    }
}

/// A run of ASCII digits with a comma before every group of three from the
/// right: `4812` → `4,812`. Tables group money and counts alike.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// For unit tests across the crate: an amount written as text.
#[cfg(test)]
pub mod testing {
    use super::Money;

    pub fn m(s: &str) -> Money {
        Money::parse(s).expect("a valid test amount")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints_two_decimals() {
        assert_eq!(m("12").to_string(), "12.00");
        assert_eq!(m("12.5").to_string(), "12.50");
        assert_eq!(m("-5").to_string(), "-5.00");
        assert_eq!(m("+0.07").to_string(), "0.07");
        assert_eq!(m(".5").to_string(), "0.50");
        assert_eq!(m("-0.05").to_string(), "-0.05");
        assert_eq!(m("007.10").to_string(), "7.10");
    }

    #[test]
    fn refuses_what_is_not_exact() {
        for bad in [
            "0.001", "1e308", "NaN", "nan", "inf", "-inf", "", "-", ".", "1,000", "1.2.3", "abc",
            "1 000",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Money::parse("99999999999999999999").is_err());
    }

    #[test]
    fn sums_are_exact() {
        let total: Money = [m("0.10"), m("0.10"), m("0.10")].iter().sum();
        assert_eq!(total.to_string(), "0.30");
        assert_eq!((m("1.00") - m("1.01")).to_string(), "-0.01");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(m("1234567.5").grouped(), "1,234,567.50");
        assert_eq!(m("-1000").grouped(), "-1,000.00");
        assert_eq!(m("999").grouped(), "999.00");
        assert_eq!(group_digits("23570"), "23,570");
    }

    #[test]
    fn weights_round_half_away_from_zero() {
        assert_eq!(m("0.05").times_basis_points(5000).to_string(), "0.03");
        assert_eq!(m("100").times_basis_points(3500).to_string(), "35.00");
        assert_eq!(m("-0.05").times_basis_points(5000).to_string(), "-0.03");
    }
}

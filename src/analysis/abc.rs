//! ABC classes: the Pareto cut of customers by value.

use std::cmp::Reverse;
use std::fmt;

use crate::config::BasisPoints;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    A,
    B,
    C,
    /// Zero or negative value.
    None,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::A => "A",
            Class::B => "B",
            Class::C => "C",
            Class::None => "none",
        }
    }

    /// `A`, `B`, `C` or `none`, any case.
    pub fn parse(text: &str) -> Option<Class> {
        match text.to_ascii_lowercase().as_str() {
            "a" => Some(Class::A),
            "b" => Some(Class::B),
            "c" => Some(Class::C),
            "none" => Some(Class::None),
            _ => None,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Sorts `(id, value)` pairs by value, descending, ties by id: the order of
/// every ranking report.
pub fn rank<T>(items: &mut [T], key: impl Fn(&T) -> (Money, &str)) {
    items.sort_by(|x, y| {
        let (vx, ix) = key(x);
        let (vy, iy) = key(y);
        (Reverse(vx), ix).cmp(&(Reverse(vy), iy))
    });
}

/// The classes of values already ranked (descending). A customer's share is
/// its value over the sum of all positive values, compared exactly: class A
/// is the smallest top group whose cumulative share reaches `a`; B the
/// smallest further group whose cumulative share reaches `b`; C the rest with
/// a positive value; `none` for zero or negative.
pub fn classify(ranked_values: &[Money], a: BasisPoints, b: BasisPoints) -> Vec<Class> {
    let total: i128 = ranked_values
        .iter()
        .filter(|v| v.is_positive())
        .map(|v| v.cents())
        .sum();
    let mut cumulative: i128 = 0;
    ranked_values
        .iter()
        .map(|v| {
            if !v.is_positive() {
                return Class::None;
            }
            // cumulative / total < cut  <=>  cumulative * 10000 < cut * total
            let before = cumulative * 10_000;
            cumulative += v.cents();
            if before < a.0 * total {
                Class::A
            } else if before < b.0 * total {
                Class::B
            } else {
                Class::C
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(v: &[i64]) -> Vec<Money> {
        v.iter()
            .map(|c| Money::from_cents(i128::from(*c) * 100))
            .collect()
    }

    fn classes(v: &[i64]) -> String {
        classify(&money(v), BasisPoints(8000), BasisPoints(9500))
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn cut_offs() {
        // 80 reaches 80% exactly: A is that one customer.
        assert_eq!(classes(&[80, 15, 5]), "A B C");
        // 79 falls short: the next one joins A.
        assert_eq!(classes(&[79, 16, 5]), "A A C");
        assert_eq!(classes(&[50, 30, 15, 5, 0, -10]), "A A B C none none");
    }

    #[test]
    fn all_zero_and_one_customer() {
        assert_eq!(classes(&[0, 0]), "none none");
        assert_eq!(classes(&[10]), "A");
        assert_eq!(classes(&[-5]), "none");
        assert_eq!(classes(&[]), "");
    }

    #[test]
    fn ties_at_the_cut_off_follow_the_ranking() {
        // Equal values: ranking by id decides; A stops once 80% is reached.
        assert_eq!(classes(&[40, 40, 10, 10]), "A A B B");
        assert_eq!(classes(&[40, 40, 15, 5]), "A A B C");
    }

    #[test]
    fn rank_orders_by_value_then_id() {
        let mut items = vec![("b", 5), ("a", 5), ("c", 9)];
        rank(&mut items, |(id, v)| (Money::from_cents(*v), id));
        assert_eq!(items, vec![("c", 9), ("a", 5), ("b", 5)]);
    }
}

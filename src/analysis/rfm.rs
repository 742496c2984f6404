//! RFM: how recently, how often and how much the customers who bought in a
//! window did so, each scored 1 to 5 against the others (docs/analytics.md).

use std::cmp::Reverse;

use crate::analysis::facts::Facts;
use crate::date::Date;

/// The three scores, each 1 (worst) to 5 (best). Ordered as the three-digit
/// score reads, so sorting them sorts `545` above `455`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scores {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

impl Scores {
    /// The three digits, e.g. `545`.
    pub fn code(self) -> String {
        format!("{}{}{}", self.r, self.f, self.m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub facts: Facts,
    /// Days from the last purchase in the window to the window's end.
    pub recency_days: Option<i64>,
    /// None for a customer without a purchase in the window.
    pub scores: Option<Scores>,
}

/// One row per customer: those with a purchase in the window scored and
/// first, by score descending then id; the others after them, by id.
pub fn report(facts: Vec<Facts>, end: Date) -> Vec<Row> {
    let mut rows = scored(facts, end);
    rows.sort_by(|a, b| (Reverse(a.scores), &a.facts.id).cmp(&(Reverse(b.scores), &b.facts.id)));
    rows
}

/// The rows of [`report`] in the order of `facts`: for a summary that needs
/// no order, such as the grid of the report page.
pub fn scored(facts: Vec<Facts>, end: Date) -> Vec<Row> {
    let recency = |f: &Facts| f.last_purchase.map(|d| (end - d).num_days());
    let buyers: Vec<&Facts> = facts.iter().filter(|f| f.last_purchase.is_some()).collect();
    // Older is worse: reversed, fewer days rank higher.
    let r = quintiles(
        &buyers
            .iter()
            .map(|f| Reverse(recency(f)))
            .collect::<Vec<_>>(),
    );
    let fr = quintiles(&buyers.iter().map(|f| f.occasions).collect::<Vec<_>>());
    let m = quintiles(&buyers.iter().map(|f| f.revenue).collect::<Vec<_>>());
    let mut scores = r
        .into_iter()
        .zip(fr)
        .zip(m)
        .map(|((r, f), m)| Scores { r, f, m });
    facts
        .into_iter()
        .map(|f| Row {
            recency_days: recency(&f),
            scores: f.last_purchase.and_then(|_| scores.next()),
            facts: f,
        })
        .collect()
}

/// Each value's score, `1 + floor(5k/n)`: `n` values, `k` of them strictly
/// below it. Equal values share a score. Sorting once and counting with a
/// binary search keeps it O(n log n) on a quarter of a million customers.
pub fn quintiles<T: Ord + Clone>(values: &[T]) -> Vec<u8> {
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    values
        .iter()
        .map(|v| {
            let k = sorted.partition_point(|x| x < v);
            // k < n, so the score is at most 1 + 4.
            (1 + 5 * k / n) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lifecycle::Lifecycle;
    use crate::date::testing::d;
    use crate::money::Money;

    fn buyer(id: &str, last: Option<&str>, occasions: usize, revenue: i128) -> Facts {
        Facts {
            id: id.into(),
            name: id.into(),
            revenue: Money::from_cents(revenue * 100),
            cost: Money::ZERO,
            occasions,
            last_purchase: last.map(d),
            lifecycle: Lifecycle::New,
        }
    }

    #[test]
    fn quintile_rule() {
        // n = 5, k = 0..4: one each.
        assert_eq!(quintiles(&[3, 1, 4, 5, 2]), [3, 1, 4, 5, 2]);
        // n = 10, k = 0..9: 1 + floor(5k/10) = 1 1 2 2 3 3 4 4 5 5.
        let ten: Vec<i32> = (1..=10).collect();
        assert_eq!(quintiles(&ten), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn ties_share_a_score() {
        // n = 4. The two 5s: k = 2, 1 + floor(10/4) = 3. The 3: k = 1,
        // 1 + floor(5/4) = 2. The 1: k = 0, score 1. Nobody scores 5.
        assert_eq!(quintiles(&[5, 5, 3, 1]), [3, 3, 2, 1]);
        assert_eq!(quintiles(&[7, 7, 7]), [1, 1, 1]);
        assert_eq!(quintiles::<i32>(&[]), Vec::<u8>::new());
    }

    #[test]
    fn a_lone_customer_scores_111() {
        let rows = report(
            vec![buyer("a", Some("2026-11-01"), 3, 900)],
            d("2026-11-23"),
        );
        assert_eq!(rows[0].scores.map(Scores::code).as_deref(), Some("111"));
        assert_eq!(rows[0].recency_days, Some(22));
    }

    #[test]
    fn scores_rank_and_order() {
        let end = d("2026-11-23");
        let rows = report(
            vec![
                // 2 days ago, 1 occasion, 100: r 5 (the 4 others are older:
                // 1 + floor(20/5)), f 1 (none fewer), m 2 (mid has less).
                buyer("fresh", Some("2026-11-21"), 1, 100),
                // 100 days, 6 occasions, 5,000: r 1, f 5, m 5.
                buyer("whale", Some("2026-08-15"), 6, 5000),
                // 30 days, 3, 50: r 3 (2 older), f 3 (2 fewer), m 1.
                buyer("mid", Some("2026-10-24"), 3, 50),
                // 30 days too: ties with mid on recency; 3 occasions ties
                // too; 400: m 4.
                buyer("twin", Some("2026-10-24"), 3, 400),
                // 60 days, 2 occasions, 300: r 2, f 2, m 3.
                buyer("slow", Some("2026-09-24"), 2, 300),
                buyer("never", None, 0, 0),
            ],
            end,
        );
        let got: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.facts.id.to_string(),
                    r.scores.map(Scores::code).unwrap_or_default(),
                )
            })
            .collect();
        let want = [
            ("fresh", "512"),
            ("twin", "334"),
            ("mid", "331"),
            ("slow", "223"),
            ("whale", "155"),
            ("never", ""),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(rows[5].recency_days, None);
    }
}

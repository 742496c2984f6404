//! The segment report: customers ranked by revenue or profit, their ABC
//! classes and shares, the Pareto sentence and the whale curve (docs/analytics.md).
//! Every figure is computed from cents; only display rounds.

use crate::analysis::abc::{self, Class};
use crate::analysis::facts::Facts;
use crate::config::Config;
use crate::money::{Money, group_digits};

/// What customers are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Revenue,
    Profit,
}

impl By {
    pub fn value(self, f: &Facts) -> Money {
        match self {
            By::Revenue => f.revenue,
            By::Profit => f.profit(),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            By::Revenue => "revenue",
            By::Profit => "profit",
        }
    }
}

/// One customer of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1 for the most valuable.
    pub rank: usize,
    pub facts: Facts,
    pub value: Money,
    /// The sum of the values of this row and every row above it.
    pub cumulative: Money,
    pub class: Class,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub by: By,
    pub rows: Vec<Row>,
    /// The sum of the positive values: what shares are fractions of.
    pub positive: Money,
}

/// Ranks `items` in place (value descending, ties by id) and returns the
/// class of each, in the new order, by the `kith.yaml` cut-offs.
pub fn classes_ranked<T>(
    items: &mut [T],
    key: impl Fn(&T) -> (Money, &str),
    config: &Config,
) -> Vec<Class> {
    abc::rank(items, &key);
    let values: Vec<Money> = items.iter().map(|x| key(x).0).collect();
    abc::classify(&values, config.segment_a, config.segment_b)
}

/// The report over every customer's facts.
pub fn report(mut facts: Vec<Facts>, by: By, config: &Config) -> Report {
    let classes = classes_ranked(&mut facts, |f| (by.value(f), &*f.id), config);
    let mut cumulative = Money::ZERO;
    let rows: Vec<Row> = facts
        .into_iter()
        .zip(classes)
        .enumerate()
        .map(|(i, (facts, class))| {
            let value = by.value(&facts);
            cumulative += value;
            Row {
                rank: i + 1,
                facts,
                value,
                cumulative,
                class,
            }
        })
        .collect();
    let positive = rows
        .iter()
        .map(|r| r.value)
        .filter(|v| v.is_positive())
        .sum();
    Report { by, rows, positive }
}

/// `amount` as a fraction of `positive`, the report's sum of positive
/// values, with four decimals (`0.8000`); none when that sum is zero.
pub fn share(amount: Money, positive: Money) -> Option<String> {
    positive
        .is_positive()
        .then(|| fraction(amount.cents(), positive.cents(), 4))
}

impl Report {
    /// The summary sentences: the Pareto fact, then with `--by profit` the
    /// whale curve. `currency` follows amounts, as in tables.
    pub fn summary(&self, currency: Option<&str>) -> Vec<String> {
        let mut lines = vec![self.pareto()];
        if self.by == By::Profit {
            lines.extend(self.whale(currency));
        }
        lines
    }

    fn pareto(&self) -> String {
        let noun = self.by.noun();
        if !self.positive.is_positive() {
            return format!("no customer has a positive {noun}");
        }
        let n = self.rows.len();
        let a: Vec<&Row> = self.rows.iter().filter(|r| r.class == Class::A).collect();
        let value: Money = a.iter().map(|r| r.value).sum();
        format!(
            "{} of customers ({} of {}) bring {} of {noun}",
            percent(a.len() as i128, n as i128),
            count(a.len()),
            count(n),
            percent(value.cents(), self.positive.cents()),
        )
    }

    /// The peak of cumulative profit as a share of total profit, reached
    /// after the last customer with a positive profit, and the customers
    /// below zero with what they lose; or why there is no curve.
    fn whale(&self, currency: Option<&str>) -> Vec<String> {
        let total: Money = self.rows.iter().map(|r| r.value).sum();
        if !total.is_positive() {
            return vec![format!(
                "total profit is {}, not positive: there is no whale curve",
                amount(total, currency)
            )];
        }
        let gainers = self.rows.iter().filter(|r| r.value.is_positive()).count();
        let peak = format!(
            "profit peaks at {} of the total with the top {}",
            percent(self.positive.cents(), total.cents()),
            customers(gainers),
        );
        let losers: Vec<&Row> = self.rows.iter().filter(|r| r.value.is_negative()).collect();
        if losers.is_empty() {
            return vec![peak, "no customer loses money".to_string()];
        }
        let lost: Money = -losers.iter().map(|r| r.value).sum::<Money>();
        let verb = if losers.len() == 1 { "loses" } else { "lose" };
        let loss = format!(
            "{} ({}) {verb} {}, {} of the total",
            customers(losers.len()),
            percent(losers.len() as i128, self.rows.len() as i128),
            amount(lost, currency),
            percent(lost.cents(), total.cents()),
        );
        vec![peak, loss]
    }

    /// Points of the cumulative curve: after the top `k` customers, their
    /// cumulative value, for `steps` evenly spread `k` (fewer when there
    /// are fewer customers), the last one being every customer.
    pub fn curve(&self, steps: usize) -> Vec<(usize, Money)> {
        let n = self.rows.len();
        let steps = steps.min(n);
        (1..=steps)
            .map(|i| {
                let k = (n * i).div_ceil(steps);
                (k, self.rows[k - 1].cumulative)
            })
            .collect()
    }
}

/// `num / den` with `places` decimals, rounded half away from zero, exact
/// (integers only); never `-0`. `den` must be positive.
pub fn fraction(num: i128, den: i128, places: u32) -> String {
    let scale = 10_i128.pow(places);
    let scaled = num * scale;
    let mut q = scaled / den;
    if 2 * (scaled % den).abs() >= den {
        q += scaled.signum();
    }
    let sign = if q < 0 { "-" } else { "" };
    let (abs, scale) = (q.unsigned_abs(), scale.unsigned_abs());
    if places == 0 {
        format!("{sign}{abs}")
    } else {
        let width = places as usize;
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
    }
}

/// `num / den` as a percentage with one decimal: `80.0%`.
pub fn percent(num: i128, den: i128) -> String {
    format!("{}%", fraction(num * 100, den, 1))
}

fn count(n: usize) -> String {
    group_digits(&n.to_string())
}

fn customers(n: usize) -> String {
    match n {
        1 => "1 customer".to_string(),
        n => format!("{} customers", count(n)),
    }
}

fn amount(m: Money, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{} {c}", m.grouped()),
        None => m.grouped(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lifecycle::Lifecycle;
    use crate::config::BasisPoints;
    use proptest::prelude::*;

    fn facts(id: &str, revenue: i64, cost: i64) -> Facts {
        Facts {
            id: id.into(),
            name: id.to_uppercase().into(),
            revenue: Money::from_cents(i128::from(revenue) * 100),
            cost: Money::from_cents(i128::from(cost) * 100),
            occasions: 0,
            last_purchase: None,
            lifecycle: Lifecycle::Prospect,
        }
    }

    fn table(r: &Report) -> Vec<String> {
        r.rows
            .iter()
            .map(|row| {
                format!(
                    "{} {} {} {} {} {}",
                    row.rank,
                    row.facts.id,
                    row.value,
                    share(row.value, r.positive).unwrap_or_default(),
                    share(row.cumulative, r.positive).unwrap_or_default(),
                    row.class
                )
            })
            .collect()
    }

    /// Five customers; revenue 500, 300, 100, 60, 40 (total 1,000); costs
    /// 100, 350, 20, 70, 0, so profit 400, -50, 80, -10, 40 (total 460).
    fn five() -> Vec<Facts> {
        vec![
            facts("a", 500, 100),
            facts("b", 300, 350),
            facts("c", 100, 20),
            facts("d", 60, 70),
            facts("e", 40, 0),
        ]
    }

    #[test]
    fn by_revenue() {
        let r = report(five(), By::Revenue, &Config::default());
        // 500/1000 = 0.5 < 0.8, 800/1000 reaches 0.8: A = a, b. 900/1000
        // falls short of 0.95, 960 reaches it: B = c, d. C = e.
        assert_eq!(
            table(&r),
            [
                "1 a 500.00 0.5000 0.5000 A",
                "2 b 300.00 0.3000 0.8000 A",
                "3 c 100.00 0.1000 0.9000 B",
                "4 d 60.00 0.0600 0.9600 B",
                "5 e 40.00 0.0400 1.0000 C",
            ]
        );
        assert_eq!(
            r.summary(Some("CNY")),
            ["40.0% of customers (2 of 5) bring 80.0% of revenue"]
        );
    }

    #[test]
    fn by_profit_with_losers() {
        let r = report(five(), By::Profit, &Config::default());
        // Positive profits 400 + 80 + 40 = 520. 400/520 = 0.769 < 0.8, so
        // A = a, c (480/520 = 0.923); 520/520 reaches 0.95: B = e.
        assert_eq!(
            table(&r),
            [
                "1 a 400.00 0.7692 0.7692 A",
                "2 c 80.00 0.1538 0.9231 A",
                "3 e 40.00 0.0769 1.0000 B",
                "4 d -10.00 -0.0192 0.9808 none",
                "5 b -50.00 -0.0962 0.8846 none",
            ]
        );
        // Total profit 460; the peak 520 is 113.04% of it; b and d lose
        // 60, 13.04% of 460.
        assert_eq!(
            r.summary(Some("CNY")),
            [
                "40.0% of customers (2 of 5) bring 92.3% of profit",
                "profit peaks at 113.0% of the total with the top 3 customers",
                "2 customers (40.0%) lose 60.00 CNY, 13.0% of the total",
            ]
        );
    }

    #[test]
    fn non_positive_total_profit() {
        let r = report(
            vec![facts("a", 100, 40), facts("b", 10, 1080)],
            By::Profit,
            &Config::default(),
        );
        // 60 - 1070 = -1010.
        assert_eq!(
            r.summary(None),
            [
                "50.0% of customers (1 of 2) bring 100.0% of profit",
                "total profit is -1,010.00, not positive: there is no whale curve",
            ]
        );
    }

    #[test]
    fn no_losers_and_singular_words() {
        let r = report(vec![facts("a", 100, 40)], By::Profit, &Config::default());
        assert_eq!(
            r.summary(None),
            [
                "100.0% of customers (1 of 1) bring 100.0% of profit",
                "profit peaks at 100.0% of the total with the top 1 customer",
                "no customer loses money",
            ]
        );
        let r = report(
            vec![facts("a", 100, 0), facts("b", 0, 10)],
            By::Profit,
            &Config::default(),
        );
        assert_eq!(
            r.summary(None)[2],
            "1 customer (50.0%) loses 10.00, 11.1% of the total"
        );
    }

    #[test]
    fn all_values_zero() {
        let r = report(
            vec![facts("b", 0, 0), facts("a", 0, 0)],
            By::Revenue,
            &Config::default(),
        );
        // Ties by id; no positive total, so no shares.
        assert_eq!(table(&r), ["1 a 0.00   none", "2 b 0.00   none"]);
        assert_eq!(r.summary(None), ["no customer has a positive revenue"]);
    }

    #[test]
    fn refunds_can_make_revenue_negative() {
        // c's refund exceeds its purchases: class none, a negative share of
        // the positive total (100), and the cumulative share falls back.
        let r = report(
            vec![facts("a", 100, 0), facts("c", -25, 0)],
            By::Revenue,
            &Config::default(),
        );
        assert_eq!(
            table(&r),
            [
                "1 a 100.00 1.0000 1.0000 A",
                "2 c -25.00 -0.2500 0.7500 none"
            ]
        );
    }

    #[test]
    fn ties_at_the_cut_off_rank_by_id() {
        let r = report(
            vec![facts("z", 40, 0), facts("y", 40, 0), facts("x", 20, 0)],
            By::Revenue,
            &Config::default(),
        );
        assert_eq!(
            table(&r),
            [
                "1 y 40.00 0.4000 0.4000 A",
                "2 z 40.00 0.4000 0.8000 A",
                "3 x 20.00 0.2000 1.0000 B",
            ]
        );
    }

    #[test]
    fn fractions_round_half_away_from_zero() {
        assert_eq!(fraction(1, 3, 4), "0.3333");
        assert_eq!(fraction(2, 3, 4), "0.6667");
        // 1/20000 = 0.00005 exactly: rounds up; its negative rounds down.
        assert_eq!(fraction(1, 20_000, 4), "0.0001");
        assert_eq!(fraction(-1, 20_000, 4), "-0.0001");
        assert_eq!(fraction(-1, 30_000, 4), "0.0000");
        assert_eq!(fraction(4812, 23_570, 1), "0.2");
        assert_eq!(percent(4812, 23_570), "20.4%");
        assert_eq!(percent(1312, 1000), "131.2%");
        assert_eq!(fraction(7, 2, 0), "4");
    }

    #[test]
    fn curve_points() {
        let r = report(five(), By::Revenue, &Config::default());
        let pts: Vec<(usize, String)> = r
            .curve(10)
            .into_iter()
            .map(|(k, m)| (k, m.to_string()))
            .collect();
        assert_eq!(pts[0], (1, "500.00".to_string()));
        assert_eq!(pts.len(), 5);
        assert_eq!(pts[4], (5, "1000.00".to_string()));
        // Twenty customers in ten steps: every second one.
        let many: Vec<Facts> = (0..20).map(|i| facts(&format!("c{i:02}"), 1, 0)).collect();
        let r = report(many, By::Revenue, &Config::default());
        let ks: Vec<usize> = r.curve(10).into_iter().map(|(k, _)| k).collect();
        assert_eq!(ks, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    }

    proptest! {
        /// Every customer gets one class; the classes come in rank order;
        /// A and B are minimal: without their last member the cumulative
        /// share falls short of the cut-off, with it it reaches it.
        #[test]
        fn classes_partition_and_a_is_minimal(
            values in proptest::collection::vec(-5i64..20, 0..40),
            a_twentieths in 0i128..=20,
            b_extra in 0i128..=20,
        ) {
            // Small values and cut-offs in steps of 5% make cumulative
            // shares land exactly on a cut-off often.
            let a = a_twentieths * 500;
            let b = (a + b_extra * 500).min(10_000);
            let config = Config {
                segment_a: BasisPoints(a),
                segment_b: BasisPoints(b),
                ..Config::default()
            };
            let list: Vec<Facts> = values
                .iter()
                .enumerate()
                .map(|(i, v)| facts(&format!("c{i}"), *v, 0))
                .collect();
            let r = report(list, By::Revenue, &config);
            prop_assert_eq!(r.rows.len(), values.len());
            let order: Vec<Class> = r.rows.iter().map(|x| x.class).collect();
            let mut sorted = order.clone();
            sorted.sort();
            prop_assert_eq!(&order, &sorted);
            for row in &r.rows {
                prop_assert_eq!(row.class == Class::None, !row.value.is_positive());
            }
            let total = r.positive.cents();
            let positives = r.rows.iter().filter(|x| x.value.is_positive()).count();
            for (class, cut) in [(Class::A, a), (Class::B, b)] {
                let members: Vec<&Row> = r.rows.iter().filter(|x| x.class <= class).collect();
                if let Some(last) = members.last() {
                    let with = last.cumulative.cents() * 10_000;
                    let without = with - last.value.cents() * 10_000;
                    // With the last member the cut is reached (or every
                    // positive customer is in); without it, it is not.
                    prop_assert!(with >= cut * total || members.len() == positives);
                    prop_assert!(without < cut * total);
                }
            }
        }
    }
}

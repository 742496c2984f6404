//! The customer lifecycle: prospect, new, repeat, loyal, and the slide to
//! at-risk and lost, judged from purchase occasions at a given day.

use std::fmt;

use crate::config;
use crate::date::Date;
use crate::record::{Outcome, Record};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lifecycle {
    Prospect,
    New,
    Repeat,
    Loyal,
    AtRisk,
    Lost,
}

impl Lifecycle {
    pub const ALL: &'static [&'static str] =
        &["prospect", "new", "repeat", "loyal", "at-risk", "lost"];

    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Prospect => "prospect",
            Lifecycle::New => "new",
            Lifecycle::Repeat => "repeat",
            Lifecycle::Loyal => "loyal",
            Lifecycle::AtRisk => "at-risk",
            Lifecycle::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<Lifecycle> {
        Lifecycle::ALL.iter().position(|s| *s == text).map(|i| {
            [
                Lifecycle::Prospect,
                Lifecycle::New,
                Lifecycle::Repeat,
                Lifecycle::Loyal,
                Lifecycle::AtRisk,
                Lifecycle::Lost,
            ][i]
        })
    }
}

impl fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The distinct days with a purchase (a positive amount) from `since`
/// (inclusive, or the beginning) up to `until` (inclusive), in order.
pub fn purchase_occasions(record: &Record, since: Option<Date>, until: Date) -> Vec<Date> {
    let mut days: Vec<Date> = record
        .interactions
        .iter()
        .filter(|i| {
            i.is_purchase() && i.date.date <= until && since.is_none_or(|s| i.date.date >= s)
        })
        .map(|i| i.date.date)
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// True when the customer has deals and every one of them is lost.
pub fn every_deal_lost(record: &Record) -> bool {
    !record.deals.is_empty() && record.deals.iter().all(|d| d.outcome() == Outcome::Lost)
}

/// The lifecycle of a customer at `end`, from all its purchases up to `end`.
pub fn lifecycle(record: &Record, rules: &config::Lifecycle, end: Date) -> Lifecycle {
    let occasions = purchase_occasions(record, None, end);
    classify(&occasions, every_deal_lost(record), rules, end)
}

/// The rules of docs/analytics.md, the first that applies: lost, at-risk, loyal, repeat,
/// new, prospect. `occasions` are distinct purchase days in order; "older
/// than" a span means strictly before the day that span ends at `end`.
pub fn classify(
    occasions: &[Date],
    every_deal_lost: bool,
    rules: &config::Lifecycle,
    end: Date,
) -> Lifecycle {
    let Some(&last) = occasions.last() else {
        return if every_deal_lost {
            Lifecycle::Lost
        } else {
            Lifecycle::Prospect
        };
    };
    let older_than = |span: crate::date::Span| span.before(end).is_some_and(|cut| last < cut);
    if older_than(rules.lost_after) {
        return Lifecycle::Lost;
    }
    if older_than(rules.at_risk_after) {
        return Lifecycle::AtRisk;
    }
    if occasions.len() >= 2 {
        let age = (end - last).num_days();
        let min_days = rules
            .at_risk_min
            .before(end)
            .map_or(0, |cut| (end - cut).num_days());
        if age > twice_median_gap(occasions).max(min_days) {
            return Lifecycle::AtRisk;
        }
    }
    match occasions.len() {
        n if n >= rules.loyal_purchases as usize => Lifecycle::Loyal,
        n if n >= 2 => Lifecycle::Repeat,
        _ => Lifecycle::New,
    }
}

/// Twice the median gap in days between consecutive occasions (at least two):
/// with an even number of gaps, the sum of the middle two, so it stays exact.
pub fn twice_median_gap(occasions: &[Date]) -> i64 {
    let mut gaps: Vec<i64> = occasions
        .windows(2)
        .map(|w| (w[1] - w[0]).num_days())
        .collect();
    gaps.sort_unstable();
    let n = gaps.len();
    if n % 2 == 1 {
        2 * gaps[n / 2]
    } else {
        gaps[n / 2 - 1] + gaps[n / 2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::date::testing::d;

    fn at(days: &[&str], end: &str) -> Lifecycle {
        let occ: Vec<Date> = days.iter().map(|s| d(s)).collect();
        classify(&occ, false, &Config::default().lifecycle, d(end))
    }

    #[test]
    fn prospect_new_repeat_loyal() {
        assert_eq!(at(&[], "2026-11-23"), Lifecycle::Prospect);
        assert_eq!(at(&["2026-11-01"], "2026-11-23"), Lifecycle::New);
        assert_eq!(
            at(&["2026-10-01", "2026-11-01"], "2026-11-23"),
            Lifecycle::Repeat
        );
        assert_eq!(
            at(
                &["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"],
                "2026-11-23"
            ),
            Lifecycle::Loyal
        );
    }

    #[test]
    fn lost_rules() {
        let rules = Config::default().lifecycle;
        assert_eq!(
            classify(&[], true, &rules, d("2026-11-23")),
            Lifecycle::Lost
        );
        // 365 days old is not older than 365d; 366 is.
        assert_eq!(at(&["2025-11-23"], "2026-11-23"), Lifecycle::AtRisk);
        assert_eq!(at(&["2025-11-22"], "2026-11-23"), Lifecycle::Lost);
    }

    #[test]
    fn at_risk_after_a_fixed_span() {
        // 180 days exactly is not older than 180d; 181 is.
        assert_eq!(at(&["2026-05-27"], "2026-11-23"), Lifecycle::New);
        assert_eq!(at(&["2026-05-26"], "2026-11-23"), Lifecycle::AtRisk);
    }

    #[test]
    fn at_risk_beyond_the_usual_rhythm() {
        // Gaps of 10 days: twice the median is 20, below the 30-day minimum,
        // so 30 days of silence is fine and 31 is not.
        let days = ["2026-09-03", "2026-09-13", "2026-09-23"];
        assert_eq!(at(&days, "2026-10-23"), Lifecycle::Repeat);
        assert_eq!(at(&days, "2026-10-24"), Lifecycle::AtRisk);
        // Gaps of 30 and 40 days: twice the median is 70.
        let days = ["2026-06-01", "2026-07-01", "2026-08-10"];
        assert_eq!(at(&days, "2026-10-19"), Lifecycle::Repeat);
        assert_eq!(at(&days, "2026-10-20"), Lifecycle::AtRisk);
    }

    #[test]
    fn lost_takes_precedence_over_loyal() {
        let days = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"];
        assert_eq!(at(&days, "2026-11-23"), Lifecycle::Lost);
    }
}

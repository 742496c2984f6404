//! Churn warnings: the customer drifting away (at-risk) and the valuable one
//! already gone (lost, for a win-back), with the day each turned so and
//! whether anyone has acted since. Pure: occasions and dates in, facts out.

use chrono::Days;

use crate::analysis::lifecycle::{self, Lifecycle};
use crate::config;
use crate::date::{Date, days_between};
use crate::record::Record;

/// How far a customer has drifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    AtRisk,
    Lost,
}

/// A customer at-risk or lost by the age of its last purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Churn {
    pub drift: Drift,
    /// The day it turned at-risk (or lost): the last purchase, plus its
    /// threshold, plus one day.
    pub turned: Date,
    /// Days from the last purchase to today.
    pub days: i64,
    /// The median gap between purchase days, halves rounded up; only with
    /// two purchase days or more.
    pub usual_gap: Option<i64>,
}

/// The churn facts of a customer whose purchase days (distinct, in order, up
/// to today) are `occasions`; `None` unless its lifecycle today is at-risk,
/// or lost because its last purchase is too old (a customer that never
/// bought is not lost to win back).
pub fn churn(
    occasions: &[Date],
    every_deal_lost: bool,
    rules: &config::Lifecycle,
    today: Date,
) -> Option<Churn> {
    let &last = occasions.last()?;
    let drift = match lifecycle::classify(occasions, every_deal_lost, rules, today) {
        Lifecycle::AtRisk => Drift::AtRisk,
        Lifecycle::Lost => Drift::Lost,
        _ => return None,
    };
    let twice_median = (occasions.len() >= 2).then(|| lifecycle::twice_median_gap(occasions));
    let threshold_end = match drift {
        Drift::Lost => rules.lost_after.after(last)?,
        Drift::AtRisk => {
            let plain = rules.at_risk_after.after(last)?;
            match twice_median {
                Some(tm) => {
                    let by_gap = last.checked_add_days(Days::new(u64::try_from(tm).ok()?))?;
                    plain.min(by_gap.max(rules.at_risk_min.after(last)?))
                }
                None => plain,
            }
        }
    };
    let turned = threshold_end.succ_opt()?.min(today);
    Some(Churn {
        drift,
        turned,
        days: days_between(last, today),
        usual_gap: twice_median.map(|tm| (tm + 1) / 2),
    })
}

/// Whether nobody has acted since `since`: no interaction but a note dated
/// from `since` to `today`, and no task open today.
pub fn untouched_since(record: &Record, since: Date, today: Date) -> bool {
    let contacted = record
        .interactions
        .iter()
        .any(|i| i.is_contact() && i.date.date >= since && i.date.date <= today);
    let open_task = record
        .tasks
        .iter()
        .any(|t| t.done.is_none_or(|d| d > today));
    !contacted && !open_task
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Span;
    use crate::record::{Interaction, Task};

    fn d(s: &str) -> Date {
        crate::date::parse_iso(s).unwrap()
    }

    fn rules() -> config::Lifecycle {
        config::Lifecycle {
            at_risk_after: Span::days(180),
            at_risk_min: Span::days(30),
            lost_after: Span::days(365),
            loyal_purchases: 4,
        }
    }

    #[test]
    fn one_purchase_turns_at_risk_the_day_after_at_risk_after() {
        let today = d("2026-11-23");
        // 2026-05-01 + 180 days = 2026-10-28; at-risk from 2026-10-29.
        let c = churn(&[d("2026-05-01")], false, &rules(), today).unwrap();
        assert_eq!(c.drift, Drift::AtRisk);
        assert_eq!(c.turned, d("2026-10-29"));
        assert_eq!(c.days, 206);
        assert_eq!(c.usual_gap, None);
        // The day before it turns, nothing.
        assert_eq!(
            churn(&[d("2026-05-01")], false, &rules(), d("2026-10-28")),
            None
        );
    }

    #[test]
    fn a_regular_buyer_turns_at_risk_after_twice_its_median_gap() {
        // Gaps 30 and 31: median 30.5, twice 61, above at_risk_min (30).
        let days = [d("2026-06-01"), d("2026-07-01"), d("2026-08-01")];
        let c = churn(&days, false, &rules(), d("2026-11-23")).unwrap();
        assert_eq!(c.turned, d("2026-10-02"));
        assert_eq!(c.usual_gap, Some(31));
        assert_eq!(c.days, 114);
        // Weekly buyers: twice the gap (14) is below at_risk_min, which wins.
        let weekly = [d("2026-11-01"), d("2026-11-08")];
        let c = churn(&weekly, false, &rules(), d("2026-12-20")).unwrap();
        assert_eq!(c.turned, d("2026-12-09"));
        assert_eq!(c.usual_gap, Some(7));
    }

    #[test]
    fn lost_customers_turn_lost_the_day_after_lost_after() {
        let c = churn(&[d("2025-01-01")], false, &rules(), d("2026-11-23")).unwrap();
        assert_eq!(c.drift, Drift::Lost);
        assert_eq!(c.turned, d("2026-01-02"));
        // Never bought, every deal lost: lost, but nothing to win back.
        assert_eq!(churn(&[], true, &rules(), d("2026-11-23")), None);
        // A recent buyer is neither.
        assert_eq!(
            churn(&[d("2026-11-01")], false, &rules(), d("2026-11-23")),
            None
        );
    }

    #[test]
    fn a_contact_or_an_open_task_since_the_turn_counts_as_acting() {
        let today = d("2026-11-23");
        let mut r = Record::new("acme", "Acme");
        r.interactions.push(Interaction::new(
            crate::date::When::day(d("2026-11-01")),
            "note",
        ));
        assert!(untouched_since(&r, d("2026-10-29"), today));
        r.interactions.push(Interaction::new(
            crate::date::When::day(d("2026-11-02")),
            "call",
        ));
        assert!(!untouched_since(&r, d("2026-10-29"), today));
        assert!(untouched_since(&r, d("2026-11-03"), today));
        let mut task = Task::new(d("2026-12-01"), "Call");
        r.tasks.push(task.clone());
        assert!(!untouched_since(&r, d("2026-11-03"), today));
        task.done = Some(d("2026-11-20"));
        r.tasks = vec![task];
        assert!(untouched_since(&r, d("2026-11-03"), today));
    }
}

//! The value facts of one customer over a report's period: what `segment`,
//! `rfm`, `list` and `show` keep of a record. Whole-folder reports map each
//! record to these few fields inside the parallel scan, so a folder of
//! 250,000 customers never sits in memory as records.

use std::sync::Arc;

use crate::analysis::lifecycle::{self, Lifecycle};
use crate::analysis::value::{Window, totals};
use crate::config::Config;
use crate::date::Date;
use crate::money::Money;
use crate::record::Record;

/// The days a report covers, and the day it measures ages at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The entries counted: the asked window, cut at today, since every
    /// analysis reads the records as of today.
    pub window: Window,
    /// The window's end as asked (`--until`, else today): recency and the
    /// lifecycle's "older than" are measured from here.
    pub end: Date,
}

impl Period {
    pub fn new(asked: Window, today: Date) -> Period {
        Period {
            window: Window {
                since: asked.since,
                until: asked.until.min(today),
            },
            end: asked.until,
        }
    }

    /// Everything up to today, ages measured at today.
    pub fn all_time(today: Date) -> Period {
        Period::new(Window::all_time(today), today)
    }
}

/// One customer's figures over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Shared: the report page hands the same facts to several analyses.
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub revenue: Money,
    pub cost: Money,
    /// Distinct purchase days in the window.
    pub occasions: usize,
    /// The last purchase day in the window.
    pub last_purchase: Option<Date>,
    /// Judged at the period's end from every purchase up to it, before the
    /// window's start too: a loyal customer stays loyal in a short window.
    pub lifecycle: Lifecycle,
}

impl Facts {
    pub fn of(record: &Record, config: &Config, period: Period) -> Facts {
        let t = totals(record, config, period.window);
        let all = lifecycle::purchase_occasions(record, None, period.window.until);
        // The occasions are in order, so those in the window are a suffix.
        let start = period
            .window
            .since
            .map_or(0, |s| all.partition_point(|d| *d < s));
        let in_window = &all[start..];
        Facts {
            id: record.id.as_str().into(),
            name: record.name.as_str().into(),
            revenue: t.revenue,
            cost: t.cost,
            occasions: in_window.len(),
            last_purchase: in_window.last().copied(),
            lifecycle: lifecycle::classify(
                &all,
                lifecycle::every_deal_lost(record),
                &config.lifecycle,
                period.end,
            ),
        }
    }

    pub fn profit(&self) -> Money {
        self.revenue - self.cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::When;
    use crate::date::testing::d;
    use crate::record::Interaction;

    fn buy(rec: &mut Record, day: &str, amount: &str) {
        let mut i = Interaction::new(When::day(d(day)), "purchase");
        i.amount = Some(Money::parse(amount).unwrap());
        rec.interactions.push(i);
    }

    fn window(since: Option<&str>, until: &str) -> Window {
        Window {
            since: since.map(d),
            until: d(until),
        }
    }

    /// Purchases on 1 Mar (100), 1 Mar again (50), 10 Mar (200), a refund
    /// on 20 Mar (-30), and 1 Apr (400), which is after today (25 Mar).
    fn sample() -> Record {
        let mut r = Record::new("acme", "Acme");
        buy(&mut r, "2026-03-01", "100");
        buy(&mut r, "2026-03-01", "50");
        buy(&mut r, "2026-03-10", "200");
        r.interactions
            .push(Interaction::new(When::day(d("2026-03-20")), "refund"));
        r.interactions[3].amount = Some(Money::parse("-30").unwrap());
        buy(&mut r, "2026-04-01", "400");
        r
    }

    #[test]
    fn all_time_counts_days_not_purchases_and_ignores_the_future() {
        let f = Facts::of(
            &sample(),
            &Config::default(),
            Period::all_time(d("2026-03-25")),
        );
        // 100 + 50 + 200 - 30; the 400 of 1 April is after today.
        assert_eq!(f.revenue.to_string(), "320.00");
        assert_eq!(f.occasions, 2);
        assert_eq!(f.last_purchase, Some(d("2026-03-10")));
        assert_eq!(f.lifecycle, Lifecycle::Repeat);
    }

    #[test]
    fn window_ends_are_inclusive() {
        let today = d("2026-03-25");
        let p = Period::new(window(Some("2026-03-01"), "2026-03-10"), today);
        let f = Facts::of(&sample(), &Config::default(), p);
        assert_eq!(f.revenue.to_string(), "350.00");
        assert_eq!(f.occasions, 2);
        let p = Period::new(window(Some("2026-03-02"), "2026-03-09"), today);
        let f = Facts::of(&sample(), &Config::default(), p);
        assert_eq!(f.revenue, Money::ZERO);
        assert_eq!((f.occasions, f.last_purchase), (0, None));
    }

    #[test]
    fn lifecycle_looks_before_the_window_start() {
        // Only the 10 March purchase is in the window, yet the customer has
        // two occasions up to its end: repeat, not new.
        let p = Period::new(window(Some("2026-03-05"), "2026-03-25"), d("2026-03-25"));
        let f = Facts::of(&sample(), &Config::default(), p);
        assert_eq!(f.occasions, 1);
        assert_eq!(f.lifecycle, Lifecycle::Repeat);
    }

    #[test]
    fn an_end_after_today_counts_nothing_later_but_ages_from_the_end() {
        let p = Period::new(window(None, "2026-12-31"), d("2026-03-25"));
        assert_eq!(p.window.until, d("2026-03-25"));
        let f = Facts::of(&sample(), &Config::default(), p);
        assert_eq!(f.revenue.to_string(), "320.00");
        // 10 March to 31 December is 296 days: older than 180d.
        assert_eq!(f.lifecycle, Lifecycle::AtRisk);
    }
}

//! Revenue, cost and profit of one customer over a window of days.

use crate::config::Config;
use crate::date::Date;
use crate::money::Money;
use crate::record::Record;

/// Days from `since` (inclusive, or the beginning of time) to `until`
/// (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: Option<Date>,
    pub until: Date,
}

impl Window {
    /// Everything up to and including `today`.
    pub fn all_time(today: Date) -> Window {
        Window {
            since: None,
            until: today,
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        d <= self.until && self.since.is_none_or(|s| d >= s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub revenue: Money,
    pub cost: Money,
}

impl Totals {
    pub fn profit(&self) -> Money {
        self.revenue - self.cost
    }
}

/// The first day with a purchase (a positive amount), up to `until`.
pub fn first_purchase(record: &Record, until: Date) -> Option<Date> {
    record
        .interactions
        .iter()
        .filter(|i| i.is_purchase() && i.date.date <= until)
        .map(|i| i.date.date)
        .min()
}

/// Revenue: the interactions' amounts in the window. Cost: their `cost`, plus
/// the kith.yaml cost of each one's kind, plus the acquisition cost when the
/// first purchase falls in the window (always, in an all-time window).
pub fn totals(record: &Record, config: &Config, window: Window) -> Totals {
    let mut t = Totals::default();
    for i in record
        .interactions
        .iter()
        .filter(|i| window.contains(i.date.date))
    {
        if let Some(a) = i.amount {
            t.revenue += a;
        }
        if let Some(c) = i.cost {
            t.cost += c;
        }
        t.cost += config.kind_cost(&i.kind);
    }
    if let Some(acq) = record.acquisition_cost {
        let counts = match window.since {
            None => true,
            Some(_) => first_purchase(record, window.until).is_some_and(|d| window.contains(d)),
        };
        if counts {
            t.cost += acq;
        }
    }
    t
}

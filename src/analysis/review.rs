//! `review`: what changed in a window, from the records' own dated entries —
//! customers new, deals opened, advanced, won and lost, tasks done and
//! overdue, payments, complaints, lifecycles that changed — and the weighted
//! pipeline at both ends.

use crate::analysis::lifecycle;
use crate::config::Config;
use crate::date::Date;
use crate::money::Money;
use crate::record::{Deal, Outcome, Record, text_enum};

text_enum!(
    /// The kinds of event, in the order rows of one day list them.
    Kind "event kind" {
        NewCustomer = "new-customer",
        DealOpened = "deal-opened",
        DealAdvanced = "deal-advanced",
        DealWon = "deal-won",
        DealLost = "deal-lost",
        TaskDone = "task-done",
        TaskOverdue = "task-overdue",
        Payment = "payment",
        Complaint = "complaint",
        Lifecycle = "lifecycle",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: Date,
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub what: String,
    pub amount: Option<Money>,
}

/// The days reviewed, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub first: Date,
    pub last: Date,
    pub today: Date,
}

impl Days {
    /// Whether an entry dated `d` is in the window and not after today.
    fn holds(self, d: Date) -> bool {
        self.first <= d && d <= self.last && d <= self.today
    }

    /// The day the window's start is judged at: the day before its first.
    pub fn before(self) -> Date {
        self.first.pred_opt().unwrap_or(self.first)
    }

    /// The day its end is judged at: its last day, or today if earlier.
    pub fn end(self) -> Date {
        self.last.min(self.today)
    }
}

/// What one customer contributes: its events and its weighted pipeline at
/// both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub events: Vec<Event>,
    pub pipeline_start: Money,
    pub pipeline_end: Money,
}

pub fn customer(r: &Record, config: &Config, days: Days) -> Review {
    let mut events = Vec::new();
    let event = |date, kind, what: String, amount| Event {
        date,
        kind,
        id: r.id.clone(),
        name: r.name.clone(),
        owner: r.owner.clone(),
        what,
        amount,
    };
    if let Some(first) = first_entry(r)
        && days.holds(first)
    {
        events.push(event(first, Kind::NewCustomer, String::new(), None));
    }
    for d in &r.deals {
        deal_events(d, days, &mut |date, kind, what, amount| {
            events.push(event(date, kind, what, amount));
        });
    }
    for t in &r.tasks {
        if let Some(done) = t.done.filter(|d| days.holds(*d)) {
            events.push(event(done, Kind::TaskDone, t.what.clone(), None));
        }
        let open_today = t.done.is_none_or(|d| d > days.today);
        if open_today && days.holds(t.due) && t.due < days.today {
            events.push(event(t.due, Kind::TaskOverdue, t.what.clone(), None));
        }
    }
    for i in &r.interactions {
        let day = i.date.date;
        if !days.holds(day) {
            continue;
        }
        let what = || i.summary.clone().unwrap_or_else(|| i.kind.clone());
        if i.is_purchase() {
            events.push(event(day, Kind::Payment, what(), i.amount));
        }
        if i.kind == "complaint" {
            events.push(event(day, Kind::Complaint, what(), None));
        }
    }
    let before = lifecycle::lifecycle(r, &config.lifecycle, days.before());
    let after = lifecycle::lifecycle(r, &config.lifecycle, days.last);
    if before != after {
        let what = format!("{} → {}", before.as_str(), after.as_str());
        events.push(event(days.last, Kind::Lifecycle, what, None));
    }
    Review {
        events,
        pipeline_start: r
            .deals
            .iter()
            .map(|d| weighted_at(d, config, days.before()))
            .sum(),
        pipeline_end: r
            .deals
            .iter()
            .map(|d| weighted_at(d, config, days.end()))
            .sum(),
    }
}

/// The customer's first dated entry of any kind.
fn first_entry(r: &Record) -> Option<Date> {
    let interactions = r.interactions.iter().map(|i| i.date.date);
    let history = r
        .deals
        .iter()
        .flat_map(|d| d.history.iter().map(|h| h.date));
    let invoices = r
        .deals
        .iter()
        .flat_map(|d| d.invoices.iter().map(|i| i.date));
    let tasks = r
        .tasks
        .iter()
        .flat_map(|t| std::iter::once(t.due).chain(t.done));
    interactions
        .chain(history)
        .chain(invoices)
        .chain(tasks)
        .min()
}

/// A deal's opening, stage changes, win and loss in the window.
fn deal_events(d: &Deal, days: Days, emit: &mut dyn FnMut(Date, Kind, String, Option<Money>)) {
    let title = d.title.as_deref().unwrap_or(&d.id);
    let mut stage: Option<&str> = None;
    for (n, h) in d.history.iter().enumerate() {
        let inside = days.holds(h.date);
        if n == 0 && inside {
            emit(
                h.date,
                Kind::DealOpened,
                format!("{}: {title}", d.id),
                d.value,
            );
        }
        if let Some(to) = h.stage.as_deref() {
            if let Some(from) = stage.filter(|_| inside && n > 0)
                && from != to
            {
                emit(
                    h.date,
                    Kind::DealAdvanced,
                    format!("{}: {from} → {to}", d.id),
                    None,
                );
            }
            stage = Some(to);
        }
        match h.outcome {
            Some(Outcome::Won) if inside => {
                emit(h.date, Kind::DealWon, format!("{}: {title}", d.id), d.value);
            }
            Some(Outcome::Lost) if inside => {
                let reason = d.lost_reason.as_deref().unwrap_or("no reason given");
                emit(
                    h.date,
                    Kind::DealLost,
                    format!("{}: {reason}", d.id),
                    d.value,
                );
            }
            _ => {}
        }
    }
}

/// A deal's value weighted by the probability of its stage on `day`, when it
/// was open then; a deal without history counts as it stands.
pub fn weighted_at(d: &Deal, config: &Config, day: Date) -> Money {
    let (stage, open) = if d.history.is_empty() {
        (Some(d.stage.as_str()), d.is_open())
    } else {
        let known: Vec<_> = d.history.iter().filter(|h| h.date <= day).collect();
        if known.is_empty() {
            return Money::ZERO;
        }
        let stage = known.iter().rev().find_map(|h| h.stage.as_deref());
        let outcome = known.iter().rev().find_map(|h| h.outcome);
        (stage, outcome.is_none_or(|o| o == Outcome::Open))
    };
    match (stage.and_then(|s| config.stage(s)), open) {
        (Some(s), true) => d
            .value
            .unwrap_or(Money::ZERO)
            .times_basis_points(s.probability.0),
        _ => Money::ZERO,
    }
}

/// By date, then kind, then id (then text).
pub fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| (a.date, a.kind, &a.id, &a.what).cmp(&(b.date, b.kind, &b.id, &b.what)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::When;
    use crate::date::testing::d;
    use crate::record::{HistoryEntry, Interaction, Task};

    fn days() -> Days {
        Days {
            first: d("2026-11-17"),
            last: d("2026-11-23"),
            today: d("2026-11-23"),
        }
    }

    fn record() -> Record {
        let mut r = Record::new("acme", "Acme");
        r.owner = Some("li".into());
        let mut deal = Deal::open(
            "erp".into(),
            Some("ERP".into()),
            Some(Money::parse("1000").unwrap()),
            "needs".into(),
            d("2026-10-01"),
        );
        deal.stage = "proposal".into();
        deal.history
            .push(HistoryEntry::reached("proposal", d("2026-11-18")));
        r.deals.push(deal);
        let mut buy = Interaction::new(When::day(d("2026-11-20")), "purchase");
        buy.amount = Some(Money::parse("50").unwrap());
        r.interactions.push(buy);
        r.tasks.push(Task::new(d("2026-11-19"), "Call back"));
        r.tasks.push(Task::new(d("2026-11-23"), "Due today"));
        r
    }

    fn listed(review: &Review) -> Vec<String> {
        let mut events = review.events.clone();
        sort(&mut events);
        events
            .iter()
            .map(|e| format!("{} {} {}", e.date, e.kind, e.what))
            .collect()
    }

    #[test]
    fn a_week_of_changes() {
        let review = customer(&record(), &Config::default(), days());
        assert_eq!(
            listed(&review),
            [
                "2026-11-18 deal-advanced erp: needs → proposal",
                "2026-11-19 task-overdue Call back",
                "2026-11-20 payment purchase",
                "2026-11-23 lifecycle prospect → new",
            ]
        );
        // 35% of 1000 before, 50% after.
        assert_eq!(review.pipeline_start.to_string(), "350.00");
        assert_eq!(review.pipeline_end.to_string(), "500.00");
    }

    #[test]
    fn a_customer_whose_first_entry_is_in_the_window_is_new() {
        let mut r = record();
        r.deals[0].history[0].date = d("2026-11-17");
        let review = customer(&r, &Config::default(), days());
        let got = listed(&review);
        assert_eq!(got[0], "2026-11-17 new-customer ");
        assert_eq!(got[1], "2026-11-17 deal-opened erp: ERP");
        assert_eq!(review.pipeline_start, Money::ZERO);
    }
}

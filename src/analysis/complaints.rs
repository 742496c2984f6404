//! Complaints as cases: open from the day they come in until resolved, and
//! the `feedback` report of ratings, complaints and refunds. Pure.
//!
//! A complaint written before cases existed (no `status:`) counts as
//! resolved on its own date; a complaint resolved after a given day was
//! still open on it.

use std::collections::BTreeMap;

use crate::analysis::value::Window;
use crate::date::{Date, days_between};
use crate::money::Money;
use crate::record::{self, CaseStatus, Interaction, Record};

pub const KIND: &str = "complaint";

pub fn is_complaint(i: &Interaction) -> bool {
    i.kind == KIND
}

/// The day a complaint was resolved, if it is: its `resolved:` date, or its
/// own date when it has no status (or a resolved status without a date).
pub fn resolved_on(i: &Interaction) -> Option<Date> {
    match i.status {
        Some(CaseStatus::Open) => None,
        Some(CaseStatus::Resolved) | None => Some(i.resolved.unwrap_or(i.date.date)),
    }
}

/// Whether a complaint that had come in by `day` was still open on it.
pub fn open_on(i: &Interaction, day: Date) -> bool {
    is_complaint(i) && i.date.date <= day && resolved_on(i).is_none_or(|r| r > day)
}

/// The customer's complaints with their numbers, in list order. A number
/// stored in the complaint (`number:`, which kith writes when it logs one)
/// is its number for good; complaints without one (written by hand, or
/// before kith stored numbers) take, in date order, the lowest numbers no
/// complaint stores, as tasks do.
pub fn numbered(r: &Record) -> impl Iterator<Item = (usize, &Interaction)> {
    numbered_places(r).map(|(n, at)| (n, &r.interactions[at]))
}

/// Each complaint's number and its place in `interactions`, in list order.
pub fn numbered_places(r: &Record) -> impl Iterator<Item = (usize, usize)> {
    let places: Vec<usize> = (0..r.interactions.len())
        .filter(|&at| is_complaint(&r.interactions[at]))
        .collect();
    let case = |k: usize| &r.interactions[places[k]];
    let stored: Vec<Option<u32>> = places.iter().map(|&at| r.interactions[at].number).collect();
    let numbers = record::numbers_of(&stored, |k| (case(k).date, case(k).canonical_text()));
    numbers.into_iter().map(|n| n as usize).zip(places)
}

/// A complaint as messages name it: its date and summary.
pub fn label(i: &Interaction) -> String {
    match &i.summary {
        Some(s) => format!("{} {s}", i.date).trim_end().to_string(),
        None => i.date.to_string(),
    }
}

/// The number the next complaint gets: one above every number in use.
pub fn next_number(r: &Record) -> u32 {
    let top = numbered(r).map(|(n, _)| n).max().unwrap_or(0);
    u32::try_from(top).unwrap_or(u32::MAX).saturating_add(1)
}

/// Numbers held by more than one complaint (after a merge of two clones
/// that each logged one), each with the complaints holding it.
pub fn shared_numbers(r: &Record) -> Vec<(usize, Vec<&Interaction>)> {
    let mut by_number: std::collections::BTreeMap<usize, Vec<&Interaction>> =
        std::collections::BTreeMap::new();
    for (n, i) in numbered(r) {
        by_number.entry(n).or_default().push(i);
    }
    by_number
        .into_iter()
        .filter(|(_, is)| is.len() > 1)
        .collect()
}

/// The complaints open on `day`, numbered.
pub fn open(r: &Record, day: Date) -> impl Iterator<Item = (usize, &Interaction)> {
    numbered(r).filter(move |(_, i)| open_on(i, day))
}

/// What `feedback` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Customer,
    Owner,
    Kind,
    Product,
}

/// One row of the feedback report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub key: String,
    /// The customer's name with `By::Customer`, else empty.
    pub name: String,
    pub interactions: u64,
    pub rated: u64,
    rating_sum: u64,
    pub complaints: u64,
    pub resolved: u64,
    pub open: u64,
    days_to_resolve: Vec<i64>,
    pub refunds: u64,
    /// The refunds' amounts as a positive sum.
    pub refunded: Money,
}

impl Row {
    /// The average rating with two decimals (halves away from zero), `None`
    /// when nothing was rated.
    pub fn average_rating(&self) -> Option<String> {
        if self.rated == 0 {
            return None;
        }
        let hundredths = (self.rating_sum * 200 + self.rated) / (2 * self.rated);
        Some(format!("{}.{:02}", hundredths / 100, hundredths % 100))
    }

    /// The median of the days complaints took to be resolved, with one
    /// decimal; `None` when none was resolved.
    pub fn median_days_to_resolve(&self) -> Option<String> {
        let mut days = self.days_to_resolve.clone();
        if days.is_empty() {
            return None;
        }
        days.sort_unstable();
        let n = days.len();
        let twice = if n % 2 == 1 {
            2 * days[n / 2]
        } else {
            days[n / 2 - 1] + days[n / 2]
        };
        let half = if twice.rem_euclid(2) == 1 { 5 } else { 0 };
        Some(format!("{}.{half}", twice.div_euclid(2)))
    }
}

/// The feedback report: one row per key with an interaction in the window,
/// in byte order of the keys. Complaints count in the window of their own
/// date; resolved and open are as of the window's end.
pub struct Feedback {
    by: By,
    window: Window,
    rows: BTreeMap<String, Row>,
}

impl Feedback {
    pub fn new(by: By, window: Window) -> Feedback {
        Feedback {
            by,
            window,
            rows: BTreeMap::new(),
        }
    }

    /// Counts the interactions of one customer.
    pub fn add(&mut self, r: &Record) {
        let until = self.window.until;
        for i in r
            .interactions
            .iter()
            .filter(|i| self.window.contains(i.date.date))
        {
            let key = match self.by {
                By::Customer => r.id.clone(),
                By::Owner => r.owner.clone().unwrap_or_default(),
                By::Kind => i.kind.clone(),
                By::Product => i.product.clone().unwrap_or_default(),
            };
            let row = self.rows.entry(key).or_insert_with_key(|key| Row {
                key: key.clone(),
                ..Row::default()
            });
            if self.by == By::Customer {
                row.name.clone_from(&r.name);
            }
            row.interactions += 1;
            if let Some(rating) = i.rating {
                row.rated += 1;
                row.rating_sum += u64::from(rating);
            }
            if is_complaint(i) {
                row.complaints += 1;
                match resolved_on(i).filter(|d| *d <= until) {
                    Some(day) => {
                        row.resolved += 1;
                        row.days_to_resolve
                            .push(days_between(i.date.date, day).max(0));
                    }
                    None => row.open += 1,
                }
            }
            if i.kind == "refund" {
                row.refunds += 1;
                row.refunded += i.amount.unwrap_or(Money::ZERO).abs();
            }
        }
    }

    /// Adds the counts of another report over other customers.
    pub fn merge(&mut self, other: Feedback) {
        for (key, row) in other.rows {
            match self.rows.get_mut(&key) {
                None => {
                    self.rows.insert(key, row);
                }
                Some(mine) => {
                    if mine.name.is_empty() {
                        mine.name = row.name;
                    }
                    mine.interactions += row.interactions;
                    mine.rated += row.rated;
                    mine.rating_sum += row.rating_sum;
                    mine.complaints += row.complaints;
                    mine.resolved += row.resolved;
                    mine.open += row.open;
                    mine.days_to_resolve.extend(row.days_to_resolve);
                    mine.refunds += row.refunds;
                    mine.refunded += row.refunded;
                }
            }
        }
    }

    pub fn rows(self) -> Vec<Row> {
        self.rows.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::When;

    fn d(s: &str) -> Date {
        crate::date::parse_iso(s).unwrap()
    }

    fn complaint(date: &str, status: Option<CaseStatus>, resolved: Option<&str>) -> Interaction {
        let mut i = Interaction::new(When::day(d(date)), KIND);
        i.status = status;
        i.resolved = resolved.map(d);
        i
    }

    #[test]
    fn a_complaint_is_open_until_the_day_it_is_resolved() {
        let c = complaint("2026-11-10", Some(CaseStatus::Resolved), Some("2026-11-15"));
        assert!(!open_on(&c, d("2026-11-09")));
        assert!(open_on(&c, d("2026-11-14")));
        assert!(!open_on(&c, d("2026-11-15")));
        let open = complaint("2026-11-10", Some(CaseStatus::Open), None);
        assert!(open_on(&open, d("2027-01-01")));
        // Written before cases existed: resolved on its own date.
        let old = complaint("2026-11-10", None, None);
        assert!(!open_on(&old, d("2026-11-10")));
        assert_eq!(resolved_on(&old), Some(d("2026-11-10")));
    }

    #[test]
    fn complaints_keep_their_numbers_when_one_is_resolved() {
        let mut r = Record::new("acme", "Acme");
        r.interactions = vec![
            complaint("2026-11-01", Some(CaseStatus::Resolved), Some("2026-11-02")),
            Interaction::new(When::day(d("2026-11-03")), "call"),
            complaint("2026-11-04", Some(CaseStatus::Open), None),
        ];
        let open: Vec<usize> = open(&r, d("2026-11-23")).map(|(n, _)| n).collect();
        assert_eq!(open, vec![2]);
    }

    #[test]
    fn averages_and_medians_round_as_documented() {
        let row = Row {
            rated: 3,
            rating_sum: 13,
            days_to_resolve: vec![1, 4],
            ..Row::default()
        };
        assert_eq!(row.average_rating().as_deref(), Some("4.33"));
        assert_eq!(row.median_days_to_resolve().as_deref(), Some("2.5"));
        let row = Row {
            rated: 8,
            rating_sum: 37,
            days_to_resolve: vec![3, 0, 9],
            ..Row::default()
        };
        // 4.625 rounds half away from zero.
        assert_eq!(row.average_rating().as_deref(), Some("4.63"));
        assert_eq!(row.median_days_to_resolve().as_deref(), Some("3.0"));
        assert_eq!(Row::default().average_rating(), None);
        assert_eq!(Row::default().median_days_to_resolve(), None);
    }

    #[test]
    fn feedback_counts_complaints_in_their_window_and_states_at_its_end() {
        let mut r = Record::new("acme", "Acme");
        let mut refund = Interaction::new(When::day(d("2026-11-05")), "refund");
        refund.amount = Some(Money::from_cents(-50_000));
        let mut rated = Interaction::new(When::day(d("2026-11-06")), "feedback");
        rated.rating = Some(4);
        r.interactions = vec![
            complaint("2026-10-01", Some(CaseStatus::Open), None),
            complaint("2026-11-01", Some(CaseStatus::Resolved), Some("2026-11-03")),
            complaint("2026-11-02", Some(CaseStatus::Resolved), Some("2026-12-01")),
            refund,
            rated,
        ];
        let window = Window {
            since: Some(d("2026-11-01")),
            until: d("2026-11-23"),
        };
        let mut f = Feedback::new(By::Customer, window);
        f.add(&r);
        let rows = f.rows();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.key.as_str(), row.name.as_str()), ("acme", "Acme"));
        assert_eq!(row.interactions, 4);
        assert_eq!((row.complaints, row.resolved, row.open), (2, 1, 1));
        assert_eq!(row.median_days_to_resolve().as_deref(), Some("2.0"));
        assert_eq!(
            (row.refunds, row.refunded.to_string().as_str()),
            (1, "500.00")
        );
        assert_eq!(row.average_rating().as_deref(), Some("4.00"));
    }
}

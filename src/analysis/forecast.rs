//! `forecast`: per month or quarter and owner, the open deals expected to
//! close in it (by their `close` date), the deals won in it, and the owner's
//! target, attainment and gap. Open deals whose close date has passed count
//! in an `overdue` row, listed first.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::date::Date;
use crate::money::Money;
use crate::period::{CalendarPeriod, Granularity};
use crate::record::{Outcome, Record};

/// The owner of the row that sums a period's owners.
pub const TEAM: &str = "all";

/// What the forecast keeps of one deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealLine {
    /// The customer's owner; empty when it has none.
    pub owner: String,
    pub value: Money,
    pub weighted: Money,
    pub when: Expected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// An open deal expected to close on this day.
    Open(Date),
    /// A deal won on this day.
    Won(Date),
}

/// The deals of a record the forecast counts: open ones with a `close`
/// date, and won ones (as of today).
pub fn deal_lines(r: &Record, config: &Config, today: Date) -> Vec<DealLine> {
    let owner = r.owner.clone().unwrap_or_default();
    r.deals
        .iter()
        .filter_map(|d| {
            let when = match d.outcome() {
                Outcome::Open => Expected::Open(d.close?),
                Outcome::Won => Expected::Won(d.closed().filter(|w| *w <= today)?),
                Outcome::Lost => return None,
            };
            let value = d.value.unwrap_or(Money::ZERO);
            let probability = config.stage(&d.stage).map_or(0, |s| s.probability.0);
            Some(DealLine {
                owner: owner.clone(),
                value,
                weighted: value.times_basis_points(probability),
                when,
            })
        })
        .collect()
}

/// The row's period: `overdue`, or a month or quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Overdue,
    Period(CalendarPeriod),
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Overdue => f.write_str("overdue"),
            Slot::Period(p) => p.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub slot: Slot,
    pub owner: String,
    pub open_deals: usize,
    pub value: Money,
    pub weighted_value: Money,
    pub won_deals: usize,
    pub won_value: Money,
    pub target: Option<Money>,
}

impl Row {
    fn new(slot: Slot, owner: &str) -> Row {
        Row {
            slot,
            owner: owner.to_string(),
            open_deals: 0,
            value: Money::ZERO,
            weighted_value: Money::ZERO,
            won_deals: 0,
            won_value: Money::ZERO,
            target: None,
        }
    }

    /// won_value / target with four decimals, halves away from zero; None
    /// without a target (or a target of zero).
    pub fn attainment(&self) -> Option<String> {
        let target = self.target?.cents();
        if target == 0 {
            return None;
        }
        let won = self.won_value.cents();
        let scaled = won * 10_000;
        let (q, r) = (scaled / target, scaled % target);
        let away = (2 * r.abs() >= target.abs()) as i128;
        let negative = (scaled < 0) != (target < 0);
        let q = if negative { q - away } else { q + away };
        let sign = if q < 0 { "-" } else { "" };
        Some(format!(
            "{sign}{}.{:04}",
            q.abs() / 10_000,
            q.abs() % 10_000
        ))
    }

    /// target − won_value; None without a target.
    pub fn gap(&self) -> Option<Money> {
        self.target.map(|t| t - self.won_value)
    }

    fn add(&mut self, line: &DealLine) {
        match line.when {
            Expected::Open(_) => {
                self.open_deals += 1;
                self.value += line.value;
                self.weighted_value += line.weighted;
            }
            Expected::Won(_) => {
                self.won_deals += 1;
                self.won_value += line.value;
            }
        }
    }
}

/// What a forecast covers.
pub struct Span<'a> {
    pub granularity: Granularity,
    /// The periods shown, in order.
    pub periods: &'a [CalendarPeriod],
    pub today: Date,
    /// `--owner`: only this owner's targets count.
    pub owner: Option<&'a str>,
}

/// The rows: `overdue` first when it has deals, then each period; within
/// one, a row per owner with a deal or a target in it (byte order), then
/// the team's row.
pub fn forecast(lines: &[DealLine], targets: &Targets, span: &Span) -> Vec<Row> {
    let mut cells: BTreeMap<(Slot, &str), Row> = BTreeMap::new();
    let shown: BTreeSet<CalendarPeriod> = span.periods.iter().copied().collect();
    for line in lines {
        let slot = match line.when {
            Expected::Open(close) if close < span.today => Slot::Overdue,
            Expected::Open(day) | Expected::Won(day) => {
                let p = CalendarPeriod::of(day, span.granularity);
                if !shown.contains(&p) {
                    continue;
                }
                Slot::Period(p)
            }
        };
        cells
            .entry((slot, line.owner.as_str()))
            .or_insert_with(|| Row::new(slot, &line.owner))
            .add(line);
    }
    for (owner, by_period) in targets {
        if span.owner.is_some_and(|o| o != owner) {
            continue;
        }
        for (period, amount) in by_period {
            if !shown.contains(period) {
                continue;
            }
            let slot = Slot::Period(*period);
            cells
                .entry((slot, owner.as_str()))
                .or_insert_with(|| Row::new(slot, owner))
                .target = Some(*amount);
        }
    }
    let mut slots: Vec<Slot> = Vec::new();
    if cells.keys().any(|(s, _)| *s == Slot::Overdue) {
        slots.push(Slot::Overdue);
    }
    slots.extend(span.periods.iter().map(|p| Slot::Period(*p)));
    let mut rows = Vec::new();
    for slot in slots {
        let mut team = Row::new(slot, TEAM);
        for ((_, _), row) in cells
            .range((slot, "")..)
            .take_while(|((s, _), _)| *s == slot)
        {
            team.open_deals += row.open_deals;
            team.value += row.value;
            team.weighted_value += row.weighted_value;
            team.won_deals += row.won_deals;
            team.won_value += row.won_value;
            if let Some(t) = row.target {
                team.target = Some(team.target.unwrap_or(Money::ZERO) + t);
            }
            rows.push(row.clone());
        }
        rows.push(team);
    }
    rows
}

/// kith.yaml `targets:`, per owner and period.
pub type Targets = BTreeMap<String, BTreeMap<CalendarPeriod, Money>>;

/// The periods from the one holding `since` to the one holding `until`.
pub fn periods(since: Date, until: Date, granularity: Granularity) -> Vec<CalendarPeriod> {
    let last = CalendarPeriod::of(until, granularity);
    let mut p = CalendarPeriod::of(since, granularity);
    let mut out = Vec::new();
    while p <= last {
        out.push(p);
        p = p.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::d;
    use crate::money::testing::m;

    fn line(owner: &str, value: &str, when: Expected) -> DealLine {
        DealLine {
            owner: owner.into(),
            value: m(value),
            weighted: m(value).times_basis_points(5000),
            when,
        }
    }

    fn p(s: &str) -> CalendarPeriod {
        CalendarPeriod::parse(s).unwrap()
    }

    fn summary(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                format!(
                    "{} {} {} {} {} {} {} {}",
                    r.slot,
                    r.owner,
                    r.open_deals,
                    r.value,
                    r.won_value,
                    r.target.map(|t| t.to_string()).unwrap_or_default(),
                    r.attainment().unwrap_or_default(),
                    r.gap().map(|g| g.to_string()).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn deals_fall_in_their_quarter_and_late_ones_are_overdue() {
        let periods = [p("2026-Q4"), p("2027-Q1")];
        let span = Span {
            granularity: Granularity::Quarter,
            periods: &periods,
            today: d("2026-11-23"),
            owner: None,
        };
        let lines = [
            line("li", "100", Expected::Open(d("2026-12-31"))),
            line("li", "200", Expected::Open(d("2027-01-01"))),
            line("wang", "50", Expected::Open(d("2026-11-22"))),
            line("wang", "300", Expected::Won(d("2026-10-01"))),
            line("wang", "999", Expected::Won(d("2026-09-30"))),
        ];
        let mut targets = Targets::new();
        targets
            .entry("wang".into())
            .or_default()
            .insert(p("2026-Q4"), m("900"));
        targets
            .entry("zhao".into())
            .or_default()
            .insert(p("2027-Q1"), m("10"));
        targets
            .entry("li".into())
            .or_default()
            .insert(p("2026-12"), m("77"));
        assert_eq!(
            summary(&forecast(&lines, &targets, &span)),
            [
                "overdue wang 1 50.00 0.00   ",
                "overdue all 1 50.00 0.00   ",
                "2026-Q4 li 1 100.00 0.00   ",
                "2026-Q4 wang 0 0.00 300.00 900.00 0.3333 600.00",
                "2026-Q4 all 1 100.00 300.00 900.00 0.3333 600.00",
                "2027-Q1 li 1 200.00 0.00   ",
                "2027-Q1 zhao 0 0.00 0.00 10.00 0.0000 10.00",
                "2027-Q1 all 1 200.00 0.00 10.00 0.0000 10.00",
            ]
        );
    }

    #[test]
    fn an_owner_filter_drops_the_other_owners_targets() {
        let periods = [p("2026-11")];
        let span = Span {
            granularity: Granularity::Month,
            periods: &periods,
            today: d("2026-11-23"),
            owner: Some("li"),
        };
        let mut targets = Targets::new();
        targets
            .entry("wang".into())
            .or_default()
            .insert(p("2026-11"), m("900"));
        let rows = forecast(&[], &targets, &span);
        assert_eq!(summary(&rows), ["2026-11 all 0 0.00 0.00   "]);
    }

    #[test]
    fn attainment_rounds_half_away_from_zero() {
        let mut row = Row::new(Slot::Overdue, "x");
        row.target = Some(m("3"));
        row.won_value = m("2");
        assert_eq!(row.attainment().as_deref(), Some("0.6667"));
        row.target = Some(m("20000"));
        row.won_value = m("1");
        // 0.00005 exactly: away from zero.
        assert_eq!(row.attainment().as_deref(), Some("0.0001"));
        row.won_value = m("30000");
        assert_eq!(row.attainment().as_deref(), Some("1.5000"));
        assert_eq!(row.gap(), Some(m("-10000")));
    }

    #[test]
    fn periods_run_from_since_to_until() {
        let ps = periods(d("2026-11-23"), d("2027-01-05"), Granularity::Month);
        let names: Vec<String> = ps.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["2026-11", "2026-12", "2027-01"]);
    }
}

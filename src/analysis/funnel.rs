//! The sales funnel (docs/daily-use.md): per stage the open deals and their
//! weighted value, how many deals reached it, the conversion to the next
//! stage, the median days spent in it and the deals lost at it; then the lost
//! deals by reason and by competitor.
//!
//! Each deal is first reduced to `DealFacts` (as of today: history entries
//! dated later are ignored), so that a whole-folder scan keeps a few numbers
//! per deal instead of the records.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::Window;
use crate::config::{BasisPoints, Config};
use crate::date::{self, Date};
use crate::money::Money;
use crate::record::{Deal, HistoryEntry, Outcome, Record};

/// What the funnel needs to know of one deal, as of today. Stages are
/// positions in the folder's funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct DealFacts {
    /// The first history entry's date; `None` for a deal without history.
    pub opened: Option<Date>,
    pub value: Money,
    pub stage: usize,
    pub outcome: Outcome,
    /// The highest stage it ever reached; it has reached every stage below.
    pub reached: usize,
    /// Days spent in each stage it has left, visits summed.
    pub left: Vec<(usize, i64)>,
    pub lost_reason: Option<String>,
    pub competitor: Option<String>,
}

/// One row of the funnel table.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRow {
    pub stage: usize,
    /// Open deals now at this stage, their value and weighted value.
    pub deals: usize,
    pub value: Money,
    pub weighted_value: Money,
    pub reached: usize,
    /// reached(next) / reached(this); `None` for the last stage and when no
    /// deal reached this one.
    pub conversion: Option<BasisPoints>,
    pub median_days: Option<HalfDays>,
    pub lost: usize,
}

/// Lost deals sharing a reason or a competitor (`None`: not recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct LostRow {
    pub name: Option<String>,
    pub deals: usize,
    pub value: Money,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    pub stages: Vec<StageRow>,
    pub by_reason: Vec<LostRow>,
    pub by_competitor: Vec<LostRow>,
}

/// A number of days in halves, as a median of an even count can be:
/// printed `12` or `12.5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HalfDays(pub i64);

impl fmt::Display for HalfDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let half = if self.0 % 2 == 0 { "" } else { ".5" };
        write!(f, "{}{half}", self.0 / 2)
    }
}

/// The deal as of `today`, or `None` when it opened after today. When no
/// history entry is cut off, the deal's `stage` and `outcome` keys say where
/// it stands; otherwise its history up to today does.
pub fn deal_facts(deal: &Deal, config: &Config, today: Date) -> Option<DealFacts> {
    let field_stage = config.stage_index(&deal.stage)?;
    let mut history: Vec<&HistoryEntry> = deal.history.iter().collect();
    history.sort_by_key(|h| h.date);
    let kept: Vec<&HistoryEntry> = history
        .iter()
        .copied()
        .filter(|h| h.date <= today)
        .collect();
    if kept.is_empty() && !history.is_empty() {
        return None;
    }
    let walk = Walk::through(&kept, config);
    let (stage, outcome) = if kept.len() == history.len() {
        (field_stage, deal.outcome())
    } else {
        (walk.stage.unwrap_or(field_stage), walk.outcome)
    };
    let unfinished = walk.visit.map(|(s, _)| s);
    Some(DealFacts {
        opened: kept.first().map(|h| h.date),
        value: deal.value.unwrap_or(Money::ZERO),
        stage,
        outcome,
        reached: walk.reached.map_or(stage, |r| r.max(stage)),
        left: walk
            .spent
            .into_iter()
            .filter(|(s, _)| Some(*s) != unfinished)
            .collect(),
        lost_reason: deal.lost_reason.clone(),
        competitor: deal.competitor.clone(),
    })
}

/// A deal's history replayed in date order.
struct Walk {
    stage: Option<usize>,
    outcome: Outcome,
    reached: Option<usize>,
    /// The visit under way: its stage and the day it began. Closing a deal
    /// ends it; reopening starts a new one.
    visit: Option<(usize, Date)>,
    spent: BTreeMap<usize, i64>,
}

impl Walk {
    fn through(entries: &[&HistoryEntry], config: &Config) -> Walk {
        let mut w = Walk {
            stage: None,
            outcome: Outcome::Open,
            reached: None,
            visit: None,
            spent: BTreeMap::new(),
        };
        for h in entries {
            if let Some(s) = h.stage.as_deref().and_then(|s| config.stage_index(s)) {
                w.reach(s, h.date);
            }
            match h.outcome {
                Some(closed @ (Outcome::Won | Outcome::Lost)) => {
                    w.end_visit(h.date);
                    w.outcome = closed;
                }
                Some(Outcome::Open) => {
                    w.outcome = Outcome::Open;
                    if w.visit.is_none() {
                        w.visit = w.stage.map(|s| (s, h.date));
                    }
                }
                None => {}
            }
        }
        w
    }

    fn reach(&mut self, stage: usize, date: Date) {
        self.reached = Some(self.reached.map_or(stage, |r| r.max(stage)));
        if self.stage == Some(stage) {
            return;
        }
        self.end_visit(date);
        self.stage = Some(stage);
        if self.outcome == Outcome::Open {
            self.visit = Some((stage, date));
        }
    }

    fn end_visit(&mut self, date: Date) {
        if let Some((stage, since)) = self.visit.take() {
            let days = date::days_between(since, date).max(0);
            *self.spent.entry(stage).or_insert(0) += days;
        }
    }
}

/// The funnel of `deals` over the folder's stages.
pub fn funnel(deals: &[DealFacts], config: &Config) -> Funnel {
    let n = config.funnel.len();
    let mut stages: Vec<StageRow> = (0..n)
        .map(|stage| StageRow {
            stage,
            deals: 0,
            value: Money::ZERO,
            weighted_value: Money::ZERO,
            reached: 0,
            conversion: None,
            median_days: None,
            lost: 0,
        })
        .collect();
    let mut days: Vec<Vec<i64>> = vec![Vec::new(); n];
    for d in deals.iter().filter(|d| d.stage < n) {
        match d.outcome {
            Outcome::Open => {
                stages[d.stage].deals += 1;
                stages[d.stage].value += d.value;
            }
            Outcome::Lost => stages[d.stage].lost += 1,
            Outcome::Won => {}
        }
        for row in stages.iter_mut().take(d.reached.min(n - 1) + 1) {
            row.reached += 1;
        }
        for &(s, spent) in d.left.iter().filter(|(s, _)| *s < n) {
            days[s].push(spent);
        }
    }
    for i in 0..n {
        let next = stages.get(i + 1).map(|r| r.reached);
        let row = &mut stages[i];
        row.weighted_value = row.value.times_basis_points(config.funnel[i].probability.0);
        row.conversion = next.and_then(|next| ratio(next, row.reached));
        row.median_days = median(&mut days[i]);
    }
    let lost: Vec<&DealFacts> = deals
        .iter()
        .filter(|d| d.outcome == Outcome::Lost)
        .collect();
    Funnel {
        stages,
        by_reason: lost_by(&lost, |d| d.lost_reason.as_deref()),
        by_competitor: lost_by(&lost, |d| d.competitor.as_deref()),
    }
}

/// `part / whole` rounded half up to four decimals; `None` when `whole` is 0.
fn ratio(part: usize, whole: usize) -> Option<BasisPoints> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (part as i128, whole as i128);
    Some(BasisPoints((part * 20_000 + whole) / (2 * whole)))
}

/// The median, in half days: the middle value, or the mean of the two
/// middle ones.
pub fn median(values: &mut [i64]) -> Option<HalfDays> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        HalfDays(values[mid] * 2)
    } else {
        HalfDays(values[mid - 1] + values[mid])
    })
}

/// Lost deals grouped by `key`: most deals first, then most value, then name
/// (the unrecorded group last among equals).
fn lost_by(lost: &[&DealFacts], key: impl Fn(&DealFacts) -> Option<&str>) -> Vec<LostRow> {
    let mut groups: HashMap<Option<&str>, LostRow> = HashMap::new();
    for d in lost {
        let name = key(d);
        let row = groups.entry(name).or_insert_with(|| LostRow {
            name: name.map(str::to_string),
            deals: 0,
            value: Money::ZERO,
        });
        row.deals += 1;
        row.value += d.value;
    }
    let mut rows: Vec<LostRow> = groups.into_values().collect();
    rows.sort_by(|a, b| {
        b.deals
            .cmp(&a.deals)
            .then(b.value.cmp(&a.value))
            .then(a.name.is_none().cmp(&b.name.is_none()))
            .then(a.name.cmp(&b.name))
    });
    rows
}

/// The facts of a customer's deals opened in the window.
pub fn deals_of(
    r: &Record,
    config: &Config,
    today: Date,
    window: Window,
    windowed: bool,
) -> Vec<DealFacts> {
    let all = r.deals.iter().filter_map(|d| deal_facts(d, config, today));
    opened_in(all, window, windowed)
}

/// Of the facts of a customer's deals, those opened in the window (or with
/// no history, unless `windowed`).
pub fn opened_in(
    deals: impl IntoIterator<Item = DealFacts>,
    window: Window,
    windowed: bool,
) -> Vec<DealFacts> {
    deals
        .into_iter()
        .filter(|f| f.opened.map_or(!windowed, |o| window.contains(o)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::HistoryEntry;

    fn d(s: &str) -> Date {
        date::parse_iso(s).unwrap()
    }

    fn deal(stage: &str, outcome: Outcome, history: &[(&str, &str)]) -> Deal {
        let mut deal = Deal::open(
            "x".into(),
            None,
            Some(Money::parse("1000").unwrap()),
            stage.into(),
            d("2026-01-01"),
        );
        deal.outcome = Some(outcome);
        deal.history = history
            .iter()
            .map(|(what, day)| match Outcome::parse(what) {
                Some(o) => HistoryEntry::became(o, d(day)),
                None => HistoryEntry::reached(what, d(day)),
            })
            .collect();
        deal
    }

    #[test]
    fn days_in_stage_sum_visits_and_skip_skipped_stages() {
        let config = Config::default();
        // met 10 days (01-01 → 01-11), opportunity 5 days, then back to met
        // (forced) for 4 more days, then straight to needs (confirmed is
        // skipped), lost there after 20 days, reopened 30 days later and still
        // in needs today: needs is not left, so it has no days.
        let history = [
            ("met", "2026-01-01"),
            ("opportunity", "2026-01-11"),
            ("met", "2026-01-16"),
            ("needs", "2026-01-20"),
            ("lost", "2026-02-09"),
            ("open", "2026-03-11"),
        ];
        let f = deal_facts(
            &deal("needs", Outcome::Open, &history),
            &config,
            d("2026-04-01"),
        )
        .unwrap();
        assert_eq!(f.left, vec![(0, 14), (1, 5)]);
        assert_eq!((f.stage, f.reached, f.outcome), (3, 3, Outcome::Open));
        assert_eq!(f.opened, Some(d("2026-01-01")));
    }

    #[test]
    fn entries_after_today_are_ignored() {
        let config = Config::default();
        let history = [
            ("met", "2026-01-01"),
            ("opportunity", "2026-01-11"),
            ("lost", "2026-02-01"),
        ];
        let deal = deal("opportunity", Outcome::Lost, &history);
        // On 20 January the loss has not happened: open at opportunity, met left
        // after 10 days.
        let f = deal_facts(&deal, &config, d("2026-01-20")).unwrap();
        assert_eq!((f.stage, f.outcome), (1, Outcome::Open));
        assert_eq!(f.left, vec![(0, 10)]);
        // Before it opened it does not exist.
        assert_eq!(deal_facts(&deal, &config, d("2025-12-31")), None);
        // Afterwards opportunity was left (lost) after 21 days.
        let f = deal_facts(&deal, &config, d("2026-02-01")).unwrap();
        assert_eq!(f.outcome, Outcome::Lost);
        assert_eq!(f.left, vec![(0, 10), (1, 21)]);
    }

    #[test]
    fn medians_and_ratios_are_exact() {
        assert_eq!(median(&mut [7, 3, 5]), Some(HalfDays(10)));
        assert_eq!(median(&mut [12, 13]).unwrap().to_string(), "12.5");
        assert_eq!(median(&mut []), None);
        // 2/3 = 0.66666… → 0.6667; 1/8 = 0.125 exactly.
        assert_eq!(ratio(2, 3), Some(BasisPoints(6667)));
        assert_eq!(ratio(1, 8).unwrap().to_string(), "0.1250");
        assert_eq!(ratio(0, 0), None);
    }
}

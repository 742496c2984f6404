//! Stalled deals: an open deal that has sat in its stage for the stage's
//! `stalled_after` (kith.yaml; 30 days unless set). Pure.

use crate::analysis::funnel;
use crate::config::Config;
use crate::date::{Date, days_between};
use crate::record::{Deal, Outcome};

/// An open deal that has stalled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stalled {
    /// The stage's place in the funnel.
    pub stage: usize,
    /// The day it entered its current stage.
    pub since: Date,
    /// The day it stalled: `since` plus the stage's `stalled_after`.
    pub on: Date,
    /// Days from `since` to today.
    pub days: i64,
}

/// The deal's stall as of `today`, if it has stalled by then. The day it
/// entered its stage is its last stage entry in history up to today, or its
/// last reopening when that is later; a deal without history has none.
pub fn stalled(deal: &Deal, config: &Config, today: Date) -> Option<Stalled> {
    stalled_with(
        deal,
        &funnel::deal_facts(deal, config, today)?,
        config,
        today,
    )
}

/// [`stalled`] given the deal's facts as of `today`.
pub fn stalled_with(
    deal: &Deal,
    facts: &funnel::DealFacts,
    config: &Config,
    today: Date,
) -> Option<Stalled> {
    if facts.outcome != Outcome::Open {
        return None;
    }
    let past = deal.history.iter().filter(|h| h.date <= today);
    let since = past
        .filter(|h| h.stage.is_some() || h.outcome == Some(Outcome::Open))
        .map(|h| h.date)
        .max()?;
    let stage_id = &config.funnel.get(facts.stage)?.id;
    let on = config.stalled_after(stage_id).after(since)?;
    (on <= today).then(|| Stalled {
        stage: facts.stage,
        since,
        on,
        days: days_between(since, today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Span;
    use crate::record::HistoryEntry;

    fn d(s: &str) -> Date {
        crate::date::parse_iso(s).unwrap()
    }

    fn deal(history: Vec<HistoryEntry>) -> Deal {
        let mut deal = Deal::open("erp".into(), None, None, "proposal".into(), d("2026-09-01"));
        deal.history = history;
        deal
    }

    #[test]
    fn a_deal_stalls_once_its_stage_time_reaches_stalled_after() {
        let config = Config::default();
        let deal = deal(vec![
            HistoryEntry::reached("met", d("2026-09-01")),
            HistoryEntry::reached("proposal", d("2026-10-01")),
        ]);
        assert_eq!(stalled(&deal, &config, d("2026-10-30")), None);
        let s = stalled(&deal, &config, d("2026-11-23")).unwrap();
        assert_eq!(
            (s.since, s.on, s.days, s.stage),
            (d("2026-10-01"), d("2026-10-31"), 53, 4)
        );
        let mut config = Config::default();
        config
            .stalled_after
            .insert("proposal".into(), Span::days(60));
        assert_eq!(stalled(&deal, &config, d("2026-11-23")), None);
    }

    #[test]
    fn a_reopening_restarts_the_clock_and_closed_deals_never_stall() {
        let config = Config::default();
        let mut history = vec![
            HistoryEntry::reached("proposal", d("2026-06-01")),
            HistoryEntry::became(Outcome::Lost, d("2026-07-01")),
        ];
        let mut lost = deal(history.clone());
        lost.outcome = Some(Outcome::Lost);
        assert_eq!(stalled(&lost, &config, d("2026-11-23")), None);
        history.push(HistoryEntry::became(Outcome::Open, d("2026-11-01")));
        let s = stalled(&deal(history), &config, d("2026-12-01")).unwrap();
        assert_eq!(s.since, d("2026-11-01"));
        assert_eq!(s.on, d("2026-12-01"));
        // Without history there is no day to count from.
        assert_eq!(stalled(&deal(Vec::new()), &config, d("2026-12-01")), None);
    }
}

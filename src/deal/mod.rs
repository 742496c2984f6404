//! The rules of deals: opening one, choosing the deal a verb acts on,
//! advancing it through the funnel, winning, losing and reopening it, and
//! the payment logged when it is won.
//!
//! Pure functions on records and the settings: no files, no printing. The
//! commands in `cmd/deal.rs` parse arguments, call these inside
//! `store.update` and print what they return.

use anyhow::Result;

use crate::config::Config;
use crate::date::{Date, When};
use crate::error;
use crate::money::Money;
pub use crate::record::Deal;
use crate::record::id;
use crate::record::{HistoryEntry, Interaction, Invoice, Outcome, Record};

pub mod ledger;

/// The stage whose reaching issues an invoice.
pub const ACCEPTANCE: &str = "acceptance";

/// A stage id of the funnel, or an error naming the nearest ones.
pub fn known_stage(config: &Config, stage: &str) -> Result<String> {
    if config.stage(stage).is_some() {
        return Ok(stage.to_string());
    }
    let ids = config.funnel.iter().map(|s| s.id.as_str());
    let near = crate::error::nearest(stage, ids);
    let all: Vec<&str> = config.funnel.iter().map(|s| s.id.as_str()).collect();
    let hint = if near.is_empty() {
        format!("the stages are: {}", all.join(", "))
    } else {
        format!(
            "did you mean {}? The stages are: {}",
            near.join(", "),
            all.join(", ")
        )
    };
    Err(error::bad(format!(
        "`{stage}` is not a stage of the funnel; {hint}"
    )))
}

/// An amount typed for `option`, exact to the cent.
pub fn money_arg(option: &str, text: &str) -> Result<Money> {
    Money::parse(text).map_err(|e| error::bad(format!("{option}: {e}")))
}

/// An amount that may not be negative (a deal's value, a payment).
pub fn non_negative_money(option: &str, text: &str) -> Result<Money> {
    let m = money_arg(option, text)?;
    if m.is_negative() {
        return Err(error::bad(format!(
            "{option}: `{text}` is negative; give the amount without a sign"
        )));
    }
    Ok(m)
}

/// A new open deal at `stage` (default the funnel's first), opened on
/// `opened`, with the explicit `deal_id` or one derived from the title that
/// `existing` does not use.
pub fn new_deal(
    config: &Config,
    title: &str,
    value: Option<&str>,
    stage: Option<&str>,
    deal_id: Option<&str>,
    existing: &[Deal],
    opened: Date,
) -> Result<Deal> {
    let title = title.trim();
    if title.is_empty() {
        return Err(error::bad("the deal title is empty; give the deal a title"));
    }
    let value = value
        .map(|v| non_negative_money("--value", v))
        .transpose()?;
    let stage = match stage {
        Some(s) => known_stage(config, s)?,
        None => config
            .funnel
            .first()
            .map(|s| s.id.clone())
            .ok_or_else(|| error::bad("the funnel has no stages"))?,
    };
    let taken = |c: &str| existing.iter().any(|d| d.id == c);
    let deal_id = match deal_id {
        Some(explicit) => explicit_deal_id(explicit, &taken)?,
        None => id::first_free(&id::derive(title), taken),
    };
    Ok(Deal::open(
        deal_id,
        Some(title.to_string()),
        value,
        stage,
        opened,
    ))
}

/// A deal id given with `--deal-id`: one word, not used by another deal.
fn explicit_deal_id(explicit: &str, taken: &dyn Fn(&str) -> bool) -> Result<String> {
    if explicit.is_empty()
        || explicit
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(error::bad(format!(
            "--deal-id: `{}` is not a deal id; use one word without spaces",
            id::printable(explicit)
        )));
    }
    if taken(explicit) {
        return Err(error::bad(format!(
            "--deal-id: the customer already has a deal `{explicit}`; choose another id"
        )));
    }
    Ok(explicit.to_string())
}

/// The position of deal `wanted` in the record, or an error listing the
/// customer's deals.
pub fn deal_index(r: &Record, wanted: &str) -> Result<usize> {
    r.deals.iter().position(|d| d.id == wanted).ok_or_else(|| {
        if r.deals.is_empty() {
            error::bad(format!(
                "{} has no deals, so no deal `{wanted}`; open one with `kith deal {} TITLE`",
                r.id, r.id
            ))
        } else {
            let ids: Vec<&str> = r.deals.iter().map(|d| d.id.as_str()).collect();
            error::bad(format!(
                "{} has no deal `{wanted}`; its deals are: {}",
                r.id,
                ids.join(", ")
            ))
        }
    })
}

/// Which deals a verb may pick by itself when `--deal` is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// `advance`, `lose`: the open deals.
    Open,
    /// `reopen`: the won and lost ones.
    Closed,
}

impl Pick {
    fn fits(self, d: &Deal) -> bool {
        d.is_open() == (self == Pick::Open)
    }

    fn word(self) -> &'static str {
        match self {
            Pick::Open => "open",
            Pick::Closed => "closed",
        }
    }
}

/// The deal a verb acts on: `--deal D`, else the only deal `pick` allows.
pub fn chosen(r: &Record, wanted: Option<&str>, pick: Pick) -> Result<usize> {
    if let Some(w) = wanted {
        return deal_index(r, w);
    }
    let fits: Vec<usize> = (0..r.deals.len())
        .filter(|&i| pick.fits(&r.deals[i]))
        .collect();
    match fits.as_slice() {
        [one] => Ok(*one),
        [] if pick == Pick::Open => Err(error::bad(format!(
            "{} has no open deal; open one with `kith deal {} TITLE`",
            r.id, r.id
        ))),
        [] => Err(error::bad(format!("{} has no closed deal to reopen", r.id))),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|&i| format!("{} ({})", r.deals[i].id, state(&r.deals[i])))
                .collect();
            Err(error::bad(format!(
                "{} has {} {} deals: {}; choose one with --deal",
                r.id,
                several.len(),
                pick.word(),
                listed.join(", ")
            )))
        }
    }
}

/// Where a deal stands, in a word or three: `proposal`, `won`, `lost at needs`.
fn state(d: &Deal) -> String {
    match d.outcome() {
        Outcome::Open => d.stage.clone(),
        Outcome::Won => "won".to_string(),
        Outcome::Lost => format!("lost at {}", d.stage),
    }
}

/// Refuses a change dated before the deal's last one: the history is kept
/// oldest first, and the funnel's days in stage depend on it.
pub fn check_order(d: &Deal, date: Date) -> Result<()> {
    match d.history.iter().map(|h| h.date).max() {
        Some(last) if date < last => Err(error::bad(format!(
            "--date: {date} is before the last change of the deal `{}` ({last}); changes are recorded in order",
            d.id
        ))),
        _ => Ok(()),
    }
}

/// Refuses to move a deal that is closed.
pub fn require_open(customer: &str, d: &Deal) -> Result<()> {
    if d.is_open() {
        return Ok(());
    }
    Err(error::bad(format!(
        "the deal `{}` of {customer} is {}; reopen it first with `kith reopen {customer} --deal {}`",
        d.id,
        d.outcome(),
        d.id
    )))
}

/// What `advance` is asked to do.
pub struct Advance<'a> {
    pub deal: Option<&'a str>,
    /// The stage asked for with `--to`, as its place in the funnel.
    pub to: Option<usize>,
    pub date: Date,
    pub amount: Option<Money>,
    pub force: bool,
    /// Whether reaching acceptance issues an invoice (`--no-invoice`: no).
    pub invoice: bool,
}

/// What `advance` did, for the message.
#[derive(Debug)]
pub struct Advanced {
    pub deal: String,
    pub to: usize,
    pub won: bool,
    pub payment: Option<Money>,
    /// The invoice issued on reaching acceptance.
    pub invoice: Option<Invoice>,
}

/// Moves a deal to the next stage or the one asked for, winning it on the
/// last stage.
pub fn advance(r: &mut Record, config: &Config, a: &Advance) -> Result<Advanced> {
    let i = chosen(r, a.deal, Pick::Open)?;
    let deal = &r.deals[i];
    require_open(&r.id, deal)?;
    let from = config.stage_index(&deal.stage).unwrap_or(0);
    let to = target_stage(deal, config, a)?;
    check_order(deal, a.date)?;
    let invoice = if a.invoice && reaches_acceptance(config, from, to) {
        ledger::acceptance_invoice(r, deal, config, a.date)
    } else {
        None
    };
    r.deals[i].invoices.extend(invoice.clone());
    let deal = &r.deals[i];
    let won = to == config.funnel.len() - 1;
    let payment = if won {
        Some(a.amount.unwrap_or_else(|| ledger::final_payment(r, deal))).filter(|m| m.is_positive())
    } else {
        None
    };
    let payment_entry = payment.map(|amount| payment_for(deal, amount, a.date));
    let target = &config.funnel[to].id;
    let deal = &mut r.deals[i];
    deal.stage = target.clone();
    deal.history.push(HistoryEntry::reached(target, a.date));
    if won {
        deal.outcome = Some(Outcome::Won);
        deal.history
            .push(HistoryEntry::became(Outcome::Won, a.date));
    }
    let done = Advanced {
        deal: deal.id.clone(),
        to,
        won,
        payment,
        invoice,
    };
    r.interactions.extend(payment_entry);
    Ok(done)
}

/// Whether moving from stage `from` to `to` reaches or passes `acceptance`
/// (a funnel without that stage issues no invoice).
fn reaches_acceptance(config: &Config, from: usize, to: usize) -> bool {
    config
        .stage_index(ACCEPTANCE)
        .is_some_and(|acc| from < acc && acc <= to)
}

/// The stage `advance` moves the deal to: the next one, or `--to` when it is
/// later (earlier only with `--force`). `--amount` needs the last stage.
fn target_stage(deal: &Deal, config: &Config, a: &Advance) -> Result<usize> {
    let from = config.stage_index(&deal.stage).unwrap_or(0);
    let last = config.funnel.len() - 1;
    let to = match a.to {
        Some(to) => to,
        None if from == last => {
            return Err(error::bad(format!(
                "the deal `{}` is at the last stage `{}`; move it back with --to STAGE --force",
                deal.id, deal.stage
            )));
        }
        None => from + 1,
    };
    let target = &config.funnel[to].id;
    if to == from {
        return Err(error::bad(format!(
            "the deal `{}` is already at `{target}`",
            deal.id
        )));
    }
    if to < from && !a.force {
        return Err(error::bad(format!(
            "`{target}` comes before the deal's stage `{}`; add --force to move it back",
            deal.stage
        )));
    }
    if a.amount.is_some() && to != last {
        return Err(error::bad(format!(
            "--amount is the payment logged when a deal reaches the last stage `{}`",
            config.funnel[last].id
        )));
    }
    Ok(to)
}

/// The `payment` interaction logged when a deal is won.
fn payment_for(deal: &Deal, amount: Money, date: Date) -> Interaction {
    let mut i = Interaction::new(When::day(date), "payment");
    i.summary = Some(format!(
        "Payment for {}",
        deal.title.as_deref().unwrap_or(&deal.id)
    ));
    i.deal = Some(deal.id.clone());
    i.amount = Some(amount);
    i
}

/// Closes deal `wanted` (or the only open one) as lost; returns its id and
/// the stage it was lost at.
pub fn lose(
    r: &mut Record,
    wanted: Option<&str>,
    reason: &str,
    competitor: Option<&str>,
    date: Date,
) -> Result<(String, String)> {
    let i = chosen(r, wanted, Pick::Open)?;
    if r.deals[i].outcome() == Outcome::Lost {
        return Err(error::bad(format!(
            "the deal `{}` of {} is already lost",
            r.deals[i].id, r.id
        )));
    }
    require_open(&r.id, &r.deals[i])?;
    check_order(&r.deals[i], date)?;
    let d = &mut r.deals[i];
    d.outcome = Some(Outcome::Lost);
    d.lost_reason = Some(reason.to_string());
    d.competitor = competitor.map(str::to_string);
    d.history.push(HistoryEntry::became(Outcome::Lost, date));
    Ok((d.id.clone(), d.stage.clone()))
}

/// Opens deal `wanted` (or the only closed one) again; returns its id and
/// stage.
pub fn reopen(r: &mut Record, wanted: Option<&str>, date: Date) -> Result<(String, String)> {
    let i = chosen(r, wanted, Pick::Closed)?;
    let d = &r.deals[i];
    if d.is_open() {
        return Err(error::bad(format!(
            "the deal `{}` of {} is open; there is nothing to reopen",
            d.id, r.id
        )));
    }
    check_order(d, date)?;
    let d = &mut r.deals[i];
    d.outcome = Some(Outcome::Open);
    d.history.push(HistoryEntry::became(Outcome::Open, date));
    Ok((d.id.clone(), d.stage.clone()))
}

/// Issues invoice `amount` for deal `wanted` (or the only open one) dated
/// `date`, due on `due` or after the deal's terms; returns the deal's id
/// and the invoice.
pub fn issue_invoice(
    r: &mut Record,
    config: &Config,
    wanted: Option<&str>,
    amount: Money,
    date: Date,
    due: Option<Date>,
) -> Result<(String, Invoice)> {
    if !amount.is_positive() {
        return Err(error::bad(format!(
            "--amount: an invoice needs a positive amount, not {amount}"
        )));
    }
    let i = chosen(r, wanted, Pick::Open)?;
    let deal = &r.deals[i];
    if due.is_some_and(|d| d < date) {
        return Err(error::bad(format!(
            "--due: {} is before the invoice date {date}",
            due.unwrap_or(date)
        )));
    }
    let invoice = ledger::invoice(deal, config, amount, date, due)
        .ok_or_else(|| error::bad("--date: the due date runs off the calendar"))?;
    let id = deal.id.clone();
    r.deals[i].invoices.push(invoice.clone());
    Ok((id, invoice))
}

/// Logs a payment of `amount` for deal `wanted` (or the only deal with an
/// open balance) on `date`; more than the deal's open balance is refused.
/// Returns the deal's id and the balance left.
pub fn pay(
    r: &mut Record,
    wanted: Option<&str>,
    amount: Money,
    date: Date,
) -> Result<(String, Money)> {
    if !amount.is_positive() {
        return Err(error::bad(format!(
            "--amount: a payment needs a positive amount, not {amount}"
        )));
    }
    let i = match wanted {
        Some(w) => deal_index(r, w)?,
        None => only_owing(r)?,
    };
    let deal = &r.deals[i];
    let balance = ledger::balance(r, deal, Date::MAX);
    if amount > balance {
        return Err(error::bad(format!(
            "--amount: {} is more than the open balance of the deal `{}` ({}); nothing logged",
            amount.grouped(),
            deal.id,
            balance.max(Money::ZERO).grouped()
        )));
    }
    let entry = payment_for(deal, amount, date);
    let id = deal.id.clone();
    r.interactions.push(entry);
    Ok((id, balance - amount))
}

/// The only deal with an open balance, when `--deal` is not given.
fn only_owing(r: &Record) -> Result<usize> {
    let owing: Vec<usize> = (0..r.deals.len())
        .filter(|&i| ledger::balance(r, &r.deals[i], Date::MAX).is_positive())
        .collect();
    match owing.as_slice() {
        [one] => Ok(*one),
        [] => Err(error::bad(format!(
            "{} has no deal with an open balance; name one with --deal",
            r.id
        ))),
        several => {
            let ids: Vec<&str> = several.iter().map(|&i| r.deals[i].id.as_str()).collect();
            Err(error::bad(format!(
                "{} has {} deals with an open balance: {}; choose one with --deal",
                r.id,
                several.len(),
                ids.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::d;
    use crate::money::testing::m;

    /// A customer with one open deal of 1000.00 at `stage`, opened 1 March.
    fn customer(stage: &str) -> Record {
        let mut r = Record::new("acme", "Acme");
        r.deals.push(Deal::open(
            "erp".into(),
            Some("ERP".into()),
            Some(m("1000")),
            stage.into(),
            d("2026-03-01"),
        ));
        r
    }

    fn request(to: Option<usize>, date: &str) -> Advance<'static> {
        Advance {
            deal: None,
            to,
            date: d(date),
            amount: None,
            force: false,
            invoice: true,
        }
    }

    fn paid(r: &mut Record, amount: &str) {
        let mut i = Interaction::new(When::day(d("2026-03-05")), "payment");
        i.deal = Some("erp".into());
        i.amount = Some(m(amount));
        r.interactions.push(i);
    }

    #[test]
    fn advance_moves_to_the_next_stage_and_records_it() {
        let config = Config::default();
        let mut r = customer("met");
        let done = advance(&mut r, &config, &request(None, "2026-03-02")).unwrap();
        assert_eq!((done.to, done.won, done.payment), (1, false, None));
        assert_eq!(r.deals[0].stage, "opportunity");
        assert_eq!(
            r.deals[0].history.last(),
            Some(&HistoryEntry::reached("opportunity", d("2026-03-02")))
        );
        assert!(r.interactions.is_empty());
    }

    #[test]
    fn reaching_the_last_stage_wins_and_logs_the_unpaid_rest() {
        let config = Config::default();
        let mut r = customer("acceptance");
        paid(&mut r, "300");
        let done = advance(&mut r, &config, &request(None, "2026-04-01")).unwrap();
        assert!(done.won);
        assert_eq!(done.payment, Some(m("700")));
        assert_eq!(r.deals[0].outcome(), Outcome::Won);
        let logged = r.interactions.last().unwrap();
        assert_eq!(logged.amount, Some(m("700")));
        assert_eq!(logged.deal.as_deref(), Some("erp"));
        assert_eq!(logged.summary.as_deref(), Some("Payment for ERP"));
    }

    #[test]
    fn a_deal_paid_in_full_logs_no_payment_when_won() {
        let config = Config::default();
        let mut r = customer("acceptance");
        paid(&mut r, "1200");
        let done = advance(&mut r, &config, &request(None, "2026-04-01")).unwrap();
        assert_eq!(done.payment, None);
        assert_eq!(r.interactions.len(), 1);
    }

    #[test]
    fn moving_back_needs_force_and_the_same_stage_is_refused() {
        let config = Config::default();
        let mut r = customer("proposal");
        let back = advance(&mut r, &config, &request(Some(1), "2026-03-02"));
        assert!(back.unwrap_err().to_string().contains("add --force"));
        let same = advance(&mut r, &config, &request(Some(4), "2026-03-02"));
        assert!(same.unwrap_err().to_string().contains("already at"));
        let mut forced = request(Some(1), "2026-03-02");
        forced.force = true;
        assert_eq!(advance(&mut r, &config, &forced).unwrap().to, 1);
    }

    #[test]
    fn amount_needs_the_last_stage_and_dates_must_not_go_back() {
        let config = Config::default();
        let mut r = customer("met");
        let mut a = request(None, "2026-03-02");
        a.amount = Some(m("5"));
        assert!(advance(&mut r, &config, &a).is_err());
        let early = advance(&mut r, &config, &request(None, "2026-02-28"));
        assert!(
            early
                .unwrap_err()
                .to_string()
                .contains("before the last change")
        );
        assert_eq!(r.deals[0].history.len(), 1);
    }

    #[test]
    fn the_only_open_deal_is_chosen_and_several_must_be_named() {
        let mut r = customer("met");
        assert_eq!(chosen(&r, None, Pick::Open).unwrap(), 0);
        assert!(chosen(&r, None, Pick::Closed).is_err());
        r.deals.push(Deal::open(
            "crm".into(),
            None,
            None,
            "met".into(),
            d("2026-03-01"),
        ));
        let err = chosen(&r, None, Pick::Open).unwrap_err().to_string();
        assert_eq!(
            err,
            "acme has 2 open deals: erp (met), crm (met); choose one with --deal"
        );
        assert_eq!(chosen(&r, Some("crm"), Pick::Open).unwrap(), 1);
        assert!(deal_index(&r, "nope").is_err());
    }

    #[test]
    fn lose_then_reopen_keeps_the_stage_and_the_history() {
        let mut r = customer("needs");
        let lost = lose(&mut r, None, "price", Some("Globex"), d("2026-03-03")).unwrap();
        assert_eq!(lost, ("erp".to_string(), "needs".to_string()));
        assert_eq!(r.deals[0].closed(), Some(d("2026-03-03")));
        assert!(lose(&mut r, Some("erp"), "x", None, d("2026-03-04")).is_err());
        reopen(&mut r, None, d("2026-03-05")).unwrap();
        assert!(r.deals[0].is_open());
        assert_eq!(r.deals[0].history.len(), 3);
        assert!(reopen(&mut r, None, d("2026-03-06")).is_err());
    }

    #[test]
    fn reaching_acceptance_issues_an_invoice_unless_told_not_to() {
        let config = Config::default();
        let mut r = customer("commitment");
        let done = advance(&mut r, &config, &request(None, "2026-04-01")).unwrap();
        let invoice = done.invoice.unwrap();
        assert_eq!((invoice.no, invoice.amount), (1, m("1000")));
        assert_eq!(invoice.due, d("2026-05-01"));
        assert_eq!(r.deals[0].invoices, [invoice]);
        let mut r = customer("commitment");
        let mut skip = request(None, "2026-04-01");
        skip.invoice = false;
        assert!(advance(&mut r, &config, &skip).unwrap().invoice.is_none());
        // Passing acceptance on the way to the last stage issues it and pays it.
        let mut r = customer("proposal");
        let done = advance(&mut r, &config, &request(Some(7), "2026-04-01")).unwrap();
        assert!(done.invoice.is_some());
        assert_eq!(done.payment, Some(m("1000")));
    }

    #[test]
    fn payments_beyond_the_open_balance_are_refused() {
        let mut r = customer("acceptance");
        paid(&mut r, "400");
        let err = pay(&mut r, None, m("600.01"), d("2026-04-01")).unwrap_err();
        assert!(
            err.to_string().contains("more than the open balance"),
            "{err}"
        );
        assert_eq!(r.interactions.len(), 1);
        let (deal, left) = pay(&mut r, None, m("600"), d("2026-04-01")).unwrap();
        assert_eq!((deal.as_str(), left), ("erp", Money::ZERO));
        assert!(pay(&mut r, None, m("1"), d("2026-04-02")).is_err());
        assert!(pay(&mut r, Some("erp"), m("0"), d("2026-04-02")).is_err());
    }

    #[test]
    fn new_deals_get_a_free_id_and_refuse_bad_input() {
        let config = Config::default();
        let existing = customer("met").deals;
        let deal = new_deal(
            &config,
            "Erp",
            Some("10"),
            None,
            None,
            &existing,
            d("2026-03-01"),
        );
        let deal = deal.unwrap();
        assert_eq!((deal.id.as_str(), deal.stage.as_str()), ("erp-2", "met"));
        assert!(new_deal(&config, " ", None, None, None, &[], d("2026-03-01")).is_err());
        assert!(new_deal(&config, "A", Some("-1"), None, None, &[], d("2026-03-01")).is_err());
        assert!(new_deal(&config, "A", None, Some("nope"), None, &[], d("2026-03-01")).is_err());
        let taken = new_deal(
            &config,
            "A",
            None,
            None,
            Some("erp"),
            &existing,
            d("2026-03-01"),
        );
        assert!(taken.is_err());
    }
}

//! `kith deal`, `advance`, `lose`, `reopen`: moving deals through the funnel.
//!
//! Every change goes through `store.update` and is appended to the deal's
//! history (`{stage, date}` for a stage reached, `{outcome, date}` for a
//! close or reopening), so the funnel report can tell when each stage was
//! reached and left.

use std::io::Write;

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::{AdvanceArgs, DealArgs, LoseArgs, ReopenArgs};
use crate::config::Config;
use crate::date::{Date, When};
use crate::error;
use crate::money::Money;
use crate::record::{Deal, HistoryEntry, Interaction, Outcome, Record};
use crate::store::id;

/// A stage id of the funnel, or an error naming the nearest ones.
pub fn known_stage(config: &Config, stage: &str) -> Result<String> {
    if config.stage(stage).is_some() {
        return Ok(stage.to_string());
    }
    let ids = config.funnel.iter().map(|s| s.id.as_str());
    let near = crate::store::nearest(stage, ids);
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
fn non_negative_money(option: &str, text: &str) -> Result<Money> {
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
enum Pick {
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
fn chosen(r: &Record, wanted: Option<&str>, pick: Pick) -> Result<usize> {
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
fn check_order(d: &Deal, date: Date) -> Result<()> {
    match d.history.iter().map(|h| h.date).max() {
        Some(last) if date < last => Err(error::bad(format!(
            "--date: {date} is before the last change of the deal `{}` ({last}); changes are recorded in order",
            d.id
        ))),
        _ => Ok(()),
    }
}

/// Refuses to move a deal that is closed.
fn require_open(customer: &str, d: &Deal) -> Result<()> {
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

pub fn run_deal(ctx: &Ctx, args: DealArgs) -> Result<u8> {
    let store = ctx.store()?;
    let opened = optional_date(ctx, args.date.as_deref())?;
    let deal_id = store.update(&args.id, |r| {
        let deal = new_deal(
            &store.config,
            &args.title,
            args.value.as_deref(),
            args.stage.as_deref(),
            args.deal_id.as_deref(),
            &r.deals,
            opened,
        )?;
        let deal_id = deal.id.clone();
        r.deals.push(deal);
        Ok(deal_id)
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{deal_id}")?;
    Ok(0)
}

fn optional_date(ctx: &Ctx, text: Option<&str>) -> Result<Date> {
    text.map_or(Ok(ctx.today), |t| ctx.date("--date", t))
}

/// What `advance` is asked to do.
struct Advance<'a> {
    deal: Option<&'a str>,
    /// The stage asked for with `--to`, as its place in the funnel.
    to: Option<usize>,
    date: Date,
    amount: Option<Money>,
    force: bool,
}

/// What `advance` did, for the message.
struct Advanced {
    deal: String,
    to: usize,
    won: bool,
    payment: Option<Money>,
}

pub fn run_advance(ctx: &Ctx, args: AdvanceArgs) -> Result<u8> {
    let store = ctx.store()?;
    let config = &store.config;
    let to = match args.to.as_deref() {
        Some(s) => config.stage_index(&known_stage(config, s)?),
        None => None,
    };
    let request = Advance {
        deal: args.deal.as_deref(),
        to,
        date: optional_date(ctx, args.date.as_deref())?,
        amount: args
            .amount
            .as_deref()
            .map(|a| non_negative_money("--amount", a))
            .transpose()?,
        force: args.force,
    };
    let done = store.update(&args.id, |r| advance(r, config, &request))?;
    let stage = &config.funnel[done.to];
    let mut note = format!(
        "{}: {} is at {} ({})",
        args.id, done.deal, stage.id, stage.label
    );
    if done.won {
        note.push_str(", won");
    }
    if let Some(p) = done.payment {
        note.push_str(&format!("; logged a payment of {}", p.grouped()));
    }
    ctx.note(note);
    Ok(0)
}

/// Moves a deal to the next stage or the one asked for, winning it on the
/// last stage.
fn advance(r: &mut Record, config: &Config, a: &Advance) -> Result<Advanced> {
    let i = chosen(r, a.deal, Pick::Open)?;
    let deal = &r.deals[i];
    require_open(&r.id, deal)?;
    let to = target_stage(deal, config, a)?;
    check_order(deal, a.date)?;
    let won = to == config.funnel.len() - 1;
    let payment = if won {
        Some(a.amount.unwrap_or_else(|| unpaid(r, deal))).filter(|m| m.is_positive())
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
    };
    r.interactions.extend(payment_entry);
    Ok(done)
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

/// The deal's value minus the positive amounts already logged for it.
fn unpaid(r: &Record, deal: &Deal) -> Money {
    let paid: Money = r
        .interactions
        .iter()
        .filter(|i| i.deal.as_deref() == Some(deal.id.as_str()))
        .filter_map(|i| i.amount.filter(|a| a.is_positive()))
        .sum();
    deal.value.unwrap_or(Money::ZERO) - paid
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

pub fn run_lose(ctx: &Ctx, args: LoseArgs) -> Result<u8> {
    let store = ctx.store()?;
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(error::bad(
            "--reason is empty; say why the deal was lost (price, timing, ...)",
        ));
    }
    let competitor = args
        .competitor
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let date = optional_date(ctx, args.date.as_deref())?;
    let (deal, stage) = store.update(&args.id, |r| {
        let i = chosen(r, args.deal.as_deref(), Pick::Open)?;
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
    })?;
    let to = competitor.map(|c| format!(", to {c}")).unwrap_or_default();
    ctx.note(format!(
        "{}: {deal} is lost at {stage} ({reason}{to})",
        args.id
    ));
    Ok(0)
}

pub fn run_reopen(ctx: &Ctx, args: ReopenArgs) -> Result<u8> {
    let store = ctx.store()?;
    let date = optional_date(ctx, args.date.as_deref())?;
    let (deal, stage) = store.update(&args.id, |r| {
        let i = chosen(r, args.deal.as_deref(), Pick::Closed)?;
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
    })?;
    ctx.note(format!("{}: {deal} is open again at {stage}", args.id));
    Ok(0)
}

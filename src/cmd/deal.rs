//! `kith deal`, `advance`, `lose`, `reopen`: moving deals through the funnel.
//!
//! The rules live in `crate::deal`; this file turns arguments into a call of
//! them inside `store.update` and says on stderr what changed.

use std::io::Write;

use anyhow::Result;

use crate::cli::{AdvanceArgs, DealArgs, InvoiceArgs, LoseArgs, PaidArgs, ReopenArgs};
use crate::cmd::Ctx;
use crate::date::{Date, Span};
use crate::deal::{self as rules, Advance};
use crate::error;

pub fn run_deal(ctx: &Ctx, args: DealArgs) -> Result<u8> {
    let store = ctx.store()?;
    let opened = optional_date(ctx, args.date.as_deref())?;
    let close = args
        .close
        .as_deref()
        .map(|c| ctx.date("--close", c))
        .transpose()?;
    let terms = args
        .terms
        .as_deref()
        .map(|t| Span::parse(t).map_err(|e| error::bad(format!("--terms: {e}"))))
        .transpose()?;
    let deal_id = store.update(&args.id, |r| {
        let deal = rules::new_deal(
            &store.config,
            &args.title,
            args.value.as_deref(),
            args.stage.as_deref(),
            args.deal_id.as_deref(),
            &r.deals,
            opened,
        )?;
        let deal_id = deal.id.clone();
        r.deals.push(rules::Deal {
            close,
            terms,
            ..deal
        });
        Ok(deal_id)
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{deal_id}")?;
    Ok(0)
}

fn optional_date(ctx: &Ctx, text: Option<&str>) -> Result<Date> {
    text.map_or(Ok(ctx.today), |t| ctx.date("--date", t))
}

pub fn run_advance(ctx: &Ctx, args: AdvanceArgs) -> Result<u8> {
    let store = ctx.store()?;
    let config = &store.config;
    let to = match args.to.as_deref() {
        Some(s) => config.stage_index(&rules::known_stage(config, s)?),
        None => None,
    };
    let request = Advance {
        deal: args.deal.as_deref(),
        to,
        date: optional_date(ctx, args.date.as_deref())?,
        amount: args
            .amount
            .as_deref()
            .map(|a| rules::non_negative_money("--amount", a))
            .transpose()?,
        force: args.force,
        invoice: !args.no_invoice,
    };
    let done = store.update(&args.id, |r| rules::advance(r, config, &request))?;
    let stage = &config.funnel[done.to];
    let mut note = format!(
        "{}: {} is at {} ({})",
        args.id, done.deal, stage.id, stage.label
    );
    if let Some(i) = &done.invoice {
        note.push_str(&format!(
            "; issued invoice {} of {} due {}",
            i.no,
            i.amount.grouped(),
            i.due
        ));
    }
    if done.won {
        note.push_str(", won");
    }
    if let Some(p) = done.payment {
        note.push_str(&format!("; logged a payment of {}", p.grouped()));
    }
    ctx.note(note);
    Ok(0)
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
        rules::lose(r, args.deal.as_deref(), reason, competitor, date)
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
    let (deal, stage) = store.update(&args.id, |r| rules::reopen(r, args.deal.as_deref(), date))?;
    ctx.note(format!("{}: {deal} is open again at {stage}", args.id));
    Ok(0)
}

pub fn run_invoice(ctx: &Ctx, args: InvoiceArgs) -> Result<u8> {
    let store = ctx.store()?;
    let amount = rules::non_negative_money("--amount", &args.amount)?;
    let date = optional_date(ctx, args.date.as_deref())?;
    let due = args
        .due
        .as_deref()
        .map(|d| ctx.date("--due", d))
        .transpose()?;
    let (deal, invoice) = store.update(&args.id, |r| {
        rules::issue_invoice(r, &store.config, args.deal.as_deref(), amount, date, due)
    })?;
    ctx.note(format!(
        "{}: issued invoice {} of {deal}: {} dated {}, due {}",
        args.id,
        invoice.no,
        invoice.amount.grouped(),
        invoice.date,
        invoice.due
    ));
    Ok(0)
}

pub fn run_paid(ctx: &Ctx, args: PaidArgs) -> Result<u8> {
    let store = ctx.store()?;
    let amount = rules::non_negative_money("--amount", &args.amount)?;
    let date = optional_date(ctx, args.date.as_deref())?;
    let (deal, left) = store.update(&args.id, |r| {
        rules::pay(r, args.deal.as_deref(), amount, date)
    })?;
    ctx.note(format!(
        "{}: logged a payment of {} for {deal}; {} left open",
        args.id,
        amount.grouped(),
        left.grouped()
    ));
    Ok(0)
}

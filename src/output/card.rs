//! One customer's card, as `kith show` prints it: the facts, the contact,
//! the people, the deals fitted to the terminal, open tasks and complaints,
//! the last interactions and the figures; and the customer as one JSON
//! object of the file's shape.

use std::fmt::Write as _;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use crate::analysis::complaints;
use crate::analysis::facts::{Facts, Period};
use crate::config::Config;
use crate::date::{self, Date};
use crate::error;
use crate::money::Money;
use crate::output;
use crate::record::{self, CaseStatus, Contact, Deal, Outcome, Person, Profile, Record};

/// How many interactions the card lists without `--all`.
const RECENT: usize = 10;

/// The whole customer as one JSON object of the file's shape (its keys in
/// canonical order), with its `id` first.
pub fn json(r: &Record) -> Result<String> {
    let mut object = serde_json::Map::new();
    object.insert("id".into(), r.id.clone().into());
    let fields: serde_json::Map<String, serde_json::Value> =
        yaml_serde::from_str(&record::emit_record(r))
            .map_err(|e| error::bad(format!("{}: cannot show as JSON: {e}", r.id)))?;
    object.extend(fields.into_iter().filter(|(k, _)| k != "id"));
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(object))?;
    text.push('\n');
    Ok(text)
}

/// Pads `s` to `width` terminal columns (CJK characters count two).
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn money(m: Money, config: &Config) -> String {
    match &config.currency {
        Some(c) => format!("{} {c}", m.grouped()),
        None => m.grouped(),
    }
}

/// The card as text; its deal lines fitted to `width` when on a terminal
/// (titles and statuses shortened, as in tables).
pub fn card(r: &Record, config: &Config, today: Date, all: bool, width: Option<usize>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  ({})", r.name, r.id);
    let mut facts = Vec::new();
    let mut fact = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            facts.push(format!("{k}: {v}"));
        }
    };
    for f in Record::FIELDS.iter().filter(|f| f.shown) {
        fact(f.key, f.display(r));
    }
    if !facts.is_empty() {
        let _ = writeln!(s, "{}", facts.join(" · "));
    }

    let c = &r.contact;
    let mut contact: Vec<(String, String)> = Contact::FIELDS
        .iter()
        .filter_map(|f| Some((f.key.to_string(), f.display(c)?)))
        .collect();
    contact.extend(c.social.iter().cloned());
    contact.extend(
        Profile::FIELDS
            .iter()
            .filter_map(|f| Some((f.key.to_string(), f.display(&r.profile)?))),
    );
    if !contact.is_empty() {
        s.push('\n');
        let width = contact.iter().map(|(k, _)| k.width()).max().unwrap_or(0) + 1;
        for (k, v) in &contact {
            let _ = writeln!(s, "  {} {v}", pad(&format!("{k}:"), width));
        }
    }

    if !r.contacts.is_empty() {
        let _ = writeln!(s, "\nPeople");
        let (current, former): (Vec<_>, Vec<_>) =
            r.contacts.iter().partition(|p| p.is_current(today));
        for p in current.into_iter().chain(former) {
            let _ = writeln!(s, "  {}", person_line(p));
        }
    }

    if !r.deals.is_empty() {
        let _ = writeln!(s, "\nDeals");
        let lines: Vec<[String; 5]> = r
            .deals
            .iter()
            .map(|d| deal_cells(d, config, today))
            .collect();
        let mut widths = [0usize; 5];
        for cells in &lines {
            for (w, c) in widths.iter_mut().zip(cells) {
                *w = (*w).max(c.width());
            }
        }
        let shown = match width {
            // Two spaces before each cell, the first included.
            Some(limit) => output::fit(
                &mut widths,
                &[false, true, false, false, true],
                &[0, 4, 0, 0, 4],
                limit.saturating_sub(2),
            ),
            None => widths.len(),
        };
        for (d, cells) in r.deals.iter().zip(&lines) {
            let mut line = String::new();
            for (i, (c, w)) in cells.iter().zip(widths).enumerate().take(shown) {
                if w == 0 {
                    continue;
                }
                let c = &output::shorten(c.clone(), w);
                line.push_str("  ");
                // The value is a number: right-aligned.
                if i == 2 {
                    line.push_str(&" ".repeat(w - c.width()));
                    line.push_str(c);
                } else {
                    line.push_str(&pad(c, w));
                }
            }
            let _ = writeln!(s, "{}", line.trim_end());
            if let Some(c) = d.close.filter(|_| d.is_open()) {
                let _ = writeln!(s, "    expected to close {c}");
            }
            for i in crate::deal::ledger::allocate(r, d, today) {
                let _ = writeln!(
                    s,
                    "    invoice {} of {}: {}, due {}, {} open",
                    i.no,
                    i.date,
                    money(i.amount, config),
                    i.due,
                    money(i.open(), config)
                );
            }
        }
    }

    let open: Vec<_> = r.open_tasks().collect();
    if !open.is_empty() {
        let _ = writeln!(s, "\nOpen tasks");
        for (n, t) in open {
            let days = date::days_between(today, t.due);
            let when = match days {
                0 => "today".to_string(),
                d if d < 0 => format!("{} days late", -d),
                1 => "tomorrow".to_string(),
                d => format!("in {d} days"),
            };
            let _ = writeln!(s, "  {n}. {}  {}  ({when})", t.due, t.what);
        }
    }

    let complaints: Vec<_> = complaints::open(r, today).collect();
    if !complaints.is_empty() {
        let _ = writeln!(s, "\nOpen complaints");
        for (n, c) in complaints {
            let days = date::days_between(c.date.date, today);
            let summary = c.summary.as_deref().unwrap_or("").replace('\n', " ⏎ ");
            let line = format!("  {n}. {}  {summary}", c.date.date);
            let _ = writeln!(s, "{}  (open {})", line.trim_end(), plural_days(days));
        }
    }

    if !r.interactions.is_empty() {
        let total = r.interactions.len();
        let shown = if all { total } else { total.min(RECENT) };
        let heading = if shown < total {
            format!("Interactions (last {shown} of {total}; --all for every one)")
        } else {
            "Interactions".to_string()
        };
        let _ = writeln!(s, "\n{heading}");
        for i in &r.interactions[total - shown..] {
            let mut line = format!("  {}  {}", pad(&i.date.to_string(), 16), pad(&i.kind, 10));
            if let Some(summary) = &i.summary {
                line.push_str(&summary.replace('\n', " ⏎ "));
            }
            let mut extras = Vec::new();
            if let Some(a) = i.amount {
                extras.push(money(a, config));
            }
            if let Some(c) = i.cost {
                extras.push(format!("cost {}", c.grouped()));
            }
            if let Some(d) = &i.deal {
                extras.push(format!("deal {d}"));
            }
            if let Some(r) = i.rating {
                extras.push(format!("rating {r}/5"));
            }
            if let Some(b) = &i.by {
                extras.push(format!("by {b}"));
            }
            if let Some(w) = &i.with {
                extras.push(format!("with {w}"));
            }
            if complaints::is_complaint(i) {
                match (i.status, i.resolved) {
                    (Some(CaseStatus::Open), _) => extras.push("open".into()),
                    (Some(CaseStatus::Resolved), Some(d)) => {
                        extras.push(format!("resolved {d}"));
                    }
                    _ => {}
                }
            }
            if !extras.is_empty() {
                line.push_str(&format!("  [{}]", extras.join(", ")));
            }
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }

    let f = Facts::of(r, config, Period::all_time(today));
    let _ = writeln!(
        s,
        "\nRevenue {} · Cost {} · Profit {}",
        money(f.revenue, config),
        money(f.cost, config),
        money(f.profit(), config)
    );
    let _ = writeln!(s, "{}", lifecycle_line(&f));
    s
}

fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// `周敏 (buyer)  zhou.min@… · +86 … · wechat zhoumin88 · birthday --08-21 ·
/// since 2019-03-01 · left 2026-10-31 · note`.
fn person_line(p: &Person) -> String {
    let mut parts = vec![p.label()];
    parts.extend(p.email.clone());
    parts.extend(p.phone.clone());
    parts.extend(p.wechat.as_ref().map(|w| format!("wechat {w}")));
    parts.extend(p.birthday.map(|b| format!("birthday {b}")));
    parts.extend(p.since.map(|d| format!("since {d}")));
    parts.extend(p.left.map(|d| format!("left {d}")));
    parts.extend(p.note.as_ref().map(|n| n.replace('\n', " ⏎ ")));
    parts.join(" · ")
}

/// The lifecycle with what it was judged from: `Lifecycle repeat · 2
/// purchase days, the last 2026-11-02`.
fn lifecycle_line(f: &Facts) -> String {
    match f.last_purchase {
        None => format!("Lifecycle {}", f.lifecycle),
        Some(last) => {
            let days = if f.occasions == 1 { "day" } else { "days" };
            format!(
                "Lifecycle {} · {} purchase {days}, the last {last}",
                f.lifecycle, f.occasions
            )
        }
    }
}

/// A deal's line in columns: id, title, value, stage, status.
fn deal_cells(d: &Deal, config: &Config, today: Date) -> [String; 5] {
    let label = config
        .stage(&d.stage)
        .map(|s| s.label.as_str())
        .filter(|l| *l != d.stage);
    let stage = match label {
        Some(l) => format!("{} ({l})", d.stage),
        None => d.stage.clone(),
    };
    let value = d.value.map(|v| money(v, config)).unwrap_or_default();
    let status = match d.outcome() {
        Outcome::Open => match d.stage_since() {
            Some(since) => format!("open, {} days in stage", date::days_between(since, today)),
            None => "open".to_string(),
        },
        Outcome::Won => match d.closed() {
            Some(c) => format!("won {c}"),
            None => "won".to_string(),
        },
        Outcome::Lost => {
            let mut s = match d.closed() {
                Some(c) => format!("lost {c}"),
                None => "lost".to_string(),
            };
            if let Some(r) = &d.lost_reason {
                s.push_str(&format!(": {r}"));
            }
            if let Some(c) = &d.competitor {
                s.push_str(&format!(" (to {c})"));
            }
            s
        }
    };
    let title = d.title.clone().unwrap_or_default();
    [d.id.clone(), title, value, stage, status]
}

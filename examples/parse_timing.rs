//! Times the fast reader of the canonical layout against the full YAML
//! parser on canonical texts of realistic records:
//! `cargo run --release --example parse_timing [N]` (default 20,000).
//!
//! The records are deterministic: the demo's mix of contact details, deals
//! with their history, tasks and purchases, in Chinese, Russian and English.

use std::hint::black_box;
use std::time::{Duration, Instant};

use kith::date::{Date, When, YearlyDate};
use kith::money::Money;
use kith::record::{
    Contact, Deal, HistoryEntry, Interaction, Outcome, Profile, Record, Schema, Task, Tier,
    emit_record, fast, parse_record_full,
};

/// A small deterministic generator (xorshift), so every run times the same texts.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn date(&mut self) -> Date {
        Date::from_ymd_opt(
            2022 + self.below(5) as i32,
            1 + self.below(12) as u32,
            1 + self.below(28) as u32,
        )
        .unwrap_or(Date::MIN)
    }
}

const NAMES: &[&str] = &[
    "杭州星河贸易有限公司",
    "ООО «Северный ветер»",
    "Acme Corporation",
    "Globex",
    "王芳",
];
const OWNERS: &[&str] = &["li.wei", "anna.petrova", "john"];
const SUMMARIES: &[&str] = &[
    "Discussed the revised quote",
    "Spring order",
    "客户要求提供新的报价",
    "Обсудили поставку",
    "Call back: confirm the delivery date",
];

fn record(rng: &mut Rng, n: usize) -> Record {
    let mut r = Record::new(&format!("c{n}"), rng.pick(NAMES));
    r.owner = Some(rng.pick(OWNERS).to_string());
    r.source = Some("trade-show".into());
    r.tier = Some(Tier::Regular);
    r.tags = vec!["wholesale".into(), rng.pick(&["east", "west", "no"]).into()];
    r.contact = Contact {
        email: Some(format!("buyer{n}@example.com")),
        phone: Some("+86 571 0000 0000".into()),
        ..Contact::default()
    };
    r.profile = Profile {
        birthday: Some(YearlyDate::Full(rng.date())),
        ..Profile::default()
    };
    r.acquisition_cost = Some(Money::from_cents(80_000));
    for d in 0..rng.below(3) {
        let opened = rng.date();
        r.deals.push(Deal {
            id: format!("deal-{d}"),
            title: Some("ERP rollout".into()),
            value: Some(Money::from_cents(5_000_000)),
            stage: "proposal".into(),
            outcome: Some(Outcome::Open),
            lost_reason: None,
            competitor: None,
            history: ["met", "opportunity", "proposal"]
                .iter()
                .map(|s| HistoryEntry {
                    stage: Some(s.to_string()),
                    outcome: None,
                    date: opened,
                    extra: Default::default(),
                })
                .collect(),
            extra: Default::default(),
        });
    }
    if rng.below(2) == 0 {
        r.tasks.push(Task {
            due: rng.date(),
            what: rng.pick(SUMMARIES).to_string(),
            done: None,
            extra: Default::default(),
        });
    }
    for _ in 0..1 + rng.below(6) {
        let mut i = Interaction::new(
            When::day(rng.date()),
            rng.pick(&["call", "purchase", "payment"]),
        );
        i.summary = Some(rng.pick(SUMMARIES).to_string());
        i.by = Some(rng.pick(OWNERS).to_string());
        if i.kind != "call" {
            i.amount = Some(Money::from_cents(100 * rng.below(50_000) as i128));
        }
        r.interactions.push(i);
    }
    r
}

/// One pass over every text.
fn pass(texts: &[(String, String)], parse: &impl Fn(&str, &str) -> bool) -> Duration {
    let start = Instant::now();
    for (stem, text) in texts {
        assert!(parse(black_box(stem), black_box(text)));
    }
    start.elapsed()
}

/// The best of `rounds` passes of each parser, taken in turns so that load
/// from other processes weighs on both alike.
fn race(
    texts: &[(String, String)],
    rounds: usize,
    a: impl Fn(&str, &str) -> bool,
    b: impl Fn(&str, &str) -> bool,
) -> (Duration, Duration) {
    (0..rounds).fold((Duration::MAX, Duration::MAX), |(best_a, best_b), _| {
        (best_a.min(pass(texts, &a)), best_b.min(pass(texts, &b)))
    })
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let texts: Vec<(String, String)> = (0..n)
        .map(|i| (format!("c{i}"), emit_record(&record(&mut rng, i))))
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let schema = Schema::default();
    let (full, fast) = race(
        &texts,
        7,
        |stem, text| parse_record_full(text.as_bytes(), stem, &schema).is_ok(),
        |stem, text| fast::parse(text, stem, &schema).is_some(),
    );
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{n} canonical records, {:.1} MB, one thread",
        bytes as f64 / 1e6
    );
    println!(
        "full parser: {:>8.1} ms  {:>6.2} µs/record",
        full.as_secs_f64() * 1e3,
        per(full)
    );
    println!(
        "fast reader: {:>8.1} ms  {:>6.2} µs/record",
        fast.as_secs_f64() * 1e3,
        per(fast)
    );
    println!(
        "speed-up:    {:>8.1}×",
        full.as_secs_f64() / fast.as_secs_f64()
    );
}

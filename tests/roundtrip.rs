//! The canonical writer and the parser agree: for any record, parse(emit(r))
//! is r (with lists in canonical order) and emit is idempotent.

use kith::date::{Date, Span, When, YearlyDate};
use kith::money::Money;
use kith::record::{
    Contact, Deal, HistoryEntry, Interaction, Invoice, Outcome, Profile, Record, Schema, Task,
    Tier, emit_record, parse_record,
};
use proptest::prelude::*;

/// Text with the characters that trip YAML writers: quotes, `: `, ` #`,
/// leading dashes and spaces, words YAML 1.1 reads as booleans, numbers,
/// dates, line breaks, CJK and Cyrillic.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{1,12}",
        "[-:#'\"!&*%@`|>?,\\[\\]{} a-z0-9]{1,10}",
        Just("no".to_string()),
        Just("yes".to_string()),
        Just("on".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        Just("0123".to_string()),
        Just("1.10".to_string()),
        Just("2026-01-01".to_string()),
        Just("1:20".to_string()),
        Just("=SUM(A1)".to_string()),
        Just("+86 571 0000 0000".to_string()),
        Just(" leading space".to_string()),
        Just("trailing space ".to_string()),
        Just("line one\nline two".to_string()),
        Just("tab\there".to_string()),
        Just("杭州星河贸易有限公司".to_string()),
        Just("ООО «Северный ветер»".to_string()),
        Just("it's \"quoted\"".to_string()),
        Just("a: b # c".to_string()),
        Just("- dash".to_string()),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn date() -> impl Strategy<Value = Date> {
    (2020i32..2028, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| Date::from_ymd_opt(y, m, d).expect("valid day"))
}

fn money() -> impl Strategy<Value = Money> {
    (-1_000_000i128..100_000_000).prop_map(Money::from_cents)
}

fn interaction() -> impl Strategy<Value = Interaction> {
    (
        date(),
        proptest::option::of((0u32..24, 0u32..60)),
        prop_oneof![Just("call"), Just("purchase"), Just("note"), Just("visit")],
        opt_text(),
        opt_text(),
        proptest::option::of(money()),
        proptest::option::of(money()),
        proptest::option::of(1u8..6),
    )
        .prop_map(|(date, time, kind, summary, by, amount, cost, rating)| {
            let mut i = Interaction::new(
                When {
                    date,
                    time: time.and_then(|(h, m)| chrono::NaiveTime::from_hms_opt(h, m, 0)),
                },
                kind,
            );
            i.summary = summary;
            i.by = by;
            i.amount = amount;
            i.cost = cost;
            i.rating = rating;
            i
        })
}

fn task() -> impl Strategy<Value = Task> {
    (
        proptest::option::of(1..1000u32),
        date(),
        text(),
        proptest::option::of(date()),
    )
        .prop_map(|(number, due, what, done)| Task {
            number,
            due,
            what,
            done,
            extra: Default::default(),
        })
}

fn deal(n: usize) -> impl Strategy<Value = Deal> {
    (
        opt_text(),
        proptest::option::of(money()),
        prop_oneof![Just("met"), Just("proposal"), Just("paid")],
        proptest::collection::vec(date(), 1..4),
        proptest::option::of(date()),
        proptest::option::of(1u32..400),
        proptest::collection::vec(
            (date(), money().prop_filter("positive", |m| m.is_positive())),
            0..3,
        ),
    )
        .prop_map(
            move |(title, value, stage, mut dates, close, terms, invoices)| {
                dates.sort();
                let mut invoices: Vec<Invoice> = invoices
                    .into_iter()
                    .enumerate()
                    .map(|(k, (date, amount))| Invoice {
                        no: k as u32 + 1,
                        date,
                        amount,
                        due: date,
                        extra: Default::default(),
                    })
                    .collect();
                invoices.sort_by_key(|i| (i.date, i.no));
                Deal {
                    id: format!("deal-{n}"),
                    title,
                    value,
                    stage: stage.to_string(),
                    outcome: Some(Outcome::Open),
                    lost_reason: None,
                    competitor: None,
                    close,
                    terms: terms.map(Span::days),
                    invoices,
                    history: dates
                        .into_iter()
                        .map(|date| HistoryEntry {
                            stage: Some(stage.to_string()),
                            outcome: None,
                            date,
                            extra: Default::default(),
                        })
                        .collect(),
                    extra: Default::default(),
                }
            },
        )
}

fn record() -> impl Strategy<Value = Record> {
    (
        text().prop_filter("a name", |s| !s.trim().is_empty()),
        opt_text(),
        proptest::collection::vec(text(), 0..3),
        (opt_text(), opt_text(), opt_text()),
        proptest::option::of(date()),
        proptest::collection::vec(interaction(), 0..6),
        proptest::collection::vec(task(), 0..3),
        (deal(1), deal(2), 0usize..3),
        proptest::option::of(text()),
    )
        .prop_map(
            |(
                name,
                owner,
                tags,
                (email, phone, address),
                birthday,
                interactions,
                tasks,
                (d1, d2, nd),
                unknown,
            )| {
                let mut r = Record::new("cust", &name);
                r.owner = owner;
                r.tier = Some(Tier::Vip);
                r.tags = tags;
                r.contact = Contact {
                    email,
                    phone,
                    address,
                    ..Contact::default()
                };
                r.profile = Profile {
                    birthday: birthday.map(YearlyDate::Full),
                    ..Profile::default()
                };
                r.interactions = interactions;
                r.tasks = tasks;
                r.deals = [d1, d2].into_iter().take(nd).collect();
                if let Some(u) = unknown {
                    r.extra
                        .insert("zz_custom".into(), yaml_serde::Value::String(u));
                }
                r
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parse_of_emit_is_identity(r in record()) {
        let text = emit_record(&r);
        let parsed = parse_record(text.as_bytes(), "cust", &Schema::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let mut expected = r.clone();
        expected.sort_lists();
        prop_assert_eq!(&parsed, &expected, "{}", text);
        prop_assert_eq!(emit_record(&parsed), text);
    }
}

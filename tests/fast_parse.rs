//! The fast reader of the canonical layout agrees with the full parser: on
//! every text kith writes it answers, with the full parser's record; on any
//! other text it either answers the full parser's record or steps aside
//! (`None`), never a different answer.

use kith::config::Config;
use kith::date::{Date, Span, When, YearlyDate};
use kith::money::Money;
use kith::record::{
    CaseStatus, Contact, CustomerKind, Deal, Extra, HistoryEntry, Interaction, Outcome, Person,
    Profile, Record, Relationship, Schema, Task, Tier, binary, emit_record, fast, parse_record,
    parse_record_full,
};
use proptest::prelude::*;
use yaml_serde::Value;

/// The schema of a folder whose `kith.yaml` adds the kind `demo`.
fn schema() -> Schema {
    Config::parse(b"kinds: [demo]\n")
        .expect("a valid kith.yaml")
        .schema()
}

/// What the fast reader must answer for `text`: `None`, or exactly the full
/// parser's record.
fn agrees(text: &str, stem: &str, schema: &Schema) -> Result<Option<Record>, String> {
    let Some(fast) = fast::parse(text, stem, schema) else {
        return Ok(None);
    };
    match parse_record_full(text.as_bytes(), stem, schema) {
        Ok(full) if full == fast => Ok(Some(fast)),
        Ok(full) => Err(format!(
            "different records\nfast: {fast:?}\nfull: {full:?}\n{text}"
        )),
        Err(e) => Err(format!(
            "fast read a text the full parser refuses: {e}\n{text}"
        )),
    }
}

// ---------------------------------------------------------------------------
// Random records, richer than tests/roundtrip.rs: every field, unknown keys
// at every level, times of day, closed deals, refunds, the `id:` key.

/// Text with what trips YAML writers and readers: indicators, quotes, `: `,
/// ` #`, words YAML reads as booleans, numbers, dates or null, line breaks,
/// characters only double quotes carry, CJK and Cyrillic, long lines.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        2 => "[-:#'\"!&*%@`|>?,\\[\\]{}\\\\ a-z0-9.]{1,10}",
        1 => "[\u{1}\u{7f}\u{85}\u{a0}\u{2028}\u{feff}\t\r\n é中а-я]{1,6}",
        3 => prop::sample::select(vec![
            "", "no", "yes", "on", "~", "null", "true", "0123", "1.10", "12", "-5", "0x1F",
            ".inf", "1e5", "2026-01-01", "1:20", "=SUM(A1)", "+86 571 0000 0000",
            " leading space", "trailing space ", "line one\nline two", "tab\there",
            "杭州星河贸易有限公司", "ООО «Северный ветер»", "it's \"quoted\"", "a: b # c",
            "- dash", "https://xinghe.example/a?b=c", "a:b", "C#", "x=1", "...", "---",
            "'", "''", "\"", "\\", "\\n", "%x", "<<", "--06-01", "é\u{301}",
        ])
        .prop_map(str::to_string),
        1 => (0usize..100).prop_map(|n| format!("{n} {}", "long line ".repeat(60))),
    ]
    .boxed()
}

/// Text for a key: the reader leaves keys over 512 bytes to the full parser,
/// since libyaml refuses plain keys over 1024 characters, and `<<`.
fn key_text() -> BoxedStrategy<String> {
    text()
        .prop_filter("a key", |s| s.len() <= 500 && s != "<<")
        .boxed()
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..4)
}

fn date() -> impl Strategy<Value = Date> {
    (1990i32..2030, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| Date::from_ymd_opt(y, m, d).expect("valid day"))
}

fn yearly() -> impl Strategy<Value = YearlyDate> {
    prop_oneof![
        date().prop_map(YearlyDate::Full),
        (1u32..13, 1u32..29).prop_map(|(month, day)| YearlyDate::MonthDay { month, day }),
        Just(YearlyDate::MonthDay { month: 2, day: 29 }),
    ]
}

/// Amounts from a cent to the largest a field may hold.
fn money() -> impl Strategy<Value = Money> {
    prop_oneof![
        (-1_000_000i128..100_000_000).prop_map(Money::from_cents),
        Just(Money::from_cents(100_000_000_000_000_000)),
        Just(Money::ZERO),
    ]
}

/// Names for unknown keys: never a known key of the map they go in.
fn unknown_key() -> impl Strategy<Value = String> {
    prop_oneof![
        "x_[a-z0-9_]{1,8}",
        prop::sample::select(vec![
            "no",
            "1",
            "2026-01-01",
            "a b",
            "é",
            "-k",
            "k:",
            "a:b",
            "#k",
            "'k",
            "数据",
            "zz",
        ])
        .prop_map(str::to_string),
    ]
}

fn unknown_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => text().prop_map(Value::String),
        1 => proptest::collection::vec(text().prop_map(Value::String), 0..3)
            .prop_map(Value::Sequence),
    ]
}

fn extra() -> BoxedStrategy<Extra> {
    proptest::collection::btree_map(unknown_key(), unknown_value(), 0..3).boxed()
}

/// Unknown keys of a history entry: text values, as flow maps hold them.
fn history_extra() -> BoxedStrategy<Extra> {
    proptest::collection::btree_map(unknown_key(), text().prop_map(Value::String), 0..2).boxed()
}

fn when() -> impl Strategy<Value = When> {
    (date(), proptest::option::of((0u32..24, 0u32..60))).prop_map(|(date, time)| When {
        date,
        time: time.and_then(|(h, m)| chrono::NaiveTime::from_hms_opt(h, m, 0)),
    })
}

fn interaction() -> BoxedStrategy<Interaction> {
    (
        when(),
        prop::sample::select(vec![
            "call", "purchase", "payment", "refund", "note", "demo",
        ]),
        (opt_text(), opt_text(), opt_text()),
        (
            proptest::option::of(money()),
            proptest::option::of(money()),
            proptest::option::of(1u32..100),
        ),
        (opt_text(), opt_text(), proptest::option::of(1u8..6)),
        (
            opt_text(),
            proptest::option::of(prop::sample::select(vec![
                CaseStatus::Open,
                CaseStatus::Resolved,
            ])),
            proptest::option::of(date()),
            opt_text(),
        ),
        extra(),
    )
        .prop_map(
            |(
                date,
                kind,
                (summary, by, deal),
                (amount, cost, number),
                (product, payment, rating),
                (with, status, resolved, resolution),
                extra,
            )| {
                Interaction {
                    date,
                    kind: kind.to_string(),
                    number,
                    summary,
                    by,
                    deal,
                    amount,
                    cost,
                    product,
                    payment,
                    rating,
                    with,
                    status,
                    resolved,
                    resolution,
                    extra,
                }
            },
        )
        .boxed()
}

fn task() -> BoxedStrategy<Task> {
    (
        proptest::option::of(1..1000u32),
        date(),
        text().prop_filter("a task says what", |s| !s.is_empty()),
        proptest::option::of(date()),
        extra(),
    )
        .prop_map(|(number, due, what, done, extra)| Task {
            number,
            due,
            what,
            done,
            extra,
        })
        .boxed()
}

const STAGES: &[&str] = &["met", "opportunity", "proposal", "paid"];

fn history_entry() -> BoxedStrategy<HistoryEntry> {
    (
        proptest::option::of(prop::sample::select(STAGES)),
        proptest::option::of(prop::sample::select(vec![
            Outcome::Open,
            Outcome::Won,
            Outcome::Lost,
        ])),
        date(),
        history_extra(),
    )
        .prop_map(|(stage, outcome, date, extra)| HistoryEntry {
            stage: stage
                .map(str::to_string)
                .or(outcome.is_none().then(|| "met".into())),
            outcome,
            date,
            extra,
        })
        .boxed()
}

fn deal(n: usize) -> BoxedStrategy<Deal> {
    (
        text(),
        (opt_text(), proptest::option::of(money())),
        prop::sample::select(STAGES),
        proptest::option::of(prop::sample::select(vec![
            Outcome::Open,
            Outcome::Won,
            Outcome::Lost,
        ])),
        (opt_text(), opt_text()),
        (
            proptest::option::of(date()),
            proptest::option::of(prop::sample::select(vec!["30d", "6w", "2m", "1y"])),
        ),
        proptest::collection::vec(history_entry(), 0..4),
        extra(),
    )
        .prop_map(
            move |(
                id,
                (title, value),
                stage,
                outcome,
                (lost_reason, competitor),
                (close, terms),
                history,
                extra,
            )| {
                Deal {
                    // Unique within the customer, and never empty.
                    id: format!("{id}{n}"),
                    title,
                    value,
                    stage: stage.to_string(),
                    outcome,
                    lost_reason,
                    competitor,
                    close,
                    terms: terms.and_then(|t| Span::parse(t).ok()),
                    invoices: Vec::new(),
                    history,
                    extra,
                }
            },
        )
        .boxed()
}

fn contact() -> BoxedStrategy<Contact> {
    (
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        proptest::collection::btree_map(key_text(), text(), 0..3),
        extra(),
    )
        .prop_map(
            |((email, phone, address, website, preferred), social, extra)| Contact {
                email,
                phone,
                address,
                website,
                social: social.into_iter().collect(),
                preferred,
                extra,
            },
        )
        .boxed()
}

fn profile() -> BoxedStrategy<Profile> {
    (
        proptest::option::of(yearly()),
        proptest::option::of(yearly()),
        opt_text(),
        texts(),
        texts(),
        opt_text(),
        extra(),
    )
        .prop_map(
            |(birthday, anniversary, family, hobbies, groups, note, extra)| Profile {
                birthday,
                anniversary,
                family,
                hobbies,
                groups,
                note,
                extra,
            },
        )
        .boxed()
}

fn person() -> BoxedStrategy<Person> {
    (
        text().prop_filter("a name", |s| !s.trim().is_empty()),
        (opt_text(), opt_text(), opt_text(), opt_text()),
        (proptest::option::of(yearly()), opt_text()),
        (proptest::option::of(date()), proptest::option::of(date())),
        extra(),
    )
        .prop_map(
            |(name, (role, email, phone, wechat), (birthday, note), (since, left), extra)| Person {
                name,
                role,
                email,
                phone,
                wechat,
                birthday,
                note,
                since,
                left,
                extra,
            },
        )
        .boxed()
}

/// File stems, some of which must be quoted in an `id:` key.
/// The empty stem stands for a file name that says nothing (git's merge
/// driver): the `id:` key is then the id.
const STEMS: &[&str] = &["cust", "no", "2026", "杭州星河贸易", "a.b-c_d", ""];

fn record() -> BoxedStrategy<Record> {
    (
        (
            prop::sample::select(STEMS),
            any::<bool>(),
            text().prop_filter("a name", |s| !s.trim().is_empty()),
        ),
        (
            proptest::option::of(prop::sample::select(vec![
                CustomerKind::Company,
                CustomerKind::Person,
            ])),
            opt_text(),
            opt_text(),
            opt_text(),
            proptest::option::of(prop::sample::select(vec![
                Tier::Prospect,
                Tier::Regular,
                Tier::Vip,
            ])),
            proptest::option::of(prop::sample::select(vec![
                Relationship::Basic,
                Relationship::Partnership,
            ])),
            proptest::option::of(any::<bool>()),
        ),
        texts(),
        (
            contact(),
            profile(),
            proptest::collection::vec(person(), 0..3),
            proptest::option::of(money()),
        ),
        (deal(1), deal(2), deal(3), 0usize..4),
        proptest::collection::vec(task(), 0..3),
        proptest::collection::vec(interaction(), 0..6),
        extra(),
    )
        .prop_map(
            |(
                (stem, id_key, name),
                (kind, organization, owner, source, tier, relationship, tier_locked),
                tags,
                (contact, profile, contacts, acquisition_cost),
                (d1, d2, d3, deals),
                tasks,
                interactions,
                extra,
            )| Record {
                id: stem.to_string(),
                id_key,
                name,
                kind,
                organization,
                owner,
                source,
                tier,
                tier_locked,
                relationship,
                tags,
                contact,
                profile,
                contacts,
                acquisition_cost,
                deals: [d1, d2, d3].into_iter().take(deals).collect(),
                tasks,
                interactions,
                extra,
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------
// Mutations of a canonical text: what a hand edit, a bad merge or a broken
// disk makes of it.

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    SwapLines(usize, usize),
    DuplicateLine(usize),
    InsertLine(usize, &'static str),
    Indent(usize, i8),
    ReplaceByte(usize, u8),
    InsertByte(usize, u8),
    DeleteByte(usize),
}

/// Bytes that mean something to YAML or to the reader.
const BYTES: &[u8] = b" :-'\"#[]{},\\\t\r\n&*!|>?%@`~0129.Tx_aZ";

/// Lines worth inserting: comments, markers, blanks, stray keys.
const LINES: &[&str] = &[
    "# a comment",
    "",
    "---",
    "...",
    "=======",
    "<<<<<<< HEAD",
    "name: Other",
    "  - date: 2026-01-01",
    "    kind: call",
    "zz: x",
    "  zz: x",
    "    zz: x",
    "  - {stage: met, date: 2026-01-01}",
    "      - {stage: met, date: 2026-01-01}",
    "id: cust",
    "tags: [a, b]",
    "  extra: line",
    "\u{feff}name: x",
];

fn mutation() -> BoxedStrategy<Mutation> {
    let at = 0usize..10_000;
    prop_oneof![
        1 => at.clone().prop_map(Mutation::DeleteLine),
        1 => (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => at.clone().prop_map(Mutation::DuplicateLine),
        1 => (at.clone(), prop::sample::select(LINES)).prop_map(|(a, l)| Mutation::InsertLine(a, l)),
        1 => (at.clone(), prop::sample::select(vec![-2i8, -1, 1, 2]))
            .prop_map(|(a, d)| Mutation::Indent(a, d)),
        3 => (at.clone(), prop::sample::select(BYTES)).prop_map(|(a, b)| Mutation::ReplaceByte(a, b)),
        2 => (at.clone(), prop::sample::select(BYTES)).prop_map(|(a, b)| Mutation::InsertByte(a, b)),
        2 => at.prop_map(Mutation::DeleteByte),
    ]
    .boxed()
}

/// `text` with `m` applied; positions wrap around, byte edits land on
/// character boundaries so the result stays UTF-8.
fn mutate(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let joined = |lines: Vec<String>| lines.iter().map(|l| format!("{l}\n")).collect();
    match *m {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
            joined(lines)
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            lines.swap(a % n, b % n);
            joined(lines)
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
            joined(lines)
        }
        Mutation::InsertLine(i, line) => {
            lines.insert(i % (lines.len() + 1), line.to_string());
            joined(lines)
        }
        Mutation::Indent(i, d) if !lines.is_empty() => {
            let line = &mut lines[i % n];
            *line = if d > 0 {
                format!("{}{line}", " ".repeat(d as usize))
            } else {
                let cut = line.len() - line.trim_start_matches(' ').len();
                line[cut.min(d.unsigned_abs() as usize)..].to_string()
            };
            joined(lines)
        }
        Mutation::ReplaceByte(at, b) => {
            let at = boundary(at);
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            format!("{}{}{}", &text[..at], b as char, &text[end..])
        }
        Mutation::InsertByte(at, b) => {
            let at = boundary(at);
            format!("{}{}{}", &text[..at], b as char, &text[at..])
        }
        Mutation::DeleteByte(at) => {
            let at = boundary(at);
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            format!("{}{}", &text[..at], &text[end..])
        }
        _ => text.to_string(),
    }
}

proptest! {
    // XorShift: ChaCha, unoptimised in a test build, would take a third of
    // the time.
    #![proptest_config(ProptestConfig {
        cases: 2000,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    })]

    /// Every text kith writes is read by the fast reader, as the full parser
    /// reads it.
    #[test]
    fn reads_every_canonical_text_as_the_full_parser(r in record()) {
        let text = emit_record(&r);
        let schema = schema();
        let full = parse_record_full(text.as_bytes(), &r.id, &schema)
            .map_err(|e| TestCaseError::fail(format!("full parser: {e}\n{text}")))?;
        let fast = fast::parse(&text, &r.id, &schema);
        prop_assert_eq!(fast.as_ref(), Some(&full), "{}", text);
    }

    /// The binary form the cache of parsed records keeps gives back the very
    /// record, so a report from the cache answers as one from the files.
    #[test]
    fn the_cache_form_gives_back_the_record(r in record()) {
        let mut bytes = Vec::new();
        binary::encode(&r, &mut bytes);
        prop_assert_eq!(binary::decode(&bytes), Some(r));
    }

    /// On a mutated canonical text, the fast reader steps aside or gives the
    /// full parser's answer; never another one.
    #[test]
    fn never_answers_otherwise_than_the_full_parser(
        r in record(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut text = emit_record(&r);
        for m in &mutations {
            text = mutate(&text, m);
        }
        agrees(&text, &r.id, &schema()).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------
// Exhaustive single edits of one rich canonical text.

/// A canonical text using every field, every scalar form, unknown keys with
/// text and list values at every level.
const SAMPLE: &str = "\
id: cust
name: 杭州星河贸易有限公司
kind: company
owner: li.wei
source: trade-show
tier: vip
relationship: proactive
tags: [wholesale, east, 'no', '2026', \"a\\tb\"]
contact:
  email: buyer@xinghe.example
  phone: '+86 571 0000 0000'
  address: 西湖区文三路 90 号
  website: https://xinghe.example
  social:
    wechat: xinghe_buyer
    'no': 'yes'
  preferred: phone
  fax: '0571 8888 0000'
profile:
  birthday: 1979-03-14
  anniversary: --06-01
  family: 'Wife: 王芳; son''s at university'
  hobbies: [golf, tea]
  groups: [Zhejiang Importers Association]
  x_lists: [a, 'b c']
acquisition_cost: 800.00
deals:
  - id: erp-2026
    title: ERP rollout
    value: 50000.00
    stage: proposal
    outcome: open
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: opportunity, date: 2026-03-10, note: fast}
      - {stage: proposal, date: 2026-04-01}
  - id: scanners
    title: Warehouse scanners
    value: 18000.00
    stage: opportunity
    outcome: lost
    lost_reason: price
    competitor: Globex
    history:
      - {stage: met, date: 2026-05-01}
      - {outcome: lost, date: 2026-06-15}
    x_deal: kept
tasks:
  - due: 2026-11-30
    what: Send the signed contract
  - due: 2026-12-05
    what: 'Call back: confirm the delivery date'
    done: 2026-11-21
    x_task: kept
crm_legacy_id: X-17
'数据': ['1', '2']
interactions:
  - date: 2026-11-20
    kind: call
    summary: Discussed the revised quote
    by: li.wei
    deal: erp-2026
  - date: 2026-11-20T15:30
    kind: purchase
    summary: \"Spring order\\nsecond line \\\"A\\\" \\\\ \\x85\\u2028\"
    amount: 12000.00
    cost: 300.00
    product: ERP licences
    payment: bank-transfer
  - date: 2026-11-21
    kind: refund
    amount: 500.00
  - date: 2026-11-22
    kind: feedback
    summary: Happy with the support
    rating: 4
    x_interaction: kept
";

#[test]
fn the_sample_is_read_fast_and_in_full() {
    let full = parse_record_full(SAMPLE.as_bytes(), "cust", &schema()).expect("the sample parses");
    assert_eq!(fast::parse(SAMPLE, "cust", &schema()), Some(full.clone()));
    // Spot checks that the sample exercises what it claims to.
    assert_eq!(full.tags[4], "a\tb");
    assert_eq!(full.contact.social[1], ("no".into(), "yes".into()));
    assert_eq!(
        full.profile.family.as_deref(),
        Some("Wife: 王芳; son's at university")
    );
    assert_eq!(
        full.interactions[1].summary.as_deref(),
        Some("Spring order\nsecond line \"A\" \\ \u{85}\u{2028}")
    );
    assert_eq!(
        full.interactions[2].amount,
        Some(Money::from_cents(-50_000))
    );
    assert_eq!(
        full.deals[0].history[1].extra["note"],
        Value::String("fast".into())
    );
    assert_eq!(
        full.extra["数据"],
        Value::Sequence(vec![Value::String("1".into()), Value::String("2".into())])
    );
}

/// Every single-line deletion, duplication and swap with the next line, and
/// every replacement of a character by one of the bytes YAML reads most
/// into: the fast reader
/// agrees each time, and still reads the many results that stay canonical.
#[test]
fn every_single_edit_of_the_sample_agrees() {
    let schema = schema();
    let lines = SAMPLE.lines().count();
    let mut texts = Vec::new();
    for i in 0..lines {
        texts.push(mutate(SAMPLE, &Mutation::DeleteLine(i)));
        texts.push(mutate(SAMPLE, &Mutation::DuplicateLine(i)));
        texts.push(mutate(SAMPLE, &Mutation::SwapLines(i, i + 1)));
    }
    for (at, _) in SAMPLE.char_indices() {
        for &b in b" :'\"#,]}\\\t0x" {
            texts.push(mutate(SAMPLE, &Mutation::ReplaceByte(at, b)));
        }
    }
    let mut read = 0;
    for text in &texts {
        match agrees(text, "cust", &schema) {
            Ok(Some(_)) => read += 1,
            Ok(None) => {}
            Err(e) => panic!("{e}"),
        }
    }
    // Deleting an optional line, or changing a letter of a value, leaves a
    // canonical text: a reader that always stepped aside would fail here.
    assert!(
        read > texts.len() / 10,
        "only {read} of {} read",
        texts.len()
    );
}

// ---------------------------------------------------------------------------
// Scalars, one form at a time.

/// The `owner` the fast reader reads from `value`, and the full parser's.
fn owner(value: &str) -> (Option<String>, Result<Option<String>, String>) {
    let text = format!("name: x\nowner: {value}\n");
    let fast = fast::parse(&text, "x", &Schema::default()).map(|r| r.owner.unwrap_or_default());
    let full = parse_record_full(text.as_bytes(), "x", &Schema::default())
        .map(|r| r.owner)
        .map_err(|e| e.to_string());
    (fast, full)
}

#[test]
fn reads_each_scalar_form_as_the_full_parser() {
    for (value, expected) in [
        ("li.wei", "li.wei"),
        ("Иванов Пётр", "Иванов Пётр"),
        ("a:b", "a:b"),
        ("C#", "C#"),
        ("'no'", "no"),
        ("'it''s'", "it's"),
        ("''''", "'"),
        ("''", ""),
        ("'a: b # c'", "a: b # c"),
        ("\"a\\nb\"", "a\nb"),
        ("\"\\\"\\\\\\t\\r\\0\"", "\"\\\t\r\0"),
        ("\"\\x41\\x85\"", "A\u{85}"),
        ("\"\\u00e9\\u2028\\ufeff\"", "é\u{2028}\u{feff}"),
        ("\"plain\"", "plain"),
    ] {
        let (fast, full) = owner(value);
        assert_eq!(fast.as_deref(), Some(expected), "{value}");
        assert_eq!(full, Ok(Some(expected.to_string())), "{value}");
    }
}

/// Scalars the fast reader leaves to the full parser: what the emitter would
/// have quoted, escapes it never writes, quotes left open, padding.
#[test]
fn steps_aside_for_scalars_the_emitter_never_writes() {
    for value in [
        "no",
        "~",
        "null",
        "12",
        "1.10",
        "2026-01-01",
        "-dash",
        "&anchor x",
        "*alias",
        "!tag x",
        "|",
        ">",
        "[a]",
        "{a: b}",
        "a #comment",
        "'open",
        "\"open",
        "'a' trailing",
        "\"\\e\"",
        "\"\\/\"",
        "\"\\x4\"",
        "\"\\ud800\"",
        "\"\\U0001F600\"",
        "\"a\u{85}b\"",
        "'a\u{85}b'",
        "'a\u{a0}b'",
        "a\u{a0}b",
        " two spaces",
        "trailing ",
        "",
    ] {
        let (fast, full) = owner(value);
        assert_eq!(fast, None, "{value:?} (the full parser says {full:?})");
    }
}

#[test]
fn reads_lists_and_history_maps() {
    let text = "name: x\ntags: []\nprofile:\n  hobbies: ['a, b', \"c]\", d]\n\
                deals:\n  - id: d\n    stage: met\n    history:\n      \
                - {stage: met, outcome: won, date: 2026-01-02, 'z k': 'v, w'}\n";
    let r = agrees(text, "x", &Schema::default())
        .expect("agrees")
        .expect("read fast");
    assert!(r.tags.is_empty());
    assert_eq!(r.profile.hobbies, ["a, b", "c]", "d"]);
    assert_eq!(r.deals[0].history[0].outcome, Some(Outcome::Won));
    assert_eq!(
        r.deals[0].history[0].extra["z k"],
        Value::String("v, w".into())
    );
}

/// Layouts and constructs the fast reader leaves to the full parser, each
/// of which the full parser reads or refuses on its own.
#[test]
fn steps_aside_for_anything_but_the_canonical_layout() {
    let none = [
        // Comments, document markers, byte-order mark, CRLF, tabs.
        "name: x # note\n",
        "# note\nname: x\n",
        "---\nname: x\n",
        "name: x\n...\n",
        "\u{feff}name: x\n",
        "name: x\r\n",
        "name:\tx\n",
        // No final line feed; blank lines.
        "name: x",
        "name: x\n\n",
        // Keys out of canonical order, repeated, or unknown before known.
        "owner: a\nname: x\n",
        "name: x\nname: y\n",
        "name: x\nzz: a\nowner: b\n",
        "name: x\nzz: a\nyy: b\n",
        "name: x\nzz: a\nzz: b\n",
        // Indentation other than the emitter's.
        "name: x\ncontact:\n   email: a\n",
        "name: x\ncontact:\n email: a\n",
        "name: x\ndeals:\n- id: d\n  stage: met\n",
        "name: x\ntasks:\n  - due: 2026-01-01\n      what: y\n",
        "name:  x\n",
        // Flow and block forms the emitter does not use.
        "name: x\ntags:\n  - a\n",
        "name: x\ntags: [a,b]\n",
        "name: x\ncontact: {email: a}\n",
        "name: x\nzz:\n  nested: map\n",
        "name: x\nzz: {a: b}\n",
        "name: x\nzz: 12\n",
        "name: x\nzz:\n",
        "name: |\n  x\n",
        "name: x\n  continued\n",
        "name: &a x\nowner: *a\n",
        "name: !!str x\n",
        "? name\n: x\n",
        // Merge keys, conflict markers, document ends, over-long keys.
        "name: x\n'<<': y\n",
        "name: x\n<<<<<<< HEAD: y\n",
        "name: x\n=======: y\n",
        "name: x\n... x: y\n",
        // U+FFFF, which libyaml refuses anywhere.
        "name: x\u{ffff}\n",
        // Invalid records: the full parser's errors to report.
        "owner: x\n",
        "name: ''\n",
        "name: '  '\n",
        "id: other\nname: x\n",
        "name: x\nkind: robot\n",
        "name: x\nacquisition_cost: 1.234\n",
        "name: x\nacquisition_cost: 1e3\n",
        "name: x\nprofile:\n  birthday: 2026-02-30\n",
        "name: x\ndeals:\n  - id: d\n    stage: nowhere\n",
        "name: x\ndeals:\n  - id: d\n    title: t\n",
        "name: x\ndeals:\n  - title: t\n    stage: met\n",
        "name: x\ndeals:\n  - id: d\n    stage: met\n  - id: d\n    stage: met\n",
        "name: x\ndeals:\n  - id: d\n    stage: met\n    history:\n      - {date: 2026-01-01}\n",
        "name: x\ndeals:\n  - id: d\n    stage: met\n    history:\n      - {stage: met}\n",
        "name: x\ndeals:\n  - id: d\n    stage: met\n    history:\n      - {date: 2026-01-01, stage: met}\n",
        "name: x\ntasks:\n  - due: 2026-01-01\n",
        "name: x\ntasks:\n  - due: 2026-01-01\n    what: ''\n",
        "name: x\ninteractions:\n  - date: 2026-01-01\n",
        "name: x\ninteractions:\n  - date: 2026-01-01T25:00\n    kind: call\n",
        "name: x\ninteractions:\n  - date: 2026-01-01\n    kind: séance\n",
        "name: x\ninteractions:\n  - date: 2026-01-01\n    kind: call\n    rating: 6\n",
        "name: x\ncontact:\n  social:\n    a: b\n    a: c\n",
    ];
    for text in none {
        assert_eq!(fast::parse(text, "x", &schema()), None, "{text:?}");
    }
    let long_key = format!("name: x\n{}: y\n", "k".repeat(1100));
    assert_eq!(fast::parse(&long_key, "x", &schema()), None);
}

/// Equal texts the full parser accepts, which the fast reader also reads:
/// empty blocks are absent values to both.
#[test]
fn reads_empty_blocks_as_the_full_parser() {
    for text in [
        "name: x\ncontact:\nprofile:\n",
        "name: x\ndeals:\ntasks:\ninteractions:\n",
        "name: x\ncontact:\n  social:\n",
    ] {
        assert!(
            agrees(text, "x", &schema()).expect("agrees").is_some(),
            "{text:?}"
        );
    }
}

#[test]
fn keeps_a_refund_negative_and_checks_the_id_key() {
    let text = "id: '2026'\nname: x\ninteractions:\n  - date: 2026-01-01\n    kind: refund\n    amount: 5.00\n";
    let r = agrees(text, "2026", &schema())
        .expect("agrees")
        .expect("read fast");
    assert!(r.id_key);
    assert_eq!(r.id, "2026");
    assert_eq!(r.interactions[0].amount, Some(Money::from_cents(-500)));
    assert_eq!(fast::parse(text, "2027", &schema()), None);
    // A file name that says nothing: the `id:` key is the id.
    let r = agrees(text, "", &schema())
        .expect("agrees")
        .expect("read fast");
    assert_eq!(r.id, "2026");
}

/// Without a funnel or kinds (no `kith.yaml` read), any stage and kind go.
#[test]
fn reads_any_stage_and_kind_without_a_schema() {
    let text = "name: x\ndeals:\n  - id: d\n    stage: nowhere\n\
                interactions:\n  - date: 2026-01-01\n    kind: séance\n";
    let r = agrees(text, "x", &Schema::default())
        .expect("agrees")
        .expect("read fast");
    assert_eq!(r.deals[0].stage, "nowhere");
    assert_eq!(r.interactions[0].kind, "séance");
    assert_eq!(fast::parse(text, "x", &schema()), None);
}

/// `parse_record` gives the full parser's located error when the fast reader
/// steps aside, and the same record either way.
#[test]
fn parse_record_falls_back_to_the_full_parser() {
    let bad = "name: x\nkind: robot\n";
    let e = parse_record(bad.as_bytes(), "x", &schema()).expect_err("a bad kind");
    assert_eq!((e.line, e.column), (2, 7));
    let commented = "name: x # note\n";
    let r = parse_record(commented.as_bytes(), "x", &schema()).expect("parses in full");
    assert_eq!(r.name, "x");
    let canonical = parse_record(SAMPLE.as_bytes(), "cust", &schema()).expect("parses");
    assert_eq!(
        Some(canonical),
        parse_record_full(SAMPLE.as_bytes(), "cust", &schema()).ok()
    );
}

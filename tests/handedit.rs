//! Hand-kept files through every write command: comments, blank lines,
//! quoting, key order and list style stay as their author wrote them, and
//! only the lines of the changed entries differ. The commands run on copies
//! of `fixtures/handwritten`; each result is compared with the original line
//! by line.

mod util;

use std::fs;

use util::{Test, repo_root};

fn folder() -> Test {
    Test::fixture("handwritten").today("2026-11-23")
}

fn original(file: &str) -> String {
    let path = repo_root().join("fixtures/handwritten").join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines that differ between two texts, from a longest-common-subsequence
/// diff of their lines: `-N line` for a line of `old` (N its number there)
/// that is gone, `+N line` for a line of `new` (N its number there) that is
/// new, in the order of the texts.
fn changes(old: &str, new: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let w = b.len() + 1;
    let mut len = vec![0usize; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            len[i * w + j] = if a[i] == b[j] {
                len[(i + 1) * w + j + 1] + 1
            } else {
                len[(i + 1) * w + j].max(len[i * w + j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j == b.len() || (i < a.len() && len[(i + 1) * w + j] >= len[i * w + j + 1]) {
            out.push(format!("-{} {}", i + 1, a[i]));
            i += 1;
        } else {
            out.push(format!("+{} {}", j + 1, b[j]));
            j += 1;
        }
    }
    out
}

/// Asserts that `file` differs from its original in exactly these lines.
#[track_caller]
fn assert_changes(t: &Test, file: &str, expected: &[&str]) {
    let now = t.read(file);
    assert_eq!(
        changes(&original(file), &now),
        expected,
        "\n--- {file} now:\n{now}"
    );
}

#[test]
fn the_diff_helper_reports_lines_with_their_numbers() {
    assert_eq!(
        changes("a\nb\nc\n", "a\nB\nc\nd\n"),
        ["-2 b", "+2 B", "+4 d"]
    );
    assert!(changes("a\n", "a\n").is_empty());
}

// ---------------------------------------------------------------------------
// set

#[test]
fn set_changes_only_the_keys_it_sets() {
    let t = folder();
    t.run(&[
        "set",
        "xinghe",
        "owner=zhang.san",
        "source=expo",
        "tier=vip",
        "tags+=vip",
        "crm.segment=silver",
        "contact.email=",
    ])
    .success()
    .stdout_empty();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "-6 owner: li.wei            # account manager",
            "-7 tags: [wholesale, east]",
            "-8 source: \"trade-show\"     # Canton Fair 2019",
            "+6 owner: zhang.san            # account manager",
            "+7 tags: [wholesale, east, vip]",
            "+8 source: \"expo\"     # Canton Fair 2019",
            "+9 tier: vip",
            "-13   email: buyer@xinghe.example",
            "-40   segment: gold",
            "+40   segment: silver",
        ],
    );
}

#[test]
fn set_on_block_lists_flow_maps_and_a_four_column_file() {
    let t = folder();
    t.run(&[
        "set",
        "severny",
        "tags-=on",
        "contact.social.max=veter",
        "source=",
        "profile.birthday=--05-01",
    ])
    .success();
    assert_changes(
        &t,
        "severny.yaml",
        &[
            "-4 source: no                 # PyYAML reads this as false",
            "-8 - on                       # and this as true",
            "-13     social: {telegram: veter_spb, vk: \"severny\"}",
            "+11     social: {telegram: veter_spb, vk: \"severny\", max: veter}",
            "+12 profile:",
            "+13     birthday: --05-01",
        ],
    );
}

#[test]
fn set_on_a_file_with_document_markers_and_block_scalars() {
    let t = folder();
    t.run(&[
        "set",
        "acme",
        "contact.phone=555 0100",
        "notes=Quarterly reviews",
        "tags=key,east",
    ])
    .success();
    assert_changes(
        &t,
        "acme.yaml",
        &[
            "-5 contact: {email: sales@acme.example, website: \"https://acme.example\"}",
            "+5 tags: [key, east]",
            "+6 contact: {email: sales@acme.example, phone: '555 0100', website: \"https://acme.example\"}",
            "-7 notes: >",
            "-8   Long-standing customer; prefers",
            "-9   quarterly reviews.",
            "+8 notes: Quarterly reviews",
        ],
    );
}

// ---------------------------------------------------------------------------
// log, task, done

#[test]
fn log_inserts_at_the_sorted_place_with_its_follow_up() {
    let t = folder();
    t.run(&[
        "log",
        "xinghe",
        "call",
        "Checked the contract",
        "--date",
        "2026-10-05",
        "--follow-up",
        "2026-12-01",
    ])
    .success();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "+34   - number: 3",
            "+35     due: 2026-12-01",
            "+36     what: 'Follow up: Checked the contract'",
            "+57   - date: 2026-10-05",
            "+58     kind: call",
            "+59     summary: Checked the contract",
            "+60 ",
        ],
    );
}

#[test]
fn log_into_a_list_kept_out_of_order() {
    let t = folder();
    t.run(&["log", "severny", "call", "Звонок", "--date", "2026-03-01"])
        .success();
    assert_changes(
        &t,
        "severny.yaml",
        &[
            "+31 -   date: 2026-03-01",
            "+32     kind: call",
            "+33     summary: Звонок",
        ],
    );
}

#[test]
fn task_adds_the_list_at_its_canonical_place() {
    let t = folder();
    t.run(&["task", "acme", "Send the renewal", "--due", "2026-12-15"])
        .success();
    assert_changes(
        &t,
        "acme.yaml",
        &[
            "+7 tasks:",
            "+8   - number: 1",
            "+9     due: 2026-12-15",
            "+10     what: Send the renewal",
        ],
    );
}

#[test]
fn done_adds_one_line_under_the_task() {
    let t = folder();
    t.run(&["done", "xinghe"]).success();
    assert_changes(&t, "xinghe.yaml", &["+34     done: 2026-11-23"]);
}

// ---------------------------------------------------------------------------
// deal, advance, lose, reopen

#[test]
fn deal_opens_a_deal_in_the_file_s_style() {
    let t = folder();
    t.run(&["deal", "severny", "Сервис", "--value", "1000"])
        .success()
        .stdout_is("сервис\n");
    assert_changes(
        &t,
        "severny.yaml",
        &[
            "+24 -   id: сервис",
            "+25     title: Сервис",
            "+26     value: 1000.00",
            "+27     stage: met",
            "+28     outcome: open",
            "+29     history:",
            "+30     -   stage: met",
            "+31         date: 2026-11-23",
        ],
    );
}

#[test]
fn advance_writes_history_as_the_file_does() {
    let t = folder();
    t.run(&["advance", "severny"]).success();
    assert_changes(
        &t,
        "severny.yaml",
        &[
            "-18     stage: needs",
            "+18     stage: proposal",
            "+24     -   stage: proposal",
            "+25         date: 2026-11-23",
        ],
    );
}

#[test]
fn winning_a_deal_logs_its_payment_in_place() {
    let t = folder();
    t.run(&["advance", "xinghe", "--to", "paid"]).success();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "-25     stage: proposal",
            "-26     outcome: open",
            "+25     stage: paid",
            "+26     outcome: won",
            "+27     invoices:",
            "+28       - {'no': 1, date: 2026-11-23, amount: 50000.00, due: 2026-12-23}",
            "+32       - {stage: paid, date: 2026-11-23}",
            "+33       - {outcome: won, date: 2026-11-23}",
            "+62 ",
            "+63   - date: 2026-11-23",
            "+64     kind: payment",
            "+65     summary: Payment for ERP 系统",
            "+66     deal: erp-2026",
            "+67     amount: 50000.00",
        ],
    );
}

#[test]
fn lose_then_reopen() {
    let t = folder();
    t.run(&[
        "lose",
        "xinghe",
        "--reason",
        "price",
        "--competitor",
        "Globex",
    ])
    .success();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "-26     outcome: open",
            "+26     outcome: lost",
            "+27     lost_reason: price",
            "+28     competitor: Globex",
            "+32       - {outcome: lost, date: 2026-11-23}",
        ],
    );
    t.run(&["reopen", "xinghe", "--date", "2026-11-24"])
        .success();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "+27     lost_reason: price",
            "+28     competitor: Globex",
            "+32       - {outcome: lost, date: 2026-11-23}",
            "+33       - {outcome: open, date: 2026-11-24}",
        ],
    );
}

// ---------------------------------------------------------------------------
// Canonical files, refusals, the other writers, check

#[test]
fn a_canonical_file_stays_canonical() {
    let t = folder();
    t.run(&["log", "globex", "call", "Renewal", "--date", "2026-09-01"])
        .success();
    t.run(&["set", "globex", "tier=regular"]).success();
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex\nowner: bob\ntier: regular\ntags: [export]\ninteractions:\n  - date: 2026-09-01\n    kind: call\n    summary: Renewal\n  - date: 2026-10-01\n    kind: call\n"
    );
    let r = t.run(&["fmt", "--check"]);
    assert!(!r.stdout.contains("globex"), "{}", r.stdout);
}

#[test]
fn a_construct_the_editor_cannot_follow_is_refused_and_nothing_written() {
    let t = folder();
    let before = t.snapshot();
    let path = t.path().join("initech.yaml");
    t.run(&["set", "initech", "owner=bob"])
        .bad_input()
        .stderr_has(&format!(
            "{}: kith cannot edit this file in place (line 2: YAML anchors and aliases (& *)); nothing was written; run `kith fmt {} --force`",
            path.display(),
            path.display()
        ));
    t.run(&["log", "initech", "call"]).bad_input();
    assert!(t.snapshot() == before, "the folder changed");
    // The way out the message names works, and then so does the command.
    t.run(&["fmt", path.to_str().unwrap(), "--force"]).success();
    t.run(&["set", "initech", "owner=bob"]).success();
    assert_eq!(
        t.read("initech.yaml"),
        "name: Initech\nowner: bob\ndefaults:\n  team: east\nrouting:\n  team: east\n"
    );
}

#[test]
fn the_writer_of_multi_file_commands_keeps_the_layout_too() {
    // merge and import load with `load_for_write` and write with a batch,
    // under the folder lock.
    let t = folder();
    let store = kith::store::Store::open(t.path().to_path_buf()).unwrap();
    let lock = store.lock().unwrap();
    let loaded = store.load_for_write("xinghe").unwrap();
    let mut record = loaded.record.clone();
    record.owner = Some("zhang.san".into());
    record.tags.push("merged".into());
    let mut batch = store.batch();
    batch.replace(&store, &loaded, &record).unwrap();
    store.commit(&lock, batch, &|| {}).unwrap();
    assert_changes(
        &t,
        "xinghe.yaml",
        &[
            "-6 owner: li.wei            # account manager",
            "-7 tags: [wholesale, east]",
            "+6 owner: zhang.san            # account manager",
            "+7 tags: [wholesale, east, merged]",
        ],
    );
}

#[test]
fn windows_line_breaks_stay_through_an_edit() {
    let t = Test::new().today("2026-11-23").file(
        "w.yaml",
        "# from Notepad\r\nname: Windows  # sic\r\ninteractions:\r\n  - date: 2026-01-05\r\n    kind: call\r\n",
    );
    t.run(&["log", "w", "note", "Hi"]).success();
    assert_eq!(
        t.read("w.yaml"),
        "# from Notepad\r\nname: Windows  # sic\r\ninteractions:\r\n  - date: 2026-01-05\r\n    kind: call\r\n  - date: 2026-11-23\r\n    kind: note\r\n    summary: Hi\r\n"
    );
}

#[test]
fn check_strict_warns_about_yaml_1_1_traps_anywhere() {
    let t = folder();
    let warn = |file: &str, at: &str, word: &str| {
        format!(
            "{}:{at}: warning: `{word}` is read as text by kith but as a number, date or yes/no by YAML 1.1 readers; quote it: '{word}'\n",
            t.path().join(file).display()
        )
    };
    let expected = [
        format!(
            "{}:2:1: warning: kith cannot check this file's quoting or edit it in place: YAML anchors and aliases (& *)\n",
            t.path().join("initech.yaml").display()
        ),
        warn("severny.yaml", "4:9", "no"),
        warn("severny.yaml", "8:3", "on"),
        warn("severny.yaml", "12:16", "0123"),
    ]
    .concat();
    t.run(&["check", "--strict"]).code(1).stdout_is(&expected);
    t.run(&["check"]).success().stdout_empty();
    // kith quotes such words whenever it writes them.
    t.run(&["set", "severny", "source=unknown", "tags-=on"])
        .success();
    t.run(&["set", "severny", "source=no"]).success();
    let r = t.run(&["check", "--strict"]);
    assert!(
        !r.stdout.contains("`no`") && !r.stdout.contains("`on`"),
        "{}",
        r.stdout
    );
    assert!(
        t.read("severny.yaml")
            .contains("\nsource: 'no'                 # PyYAML")
    );
}

// ---------------------------------------------------------------------------
// Properties over random hand-written layouts: random key order, comment
// lines above keys and list entries, comments after values, blank lines,
// each string quoted in a random style it allows, tags in flow or block
// style, two or four columns of indentation, with or without a final line
// break.

mod layouts {
    use kith::date::{Date, When};
    use kith::record::{
        Interaction, Record, Schema, Tier, double_quoted, needs_quotes, parse_record, rewrite,
        single_quoted,
    };
    use proptest::prelude::*;
    use yaml_serde::Value;

    /// A string as its author wrote it: plain (0), single-quoted (1) or
    /// double-quoted (2), taking the next style when the value needs it.
    #[derive(Debug, Clone)]
    struct Written {
        value: String,
        quote: u8,
    }

    impl Written {
        fn text(&self) -> String {
            if self.quote == 0 && !needs_quotes(&self.value) {
                return self.value.clone();
            }
            match single_quoted(&self.value) {
                Some(q) if self.quote <= 1 => q,
                _ => double_quoted(&self.value),
            }
        }
    }

    /// Values with the characters that trip YAML writers, CJK and Cyrillic.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z][a-zA-Z0-9 .@-]{0,11}[a-z]",
            "[-:#'\"!&*%@`|>?,\\[\\]{} a-z0-9]{1,8}",
            Just("no".to_string()),
            Just("on".to_string()),
            Just("0123".to_string()),
            Just("2026-01-01".to_string()),
            Just("1:20".to_string()),
            Just("+86 571 0000 0000".to_string()),
            Just("line one\nline two".to_string()),
            Just("杭州星河贸易有限公司".to_string()),
            Just("ООО «Северный ветер»".to_string()),
            Just("it's \"quoted\"".to_string()),
            Just("a: b # c".to_string()),
        ]
    }

    fn written() -> impl Strategy<Value = Written> {
        (value(), 0u8..3).prop_map(|(value, quote)| Written { value, quote })
    }

    fn name() -> impl Strategy<Value = Written> {
        written().prop_filter("a name is not blank", |w| !w.value.trim().is_empty())
    }

    fn comment() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            Just("note".to_string()),
            Just("跟进 after 3pm".to_string()),
            Just("важно: перезвонить".to_string()),
            Just("see #12".to_string()),
        ])
    }

    /// What surrounds a top-level key: a blank line and a comment line
    /// above it, a comment after its first line.
    #[derive(Debug, Clone)]
    struct Around {
        blank: bool,
        above: Option<String>,
        after: Option<String>,
    }

    fn around() -> impl Strategy<Value = Around> {
        (any::<bool>(), comment(), comment()).prop_map(|(blank, above, after)| Around {
            blank,
            above,
            after,
        })
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Key {
        Name,
        Owner,
        Source,
        Tier,
        Tags,
        Contact,
        Legacy,
        Interactions,
    }

    const KEYS: [Key; 8] = [
        Key::Name,
        Key::Owner,
        Key::Source,
        Key::Tier,
        Key::Tags,
        Key::Contact,
        Key::Legacy,
        Key::Interactions,
    ];

    #[derive(Debug, Clone)]
    struct Doc {
        order: Vec<Key>,
        around: Vec<Around>,
        name: Written,
        owner: Option<Written>,
        source: Option<Written>,
        tier: Option<(usize, u8)>,
        tags: Vec<(Written, Option<String>)>,
        flow_tags: bool,
        email: Option<Written>,
        phone: Option<Written>,
        legacy: Option<Written>,
        /// Dates (days into 2026), out of order as authors keep them.
        interactions: Vec<(u32, Option<Written>, Option<String>)>,
        /// Two or four columns of indentation.
        wide: bool,
        /// Lists at their key's own column.
        indentless: bool,
        /// A blank line between interactions.
        spaced: bool,
        final_break: bool,
    }

    const TIERS: [&str; 3] = ["prospect", "regular", "vip"];

    fn doc() -> impl Strategy<Value = Doc> {
        let values = (
            name(),
            proptest::option::of(written()),
            proptest::option::of(written()),
            proptest::option::of((0usize..3, 0u8..3)),
            proptest::collection::vec((written(), comment()), 0..4),
            proptest::option::of(written()),
            proptest::option::of(written()),
            proptest::option::of(written()),
        );
        let layout = (
            Just(KEYS.to_vec()).prop_shuffle(),
            proptest::collection::vec(around(), KEYS.len()),
            any::<bool>(),
            proptest::collection::vec(
                (0u32..360, proptest::option::of(written()), comment()),
                0..4,
            ),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        );
        (values, layout).prop_map(
            |(
                (name, owner, source, tier, tags, email, phone, legacy),
                (order, around, flow_tags, interactions, wide, indentless, spaced, final_break),
            )| Doc {
                order,
                around,
                name,
                owner,
                source,
                tier,
                tags,
                flow_tags,
                email,
                phone,
                legacy,
                interactions,
                wide,
                indentless,
                spaced,
                final_break,
            },
        )
    }

    fn day(n: u32) -> Date {
        Date::from_yo_opt(2026, n + 1).expect("a day of 2026")
    }

    fn render(d: &Doc) -> String {
        let step = if d.wide { 4 } else { 2 };
        let pad = " ".repeat(step);
        let dash = if d.indentless { "" } else { pad.as_str() };
        let mut out = String::new();
        for (key, around) in d.order.iter().zip(&d.around) {
            let after = around
                .after
                .as_ref()
                .map(|c| format!("  # {c}"))
                .unwrap_or_default();
            let scalar = |k: &str, w: &Option<Written>| {
                w.as_ref().map(|w| format!("{k}: {}{after}\n", w.text()))
            };
            let body = match key {
                Key::Name => Some(format!("name: {}{after}\n", d.name.text())),
                Key::Owner => scalar("owner", &d.owner),
                Key::Source => scalar("source", &d.source),
                Key::Legacy => scalar("legacy", &d.legacy),
                Key::Tier => d.tier.map(|(t, quote)| {
                    let w = Written {
                        value: TIERS[t].to_string(),
                        quote,
                    };
                    format!("tier: {}{after}\n", w.text())
                }),
                Key::Tags if d.tags.is_empty() => None,
                Key::Tags if d.flow_tags => {
                    let items: Vec<String> = d.tags.iter().map(|(w, _)| w.text()).collect();
                    Some(format!("tags: [{}]{after}\n", items.join(", ")))
                }
                Key::Tags => {
                    let mut s = format!("tags:{after}\n");
                    for (w, c) in &d.tags {
                        let c = c.as_ref().map(|c| format!("   # {c}")).unwrap_or_default();
                        s.push_str(&format!("{dash}- {}{c}\n", w.text()));
                    }
                    Some(s)
                }
                Key::Contact if d.email.is_none() && d.phone.is_none() => None,
                Key::Contact => {
                    let mut s = format!("contact:{after}\n");
                    if let Some(w) = &d.phone {
                        s.push_str(&format!(
                            "{pad}# the office line\n{pad}phone: {}\n",
                            w.text()
                        ));
                    }
                    if let Some(w) = &d.email {
                        s.push_str(&format!("{pad}email: {}\n", w.text()));
                    }
                    Some(s)
                }
                Key::Interactions if d.interactions.is_empty() => None,
                Key::Interactions => {
                    let mut s = format!("interactions:{after}\n");
                    for (k, (n, summary, c)) in d.interactions.iter().enumerate() {
                        if d.spaced && k > 0 {
                            s.push('\n');
                        }
                        if let Some(c) = c {
                            s.push_str(&format!("{dash}# {c}\n"));
                        }
                        s.push_str(&format!("{dash}- date: {}\n{dash}  kind: call\n", day(*n)));
                        if let Some(w) = summary {
                            s.push_str(&format!("{dash}  summary: {}\n", w.text()));
                        }
                    }
                    Some(s)
                }
            };
            if let Some(body) = body {
                if around.blank {
                    out.push('\n');
                }
                if let Some(c) = &around.above {
                    out.push_str(&format!("# {c}\n"));
                }
                out.push_str(&body);
            }
        }
        if !d.final_break {
            out.pop();
        }
        out
    }

    fn load(text: &str) -> Record {
        let mut r = parse_record(text.as_bytes(), "c", &Schema::default())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        r.sort_lists();
        r
    }

    /// The key a property changes, as `kith set` would.
    #[derive(Debug, Clone, Copy)]
    enum Target {
        Name,
        Owner,
        Source,
        Tier,
        Email,
        Phone,
        Tags,
        Legacy,
    }

    fn target() -> impl Strategy<Value = Target> {
        prop_oneof![
            Just(Target::Name),
            Just(Target::Owner),
            Just(Target::Source),
            Just(Target::Tier),
            Just(Target::Email),
            Just(Target::Phone),
            Just(Target::Tags),
            Just(Target::Legacy),
        ]
    }

    /// New values: words every quoting style can carry, so the changed
    /// value is written in the style of the one it replaces.
    fn words() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec("[a-z]{3,8}".prop_filter("plain", |w| !needs_quotes(w)), 4)
    }

    /// Sets `target` in `r` to the new `words` (a list keeps its length).
    fn set(r: &mut Record, target: Target, words: &[String]) {
        let word = words[0].clone();
        match target {
            Target::Name => r.name = word,
            Target::Owner => r.owner = Some(word),
            Target::Source => r.source = Some(word),
            Target::Email => r.contact.email = Some(word),
            Target::Phone => r.contact.phone = Some(word),
            Target::Legacy => {
                r.extra.insert("legacy".into(), Value::String(word));
            }
            Target::Tier => {
                r.tier = Some(match r.tier {
                    Some(Tier::Vip) => Tier::Regular,
                    _ => Tier::Vip,
                })
            }
            Target::Tags => {
                let n = r.tags.len().max(1);
                r.tags = words.iter().take(n).cloned().collect();
            }
        }
    }

    /// Gives `target` in `r` its value in `old` again.
    fn restore(r: &mut Record, old: &Record, target: Target) {
        match target {
            Target::Name => r.name = old.name.clone(),
            Target::Owner => r.owner = old.owner.clone(),
            Target::Source => r.source = old.source.clone(),
            Target::Email => r.contact.email = old.contact.email.clone(),
            Target::Phone => r.contact.phone = old.contact.phone.clone(),
            Target::Legacy => r.extra = old.extra.clone(),
            Target::Tier => r.tier = old.tier,
            Target::Tags => r.tags = old.tags.clone(),
        }
    }

    fn edit(text: &str, before: &Record, after: &Record) -> Result<String, TestCaseError> {
        rewrite(text, before, after, "c", &Schema::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- text:\n{text}")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn setting_a_key_and_back_gives_the_file_back(
            doc in doc(),
            target in target(),
            words in words(),
        ) {
            let text = render(&doc);
            let before = load(&text);
            let old_tags = &before.tags;
            prop_assume!(words.iter().all(|w| !old_tags.contains(w)));
            let mut changed = before.clone();
            set(&mut changed, target, &words);
            prop_assume!(changed != before);
            let middle = edit(&text, &before, &changed)?;
            prop_assert_ne!(&middle, &text);
            let reread = load(&middle);
            let mut back = reread.clone();
            restore(&mut back, &before, target);
            let end = edit(&middle, &reread, &back)?;
            prop_assert_eq!(end, text, "through:\n{}", middle);
        }

        #[test]
        fn logging_only_adds_lines(
            doc in doc(),
            n in 0u32..360,
            summary in proptest::option::of(value()),
        ) {
            let text = render(&doc);
            let before = load(&text);
            let mut after = before.clone();
            let mut entry = Interaction::new(When::day(day(n)), "note");
            entry.summary = summary;
            after.interactions.push(entry);
            let new = edit(&text, &before, &after)?;
            let changed = super::changes(&text, &new);
            prop_assert!(
                changed.iter().all(|c| c.starts_with('+')),
                "{:?}\n--- now:\n{}",
                changed,
                new
            );
        }
    }
}

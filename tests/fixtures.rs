//! The folders every example and test stands on: `fixtures/demo` keeps the
//! promises the README makes of it, `fixtures/broken` holds one planted
//! problem per file and `check` names each, and the generator behind the
//! benchmarks writes clean, canonical, reproducible folders.

mod util;

/// The generator is an example; its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/gen.rs"]
mod generator;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use kith::analysis::lifecycle::{Lifecycle, lifecycle};
use kith::analysis::{Window, totals};
use kith::config::Config;
use kith::date::{Date, YearlyDate, parse_iso};
use kith::money::Money;
use kith::record::id;
use kith::record::{BUILTIN_KINDS, CustomerKind, Outcome, Record, Tier};
use kith::store::Store;
use util::{Run, Test, repo_root};

const TODAY: &str = "2026-11-23";

fn d(s: &str) -> Date {
    parse_iso(s).expect("a test date")
}

/// kith run from the repository root, so paths read as in the README.
fn kith_at_root(args: &[&str]) -> Run {
    Run::from(
        Command::new(env!("CARGO_BIN_EXE_kith"))
            .current_dir(repo_root())
            .args(args)
            .env_remove("KITH_DIR")
            .env("KITH_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kith"),
    )
}

// ---------------------------------------------------------------------------
// fixtures/broken

#[test]
fn check_names_every_planted_problem() {
    let run = kith_at_root(&["--dir", "fixtures/broken", "check"]);
    run.code(1).stdout_is(concat!(
        "fixtures/broken/bad-yaml.yaml:4:6: did not find expected ',' or ']' (while parsing a flow sequence that starts at 3:7)\n",
        "fixtures/broken/conflict-marker.yaml:3:1: an unresolved git conflict marker; keep the right side, remove the <<<<<<< ======= >>>>>>> lines, then run kith check\n",
        "fixtures/broken/east/duplicate-id.yaml:1:1: the id `duplicate-id` is also used by fixtures/broken/duplicate-id.yaml; ids must be unique, rename one\n",
        "fixtures/broken/id-mismatch.yaml:1:5: id: `acme-corp` does not match the file name `id-mismatch`; rename the file or fix the id\n",
        "fixtures/broken/impossible-date.yaml:4:11: interactions[0].date: `2026-02-30` is not a real calendar date\n",
        "fixtures/broken/tab-indent.yaml:4:1: a tab indents this line; YAML indents with spaces only, replace the tab with spaces\n",
        "fixtures/broken/three-decimals.yaml:7:13: interactions[0].amount: `1200.505` has more than two decimals; amounts are exact to the cent\n",
        "fixtures/broken/unknown-stage.yaml:7:12: deals[0].stage: `negotiation` is not a stage of the funnel; the stages are: met, opportunity, confirmed, needs, proposal, commitment, acceptance, paid\n",
    ));
    assert_eq!(run.stderr, "");
}

#[test]
fn the_valid_files_of_the_broken_folder_still_read() {
    let t = Test::fixture("broken").today(TODAY);
    let run = t.run(&["--format", "ids", "list"]);
    // A whole-folder report uses every file that parses, names the others on
    // stderr, and exits 2.
    run.code(2)
        .stdout_is("duplicate-id\nvalid-company\nvalid-person\n")
        .stderr_has("bad-yaml.yaml:4:6:");
    assert_eq!(run.stderr.lines().count(), 8, "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// fixtures/demo

#[test]
fn the_demo_is_clean_and_canonical() {
    let t = Test::demo().today(TODAY);
    let before = t.snapshot();
    t.run(&["check"]).success().stdout_empty();
    t.run(&["fmt", "--check"]).success().stdout_empty();
    assert_eq!(t.snapshot(), before, "check and fmt --check change nothing");
}

/// Money is written as a plain number, never quoted, so that PyYAML reads a
/// number where kith does (a regression: `acquisition_cost` was quoted).
#[test]
fn the_demo_writes_money_unquoted() {
    let text =
        std::fs::read_to_string(repo_root().join("fixtures/demo/east/杭州星河贸易有限公司.yaml"))
            .expect("read");
    assert!(text.contains("\nacquisition_cost: 12000.00\n"), "{text}");
    for (path, _) in demo() {
        let text = std::fs::read_to_string(&path).expect("read");
        for key in ["amount", "cost", "value", "acquisition_cost"] {
            assert!(
                !text.contains(&format!("{key}: '")),
                "{}: quoted {key}",
                path.display()
            );
        }
    }
}

/// Every demo record with its path, parsed by the library as kith reads it.
fn demo() -> Vec<(PathBuf, Record)> {
    let store = demo_store();
    let scan = store.scan_files(|entry, record| (entry.path.clone(), record));
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    scan.items
}

fn demo_store() -> Store {
    Store::open(repo_root().join("fixtures/demo")).expect("open the demo")
}

#[test]
fn the_demo_settings() {
    let config = demo_store().config;
    assert_eq!(config.currency.as_deref(), Some("CNY"));
    let funnel: Vec<(&str, &str, String)> = config
        .funnel
        .iter()
        .map(|s| (s.id.as_str(), s.label.as_str(), s.probability.percent()))
        .collect();
    let expected: Vec<(&str, &str, String)> = kith::config::DEFAULT_FUNNEL
        .iter()
        .map(|(id, _, zh, bp)| (*id, *zh, kith::config::BasisPoints(*bp).percent()))
        .collect();
    assert_eq!(funnel, expected);
    assert_eq!(config.kinds, ["demo", "training"]);
    for (kind, yuan) in [
        ("call", 5),
        ("email", 1),
        ("meeting", 60),
        ("visit", 120),
        ("support", 40),
        ("complaint", 80),
        ("demo", 200),
        ("training", 150),
    ] {
        assert_eq!(
            config.kind_cost(kind),
            Money::from_cents(yuan * 100),
            "{kind}"
        );
    }
    let cadence: Vec<String> = ["vip", "regular"]
        .iter()
        .map(|t| config.cadence[*t].to_string())
        .collect();
    assert_eq!(cadence, ["30d", "90d"]);
    // One dated holiday and one yearly with tags, both announced today.
    let [dated, yearly] = &config.holidays[..] else {
        panic!("two holidays: {:?}", config.holidays);
    };
    assert!(matches!(dated.date, YearlyDate::Full(_)) && dated.tags.is_empty());
    assert!(matches!(yearly.date, YearlyDate::MonthDay { .. }) && !yearly.tags.is_empty());
    for h in &config.holidays {
        let next = h.date.next_on_or_after(d(TODAY)).expect("a next date");
        assert!(
            h.before.before(next).expect("a date") <= d(TODAY),
            "{}",
            h.name
        );
    }
}

#[test]
fn the_demo_customers_and_their_files() {
    let records = demo();
    assert!((50..=60).contains(&records.len()), "{}", records.len());
    let root = repo_root().join("fixtures/demo");
    let mut folders = BTreeMap::<String, usize>::new();
    for (path, r) in &records {
        // File names are the ids `kith add` derives from the names.
        assert_eq!(r.id, id::derive(&r.name), "{}", path.display());
        let folder = path
            .parent()
            .and_then(|p| p.strip_prefix(&root).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        *folders.entry(folder).or_default() += 1;
    }
    assert_eq!(
        folders.keys().map(String::as_str).collect::<Vec<_>>(),
        ["", "east", "west"]
    );
    assert!(folders.values().all(|&n| n >= 10), "{folders:?}");
    let names = || records.iter().map(|(_, r)| r.name.as_str());
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let cyrillic = |c: char| ('\u{400}'..='\u{4ff}').contains(&c);
    assert!(names().filter(|n| n.chars().any(han)).count() >= 10);
    assert!(names().filter(|n| n.chars().any(cyrillic)).count() >= 8);
    assert!(names().filter(|n| n.is_ascii()).count() >= 10);
    assert!(names().any(|n| n == "杭州星河贸易有限公司"));
    assert!(names().any(|n| n == "ООО «Северный ветер»"));
    assert!(names().any(|n| n == "Иванов Пётр"));
    let kinds: BTreeSet<_> = records.iter().filter_map(|(_, r)| r.kind).collect();
    assert_eq!(kinds, [CustomerKind::Company, CustomerKind::Person].into());
    let tiers: BTreeSet<_> = records.iter().filter_map(|(_, r)| r.tier).collect();
    assert_eq!(tiers, [Tier::Prospect, Tier::Regular, Tier::Vip].into());
    let owners: BTreeSet<_> = records
        .iter()
        .filter_map(|(_, r)| r.owner.clone())
        .collect();
    assert!(
        ["li.wei", "anna.petrova", "john.smith"]
            .iter()
            .all(|o| owners.contains(*o))
    );
    let tags: BTreeSet<_> = records.iter().flat_map(|(_, r)| r.tags.clone()).collect();
    for tag in ["wholesale", "retail", "export", "east", "west"] {
        assert!(tags.contains(tag), "{tag}");
    }
    assert!(records.iter().all(|(_, r)| r.source.is_some()));
    assert!(records.iter().any(|(_, r)| r.relationship.is_some()));
    // Phones of China and Russia, which YAML readers must see as text.
    let phones: Vec<_> = records
        .iter()
        .filter_map(|(_, r)| r.contact.phone.as_deref())
        .collect();
    assert!(phones.iter().any(|p| p.starts_with("+86 ")));
    assert!(phones.iter().any(|p| p.starts_with("+7 ")));
    let contacts = || records.iter().map(|(_, r)| &r.contact);
    assert!(contacts().filter(|c| c.email.is_some()).count() >= 40);
    assert!(contacts().any(|c| !c.social.is_empty() && c.preferred.is_some()));
    // A key kith does not know, kept.
    assert!(records.iter().any(|(_, r)| !r.extra.is_empty()));
}

#[test]
fn the_demo_spans_two_years_up_to_today() {
    let mut dates = Vec::new();
    for (_, r) in demo() {
        dates.extend(r.interactions.iter().map(|i| i.date.date));
        dates.extend(
            r.deals
                .iter()
                .flat_map(|x| x.history.iter().map(|h| h.date)),
        );
        dates.extend(r.tasks.iter().filter_map(|t| t.done));
    }
    assert_eq!(dates.iter().min(), Some(&d("2024-11-01")));
    assert_eq!(dates.iter().max(), Some(&d("2026-11-21")));
}

#[test]
fn the_demo_funnel() {
    let records = demo();
    let deals = || {
        records
            .iter()
            .flat_map(|(_, r)| r.deals.iter().map(move |x| (r, x)))
    };
    let open_stages: BTreeSet<&str> = deals()
        .filter(|(_, x)| x.is_open())
        .map(|(_, x)| x.stage.as_str())
        .collect();
    let config = Config::default();
    let before_paid: BTreeSet<&str> = config.funnel[..7].iter().map(|s| s.id.as_str()).collect();
    assert_eq!(open_stages, before_paid);
    assert!(deals().filter(|(_, x)| x.is_open()).count() >= 14);
    for (_, x) in deals() {
        let value = x.value.expect("every demo deal has a value");
        assert!(
            (Money::from_cents(500_000)..=Money::from_cents(80_000_000)).contains(&value),
            "{}: {value}",
            x.id
        );
    }
    // Won: the history reaches `paid` and closes as won, and the payments
    // logged for the deal add up to its value.
    let won: Vec<_> = deals()
        .filter(|(_, x)| x.outcome() == Outcome::Won)
        .collect();
    assert!(won.len() >= 6, "{}", won.len());
    for (r, x) in &won {
        assert_eq!(x.stage, "paid");
        assert!(x.history.iter().any(|h| h.stage.as_deref() == Some("paid")));
        assert_eq!(x.history.last().and_then(|h| h.outcome), Some(Outcome::Won));
        let paid: Money = r
            .interactions
            .iter()
            .filter(|i| i.kind == "payment" && i.deal.as_deref() == Some(x.id.as_str()))
            .filter_map(|i| i.amount)
            .sum();
        assert_eq!(Some(paid), x.value, "{}", x.id);
    }
    // Lost: a reason, and often a competitor, at different stages.
    let lost: Vec<_> = deals()
        .filter(|(_, x)| x.outcome() == Outcome::Lost)
        .collect();
    assert!(lost.iter().all(|(_, x)| x.lost_reason.is_some()));
    assert!(lost.iter().filter(|(_, x)| x.competitor.is_some()).count() >= 4);
    let lost_at: BTreeSet<_> = lost.iter().map(|(_, x)| x.stage.as_str()).collect();
    assert!(lost_at.len() >= 4, "{lost_at:?}");
    let reasons: BTreeSet<_> = lost
        .iter()
        .filter_map(|(_, x)| x.lost_reason.clone())
        .collect();
    assert!(reasons.len() >= 3, "{reasons:?}");
    // One deal was lost and reopened.
    assert!(deals().any(|(_, x)| {
        x.is_open() && x.history.iter().any(|h| h.outcome == Some(Outcome::Lost))
    }));
}

#[test]
fn the_demo_timeline() {
    let records = demo();
    let interactions = || records.iter().flat_map(|(_, r)| r.interactions.iter());
    let kinds: BTreeSet<&str> = interactions().map(|i| i.kind.as_str()).collect();
    for kind in BUILTIN_KINDS.iter().chain(&["demo", "training"]) {
        assert!(kinds.contains(kind), "no {kind} interaction");
    }
    assert!(interactions().filter(|i| i.is_purchase()).count() >= 150);
    let refunds: Vec<_> = interactions().filter(|i| i.kind == "refund").collect();
    assert!(refunds.len() >= 2);
    assert!(
        refunds
            .iter()
            .all(|i| i.amount.is_some_and(Money::is_negative))
    );
    assert!(interactions().any(|i| i.kind == "support" && i.cost.is_some()));
    let ratings: BTreeSet<u8> = interactions().filter_map(|i| i.rating).collect();
    assert!(ratings.len() >= 3, "{ratings:?}");
    assert!(interactions().any(|i| i.date.time.is_some()));
    assert!(
        records
            .iter()
            .filter(|(_, r)| r.acquisition_cost.is_some())
            .count()
            >= 3
    );
}

#[test]
fn the_demo_money_is_pareto_shaped_and_some_customers_lose_money() {
    let config = demo_store().config;
    let window = Window::all_time(d(TODAY));
    let mut revenue = Vec::new();
    let mut losing = 0;
    for (_, r) in demo() {
        let t = totals(&r, &config, window);
        revenue.push(t.revenue);
        losing += usize::from(t.profit().is_negative() && t.revenue.is_positive());
    }
    revenue.sort_unstable_by(|a, b| b.cmp(a));
    let all: Money = revenue.iter().sum();
    let top: Money = revenue[..revenue.len() / 5].iter().sum();
    // The top fifth of customers brings at least 80% of the revenue.
    assert!(top.cents() * 10 >= all.cents() * 8, "{top} of {all}");
    assert!(losing >= 3, "{losing} buyers cost more than they bring");
}

#[test]
fn the_demo_has_every_lifecycle() {
    let config = demo_store().config;
    let found: BTreeMap<Lifecycle, usize> = demo().iter().fold(BTreeMap::new(), |mut m, (_, r)| {
        *m.entry(lifecycle(r, &config.lifecycle, d(TODAY)))
            .or_default() += 1;
        m
    });
    for stage in Lifecycle::ALL {
        let l = Lifecycle::parse(stage).expect("a lifecycle");
        assert!(found.get(&l).is_some_and(|&n| n >= 2), "{stage}: {found:?}");
    }
    // A lost prospect: never bought, every deal lost.
    assert!(demo().iter().any(|(_, r)| {
        r.deals.iter().all(|x| x.outcome() == Outcome::Lost)
            && !r.deals.is_empty()
            && !r.interactions.iter().any(|i| i.is_purchase())
    }));
}

/// What `kith remind` will find at 2026-11-23, by the rules of docs/cron.md,
/// counted here from the records themselves.
#[test]
fn the_demo_has_a_reminder_of_every_kind_today() {
    let today = d(TODAY);
    let week = d("2026-11-30");
    let config = demo_store().config;
    let records = demo();
    let tasks = || records.iter().flat_map(|(_, r)| r.tasks.iter());
    assert!(tasks().filter(|t| t.done.is_some()).count() >= 10);
    let open: Vec<Date> = tasks().filter(|t| t.is_open()).map(|t| t.due).collect();
    assert!(
        open.iter().filter(|&&due| due < today).count() >= 3,
        "overdue"
    );
    assert!(
        open.iter()
            .filter(|&&due| (today..=week).contains(&due))
            .count()
            >= 3
    );
    assert!(
        open.contains(&week),
        "a task due exactly on the window's last day"
    );
    assert!(open.contains(&today), "a task due today");

    let within_week = |y: YearlyDate| y.next_on_or_after(today).is_some_and(|n| n <= week);
    let profiles = || records.iter().map(|(_, r)| &r.profile);
    let birthdays: Vec<YearlyDate> = profiles().filter_map(|p| p.birthday).collect();
    assert!(birthdays.contains(&YearlyDate::Full(d("1988-02-29"))));
    assert!(birthdays.contains(&YearlyDate::MonthDay { month: 11, day: 27 }));
    assert!(
        birthdays
            .iter()
            .any(|&b| within_week(b) && b.year().is_some())
    );
    assert!(profiles().filter_map(|p| p.anniversary).any(within_week));
    assert!(profiles().filter(|p| !p.hobbies.is_empty()).count() >= 5);
    assert!(profiles().filter(|p| p.family.is_some()).count() >= 5);

    // Cadence: a customer of a tier with a cadence, not lost, whose last
    // contact (not a note) is older than the cadence.
    let lapsed: Vec<&str> = records
        .iter()
        .filter(|(_, r)| lifecycle(r, &config.lifecycle, today) != Lifecycle::Lost)
        .filter_map(|(_, r)| {
            let span = config.cadence.get(r.tier?.as_str())?;
            let last = r
                .interactions
                .iter()
                .filter(|i| i.is_contact())
                .map(|i| i.date.date)
                .max()?;
            (span.after(last)? < today).then_some(r.id.as_str())
        })
        .collect();
    assert!(lapsed.iter().any(|id| id.contains("宁波")), "{lapsed:?}");
    assert!(lapsed.len() >= 3, "{lapsed:?}");
}

// ---------------------------------------------------------------------------
// examples/gen.rs

#[test]
fn the_generator_writes_a_clean_canonical_folder_the_same_for_a_seed() {
    let a = Test::bare().today(TODAY);
    generator::generate(a.path(), 200, 7).expect("generate");
    a.run(&["check"]).success().stdout_empty();
    a.run(&["fmt", "--check"]).success().stdout_empty();
    let again = Test::bare();
    generator::generate(again.path(), 200, 7).expect("generate");
    assert!(
        a.snapshot() == again.snapshot(),
        "the same seed, other files"
    );
    let other = Test::bare();
    generator::generate(other.path(), 200, 8).expect("generate");
    assert!(
        a.snapshot() != other.snapshot(),
        "another seed, the same files"
    );
    let refused = generator::generate(a.path(), 10, 7).expect_err("a folder in use");
    assert!(refused.to_string().contains("not empty"), "{refused}");
}

#[test]
fn the_generator_writes_the_demo_mix() {
    let t = Test::bare();
    generator::generate(t.path(), 200, 1).expect("generate");
    let store = Store::open(t.path().to_path_buf()).expect("open");
    let scan = store.scan_files(|entry, record| (entry.path.clone(), record));
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let records = scan.items;
    assert_eq!(records.len(), 200);
    let folders: BTreeSet<_> = records.iter().filter_map(|(p, _)| p.parent()).collect();
    assert_eq!(folders.len(), 16);
    assert!(records.iter().all(|(p, _)| p.parent() != Some(t.path())));
    let interactions = || records.iter().flat_map(|(_, r)| r.interactions.iter());
    let purchases = interactions().filter(|i| i.is_purchase()).count();
    assert!((400..=900).contains(&purchases), "{purchases} purchases");
    // Pareto-shaped: many buy once, a few many times.
    let counts: Vec<usize> = records
        .iter()
        .map(|(_, r)| r.interactions.iter().filter(|i| i.is_purchase()).count())
        .collect();
    assert!(counts.iter().filter(|&&n| n == 1).count() >= 40);
    assert!(counts.iter().any(|&n| n >= 20));
    let deals = || records.iter().flat_map(|(_, r)| r.deals.iter());
    let open: BTreeSet<&str> = deals()
        .filter(|x| x.is_open())
        .map(|x| x.stage.as_str())
        .collect();
    assert_eq!(open.len(), 7, "{open:?}");
    assert!(deals().any(|x| x.outcome() == Outcome::Won));
    assert!(deals().any(|x| x.outcome() == Outcome::Lost && x.lost_reason.is_some()));
    assert!(interactions().any(|i| i.kind == "call"));
    assert!(interactions().any(|i| i.kind == "support" && i.cost.is_some()));
    let tasks = || records.iter().flat_map(|(_, r)| r.tasks.iter());
    assert!(tasks().any(|t| t.done.is_some()) && tasks().any(|t| t.is_open()));
    assert!(
        records
            .iter()
            .filter(|(_, r)| r.profile.birthday.is_some())
            .count()
            >= 30
    );
}

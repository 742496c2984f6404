//! The daily verbs: `log`, `task`, `done`, `deal`, `advance`, `lose`,
//! `reopen`. Every change is checked in the file's exact bytes; every
//! refusal exits 2 with one line on stderr and leaves the folder unchanged.

mod util;

use util::Test;

/// A canonical customer with one open deal, one open task and one
/// interaction.
const ACME: &str = "\
name: Acme Trading
owner: li.wei
deals:
  - id: erp-2026
    title: ERP rollout
    value: 50000.00
    stage: needs
    outcome: open
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: opportunity, date: 2026-03-10}
      - {stage: needs, date: 2026-04-01}
tasks:
  - due: 2026-11-30
    what: Send the revised quote
interactions:
  - date: 2026-11-20
    kind: call
    summary: Discussed the quote
";

fn acme() -> Test {
    Test::new()
        .today("2026-11-23")
        .config("currency: CNY\nkinds: [demo]\n")
        .file("acme.yaml", ACME)
}

/// Runs a command that must be refused: exit 2, one line on stderr holding
/// `message`, and not a byte of the folder changed.
#[track_caller]
fn refused(t: &Test, args: &[&str], message: &str) {
    let before = t.snapshot();
    t.run(args).bad_input().stderr_has(message).stdout_empty();
    assert!(t.snapshot() == before, "{args:?} changed the folder");
}

// ---------------------------------------------------------------------------
// log

#[test]
fn log_appends_and_keeps_every_byte_above() {
    let t = acme();
    t.run(&["log", "acme", "visit", "Factory tour"])
        .success()
        .stdout_empty()
        .stderr_has("acme: logged visit on 2026-11-23");
    let expected =
        format!("{ACME}  - date: 2026-11-23\n    kind: visit\n    summary: Factory tour\n");
    assert_eq!(t.read("acme.yaml"), expected);
}

#[test]
fn log_writes_every_option() {
    let t = acme();
    t.run(&[
        "log",
        "acme",
        "purchase",
        "Spring order",
        "--date",
        "yesterday 14:30",
        "--amount",
        "12000.5",
        "--cost",
        "300",
        "--rating",
        "4",
        "--by",
        "li.wei",
        "--deal",
        "erp-2026",
        "--product",
        "ERP licences",
        "--payment",
        "bank-transfer",
    ])
    .success();
    let tail = "  - date: 2026-11-22T14:30
    kind: purchase
    summary: Spring order
    by: li.wei
    deal: erp-2026
    amount: 12000.50
    cost: 300.00
    product: ERP licences
    payment: bank-transfer
    rating: 4
";
    assert_eq!(t.read("acme.yaml"), format!("{ACME}{tail}"));
}

#[test]
fn log_sorts_an_earlier_entry_into_place() {
    let t = acme();
    t.run(&["log", "acme", "email", "--date", "2026-11-01"])
        .success();
    let text = t.read("acme.yaml");
    let email = text.find("kind: email").unwrap();
    let call = text.find("kind: call").unwrap();
    assert!(email < call, "{text}");
}

#[test]
fn a_refund_is_stored_negative_whatever_the_sign() {
    let t = acme();
    t.run(&["log", "acme", "refund", "--amount", "5"]).success();
    t.run(&["log", "acme", "refund", "--amount", "-7.5"])
        .success();
    let text = t.read("acme.yaml");
    assert!(text.contains("amount: -5.00\n"), "{text}");
    assert!(text.contains("amount: -7.50\n"), "{text}");
    t.run(&["show", "acme"])
        .success()
        .stdout_has("Revenue -12.50 CNY");
}

#[test]
fn amounts_are_exact() {
    let t = acme();
    for _ in 0..3 {
        t.run(&["log", "acme", "purchase", "--amount", "0.10"])
            .success();
    }
    // 0.1 + 0.1 + 0.1 in binary floating point is 0.30000000000000004.
    t.run(&["show", "acme"])
        .success()
        .stdout_has("Revenue 0.30 CNY · Cost 0.00 CNY · Profit 0.30 CNY");
}

#[test]
fn kinds_from_kith_yaml_are_known() {
    let t = acme();
    t.run(&["log", "acme", "demo", "Showed the scanner"])
        .success();
    assert!(
        t.read("acme.yaml")
            .ends_with("    kind: demo\n    summary: Showed the scanner\n")
    );
}

#[test]
fn log_follow_up_adds_a_task() {
    let t = acme();
    t.run(&[
        "log",
        "acme",
        "call",
        "Asked for references",
        "--follow-up",
        "7d",
        "--task",
        "Send two references",
    ])
    .success()
    .stderr_has("acme: logged call on 2026-11-23; task 2 due 2026-11-30");
    let text = t.read("acme.yaml");
    // Same due date as task 1, which has no stored number: ordered by text,
    // "  - due" < "  - number".
    assert!(
        text.contains(
            "tasks:\n  - due: 2026-11-30\n    what: Send the revised quote\n  - number: 2\n    due: 2026-11-30\n    what: Send two references\ninteractions:"
        ),
        "{text}"
    );
}

#[test]
fn follow_up_counts_from_the_interaction_day_and_has_a_default_text() {
    let t = acme();
    t.run(&[
        "log",
        "acme",
        "meeting",
        "Met the CFO",
        "--date",
        "2026-11-16",
        "--follow-up",
        "1w",
    ])
    .success();
    // 16 November + 1 week = 23 November.
    assert!(
        t.read("acme.yaml")
            .contains("  - number: 2\n    due: 2026-11-23\n    what: 'Follow up: Met the CFO'\n"),
        "{}",
        t.read("acme.yaml")
    );
    t.run(&["log", "acme", "call", "--follow-up", "2026-12-01"])
        .success();
    assert!(
        t.read("acme.yaml")
            .contains("  - number: 3\n    due: 2026-12-01\n    what: 'Follow up: call'\n")
    );
}

#[test]
fn log_refusals() {
    let t = acme();
    refused(
        &t,
        &["log", "acme", "cal"],
        "`cal` is not an interaction kind; did you mean call, care? The kinds are: call, email, meeting, visit, message, purchase, payment, refund, complaint, feedback, support, care, note, demo",
    );
    refused(
        &t,
        &["log", "acme", "lunch"],
        "`lunch` is not an interaction kind; the kinds are: call,",
    );
    refused(
        &t,
        &["log", "acme", "call", "--amount", "0.001"],
        "--amount: `0.001` has more than two decimals",
    );
    refused(
        &t,
        &["log", "acme", "call", "--cost", "abc"],
        "--cost: `abc` is not an amount",
    );
    for bad in ["0", "6", "4.5", "x"] {
        refused(
            &t,
            &["log", "acme", "feedback", "--rating", bad],
            "--rating:",
        );
    }
    refused(
        &t,
        &["log", "acme", "call", "--date", "2026-02-30"],
        "--date: `2026-02-30` is not a real calendar date",
    );
    refused(
        &t,
        &["log", "acme", "call", "--follow-up", "soon"],
        "--follow-up: `soon` is not a date",
    );
    refused(
        &t,
        &["log", "acme", "call", "--deal", "crm"],
        "acme has no deal `crm`; its deals are: erp-2026",
    );
    refused(&t, &["log", "acme-2", "call"], "no customer `acme-2`");
}

#[test]
fn a_file_with_comments_keeps_them() {
    let t = acme().file("globex.yaml", "name: Globex # big one\n");
    t.run(&["log", "globex", "call"]).success();
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex # big one\ninteractions:\n  - date: 2026-11-23\n    kind: call\n"
    );
}

#[test]
fn fifty_concurrent_logs_all_land() {
    let t = acme();
    let children: Vec<_> = (0..50)
        .map(|n| {
            t.command(&["log", "acme", "note", &format!("note {n}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn kith")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = t.read("acme.yaml");
    for n in 0..50 {
        assert!(
            text.contains(&format!("summary: note {n}\n")),
            "note {n} lost"
        );
    }
    assert_eq!(text.matches("kind: note").count(), 50);
    // The file still parses: kith reads it, and counts 51 interactions.
    t.run(&["show", "acme", "--all"])
        .success()
        .stdout_has("Interactions\n");
    assert_eq!(text.matches("  - date: ").count(), 51);
}

// ---------------------------------------------------------------------------
// task and done

#[test]
fn task_adds_a_numbered_task() {
    let t = acme();
    // The task due sooner than task 1 still gets the next number, 2, and
    // task 1 keeps its own.
    t.run(&["task", "acme", "Book the demo room", "--due", "3d"])
        .success()
        .stdout_empty()
        .stderr_has("acme: task 2 due 2026-11-26");
    assert!(t.read("acme.yaml").contains(
        "tasks:\n  - number: 2\n    due: 2026-11-26\n    what: Book the demo room\n  - due: 2026-11-30\n"
    ));
    t.run(&["show", "acme"])
        .success()
        .stdout_has("  2. 2026-11-26  Book the demo room  (in 3 days)\n  1. 2026-11-30  Send the revised quote  (in 7 days)\n");
    t.run(&["done", "acme", "1"])
        .success()
        .stderr_has("acme: task 1 done (Send the revised quote)");
}

#[test]
fn a_number_announced_by_log_is_the_one_done_closes() {
    let t = acme();
    t.run(&["log", "acme", "call", "x", "--follow-up", "7d"])
        .success()
        .stderr_has("task 2 due 2026-11-30");
    t.run(&["task", "acme", "Sooner", "--due", "1d"])
        .success()
        .stderr_has("task 3 due 2026-11-24");
    t.run(&["done", "acme", "2"])
        .success()
        .stderr_has("acme: task 2 done (Follow up: x)");
}

#[test]
fn tasks_sharing_a_number_are_reported_and_done_refuses_them() {
    let t = acme();
    let text = t.read("acme.yaml").replace(
        "tasks:\n",
        "tasks:\n  - number: 4\n    due: 2026-11-25\n    what: Call\n  - number: 4\n    due: 2026-11-26\n    what: Visit\n",
    );
    t.write("acme.yaml", &text);
    let line = text
        .lines()
        .position(|l| l == "  - number: 4")
        .expect("first")
        + 4;
    let check = t.run(&["check"]);
    check.code(1).stdout_has(&format!(
        "acme.yaml:{line}:5: task number 4 is held by 2 tasks (2026-11-25 Call; 2026-11-26 Visit); give all but one another number\n"
    ));
    assert_eq!(check.stdout.lines().count(), 1, "{}", check.stdout);
    refused(
        &t,
        &["done", "acme", "4"],
        "acme has 2 tasks numbered 4 (from a merge): 2026-11-25 Call; 2026-11-26 Visit;",
    );
    // The task without a number keeps 1; a new one gets 5.
    t.run(&["task", "acme", "Later", "--due", "2026-12-09"])
        .success()
        .stderr_has("task 5 due 2026-12-09");
    t.run(&["done", "acme", "1"]).success();
}

#[test]
fn task_refusals() {
    let t = acme();
    refused(
        &t,
        &["task", "acme", "  ", "--due", "3d"],
        "the task's text is empty",
    );
    refused(
        &t,
        &["task", "acme", "Call", "--due", "soon"],
        "--due: `soon`",
    );
}

#[test]
fn done_marks_the_only_open_task() {
    let t = acme();
    t.run(&["done", "acme"])
        .success()
        .stderr_has("acme: task 1 done (Send the revised quote)");
    assert!(
        t.read("acme.yaml").contains(
            "  - due: 2026-11-30\n    what: Send the revised quote\n    done: 2026-11-23\n"
        )
    );
    refused(&t, &["done", "acme"], "acme has no open task");
    refused(
        &t,
        &["done", "acme", "1"],
        "task 1 of acme (Send the revised quote) was already done on 2026-11-23",
    );
}

#[test]
fn task_numbers_stay_whatever_is_added_or_done() {
    let t = acme();
    t.run(&["task", "acme", "Call back", "--due", "2026-11-24"])
        .success();
    t.run(&["task", "acme", "Visit", "--due", "2026-12-05"])
        .success();
    t.run(&["done", "acme", "1", "--date", "yesterday"])
        .success();
    // Task 1 (the one written without a number) is done; the others keep
    // the numbers they were given, 2 and 3.
    refused(
        &t,
        &["done", "acme"],
        "acme has 2 open tasks: 2. 2026-11-24 Call back; 3. 2026-12-05 Visit; give the number of the one done",
    );
    t.run(&["done", "acme", "3"])
        .success()
        .stderr_has("task 3 done (Visit)");
    let text = t.read("acme.yaml");
    assert!(
        text.contains("what: Send the revised quote\n    done: 2026-11-22\n"),
        "{text}"
    );
    assert!(
        text.contains("what: Visit\n    done: 2026-11-23\n"),
        "{text}"
    );
    refused(
        &t,
        &["done", "acme", "4"],
        "acme has no task 4; its open task is 2",
    );
    refused(&t, &["done", "acme", "0"], "acme has no task 0");
}

// ---------------------------------------------------------------------------
// deal

#[test]
fn deal_opens_a_deal_and_prints_its_id() {
    let t = acme();
    t.run(&["deal", "acme", "Warehouse scanners", "--value", "18000"])
        .success()
        .stdout_is("warehouse-scanners\n");
    assert!(t.read("acme.yaml").contains(
        "  - id: warehouse-scanners
    title: Warehouse scanners
    value: 18000.00
    stage: met
    outcome: open
    history:
      - {stage: met, date: 2026-11-23}
tasks:"
    ));
    // The same title again gets the next free id.
    t.run(&[
        "deal",
        "acme",
        "Warehouse scanners",
        "--stage",
        "proposal",
        "--date",
        "2026-11-20",
    ])
    .success()
    .stdout_is("warehouse-scanners-2\n");
    assert!(
        t.read("acme.yaml")
            .contains("    stage: proposal\n    outcome: open\n    history:\n      - {stage: proposal, date: 2026-11-20}\n")
    );
}

#[test]
fn deal_refusals() {
    let t = acme();
    refused(
        &t,
        &["deal", "acme", "X", "--stage", "propsal"],
        "`propsal` is not a stage of the funnel; did you mean proposal?",
    );
    refused(
        &t,
        &["deal", "acme", "X", "--deal-id", "erp-2026"],
        "--deal-id: the customer already has a deal `erp-2026`",
    );
    refused(
        &t,
        &["deal", "acme", "X", "--value", "-5"],
        "--value: `-5` is negative",
    );
    refused(&t, &["deal", "acme", " "], "the deal title is empty");
}

#[test]
fn add_with_a_deal_still_works() {
    let t = Test::new().today("2026-11-23");
    t.run(&[
        "add", "Globex", "--deal", "CRM", "--value", "900", "--stage", "needs",
    ])
    .success()
    .stdout_is("globex\n");
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex\ndeals:\n  - id: crm\n    title: CRM\n    value: 900.00\n    stage: needs\n    outcome: open\n    history:\n      - {stage: needs, date: 2026-11-23}\n"
    );
}

// ---------------------------------------------------------------------------
// advance

#[test]
fn advance_moves_to_the_next_stage() {
    let t = acme();
    t.run(&["advance", "acme"])
        .success()
        .stderr_has("acme: erp-2026 is at proposal (Proposal and quote)");
    assert!(t.read("acme.yaml").contains(
        "    stage: proposal\n    outcome: open\n    history:\n      - {stage: met, date: 2026-03-02}\n      - {stage: opportunity, date: 2026-03-10}\n      - {stage: needs, date: 2026-04-01}\n      - {stage: proposal, date: 2026-11-23}\n"
    ));
}

#[test]
fn advance_to_a_later_stage_and_back_with_force() {
    let t = acme();
    t.run(&[
        "advance",
        "acme",
        "--to",
        "acceptance",
        "--date",
        "2026-11-20",
        "--no-invoice",
    ])
    .success();
    refused(
        &t,
        &["advance", "acme", "--to", "needs"],
        "`needs` comes before the deal's stage `acceptance`; add --force to move it back",
    );
    refused(
        &t,
        &["advance", "acme", "--to", "acceptance"],
        "the deal `erp-2026` is already at `acceptance`",
    );
    t.run(&["advance", "acme", "--to", "needs", "--force"])
        .success();
    let text = t.read("acme.yaml");
    assert!(
        text.contains(
            "    stage: needs\n    outcome: open\n    history:\n      - {stage: met, date: 2026-03-02}\n      - {stage: opportunity, date: 2026-03-10}\n      - {stage: needs, date: 2026-04-01}\n      - {stage: acceptance, date: 2026-11-20}\n      - {stage: needs, date: 2026-11-23}\n"
        ),
        "{text}"
    );
}

#[test]
fn reaching_the_last_stage_wins_and_logs_what_is_unpaid() {
    let t = acme();
    // 12,000.00 already paid for the deal, and an unrelated purchase and a
    // refund for it that do not count: 50,000.00 − 12,000.00 = 38,000.00.
    t.run(&[
        "log",
        "acme",
        "payment",
        "--amount",
        "12000",
        "--deal",
        "erp-2026",
        "--date",
        "2026-11-01",
    ])
    .success();
    t.run(&[
        "log",
        "acme",
        "refund",
        "--amount",
        "100",
        "--deal",
        "erp-2026",
        "--date",
        "2026-11-02",
    ])
    .success();
    t.run(&[
        "log",
        "acme",
        "purchase",
        "--amount",
        "500",
        "--date",
        "2026-11-03",
    ])
    .success();
    t.run(&["advance", "acme", "--to", "paid"])
        .success()
        .stderr_has("erp-2026 is at paid (Payment collected); issued invoice 1 of 38,000.00 due 2026-12-23, won; logged a payment of 38,000.00");
    let text = t.read("acme.yaml");
    assert!(
        text.contains(
            "      - {stage: paid, date: 2026-11-23}\n      - {outcome: won, date: 2026-11-23}\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("    stage: paid\n    outcome: won\n"),
        "{text}"
    );
    assert!(text.ends_with(
        "  - date: 2026-11-23\n    kind: payment\n    summary: Payment for ERP rollout\n    deal: erp-2026\n    amount: 38000.00\n"
    ), "{text}");
    refused(
        &t,
        &["advance", "acme", "--deal", "erp-2026"],
        "the deal `erp-2026` of acme is won; reopen it first with `kith reopen acme --deal erp-2026`",
    );
}

#[test]
fn winning_a_paid_deal_logs_no_payment() {
    let t = acme();
    t.run(&[
        "log", "acme", "payment", "--amount", "50000", "--deal", "erp-2026",
    ])
    .success();
    let before = t.read("acme.yaml");
    t.run(&["advance", "acme", "--to", "paid"]).success();
    let after = t.read("acme.yaml");
    assert_eq!(after.matches("kind: payment").count(), 1);
    assert!(after.ends_with(&before[before.find("interactions:").unwrap()..]));
}

#[test]
fn advance_amount_sets_the_payment() {
    let t = acme();
    t.run(&["advance", "acme", "--to", "paid", "--amount", "49000.00"])
        .success();
    assert!(t.read("acme.yaml").ends_with("    amount: 49000.00\n"));
}

#[test]
fn advance_refusals() {
    let t = acme();
    refused(
        &t,
        &["advance", "acme", "--to", "payed"],
        "`payed` is not a stage of the funnel; did you mean paid?",
    );
    refused(
        &t,
        &["advance", "acme", "--amount", "10"],
        "--amount is the payment logged when a deal reaches the last stage `paid`",
    );
    refused(
        &t,
        &["advance", "acme", "--date", "2026-03-31"],
        "--date: 2026-03-31 is before the last change of the deal `erp-2026` (2026-04-01)",
    );
    refused(
        &t,
        &["advance", "acme", "--deal", "crm"],
        "acme has no deal `crm`; its deals are: erp-2026",
    );
    t.run(&["deal", "acme", "Scanners"]).success();
    refused(
        &t,
        &["advance", "acme"],
        "acme has 2 open deals: erp-2026 (needs), scanners (met); choose one with --deal",
    );
    t.run(&["advance", "acme", "--deal", "scanners"]).success();
    let none = Test::new()
        .today("2026-11-23")
        .file("solo.yaml", "name: Solo\n");
    refused(
        &none,
        &["advance", "solo"],
        "solo has no open deal; open one with `kith deal solo TITLE`",
    );
    refused(
        &none,
        &["advance", "solo", "--deal", "x"],
        "solo has no deals, so no deal `x`",
    );
}

#[test]
fn the_last_stage_has_no_next() {
    let t = acme();
    t.run(&["advance", "acme", "--to", "paid"]).success();
    t.run(&["reopen", "acme"]).success();
    refused(
        &t,
        &["advance", "acme"],
        "the deal `erp-2026` is at the last stage `paid`; move it back with --to STAGE --force",
    );
}

// ---------------------------------------------------------------------------
// lose and reopen

#[test]
fn lose_and_reopen() {
    let t = acme();
    t.run(&[
        "lose",
        "acme",
        "--reason",
        "price",
        "--competitor",
        "Globex",
        "--date",
        "2026-11-21",
    ])
    .success()
    .stderr_has("acme: erp-2026 is lost at needs (price, to Globex)");
    let lost = "    stage: needs
    outcome: lost
    lost_reason: price
    competitor: Globex
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: opportunity, date: 2026-03-10}
      - {stage: needs, date: 2026-04-01}
      - {outcome: lost, date: 2026-11-21}
";
    assert!(
        t.read("acme.yaml").contains(lost),
        "{}",
        t.read("acme.yaml")
    );
    refused(
        &t,
        &["lose", "acme", "--reason", "x"],
        "acme has no open deal",
    );
    refused(
        &t,
        &["lose", "acme", "--deal", "erp-2026", "--reason", "x"],
        "the deal `erp-2026` of acme is already lost",
    );
    refused(
        &t,
        &["advance", "acme", "--deal", "erp-2026"],
        "the deal `erp-2026` of acme is lost; reopen it first",
    );

    t.run(&["reopen", "acme"])
        .success()
        .stderr_has("acme: erp-2026 is open again at needs");
    // Reopening keeps the reason and competitor of the last loss.
    let reopened = "    stage: needs
    outcome: open
    lost_reason: price
    competitor: Globex
    history:
      - {stage: met, date: 2026-03-02}
      - {stage: opportunity, date: 2026-03-10}
      - {stage: needs, date: 2026-04-01}
      - {outcome: lost, date: 2026-11-21}
      - {outcome: open, date: 2026-11-23}
";
    assert!(
        t.read("acme.yaml").contains(reopened),
        "{}",
        t.read("acme.yaml")
    );
    refused(&t, &["reopen", "acme"], "acme has no closed deal to reopen");
    refused(
        &t,
        &["reopen", "acme", "--deal", "erp-2026"],
        "the deal `erp-2026` of acme is open; there is nothing to reopen",
    );

    // A new loss replaces reason and competitor; no competitor given, none kept.
    t.run(&["lose", "acme", "--reason", "timing"]).success();
    let text = t.read("acme.yaml");
    assert!(
        text.contains("    outcome: lost\n    lost_reason: timing\n    history:\n"),
        "{text}"
    );
}

#[test]
fn lose_and_reopen_refusals() {
    let t = acme();
    refused(&t, &["lose", "acme", "--reason", " "], "--reason is empty");
    refused(
        &t,
        &["lose", "acme", "--reason", "price", "--date", "2026-01-01"],
        "--date: 2026-01-01 is before the last change of the deal `erp-2026` (2026-04-01)",
    );
    refused(
        &t,
        &["reopen", "acme", "--deal", "nope"],
        "acme has no deal `nope`; its deals are: erp-2026",
    );
}

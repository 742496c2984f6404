//! The first hour of a newcomer and the surprises of a script: the folder
//! refusal, usage errors, formats, closed pipes, `fmt`'s exit code, `init
//! --git`'s branch, names as ids, table widths, `add`'s repeats, help.

mod util;

use std::process::{Command, Stdio};

use util::Test;

const TODAY: &str = "2026-11-23";

fn kith() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.env_remove("KITH_DIR")
        .env_remove("KITH_TODAY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

// Item 1: outside a customer folder, nothing is scanned and nothing written.

#[test]
fn outside_a_kith_folder_every_command_refuses_and_writes_nothing() {
    let t = Test::bare().file("docker-compose.yaml", "services: {}\n");
    let before = t.snapshot();
    for args in [
        &["list"][..],
        &["show", "acme"],
        &["add", "Acme"],
        &["check"],
        &["fmt", "--check"],
        &["remind"],
        &["funnel"],
        &["export", "customers"],
        &["dupes"],
        &["git-setup"],
    ] {
        t.run_in(t.path(), args)
            .bad_input()
            .stdout_empty()
            .stderr_has(
                "kith: not a kith folder (no kith.yaml here or above): run `kith init` or pass --dir",
            );
    }
    assert_eq!(t.snapshot(), before);
    assert!(
        !t.exists(".kith"),
        ".kith/ was created outside a kith folder"
    );
}

#[test]
fn init_help_completions_man_and_merge_file_need_no_folder() {
    let t = Test::bare();
    t.run_in(t.path(), &["completions", "bash"]).success();
    t.run_in(t.path(), &["man"]).success();
    t.run_in(t.path(), &["help"]).success();
    t.write("base.yaml", "name: Acme\n");
    t.write("ours.yaml", "name: Acme\ntier: vip\n");
    t.write("theirs.yaml", "name: Acme\nowner: anna\n");
    t.run_in(
        t.path(),
        &["merge-file", "base.yaml", "ours.yaml", "theirs.yaml"],
    )
    .success();
    assert_eq!(t.read("ours.yaml"), "name: Acme\nowner: anna\ntier: vip\n");
    assert!(!t.exists(".kith"));
    t.run_in(t.path(), &["init", "crm"]).success();
    assert!(t.exists("crm/kith.yaml") && t.exists("crm/.kith"));
    t.run_in(&t.path().join("crm"), &["list"])
        .success()
        .stdout_empty();
}

#[test]
fn a_folder_named_by_dir_or_kith_dir_is_used_without_kith_yaml() {
    let t = Test::bare().file("acme.yaml", "name: Acme\n");
    t.run(&["list", "--format", "ids"])
        .success()
        .stdout_is("acme\n");
    let other = Test::bare();
    let run = kith()
        .current_dir(other.path())
        .env("KITH_DIR", t.path())
        .args(["--format", "ids", "list"])
        .output()
        .expect("run kith");
    assert_eq!(String::from_utf8_lossy(&run.stdout), "acme\n");
    assert!(run.status.success());
}

// Item 2: usage errors say what is wrong and where to look.

#[test]
fn usage_errors_keep_clap_s_whole_message_and_name_the_command_s_help() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    let cases: &[(&[&str], &str)] = &[
        (
            &["task", "acme", "x"],
            "kith: the following required arguments were not provided: --due <DUE> (see `kith task --help`)\n",
        ),
        (
            &["lose", "acme"],
            "kith: the following required arguments were not provided: --reason <REASON> (see `kith lose --help`)\n",
        ),
        (
            &["import"],
            "kith: the following required arguments were not provided: --as <KIND>, <FILE> (see `kith import --help`)\n",
        ),
        (
            &["merge"],
            "kith: the following required arguments were not provided: <KEEP>, <OTHER> (see `kith merge --help`)\n",
        ),
        (
            &["--format", "xml", "list"],
            "kith: invalid value 'xml' for '--format <FORMAT>'; possible values: table, csv, tsv, json, ids, ics, svg (see `kith list --help`)\n",
        ),
        (
            &["segment", "--by", "margin"],
            "kith: invalid value 'margin' for '--by <BY>'; possible values: revenue, profit (see `kith segment --help`)\n",
        ),
        (
            &["lst"],
            "kith: unrecognized subcommand 'lst'; tip: some similar subcommands exist: 'lose', 'list' (see `kith --help`)\n",
        ),
    ];
    for (args, stderr) in cases {
        let run = t.run(args);
        run.bad_input().stdout_empty();
        assert_eq!(&run.stderr, stderr, "{args:?}");
    }
}

// Item 3: --format is honoured or refused, never ignored.

#[test]
fn commands_that_print_no_records_refuse_format() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    let before = t.snapshot();
    for (args, command) in [
        (&["add", "Globex", "--format", "json"][..], "add"),
        (&["--format", "csv", "check"], "check"),
        (&["--format", "ics", "init"], "init"),
        (&["log", "acme", "call", "--format", "json"], "log"),
    ] {
        let run = t.run(args);
        run.bad_input().stdout_empty();
        let format = args[args
            .iter()
            .position(|a| *a == "--format")
            .expect("--format")
            + 1];
        assert_eq!(
            run.stderr,
            format!("kith: `kith {command}` prints no records; --format {format} does not apply\n")
        );
    }
    t.run(&["show", "acme", "--format", "ics"])
        .bad_input()
        .stderr_has(
            "kith: `kith show` does not print --format ics; it prints table, json, csv, tsv",
        );
    t.run(&["--format", "ids", "funnel"])
        .bad_input()
        .stderr_has("it prints table, csv, tsv, json");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn show_prints_json_as_the_file_and_csv_as_its_list_row() {
    let t = Test::new().today(TODAY).file(
        "acme.yaml",
        "name: Acme\ntags: [b2b]\ncontact:\n  email: a@acme.example\ninteractions:\n  - date: 2026-11-02\n    kind: purchase\n    amount: 120.50\n",
    );
    t.run(&["show", "acme", "--format", "json"])
        .success()
        .stdout_is(
            "{\n  \"id\": \"acme\",\n  \"name\": \"Acme\",\n  \"tags\": [\n    \"b2b\"\n  ],\n  \"contact\": {\n    \"email\": \"a@acme.example\"\n  },\n  \"interactions\": [\n    {\n      \"date\": \"2026-11-02\",\n      \"kind\": \"purchase\",\n      \"amount\": 120.5\n    }\n  ]\n}\n",
        );
    t.run(&["show", "acme", "--format", "csv"])
        .success()
        .stdout_is("id,name,owner,tier,tags,stage,last_contact,next_due,revenue,class,lifecycle\r\nacme,Acme,,,b2b,,2026-11-02,,120.50,A,new\r\n");
    t.run(&["show", "acme", "--format", "tsv"])
        .success()
        .stdout_has("acme\tAcme\t\t\tb2b\t\t2026-11-02\t\t120.50\tA\tnew\r\n");
}

#[test]
fn each_command_s_help_lists_the_formats_it_accepts() {
    let t = Test::new();
    t.run(&["show", "--help"])
        .success()
        .stdout_has("Formats (--format): table (the default), json, csv, tsv\n");
    t.run(&["remind", "--help"])
        .success()
        .stdout_has("Formats (--format): table (the default), csv, tsv, json, ids, ics\n");
    t.run(&["add", "--help"])
        .success()
        .stdout_has("Formats: none; this command prints no records, and --format is refused\n");
}

// Item 4: a closed pipe is not an error; a full stdout is the environment.

/// Every report and every format it accepts.
fn reports() -> Vec<Vec<&'static str>> {
    let mut all = Vec::new();
    let commands: &[&[&str]] = &[
        &["list"],
        &["funnel"],
        &["segment"],
        &["segment", "--by", "profit"],
        &["rfm"],
        &["remind"],
        &["dupes"],
        &["export", "customers"],
        &["export", "interactions"],
        &["export", "deals"],
        &["export", "tasks"],
        &["show", "acme-logistics-ltd"],
    ];
    for command in commands {
        for format in ["table", "csv", "tsv", "json", "ids", "ics", "svg"] {
            let mut args = vec!["--format", format];
            args.extend_from_slice(command);
            all.push(args);
        }
    }
    all
}

#[test]
fn every_report_in_every_format_exits_0_silently_into_a_closed_pipe() {
    let t = Test::demo().today(TODAY);
    let mut tried = 0;
    for args in reports() {
        // Reports that refuse the format are refused before printing.
        let open = t.run(&args);
        if open.code == 2 && open.stderr.contains("does not print --format") {
            continue;
        }
        assert_eq!(open.code, 0, "{args:?}: {}", open.stderr);
        if open.stdout.is_empty() {
            continue;
        }
        tried += 1;
        // A pipe whose reading end is closed before kith writes: every
        // write fails with EPIPE, whatever the size of the report.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = t
            .command(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run kith");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        // And as a shell pipeline, into `head -1`.
        let line = format!(
            "\"$KITH\" {} | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}",
            args.join(" ")
        );
        let run = Command::new("bash")
            .args(["-c", &line])
            .env("KITH", env!("CARGO_BIN_EXE_kith"))
            .env("KITH_DIR", t.path())
            .env("KITH_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .output()
            .expect("run bash");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{args:?} | head -1: {stderr}");
        assert_eq!(stderr, "", "{args:?} | head -1");
    }
    // Every report in at least its table, csv, tsv and json forms.
    assert!(tried >= 44, "only {tried} reports printed anything");
}

#[test]
fn a_full_stdout_is_exit_3() {
    let t = Test::demo().today(TODAY);
    for format in ["table", "csv", "json"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full is there on Linux");
        let out = t
            .command(&["--format", format, "list"])
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .expect("run kith");
        assert_eq!(out.status.code(), Some(3), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("kith: ") && stderr.contains("No space left on device"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

// Item 5: fmt exits non-zero on links, bad names and broken files.

#[test]
fn fmt_and_fmt_check_exit_non_zero_on_links_bad_names_and_broken_files() {
    let t = Test::new()
        .file("acme.yaml", "name: Acme\n")
        .file("Bad Name.yaml", "name: Bad\n");
    t.run(&["fmt", "--check"])
        .code(1)
        .stderr_has("Bad Name.yaml:1:1:");
    t.run(&["fmt"]).code(2).stderr_has("Bad Name.yaml:1:1:");
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    std::os::unix::fs::symlink(t.path().join("acme.yaml"), t.path().join("link.yaml"))
        .expect("symlink");
    t.run(&["fmt", "--check"]).code(1).stderr_has("link.yaml");
    t.run(&["fmt"]).code(2).stderr_has("link.yaml");
    let t = Test::new().file("broken.yaml", "name: [\n");
    t.run(&["fmt", "--check"])
        .code(1)
        .stderr_has("broken.yaml:");
    t.run(&["fmt"]).code(2).stderr_has("broken.yaml:");
}

// Item 6: `init --git` starts on branch main.

#[test]
fn init_git_starts_on_branch_main() {
    let t = Test::bare();
    t.run_in(t.path(), &["init", "crm", "--git"])
        .success()
        .stderr_has("started a git repository in crm (branch main)");
    let head = std::fs::read_to_string(t.path().join("crm/.git/HEAD")).expect("HEAD");
    assert_eq!(head, "ref: refs/heads/main\n");
}

// Item 8: people type names.

#[test]
fn a_customer_s_name_selects_it_wherever_an_id_is_taken() {
    let t = Test::new()
        .today(TODAY)
        .file("acme-logistics-ltd.yaml", "name: Acme Logistics Ltd.\n")
        .file("east/zhang-wei.yaml", "name: 张伟\n");
    t.run(&["show", "Acme Logistics Ltd."])
        .success()
        .stdout_has("Acme Logistics Ltd.  (acme-logistics-ltd)\n");
    // NFKC and case folding: full-width letters, any case.
    t.run(&["show", "ＡＣＭＥ logistics ltd."])
        .success()
        .stdout_has("(acme-logistics-ltd)");
    // A valid id that names no file, but a name.
    t.run(&["show", "张伟"])
        .success()
        .stdout_has("张伟  (zhang-wei)");
    t.run(&["log", "Acme Logistics Ltd.", "call", "Hello"])
        .success()
        .stderr_has("Acme Logistics Ltd.: logged call on 2026-11-23");
    assert!(t.read("acme-logistics-ltd.yaml").contains("summary: Hello"));
}

#[test]
fn a_name_of_several_customers_lists_them_and_selects_none() {
    let t = Test::new()
        .file("acme.yaml", "name: Acme\n")
        .file("east/acme-2.yaml", "name: ACME\n");
    let before = t.snapshot();
    let dir = t.path().display().to_string();
    let run = t.run(&["log", "acme ", "call"]);
    run.bad_input();
    assert_eq!(
        run.stderr,
        format!(
            "kith: 2 customers are named `acme `: acme ({dir}/acme.yaml), acme-2 ({dir}/east/acme-2.yaml); give the id\n"
        )
    );
    assert_eq!(t.snapshot(), before);
    // An id always wins over a name.
    t.run(&["show", "acme"])
        .success()
        .stdout_has("Acme  (acme)");
    t.run(&["show", "Nobody Here"])
        .bad_input()
        .stderr_has("`Nobody Here` is not a valid customer id");
}

// Item 7: tables fit the terminal; issue 16 item 7: the terminal is safe.

/// Runs kith with stdout on a pseudo-terminal of `columns` columns (util-linux
/// `script`), returning what the terminal received, line ends as `\n`.
fn on_terminal(t: &Test, columns: usize, args: &[&str]) -> String {
    let mut line = format!(
        "'{}' --dir '{}'",
        env!("CARGO_BIN_EXE_kith"),
        t.path().display()
    );
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("COLUMNS", columns.to_string())
        .env("NO_COLOR", "1")
        .env("KITH_TODAY", TODAY)
        .env_remove("KITH_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs kith on a terminal");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

fn widest(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.starts_with("kith: "))
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

#[test]
fn tables_on_a_terminal_are_no_wider_than_it() {
    let t = Test::demo();
    for args in [
        &["list"][..],
        &["remind"],
        &["funnel"],
        &["segment"],
        &["rfm"],
        &["export", "deals", "--format", "table"],
    ] {
        let shown = on_terminal(&t, 60, args);
        assert!(
            widest(&shown) <= 60,
            "{args:?} is {} wide:\n{shown}",
            widest(&shown)
        );
        assert!(shown.lines().count() > 3, "{args:?}:\n{shown}");
    }
    // Piped, the same table keeps every character.
    let piped = t.run(&["--today", TODAY, "remind"]);
    assert!(widest(&piped.stdout) > 150);
}

#[test]
fn text_columns_are_shortened_with_an_ellipsis_ids_and_numbers_never() {
    let t = Test::new().today(TODAY).file(
        "acme.yaml",
        "name: Acme Trading Company of the Greater Pacific Northwest\ntags: [wholesale, export, east]\ninteractions:\n  - {date: 2026-11-02, kind: purchase, amount: 12000.00}\n",
    );
    let shown = on_terminal(&t, 80, &["list"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines,
        [
            "kith: 1 of 11 columns left out to fit the terminal (lifecycle); --wide shows them all",
            "id    name  owner  tier  tags  stage  last_contact  next_due    revenue  class",
            "acme  Acm…               who…         2026-11-02              12,000.00  A",
        ],
        "{shown}"
    );
    let wide = on_terminal(&t, 80, &["--wide", "list"]);
    assert!(wide.contains("Acme Trading Company of the Greater Pacific Northwest  "));
    assert!(!wide.contains('…'));
}

#[test]
fn control_and_bidi_characters_are_escaped_in_tables_and_cards_kept_in_data() {
    let name = "Evil\u{1b}]52;c;aGk=\u{7}Corp \u{202e}gpj.exe";
    let t = Test::new().today(TODAY).file(
        "evil.yaml",
        "name: \"Evil\\e]52;c;aGk=\\aCorp \\u202egpj.exe\"\n",
    );
    let shown = "Evil\\u{1b}]52;c;aGk=\\u{7}Corp \\u{202e}gpj.exe";
    t.run(&["list"])
        .success()
        .stdout_has(&format!("evil  {shown}  "));
    t.run(&["show", "evil"])
        .success()
        .stdout_has(&format!("{shown}  (evil)\n"));
    for run in [t.run(&["list"]), t.run(&["show", "evil"])] {
        assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'));
    }
    t.run(&["list", "--format", "csv"])
        .success()
        .stdout_has(&format!("evil,{name},"));
    t.run(&["list", "--format", "json"])
        .success()
        .stdout_has("\"name\":\"Evil\\u001b]52;c;aGk=\\u0007Corp \u{202e}gpj.exe\"");
}

#[test]
fn show_aligns_its_deal_lines_in_columns() {
    let t = Test::new().today(TODAY).file(
        "acme.yaml",
        "name: Acme\ndeals:\n  - id: erp\n    title: ERP rollout\n    value: 50000.00\n    stage: proposal\n    history:\n      - {stage: proposal, date: 2026-11-01}\n  - id: scanners-2026\n    title: Scanners\n    value: 800.00\n    stage: met\n    history:\n      - {stage: met, date: 2026-11-20}\n",
    );
    t.run(&["show", "acme"]).success().stdout_has(
        "Deals\n  erp            ERP rollout  50,000.00  proposal (Proposal and quote)  open, 22 days in stage\n  scanners-2026  Scanners        800.00  met (Met the customer)         open, 3 days in stage\n",
    );
}

// Item 9: every write says what it did; `add` refuses a repeated email.

#[test]
fn add_refuses_an_email_another_customer_has_unless_forced() {
    let t = Test::new().file(
        "acme.yaml",
        "name: Acme Trading\ncontact:\n  email: Buyer@Acme.example\n",
    );
    let before = t.snapshot();
    let run = t.run(&["add", "Acme Imports", "--email", "buyer@acme.example "]);
    run.bad_input().stdout_empty();
    assert_eq!(
        run.stderr,
        "kith: buyer@acme.example  is already the email of acme (Acme Trading); add --force to add another customer with it\n"
    );
    assert_eq!(t.snapshot(), before);
    t.run(&[
        "add",
        "Acme Imports",
        "--email",
        "buyer@acme.example",
        "--force",
    ])
    .success()
    .stdout_is("acme-imports\n");
}

#[test]
fn add_refuses_the_email_of_a_current_contact_but_not_of_a_former_one() {
    let t = Test::new().today(TODAY).file(
        "xinghe.yaml",
        "name: 杭州星河贸易\ncontacts:\n  - name: 周敏\n    email: zhou.min@xinghe.example\n  - name: 王芳\n    email: wang.fang@xinghe.example\n    left: 2026-10-31\n",
    );
    let before = t.snapshot();
    let run = t.run(&["add", "Zhou Min", "--email", "Zhou.Min@xinghe.example"]);
    run.bad_input().stdout_empty();
    assert_eq!(
        run.stderr,
        "kith: Zhou.Min@xinghe.example is already the email of xinghe (周敏, a contact of 杭州星河贸易); add --force to add another customer with it\n"
    );
    assert_eq!(t.snapshot(), before);
    t.run(&["add", "Wang Fang", "--email", "wang.fang@xinghe.example"])
        .success()
        .stdout_is("wang-fang\n");
}

#[test]
fn add_warns_of_a_repeated_name() {
    let t = Test::new().file("acme.yaml", "name: Acme Trading\n");
    let run = t.run(&["add", "ACME trading"]);
    run.success().stdout_is("acme-trading\n");
    assert_eq!(
        run.stderr,
        "kith: warning: a customer is already named `ACME trading`: acme; added acme-trading beside\n"
    );
    let run = t.run(&["add", "Acme Trading"]);
    run.success().stdout_is("acme-trading-2\n");
    assert_eq!(
        run.stderr,
        "kith: warning: customers are already named `Acme Trading`: acme, acme-trading; added acme-trading-2 beside\n"
    );
    t.run(&["-q", "add", "Acme Trading"])
        .success()
        .stdout_is("acme-trading-3\n");
}

// Item 10: help and man page are complete.

#[test]
fn the_man_page_holds_every_command_with_its_examples_verbatim() {
    let t = Test::bare();
    let man = t.run(&["man"]).success().stdout.clone();
    assert!(
        !man.contains("kith-init(1)") && !man.contains("EXTRA"),
        "{man}"
    );
    for sub in [
        "init",
        "add",
        "show",
        "log",
        "merge-file",
        "completions",
        "man",
    ] {
        assert!(man.contains(&format!(".SS \"kith {sub}\"\n")), "kith {sub}");
    }
    assert!(man.contains(
        "\n  kith log acme call 'Discussed the revised quote' --deal erp-2026 --follow-up 7d --task 'Send the contract'\n"
    ));
    assert!(man.contains(".nf\n") && man.contains(".fi\n"));
}

#[test]
fn date_errors_list_the_forms_the_help_shows() {
    let t = Test::new().file("acme.yaml", "name: Acme\n");
    t.run(&["task", "acme", "Call", "--due", "soon"])
        .bad_input()
        .stderr_has("`soon` is not a date (write 7d, +3d, -1w, tomorrow or YYYY-MM-DD)");
    t.run(&["task", "--help"])
        .success()
        .stdout_has("a span from today (7d, +3d), tomorrow or YYYY-MM-DD");
}

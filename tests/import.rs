//! `kith import`: CSV and vCard into records, all or nothing, and the
//! lossless round trip with `export`.

mod util;
use util::Test;

const TABLES: [&str; 4] = ["customers", "interactions", "deals", "tasks"];

/// Exports the four tables of `from`, imports them into an empty folder
/// with the same kith.yaml, and checks the new folder exports the same bytes.
fn round_trip(from: &Test) {
    let to = Test::new()
        .today("2026-11-23")
        .config(&from.read("kith.yaml"));
    for table in TABLES {
        let csv = from.run(&["export", table]).success().stdout.clone();
        let file = to.path().join(format!("{table}.csv"));
        std::fs::write(&file, &csv).unwrap();
        to.run(&["import", file.to_str().unwrap(), "--as", table])
            .success();
        std::fs::remove_file(&file).unwrap();
        let again = to.run(&["export", table]).success().stdout.clone();
        assert_eq!(again, csv, "{table} differ after the round trip");
    }
    to.run(&["check"]).success().stdout_empty();
}

#[test]
fn the_demo_folder_round_trips() {
    round_trip(&Test::demo().today("2026-11-23"));
}

#[test]
fn every_field_round_trips() {
    let t = Test::new()
        .today("2026-11-23")
        .config("currency: CNY\nkinds: [demo]\n")
        .file(
            "east/杭州星河贸易.yaml",
            r#"name: '杭州星河贸易有限公司, "总部"'
kind: company
owner: li.wei
source: trade-show
tier: vip
relationship: proactive
tags: [wholesale, east]
contact:
  email: buyer@xinghe.example
  phone: '+86 571 0000 0000'
  address: "西湖区\n文三路 1 号"
  website: https://xinghe.example
  preferred: phone
profile:
  birthday: 1979-03-14
  anniversary: --06-01
acquisition_cost: 800.00
deals:
  - id: erp-2026
    title: ERP rollout
    value: 50000.00
    stage: proposal
    outcome: lost
    lost_reason: price
    competitor: Globex
    history:
      - {stage: met, date: 2026-03-02}
      - {outcome: lost, date: 2026-04-01}
  - id: scan
    stage: met
    history:
      - {stage: met, date: 2026-05-02}
tasks:
  - due: 2026-11-30
    what: '=Send, "the" contract'
    done: 2026-11-29
interactions:
  - date: 2026-11-20T09:30
    kind: demo
    summary: "-line one\nline two"
    by: li.wei
    deal: erp-2026
    amount: 12000.00
    cost: 300.00
    product: ERP licences
    payment: bank-transfer
    rating: 4
  - date: 2026-11-21
    kind: refund
    amount: -5.00
  - date: 2026-11-21
    kind: refund
    amount: -5.00
"#,
        )
        .file("иванов.yaml", "name: Иванов Пётр\nkind: person\n");
    t.run(&["check"]).success();
    round_trip(&t);
}

/// A CSV of `rows` interactions for acme, the row at `bad_line` with an
/// impossible date.
fn interactions_csv(rows: usize, bad_line: usize) -> String {
    let mut csv = String::from("id,date,kind,summary\n");
    for line in 2..rows + 2 {
        let date = if line == bad_line {
            "2026-02-30"
        } else {
            "2026-11-20"
        };
        csv.push_str(&format!("acme,{date},call,Call {line}\n"));
    }
    csv
}

#[test]
fn a_bad_row_stops_everything_and_is_named() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n")
        .file("in.csv", &interactions_csv(50, 37));
    let before = t.snapshot();
    let file = t.path().join("in.csv");
    let run = t.run(&["import", file.to_str().unwrap(), "--as", "interactions"]);
    run.bad_input()
        .stderr_has("in.csv:37: column `date`: `2026-02-30` is not a date");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn dry_run_writes_nothing_and_lists_the_changes() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n")
        .file(
            "in.csv",
            "name,email,phone\nAcme,buyer@acme.example,\nGlobex,info@globex.example,+1 555\n",
        );
    let before = t.snapshot();
    let file = t.path().join("in.csv");
    let file = file.to_str().unwrap();
    // The Acme row has neither id nor a known email: it would be a new acme-2.
    t.run(&["import", file, "--as", "customers", "--dry-run"])
        .success()
        .stdout_is(
            "id      action  changes\nacme-2  create  name, email\nglobex  create  name, email, phone\n",
        )
        .stderr_has("dry run of");
    assert_eq!(t.snapshot(), before);
    t.run(&[
        "--format",
        "csv",
        "import",
        file,
        "--as",
        "customers",
        "--dry-run",
    ])
    .success()
    .stdout_has("\r\nglobex,create,name;email;phone\r\n");
}

#[test]
fn customers_match_by_id_then_email_and_fill_empty_fields() {
    let t = Test::new()
        .today("2026-11-23")
        .file(
            "acme.yaml",
            "name: Acme\nowner: ann\ncontact:\n  email: Buyer@Acme.example\n",
        )
        .file("globex.yaml", "name: Globex\n")
        .file(
            "in.csv",
            "Company,E-mail,Owner,Tier,id\n\
             ACME Corp,buyer@acme.example,bob,vip,\n\
             Globex,,carl,,globex\n\
             Initech,hello@initech.example,,regular,\n\
             Initech Two,hello@initech.example,dan,,\n",
        );
    let file = t.path().join("in.csv");
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--map",
        "Company=name",
        "--map",
        "E-mail=email",
    ])
    .success()
    .stderr_has("1 customer created, 2 customers changed")
    .stderr_has("4 differing values kept");
    // Name and owner differ and are kept; the empty tier is filled.
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme\nowner: ann\ntier: vip\ncontact:\n  email: Buyer@Acme.example\n"
    );
    assert_eq!(t.read("globex.yaml"), "name: Globex\nowner: carl\n");
    // The second Initech row matched the first by email: owner filled.
    assert_eq!(
        t.read("initech.yaml"),
        "name: Initech\nowner: dan\ntier: regular\ncontact:\n  email: hello@initech.example\n"
    );
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--map",
        "Company=name",
        "--map",
        "E-mail=email",
        "--update",
    ])
    .success();
    assert_eq!(
        t.read("acme.yaml"),
        "name: ACME Corp\nowner: bob\ntier: vip\ncontact:\n  email: buyer@acme.example\n"
    );
}

#[test]
fn interactions_already_held_are_skipped_but_repeats_in_one_file_kept() {
    let t = Test::new()
        .today("2026-11-23")
        .file(
            "acme.yaml",
            "name: Acme\ncontact:\n  email: a@acme.example\ninteractions:\n  - date: 2026-11-01\n    kind: call\n",
        )
        .file(
            "in.csv",
            "\u{feff}email;date;kind;amount\na@acme.example;2026-11-01;call;\nacme@x;2026/11/02;purchase;10\n",
        );
    let file = t.path().join("in.csv");
    let file = file.to_str().unwrap();
    // The second row names an unknown email: nothing is written.
    t.run(&["import", file, "--as", "interactions"])
        .bad_input()
        .stderr_has("in.csv:3: column `email`: no customer has the email `acme@x`");
    t.write(
        "in.csv",
        "email;date;kind;amount\na@acme.example;2026-11-01;call;\nA@acme.example;02.11.2026;refund;10\nA@acme.example;02.11.2026;refund;10\n",
    );
    t.run(&["import", file, "--as", "interactions"])
        .success()
        .stderr_has("2 interactions added, 1 row already present, skipped");
    t.run(&["import", file, "--as", "interactions"])
        .success()
        .stderr_has(": 3 rows already present, skipped");
    t.run(&["export", "interactions"]).success().stdout_is(
        "ref,id,date,kind,summary,by,amount,cost,product,payment,rating,deal,with,status,resolved,resolution\r\n\
         rc1e9154eece6,acme,2026-11-01,call,,,,,,,,,,,,\r\n\
         rf94f41b7a623,acme,2026-11-02,refund,,,-10.00,,,,,,,,,\r\n\
         rf94f41b7a623-2,acme,2026-11-02,refund,,,-10.00,,,,,,,,,\r\n",
    );
}

#[test]
fn the_formula_guard_is_removed() {
    let t = Test::new()
        .today("2026-11-23")
        .file("in.csv", "name,phone,owner\n'=Evil,'+86 571,'plain\n");
    let file = t.path().join("in.csv");
    t.run(&["import", file.to_str().unwrap(), "--as", "customers"])
        .success();
    assert_eq!(
        t.read("evil.yaml"),
        "name: =Evil\nowner: '''plain'\ncontact:\n  phone: '+86 571'\n"
    );
}

#[test]
fn date_formats_and_values_are_checked() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n")
        .file("in.csv", "id,due,what\nacme,11/30/2026,Call\n");
    let file = t.path().join("in.csv");
    let file = file.to_str().unwrap();
    t.run(&["import", file, "--as", "tasks"])
        .bad_input()
        .stderr_has("in.csv:2: column `due`: `11/30/2026` is not a date");
    t.run(&["import", file, "--as", "tasks", "--date-format", "%m/%d/%Y"])
        .success();
    t.run(&["export", "tasks"])
        .success()
        .stdout_is("ref,id,due,what,done\r\nrb4bc297b90c8,acme,2026-11-30,Call,\r\n");
    t.write("in.csv", "id,date,kind,rating\nacme,2026-11-01,chat,\n");
    t.run(&["import", file, "--as", "interactions"])
        .bad_input()
        .stderr_has("in.csv:2: column `kind`: `chat` is not an interaction kind");
    t.write(
        "in.csv",
        "id,date,kind,amount\nacme,2026-11-01,call,1.005\n",
    );
    t.run(&["import", file, "--as", "interactions"])
        .bad_input()
        .stderr_has("in.csv:2: column `amount`: `1.005` has more than two decimals");
    t.write("in.csv", "id,date\nacme,2026-11-01\n");
    t.run(&["import", file, "--as", "interactions"])
        .bad_input()
        .stderr_has("no `kind` column");
    t.run(&["import", file, "--as", "interactions", "--map", "Nope=kind"])
        .bad_input()
        .stderr_has("no column `Nope`");
}

#[test]
fn deals_get_a_history_from_opened_and_closed() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "name: Acme\n")
        .file(
            "in.csv",
            "id,title,value,stage,outcome,opened,closed\nacme,Big ERP,100,needs,won,2026-01-05,2026-03-01\nacme,Big ERP,,,,,\n",
        );
    let file = t.path().join("in.csv");
    t.run(&["import", file.to_str().unwrap(), "--as", "deals"])
        .success();
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme\ndeals:\n  - id: big-erp\n    title: Big ERP\n    value: 100.00\n    stage: needs\n    outcome: won\n    history:\n      - {stage: needs, date: 2026-01-05}\n      - {outcome: won, date: 2026-03-01}\n  - id: big-erp-2\n    title: Big ERP\n    stage: met\n    outcome: open\n    history:\n      - {stage: met, date: 2026-11-23}\n"
    );
}

#[test]
fn new_customers_need_a_name_and_a_valid_id() {
    let t = Test::new()
        .today("2026-11-23")
        .file("in.csv", "id,name\nok,Fine\nBad Id,Bad\n");
    let file = t.path().join("in.csv");
    let file = file.to_str().unwrap();
    t.run(&["import", file, "--as", "customers"])
        .bad_input()
        .stderr_has("in.csv:3: column `id`: `Bad Id` is not a valid customer id");
    assert!(!t.exists("ok.yaml"));
    t.write("in.csv", "id,owner\nnew,bob\n");
    t.run(&["import", file, "--as", "customers"])
        .bad_input()
        .stderr_has("in.csv:2: column `name`: a new customer needs a name, an organization, an email or a phone");
}

#[test]
fn a_file_with_comments_keeps_them() {
    let t = Test::new()
        .today("2026-11-23")
        .file("acme.yaml", "# keep me\nname: Acme\n")
        .file("in.csv", "id,date,kind\nacme,2026-11-01,call\n");
    let file = t.path().join("in.csv");
    t.run(&["import", file.to_str().unwrap(), "--as", "interactions"])
        .success();
    assert_eq!(
        t.read("acme.yaml"),
        "# keep me\nname: Acme\ninteractions:\n  - date: 2026-11-01\n    kind: call\n"
    );
}

const VCARD_3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;John;;;\r\nFN:John Smith\r\nORG:Acme\\, Ltd\r\n\
EMAIL;TYPE=INTERNET;TYPE=WORK:john@acme.example\r\nTEL;TYPE=CELL:+1 555 0100\r\n\
ADR;TYPE=WORK:;;1 Main St;Spring\r\n field;IL;62701;USA\r\nBDAY:1979-03-14\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E5=B0=8F=E6=98=8E\r\n\
N;CHARSET=UTF-8:王;小明;;;\r\nBDAY:--0601\r\nEND:VCARD\r\n";

const VCARD_4: &str = "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Globex\nORG:Globex\n\
EMAIL;PREF=2:info@globex.example\nEMAIL;PREF=1:sales@globex.example\nTEL;VALUE=uri;TYPE=work:tel:+86-571-0000\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:4.0\nFN:Anna Petrova\nBDAY:19920229\nEMAIL:john@acme.example\nEND:VCARD\n";

#[test]
fn vcard_3_and_4_contacts() {
    let t = Test::new()
        .today("2026-11-23")
        .file("c3.vcf", VCARD_3)
        .file("c4.vcf", VCARD_4);
    let file = |n: &str| t.path().join(n).to_str().unwrap().to_string();
    t.run(&["import", &file("c3.vcf"), "--as", "contacts"])
        .success()
        .stderr_has("2 customers created");
    assert_eq!(
        t.read("john-smith.yaml"),
        "name: John Smith\nkind: person\norganization: 'Acme, Ltd'\ncontact:\n  email: john@acme.example\n  phone: '+1 555 0100'\n  address: '1 Main St, Springfield, IL, 62701, USA'\nprofile:\n  birthday: 1979-03-14\n"
    );
    assert_eq!(
        t.read("王小明.yaml"),
        "name: 王小明\nkind: person\nprofile:\n  birthday: --06-01\n"
    );
    // Anna shares John's email: matched to him; her differing name and
    // birthday are kept out without --update.
    t.run(&["import", &file("c4.vcf"), "--as", "contacts"])
        .success()
        .stderr_has("1 customer created, 2 differing values kept");
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex\nkind: company\ncontact:\n  email: sales@globex.example\n  phone: '+86-571-0000'\n  other_emails: [info@globex.example]\n"
    );
    t.run(&["check"]).success();
    t.run(&["import", &file("c4.vcf"), "--as", "customers"])
        .bad_input()
        .stderr_has("--as contacts");
}

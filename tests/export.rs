//! `kith export`: the four tables, RFC 4180 quoting, the BOM, delimiters,
//! the formula guard, `-o`.

mod util;
use util::Test;

const TRICKY: &str = "\
name: 'Quote \"Q\", comma; semi'
kind: person
owner: '=SUM(A1)'
source: '@x'
tags: ['-x', '+y', plain]
contact:
  email: a@b.example
  phone: '+86 571 0000 0000'
  address: \"Line one\\nLine two\"
profile:
  birthday: --03-14
acquisition_cost: 800.00
interactions:
  - date: 2026-11-20T09:30
    kind: refund
    summary: \"\\ttab first\"
    amount: -5.00
    cost: 1.50
    rating: 4
  - date: 2026-11-21
    kind: note
    summary: \"\\rcarriage\"
  - date: 2026-11-22
    kind: note
    summary: \"\\nline feed\"
";

fn tricky() -> Test {
    Test::new().today("2026-11-23").file("q.yaml", TRICKY)
}

#[test]
fn customers_quote_and_guard_every_special_character() {
    tricky().run(&["export", "customers"]).success().stdout_is(
        "id,name,kind,owner,source,tier,relationship,tags,email,phone,address,website,preferred,birthday,anniversary,acquisition_cost,path\r\n\
         q,\"Quote \"\"Q\"\", comma; semi\",person,'=SUM(A1),'@x,,,'-x;+y;plain,a@b.example,'+86 571 0000 0000,\"Line one\nLine two\",,,'--03-14,,800.00,q.yaml\r\n",
    );
}

#[test]
fn interactions_guard_text_but_never_numbers() {
    tricky()
        .run(&["export", "interactions"])
        .success()
        .stdout_is(
            "ref,id,date,kind,summary,by,amount,cost,product,payment,rating,deal,with,status,resolved,resolution\r\n\
         r1259d96c1ab2,q,2026-11-20T09:30,refund,'\ttab first,,-5.00,1.50,,,4,,,,,\r\n\
         r50924ea07e7a,q,2026-11-21,note,\"'\rcarriage\",,,,,,,,,,,\r\n\
         red8acedb8cce,q,2026-11-22,note,\"'\nline feed\",,,,,,,,,,,\r\n",
        );
}

#[test]
fn raw_turns_the_guard_off() {
    let run = tricky().run(&["export", "customers", "--raw"]);
    run.success()
        .stdout_has(",=SUM(A1),@x,,,-x;+y;plain,a@b.example,+86 571 0000 0000,");
}

#[test]
fn bom_and_semicolon() {
    let t = tricky();
    let run = t.run(&["export", "tasks", "--bom", "--delimiter", ";"]);
    run.success().stdout_is("\u{feff}ref;id;due;what;done\r\n");
    t.run(&["export", "customers", "--delimiter", ";"])
        .success()
        .stdout_has("\"Quote \"\"Q\"\", comma; semi\";person;");
}

#[test]
fn tsv_and_json_formats() {
    let t = tricky();
    t.run(&["--format", "tsv", "export", "interactions"])
        .success()
        .stdout_has("ref\tid\tdate\tkind\tsummary\t")
        .stdout_has("\tq\t2026-11-20T09:30\trefund\t\"'\ttab first\"\t\t-5.00\t1.50\t");
    t.run(&["--format", "json", "export", "interactions"])
        .success()
        .stdout_has(
            "\"amount\":-5.00,\"cost\":1.50,\"product\":null,\"payment\":null,\"rating\":4",
        );
}

#[test]
fn bad_delimiters_are_refused() {
    let t = tricky();
    for bad in ["ab", "\"", "x", ""] {
        t.run(&["export", "customers", "--delimiter", bad])
            .bad_input();
    }
    t.run(&["--format", "tsv", "export", "customers", "--delimiter", ";"])
        .bad_input();
}

#[test]
fn deals_and_tasks_columns() {
    let t = Test::new().today("2026-11-23").file(
        "east/acme.yaml",
        "name: Acme\ndeals:\n  - id: erp\n    title: ERP, phase 2\n    value: 50000.00\n    stage: proposal\n    outcome: lost\n    lost_reason: price\n    competitor: Globex\n    history:\n      - {stage: met, date: 2026-03-02}\n      - {stage: proposal, date: 2026-04-01}\n      - {outcome: lost, date: 2026-05-01}\ntasks:\n  - due: 2026-11-30\n    what: Call back\n  - due: 2026-11-01\n    what: Send quote\n    done: 2026-10-30\n",
    );
    t.run(&["export", "deals"]).success().stdout_is(
        "ref,id,deal,title,value,stage,outcome,opened,closed,lost_reason,competitor,close,terms\r\n\
         erp,acme,erp,\"ERP, phase 2\",50000.00,proposal,lost,2026-03-02,2026-05-01,price,Globex,,\r\n",
    );
    t.run(&["export", "tasks"]).success().stdout_is(
        "ref,id,due,what,done\r\n\
         rbfbd272b65a7,acme,2026-11-01,Send quote,2026-10-30\r\n\
         r9e5615228fb7,acme,2026-11-30,Call back,\r\n",
    );
    t.run(&["export", "customers"])
        .success()
        .stdout_has(",east/acme.yaml\r\n");
}

#[test]
fn rows_are_ordered_by_id() {
    let t = Test::new()
        .file("b/zed.yaml", "name: Zed\n")
        .file("mid.yaml", "name: Mid\n")
        .file("z/alpha.yaml", "name: Alpha\n");
    let run = t.run(&["--format", "ids", "export", "customers"]);
    run.success().stdout_is("alpha\nmid\nzed\n");
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let t = tricky();
    let target = t.path().join("out.csv");
    let target = target.to_str().unwrap();
    t.run(&["export", "tasks", "-o", target])
        .success()
        .stdout_empty();
    assert_eq!(t.read("out.csv"), "ref,id,due,what,done\r\n");
}

#[test]
fn broken_files_are_named_and_exit_2() {
    let t = tricky().file("broken.yaml", "name: [\n");
    let run = t.run(&["export", "customers"]);
    run.code(2).stdout_has("\r\nq,").stderr_has("broken.yaml:");
}

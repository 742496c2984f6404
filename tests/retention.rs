//! Keeping customers, through the binary on `fixtures/retention` at
//! 2026-11-23: people in a company, complaints as cases, the churn and
//! stalled-deal reminders, the feedback report and tiers that follow value.

mod util;

use util::Test;

const TODAY: &str = "2026-11-23";

fn fixture() -> Test {
    Test::fixture("retention").today(TODAY)
}

#[test]
fn remind_lists_each_new_kind_in_order() {
    fixture()
        .run(&["remind", "--format", "csv"])
        .success()
        .stdout_is(
            "date,kind,id,name,what,days\r\n\
             2026-11-20,complaint,xinghe,杭州星河贸易有限公司,complaint open since 2026-11-18: Two scanners arrived broken,-3\r\n\
             2026-10-27,stalled,xinghe,杭州星河贸易有限公司,ERP rollout: 47 days in Proposal and quote (usual 20),-27\r\n\
             2026-11-01,at-risk,globex,Globex,no purchase for 145 days (usual gap 61); lifetime revenue 60000.00,-22\r\n\
             2026-06-02,win-back,initech,Initech,lost since 2026-06-02; lifetime revenue 80000.00 (class A),-174\r\n\
             2026-07-30,cadence,vandelay,Vandelay Industries,no contact for 206 days (regular cadence 90d),-116\r\n\
             2026-11-04,cadence,hooli,Hooli,no contact for 49 days (vip cadence 30d),-19\r\n\
             2026-11-26,birthday,xinghe,杭州星河贸易有限公司,陈静 (buyer) turns 36,3\r\n",
        );
}

#[test]
fn the_table_groups_money_in_what_by_thousands() {
    fixture()
        .run(&["remind", "--format", "tsv"])
        .success()
        .stdout_has("lifetime revenue 60000.00\t");
    fixture()
        .run(&["remind"])
        .success()
        .stdout_has("lifetime revenue 80,000.00 (class A)");
}

#[test]
fn the_churn_rows_wait_for_their_day_and_clear_when_someone_acts() {
    // Globex turns at-risk on 2026-11-01, not the day before.
    let t = Test::fixture("retention").today("2026-10-31");
    let out = t.run(&["remind", "--format", "csv"]);
    out.success();
    assert!(!out.stdout.contains("at-risk"));
    // A call, or a task, clears the row; a note does not.
    let t = fixture();
    t.run(&["log", "globex", "note", "Looks quiet"]).success();
    t.run(&["remind", "--format", "csv"])
        .success()
        .stdout_has(",at-risk,globex,");
    t.run(&[
        "task",
        "globex",
        "Call about the spring order",
        "--due",
        "10d",
    ])
    .success();
    let out = t.run(&["remind", "--format", "csv"]);
    assert!(!out.stdout.contains("at-risk"));
    t.run(&["log", "initech", "call", "Asked how we can win them back"])
        .success();
    let out = t.run(&["remind", "--format", "csv"]);
    assert!(!out.stdout.contains("win-back"));
}

#[test]
fn a_resolved_complaint_leaves_remind_and_a_new_one_opens_a_case() {
    let t = fixture();
    t.run(&[
        "resolve",
        "xinghe",
        "--note",
        "Sent two new scanners",
        "--date",
        "2026-11-22",
    ])
    .success()
    .stderr_has("xinghe: complaint 2 resolved on 2026-11-22 (Two scanners arrived broken)");
    assert!(t.read("xinghe.yaml").contains(
        "    status: resolved\n    resolved: 2026-11-22\n    resolution: Sent two new scanners\n"
    ));
    t.run(&["resolve", "xinghe", "2"])
        .bad_input()
        .stderr_has("complaint 2 of xinghe is already resolved");
    t.run(&["resolve", "xinghe"])
        .bad_input()
        .stderr_has("xinghe has no open complaint");
    t.run(&[
        "log",
        "globex",
        "complaint",
        "Invoice wrong again",
        "--date",
        "2026-11-20",
    ])
    .success();
    assert!(
        t.read("globex.yaml")
            .contains("    summary: Invoice wrong again\n    status: open\n")
    );
    // Logged 2026-11-20, due after the 2d SLA: listed from 2026-11-22.
    t.run(&["remind", "--format", "csv"]).success().stdout_has(
        "2026-11-22,complaint,globex,Globex,complaint open since 2026-11-20: Invoice wrong again,-1\r\n",
    );
    t.run(&["show", "globex"])
        .success()
        .stdout_has("Open complaints\n  2. 2026-11-20  Invoice wrong again  (open 3 days)\n");
}

#[test]
fn feedback_per_customer_and_per_product() {
    fixture()
        .run(&["feedback", "--format", "csv"])
        .success()
        .stdout_is(
            "key,name,interactions,rated,average_rating,complaints,resolved,open,median_days_to_resolve,refunds,refunded\r\n\
             globex,Globex,4,1,5.00,1,1,0,0.0,0,0.00\r\n\
             hooli,Hooli,2,0,,0,0,0,,0,0.00\r\n\
             initech,Initech,1,0,,0,0,0,,0,0.00\r\n\
             umbrella,Umbrella,1,0,,0,0,0,,0,0.00\r\n\
             vandelay,Vandelay Industries,2,0,,0,0,0,,0,0.00\r\n\
             xinghe,杭州星河贸易有限公司,6,2,3.50,2,1,1,3.0,1,500.00\r\n",
        );
    // li.wei's customers since 2026-11-01: the complaint of 2026-11-18, open
    // at the window's end, and a refund, both for scanners.
    fixture()
        .run(&[
            "feedback", "--by", "product", "--since", "2026-11-01", "--owner", "li.wei",
            "--format", "csv",
        ])
        .success()
        .stdout_is(
            "key,name,interactions,rated,average_rating,complaints,resolved,open,median_days_to_resolve,refunds,refunded\r\n\
             scanners,,2,1,3.00,1,0,1,,1,500.00\r\n",
        );
}

#[test]
fn tiers_follow_value_and_apply_writes_only_changes() {
    let t = fixture();
    let expected = "id,name,class,revenue,tier,suggested_tier,relationship,suggested_relationship,locked\r\n\
         xinghe,杭州星河贸易有限公司,A,299500.00,vip,vip,partnership,partnership,false\r\n\
         initech,Initech,A,80000.00,,vip,,partnership,false\r\n\
         globex,Globex,B,60000.00,prospect,regular,,proactive,false\r\n\
         hooli,Hooli,C,5000.00,vip,regular,,reactive,true\r\n\
         vandelay,Vandelay Industries,C,3000.00,,regular,,reactive,false\r\n\
         umbrella,Umbrella,C,100.00,,regular,,reactive,false\r\n";
    t.run(&["tiers", "--format", "csv"])
        .success()
        .stdout_is(expected);
    let xinghe = t.read("xinghe.yaml");
    let hooli = t.read("hooli.yaml");
    t.run(&["tiers", "--apply", "--format", "csv"])
        .success()
        .stdout_is(expected)
        .stderr_has("globex: tier prospect → regular, relationship none → proactive\n")
        .stderr_has("initech: tier none → vip, relationship none → partnership\n");
    assert_eq!(
        t.read("xinghe.yaml"),
        xinghe,
        "unchanged customers are not written"
    );
    assert_eq!(t.read("hooli.yaml"), hooli, "tier_locked keeps both");
    assert!(
        t.read("globex.yaml")
            .contains("tier: regular\nrelationship: proactive\n")
    );
    let second = t.run(&["tiers", "--apply", "--format", "csv"]);
    second.success();
    assert_eq!(second.stderr, "");
}

#[test]
fn a_person_who_leaves_opens_a_task_to_meet_the_successor() {
    let t = fixture();
    t.run(&[
        "contact",
        "xinghe",
        "陈静",
        "--left",
        "--date",
        "2026-11-20",
    ])
    .success()
    .stderr_has("xinghe: 陈静 (buyer) left on 2026-11-20; task 1 due 2026-11-27");
    t.run(&[
        "contact",
        "xinghe",
        "李娜",
        "--role",
        "buyer",
        "--birthday",
        "--11-24",
    ])
    .success()
    .stderr_has("xinghe: contact 李娜 added");
    t.run(&["export", "contacts"]).success().stdout_is(
        "id,name,role,email,phone,wechat,birthday,note,since,left\r\n\
         xinghe,周敏,buyer,zhou.min@xinghe.example,,,'--11-25,,2019-03-01,2026-10-31\r\n\
         xinghe,陈静,buyer,chen.jing@xinghe.example,,,1990-11-26,,2026-11-01,2026-11-20\r\n\
         xinghe,李娜,buyer,,,,'--11-24,,,\r\n",
    );
    // Only current contacts have birthday rows; the successor task is due.
    t.run(&["remind", "--format", "csv"])
        .success()
        .stdout_has("2026-11-24,birthday,xinghe,杭州星河贸易有限公司,李娜 (buyer) birthday,1\r\n")
        .stdout_has(
            "2026-11-27,due,xinghe,杭州星河贸易有限公司,meet the successor of 陈静 (buyer),4\r\n",
        );
    let out = t.run(&["remind", "--format", "csv"]);
    assert!(!out.stdout.contains("陈静 (buyer) turns"));
    t.run(&["show", "xinghe"]).success().stdout_has(
        "People\n  李娜 (buyer) · birthday --11-24\n  周敏 (buyer) · zhou.min@xinghe.example · birthday --11-25 · since 2019-03-01 · left 2026-10-31\n",
    );
    t.run(&["contact", "xinghe", "陈静", "--left"])
        .bad_input()
        .stderr_has("`陈静` is not a current contact of xinghe; its current contacts are: 李娜");
    t.run(&["contact", "xinghe", "周敏", "--left", "--no-task"])
        .bad_input();
}

#[test]
fn log_with_names_a_contact_of_the_customer() {
    let t = fixture();
    t.run(&["log", "xinghe", "call", "Quote follow-up", "--with", "陈静"])
        .success();
    assert!(
        t.read("xinghe.yaml")
            .contains("    kind: call\n    summary: Quote follow-up\n    with: 陈静\n")
    );
    t.run(&["log", "xinghe", "call", "x", "--with", "陈"])
        .bad_input()
        .stderr_has("--with: `陈` is not a contact of xinghe; did you mean 陈静?");
    t.run(&["log", "globex", "call", "x", "--with", "Bob"])
        .bad_input()
        .stderr_has("--with: `Bob` is not a contact of globex; it has no contacts");
}

#[test]
fn import_contacts_from_csv_and_from_vcard_org() {
    let t = fixture();
    t.write(
        "people.csv",
        "id,name,role,email,birthday,since\n\
         xinghe,王磊,engineer,wang.lei@xinghe.example,--03-02,2026-11-10\n\
         xinghe,陈静,,,,\n\
         globex,Anna Berg,buyer,anna@globex.example,,\n",
    );
    let file = t.path().join("people.csv").display().to_string();
    t.run(&["import", &file, "--as", "contacts"])
        .success()
        .stderr_has("2 customers changed, 2 contacts added, 1 row already present, skipped");
    // Again: nothing new.
    t.run(&["import", &file, "--as", "contacts"])
        .success()
        .stderr_has("3 rows already present, skipped");
    t.write("bad.csv", "id,name\nnobody,X\n");
    let bad = t.path().join("bad.csv").display().to_string();
    t.run(&["import", &bad, "--as", "contacts"]).bad_input();
    t.write(
        "cards.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:赵磊\r\nORG:杭州星河贸易有限公司;采购部\r\nEMAIL:zhao.lei@xinghe.example\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Roe\r\nORG:Someone Else Ltd\r\nEND:VCARD\r\n",
    );
    let cards = t.path().join("cards.vcf").display().to_string();
    t.run(&["import", &cards, "--as", "contacts"])
        .success()
        .stderr_has("1 customer created, 1 customer changed, 1 contact added");
    t.run(&["export", "contacts"]).success().stdout_is(
        "id,name,role,email,phone,wechat,birthday,note,since,left\r\n\
         globex,Anna Berg,buyer,anna@globex.example,,,,,,\r\n\
         xinghe,周敏,buyer,zhou.min@xinghe.example,,,'--11-25,,2019-03-01,2026-10-31\r\n\
         xinghe,陈静,buyer,chen.jing@xinghe.example,,,1990-11-26,,2026-11-01,\r\n\
         xinghe,王磊,engineer,wang.lei@xinghe.example,,,'--03-02,,2026-11-10,\r\n\
         xinghe,赵磊,,zhao.lei@xinghe.example,,,,,,\r\n",
    );
    assert!(t.exists("jane-roe.yaml"));
}

#[test]
fn dupes_sees_a_current_contact_s_email() {
    let t = fixture();
    t.write(
        "chen-jing.yaml",
        "name: 陈静\nkind: person\ncontact:\n  email: Chen.Jing@xinghe.example\n",
    );
    t.write(
        "zhou-min.yaml",
        "name: Zhou\ncontact:\n  email: zhou.min@xinghe.example\n",
    );
    // 周敏 has left xinghe: her address names no duplicate.
    t.run(&["dupes", "--format", "csv"]).success().stdout_is(
        "id,name,other,other_name,reason\r\n\
         chen-jing,陈静,xinghe,杭州星河贸易有限公司,email\r\n",
    );
}

/// A complaint keeps the number it was logged with, whatever is logged
/// later (an older complaint found in the notes included); two complaints
/// holding one number after a merge are named by `check`, and `resolve`
/// refuses the number.
#[test]
fn a_complaint_keeps_its_number_whatever_is_logged_later() {
    let t = Test::new().today("2026-11-23").file(
        "acme.yaml",
        "name: Acme\ninteractions:\n  - date: 2026-11-01\n    kind: complaint\n    summary: Wrong invoice\n    status: open\n",
    );
    t.run(&[
        "log",
        "acme",
        "complaint",
        "Late delivery",
        "--date",
        "2026-11-20",
    ])
    .success()
    .stderr_has("acme: logged complaint on 2026-11-20 (complaint 2)");
    t.run(&[
        "log",
        "acme",
        "complaint",
        "Found in old notes",
        "--date",
        "2026-10-01",
    ])
    .success()
    .stderr_has("(complaint 3)");
    assert!(t.read("acme.yaml").contains(
        "  - date: 2026-10-01\n    kind: complaint\n    number: 3\n    summary: Found in old notes\n"
    ));
    t.run(&["show", "acme"]).success().stdout_has(
        "Open complaints\n  3. 2026-10-01  Found in old notes  (open 53 days)\n  1. 2026-11-01  Wrong invoice  (open 22 days)\n  2. 2026-11-20  Late delivery  (open 3 days)\n",
    );
    t.run(&["resolve", "acme", "2", "--date", "2026-11-22"])
        .success()
        .stderr_has("acme: complaint 2 resolved on 2026-11-22 (Late delivery)");
    t.run(&["resolve", "acme", "7"])
        .bad_input()
        .stderr_has("acme has no complaint 7; its complaints are numbered 1, 2, 3");

    // Two clones each logged complaint 4, then merged.
    let both = format!(
        "{}  - date: 2026-11-21\n    kind: complaint\n    number: 4\n    summary: Ours\n    status: open\n  - date: 2026-11-22\n    kind: complaint\n    number: 4\n    summary: Theirs\n    status: open\n",
        t.read("acme.yaml")
    );
    t.write("acme.yaml", &both);
    let check = t.run(&["check"]);
    check.code(1).stdout_has(
        "complaint number 4 is held by 2 complaints (2026-11-21 Ours; 2026-11-22 Theirs); give all but one another number\n",
    );
    t.run(&["resolve", "acme", "4"]).bad_input().stderr_has(
        "complaint number 4 of acme is held by 2 complaints (2026-11-21 Ours; 2026-11-22 Theirs)",
    );
}

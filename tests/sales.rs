//! Running a sales team: `forecast`, `receivables`, `review`, and the deal
//! money commands (`invoice`, `paid`, invoices issued on acceptance), on
//! `fixtures/sales` with today 2026-11-23 (a Monday).
//!
//! The fixture's deals, by owner (li.wei: alpha, beta, epsilon; wang.fang:
//! gamma, delta):
//!
//! | deal        | value   | stands         | close      | invoice (due)          | paid after it |
//! |-------------|---------|----------------|------------|------------------------|---------------|
//! | alpha/erp   | 120,000 | won 2026-11-10 |            | 120,000 (10-31)        | 120,000       |
//! | alpha/wms   | 80,000  | acceptance     | 2026-11-30 | 80,000 (11-22)         | 30,000        |
//! | beta/crm    | 60,000  | acceptance     |            | 60,000 (10-24): day 30 |               |
//! | beta/ops    | 10,000  | proposal       | 2026-12-15 |                        |               |
//! | gamma/kit   | 40,000  | acceptance     |            | 40,000 (10-23): day 31 | 5,000         |
//! | gamma/svc   | 20,000  | commitment     | 2026-11-15 (overdue)                   |               |
//! | gamma/fit   | 15,000  | won 2026-11-05 |            |                        |               |
//! | delta/big   | 30,000  | needs          | 2027-01-10 (next quarter)              |               |
//! | delta/edge  | 5,000   | proposal       | 2026-12-31 (last day of the quarter)   |               |
//! | delta/old   | 7,000   | acceptance     |            | 7,000 (07-01): 90+     |               |
//! | delta/pump  | 9,000   | acceptance     |            | 9,000 (09-01): 61-90   |               |
//! | delta/sup   | 9,000   | acceptance     |            | 9,000 (2027-01-04)     |               |
//!
//! Targets: li.wei 2026-11 100,000, 2026-12 50,000, 2026-Q4 300,000;
//! wang.fang 2026-11 40,000, 2027-Q1 60,000.

mod util;

use util::Test;

/// Checks a CSV output, written here with `\n` line ends (CSV has `\r\n`).
trait CsvOut {
    fn stdout_is_csv(&self, expected: &str) -> &Self;
}

impl CsvOut for util::Run {
    #[track_caller]
    fn stdout_is_csv(&self, expected: &str) -> &Self {
        self.stdout_is(&expected.replace('\n', "\r\n"))
    }
}

fn sales() -> Test {
    Test::fixture("sales").today("2026-11-23")
}

#[test]
fn forecast_by_month_counts_closes_wins_and_targets() {
    sales()
        .run(&["forecast", "--format", "csv"])
        .success()
        .stdout_is_csv(
            "period,owner,open_deals,value,weighted_value,won_deals,won_value,target,attainment,gap\n\
             overdue,wang.fang,1,20000.00,15000.00,0,0.00,,,\n\
             overdue,all,1,20000.00,15000.00,0,0.00,,,\n\
             2026-11,li.wei,1,80000.00,72000.00,1,120000.00,100000.00,1.2000,-20000.00\n\
             2026-11,wang.fang,0,0.00,0.00,1,15000.00,40000.00,0.3750,25000.00\n\
             2026-11,all,1,80000.00,72000.00,2,135000.00,140000.00,0.9643,5000.00\n\
             2026-12,li.wei,1,10000.00,5000.00,0,0.00,50000.00,0.0000,50000.00\n\
             2026-12,wang.fang,1,5000.00,2500.00,0,0.00,,,\n\
             2026-12,all,2,15000.00,7500.00,0,0.00,50000.00,0.0000,50000.00\n\
             2027-01,wang.fang,1,30000.00,10500.00,0,0.00,,,\n\
             2027-01,all,1,30000.00,10500.00,0,0.00,,,\n",
        );
}

#[test]
fn forecast_by_quarter_puts_the_last_of_december_and_january_apart() {
    sales()
        .run(&["forecast", "--by", "quarter", "--until", "2027-03-31", "--format", "csv"])
        .success()
        .stdout_is_csv(
            "period,owner,open_deals,value,weighted_value,won_deals,won_value,target,attainment,gap\n\
             overdue,wang.fang,1,20000.00,15000.00,0,0.00,,,\n\
             overdue,all,1,20000.00,15000.00,0,0.00,,,\n\
             2026-Q4,li.wei,2,90000.00,77000.00,1,120000.00,300000.00,0.4000,180000.00\n\
             2026-Q4,wang.fang,1,5000.00,2500.00,1,15000.00,,,\n\
             2026-Q4,all,3,95000.00,79500.00,2,135000.00,300000.00,0.4500,165000.00\n\
             2027-Q1,wang.fang,1,30000.00,10500.00,0,0.00,60000.00,0.0000,60000.00\n\
             2027-Q1,all,1,30000.00,10500.00,0,0.00,60000.00,0.0000,60000.00\n",
        );
}

#[test]
fn forecast_for_one_owner_keeps_only_their_deals_and_targets() {
    sales()
        .run(&["forecast", "--owner", "li.wei", "--until", "2026-12-01", "--format", "csv"])
        .success()
        .stdout_is_csv(
            "period,owner,open_deals,value,weighted_value,won_deals,won_value,target,attainment,gap\n\
             2026-11,li.wei,1,80000.00,72000.00,1,120000.00,100000.00,1.2000,-20000.00\n\
             2026-11,all,1,80000.00,72000.00,1,120000.00,100000.00,1.2000,-20000.00\n\
             2026-12,li.wei,1,10000.00,5000.00,0,0.00,50000.00,0.0000,50000.00\n\
             2026-12,all,1,10000.00,5000.00,0,0.00,50000.00,0.0000,50000.00\n",
        );
}

const RECEIVABLES_HEADER: &str =
    "id,name,owner,deal,invoice,date,due,amount,paid,open,days_past_due,bucket\n";

#[test]
fn receivables_age_each_open_invoice_day_30_and_31_apart() {
    sales()
        .run(&["receivables", "--format", "csv"])
        .success()
        .stdout_is_csv(&format!(
            "{RECEIVABLES_HEADER}\
             delta,Delta Works,wang.fang,old,1,2026-06-01,2026-07-01,7000.00,0.00,7000.00,145,90+\n\
             delta,Delta Works,wang.fang,pump,1,2026-08-02,2026-09-01,9000.00,0.00,9000.00,83,'61-90\n\
             gamma,Gamma Foods,wang.fang,kit,1,2026-09-23,2026-10-23,40000.00,5000.00,35000.00,31,'31-60\n\
             beta,Beta Logistics,li.wei,crm,1,2026-09-24,2026-10-24,60000.00,0.00,60000.00,30,'1-30\n\
             alpha,Alpha Trading,li.wei,wms,1,2026-10-23,2026-11-22,80000.00,30000.00,50000.00,1,'1-30\n\
             delta,Delta Works,wang.fang,sup,1,2026-11-20,2027-01-04,9000.00,0.00,9000.00,-42,current\n"
        ));
}

#[test]
fn receivables_table_adds_totals_per_bucket_and_owner_filters() {
    sales()
        .run(&["receivables", "--owner", "li.wei"])
        .success()
        .stdout_has("Totals by bucket")
        .stdout_has("1-30            2  110,000.00")
        .stdout_has("90+             0        0.00");
    sales()
        .run(&["receivables", "--owner", "li.wei", "--format", "csv"])
        .success()
        .stdout_is_csv(&format!(
            "{RECEIVABLES_HEADER}\
             beta,Beta Logistics,li.wei,crm,1,2026-09-24,2026-10-24,60000.00,0.00,60000.00,30,'1-30\n\
             alpha,Alpha Trading,li.wei,wms,1,2026-10-23,2026-11-22,80000.00,30000.00,50000.00,1,'1-30\n"
        ));
}

#[test]
fn partial_payments_go_oldest_due_first_and_overpayment_is_refused() {
    let t = sales();
    // 110,000 is open on two invoices of alpha/wms once a second one is issued.
    t.run(&[
        "invoice",
        "alpha",
        "--deal",
        "wms",
        "--amount",
        "10000",
        "--date",
        "2026-11-23",
    ])
    .success()
    .stderr_has("issued invoice 2 of wms: 10,000.00 dated 2026-11-23, due 2026-12-23");
    t.run(&["paid", "alpha", "--deal", "wms", "--amount", "60000.01"])
        .bad_input()
        .stderr_has("60,000.01 is more than the open balance of the deal `wms` (60,000.00)");
    t.run(&["paid", "alpha", "--deal", "wms", "--amount", "55000"])
        .success()
        .stderr_has("5,000.00 left open");
    t.run(&["receivables", "--owner", "li.wei", "--format", "csv"])
        .success()
        .stdout_is_csv(&format!(
            "{RECEIVABLES_HEADER}\
             beta,Beta Logistics,li.wei,crm,1,2026-09-24,2026-10-24,60000.00,0.00,60000.00,30,'1-30\n\
             alpha,Alpha Trading,li.wei,wms,2,2026-11-23,2026-12-23,10000.00,5000.00,5000.00,-30,current\n"
        ));
    t.run(&["paid", "alpha", "--deal", "wms", "--amount", "5000"])
        .success();
    t.run(&["paid", "alpha", "--deal", "wms", "--amount", "1"])
        .bad_input()
        .stderr_has("open balance of the deal `wms` (0.00)");
}

/// Acme with a deal of 1,000.00 at the stage before acceptance.
fn acme_at_commitment() -> Test {
    let t = Test::new().today("2026-11-23");
    t.run(&[
        "add",
        "Acme",
        "--deal",
        "ERP",
        "--value",
        "1000",
        "--stage",
        "commitment",
    ])
    .success();
    t
}

#[test]
fn reaching_acceptance_issues_an_invoice_after_the_terms_unless_told_not_to() {
    let t = acme_at_commitment();
    t.run(&["set", "acme", "deals.erp.terms=45d"]).success();
    // A deposit before the invoice: deducted from it, not allocated again.
    t.run(&[
        "log",
        "acme",
        "payment",
        "Deposit",
        "--amount",
        "300",
        "--deal",
        "erp",
        "--date",
        "2026-11-22",
    ])
    .success();
    t.run(&["advance", "acme"])
        .success()
        .stderr_has("issued invoice 1 of 700.00 due 2027-01-07");
    t.run(&["receivables", "--format", "csv"])
        .success()
        .stdout_is_csv(&format!(
            "{RECEIVABLES_HEADER}acme,Acme,,erp,1,2026-11-23,2027-01-07,700.00,0.00,700.00,-45,current\n"
        ));
    assert!(t.read("acme.yaml").contains(
        "    terms: 45d\n    invoices:\n      - {'no': 1, date: 2026-11-23, amount: 700.00, due: 2027-01-07}\n"
    ));
    // Reaching the last stage pays what is open.
    t.run(&["advance", "acme"])
        .success()
        .stderr_has("logged a payment of 700.00");
    t.run(&["receivables", "--format", "csv"])
        .success()
        .stdout_empty();

    let t = acme_at_commitment();
    t.run(&["advance", "acme", "--no-invoice"]).success();
    assert!(!t.read("acme.yaml").contains("invoices"));
}

#[test]
fn close_dates_come_from_deal_and_set_and_are_reminded() {
    let t = Test::new().today("2026-11-23");
    t.run(&["add", "Acme"]).success();
    t.run(&[
        "deal",
        "acme",
        "ERP",
        "--value",
        "500",
        "--close",
        "2026-11-20",
    ])
    .success()
    .stdout_is("erp\n");
    t.run(&["remind", "--format", "csv"])
        .success()
        .stdout_is_csv("date,kind,id,name,what,days\n2026-11-20,close,acme,Acme,ERP: expected to close 2026-11-20,-3\n");
    t.run(&["set", "acme", "deals.erp.close=2026-12-01"])
        .success();
    t.run(&["remind", "--format", "csv"])
        .success()
        .stdout_empty();
    t.run(&["set", "acme", "deals.erp.close=someday"])
        .bad_input();
    t.run(&["set", "acme", "deals.nope.close=2026-12-01"])
        .bad_input();
    t.run(&["set", "acme", "deals.erp.stage=paid"]).bad_input();
}

#[test]
fn remind_lists_payments_after_overdue_and_before_due() {
    sales()
        .run(&["remind", "--owner", "li.wei", "--format", "csv"])
        .success()
        .stdout_is_csv(
            "date,kind,id,name,what,days\n\
             2026-11-19,overdue,beta,Beta Logistics,Chase the CRM invoice,-4\n\
             2026-10-24,payment,beta,Beta Logistics,invoice 1 of crm: 60000.00 of 60000.00 due,-30\n\
             2026-11-22,payment,alpha,Alpha Trading,invoice 1 of wms: 50000.00 of 80000.00 due,-1\n\
             2026-10-24,stalled,beta,Beta Logistics,CRM licences: 60 days in Delivered and accepted (usual 40),-30\n\
             2026-11-22,stalled,alpha,Alpha Trading,Warehouse system: 31 days in Delivered and accepted (usual 40),-1\n",
        );
}

const REVIEW_HEADER: &str = "date,kind,id,name,owner,what,amount\n";

#[test]
fn review_lists_the_weeks_events_in_order() {
    sales()
        .run(&["review", "--format", "csv"])
        .success()
        .stdout_is_csv(&format!(
            "{REVIEW_HEADER}\
             2026-11-18,deal-advanced,delta,Delta Works,wang.fang,big: confirmed → needs,\n\
             2026-11-18,task-done,beta,Beta Logistics,li.wei,Send the audit plan,\n\
             2026-11-19,deal-lost,delta,Delta Works,wang.fang,lost: price,12000.00\n\
             2026-11-19,task-overdue,beta,Beta Logistics,li.wei,Chase the CRM invoice,\n\
             2026-11-20,deal-advanced,delta,Delta Works,wang.fang,sup: met → acceptance,\n\
             2026-11-20,payment,gamma,Gamma Foods,wang.fang,Part payment,5000.00\n\
             2026-11-21,new-customer,epsilon,Epsilon Retail,li.wei,,\n\
             2026-11-22,complaint,gamma,Gamma Foods,wang.fang,Late delivery of the ovens,\n\
             2026-11-23,lifecycle,gamma,Gamma Foods,wang.fang,prospect → new,\n"
        ));
}

#[test]
fn review_table_shows_counts_and_the_pipeline_at_both_ends() {
    // At the start (16 Nov) delta/big was at confirmed (20%), delta/lost at
    // proposal (50%) and delta/sup at met (5%); by today they are at needs
    // (35%), lost, and acceptance (90%): 211,350 + 4,500 − 6,000 + 7,650.
    sales()
        .run(&["review"])
        .success()
        .stdout_has("weighted pipeline 211,350.00 on 2026-11-16 → 217,500.00 on 2026-11-23")
        .stdout_has("deal-advanced  wang.fang       2");
}

#[test]
fn review_takes_a_span_or_a_first_day_and_an_owner() {
    sales()
        .run(&[
            "review",
            "--since",
            "2026-11-21",
            "--owner",
            "li.wei",
            "--format",
            "csv",
        ])
        .success()
        .stdout_is_csv(&format!(
            "{REVIEW_HEADER}2026-11-21,new-customer,epsilon,Epsilon Retail,li.wei,,\n"
        ));
    sales()
        .run(&[
            "review",
            "--since",
            "2d",
            "--until",
            "2026-11-19",
            "--format",
            "csv",
        ])
        .success()
        .stdout_is_csv(&format!(
            "{REVIEW_HEADER}\
             2026-11-18,deal-advanced,delta,Delta Works,wang.fang,big: confirmed → needs,\n\
             2026-11-18,task-done,beta,Beta Logistics,li.wei,Send the audit plan,\n\
             2026-11-19,deal-lost,delta,Delta Works,wang.fang,lost: price,12000.00\n\
             2026-11-19,task-overdue,beta,Beta Logistics,li.wei,Chase the CRM invoice,\n"
        ));
    sales().run(&["review", "--since", "soon"]).bad_input();
}

#[test]
fn bad_targets_and_terms_are_refused_with_their_place() {
    let t = Test::new()
        .today("2026-11-23")
        .config("targets:\n  li.wei: {2026-13: 5}\n");
    t.run(&["forecast"]).bad_input().stderr_has("2026-13");
    let t = Test::new().today("2026-11-23").file(
        "acme.yaml",
        "name: Acme\ndeals:\n  - id: erp\n    stage: met\n    terms: soon\n",
    );
    t.run(&["receivables"]).code(2).stderr_has("acme.yaml:5");
}

fn file(t: &Test, name: &str) -> String {
    t.path().join(name).display().to_string()
}

#[test]
fn invoices_go_through_a_spreadsheet_and_back() {
    let from = sales();
    let run = from.run(&["export", "invoices"]);
    run.success();
    assert_eq!(
        run.stdout.lines().take(3).collect::<Vec<_>>(),
        [
            "id,deal,no,date,amount,due",
            "alpha,erp,1,2026-10-01,120000.00,2026-10-31",
            "alpha,wms,1,2026-10-23,80000.00,2026-11-22",
        ]
    );
    from.run(&["export", "deals"])
        .success()
        .stdout_has("lost_reason,competitor,close,terms\r\n")
        .stdout_has("delta,sup,Support,9000.00,acceptance,open,2026-10-01,,,,,45d\r\n");
    // Into the same folder: every row is already there.
    from.write("invoices.csv", &run.stdout);
    from.run(&["import", &file(&from, "invoices.csv"), "--as", "invoices"])
        .success()
        .stderr_has("7 rows already present, skipped");
    // A new one: numbered next, due after the folder's terms.
    from.write(
        "new.csv",
        "id,deal,amount,date\nbeta,ops,2500.50,2026-11-20\n",
    );
    from.run(&["import", &file(&from, "new.csv"), "--as", "invoices"])
        .success();
    from.run(&["export", "invoices"])
        .success()
        .stdout_has("beta,ops,1,2026-11-20,2500.50,2026-12-20\r\n");
    from.write("bad.csv", "id,deal,amount\nbeta,nope,1\n");
    from.run(&["import", &file(&from, "bad.csv"), "--as", "invoices"])
        .bad_input()
        .stderr_has("bad.csv:2: beta has no deal `nope`");
}

//! `receivables`: every invoice with an open balance, how late it is and its
//! ageing bucket; and the totals per bucket.

use crate::date::{Date, days_between};
use crate::deal::ledger;
use crate::money::Money;
use crate::record::Record;

/// The ageing buckets, in order: days past due ≤ 0, 1–30, 31–60, 61–90, more.
pub const BUCKETS: &[&str] = &["current", "1-30", "31-60", "61-90", "90+"];

/// The bucket of an invoice `days` past its due date.
pub fn bucket(days: i64) -> &'static str {
    match days {
        ..=0 => BUCKETS[0],
        1..=30 => BUCKETS[1],
        31..=60 => BUCKETS[2],
        61..=90 => BUCKETS[3],
        _ => BUCKETS[4],
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub deal: String,
    pub invoice: u32,
    pub date: Date,
    pub due: Date,
    pub amount: Money,
    pub paid: Money,
    pub open: Money,
    pub days_past_due: i64,
}

impl Row {
    pub fn bucket(&self) -> &'static str {
        bucket(self.days_past_due)
    }
}

/// The customer's invoices with an open balance at `today`.
pub fn rows_of(r: &Record, today: Date) -> Vec<Row> {
    let mut out = Vec::new();
    for deal in &r.deals {
        for s in ledger::allocate(r, deal, today) {
            if !s.open().is_positive() {
                continue;
            }
            out.push(Row {
                id: r.id.clone(),
                name: r.name.clone(),
                owner: r.owner.clone(),
                deal: deal.id.clone(),
                invoice: s.no,
                date: s.date,
                due: s.due,
                amount: s.amount,
                paid: s.paid,
                open: s.open(),
                days_past_due: days_between(s.due, today),
            });
        }
    }
    out
}

/// Most overdue first, then by id (then deal and invoice number).
pub fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.days_past_due
            .cmp(&a.days_past_due)
            .then_with(|| (&a.id, &a.deal, a.invoice).cmp(&(&b.id, &b.deal, b.invoice)))
    });
}

/// Per bucket, in order: the number of invoices and their open balance.
pub fn totals(rows: &[Row]) -> Vec<(&'static str, usize, Money)> {
    BUCKETS
        .iter()
        .map(|b| {
            let in_bucket = rows.iter().filter(|r| r.bucket() == *b);
            let (n, open) = in_bucket.fold((0, Money::ZERO), |(n, sum), r| (n + 1, sum + r.open));
            (*b, n, open)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::When;
    use crate::date::testing::d;
    use crate::money::testing::m;
    use crate::record::{Deal, Interaction, Invoice};

    fn invoice(no: u32, date: &str, amount: &str, due: &str) -> Invoice {
        Invoice {
            no,
            date: d(date),
            amount: m(amount),
            due: d(due),
            extra: Default::default(),
        }
    }

    fn payment(r: &mut Record, date: &str, amount: &str) {
        let mut i = Interaction::new(When::day(d(date)), "payment");
        i.deal = Some("erp".into());
        i.amount = Some(m(amount));
        r.interactions.push(i);
    }

    /// A deal of 1000 with a deposit of 100 before its first invoice (900,
    /// due 1 Oct) and a second one (200, due 1 Sep).
    fn customer() -> Record {
        let mut r = Record::new("acme", "Acme");
        let mut deal = Deal::open(
            "erp".into(),
            None,
            Some(m("1000")),
            "acceptance".into(),
            d("2026-01-01"),
        );
        deal.invoices = vec![
            invoice(1, "2026-08-01", "900", "2026-10-01"),
            invoice(2, "2026-08-02", "200", "2026-09-01"),
        ];
        r.deals.push(deal);
        payment(&mut r, "2026-07-01", "100");
        r
    }

    #[test]
    fn buckets_turn_after_30_60_and_90_days() {
        let got: Vec<&str> = [-5, 0, 1, 30, 31, 60, 61, 90, 91].map(bucket).to_vec();
        assert_eq!(
            got,
            [
                "current", "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"
            ]
        );
    }

    #[test]
    fn payments_go_to_the_oldest_due_date_and_a_deposit_is_not_counted_twice() {
        let mut r = customer();
        payment(&mut r, "2026-09-10", "250");
        let rows = rows_of(&r, d("2026-10-31"));
        let got: Vec<(u32, String, String, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r.invoice,
                    r.paid.to_string(),
                    r.open.to_string(),
                    r.days_past_due,
                )
            })
            .collect();
        // Invoice 2 is due first: 200 of the 250 go to it, 50 to invoice 1.
        assert_eq!(got, [(1, "50.00".into(), "850.00".into(), 30)]);
        assert_eq!(rows[0].bucket(), "1-30");
    }

    #[test]
    fn payments_after_today_are_not_counted() {
        let mut r = customer();
        payment(&mut r, "2026-11-01", "1100");
        assert_eq!(rows_of(&r, d("2026-10-31")).len(), 2);
        assert!(rows_of(&r, d("2026-11-01")).is_empty());
    }

    #[test]
    fn totals_cover_every_bucket_in_order() {
        let mut rows = rows_of(&customer(), d("2026-10-31"));
        sort(&mut rows);
        assert_eq!(rows[0].invoice, 2);
        let t = totals(&rows);
        assert_eq!(t.len(), 5);
        assert_eq!(t[1], ("1-30", 1, m("900")));
        assert_eq!(t[2], ("31-60", 1, m("200")));
    }
}

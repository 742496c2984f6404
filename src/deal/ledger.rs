//! The money of a deal: what was invoiced, what was paid, how payments are
//! allocated to invoices, and what is still open.
//!
//! Payments are the interactions with `deal:` and a positive amount. Those
//! dated before the deal's first invoice were deducted when it was issued,
//! so they are not allocated again; every later payment goes to the invoices
//! oldest due date first (then number).

use crate::config::Config;
use crate::date::{Date, Span};
use crate::money::Money;
use crate::record::{Deal, Invoice, Record};

/// One invoice with what is allocated to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceState {
    pub no: u32,
    pub date: Date,
    pub due: Date,
    pub amount: Money,
    pub paid: Money,
}

impl InvoiceState {
    /// What is still owed on the invoice.
    pub fn open(&self) -> Money {
        self.amount - self.paid
    }
}

/// The payments for `deal` up to `today`, as (date, amount), in date order.
fn payments(r: &Record, deal: &Deal, today: Date) -> Vec<(Date, Money)> {
    let mut out: Vec<(Date, Money)> = r
        .interactions
        .iter()
        .filter(|i| i.deal.as_deref() == Some(deal.id.as_str()) && i.date.date <= today)
        .filter_map(|i| {
            i.amount
                .filter(|a| a.is_positive())
                .map(|a| (i.date.date, a))
        })
        .collect();
    out.sort();
    out
}

/// The sum of the positive amounts logged for `deal` up to `today`.
pub fn paid(r: &Record, deal: &Deal, today: Date) -> Money {
    payments(r, deal, today).into_iter().map(|(_, a)| a).sum()
}

/// The sum of the deal's invoices.
pub fn invoiced(deal: &Deal) -> Money {
    deal.invoices.iter().map(|i| i.amount).sum()
}

/// The deal's value, or nothing.
fn value(deal: &Deal) -> Money {
    deal.value.unwrap_or(Money::ZERO)
}

/// What may still be paid for the deal: max(value, invoiced) − paid.
pub fn balance(r: &Record, deal: &Deal, today: Date) -> Money {
    value(deal).max(invoiced(deal)) - paid(r, deal, today)
}

/// The deal's invoices issued up to `today`, each with the payments
/// allocated to it, oldest due date first (then number).
pub fn allocate(r: &Record, deal: &Deal, today: Date) -> Vec<InvoiceState> {
    let mut states: Vec<InvoiceState> = deal
        .invoices
        .iter()
        .filter(|i| i.date <= today)
        .map(|i| InvoiceState {
            no: i.no,
            date: i.date,
            due: i.due,
            amount: i.amount,
            paid: Money::ZERO,
        })
        .collect();
    states.sort_by_key(|s| (s.due, s.no));
    let Some(first) = states.iter().map(|s| s.date).min() else {
        return states;
    };
    let mut left: Money = payments(r, deal, today)
        .into_iter()
        .filter(|(date, _)| *date >= first)
        .map(|(_, a)| a)
        .sum();
    for s in &mut states {
        let take = left.min(s.amount);
        if !take.is_positive() {
            break;
        }
        s.paid = take;
        left -= take;
    }
    states
}

/// The payment terms of a deal: its own, else the folder's.
pub fn terms(deal: &Deal, config: &Config) -> Span {
    deal.terms.unwrap_or(config.payment_terms)
}

/// The next invoice number of the deal.
pub fn next_number(deal: &Deal) -> u32 {
    deal.invoices.iter().map(|i| i.no).max().unwrap_or(0) + 1
}

/// A new invoice of the deal dated `date`, due after the terms unless `due`
/// is given; None when the due date runs off the calendar.
pub fn invoice(
    deal: &Deal,
    config: &Config,
    amount: Money,
    date: Date,
    due: Option<Date>,
) -> Option<Invoice> {
    Some(Invoice {
        no: next_number(deal),
        date,
        amount,
        due: match due {
            Some(d) => d,
            None => terms(deal, config).after(date)?,
        },
        extra: Default::default(),
    })
}

/// The invoice issued when the deal reaches acceptance on `date`: the value
/// less what was already invoiced or paid, when that is above zero.
pub fn acceptance_invoice(r: &Record, deal: &Deal, config: &Config, date: Date) -> Option<Invoice> {
    let covered = invoiced(deal).max(paid(r, deal, Date::MAX));
    let amount = value(deal) - covered;
    amount
        .is_positive()
        .then(|| invoice(deal, config, amount, date, None))
        .flatten()
}

/// The payment logged when the deal reaches the last stage: whatever of
/// max(value, invoiced) is not paid yet.
pub fn final_payment(r: &Record, deal: &Deal) -> Money {
    balance(r, deal, Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::When;
    use crate::date::testing::d;
    use crate::money::testing::m;
    use crate::record::Interaction;

    fn record(value: &str) -> Record {
        let mut r = Record::new("acme", "Acme");
        r.deals.push(Deal::open(
            "erp".into(),
            None,
            Some(m(value)),
            "commitment".into(),
            d("2026-01-01"),
        ));
        r
    }

    fn pay(r: &mut Record, date: &str, amount: &str) {
        let mut i = Interaction::new(When::day(d(date)), "payment");
        i.deal = Some("erp".into());
        i.amount = Some(m(amount));
        r.interactions.push(i);
    }

    #[test]
    fn the_acceptance_invoice_is_the_value_less_what_was_paid_or_invoiced() {
        let config = Config::default();
        let mut r = record("1000");
        pay(&mut r, "2026-02-01", "250");
        let first = acceptance_invoice(&r, &r.deals[0], &config, d("2026-03-01")).unwrap();
        assert_eq!(
            (first.no, first.amount, first.due),
            (1, m("750"), d("2026-03-31"))
        );
        r.deals[0].invoices.push(first);
        // Reaching acceptance again deducts the larger of invoiced (750) and
        // paid (250) only.
        let again = acceptance_invoice(&r, &r.deals[0], &config, d("2026-03-02")).unwrap();
        assert_eq!((again.no, again.amount), (2, m("250")));
        // The deposit before the invoice is not allocated to it again.
        assert_eq!(
            allocate(&r, &r.deals[0], d("2026-12-31"))[0].paid,
            Money::ZERO
        );
        assert_eq!(balance(&r, &r.deals[0], d("2026-12-31")), m("750"));
        pay(&mut r, "2026-02-02", "750");
        assert_eq!(
            acceptance_invoice(&r, &r.deals[0], &config, d("2026-03-02")),
            None
        );
    }

    #[test]
    fn invoicing_more_than_the_value_raises_the_balance_and_the_final_payment() {
        let config = Config::default();
        let mut r = record("100");
        let extra = invoice(&r.deals[0], &config, m("130"), d("2026-03-01"), None).unwrap();
        r.deals[0].invoices.push(extra);
        pay(&mut r, "2026-03-05", "30");
        assert_eq!(final_payment(&r, &r.deals[0]), m("100"));
        r.deals[0].terms = Some(Span::days(10));
        let next = invoice(&r.deals[0], &config, m("1"), d("2026-03-01"), None).unwrap();
        assert_eq!((next.no, next.due), (2, d("2026-03-11")));
    }

    #[test]
    fn an_invoice_issued_after_today_is_not_yet_owed() {
        let config = Config::default();
        let mut r = record("100");
        let later = invoice(&r.deals[0], &config, m("100"), d("2026-05-01"), None).unwrap();
        r.deals[0].invoices.push(later);
        assert!(allocate(&r, &r.deals[0], d("2026-04-30")).is_empty());
        assert_eq!(
            allocate(&r, &r.deals[0], d("2026-05-01"))[0].open(),
            m("100")
        );
    }
}

//! `remind`: what is due at a day — open tasks, open complaints, stalled
//! deals, customers drifting away or lost, customers gone quiet past their
//! cadence, birthdays (of customers and of their people), anniversaries and
//! holidays — one row per reminder, kinds in the order of `Kind`.
//!
//! The work is split in two so that a whole-folder scan never holds the
//! records: `Remind::customer` boils one record down to its reminders and the
//! few facts the later rules need, and `Remind::finish` settles the cadence
//! and win-back rows once every customer's revenue is known (classes need
//! them all), and the stalled rows once every deal's time in its stages is
//! known (the funnel's usual days).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::Datelike;

use crate::analysis::abc::Class;
use crate::analysis::churn::{self, Churn, Drift};
use crate::analysis::complaints;
use crate::analysis::funnel;
use crate::analysis::lifecycle::{self, Lifecycle};
use crate::analysis::segment;
use crate::analysis::stalled::{self, Stalled};
use crate::analysis::value::{self, Window};
use crate::config::{Config, Holiday};
use crate::date::{Date, Span, YearlyDate, days_between};
use crate::deal::ledger;
use crate::money::Money;
use crate::record::{Record, Tier, text_enum};

text_enum!(
    /// The kinds of reminder, in the order the report lists them.
    Kind "reminder kind" {
        Overdue = "overdue",
        Payment = "payment",
        Due = "due",
        Close = "close",
        Complaint = "complaint",
        Stalled = "stalled",
        AtRisk = "at-risk",
        WinBack = "win-back",
        Cadence = "cadence",
        Birthday = "birthday",
        Anniversary = "anniversary",
        Holiday = "holiday",
    }
);

/// One row of the report. For a task `what` is the task's text, for a
/// holiday the holiday's name. The texts are shared: a customer's id and
/// name by all its rows, a holiday's name by every customer it greets (at
/// a quarter of a million customers, a copy each would be 100 MB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub kind: Kind,
    pub date: Date,
    /// Empty on a table line that groups several customers.
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub what: Arc<str>,
    /// Money that ends `what`, then the words after it: written with
    /// thousands separators in a table, plain elsewhere.
    pub money: Option<(Money, &'static str)>,
    /// The date minus today: negative when late.
    pub days: i64,
}

impl Reminder {
    /// The whole `what` text, money grouped by thousands when `grouped`.
    pub fn text(&self, grouped: bool) -> Cow<'_, str> {
        match self.money {
            None => Cow::Borrowed(&self.what),
            Some((m, after)) => {
                let m = if grouped { m.grouped() } else { m.to_string() };
                Cow::Owned(format!("{}{m}{after}", self.what))
            }
        }
    }
}

/// What the report keeps of one customer after the scan.
pub struct Customer {
    id: Arc<str>,
    /// All-time revenue: every customer's counts towards the ABC classes,
    /// also those the filters leave out, so a filter never changes a class.
    revenue: Money,
    /// Days each of its deals spent in the stages it has left: the funnel's
    /// usual days in a stage are over every deal, kept or not.
    stage_days: Vec<(usize, i64)>,
    /// None when `--owner`/`--tag` leave the customer out.
    kept: Option<Kept>,
}

struct Kept {
    reminders: Vec<Reminder>,
    quiet: Option<Quiet>,
    /// Lost by its last purchase, untouched since: a win-back row if its
    /// class is A or B.
    lost: Option<Churn>,
    /// Its stalled deals, with their titles.
    stalls: Vec<(Stalled, Arc<str>)>,
    name: Arc<str>,
}

/// What the cadence rule needs of a customer that has been contacted and is
/// not lost.
struct Quiet {
    name: Arc<str>,
    tier: Option<Tier>,
    last_contact: Date,
}

/// The reminders due at `today`, looking `within` ahead.
pub struct Remind<'a> {
    config: &'a Config,
    today: Date,
    /// The last day of the window (inclusive).
    until: Date,
    /// The holidays being announced today, with the day each falls on and
    /// their name.
    holidays: Vec<(&'a Holiday, Date, Arc<str>)>,
}

impl<'a> Remind<'a> {
    /// None when the window runs off the calendar.
    pub fn new(config: &'a Config, today: Date, within: Span) -> Option<Remind<'a>> {
        let holidays = config
            .holidays
            .iter()
            .filter_map(|h| announced(h, today).map(|day| (h, day, h.name.as_str().into())))
            .collect();
        Some(Remind {
            config,
            today,
            until: within.after(today)?,
            holidays,
        })
    }

    /// Boils one record down to what the report needs; `kept` says whether
    /// the filters keep it.
    pub fn customer(&self, record: &Record, kept: bool) -> Customer {
        let deals: Vec<Option<funnel::DealFacts>> = record
            .deals
            .iter()
            .map(|d| funnel::deal_facts(d, self.config, self.today))
            .collect();
        self.customer_with(record, kept, &deals)
    }

    /// [`Remind::customer`] given the facts of the record's deals as of
    /// today, deal by deal, for a caller that needs them too.
    pub fn customer_with(
        &self,
        record: &Record,
        kept: bool,
        deals: &[Option<funnel::DealFacts>],
    ) -> Customer {
        let revenue = value::totals(record, self.config, Window::all_time(self.today)).revenue;
        let id: Arc<str> = record.id.as_str().into();
        let name: Arc<str> = record.name.as_str().into();
        let stage_days = deals
            .iter()
            .flatten()
            .flat_map(|f| f.left.iter().copied())
            .collect();
        Customer {
            kept: kept.then(|| self.kept(record, deals, &id, name, revenue)),
            id,
            revenue,
            stage_days,
        }
    }

    fn kept(
        &self,
        record: &Record,
        deals: &[Option<funnel::DealFacts>],
        id: &Arc<str>,
        name: Arc<str>,
        revenue: Money,
    ) -> Kept {
        let mut reminders = self.reminders(record, id, &name);
        let occasions = lifecycle::purchase_occasions(record, None, self.today);
        let every_deal_lost = lifecycle::every_deal_lost(record);
        let drift = churn::churn(
            &occasions,
            every_deal_lost,
            &self.config.lifecycle,
            self.today,
        )
        .filter(|c| churn::untouched_since(record, c.turned, self.today));
        let mut lost = None;
        match drift {
            Some(c) if c.drift == Drift::AtRisk => {
                let gap = c
                    .usual_gap
                    .map(|g| format!(" (usual gap {g})"))
                    .unwrap_or_default();
                reminders.push(Reminder {
                    kind: Kind::AtRisk,
                    date: c.turned,
                    id: Arc::clone(id),
                    name: Arc::clone(&name),
                    what: format!("no purchase for {} days{gap}; lifetime revenue ", c.days).into(),
                    money: Some((revenue, "")),
                    days: days_between(self.today, c.turned),
                });
            }
            other => lost = other,
        }
        let stalls = record
            .deals
            .iter()
            .zip(deals)
            .filter_map(|(d, facts)| {
                let s = stalled::stalled_with(d, facts.as_ref()?, self.config, self.today)?;
                Some((s, d.title.as_deref().unwrap_or(&d.id).into()))
            })
            .collect();
        let lifecycle = lifecycle::classify(
            &occasions,
            every_deal_lost,
            &self.config.lifecycle,
            self.today,
        );
        Kept {
            reminders,
            quiet: self.quiet(record, &name, lifecycle),
            lost,
            stalls,
            name,
        }
    }

    /// Every reminder of the kept customers, cadence included, sorted by
    /// kind, date, id (then text, so the order never depends on the scan).
    pub fn finish(&self, customers: Vec<Customer>) -> Vec<Reminder> {
        let mut all = self.rows(customers);
        // Unstable: the key tells apart every two rows that print differently.
        all.sort_unstable_by(order);
        all
    }

    /// Every reminder of the kept customers, in no order: for a summary
    /// that needs no more than the first few (see [`head`]).
    pub fn rows(&self, customers: Vec<Customer>) -> Vec<Reminder> {
        let (classes, usual) = rayon::join(
            || classes(&customers, self.config),
            || self.usual_days(&customers),
        );
        // Sized at once: grown by doubling, the list of a folder where a
        // holiday greets everyone would hold up to twice its room.
        let most: usize = customers
            .iter()
            .filter_map(|c| c.kept.as_ref())
            .map(|k| {
                k.reminders.len()
                    + usize::from(k.quiet.is_some())
                    + usize::from(k.lost.is_some())
                    + k.stalls.len()
            })
            .sum();
        let mut all = Vec::with_capacity(most);
        for (customer, class) in customers.into_iter().zip(classes) {
            let Some(kept) = customer.kept else { continue };
            all.extend(kept.reminders);
            if let Some(quiet) = kept.quiet {
                all.extend(self.cadence(&customer.id, quiet, class == Class::A));
            }
            if let Some(lost) = kept.lost.filter(|_| matches!(class, Class::A | Class::B)) {
                all.push(Reminder {
                    kind: Kind::WinBack,
                    date: lost.turned,
                    id: Arc::clone(&customer.id),
                    name: Arc::clone(&kept.name),
                    what: format!("lost since {}; lifetime revenue ", lost.turned).into(),
                    money: Some((
                        customer.revenue,
                        if class == Class::A {
                            " (class A)"
                        } else {
                            " (class B)"
                        },
                    )),
                    days: days_between(self.today, lost.turned),
                });
            }
            for (stall, title) in kept.stalls {
                all.push(self.stalled(&customer.id, &kept.name, &stall, &title, &usual));
            }
        }
        all
    }

    /// The funnel's median days in each stage, over every deal that has
    /// left it.
    fn usual_days(&self, customers: &[Customer]) -> Vec<Option<funnel::HalfDays>> {
        let mut days: Vec<Vec<i64>> = vec![Vec::new(); self.config.funnel.len()];
        for (stage, spent) in customers.iter().flat_map(|c| &c.stage_days) {
            if let Some(d) = days.get_mut(*stage) {
                d.push(*spent);
            }
        }
        days.iter_mut().map(|d| funnel::median(d)).collect()
    }

    /// `TITLE: N days in LABEL (usual M)`, dated the day the deal stalled.
    fn stalled(
        &self,
        id: &Arc<str>,
        name: &Arc<str>,
        stall: &Stalled,
        title: &str,
        usual: &[Option<funnel::HalfDays>],
    ) -> Reminder {
        let label = self
            .config
            .funnel
            .get(stall.stage)
            .map_or("", |s| s.label.as_str());
        let usual = usual
            .get(stall.stage)
            .copied()
            .flatten()
            .map(|m| format!(" (usual {m})"))
            .unwrap_or_default();
        Reminder {
            kind: Kind::Stalled,
            date: stall.on,
            id: Arc::clone(id),
            name: Arc::clone(name),
            what: format!("{title}: {} days in {label}{usual}", stall.days).into(),
            money: None,
            days: days_between(self.today, stall.on),
        }
    }

    /// Tasks, complaints, birthdays, anniversaries and holidays: the rows
    /// that need no other customer.
    fn reminders(&self, record: &Record, id: &Arc<str>, name: &Arc<str>) -> Vec<Reminder> {
        let reminder = |kind, date, what| Reminder {
            kind,
            date,
            id: Arc::clone(id),
            name: Arc::clone(name),
            what,
            money: None,
            days: days_between(self.today, date),
        };
        let mut out = Vec::new();
        // A task done after today was still open on it.
        let open = record
            .tasks
            .iter()
            .filter(|t| t.done.is_none_or(|d| d > self.today));
        for task in open {
            let kind = if task.due < self.today {
                Kind::Overdue
            } else if task.due <= self.until {
                Kind::Due
            } else {
                continue;
            };
            out.push(reminder(kind, task.due, task.what.as_str().into()));
        }
        for deal in &record.deals {
            for invoice in ledger::allocate(record, deal, self.today) {
                if invoice.open().is_positive() && invoice.due <= self.today {
                    let what = format!(
                        "invoice {} of {}: {} of {} due",
                        invoice.no,
                        deal.id,
                        invoice.open(),
                        invoice.amount
                    );
                    out.push(reminder(Kind::Payment, invoice.due, what.into()));
                }
            }
            if let Some(close) = deal.close.filter(|c| deal.is_open() && *c <= self.today) {
                let title = deal.title.as_deref().unwrap_or(&deal.id);
                let what = format!("{title}: expected to close {close}");
                out.push(reminder(Kind::Close, close, what.into()));
            }
        }
        for (_, complaint) in complaints::open(record, self.today) {
            let since = complaint.date.date;
            let Some(due) = self.config.complaint_sla.after(since) else {
                continue;
            };
            if due > self.today {
                continue;
            }
            let what = match &complaint.summary {
                Some(summary) => format!("complaint open since {since}: {summary}"),
                None => format!("complaint open since {since}"),
            };
            out.push(reminder(Kind::Complaint, due, what.into()));
        }
        for person in record.contacts.iter().filter(|p| p.is_current(self.today)) {
            let Some((day, what)) = person.birthday.and_then(|d| self.yearly(Kind::Birthday, d))
            else {
                continue;
            };
            let what = format!("{} {what}", person.label());
            out.push(reminder(Kind::Birthday, day, what.into()));
        }
        let profile = &record.profile;
        for (kind, date) in [
            (Kind::Birthday, profile.birthday),
            (Kind::Anniversary, profile.anniversary),
        ] {
            if let Some((day, what)) = date.and_then(|d| self.yearly(kind, d)) {
                out.push(reminder(kind, day, what.into()));
            }
        }
        for (holiday, day, holiday_name) in &self.holidays {
            if greets(holiday, record) {
                out.push(reminder(Kind::Holiday, *day, Arc::clone(holiday_name)));
            }
        }
        out
    }

    /// The next birthday or anniversary within the window, and its text: the
    /// age or the number of years when the year is known. A full date is
    /// not its own anniversary, nor is any day before it.
    fn yearly(&self, kind: Kind, date: YearlyDate) -> Option<(Date, String)> {
        let day = date.next_on_or_after(self.today)?;
        if day > self.until {
            return None;
        }
        let what = match date.year() {
            None => kind.as_str().to_string(),
            Some(year) => {
                let n = day.year() - year;
                if n <= 0 {
                    return None;
                }
                match kind {
                    Kind::Birthday => format!("turns {n}"),
                    _ => plural(i64::from(n), "year"),
                }
            }
        };
        Some((day, what))
    }

    /// The facts for the cadence rule, unless the customer was never
    /// contacted (notes are not contacts) or is lost.
    fn quiet(&self, record: &Record, name: &Arc<str>, lifecycle: Lifecycle) -> Option<Quiet> {
        let last_contact = record
            .interactions
            .iter()
            .filter(|i| i.is_contact() && i.date.date <= self.today)
            .map(|i| i.date.date)
            .max()?;
        if lifecycle == Lifecycle::Lost {
            return None;
        }
        Some(Quiet {
            name: Arc::clone(name),
            tier: record.tier,
            last_contact,
        })
    }

    /// The cadence reminder of a customer, dated the day its cadence lapsed:
    /// due once the last contact is older than the cadence (strictly more
    /// days), that is when the lapse day is before today. No tier counts as
    /// `vip` in class A and `regular` otherwise; a tier without a cadence in
    /// kith.yaml gets no reminder.
    fn cadence(&self, id: &Arc<str>, quiet: Quiet, class_a: bool) -> Option<Reminder> {
        let (tier, why) = match quiet.tier {
            Some(t) => (t.as_str(), ""),
            None if class_a => ("vip", "class A, "),
            None => ("regular", ""),
        };
        let span = self.config.cadence.get(tier)?;
        let lapsed = span.after(quiet.last_contact)?;
        if lapsed >= self.today {
            return None;
        }
        let silent = days_between(quiet.last_contact, self.today);
        Some(Reminder {
            kind: Kind::Cadence,
            date: lapsed,
            id: Arc::clone(id),
            name: quiet.name,
            what: format!(
                "no contact for {} ({why}{tier} cadence {span})",
                plural(silent, "day")
            )
            .into(),
            money: None,
            days: days_between(self.today, lapsed),
        })
    }
}

/// Each customer's class by all-time revenue, in the order given.
fn classes(customers: &[Customer], config: &Config) -> Vec<Class> {
    // Revenue of zero or less is in no class and adds nothing to the
    // shares, so only the customers who paid need ranking.
    let mut ranked: Vec<(Money, &str, usize)> = customers
        .iter()
        .enumerate()
        .filter(|(_, c)| c.revenue.is_positive())
        .map(|(i, c)| (c.revenue, &*c.id, i))
        .collect();
    let classes = segment::classes_ranked(&mut ranked, |(revenue, id, _)| (*revenue, id), config);
    let mut by_place = vec![Class::None; customers.len()];
    for ((_, _, i), class) in ranked.into_iter().zip(classes) {
        by_place[i] = class;
    }
    by_place
}

/// The day a holiday is announced for, when today falls from `before` ahead
/// of it up to the day itself. A dated holiday falls on its date (once), a
/// `--MM-DD` one on its next occurrence on or after today.
fn announced(holiday: &Holiday, today: Date) -> Option<Date> {
    let day = match holiday.date {
        YearlyDate::Full(d) => d,
        yearly @ YearlyDate::MonthDay { .. } => yearly.next_on_or_after(today)?,
    };
    let from = holiday.before.before(day)?;
    (from <= today && today <= day).then_some(day)
}

/// A holiday greets the customers with any of its tags, or all when it has
/// none.
fn greets(holiday: &Holiday, record: &Record) -> bool {
    holiday.tags.is_empty() || holiday.tags.iter().any(|t| record.tags.contains(t))
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// How many customers a grouped holiday line names before "and N more".
const NAMED_PER_HOLIDAY: usize = 3;

/// The order `remind` lists its rows in: kind, date, id, then text.
fn order(a: &Reminder, b: &Reminder) -> Ordering {
    (a.kind, a.date, &a.id, &a.what).cmp(&(b.kind, b.date, &b.id, &b.what))
}

/// The rows as the table shows them: each holiday's customers on one line,
/// `<holiday>: greet N customers`, naming the first few. A holiday with one
/// customer keeps its id and name.
pub fn grouped(reminders: &[Reminder]) -> Vec<Reminder> {
    let mut out: Vec<Reminder> = reminders
        .iter()
        .filter(|r| r.kind != Kind::Holiday)
        .cloned()
        .collect();
    out.extend(holiday_lines(
        reminders.iter().filter(|r| r.kind == Kind::Holiday),
    ));
    out
}

/// What the report page shows of a long list of reminders, in any order:
/// how many there are of each kind, and the first rows of [`grouped`] in
/// `remind`'s order, found without sorting the others.
pub struct Head {
    /// Each kind with reminders, in kind order, and how many it has.
    pub kinds: Vec<(Kind, usize)>,
    /// How many reminders there are.
    pub all: usize,
    /// The first rows of the table.
    pub rows: Vec<Reminder>,
    /// How many rows the whole table has.
    pub total: usize,
}

/// The first `n` rows of the table of `reminders`, and the counts.
pub fn head(reminders: &[Reminder], n: usize) -> Head {
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    let mut rows: Vec<&Reminder> = Vec::new();
    for r in reminders {
        match kinds.iter_mut().find(|(k, _)| *k == r.kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((r.kind, 1)),
        }
        if r.kind != Kind::Holiday {
            rows.push(r);
        }
    }
    kinds.sort_unstable();
    let lines = holiday_lines(reminders.iter().filter(|r| r.kind == Kind::Holiday));
    let total = rows.len() + lines.len();
    if n < rows.len() {
        rows.select_nth_unstable_by(n, |a, b| order(a, b));
        rows.truncate(n);
    }
    rows.sort_unstable_by(|a, b| order(a, b));
    let mut head: Vec<Reminder> = rows.into_iter().cloned().collect();
    let more = n - head.len();
    head.extend(lines.into_iter().take(more));
    Head {
        kinds,
        all: reminders.len(),
        rows: head,
        total,
    }
}

/// Holiday rows, one line per holiday and day, in date and text order,
/// each naming its first customers by id. Counted, not sorted: a holiday
/// that greets everyone has a row for every customer.
fn holiday_lines<'r>(holidays: impl Iterator<Item = &'r Reminder>) -> Vec<Reminder> {
    // A few holidays at most: a list beats a hash map.
    let mut groups: Vec<HolidayGroup> = Vec::new();
    for r in holidays {
        let at = match groups
            .iter()
            .position(|g| g.date == r.date && g.name == &*r.what)
        {
            Some(at) => at,
            None => {
                groups.push(HolidayGroup {
                    date: r.date,
                    name: &r.what,
                    count: 0,
                    first: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        group.count += 1;
        let at = group.first.partition_point(|f| f.id <= r.id);
        if at < NAMED_PER_HOLIDAY {
            group.first.insert(at, r);
            group.first.truncate(NAMED_PER_HOLIDAY);
        }
    }
    groups.sort_unstable_by(|a, b| (a.date, a.name).cmp(&(b.date, b.name)));
    groups
        .iter()
        .map(|g| holiday_line(g.count, &g.first))
        .collect()
}

/// The rows of one holiday on one day: how many, and the first by id.
struct HolidayGroup<'r> {
    date: Date,
    name: &'r str,
    count: usize,
    first: Vec<&'r Reminder>,
}

/// The line of a holiday's `count` rows, `first` of them by id.
fn holiday_line(count: usize, first: &[&Reminder]) -> Reminder {
    let what = format!(
        "{}: greet {}",
        first[0].what,
        plural(count as i64, "customer")
    );
    if let ([only], 1) = (first, count) {
        return Reminder {
            what: what.into(),
            ..(*only).clone()
        };
    }
    let mut name = first
        .iter()
        .map(|r| &*r.name)
        .collect::<Vec<_>>()
        .join(", ");
    if count > first.len() {
        name.push_str(&format!(" and {} more", count - first.len()));
    }
    Reminder {
        kind: Kind::Holiday,
        date: first[0].date,
        id: "".into(),
        name: name.into(),
        what: what.into(),
        money: None,
        days: first[0].days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::d;
    use crate::record::{Interaction, Task};

    fn config(text: &str) -> Config {
        Config::parse(text.as_bytes()).unwrap()
    }

    fn record(id: &str) -> Record {
        Record::new(id, &id.to_uppercase())
    }

    fn contacted(mut r: Record, day: &str, kind: &str, amount: Option<&str>) -> Record {
        let mut i = Interaction::new(crate::date::When::day(d(day)), kind);
        i.amount = amount.map(|a| Money::parse(a).unwrap());
        r.interactions.push(i);
        r
    }

    fn run(config: &Config, today: &str, within: &str, records: &[Record]) -> Vec<String> {
        let remind = Remind::new(config, d(today), Span::parse(within).unwrap()).unwrap();
        let customers = records.iter().map(|r| remind.customer(r, true)).collect();
        remind
            .finish(customers)
            .iter()
            .map(|r| format!("{} {} {} {} {}", r.date, r.kind, r.id, r.text(true), r.days))
            .collect()
    }

    #[test]
    fn tasks_at_the_window_edges() {
        let mut r = record("acme");
        for (due, done) in [
            ("2026-11-22", None),
            ("2026-11-23", None),
            ("2026-11-30", None),
            ("2026-12-01", None),
            ("2026-11-01", Some("2026-11-02")),
            // Done after today: still open today.
            ("2026-11-02", Some("2026-11-24")),
        ] {
            r.tasks.push(Task {
                number: None,
                due: d(due),
                what: format!("task {due}"),
                done: done.map(d),
                extra: Default::default(),
            });
        }
        // 2026-11-23 + 7d = 2026-11-30, the last day in.
        assert_eq!(
            run(&Config::default(), "2026-11-23", "7d", &[r]),
            [
                "2026-11-02 overdue acme task 2026-11-02 -21",
                "2026-11-22 overdue acme task 2026-11-22 -1",
                "2026-11-23 due acme task 2026-11-23 0",
                "2026-11-30 due acme task 2026-11-30 7",
            ]
        );
    }

    #[test]
    fn cadence_by_tier_and_class() {
        let c = config("cadence: {vip: 30d, regular: 90d}\n");
        // vip: last call 2026-10-23; +30d = 2026-11-22 < today: 31 days quiet.
        let mut vip = contacted(record("vip"), "2026-10-23", "call", None);
        vip.tier = Some(Tier::Vip);
        // vip contacted 30 days ago: not older than 30d.
        let mut fresh = contacted(record("fresh"), "2026-10-24", "call", None);
        fresh.tier = Some(Tier::Vip);
        // No tier, class A (1000 of 1010 in revenue): counts as vip.
        let big = contacted(record("big"), "2026-10-01", "purchase", Some("1000"));
        // No tier, not class A: regular, 53 days is within 90d.
        let small = contacted(record("small"), "2026-10-01", "purchase", Some("10"));
        // A note is not a contact.
        let noted = contacted(record("noted"), "2026-01-01", "note", None);
        assert_eq!(
            run(&c, "2026-11-23", "7d", &[vip, fresh, big, small, noted]),
            [
                // 2026-10-01 + 30d = 2026-10-31; 53 days since.
                "2026-10-31 cadence big no contact for 53 days (class A, vip cadence 30d) -23",
                "2026-11-22 cadence vip no contact for 31 days (vip cadence 30d) -1",
            ]
        );
    }

    #[test]
    fn lost_customers_and_prospects_without_a_cadence_get_none() {
        let c = config("cadence: {vip: 30d}\n");
        // Last purchase 2025-11-01: older than 365d, lost.
        let mut lost = contacted(record("lost"), "2025-11-01", "purchase", Some("5"));
        lost.tier = Some(Tier::Vip);
        let mut prospect = contacted(record("prospect"), "2026-01-01", "call", None);
        prospect.tier = Some(Tier::Prospect);
        // No cadence row for either; the lost one, class A, is one to win back.
        assert_eq!(
            run(&c, "2026-11-23", "7d", &[lost, prospect.clone()]),
            ["2026-11-02 win-back lost lost since 2026-11-02; lifetime revenue 5.00 (class A) -21"]
        );
        let c = config("cadence: {prospect: 6m}\n");
        // 2026-01-01 + 6m = 2026-07-01.
        assert_eq!(
            run(&c, "2026-11-23", "7d", &[prospect]),
            ["2026-07-01 cadence prospect no contact for 326 days (prospect cadence 6m) -145"]
        );
    }

    #[test]
    fn birthdays_and_anniversaries() {
        let mut r = record("zhang");
        r.profile.birthday = Some(YearlyDate::parse("1979-01-02").unwrap());
        r.profile.anniversary = Some(YearlyDate::parse("--12-30").unwrap());
        assert_eq!(
            run(&Config::default(), "2026-12-28", "7d", &[r]),
            [
                "2027-01-02 birthday zhang turns 48 5",
                "2026-12-30 anniversary zhang anniversary 2",
            ]
        );
    }

    #[test]
    fn leap_day_birthdays() {
        let mut r = record("leap");
        r.profile.birthday = Some(YearlyDate::parse("1988-02-29").unwrap());
        assert_eq!(
            run(&Config::default(), "2027-02-27", "1d", &[r.clone()]),
            ["2027-02-28 birthday leap turns 39 1"]
        );
        assert_eq!(
            run(&Config::default(), "2028-02-28", "1d", &[r]),
            ["2028-02-29 birthday leap turns 40 1"]
        );
    }

    #[test]
    fn no_anniversary_on_or_before_the_date_itself() {
        let mut r = record("new");
        r.profile.anniversary = Some(YearlyDate::parse("2026-11-25").unwrap());
        assert!(run(&Config::default(), "2026-11-23", "7d", &[r]).is_empty());
    }

    #[test]
    fn holidays_from_before_ahead_to_the_day() {
        let c = config(
            "holidays:\n  - {name: Spring Festival, date: 2027-02-06, before: 7d}\n  - {name: New Year, date: --01-01, before: 5d, tags: [export]}\n",
        );
        let mut export = record("exp");
        export.tags = vec!["export".into()];
        let home = record("home");
        let both = [export, home];
        assert!(run(&c, "2027-01-29", "7d", &both).is_empty());
        assert_eq!(
            run(&c, "2027-01-30", "7d", &both),
            [
                "2027-02-06 holiday exp Spring Festival 7",
                "2027-02-06 holiday home Spring Festival 7",
            ]
        );
        assert_eq!(
            run(&c, "2027-02-06", "7d", &both).len(),
            2,
            "the day itself"
        );
        assert!(run(&c, "2027-02-07", "7d", &both).is_empty());
        // 2026-12-27 = 2027-01-01 - 5d: announced, to the tagged only.
        assert!(run(&c, "2026-12-26", "7d", &both).is_empty());
        assert_eq!(
            run(&c, "2026-12-27", "7d", &both),
            ["2027-01-01 holiday exp New Year 5"]
        );
    }

    #[test]
    fn open_complaints_from_their_date_plus_the_sla() {
        let c = config("complaint_sla: 3d\n");
        let mut r = record("acme");
        let mut open = Interaction::new(crate::date::When::day(d("2026-11-20")), "complaint");
        open.summary = Some("Broken scanner".into());
        open.status = Some(crate::record::CaseStatus::Open);
        let mut later = open.clone();
        later.date = crate::date::When::day(d("2026-11-21"));
        // Resolved after today: still open today.
        let mut resolved_later = open.clone();
        resolved_later.date = crate::date::When::day(d("2026-11-01"));
        resolved_later.status = Some(crate::record::CaseStatus::Resolved);
        resolved_later.resolved = Some(d("2026-11-30"));
        // Without status: resolved on its own date.
        let mut old = open.clone();
        old.status = None;
        r.interactions = vec![resolved_later, old, open, later];
        assert_eq!(
            run(&c, "2026-11-23", "7d", &[r]),
            [
                "2026-11-04 complaint acme complaint open since 2026-11-01: Broken scanner -19",
                "2026-11-23 complaint acme complaint open since 2026-11-20: Broken scanner 0",
            ]
        );
    }

    #[test]
    fn stalled_deals_say_the_usual_days_of_their_stage() {
        use crate::record::{Deal, HistoryEntry};
        let c = config("stalled_after: {proposal: 20d}\n");
        let mut r = record("acme");
        let mut stuck = Deal::open(
            "erp".into(),
            Some("ERP".into()),
            None,
            "proposal".into(),
            d("2026-09-01"),
        );
        stuck
            .history
            .push(HistoryEntry::reached("proposal", d("2026-10-07")));
        // Another deal left `proposal` after 10 and one after 31 days: median 20.5.
        let mut moved = Deal::open("a".into(), None, None, "met".into(), d("2026-01-01"));
        moved
            .history
            .push(HistoryEntry::reached("proposal", d("2026-01-01")));
        moved
            .history
            .push(HistoryEntry::reached("commitment", d("2026-01-11")));
        moved.stage = "commitment".into();
        let mut other = moved.clone();
        other.id = "b".into();
        other.history[2].date = d("2026-02-01");
        r.deals = vec![stuck, moved, other];
        assert_eq!(
            run(&c, "2026-11-23", "7d", &[r]),
            [
                // Default 30d: 2026-01-11 + 30d.
                "2026-02-10 stalled acme a: 316 days in Customer commitment -286",
                "2026-03-03 stalled acme b: 295 days in Customer commitment -265",
                // 2026-10-07 + 20d.
                "2026-10-27 stalled acme ERP: 47 days in Proposal and quote (usual 20.5) -27",
            ]
        );
    }

    #[test]
    fn at_risk_until_someone_acts() {
        let today = "2026-11-23";
        let mut r = record("drift");
        for day in ["2026-03-01", "2026-05-01", "2026-07-01"] {
            r = contacted(r, day, "purchase", Some("100000"));
        }
        // Gaps 61 and 61: at-risk from 2026-07-01 + 122 days + 1 = 2026-11-01.
        assert_eq!(
            run(&Config::default(), today, "7d", &[r.clone()]),
            [
                "2026-11-01 at-risk drift no purchase for 145 days (usual gap 61); lifetime revenue 300,000.00 -22",
                "2026-07-31 cadence drift no contact for 145 days (class A, vip cadence 30d) -115",
            ]
        );
        // A note does not count; a call does.
        let noted = contacted(r.clone(), "2026-11-01", "note", None);
        assert_eq!(run(&Config::default(), today, "7d", &[noted]).len(), 2);
        let called = contacted(r, "2026-11-01", "call", None);
        assert!(
            run(&Config::default(), today, "7d", &[called])
                .iter()
                .all(|row| !row.contains("at-risk"))
        );
    }

    #[test]
    fn birthdays_of_current_contacts() {
        use crate::record::Person;
        let mut r = record("acme");
        let mut zhou = Person::new("周敏");
        zhou.role = Some("buyer".into());
        zhou.birthday = Some(YearlyDate::parse("1990-11-25").unwrap());
        let mut gone = Person::new("Li");
        gone.birthday = Some(YearlyDate::parse("--11-24").unwrap());
        gone.left = Some(d("2026-10-31"));
        let mut chen = Person::new("陈静");
        chen.birthday = Some(YearlyDate::parse("--11-26").unwrap());
        r.contacts = vec![zhou, gone, chen];
        assert_eq!(
            run(&Config::default(), "2026-11-23", "7d", &[r]),
            [
                "2026-11-25 birthday acme 周敏 (buyer) turns 36 2",
                "2026-11-26 birthday acme 陈静 birthday 3",
            ]
        );
    }

    #[test]
    fn grouping_holidays_for_the_table() {
        let row = |kind, id: &str, what: &str| Reminder {
            kind,
            date: d("2027-02-06"),
            id: id.into(),
            name: id.to_uppercase().into(),
            what: what.into(),
            money: None,
            days: 7,
        };
        let rows = vec![
            row(Kind::Due, "a", "call"),
            row(Kind::Holiday, "a", "Spring Festival"),
            row(Kind::Holiday, "a", "Lantern"),
            row(Kind::Holiday, "b", "Spring Festival"),
            row(Kind::Holiday, "c", "Spring Festival"),
            row(Kind::Holiday, "d", "Spring Festival"),
        ];
        let lines: Vec<String> = grouped(&rows)
            .iter()
            .map(|r| format!("{}|{}|{}|{}", r.kind, r.id, r.name, r.what))
            .collect();
        assert_eq!(
            lines,
            [
                "due|a|A|call",
                "holiday|a|A|Lantern: greet 1 customer",
                "holiday||A, B, C and 1 more|Spring Festival: greet 4 customers",
            ]
        );
        // The page's head of the list is the table's, and so is its
        // length, whatever order the rows come in.
        let all = grouped(&rows);
        let mut shuffled = rows.clone();
        shuffled.reverse();
        shuffled.swap(0, 3);
        for n in 0..5 {
            let Head {
                kinds,
                all: count,
                rows: head,
                total,
            } = super::head(&shuffled, n);
            assert_eq!(kinds, [(Kind::Due, 1), (Kind::Holiday, 5)]);
            assert_eq!(count, 6);
            assert_eq!(total, all.len());
            let text = |r: &Reminder| format!("{}|{}|{}|{}", r.kind, r.id, r.name, r.what);
            assert_eq!(
                head.iter().map(text).collect::<Vec<_>>(),
                all.iter().take(n).map(text).collect::<Vec<_>>()
            );
        }
    }
}

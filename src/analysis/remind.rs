//! `remind`: what is due at a day — open tasks, customers gone quiet past
//! their cadence, birthdays, anniversaries and holidays — one row per
//! reminder, in the order of SPEC section 5.
//!
//! The work is split in two so that a whole-folder scan never holds the
//! records: `Remind::customer` boils one record down to its reminders and the
//! few facts the cadence rule needs, and `Remind::finish` settles the cadence
//! once every customer's revenue is known (class A needs them all).

use std::fmt;
use std::sync::Arc;

use chrono::Datelike;

use crate::analysis::abc::Class;
use crate::analysis::lifecycle::{self, Lifecycle};
use crate::analysis::segment;
use crate::analysis::value::{self, Window};
use crate::config::{Config, Holiday};
use crate::date::{Date, Span, YearlyDate, days_between};
use crate::money::Money;
use crate::record::{Record, Tier};

/// The kinds of reminder, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Overdue,
    Due,
    Cadence,
    Birthday,
    Anniversary,
    Holiday,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Overdue => "overdue",
            Kind::Due => "due",
            Kind::Cadence => "cadence",
            Kind::Birthday => "birthday",
            Kind::Anniversary => "anniversary",
            Kind::Holiday => "holiday",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// The date minus today: negative when late.
    pub days: i64,
}

/// What the report keeps of one customer after the scan.
pub struct Customer {
    id: Arc<str>,
    /// All-time revenue: every customer's counts towards the ABC classes,
    /// also those the filters leave out, so a filter never changes a class.
    revenue: Money,
    /// None when `--owner`/`--tag` leave the customer out.
    kept: Option<Kept>,
}

struct Kept {
    reminders: Vec<Reminder>,
    quiet: Option<Quiet>,
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
        let revenue = value::totals(record, self.config, Window::all_time(self.today)).revenue;
        let id: Arc<str> = record.id.as_str().into();
        let name: Arc<str> = record.name.as_str().into();
        Customer {
            kept: kept.then(|| Kept {
                reminders: self.reminders(record, &id, &name),
                quiet: self.quiet(record, &name),
            }),
            id,
            revenue,
        }
    }

    /// Every reminder of the kept customers, cadence included, sorted by
    /// kind, date, id (then text, so the order never depends on the scan).
    pub fn finish(&self, customers: Vec<Customer>) -> Vec<Reminder> {
        let class_a = class_a(&customers, self.config);
        // Sized at once: grown by doubling, the list of a folder where a
        // holiday greets everyone would hold up to twice its room.
        let most: usize = customers
            .iter()
            .filter_map(|c| c.kept.as_ref())
            .map(|k| k.reminders.len() + usize::from(k.quiet.is_some()))
            .sum();
        let mut all = Vec::with_capacity(most);
        for (customer, is_a) in customers.into_iter().zip(class_a) {
            let Some(kept) = customer.kept else { continue };
            all.extend(kept.reminders);
            if let Some(quiet) = kept.quiet {
                all.extend(self.cadence(&customer.id, quiet, is_a));
            }
        }
        all.sort_by(|a, b| (a.kind, a.date, &a.id, &a.what).cmp(&(b.kind, b.date, &b.id, &b.what)));
        all
    }

    /// Tasks, birthdays, anniversaries and holidays: all but the cadence.
    fn reminders(&self, record: &Record, id: &Arc<str>, name: &Arc<str>) -> Vec<Reminder> {
        let reminder = |kind, date, what| Reminder {
            kind,
            date,
            id: Arc::clone(id),
            name: Arc::clone(name),
            what,
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
    fn quiet(&self, record: &Record, name: &Arc<str>) -> Option<Quiet> {
        let last_contact = record
            .interactions
            .iter()
            .filter(|i| i.is_contact() && i.date.date <= self.today)
            .map(|i| i.date.date)
            .max()?;
        if lifecycle::lifecycle(record, &self.config.lifecycle, self.today) == Lifecycle::Lost {
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
            days: days_between(self.today, lapsed),
        })
    }
}

/// Whether each customer is in class A by all-time revenue, in the order
/// given.
fn class_a(customers: &[Customer], config: &Config) -> Vec<bool> {
    let mut ranked: Vec<(Money, &str, usize)> = customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.revenue, &*c.id, i))
        .collect();
    let classes = segment::classes_ranked(&mut ranked, |(revenue, id, _)| (*revenue, id), config);
    let mut is_a = vec![false; customers.len()];
    for ((_, _, i), class) in ranked.into_iter().zip(classes) {
        is_a[i] = class == Class::A;
    }
    is_a
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

/// The rows as the table shows them: each holiday's customers on one line,
/// `<holiday>: greet N customers`, naming the first few. A holiday with one
/// customer keeps its id and name.
pub fn grouped(reminders: &[Reminder]) -> Vec<Reminder> {
    let (holidays, rows): (Vec<&Reminder>, Vec<&Reminder>) =
        reminders.iter().partition(|r| r.kind == Kind::Holiday);
    let mut groups: Vec<Vec<&Reminder>> = Vec::new();
    let mut sorted = holidays;
    sorted.sort_by(|a, b| (a.date, &a.what, &a.id).cmp(&(b.date, &b.what, &b.id)));
    for r in sorted {
        match groups.last_mut() {
            Some(g) if g[0].date == r.date && g[0].what == r.what => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    let mut out: Vec<Reminder> = rows.into_iter().cloned().collect();
    out.extend(groups.iter().map(|g| holiday_line(g)));
    out
}

fn holiday_line(group: &[&Reminder]) -> Reminder {
    let first = group[0];
    let what = format!(
        "{}: greet {}",
        first.what,
        plural(group.len() as i64, "customer")
    );
    if let [only] = group {
        return Reminder {
            what: what.into(),
            ..(*only).clone()
        };
    }
    let mut name = group
        .iter()
        .take(NAMED_PER_HOLIDAY)
        .map(|r| &*r.name)
        .collect::<Vec<_>>()
        .join(", ");
    if group.len() > NAMED_PER_HOLIDAY {
        name.push_str(&format!(" and {} more", group.len() - NAMED_PER_HOLIDAY));
    }
    Reminder {
        kind: Kind::Holiday,
        date: first.date,
        id: "".into(),
        name: name.into(),
        what: what.into(),
        days: first.days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;
    use crate::record::{Interaction, Task};

    fn d(s: &str) -> Date {
        parse_iso(s).unwrap()
    }

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
            .map(|r| format!("{} {} {} {} {}", r.date, r.kind, r.id, r.what, r.days))
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
        assert!(run(&c, "2026-11-23", "7d", &[lost, prospect.clone()]).is_empty());
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
    fn grouping_holidays_for_the_table() {
        let row = |kind, id: &str, what: &str| Reminder {
            kind,
            date: d("2027-02-06"),
            id: id.into(),
            name: id.to_uppercase().into(),
            what: what.into(),
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
    }
}

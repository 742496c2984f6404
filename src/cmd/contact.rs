//! `kith contact`: adds or updates a person at a customer, or marks one as
//! gone and opens a task to meet their successor.

use anyhow::Result;

use crate::cli::ContactArgs;
use crate::cmd::Ctx;
use crate::date::{self, Date, Span, YearlyDate};
use crate::error;
use crate::record::{Person, Record, Task};

/// How long after a person leaves their successor should be met.
const MEET_SUCCESSOR_AFTER: Span = Span {
    count: 7,
    unit: date::SpanUnit::Days,
};

pub fn run(ctx: &Ctx, args: ContactArgs) -> Result<u8> {
    let name = args.name.trim().to_string();
    if name.is_empty() {
        return Err(error::bad("the contact's name is empty; give one"));
    }
    let store = ctx.store()?;
    let fields = Fields::of(ctx, &args)?;
    if args.left {
        let left = match &args.date {
            Some(text) => ctx.date("--date", text)?,
            None => ctx.today,
        };
        let (label, task) = store.update(&args.id, |r| {
            let today = ctx.today;
            let person = match r.current_contact_mut(&name, today) {
                Some(p) => p,
                None => return Err(not_a_contact(r, &name, today)),
            };
            fields.apply(person);
            person.left = Some(left);
            let label = person.label();
            let task = if args.no_task {
                None
            } else {
                let due = MEET_SUCCESSOR_AFTER.after(left).ok_or_else(|| {
                    error::bad(format!("--date: {left} is too close to the calendar's end"))
                })?;
                let t = Task::checked(&format!("meet the successor of {label}"), due)
                    .map_err(error::bad)?;
                Some((r.add_task(t), due))
            };
            Ok((label, task))
        })?;
        let mut note = format!("{}: {label} left on {left}", args.id);
        if let Some((n, due)) = task {
            note.push_str(&format!("; task {n} due {due}"));
        }
        ctx.note(note);
        return Ok(0);
    }
    let added = store.update(&args.id, |r| {
        match r.current_contact_mut(&name, ctx.today) {
            Some(person) => {
                fields.apply(person);
                Ok(false)
            }
            None => {
                let mut person = Person::new(&name);
                fields.apply(&mut person);
                r.contacts.push(person);
                Ok(true)
            }
        }
    })?;
    let what = if added { "added" } else { "updated" };
    ctx.note(format!("{}: contact {name} {what}", args.id));
    Ok(0)
}

/// The fields given on the command line, checked.
struct Fields {
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    wechat: Option<String>,
    birthday: Option<YearlyDate>,
    note: Option<String>,
    since: Option<Date>,
}

impl Fields {
    fn of(ctx: &Ctx, args: &ContactArgs) -> Result<Fields> {
        let given = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(Fields {
            role: given(&args.role),
            email: given(&args.email),
            phone: given(&args.phone),
            wechat: given(&args.wechat),
            birthday: args
                .birthday
                .as_deref()
                .map(|b| YearlyDate::parse(b).map_err(|e| error::bad(format!("--birthday: {e}"))))
                .transpose()?,
            note: given(&args.note),
            since: args
                .since
                .as_deref()
                .map(|s| ctx.date("--since", s))
                .transpose()?,
        })
    }

    /// Sets the given fields, leaving the others as they are.
    fn apply(&self, p: &mut Person) {
        let set = |field: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                field.clone_from(value);
            }
        };
        set(&mut p.role, &self.role);
        set(&mut p.email, &self.email);
        set(&mut p.phone, &self.phone);
        set(&mut p.wechat, &self.wechat);
        set(&mut p.note, &self.note);
        if self.birthday.is_some() {
            p.birthday = self.birthday;
        }
        if self.since.is_some() {
            p.since = self.since;
        }
    }
}

/// The error for a name that is no current contact, naming the nearest.
fn not_a_contact(r: &Record, name: &str, today: Date) -> anyhow::Error {
    let current: Vec<&str> = r
        .contacts
        .iter()
        .filter(|p| p.is_current(today))
        .map(|p| p.name.as_str())
        .collect();
    let near = crate::error::nearest(name, current.iter().copied());
    let hint = match (near.is_empty(), current.is_empty()) {
        (_, true) => "it has no current contacts".to_string(),
        (false, _) => format!("did you mean {}?", near.join(", ")),
        (true, false) => format!("its current contacts are: {}", current.join(", ")),
    };
    error::bad(format!(
        "`{name}` is not a current contact of {}; {hint}",
        r.id
    ))
}

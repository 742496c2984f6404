//! The command line: global options and one subcommand enum. The `///`
//! comments are the help text; completions and the man page come from here.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::output::Format;

#[derive(Parser, Debug)]
#[command(
    name = "kith",
    version,
    about = "A command-line CRM whose database is a folder of YAML files, one per customer",
    long_about = None,
    after_help = "Examples:\n  kith init customers\n  kith add '杭州星河贸易有限公司' --tag wholesale --owner li.wei\n  kith log 杭州星河贸易有限公司 call 'Discussed the quote' --follow-up 7d\n  kith remind\n  kith segment --by profit --format csv > segments.csv\n\nEnvironment:\n  KITH_LOCK_TIMEOUT  seconds a writer waits for the folder lock (default 10)\n  KITH_NO_CACHE=1    parse every file, without the cache of parsed records in .kith/cache\n  NO_COLOR           tables without colour"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The customer folder [default: $KITH_DIR, else the nearest folder up
    /// with a kith.yaml; without either, kith refuses]
    #[arg(long, global = true, value_name = "DIR", env = "KITH_DIR")]
    pub dir: Option<PathBuf>,
    /// The date to take as today: YYYY-MM-DD or relative (yesterday, -1w)
    #[arg(
        long,
        global = true,
        value_name = "DATE",
        env = "KITH_TODAY",
        allow_hyphen_values = true
    )]
    pub today: Option<String>,
    /// Output format of records and reports: table, csv, tsv, json, ids, ics
    /// or svg; each command's help lists those it accepts, others are refused
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<Format>,
    /// When to use colour and terminal charts (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print no messages on stderr, only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Do not shorten tables to the terminal's width ($COLUMNS, else the
    /// terminal's own); piped output is never shortened
    #[arg(long, global = true)]
    pub wide: bool,
}

/// The formats a command prints, its default first: `--format` outside them
/// is refused, and its help lists them. A command that prints no records
/// has none. A new command declares its own here.
pub fn formats(command: &str) -> &'static [Format] {
    use Format::*;
    match command {
        "list" | "rfm" | "dupes" | "import" | "tiers" => &[Table, Csv, Tsv, Json, Ids],
        "segment" => &[Table, Csv, Tsv, Json, Ids, Svg],
        "funnel" => &[Table, Csv, Tsv, Json, Svg],
        "forecast" => &[Table, Csv, Tsv, Json],
        "receivables" | "review" => &[Table, Csv, Tsv, Json, Ids],
        "feedback" => &[Table, Csv, Tsv, Json],
        "remind" => &[Table, Csv, Tsv, Json, Ids, Ics],
        "show" => &[Table, Json, Csv, Tsv],
        "export" => &[Csv, Tsv, Json, Table, Ids],
        _ => &[],
    }
}

/// The clap definition with each command's formats added to its help: the
/// one the parser, the completions and the man page use.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let line = formats_line(formats(&name));
        cmd = cmd.mut_subcommand(&name, |sub| {
            let help = match sub.get_after_help() {
                Some(h) => format!("{line}\n\n{h}"),
                None => line,
            };
            sub.after_help(help)
        });
    }
    cmd
}

fn formats_line(formats: &[Format]) -> String {
    let names: Vec<String> = formats
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    match names.split_first() {
        None => "Formats: none; this command prints no records, and --format is refused".into(),
        Some((first, [])) => format!("Formats (--format): {first}"),
        Some((first, rest)) => {
            format!(
                "Formats (--format): {first} (the default), {}",
                rest.join(", ")
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a customer folder: kith.yaml with the defaults, and .kith/
    #[command(after_help = "Example:\n  kith init customers --git")]
    Init(InitArgs),
    /// Add a customer; prints its id
    #[command(
        after_help = "Example:\n  kith add 'Acme Trading' --email buyer@acme.example --tag wholesale --deal 'ERP rollout' --value 50000"
    )]
    Add(AddArgs),
    /// Show one customer's card
    #[command(after_help = "Example:\n  kith show acme-trading --all")]
    Show(ShowArgs),
    /// List customers, one line each
    #[command(after_help = "Example:\n  kith list --tag wholesale --segment A --format csv")]
    List(ListArgs),
    /// Set fields by dotted path (KEY=VALUE, KEY+=ITEM, KEY-=ITEM, KEY=)
    #[command(
        after_help = "Example:\n  kith set acme contact.email=buyer@acme.example tier=vip tags+=export"
    )]
    Set(SetArgs),
    /// Open a customer's file in $VISUAL or $EDITOR, checked on save
    #[command(after_help = "Example:\n  EDITOR=nano kith edit acme")]
    Edit(IdArgs),
    /// Log an interaction (call, visit, purchase ...), optionally with a follow-up
    #[command(
        after_help = "Example:\n  kith log acme call 'Discussed the revised quote' --deal erp-2026 --follow-up 7d --task 'Send the contract'\n  kith log acme purchase 'Spring order' --amount 12000 --date yesterday"
    )]
    Log(LogArgs),
    /// Add or update a person at a customer; --left marks them gone
    #[command(
        after_help = "Example:\n  kith contact xinghe 周敏 --role buyer --email zhou.min@xinghe.example --birthday --08-21\n  kith contact xinghe 周敏 --left --date 2026-10-31"
    )]
    Contact(ContactArgs),
    /// Close a complaint (N as `kith show` numbers open complaints)
    #[command(after_help = "Example:\n  kith resolve acme 2 --note 'Replaced both scanners'")]
    Resolve(ResolveArgs),
    /// Add a follow-up task
    #[command(after_help = "Example:\n  kith task acme 'Send the signed contract' --due 3d")]
    Task(TaskArgs),
    /// Mark a task done (N as `kith show` numbers it)
    #[command(after_help = "Example:\n  kith done acme 2")]
    Done(DoneArgs),
    /// Open a deal
    #[command(
        after_help = "Example:\n  kith deal acme 'Warehouse scanners' --value 18000 --stage opportunity"
    )]
    Deal(DealArgs),
    /// Move a deal to its next stage, or a later named one
    #[command(after_help = "Example:\n  kith advance acme --deal erp-2026 --to proposal")]
    Advance(AdvanceArgs),
    /// Close a deal as lost
    #[command(after_help = "Example:\n  kith lose acme --reason price --competitor Globex")]
    Lose(LoseArgs),
    /// Reopen a closed deal
    #[command(after_help = "Example:\n  kith reopen acme --deal erp-2026")]
    Reopen(ReopenArgs),
    /// Issue an invoice for a deal by hand
    #[command(
        after_help = "Example:\n  kith invoice acme --deal erp-2026 --amount 20000 --due 2027-01-31"
    )]
    Invoice(InvoiceArgs),
    /// Log a payment received for a deal; it pays the oldest invoices first
    #[command(
        after_help = "Example:\n  kith paid acme --deal erp-2026 --amount 15000 --date yesterday"
    )]
    Paid(PaidArgs),
    /// Expected closes, wins and targets per month or quarter and owner
    #[command(after_help = "Example:\n  kith forecast --by quarter --owner li.wei")]
    Forecast(ForecastArgs),
    /// Invoices with an open balance, by days past due, with ageing buckets
    #[command(after_help = "Example:\n  kith receivables --owner li.wei --format csv")]
    Receivables(OwnerArgs),
    /// The weekly review: what changed in the last days
    #[command(after_help = "Example:\n  kith review --since 7d --owner li.wei")]
    Review(ReviewArgs),
    /// The sales funnel: deals per stage, conversion, days in stage, losses
    #[command(
        after_help = "Example:\n  kith funnel --since 2026-01-01 --owner li.wei\n  kith funnel --format svg > funnel.svg"
    )]
    Funnel(FunnelArgs),
    /// ABC classes by revenue or profit, and the whale curve
    #[command(
        after_help = "Example:\n  kith segment --by profit --since 2026-01-01\n  kith segment --by profit --format svg > whale.svg"
    )]
    Segment(SegmentArgs),
    /// RFM scores and lifecycle stages
    #[command(after_help = "Example:\n  kith rfm --owner li.wei --format csv > rfm.csv")]
    Rfm(RfmArgs),
    /// Ratings, complaints and refunds per customer, owner, kind or product
    #[command(after_help = "Example:\n  kith feedback --by owner --since 2026-01-01 --format csv")]
    Feedback(FeedbackArgs),
    /// Tier and relationship level each customer's value suggests; --apply sets them
    #[command(after_help = "Example:\n  kith tiers\n  kith tiers --apply")]
    Tiers(TiersArgs),
    /// What is due: tasks, complaints, stalled deals, customers drifting away, birthdays, holidays
    #[command(
        after_help = "Example:\n  kith remind --within 14d --owner li.wei --exit-code\n  kith remind --format ics > kith.ics"
    )]
    Remind(RemindArgs),
    /// One HTML page of charts: funnel, whale and Pareto curves, lifecycle,
    /// RFM grid, today's reminders
    #[command(
        after_help = "Example:\n  kith report --html report.html --since 2026-01-01\n  kith report --html - --owner li.wei > li.wei.html"
    )]
    Report(ReportArgs),
    /// Export a flat table of the raw data: CSV (the default), TSV or JSON
    #[command(after_help = "Example:\n  kith export interactions --bom -o interactions.csv")]
    Export(ExportArgs),
    /// Import customers, interactions, deals, tasks or invoices from CSV, or contacts from vCard
    #[command(
        after_help = "Examples:\n  kith import leads.csv --as customers --map 'Company=name' --map 'E-mail=email' --dry-run\n  kith import contacts.csv --from google --encoding gbk --skip-bad refused.csv\n  kith import interactions.csv --as interactions --update   # an edited export"
    )]
    Import(ImportArgs),
    /// Validate every file and kith.yaml; prints FILE:LINE:COL: message per problem
    #[command(after_help = "Example:\n  kith check --strict")]
    Check(CheckArgs),
    /// Rewrite files in canonical form
    #[command(after_help = "Example:\n  kith fmt --check\n  kith fmt east/zhang-wei.yaml --force")]
    Fmt(FmtArgs),
    /// List likely duplicate customers
    #[command(after_help = "Example:\n  kith dupes")]
    Dupes,
    /// Merge customer OTHER into KEEP and remove OTHER
    #[command(after_help = "Example:\n  kith merge acme acme-2")]
    Merge(MergeArgs),
    /// The git merge driver: three-way merge of one customer file into OURS
    #[command(
        after_help = "Example (in .git/config):\n  [merge \"kith\"]\n    driver = kith merge-file %O %A %B"
    )]
    MergeFile(MergeFileArgs),
    /// Set up the kith merge driver and pre-commit check in this git clone
    #[command(after_help = "Example:\n  kith git-setup")]
    GitSetup,
    /// Print shell completions
    #[command(after_help = "Example:\n  kith completions bash > /etc/bash_completion.d/kith")]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  kith man > /usr/local/share/man/man1/kith.1")]
    Man,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create or initialise [default: the current folder]
    pub dir: Option<PathBuf>,
    /// Also set up git: .gitattributes, the merge driver, a pre-commit check
    #[arg(long)]
    pub git: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The customer's name, in any script
    pub name: String,
    /// The id (file name) [default: derived from the name]
    #[arg(long, allow_hyphen_values = true)]
    pub id: Option<String>,
    /// company or person
    #[arg(long)]
    pub kind: Option<String>,
    /// The customer's email; refused when another customer (or a current contact of one) has it, unless --force
    #[arg(long)]
    pub email: Option<String>,
    /// The customer's phone number, as written ('+86 571 0000 0000')
    #[arg(long, allow_hyphen_values = true)]
    pub phone: Option<String>,
    /// Who is responsible for the customer
    #[arg(long)]
    pub owner: Option<String>,
    /// A tag; repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// How the customer found us
    #[arg(long)]
    pub source: Option<String>,
    /// prospect, regular or vip
    #[arg(long)]
    pub tier: Option<String>,
    /// Open a deal with this title
    #[arg(long, value_name = "TITLE")]
    pub deal: Option<String>,
    /// The deal's expected value
    #[arg(long, requires = "deal", allow_hyphen_values = true)]
    pub value: Option<String>,
    /// The deal's stage [default: the funnel's first]
    #[arg(long, requires = "deal")]
    pub stage: Option<String>,
    /// Add the customer even when another one has the same email
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// Every interaction, not only the last 10
    #[arg(long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct IdArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only customers of this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only customers with an open deal at this stage
    #[arg(long)]
    pub stage: Option<String>,
    /// Only customers of this tier: prospect, regular or vip
    #[arg(long)]
    pub tier: Option<String>,
    /// Only customers of this ABC class (by all-time revenue): A, B, C or none
    #[arg(long)]
    pub segment: Option<String>,
    /// prospect, new, repeat, loyal, at-risk or lost
    #[arg(long)]
    pub lifecycle: Option<String>,
    /// Text to find in the name, id, contact, tags or notes (case-insensitive)
    #[arg(long)]
    pub search: Option<String>,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// Store a key kith does not know (nor the file holds, nor kith.yaml
    /// declares under `fields:`) as text instead of refusing it
    #[arg(long)]
    pub new: bool,
    /// KEY=VALUE, KEY+=ITEM, KEY-=ITEM or KEY= (removes the key)
    #[arg(required = true, allow_hyphen_values = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// call, email, meeting, visit, message, purchase, payment, refund,
    /// complaint, feedback, support, care, note, or a kind kith.yaml adds
    pub kind: String,
    /// What happened, in a line
    pub summary: Option<String>,
    /// When it happened: a date, optionally with THH:MM [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Money received (a refund is stored negative)
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// Money spent serving the customer
    #[arg(long, allow_hyphen_values = true)]
    pub cost: Option<String>,
    /// Satisfaction, 1 to 5
    #[arg(long)]
    pub rating: Option<String>,
    /// Who did it
    #[arg(long)]
    pub by: Option<String>,
    /// The deal it belongs to
    #[arg(long)]
    pub deal: Option<String>,
    /// The product it concerns (a purchase's product, say)
    #[arg(long)]
    pub product: Option<String>,
    /// How it was paid
    #[arg(long)]
    pub payment: Option<String>,
    /// The person at the customer it was with (one of its contacts)
    #[arg(long, value_name = "NAME")]
    pub with: Option<String>,
    /// Also add a follow-up task due in a span (7d) or on a date
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// The follow-up task's text [default: "Follow up: SUMMARY"]
    #[arg(long, requires = "follow_up")]
    pub task: Option<String>,
}

#[derive(Args, Debug)]
pub struct ContactArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The person's name, in any script
    pub name: String,
    /// What they do: buyer, manager, engineer ...
    #[arg(long)]
    pub role: Option<String>,
    /// The person's email
    #[arg(long)]
    pub email: Option<String>,
    /// The person's phone number, as written
    #[arg(long, allow_hyphen_values = true)]
    pub phone: Option<String>,
    /// The person's WeChat id
    #[arg(long)]
    pub wechat: Option<String>,
    /// YYYY-MM-DD, or --MM-DD when the year is unknown
    #[arg(long, allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// A note on the person (prefers calls after 14:00 ...)
    #[arg(long)]
    pub note: Option<String>,
    /// The day they started dealing with us
    #[arg(long, allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Mark the person as gone, and open a task to meet their successor
    #[arg(long)]
    pub left: bool,
    /// The day they left [default: today]
    #[arg(long, requires = "left", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// With --left: no task to meet the successor
    #[arg(long, requires = "left")]
    pub no_task: bool,
}

#[derive(Args, Debug)]
pub struct ResolveArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The complaint's number as `kith show` prints it [default: the only open one]
    pub n: Option<usize>,
    /// How it was resolved
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// The day it was resolved [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Args, Debug)]
pub struct FeedbackArgs {
    /// One row per customer, owner, interaction kind or product
    #[arg(long, value_enum, default_value_t = FeedbackBy::Customer)]
    pub by: FeedbackBy,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only customers of this owner
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedbackBy {
    Customer,
    Owner,
    Kind,
    Product,
}

#[derive(Args, Debug)]
pub struct TiersArgs {
    /// Set the suggested tier and relationship on every customer whose
    /// differ and that is not tier_locked
    #[arg(long)]
    pub apply: bool,
}

#[derive(Args, Debug)]
pub struct TaskArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// What is to be done
    pub what: String,
    /// When it is due: a span from today (7d, +3d), tomorrow or YYYY-MM-DD
    #[arg(long, allow_hyphen_values = true)]
    pub due: String,
}

#[derive(Args, Debug)]
pub struct DoneArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The task's number, as `kith task` and `kith show` print it [default: the only open task]
    pub n: Option<u32>,
    /// The day it was done [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Args, Debug)]
pub struct DealArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal's title, e.g. 'ERP rollout'
    pub title: String,
    /// The deal's expected value, e.g. 50000 or 1234.50
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// The deal's stage [default: the funnel's first stage]
    #[arg(long)]
    pub stage: Option<String>,
    /// The deal's id within the customer [default: derived from the title]
    #[arg(long = "deal-id")]
    pub deal_id: Option<String>,
    /// The day it opened [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// When the deal is expected to close (for `kith forecast`)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub close: Option<String>,
    /// Payment terms, e.g. 45d [default: kith.yaml payment_terms, else 30d]
    #[arg(long, value_name = "SPAN")]
    pub terms: Option<String>,
}

#[derive(Args, Debug)]
pub struct AdvanceArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal [default: the only open deal]
    #[arg(long)]
    pub deal: Option<String>,
    /// The stage to move to [default: the next]
    #[arg(long)]
    pub to: Option<String>,
    /// The day the stage was reached: YYYY-MM-DD, yesterday, -1w … [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// The payment logged on reaching the last stage [default: the value not yet paid]
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// Allow moving back to an earlier stage
    #[arg(long)]
    pub force: bool,
    /// Issue no invoice on reaching acceptance
    #[arg(long)]
    pub no_invoice: bool,
}

#[derive(Args, Debug)]
pub struct InvoiceArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal [default: the only open deal]
    #[arg(long)]
    pub deal: Option<String>,
    /// The amount invoiced
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// The day it is issued [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// When it is due: a date or a span from the issue date [default: the deal's terms]
    #[arg(long, allow_hyphen_values = true)]
    pub due: Option<String>,
}

#[derive(Args, Debug)]
pub struct PaidArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal [default: the only deal with an open balance]
    #[arg(long)]
    pub deal: Option<String>,
    /// The amount received
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// The day it was received [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForecastBy {
    Month,
    Quarter,
}

#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Periods of a month or of a quarter
    #[arg(long, value_enum, default_value_t = ForecastBy::Month)]
    pub by: ForecastBy,
    /// Only this owner's customers and targets
    #[arg(long)]
    pub owner: Option<String>,
    /// The first period shown: the one holding this date [default: today's]
    #[arg(long, allow_hyphen_values = true)]
    pub since: Option<String>,
    /// The last period shown: the one holding this date [default: two after the first]
    #[arg(long, allow_hyphen_values = true)]
    pub until: Option<String>,
}

#[derive(Args, Debug)]
pub struct OwnerArgs {
    /// Only this owner's customers
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// The window: a span ending on --until (7d: the last seven days), or its first day
    #[arg(long, default_value = "7d", allow_hyphen_values = true)]
    pub since: String,
    /// The window's last day [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Only this owner's customers
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Args, Debug)]
pub struct LoseArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal's id [default: the only open deal]
    #[arg(long)]
    pub deal: Option<String>,
    /// Why the deal was lost (price, timing, ...)
    #[arg(long)]
    pub reason: String,
    /// Who won it instead
    #[arg(long)]
    pub competitor: Option<String>,
    /// The day it was lost: YYYY-MM-DD, yesterday, -1w … [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReopenArgs {
    /// The customer: its id, or its name if no id matches
    pub id: String,
    /// The deal's id [default: the only closed deal]
    #[arg(long)]
    pub deal: Option<String>,
    /// The day it was reopened: YYYY-MM-DD, yesterday, -1w … [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct WindowArgs {
    /// The window's first day (inclusive)
    #[arg(long, allow_hyphen_values = true)]
    pub since: Option<String>,
    /// The window's last day (inclusive) [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub until: Option<String>,
}

impl WindowArgs {
    /// Whether `--since` or `--until` was given: the funnel then counts only
    /// deals opened in the window.
    pub fn given(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }
}

#[derive(Args, Debug)]
pub struct FunnelArgs {
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only deals of customers of this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only deals of customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Args, Debug)]
pub struct SegmentArgs {
    /// Rank by revenue or by profit after cost to serve
    #[arg(long, value_enum, default_value_t = SegmentBy::Revenue)]
    pub by: SegmentBy,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only this owner's customers (classes are computed over them)
    #[arg(long)]
    pub owner: Option<String>,
    /// Only customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Args, Debug)]
pub struct RfmArgs {
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only this owner's customers (scores are computed over them)
    #[arg(long)]
    pub owner: Option<String>,
    /// Only customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SegmentBy {
    Revenue,
    Profit,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Write the page to FILE (replaced atomically), or to stdout with `-`
    #[arg(long, value_name = "FILE", required = true)]
    pub html: String,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only customers with this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Args, Debug)]
pub struct RemindArgs {
    /// How far ahead to look: a span such as 7d, 2w or 1m
    #[arg(long, default_value = "7d", allow_hyphen_values = true)]
    pub within: String,
    /// Only reminders about customers of this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only reminders about customers with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Exit 1 when anything is due
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Args, Debug)]
pub struct CsvArgs {
    /// Prepend the byte-order mark Excel needs for Chinese text
    #[arg(long)]
    pub bom: bool,
    /// Field delimiter, e.g. ';' for locales that expect it
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,
    /// Turn the spreadsheet formula guard off
    #[arg(long)]
    pub raw: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The table: customers, interactions, deals, tasks, contacts or
    /// invoices (interactions, deals and tasks start with a `ref` column
    /// naming each entry, for `import --update`)
    #[arg(value_enum)]
    pub what: crate::sheet::Dataset,
    /// Write to FILE (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    Customers,
    Interactions,
    Deals,
    Tasks,
    Invoices,
    Contacts,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A CSV file (or a vCard file with --as contacts); - for stdin
    pub file: PathBuf,
    /// What the rows are [default with --from: customers]
    #[arg(long = "as", value_enum, required_unless_present = "from")]
    pub kind: Option<ImportKind>,
    /// The product the file was exported from; its columns map by themselves
    #[arg(long, value_enum, value_name = "PRODUCT")]
    pub from: Option<crate::sheet::preset::Preset>,
    /// Map a column of the file to a field: --map 'E-mail=email'; join
    /// columns with +: --map 'First Name+Last Name=name'; ignore one: --map 'Fax='
    #[arg(long = "map", value_name = "COLS=FIELD")]
    pub map: Vec<String>,
    /// The file's encoding, a WHATWG name (gbk, gb18030, big5, shift_jis,
    /// euc-kr, windows-1251, koi8-r, windows-1252, utf-16le …) [default:
    /// UTF-8, or UTF-16 by its byte-order mark]
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Import the good rows and write each refused one to FILE with the
    /// reason (without it, one bad row stops the import)
    #[arg(long, value_name = "FILE")]
    pub skip_bad: Option<PathBuf>,
    /// Overwrite differing fields of existing customers, and apply each
    /// row whose `ref` (from `kith export`) names an entry to that entry; a
    /// ref naming none (the entry changed since the export) is refused
    #[arg(long)]
    pub update: bool,
    /// The date format of the file, in strftime form (e.g. %d/%m/%Y)
    #[arg(long, value_name = "F")]
    pub date_format: Option<String>,
    /// Show what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Also warn about text that YAML 1.1 readers would misread
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files to format [default: every customer file]
    pub files: Vec<PathBuf>,
    /// List the files that are not canonical; change nothing
    #[arg(long)]
    pub check: bool,
    /// Also rewrite files that hold comments (the comments are dropped)
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The customer that stays (id or name)
    pub keep: String,
    /// The customer folded into KEEP, whose file is removed (id or name)
    pub other: String,
}

#[derive(Args, Debug)]
pub struct MergeFileArgs {
    /// The common ancestor's version (git's %O); may be empty
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, elvish, fish, powershell or zsh
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    /// Every option and argument has help text and every command an
    /// example, new ones included (docs/reference.md promises both).
    #[test]
    fn every_argument_has_help_and_every_command_an_example() {
        let cmd = super::command();
        let mut missing = Vec::new();
        let check = |missing: &mut Vec<String>, command: &clap::Command, name: &str| {
            for arg in command.get_arguments() {
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{name} {}: no help", arg.get_id()));
                }
            }
        };
        check(&mut missing, &cmd, "kith");
        for sub in cmd.get_subcommands() {
            let name = format!("kith {}", sub.get_name());
            check(&mut missing, sub, &name);
            let example = sub
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("Example"));
            if !example {
                missing.push(format!("{name}: no example"));
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }
}

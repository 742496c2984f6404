//! Runs one command: builds the context every command shares (folder,
//! today, output style) and dispatches to `cmd::<name>::run`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::{FromArgMatches, ValueEnum};

use crate::analysis::Window;
use crate::cli::{Cli, ColorChoice, Command, Global, WindowArgs};
use crate::cmd;
use crate::date::{self, Date};
use crate::error;
use crate::output::{self, CsvOptions, Format, Style};
use crate::store::{FileError, Store};

/// What every command needs besides its own arguments.
pub struct Ctx {
    pub dir: Option<PathBuf>,
    pub today: Date,
    pub format: Option<Format>,
    /// Colour and charts: stdout is a terminal (or `--color always`) and
    /// NO_COLOR is not set.
    pub color: bool,
    pub quiet: bool,
    /// The terminal's width, when stdout is a terminal and `--wide` is not
    /// given: tables are fitted to it.
    pub width: Option<usize>,
}

impl Ctx {
    fn new(g: &Global) -> Result<Ctx> {
        let local_today = chrono::Local::now().date_naive();
        let today = match &g.today {
            Some(t) => {
                date::parse_date(t, local_today).map_err(|e| error::bad(format!("--today: {e}")))?
            }
            None => local_today,
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        let width = if g.wide || !std::io::stdout().is_terminal() {
            None
        } else {
            terminal_width()
        };
        Ok(Ctx {
            dir: g.dir.clone(),
            today,
            format: g.format,
            color,
            quiet: g.quiet,
            width,
        })
    }

    /// The customer folder, found as SPEC section 1 says.
    pub fn store(&self) -> Result<Store> {
        Store::discover(self.dir.as_deref())
    }

    /// The output format: `--format`, else table.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(Format::Table)
    }

    pub fn style(&self, store: &Store) -> Style {
        Style {
            format: self.format(),
            color: self.color,
            currency: store.config.currency.clone(),
            csv: CsvOptions::default(),
            width: self.width,
        }
    }

    /// Parses a date option relative to today, naming the option on error.
    pub fn date(&self, option: &str, text: &str) -> Result<Date> {
        date::parse_date(text, self.today).map_err(|e| error::bad(format!("{option}: {e}")))
    }

    /// The window of `--since` and `--until` (both ends included); `--until`
    /// defaults to today, and a window that ends before it starts is refused.
    pub fn window(&self, args: &WindowArgs) -> Result<Window> {
        let until = match &args.until {
            Some(text) => self.date("--until", text)?,
            None => self.today,
        };
        let since = args
            .since
            .as_deref()
            .map(|text| self.date("--since", text))
            .transpose()?;
        if let Some(since) = since
            && since > until
        {
            return Err(error::bad(format!(
                "--since {since} is after the window's end {until}; the window would be empty"
            )));
        }
        Ok(Window { since, until })
    }

    /// Prints a message on stderr unless `--quiet`.
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Prints a report table on stdout in the chosen format.
    pub fn print(&self, store: &Store, table: &dyn output::Rows) -> Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        output::render(&mut out, table, &self.style(store))?;
        out.flush()?;
        Ok(())
    }
}

/// The width of the terminal on stdout: `$COLUMNS` when set to a number
/// (shells set it, and tests use it), else what the terminal reports.
fn terminal_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    match columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        Some(n) if n > 0 => Some(n),
        _ => terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)),
    }
}

/// Names each file that did not parse on stderr; returns the exit code a
/// whole-folder report ends with (2 when any file was broken).
pub fn report_broken(errors: &[FileError]) -> u8 {
    for e in errors {
        eprintln!("kith: {}", one_line_text(&e.to_string()));
    }
    if errors.is_empty() {
        0
    } else {
        error::BAD_INPUT
    }
}

/// A clap usage error on one line: the whole of clap's message (what is
/// missing, the possible values, "did you mean"), then the help of the
/// command it concerns.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut command = None;
    let mut message = String::new();
    let mut listing = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(usage) = line.strip_prefix("Usage:") {
            let words: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            command = Some(words.join(" "));
            continue;
        }
        if line.starts_with("For more information") {
            continue;
        }
        let part = line.trim_start_matches("error: ");
        let part = part.trim_start_matches('[').trim_end_matches(']');
        if !message.is_empty() {
            message.push_str(match (listing, message.ends_with(':')) {
                (_, true) => " ",
                (true, false) if line.starts_with(['-', '<']) => ", ",
                _ => "; ",
            });
        }
        if message.is_empty() || message.ends_with(':') {
            listing = part.ends_with(':');
        }
        message.push_str(part);
    }
    if message.is_empty() {
        message.push_str("invalid arguments");
    }
    let command = command.unwrap_or_else(command_of_args);
    format!("{message} (see `{command} --help`)")
}

/// `kith` and the first argument that names a command, for a usage error
/// whose text names none.
fn command_of_args() -> String {
    let cmd = crate::cli::command();
    let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    std::env::args()
        .skip(1)
        .find(|a| names.contains(&a.as_str()))
        .map_or_else(|| "kith".to_string(), |name| format!("kith {name}"))
}

/// Refuses a `--format` the command does not print (`cli::formats`).
fn refuse_other_formats(command: &str, format: Format) -> Result<()> {
    let accepted = crate::cli::formats(command);
    if accepted.contains(&format) {
        return Ok(());
    }
    let name = |f: &Format| {
        f.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    };
    let given = name(&format);
    if accepted.is_empty() {
        return Err(error::bad(format!(
            "`kith {command}` prints no records; --format {given} does not apply"
        )));
    }
    let list: Vec<String> = accepted.iter().map(name).collect();
    Err(error::bad(format!(
        "`kith {command}` does not print --format {given}; it prints {}",
        list.join(", ")
    )))
}

/// The error chain on one line.
pub fn one_line(err: &anyhow::Error) -> String {
    one_line_text(&format!("{err:#}"))
}

fn one_line_text(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

pub fn run() -> Result<u8> {
    let parsed = crate::cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return Ok(0);
        }
        Err(e) => return Err(error::bad(usage_line(&e))),
    };
    if let (Some(format), Some(name)) = (cli.global.format, matches.subcommand_name()) {
        refuse_other_formats(name, format)?;
    }
    let ctx = Ctx::new(&cli.global)?;
    match cli.command {
        Command::Init(a) => cmd::init::run(&ctx, a),
        Command::Add(a) => cmd::add::run(&ctx, a),
        Command::Show(a) => cmd::show::run(&ctx, a),
        Command::List(a) => cmd::list::run(&ctx, a),
        Command::Set(a) => cmd::set::run(&ctx, a),
        Command::Edit(a) => cmd::edit::run(&ctx, a),
        Command::Log(a) => cmd::log::run(&ctx, a),
        Command::Contact(a) => cmd::contact::run(&ctx, a),
        Command::Resolve(a) => cmd::resolve::run(&ctx, a),
        Command::Feedback(a) => cmd::feedback::run(&ctx, a),
        Command::Tiers(a) => cmd::tiers::run(&ctx, a),
        Command::Task(a) => cmd::task::run_task(&ctx, a),
        Command::Done(a) => cmd::task::run_done(&ctx, a),
        Command::Deal(a) => cmd::deal::run_deal(&ctx, a),
        Command::Advance(a) => cmd::deal::run_advance(&ctx, a),
        Command::Lose(a) => cmd::deal::run_lose(&ctx, a),
        Command::Reopen(a) => cmd::deal::run_reopen(&ctx, a),
        Command::Invoice(a) => cmd::deal::run_invoice(&ctx, a),
        Command::Paid(a) => cmd::deal::run_paid(&ctx, a),
        Command::Forecast(a) => cmd::forecast::run(&ctx, a),
        Command::Receivables(a) => cmd::receivables::run(&ctx, a),
        Command::Review(a) => cmd::review::run(&ctx, a),
        Command::Funnel(a) => cmd::funnel::run(&ctx, a),
        Command::Segment(a) => cmd::segment::run(&ctx, a),
        Command::Rfm(a) => cmd::rfm::run(&ctx, a),
        Command::Remind(a) => cmd::remind::run(&ctx, a),
        Command::Report(a) => cmd::report::run(&ctx, a),
        Command::Export(a) => cmd::export::run(&ctx, a),
        Command::Import(a) => cmd::import::run(&ctx, a),
        Command::Check(a) => cmd::check::run(&ctx, a),
        Command::Fmt(a) => cmd::fmt::run(&ctx, a),
        Command::Dupes => cmd::dupes::run_dupes(&ctx),
        Command::Merge(a) => cmd::dupes::run_merge(&ctx, a),
        Command::MergeFile(a) => cmd::merge_file::run(&ctx, a),
        Command::GitSetup => cmd::git::run_setup(&ctx),
        Command::Completions(a) => cmd::completions::run_completions(a),
        Command::Man => cmd::completions::run_man(),
    }
}

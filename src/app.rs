//! Runs one command: builds the context every command shares (folder,
//! today, output style: `cmd::Ctx`) and dispatches to `cmd::<name>::run`.

use anyhow::Result;
use clap::{FromArgMatches, ValueEnum};

use crate::cli::{Cli, Command};
use crate::cmd::{self, Ctx};
use crate::error;
use crate::output::Format;

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

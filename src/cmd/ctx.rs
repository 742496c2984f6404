//! What every command shares: the context built from the global options
//! (folder, today, output style), and the ending of a whole-folder report.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;

use crate::analysis::Window;
use crate::cli::{ColorChoice, Global, WindowArgs};
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
    pub fn new(g: &Global) -> Result<Ctx> {
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

    /// The customer folder, found as docs/reference.md says.
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
        eprintln!("kith: {}", error::one_line_text(&e.to_string()));
    }
    if errors.is_empty() {
        0
    } else {
        error::BAD_INPUT
    }
}

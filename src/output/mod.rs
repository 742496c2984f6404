//! Every report is a `Table` of typed cells; this module renders it as an
//! aligned terminal table, CSV, TSV, JSON or a list of ids. It is the one
//! place that writes CSV, so every command quotes, guards and encodes alike.

pub mod card;
pub mod chart;
mod guard;
pub mod html;
pub mod ics;
pub mod pictures;
pub mod svg;

pub use guard::{guard, number_like, unguard};

use std::borrow::Cow;
use std::io::Write;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use crate::date::{Date, When};
use crate::error;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Ids,
    Ics,
    /// A chart as one SVG document (`funnel`, `segment`).
    Svg,
}

/// One value of a report. Text is guarded against spreadsheet formulas in
/// CSV; numbers never are.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Money(Money),
    /// A decimal number already formatted (`0.8000`, `35.0`).
    Decimal(String),
    Date(Date),
    When(When),
    /// A month or quarter (`2026-11`, `2026-Q4`): text, but like a date
    /// never guarded, so a spreadsheet reads it as it is.
    Period(String),
    List(Vec<String>),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.to_string()))
    }

    pub fn opt_money(m: Option<Money>) -> Cell {
        m.map_or(Cell::Empty, Cell::Money)
    }

    pub fn opt_date(d: Option<Date>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Money(_) | Cell::Decimal(_))
    }

    /// The plain text of the cell, as CSV and JSON strings carry it.
    pub fn plain(&self) -> String {
        self.as_text().into_owned()
    }

    /// As `plain`, borrowing the cell's own text where it has one: a report
    /// of a quarter of a million rows need not copy every name to print it.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) | Cell::Decimal(s) | Cell::Period(s) => Cow::Borrowed(s),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Money(m) => Cow::Owned(m.to_string()),
            Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Cell::When(w) => Cow::Owned(w.to_string()),
            Cell::List(items) => Cow::Owned(items.join(";")),
            Cell::Empty => Cow::Borrowed(""),
        }
    }

    /// The cell as shown in a terminal table: money grouped by thousands,
    /// lists with commas.
    fn human(&self) -> String {
        match self {
            Cell::Money(m) => m.grouped(),
            Cell::List(items) => items.join(", "),
            other => other.plain(),
        }
    }
}

/// A report: named columns and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[&'static str]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }
}

/// What the writers read: named columns and rows of cells, either a table's
/// own or made one row at a time from a report's rows (`Made`), so that a
/// report of a quarter of a million rows is never held twice, once as its
/// rows and once as cells.
pub trait Rows {
    fn columns(&self) -> &[&'static str];
    fn len(&self) -> usize;
    fn row(&self, i: usize) -> Cow<'_, [Cell]>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Rows for Table {
    fn columns(&self) -> &[&'static str] {
        &self.columns
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn row(&self, i: usize) -> Cow<'_, [Cell]> {
        Cow::Borrowed(&self.rows[i])
    }
}

/// A report's rows with the function that turns each into cells.
pub struct Made<'a, T, F> {
    columns: &'a [&'static str],
    items: &'a [T],
    cells: F,
}

impl<'a, T, F: Fn(&T) -> Vec<Cell>> Made<'a, T, F> {
    pub fn new(columns: &'a [&'static str], items: &'a [T], cells: F) -> Self {
        Made {
            columns,
            items,
            cells,
        }
    }
}

impl<T, F: Fn(&T) -> Vec<Cell>> Rows for Made<'_, T, F> {
    fn columns(&self) -> &[&'static str] {
        self.columns
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn row(&self, i: usize) -> Cow<'_, [Cell]> {
        Cow::Owned((self.cells)(&self.items[i]))
    }
}

/// How CSV and TSV are written.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    pub delimiter: u8,
    pub bom: bool,
    /// Turns the formula guard off.
    pub raw: bool,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            delimiter: b',',
            bom: false,
            raw: false,
        }
    }
}

/// How to render: the format and what the terminal allows.
#[derive(Debug, Clone)]
pub struct Style {
    pub format: Format,
    pub color: bool,
    /// The folder's currency, shown in the headers of money columns.
    pub currency: Option<String>,
    pub csv: CsvOptions,
    /// The terminal's width when stdout is one (and `--wide` is not given):
    /// tables are fitted to it. None for pipes and files.
    pub width: Option<usize>,
}

/// Renders `table` to `out` in the chosen format. An empty table prints no
/// bytes except in JSON (`[]`).
pub fn render(out: &mut dyn Write, table: &dyn Rows, style: &Style) -> Result<()> {
    match style.format {
        Format::Table => write_human(out, table, style),
        Format::Csv => write_csv(out, table, style.csv),
        Format::Tsv => write_csv(
            out,
            table,
            CsvOptions {
                delimiter: b'\t',
                ..style.csv
            },
        ),
        Format::Json => write_json(out, table),
        Format::Ids => write_ids(out, table),
        Format::Ics => Err(error::bad(
            "--format ics is only for `kith remind`; use table, csv, tsv, json or ids",
        )),
        Format::Svg => Err(error::bad(
            "--format svg is only for `kith funnel` and `kith segment`; use table, csv, tsv, json or ids",
        )),
    }
}

/// An aligned table: two spaces between columns, numbers right-aligned,
/// widths in terminal columns (CJK characters count two). Each row's cells
/// are made twice, once to measure and once to print, so that memory stays
/// that of the report's rows however many there are.
fn write_human(out: &mut dyn Write, table: &dyn Rows, style: &Style) -> Result<()> {
    if table.is_empty() {
        return Ok(());
    }
    let names = table.columns();
    let mut numeric = vec![false; names.len()];
    let mut money = vec![false; names.len()];
    let mut widths = vec![0; names.len()];
    let mut shortenable: Vec<bool> = names.iter().map(|n| !KEPT_WHOLE.contains(n)).collect();
    let mut has_text = vec![false; names.len()];
    for i in 0..table.len() {
        for (c, cell) in table.row(i).iter().enumerate() {
            numeric[c] |= cell.is_numeric();
            money[c] |= matches!(cell, Cell::Money(_));
            shortenable[c] &= matches!(cell, Cell::Text(_) | Cell::List(_) | Cell::Empty);
            has_text[c] |= matches!(cell, Cell::Text(_) | Cell::List(_));
            widths[c] = widths[c].max(one_line(&cell.human()).width());
        }
    }
    let headers: Vec<String> = names
        .iter()
        .zip(&money)
        .map(|(name, money)| match (&style.currency, money) {
            (Some(cur), true) => format!("{name} ({cur})"),
            _ => (*name).to_string(),
        })
        .collect();
    for (w, h) in widths.iter_mut().zip(&headers) {
        *w = (*w).max(h.width());
    }
    // A column with no value at all says nothing of its kind: kept whole.
    for (s, t) in shortenable.iter_mut().zip(&has_text) {
        *s &= *t;
    }
    let shown = match style.width {
        Some(limit) => {
            let least: Vec<usize> = headers
                .iter()
                .map(|h| h.width().max(MIN_TEXT_WIDTH))
                .collect();
            fit(&mut widths, &shortenable, &least, limit)
        }
        None => widths.len(),
    };
    if shown < widths.len() {
        eprintln!(
            "kith: {} of {} columns left out to fit the terminal ({}); --wide shows them all",
            widths.len() - shown,
            widths.len(),
            names[shown..].join(", ")
        );
    }
    widths.truncate(shown);
    let (bold, plain) = if style.color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut line = String::new();
    let cells = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| shorten(h.clone(), *w).into());
    write_line(&mut line, cells, &widths, &numeric);
    writeln!(out, "{bold}{line}{plain}")?;
    for i in 0..table.len() {
        line.clear();
        let row = table.row(i);
        let cells = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| shorten(one_line(&c.human()), *w).into());
        write_line(&mut line, cells, &widths, &numeric);
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Columns a terminal table never shortens, whatever their cells: the ids
/// of customers, entries and stages, which a reader copies whole into the
/// next command. Numbers and dates are never shortened either.
const KEPT_WHOLE: &[&str] = &["id", "other", "ref", "deal", "stage"];

/// No text column is shortened below this (three characters and `…`), nor
/// below its header.
const MIN_TEXT_WIDTH: usize = 4;

/// Fits a table to `limit` terminal columns: narrows the shortenable
/// columns, widest first, down to their `least`; if the line (two spaces
/// between columns) is still too wide, leaves out columns from the right.
/// Returns how many columns are shown (at least one).
pub fn fit(widths: &mut [usize], shortenable: &[bool], least: &[usize], limit: usize) -> usize {
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    let mut excess = total(widths).saturating_sub(limit);
    while excess > 0 {
        let widest = (0..widths.len())
            .filter(|&c| shortenable[c] && widths[c] > least[c])
            .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)));
        let Some(c) = widest else {
            break;
        };
        widths[c] -= 1;
        excess -= 1;
    }
    let mut shown = widths.len();
    while shown > 1 && total(&widths[..shown]) > limit {
        shown -= 1;
    }
    shown
}

/// `text` cut to `width` terminal columns, ending in `…` when cut.
pub fn shorten(text: String, width: usize) -> String {
    if text.width() <= width {
        return text;
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

fn write_line<'a>(
    line: &mut String,
    cells: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    widths: &[usize],
    numeric: &[bool],
) {
    for (i, text) in cells.enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let pad = " ".repeat(widths[i].saturating_sub(text.width()));
        if numeric[i] {
            line.push_str(&pad);
            line.push_str(&text);
        } else {
            line.push_str(&text);
            line.push_str(&pad);
        }
    }
    let trimmed = line.trim_end().len();
    line.truncate(trimmed);
}

/// A cell as a terminal may show it: line breaks would tear a row apart
/// (shown as `⏎`), and control and bidi-override characters would let a
/// hostile name drive the terminal or reorder the line (shown escaped).
fn one_line(s: &str) -> String {
    let s = if s.contains(['\n', '\r']) {
        s.replace("\r\n", "⏎").replace(['\n', '\r'], "⏎")
    } else {
        s.to_string()
    };
    if s.chars().any(is_unsafe_for_terminal) {
        escape_for_terminal(&s)
    } else {
        s
    }
}

/// Characters a terminal acts on instead of showing: C0 and C1 controls,
/// DEL, and the bidi marks, embeddings, overrides and isolates.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each unsafe character written as a Rust-style escape (`\u{1b}`,
/// `\t`), line breaks kept: what `show` and tables print of a hostile text.
pub fn escape_for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c != '\n' && is_unsafe_for_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds the CSV writer every command uses.
pub fn csv_writer<W: Write>(mut out: W, opts: CsvOptions) -> Result<csv::Writer<W>> {
    if opts.bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    Ok(csv::WriterBuilder::new()
        .delimiter(opts.delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// The cells of a row as CSV fields, guarded unless `raw`.
pub fn csv_fields(row: &[Cell], raw: bool) -> impl Iterator<Item = Cow<'_, str>> {
    row.iter().map(move |c| match c {
        Cell::Text(_) | Cell::List(_) if !raw => guard(c.as_text()),
        other => other.as_text(),
    })
}

fn write_csv(out: &mut dyn Write, table: &dyn Rows, opts: CsvOptions) -> Result<()> {
    if table.is_empty() {
        return Ok(());
    }
    let mut w = csv_writer(out, opts)?;
    w.write_record(table.columns())?;
    for i in 0..table.len() {
        let row = table.row(i);
        let fields: Vec<_> = csv_fields(&row, opts.raw).collect();
        w.write_record(fields.iter().map(|f| f.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

fn json_cell(c: &Cell) -> String {
    match c {
        Cell::Int(n) => n.to_string(),
        Cell::Money(m) => m.to_string(),
        Cell::Decimal(s) => s.clone(),
        Cell::Empty => "null".to_string(),
        Cell::List(items) => {
            let inner: Vec<String> = items.iter().map(|s| json_string(s)).collect();
            format!("[{}]", inner.join(","))
        }
        other => json_string(&other.as_text()),
    }
}

pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn write_json(out: &mut dyn Write, table: &dyn Rows) -> Result<()> {
    if table.is_empty() {
        writeln!(out, "[]")?;
        return Ok(());
    }
    writeln!(out, "[")?;
    for n in 0..table.len() {
        let row = table.row(n);
        let fields: Vec<String> = table
            .columns()
            .iter()
            .zip(row.iter())
            .map(|(k, v)| format!("{}:{}", json_string(k), json_cell(v)))
            .collect();
        let comma = if n + 1 < table.len() { "," } else { "" };
        writeln!(out, "  {{{}}}{comma}", fields.join(","))?;
    }
    writeln!(out, "]")?;
    Ok(())
}

fn write_ids(out: &mut dyn Write, table: &dyn Rows) -> Result<()> {
    let Some(col) = table.columns().iter().position(|c| *c == "id") else {
        return Err(error::bad(
            "this report has no customer ids; use another --format",
        ));
    };
    // One line per customer, at its first row, however many rows a report
    // gives it: `--format ids | xargs` acts once per customer.
    let mut seen = std::collections::HashSet::new();
    for i in 0..table.len() {
        if let Cell::Text(id) = &table.row(i)[col]
            && seen.insert(id.clone())
        {
            writeln!(out, "{id}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["id", "name", "amount"]);
        t.push(vec![
            Cell::text("a"),
            Cell::text("=SUM(A1)"),
            Cell::Money(Money::parse("-5").unwrap()),
        ]);
        t.push(vec![
            Cell::text("b"),
            Cell::text("x, \"y\"\nz"),
            Cell::Empty,
        ]);
        t
    }

    fn render_to_string(t: &Table, format: Format, csv: CsvOptions) -> String {
        let mut out = Vec::new();
        let style = Style {
            format,
            color: false,
            currency: None,
            csv,
            width: None,
        };
        render(&mut out, t, &style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_guards_text_and_quotes_specials() {
        let s = render_to_string(&sample(), Format::Csv, CsvOptions::default());
        assert_eq!(
            s,
            "id,name,amount\r\na,'=SUM(A1),-5.00\r\nb,\"x, \"\"y\"\"\nz\",\r\n"
        );
        let raw = render_to_string(
            &sample(),
            Format::Csv,
            CsvOptions {
                raw: true,
                ..CsvOptions::default()
            },
        );
        assert!(raw.contains("a,=SUM(A1),-5.00"));
    }

    #[test]
    fn guard_round_trips() {
        for s in ["=1", "+86 571", "@x", "-x", "\tx", "plain", "'quoted"] {
            assert_eq!(unguard(&guard(Cow::Borrowed(s))), s);
        }
    }

    #[test]
    fn json_keeps_money_exact() {
        let s = render_to_string(&sample(), Format::Json, CsvOptions::default());
        assert!(s.contains("\"amount\":-5.00"), "{s}");
        assert!(s.contains("\"amount\":null"), "{s}");
        let empty = render_to_string(&Table::new(&["id"]), Format::Json, CsvOptions::default());
        assert_eq!(empty, "[]\n");
    }

    #[test]
    fn ids_list_each_customer_once_at_its_first_row() {
        let mut t = Table::new(&["id"]);
        for id in ["b", "a", "b", "c", "a"] {
            t.push(vec![Cell::text(id)]);
        }
        assert_eq!(
            render_to_string(&t, Format::Ids, CsvOptions::default()),
            "b\na\nc\n"
        );
    }

    #[test]
    fn fitting_narrows_the_widest_text_column_first_then_leaves_columns_out() {
        // id 10, name 30, amount 9: 53 with the spaces.
        let mut widths = vec![10, 30, 9];
        let shortenable = [false, true, false];
        let least = [2, 4, 6];
        assert_eq!(fit(&mut widths, &shortenable, &least, 40), 3);
        assert_eq!(widths, [10, 17, 9]);
        assert_eq!(fit(&mut widths, &shortenable, &least, 20), 2);
        assert_eq!(widths[..2], [10, 4]);
    }

    #[test]
    fn shortening_counts_terminal_columns_and_ends_in_an_ellipsis() {
        assert_eq!(shorten("Acme Trading".into(), 12), "Acme Trading");
        assert_eq!(shorten("Acme Trading".into(), 6), "Acme …");
        assert_eq!(shorten("杭州星河贸易".into(), 6), "杭州…");
    }

    #[test]
    fn control_and_bidi_characters_are_escaped_for_the_terminal() {
        assert_eq!(one_line("a\u{1b}[2Jb\tc"), "a\\u{1b}[2Jb\\tc");
        assert_eq!(one_line("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(one_line("two\nlines"), "two⏎lines");
        assert_eq!(one_line("杭州 «ok»"), "杭州 «ok»");
    }

    #[test]
    fn empty_reports_print_nothing() {
        let t = Table::new(&["id"]);
        for f in [Format::Table, Format::Csv, Format::Tsv, Format::Ids] {
            assert_eq!(render_to_string(&t, f, CsvOptions::default()), "");
        }
    }
}

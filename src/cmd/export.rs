//! `kith export`: the flat tables of docs/reference.md (customers,
//! interactions, deals, tasks), CSV by default, any `--format` on request;
//! to stdout, or atomically to `-o FILE`.
//!
//! CSV and TSV always carry their header row, even with no data rows, so a
//! spreadsheet or `import` reading an empty export still sees the columns.

use std::io::Write;

use anyhow::Result;

use crate::cli::ExportArgs;
use crate::cmd::{self, Ctx};
use crate::error;
use crate::output::{self, CsvOptions, Format, Style, Table};
use crate::sheet;
use crate::store::{self, Store};

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<u8> {
    let format = ctx.format.unwrap_or(Format::Csv);
    let csv = csv_options(format, &args)?;
    let store = ctx.store()?;
    let (table, broken) = table(&store, &args);
    let mut bytes = Vec::new();
    match format {
        Format::Csv | Format::Tsv => write_csv(&mut bytes, &table, csv)?,
        _ => {
            let mut style = Style {
                format,
                csv,
                ..ctx.style(&store)
            };
            if args.output.is_some() {
                // A file is never fitted to the terminal.
                style.width = None;
            }
            output::render(&mut bytes, &table, &style)?;
        }
    }
    match &args.output {
        Some(path) => store::write_atomic(path, &bytes)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(cmd::report_broken(&broken))
}

/// `--bom`, `--delimiter` and `--raw`, checked against the format.
fn csv_options(format: Format, args: &ExportArgs) -> Result<CsvOptions> {
    let delimiter = match (&args.csv.delimiter, format) {
        (None, Format::Tsv) => b'\t',
        (None, _) => b',',
        (Some(d), Format::Csv) => delimiter(d)?,
        (Some(_), _) => {
            return Err(error::bad(
                "--delimiter applies to --format csv only; tsv is always tab-separated",
            ));
        }
    };
    if format == Format::Ics {
        return Err(error::bad(
            "--format ics is only for `kith remind`; export writes csv, tsv, json, table or ids",
        ));
    }
    Ok(CsvOptions {
        delimiter,
        bom: args.csv.bom,
        raw: args.csv.raw,
    })
}

/// One character that can separate CSV fields: not a quote, a line break,
/// or a character a value would start with in a way that breaks reading.
fn delimiter(text: &str) -> Result<u8> {
    let text = if text == "\\t" || text == "tab" {
        "\t"
    } else {
        text
    };
    match text.as_bytes() {
        [b] if b.is_ascii()
            && !matches!(b, b'"' | b'\'' | b'\n' | b'\r')
            && !b.is_ascii_alphanumeric() =>
        {
            Ok(*b)
        }
        _ => Err(error::bad(format!(
            "--delimiter: `{}` is not one punctuation character; use ';', ',', '|' or '\\t'",
            text.escape_debug()
        ))),
    }
}

/// The table and the files that did not parse.
fn table(store: &Store, args: &ExportArgs) -> (Table, Vec<store::FileError>) {
    let root = &store.root;
    let what = args.what;
    let scan = store.scan_files(|entry, mut r| {
        r.sort_lists();
        let path = sheet::relative_path(root, &entry.path);
        (r.id.clone(), sheet::rows(&r, what, &path))
    });
    let mut items = scan.items;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut table = Table::new(sheet::columns(what));
    table.rows = items.into_iter().flat_map(|(_, rows)| rows).collect();
    (table, scan.errors)
}

/// CSV through the one writer every command uses, with its header always.
fn write_csv(out: &mut Vec<u8>, table: &Table, opts: CsvOptions) -> Result<()> {
    let mut w = output::csv_writer(out, opts)?;
    w.write_record(&table.columns)?;
    for row in &table.rows {
        let fields: Vec<_> = output::csv_fields(row, opts.raw).collect();
        w.write_record(fields.iter().map(|f| f.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(delimiter(";").unwrap(), b';');
        assert_eq!(delimiter("\\t").unwrap(), b'\t');
        assert_eq!(delimiter("\t").unwrap(), b'\t');
        for bad in ["", ";;", "\"", "a", "7", "\n", "；"] {
            assert!(delimiter(bad).is_err(), "{bad:?}");
        }
    }
}

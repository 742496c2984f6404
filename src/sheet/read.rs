//! Reading a CSV file for `import` (its text already decoded): the
//! delimiter (`,`, `;` or tab) detected, the formula guard removed, each row kept with the line it
//! starts on so that errors can name it.

use crate::output::unguard;

/// A CSV file as read: its header and its rows, each with the line number
/// (1-based, the header being line 1) it starts on.
#[derive(Debug, Default)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Parses CSV text; the error says what is wrong and on which line.
pub fn parse(text: &str) -> Result<Sheet, String> {
    let bytes = text.trim_start_matches('\u{feff}').as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut sheet = Sheet::default();
    let mut records = reader.byte_records();
    let decode = |record: &csv::ByteRecord, line: u64| -> Result<Vec<String>, String> {
        record
            .iter()
            .enumerate()
            .map(|(i, field)| {
                if field.contains(&0) {
                    // No customer field may hold a NUL: it would end the
                    // text early in C programs and terminals.
                    return Err(format!(
                        "{line}: cell {} holds a NUL character; remove it and import again",
                        i + 1
                    ));
                }
                std::str::from_utf8(field)
                    .map(|s| unguard(s).to_string())
                    .map_err(|_| format!("{line}: a cell is not whole UTF-8 text"))
            })
            .collect()
    };
    match records.next() {
        None => return Ok(sheet),
        Some(header) => {
            let header = header.map_err(|e| csv_error(&e))?;
            sheet.header = decode(&header, 1)?
                .into_iter()
                .map(|h| h.trim().to_string())
                .collect();
        }
    }
    let mut lines = Lines {
        bytes,
        at: 0,
        line: 1,
    };
    for record in records {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = lines.of(record.position().map_or(0, |p| p.byte()));
        if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
            continue;
        }
        let cells = decode(&record, line)?;
        sheet.rows.push(Row { line, cells });
    }
    Ok(sheet)
}

impl Sheet {
    /// A row with as many cells as the header; the error names the line.
    pub fn check_width(&self, row: &Row) -> Result<(), String> {
        let width = self.header.len();
        if row.cells.len() == width {
            return Ok(());
        }
        Err(format!(
            "{}: the row has {} cells but the header has {width}; check its quotes and delimiters",
            row.line,
            row.cells.len()
        ))
    }
}

/// Line numbers of records from their byte offsets. The csv crate's own
/// line number of a record after a blank line is the blank line's, so the
/// line breaks before the record's first byte are skipped and counted here.
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of the record starting at (or after blank lines at) `byte`;
    /// records come in order, so the count goes forward only.
    fn of(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        if start > self.at {
            let breaks = self.bytes[self.at..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += breaks as u64;
            self.at = start;
        }
        self.line
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("{}: {}", p.line(), e),
        None => e.to_string(),
    }
}

/// The delimiter of the header line: whichever of `,`, `;` and tab occurs
/// most often outside quotes (a comma on a tie).
fn detect_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_and_delimiters() {
        for text in [
            "\u{feff}id,name\r\nacme,\"Acme, Ltd\"\r\n",
            "id;name\nacme;Acme, Ltd\n",
            "id\tname\nacme\tAcme, Ltd\n",
        ] {
            let s = parse(text).unwrap();
            assert_eq!(s.header, vec!["id", "name"], "{text:?}");
            assert_eq!(s.rows[0].cells, vec!["acme", "Acme, Ltd"], "{text:?}");
        }
    }

    #[test]
    fn rows_know_their_lines_and_lose_the_guard() {
        let s = parse("id,summary\na,\"two\nlines\"\nb,'=SUM(A1)\n\nc,'plain\n").unwrap();
        let lines: Vec<u64> = s.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4, 6]);
        assert_eq!(s.rows[1].cells[1], "=SUM(A1)");
        assert_eq!(s.rows[2].cells[1], "'plain");
    }

    #[test]
    fn a_nul_in_a_cell_is_refused_with_its_line() {
        let err = parse("name,email\nAcme,a@b.example\nBad\0Co,x@y.example\n").unwrap_err();
        assert_eq!(
            err,
            "3: cell 1 holds a NUL character; remove it and import again"
        );
    }

    #[test]
    fn a_ragged_row_is_named() {
        let s = parse("id,name\na,b\nc\n").unwrap();
        assert!(s.check_width(&s.rows[0]).is_ok());
        let e = s.check_width(&s.rows[1]).unwrap_err();
        assert!(e.starts_with("3: the row has 1 cells"), "{e}");
    }
}

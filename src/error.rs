//! Exit codes, and the error type that carries one.
//!
//! 0 done; 1 something found; 2 bad usage or bad input; 3 the environment
//! (I/O, lock not obtained), safe to retry. Any error without a code is
//! treated as an environment problem when it comes from I/O, else as bad input.

use std::fmt;

pub const FOUND: u8 = 1;
pub const BAD_INPUT: u8 = 2;
pub const ENVIRONMENT: u8 = 3;

/// An error with the exit code it maps to. The message is one line.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Bad usage or bad input: exit 2.
pub fn bad(message: impl Into<String>) -> anyhow::Error {
    Failure {
        code: BAD_INPUT,
        message: message.into(),
    }
    .into()
}

/// A problem of the environment (I/O, a lock not obtained): exit 3.
pub fn env(message: impl Into<String>) -> anyhow::Error {
    Failure {
        code: ENVIRONMENT,
        message: message.into(),
    }
    .into()
}

/// The exit code an error maps to.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return f.code;
        }
        if io_error(cause).is_some() {
            return ENVIRONMENT;
        }
    }
    BAD_INPUT
}

/// The I/O error a cause is or wraps. The CSV writer's error holds the
/// I/O error without naming it as its source, so it is looked into here.
fn io_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        return Some(e);
    }
    match cause.downcast_ref::<csv::Error>()?.kind() {
        csv::ErrorKind::Io(e) => Some(e),
        _ => None,
    }
}

/// True when the error is a closed pipe on stdout (`kith list | head`),
/// which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| io_error(c).is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// The error chain on one line.
pub fn one_line(err: &anyhow::Error) -> String {
    one_line_text(&format!("{err:#}"))
}

pub fn one_line_text(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Up to three names close to `wanted` (ids, stages, kinds …), nearest
/// first: the hint of a "did you mean".
pub fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(s, c)| *s >= 0.75 || c.contains(wanted))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ids_first() {
        let ids = ["acme", "acme-2", "globex", "initech"];
        assert_eq!(nearest("acne", ids.into_iter()), vec!["acme", "acme-2"]);
        assert!(nearest("zzz", ids.into_iter()).is_empty());
    }
    use std::io::{Error, ErrorKind};

    #[test]
    fn a_closed_pipe_inside_the_csv_writer_is_still_a_closed_pipe() {
        let mut w = csv::Writer::from_writer(FailingWriter(ErrorKind::BrokenPipe));
        let err = w.write_record(["a"]).and_then(|()| Ok(w.flush()?));
        let err = anyhow::Error::from(err.expect_err("the writer fails"));
        assert!(is_broken_pipe(&err));
        assert!(!is_broken_pipe(&anyhow::Error::from(Error::from(
            ErrorKind::StorageFull
        ))));
    }

    #[test]
    fn a_full_disk_inside_the_csv_writer_is_the_environment() {
        let mut w = csv::Writer::from_writer(FailingWriter(ErrorKind::StorageFull));
        let err = w.write_record(["a"]).and_then(|()| Ok(w.flush()?));
        let err = anyhow::Error::from(err.expect_err("the writer fails"));
        assert_eq!(exit_code(&err), ENVIRONMENT);
        assert_eq!(exit_code(&bad("x")), BAD_INPUT);
    }

    struct FailingWriter(ErrorKind);

    impl std::io::Write for FailingWriter {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(Error::from(self.0))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(Error::from(self.0))
        }
    }
}

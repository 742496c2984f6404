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
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return ENVIRONMENT;
        }
    }
    BAD_INPUT
}

/// True when the error is a closed pipe on stdout (`kith list | head`),
/// which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

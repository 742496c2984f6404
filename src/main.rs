//! The `kith` binary: parse the arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match kith::app::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) if kith::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kith: {}", kith::error::one_line(&err));
            ExitCode::from(kith::error::exit_code(&err))
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

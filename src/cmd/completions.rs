//! `kith completions` and `kith man`, generated from the clap definition.

use crate::cli::{self, CompletionsArgs};
use anyhow::Result;

pub fn run_completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = cli::command();
    clap_complete::generate(args.shell, &mut cmd, "kith", &mut std::io::stdout());
    Ok(0)
}

pub fn run_man() -> Result<u8> {
    let man = clap_mangen::Man::new(cli::command());
    man.render(&mut std::io::stdout())?;
    Ok(0)
}

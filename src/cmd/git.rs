//! `kith git-setup`: sets up the clone the folder is in (see `vcs`).

use anyhow::Result;

use crate::cmd::Ctx;
use crate::error;
use crate::vcs::{configure, toplevel};

pub fn run_setup(ctx: &Ctx) -> Result<u8> {
    let store = ctx.store()?;
    let Some(top) = toplevel(&store.root)? else {
        return Err(error::bad(format!(
            "{}: not inside a git repository; clone the team's repository, or start one with kith init --git",
            store.root.display()
        )));
    };
    configure(&|m| ctx.note(m), &store.root, &top)?;
    Ok(0)
}

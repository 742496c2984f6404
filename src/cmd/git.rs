//! `kith git-setup` and `kith init --git`: the merge driver in a clone.

use std::path::Path;

use anyhow::Result;

use crate::app::Ctx;

pub fn run_setup(_ctx: &Ctx) -> Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}

pub fn setup(_ctx: &Ctx, _root: &Path) -> Result<()> {
    Err(crate::error::bad("not implemented yet"))
}

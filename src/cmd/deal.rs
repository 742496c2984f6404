//! `kith deal`, `advance`, `lose`, `reopen`: moving deals through the funnel.

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::{AdvanceArgs, DealArgs, LoseArgs, ReopenArgs};
use crate::config::Config;
use crate::error;

/// A stage id of the funnel, or an error naming the nearest ones.
pub fn known_stage(config: &Config, stage: &str) -> Result<String> {
    if config.stage(stage).is_some() {
        return Ok(stage.to_string());
    }
    let ids = config.funnel.iter().map(|s| s.id.as_str());
    let near = crate::store::nearest(stage, ids);
    let all: Vec<&str> = config.funnel.iter().map(|s| s.id.as_str()).collect();
    let hint = if near.is_empty() {
        format!("the stages are: {}", all.join(", "))
    } else {
        format!(
            "did you mean {}? The stages are: {}",
            near.join(", "),
            all.join(", ")
        )
    };
    Err(error::bad(format!(
        "`{stage}` is not a stage of the funnel; {hint}"
    )))
}

pub fn run_deal(_ctx: &Ctx, _args: DealArgs) -> Result<u8> {
    Err(error::bad("not implemented yet"))
}

pub fn run_advance(_ctx: &Ctx, _args: AdvanceArgs) -> Result<u8> {
    Err(error::bad("not implemented yet"))
}

pub fn run_lose(_ctx: &Ctx, _args: LoseArgs) -> Result<u8> {
    Err(error::bad("not implemented yet"))
}

pub fn run_reopen(_ctx: &Ctx, _args: ReopenArgs) -> Result<u8> {
    Err(error::bad("not implemented yet"))
}

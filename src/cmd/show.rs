//! `kith show`: one customer's card, read without touching other files
//! (its lifecycle needs no other customer, unlike its ABC class). The card
//! and the JSON shape are drawn by `output::card`.

use std::io::Write;

use anyhow::Result;

use crate::cli::ShowArgs;
use crate::cmd::Ctx;
use crate::cmd::listing;
use crate::output::{self, Format, card};

pub fn run(ctx: &Ctx, args: ShowArgs) -> Result<u8> {
    let store = ctx.store()?;
    let loaded = store.load(&args.id)?;
    let text = match ctx.format() {
        Format::Json => card::json(&loaded.record)?,
        Format::Csv | Format::Tsv => {
            let id = loaded.record.id.as_str();
            return listing::print_lines(ctx, &store, None, &|r, _| r.id == id);
        }
        _ => output::escape_for_terminal(&card::card(
            &loaded.record,
            &store.config,
            ctx.today,
            args.all,
            ctx.width,
        )),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}

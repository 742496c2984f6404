//! `kith edit`: opens a customer's file in the user's editor and keeps the
//! result only if it is a valid record.

use std::fs;
use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;

use anyhow::Result;

use crate::app::Ctx;
use crate::cli::IdArgs;
use crate::error;
use crate::record;

pub fn run(ctx: &Ctx, args: IdArgs) -> Result<u8> {
    let store = ctx.store()?;
    let loaded = store.load(&args.id)?;
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .ok_or_else(|| {
            error::bad("set $VISUAL or $EDITOR to the editor to use (e.g. EDITOR=nano)")
        })?;
    let work = store.private_dir()?;
    let draft = work.join(format!("edit-{}-{}.yaml", args.id, std::process::id()));
    fs::write(&draft, &loaded.bytes)?;
    let result = edit_loop(ctx, &store, &editor, &draft, &args.id, &loaded);
    let _ = fs::remove_file(&draft);
    result
}

fn edit_loop(
    ctx: &Ctx,
    store: &crate::store::Store,
    editor: &str,
    draft: &std::path::Path,
    id: &str,
    loaded: &crate::store::Loaded,
) -> Result<u8> {
    loop {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("kith-edit")
            .arg(draft)
            .status()
            .map_err(|e| error::env(format!("cannot start the editor `{editor}`: {e}")))?;
        if !status.success() {
            return Err(error::bad(format!(
                "the editor `{editor}` failed; {} is unchanged",
                loaded.path.display()
            )));
        }
        let edited = fs::read(draft)?;
        if edited == loaded.bytes {
            ctx.note("no change");
            return Ok(0);
        }
        match record::parse_record(&edited, id, store.schema()) {
            Ok(_) => {
                let _lock = store.lock()?;
                let now = fs::read(&loaded.path)?;
                if now != loaded.bytes {
                    return Err(error::env(format!(
                        "{}: changed on disk while you edited; your version is not saved",
                        loaded.path.display()
                    )));
                }
                crate::store::write_atomic(&loaded.path, &edited)?;
                return Ok(0);
            }
            Err(e) => {
                let problem = format!("{}:{e}", loaded.path.display());
                if !std::io::stdin().is_terminal() {
                    return Err(error::bad(format!("{problem}; the original is kept")));
                }
                eprintln!("kith: {problem}");
                eprint!("kith: re-open the editor (r) or discard your changes (d)? [r] ");
                std::io::stderr().flush()?;
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer)?;
                if answer.trim().eq_ignore_ascii_case("d") {
                    ctx.note(format!("discarded; {} is unchanged", loaded.path.display()));
                    return Ok(error::BAD_INPUT);
                }
            }
        }
    }
}

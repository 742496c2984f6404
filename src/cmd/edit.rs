//! `kith edit`: opens a customer's file in the user's editor and keeps the
//! result only if it is a valid record. The user's work is never thrown
//! away: when it cannot be saved (it does not parse, or the file changed on
//! disk meanwhile) the draft stays in `.kith/`, and the message says where
//! and how to apply it.

use std::fs;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::cli::IdArgs;
use crate::cmd::Ctx;
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
    // The draft goes once it is saved, discarded on request or unchanged;
    // an error that keeps it has said where it is.
    let keep = result.is_err() && fs::read(&draft).is_ok_and(|d| d != loaded.bytes);
    if !keep {
        let _ = fs::remove_file(&draft);
    }
    result
}

/// How to apply a draft kept after an error.
fn kept(draft: &Path, target: &Path) -> String {
    format!(
        "your version is kept in {}: fix it, then `cp {} {}` and `kith check` (or run kith edit again)",
        draft.display(),
        draft.display(),
        target.display()
    )
}

fn edit_loop(
    ctx: &Ctx,
    store: &crate::store::Store,
    editor: &str,
    draft: &Path,
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
                "the editor `{editor}` failed; {} is unchanged; {}",
                loaded.path.display(),
                kept(draft, &loaded.path)
            )));
        }
        let edited = fs::read(draft).map_err(|e| {
            let message = format!(
                "{}: cannot read the draft ({e}); did the editor remove or move it? {} is unchanged",
                draft.display(),
                loaded.path.display()
            );
            if e.kind() == std::io::ErrorKind::NotFound {
                error::bad(message)
            } else {
                error::env(message)
            }
        })?;
        if edited == loaded.bytes {
            ctx.note("no change");
            return Ok(0);
        }
        match record::parse_record(&edited, id, store.schema()) {
            Ok(_) => {
                let _lock = store.lock()?;
                let written = store
                    .replace_if_unchanged(&loaded.path, &loaded.bytes, &edited)
                    .map_err(|e| error::env(format!("{e}; {}", kept(draft, &loaded.path))))?;
                if !written {
                    return Err(error::env(format!(
                        "{}: changed on disk while you edited, so your version was not saved over \
                         it; {}",
                        loaded.path.display(),
                        kept(draft, &loaded.path)
                    )));
                }
                return Ok(0);
            }
            Err(e) => {
                let problem = format!("{}:{e}", draft.display());
                if !std::io::stdin().is_terminal() {
                    return Err(error::bad(format!(
                        "{problem}; {} is unchanged; {}",
                        loaded.path.display(),
                        kept(draft, &loaded.path)
                    )));
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

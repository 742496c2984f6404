//! `kith completions` and `kith man`, generated from the clap definition.

use std::io::Write;

use anyhow::Result;
use clap_mangen::Man;

use crate::cli::{self, CompletionsArgs};

pub fn run_completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = cli::command();
    clap_complete::generate(args.shell, &mut cmd, "kith", &mut std::io::stdout());
    Ok(0)
}

pub fn run_man() -> Result<u8> {
    let mut out = std::io::stdout().lock();
    out.write_all(man_page()?.as_bytes())?;
    out.flush()?;
    Ok(0)
}

/// One page holding every command: the global synopsis and options, then a
/// section per command (its synopsis, options, formats and examples), the
/// examples kept line for line.
pub fn man_page() -> Result<String> {
    let cmd = cli::command();
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let name = format!("kith {}", sub.get_name());
        let sub_man = Man::new(sub.clone().bin_name(&name));
        let _ = writeln!(page, ".SS \"{name}\"");
        if let Some(about) = sub.get_about() {
            let _ = writeln!(page, "{}", roff_line(&about.to_string()));
        }
        let mut part = Vec::new();
        sub_man.render_synopsis_section(&mut part)?;
        sub_man.render_options_section(&mut part)?;
        // The command's sections become paragraphs of its own sub-section.
        let part = String::from_utf8_lossy(&part)
            .replace(".SH SYNOPSIS\n", ".PP\n")
            .replace(".SH OPTIONS\n", ".PP\nOptions:\n");
        page.extend_from_slice(part.as_bytes());
        if let Some(after) = sub.get_after_help() {
            verbatim(&mut page, &after.to_string());
        }
    }
    if let Some(after) = cmd.get_after_help() {
        page.extend_from_slice(b".SH EXAMPLES\n");
        verbatim(&mut page, &after.to_string());
    }
    page.extend_from_slice(
        b".SH SEE ALSO\ndocs/reference.md in kith's repository: the folder, the record, every command, column and exit code.\n",
    );
    man.render_version_section(&mut page)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// Text as one roff line: a leading `.` or `'` would be read as a request.
fn roff_line(text: &str) -> String {
    let text = text.replace('\\', "\\e");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

/// Lines kept as written (no filling, no adjusting), as examples must be.
fn verbatim(page: &mut Vec<u8>, text: &str) {
    page.extend_from_slice(b".PP\n.nf\n");
    for line in text.lines() {
        page.extend_from_slice(roff_line(line).as_bytes());
        page.push(b'\n');
    }
    page.extend_from_slice(b".fi\n");
}

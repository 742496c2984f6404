//! `kith init`: a new customer folder with a commented `kith.yaml`.

use std::fs;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::InitArgs;
use crate::cmd::Ctx;
use crate::error;
use crate::store::{CONFIG_FILE, write_atomic};

/// kith.yaml as `init` writes it: every default, commented out.
pub const DEFAULT_CONFIG: &str = "\
# kith settings. Every key is optional; uncomment a line to change it.
# The values shown are the defaults, except where marked as an example.

# currency: CNY                  # example; shown in tables, never in CSV

# funnel:                        # the stages of a sale, each with its win probability
#   - {id: met, label: Met the customer, probability: 0.05}
#   - {id: opportunity, label: Opportunity found, probability: 0.10}
#   - {id: confirmed, label: Opportunity confirmed, probability: 0.20}
#   - {id: needs, label: Needs clarified, probability: 0.35}
#   - {id: proposal, label: Proposal and quote, probability: 0.50}
#   - {id: commitment, label: Customer commitment, probability: 0.75}
#   - {id: acceptance, label: Delivered and accepted, probability: 0.90}
#   - {id: paid, label: Payment collected, probability: 1.00}

# kinds: [demo, training]        # example: interaction kinds added to the built-in ones

# costs:                         # example: cost to serve, added per interaction of a kind
#   call: 5
#   visit: 120
#   support: 40

# cadence:                       # remind when a customer has had no contact this long
#   vip: 30d
#   regular: 90d
#   prospect: 180d               # example; by default prospects get no reminder

# holidays:                      # example: greetings announced `before` ahead
#   - {name: Spring Festival, date: 2027-02-06, before: 7d}
#   - {name: New Year, date: --01-01, before: 5d, tags: [export]}

# segments: {a: 0.80, b: 0.95}   # ABC cut-offs of cumulative value

# lifecycle: {at_risk_after: 180d, at_risk_min: 30d, lost_after: 365d, loyal_purchases: 4}

# complaint_sla: 2d              # remind of an open complaint this long after it came in

# stalled_after:                 # remind of an open deal this long in one stage
#   proposal: 20d                # example
#   default: 30d

# tier_rules: {a: vip, b: regular, c: regular, none: prospect}   # kith tiers, by revenue class
# relationship_rules: {a: partnership, b: proactive, c: reactive, none: basic}

# payment_terms: 30d             # an invoice is due this long after it is issued

# targets:                       # example: sales targets per owner, by month or quarter
#   li.wei: {2027-01: 400000, 2027-Q1: 1200000}
";

pub fn run(ctx: &Ctx, args: InitArgs) -> Result<u8> {
    let root = args
        .dir
        .or_else(|| ctx.dir.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&root)
        .map_err(|e| error::env(format!("{}: cannot create the folder: {e}", root.display())))?;
    let config = root.join(CONFIG_FILE);
    if config.exists() {
        ctx.note(format!(
            "{} exists already; left as it is",
            config.display()
        ));
    } else {
        write_atomic(&config, DEFAULT_CONFIG.as_bytes())?;
    }
    let work = root.join(".kith");
    fs::create_dir_all(&work)
        .map_err(|e| error::env(format!("{}: cannot create: {e}", work.display())))?;
    ignore_work_folder(&root)?;
    if args.git {
        crate::vcs::setup(&|m| ctx.note(m), &root)?;
    }
    ctx.note(format!("kith folder ready in {}", root.display()));
    Ok(0)
}

/// Adds `.kith/` to the folder's `.gitignore`, keeping what is there.
fn ignore_work_folder(root: &std::path::Path) -> Result<()> {
    let path = root.join(".gitignore");
    let existing = match fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(error::env(format!("{}: cannot read: {e}", path.display()))),
    };
    if existing
        .lines()
        .any(|l| matches!(l.trim(), ".kith" | ".kith/" | "/.kith/" | "/.kith"))
    {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(".kith/\n");
    write_atomic(&path, text.as_bytes())
}

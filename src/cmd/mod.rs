//! One module per subcommand: each turns its arguments into calls of the
//! store and the analyses, and their result into output. No business logic.

mod ctx;
pub use ctx::{Ctx, report_broken};

pub mod add;
pub mod check;
pub mod completions;
pub mod contact;
pub mod deal;
pub mod dupes;
pub mod edit;
pub mod export;
pub mod feedback;
pub mod fmt;
pub mod forecast;
pub mod funnel;
pub mod git;
pub mod import;
pub mod init;
pub mod list;
pub mod listing;
pub mod log;
pub mod merge_file;
pub mod receivables;
pub mod remind;
pub mod report;
pub mod resolve;
pub mod review;
pub mod rfm;
pub mod segment;
pub mod set;
pub mod show;
pub mod task;
pub mod tiers;

//! The analyses: pure functions from records (and today, and the settings)
//! to rows. No I/O here, so unit tests need no files.

pub mod value;

pub use value::{Totals, Window, totals};
pub mod abc;
pub mod churn;
pub mod complaints;
pub mod facts;
pub mod forecast;
pub mod funnel;
pub mod lifecycle;
pub mod receivables;
pub mod remind;
pub mod review;
pub mod rfm;
pub mod segment;
pub mod stalled;
pub mod tiers;

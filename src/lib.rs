//! kith: a command-line CRM whose database is a folder of YAML files.
//!
//! Data flows one way: arguments (`cli`) → the store loads records (`store`,
//! `record`) → analyses compute rows (`analysis`) → `output` renders them.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod date;
pub mod deal;
pub mod dupes;
pub mod error;
pub mod merge;
pub mod money;
pub mod output;
pub mod period;
pub mod record;
pub mod sheet;
pub mod store;
pub mod vcs;

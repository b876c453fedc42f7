//! pace: an offline, self-paced trainer for the terminal.
//!
//! The library holds everything but the terminal: `content` (module format,
//! loader, validator), `records` (the SQLite file), `learning` (scoring,
//! certification, review scheduling), `export` (certificates, notes files,
//! CSV, xAPI statements, LRS sync). `tui` draws and reads keys, `plain` is
//! the same trainer as linear text; `cli` parses the command line and
//! dispatches.

pub mod cli;
pub mod content;
mod embedded;
pub mod export;
#[doc(hidden)]
pub mod fuzz;
pub mod learning;
pub mod plain;
pub mod records;
pub mod tui;

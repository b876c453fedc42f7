//! Records out: learning events read back from the records file, written as
//! CSV for HR or as xAPI statements, and sent to a Learning Record Store.
//!
//! Nothing here touches the terminal; the commands in `cli/` print.

pub mod csv;
pub mod events;
pub mod sync;
pub mod xapi;

pub use events::{Event, Filter, What};

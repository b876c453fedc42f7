//! What leaves pace for people and other systems: certificates, a learner's
//! notes, learning events as CSV for HR or xAPI statements, and their sync
//! to a Learning Record Store.
//!
//! Plain library code: it reads records and the catalog and returns text or
//! sends statements; nothing here touches the terminal, and the commands in
//! `cli/` decide where the output goes.

pub mod certificate;
pub mod certificate_page;
pub mod csv;
pub mod events;
pub mod lrs;
pub mod notes;
pub mod sync;
pub mod tls;
pub mod xapi;

pub use events::{Event, Filter, What};

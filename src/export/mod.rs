//! Exports: what leaves pace as a file for people or other systems
//! (certificates, a learner's notes). Everything here is plain library code:
//! it reads records and the catalog and returns text; the command line
//! decides where the text goes.

pub mod certificate;
pub mod notes;

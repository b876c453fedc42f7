//! Learning logic: the learning service both front ends call (`session`),
//! the catalog as a learner meets it (`plan`: order, locks, next step), quiz
//! draws and scoring, the certification ladder, review scheduling and
//! progress summaries. Pure functions over content and records, with time
//! passed in, so tests control the clock.

pub mod clock;
pub mod item_analysis;
pub mod ladder;
pub mod plan;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod review;
pub mod session;

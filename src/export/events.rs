//! Learning events read back from the records file, oldest first: lessons
//! completed, answers given, quizzes finished, levels granted. Both exports
//! and the LRS sync start here, so they always agree on what happened.
//!
//! Each event carries the uuid stored when it was recorded; that uuid is the
//! xAPI statement id, which keeps exports and syncs stable.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, Utc};

use crate::records::{EventQuery, Learner, Records, Result};

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this learner (by id).
    pub learner: Option<i64>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stored when the event was recorded; the xAPI statement id.
    pub uuid: String,
    pub learner: Rc<Learner>,
    pub at: DateTime<Utc>,
    pub what: What,
}

/// What happened: the event kinds as the records hold them.
pub use crate::records::{AttemptRef, EventRow as What};

impl What {
    /// The event's name in the CSV export.
    pub fn name(&self) -> &'static str {
        match self {
            What::LessonCompleted { .. } => "lesson-completed",
            What::Answered { .. } => "answered",
            What::QuizFinished { passed: true, .. } => "quiz-passed",
            What::QuizFinished { passed: false, .. } => "quiz-failed",
            What::LevelGranted { .. } => "level-granted",
        }
    }

    /// The module the event is about (none for a level).
    pub fn module(&self) -> Option<&str> {
        match self {
            What::LessonCompleted { module, .. }
            | What::Answered { module, .. }
            | What::QuizFinished { module, .. } => Some(module),
            What::LevelGranted { .. } => None,
        }
    }
}

/// Every event of the learners the filter selects, oldest first, collected
/// (small files and tests; exports and sync stream with `for_each`).
pub fn read(records: &Records, filter: &Filter) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    for_each(records, filter, false, |e| {
        events.push(e);
        Ok::<_, crate::records::RecordsError>(())
    })?;
    Ok(events)
}

/// Calls `f` with every event the filter selects (only those no LRS has
/// accepted yet when `unsent_only`), oldest first. Events in the same second
/// keep the order they happen in: lesson, answers in the order given, the
/// quiz result, then the level it earned. One query, streamed.
pub fn for_each<E: From<crate::records::RecordsError>>(
    records: &Records,
    filter: &Filter,
    unsent_only: bool,
    mut f: impl FnMut(Event) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let learners: HashMap<i64, Rc<Learner>> = records.learners()?.into_iter().map(|l| (l.id, Rc::new(l))).collect();
    let query = EventQuery { learner: filter.learner, since: filter.since, unsent_only };
    records.for_each_event(&query, |uuid, learner, at, row| {
        let Some(learner) = learners.get(&learner) else { return Ok(()) };
        f(Event { uuid, learner: Rc::clone(learner), at, what: row })
    })
}

/// How many events `for_each` would give.
pub fn count(records: &Records, filter: &Filter, unsent_only: bool) -> Result<u64> {
    records.count_events(&EventQuery { learner: filter.learner, since: filter.since, unsent_only })
}

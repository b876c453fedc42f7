//! Learning events read back from the records file, oldest first: lessons
//! completed, answers given, quizzes finished, levels granted. Both exports
//! and the LRS sync start here, so they always agree on what happened.
//!
//! Each event carries the uuid stored when it was recorded; that uuid is the
//! xAPI statement id, which keeps exports and syncs stable.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::records::{Learner, Records, Result};

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
    pub learner: Learner,
    pub at: DateTime<Utc>,
    pub what: What,
}

/// The quiz attempt an answer belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRef {
    pub uuid: String,
    pub module_version: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    LessonCompleted {
        module: String,
        lesson: String,
    },
    Answered {
        module: String,
        question: String,
        /// Option ids as given (ordering: the learner's order; true-false: "true"/"false").
        chosen: Vec<String>,
        correct: bool,
        /// None for an answer given in a review session.
        attempt: Option<AttemptRef>,
    },
    QuizFinished {
        module: String,
        module_version: String,
        started_at: DateTime<Utc>,
        correct: u32,
        total: u32,
        /// Percent, 0-100.
        score: u32,
        passed: bool,
    },
    LevelGranted {
        level: String,
        expires_at: DateTime<Utc>,
    },
}

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

/// Every event of the learners the filter selects, oldest first. Events in
/// the same second keep the order they happen in: lesson, answers in the
/// order given, the quiz result, then the level it earned.
pub fn read(records: &Records, filter: &Filter) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut learners = records.learners()?;
    learners.sort_by_key(|l| l.id);
    for learner in learners.into_iter().filter(|l| filter.learner.is_none_or(|id| id == l.id)) {
        learner_events(records, &learner, &mut events)?;
    }
    if let Some(since) = filter.since {
        events.retain(|e| e.at >= since);
    }
    // Stable: same-second events keep the order pushed above.
    events.sort_by_key(|e| e.at);
    Ok(events)
}

fn learner_events(records: &Records, learner: &Learner, out: &mut Vec<Event>) -> Result<()> {
    let event = |uuid: String, at: DateTime<Utc>, what: What| Event { uuid, learner: learner.clone(), at, what };
    let mut lessons = records.lesson_progress(learner.id)?;
    lessons.sort_by(|a, b| {
        (a.completed_at, &a.module_id, &a.lesson_id).cmp(&(b.completed_at, &b.module_id, &b.lesson_id))
    });
    for lesson in lessons {
        // pace writes the uuid together with the completion; a row without
        // one cannot be named stably, so it is not an event to export.
        if let (Some(at), Some(uuid)) = (lesson.completed_at, lesson.completion_uuid) {
            out.push(event(uuid, at, What::LessonCompleted { module: lesson.module_id, lesson: lesson.lesson_id }));
        }
    }
    let attempts = records.attempts(learner.id)?;
    let by_id: HashMap<i64, AttemptRef> = attempts
        .iter()
        .map(|a| (a.id, AttemptRef { uuid: a.uuid.clone(), module_version: a.module_version.clone() }))
        .collect();
    for answer in records.all_answers(learner.id)? {
        let attempt = answer.attempt_id.and_then(|id| by_id.get(&id).cloned());
        out.push(event(
            answer.uuid,
            answer.answered_at,
            What::Answered {
                module: answer.module_id,
                question: answer.question_id,
                chosen: answer.chosen,
                correct: answer.correct,
                attempt,
            },
        ));
    }
    for a in attempts {
        let (Some(at), Some(correct), Some(total), Some(score), Some(passed)) =
            (a.finished_at, a.correct, a.total, a.score, a.passed)
        else {
            continue; // unfinished: its answers are events, its result is not yet
        };
        out.push(event(
            a.uuid,
            at,
            What::QuizFinished {
                module: a.module_id,
                module_version: a.module_version,
                started_at: a.started_at,
                correct,
                total,
                score,
                passed,
            },
        ));
    }
    for g in records.grants(learner.id)? {
        out.push(event(g.uuid, g.granted_at, What::LevelGranted { level: g.level_id, expires_at: g.expires_at }));
    }
    Ok(())
}

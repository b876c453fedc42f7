//! Spaced review of missed questions with FSRS (the `rs-fsrs` crate):
//! a wrong answer rates the card "again", a right one "good".
//!
//! FSRS rather than SM-2: it models forgetting per card from the learner's
//! own answers and needs only the two ratings a quiz gives us. The long-term
//! scheduler is used so a missed question comes back on a later day, not
//! minutes later in the same sitting.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};

use crate::records::ReviewItem;

/// Misses at which a question is flagged and the learner is sent back to its lesson.
pub const FLAG_AFTER_MISSES: u32 = 4;

fn scheduler() -> FSRS {
    FSRS::new(Parameters { enable_short_term: false, ..Parameters::default() })
}

fn state_of(n: i32) -> State {
    match n {
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => State::New,
    }
}

/// The item after one answer at `now`. A question not in the queue yet
/// (`item` is None) only enters it when the answer was wrong.
pub fn after_answer(
    item: Option<&ReviewItem>,
    module: &str,
    question: &str,
    correct: bool,
    now: DateTime<Utc>,
) -> Option<ReviewItem> {
    if item.is_none() && correct {
        return None;
    }
    let card = match item {
        Some(i) => Card {
            due: i.due_at,
            stability: i.stability,
            difficulty: i.difficulty,
            elapsed_days: 0,
            scheduled_days: 0,
            reps: i.reps,
            lapses: i.lapses,
            state: state_of(i.state),
            last_review: i.last_review_at.unwrap_or(now),
        },
        None => Card { due: now, last_review: now, ..Card::default() },
    };
    let rating = if correct { Rating::Good } else { Rating::Again };
    let next = scheduler().next(card, now, rating).card;
    Some(ReviewItem {
        module_id: module.to_string(),
        question_id: question.to_string(),
        due_at: next.due,
        stability: next.stability,
        difficulty: next.difficulty,
        reps: next.reps,
        lapses: next.lapses,
        state: next.state as i32,
        last_review_at: Some(now),
        misses: item.map_or(0, |i| i.misses) + u32::from(!correct),
    })
}

/// Items due at `now`.
pub fn due(items: &[ReviewItem], now: DateTime<Utc>) -> Vec<&ReviewItem> {
    items.iter().filter(|i| i.due_at <= now).collect()
}

pub fn is_flagged(item: &ReviewItem) -> bool {
    item.misses >= FLAG_AFTER_MISSES
}

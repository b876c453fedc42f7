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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(days: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap() + Duration::days(days)
    }

    #[test]
    fn a_right_answer_to_a_question_not_in_the_queue_adds_nothing() {
        assert!(after_answer(None, "m", "q", true, t(0)).is_none());
    }

    #[test]
    fn a_miss_comes_back_later_and_a_right_answer_pushes_it_further() {
        let missed = after_answer(None, "m", "q", false, t(0)).expect("queued");
        assert_eq!(missed.misses, 1);
        assert!(missed.due_at > t(0), "not due the same moment");
        assert!(missed.due_at <= t(2), "but soon: {}", missed.due_at);
        let right = after_answer(Some(&missed), "m", "q", true, missed.due_at).expect("kept");
        let gap_after_right = right.due_at - missed.due_at;
        assert!(gap_after_right > missed.due_at - t(0), "intervals grow after a right answer");
        assert_eq!(right.misses, 1);
    }

    #[test]
    fn four_misses_flag_the_question() {
        let mut item = after_answer(None, "m", "q", false, t(0)).expect("queued");
        for day in 1..4 {
            assert!(!is_flagged(&item));
            item = after_answer(Some(&item), "m", "q", false, t(day)).expect("kept");
        }
        assert_eq!(item.misses, 4);
        assert!(is_flagged(&item));
    }

    #[test]
    fn only_due_items_are_due() {
        let a = after_answer(None, "m", "a", false, t(0)).expect("a");
        let b = after_answer(None, "m", "b", false, t(5)).expect("b");
        let items = vec![a.clone(), b];
        assert_eq!(due(&items, a.due_at).len(), 1);
    }
}

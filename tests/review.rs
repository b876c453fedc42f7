//! Review scheduling (FSRS) over a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use pace::learning::review::{after_answer, due, is_flagged};

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

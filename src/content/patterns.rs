//! Warnings about quizzes a learner can pass without reading: the correct
//! option usually the longest, always first, true/false answers all one
//! way, a pool too small for its draw.
//!
//! These are warnings, not errors: the module still loads. The tallies are
//! taken in the validator's one pass over the questions and allocate
//! nothing unless a warning is found, so the loader stays as fast as before.

use super::locate::Seg::{self, Key};
use super::model::{Question, QuestionKind, Quiz};
use super::validate::Finding;

/// Fewest questions of a kind before their answers can be said to follow a pattern.
pub const PATTERN_MIN: usize = 2;

/// Counts over one quiz's questions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct QuizPatterns {
    /// Single and scenario questions.
    single: usize,
    /// Of those, the ones whose one correct option is strictly longer than every other.
    longest: usize,
    /// Single, scenario and multiple questions.
    choice: usize,
    /// Of those, the ones whose correct options are the first ones listed.
    correct_first: usize,
    true_false: usize,
    /// Of those, the ones whose answer is true.
    true_answers: usize,
}

impl QuizPatterns {
    /// Adds one question to the tallies.
    pub fn count(&mut self, q: &Question) {
        match q.kind {
            QuestionKind::TrueFalse => {
                self.true_false += 1;
                self.true_answers += usize::from(q.answer == Some(true));
            }
            QuestionKind::Ordering => {}
            QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple => {
                let correct = q.options.iter().filter(|o| o.correct).count();
                self.choice += 1;
                self.correct_first += usize::from(correct > 0 && q.options[..correct].iter().all(|o| o.correct));
                if q.kind != QuestionKind::Multiple {
                    self.single += 1;
                    self.longest += usize::from(correct == 1 && correct_is_strictly_longest(q));
                }
            }
        }
    }

    /// The warnings these tallies call for, added to `out`.
    pub fn warnings(&self, quiz: &Quiz, out: &mut Vec<Finding>) {
        let questions = || vec![Key("quiz"), Key("questions")];
        if self.single >= PATTERN_MIN && self.longest * 2 > self.single {
            out.push(Finding::warning(
                questions(),
                format!(
                    "the correct option is the longest in {} of {} single and scenario questions, so picking the longest option passes without reading",
                    self.longest, self.single
                ),
                "make the wrong options as long and specific as the right one (mistakes a real employee might make), or shorten the right one",
            ));
        }
        if !quiz.shuffle && self.choice >= PATTERN_MIN && self.correct_first == self.choice {
            out.push(Finding::warning(
                vec![Key("quiz"), Key("shuffle")],
                format!(
                    "\"shuffle\" is false and the correct options come first in every choice question ({} of {})",
                    self.choice, self.choice
                ),
                "remove \"shuffle\": false, or put the correct options at different positions",
            ));
        }
        if self.true_false >= PATTERN_MIN && (self.true_answers == 0 || self.true_answers == self.true_false) {
            let (all, other) = if self.true_answers == 0 { ("false", "true") } else { ("true", "false") };
            out.push(Finding::warning(
                questions(),
                format!("every true-false answer is {all} ({} of {})", self.true_false, self.true_false),
                format!(
                    "write some statements whose answer is {other}, so answering \"{all}\" every time does not pass"
                ),
            ));
        }
        let pool = quiz.questions.len();
        if (1..=pool).contains(&quiz.draw) && pool < 2 * quiz.draw {
            out.push(Finding::warning(
                vec![Key("quiz"), Key("draw")],
                format!("the pool has {pool} questions, fewer than twice the draw of {}", quiz.draw),
                format!(
                    "add questions (at least {} in all) or draw fewer, so a retake is not the same test",
                    2 * quiz.draw
                ),
            ));
        }
    }
}

/// Whether the one correct option has more characters than every other option.
pub fn correct_is_strictly_longest(q: &Question) -> bool {
    let mut correct = 0;
    let mut longest_wrong = 0;
    for o in &q.options {
        let n = o.text.chars().count();
        if o.correct {
            correct = n;
        } else {
            longest_wrong = longest_wrong.max(n);
        }
    }
    correct > longest_wrong
}

/// A ladder level's `min_score` that every required module's pass mark
/// already enforces: passing the quiz is enough, so the minimum does nothing.
pub fn ineffective_min_score(min_score: u32, pass_marks: impl IntoIterator<Item = Option<u32>>) -> Option<u32> {
    if min_score == 0 {
        return None;
    }
    let mut highest = None;
    for mark in pass_marks {
        let mark = mark?;
        if mark < min_score {
            return None;
        }
        highest = highest.max(Some(mark));
    }
    highest
}

/// Where a level's `min_score` is, for the ladder warning.
pub fn min_score_path(level: usize) -> Vec<Seg> {
    vec![Key("ladder"), Key("levels"), Seg::Index(level), Key("requires"), Key("min_score")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Choice, Text};

    fn question(kind: QuestionKind, options: &[(&str, bool)], answer: Option<bool>) -> Question {
        Question {
            id: "q".into(),
            kind,
            scenario: None,
            prompt: Text::from("?"),
            options: options
                .iter()
                .enumerate()
                .map(|(i, (text, correct))| Choice {
                    id: format!("o{i}"),
                    text: text.to_string(),
                    correct: *correct,
                    feedback: None,
                })
                .collect(),
            answer,
            feedback: None,
            explanation: Text::from("because"),
            lesson: None,
            tags: vec![],
            regions: vec![],
        }
    }

    fn quiz(questions: Vec<Question>, draw: usize, shuffle: bool) -> Quiz {
        Quiz { pass_mark: 70, draw, shuffle, questions }
    }

    fn warnings(q: &Quiz) -> Vec<String> {
        let mut p = QuizPatterns::default();
        q.questions.iter().for_each(|x| p.count(x));
        let mut out = Vec::new();
        p.warnings(q, &mut out);
        assert!(out.iter().all(|f| !f.is_error()));
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn strictly_longest_counts_characters_and_ties_do_not_count() {
        assert!(correct_is_strictly_longest(&question(QuestionKind::Single, &[("é", false), ("ab", true)], None)));
        assert!(!correct_is_strictly_longest(&question(QuestionKind::Single, &[("ab", true), ("cd", false)], None)));
        assert!(!correct_is_strictly_longest(&question(QuestionKind::Single, &[("a", true), ("cd", false)], None)));
    }

    #[test]
    fn longest_warns_above_half_only() {
        let long = || question(QuestionKind::Single, &[("long right", true), ("short", false)], None);
        let short = || question(QuestionKind::Scenario, &[("right", true), ("longer wrong", false)], None);
        // Half is not more than half.
        assert!(warnings(&quiz(vec![long(), short(), long(), short()], 2, true)).is_empty());
        let w = warnings(&quiz(vec![long(), short(), long()], 1, true));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("longest in 2 of 3 single and scenario"), "{w:?}");
        // One question is not a pattern.
        assert!(warnings(&quiz(vec![long(), long()], 1, true)).len() == 1);
        assert!(!warnings(&quiz(vec![long()], 1, true)).iter().any(|w| w.contains("longest")));
    }

    #[test]
    fn correct_first_only_matters_without_shuffle() {
        let first = || question(QuestionKind::Single, &[("a", true), ("b", false)], None);
        let multi_first = || question(QuestionKind::Multiple, &[("a", true), ("b", true), ("c", false)], None);
        let multi_later = || question(QuestionKind::Multiple, &[("a", true), ("b", false), ("c", true)], None);
        assert!(warnings(&quiz(vec![first(), multi_first()], 1, true)).is_empty());
        let w = warnings(&quiz(vec![first(), multi_first()], 1, false));
        assert_eq!(w, ["\"shuffle\" is false and the correct options come first in every choice question (2 of 2)"]);
        assert!(warnings(&quiz(vec![first(), multi_later()], 1, false)).is_empty());
    }

    #[test]
    fn true_false_all_one_way() {
        let tf = |a| question(QuestionKind::TrueFalse, &[], Some(a));
        assert_eq!(warnings(&quiz(vec![tf(false), tf(false)], 1, true)), ["every true-false answer is false (2 of 2)"]);
        assert_eq!(warnings(&quiz(vec![tf(true), tf(true)], 1, true)), ["every true-false answer is true (2 of 2)"]);
        assert!(warnings(&quiz(vec![tf(true), tf(false)], 1, true)).is_empty());
        assert!(!warnings(&quiz(vec![tf(true)], 1, true)).iter().any(|w| w.contains("true-false")));
    }

    #[test]
    fn pool_smaller_than_twice_the_draw() {
        let tf = |a| question(QuestionKind::TrueFalse, &[], Some(a));
        let pool = || vec![tf(true), tf(false), tf(true)];
        assert!(warnings(&quiz(pool(), 1, true)).is_empty());
        assert_eq!(warnings(&quiz(pool(), 2, true)), ["the pool has 3 questions, fewer than twice the draw of 2"]);
        // A draw larger than the pool is an error already.
        assert!(warnings(&quiz(pool(), 4, true)).is_empty());
    }

    #[test]
    fn min_score_at_or_below_every_pass_mark_does_nothing() {
        assert_eq!(ineffective_min_score(70, [Some(70), Some(80)]), Some(80));
        assert_eq!(ineffective_min_score(75, [Some(70), Some(80)]), None);
        assert_eq!(ineffective_min_score(0, [Some(70)]), None, "no minimum set");
        assert_eq!(ineffective_min_score(70, [Some(80), None]), None, "an unknown module is reported elsewhere");
        assert_eq!(ineffective_min_score(70, []), None, "no modules");
    }
}

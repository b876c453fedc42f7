//! Item analysis for trainers: for each question, how often it was
//! answered, its facility (the share of answers that were right) and its
//! discrimination (the point-biserial correlation between getting this
//! question right and the rest of the attempt's score), with flags for the
//! questions worth fixing.
//!
//! Pure functions over answer rows; the query that streams them is
//! `Records::each_item_answer`. Memory is one running tally per question,
//! however many answers there are.

use serde::Serialize;

use crate::records::ItemAnswer;

/// Fewer answers than this and a question's figures are noise: it is only
/// flagged as having too few answers. Twenty is the usual floor below which
/// a facility moves by five points with every answer.
pub const MIN_ANSWERS: u64 = 20;

/// A question almost everyone gets right: facility of 0.9 or more.
pub const EASY_AT: (u64, u64) = (9, 10);
/// A question almost no one gets right: facility of 0.2 or less.
pub const HARD_AT: (u64, u64) = (1, 5);

/// A correlation this close to 0 is 0 (rounding in the sums, not a signal).
const ZERO: f64 = 1e-9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Facility 0.9 or more: it tells learners apart from no one.
    TooEasy,
    /// Facility 0.2 or less: wrong key, unclear wording, or untaught.
    TooHard,
    /// Learners who do well on the rest of the quiz miss it more often than
    /// those who do badly: usually a wrong key or a trick question.
    NegativeDiscrimination,
    /// Under `MIN_ANSWERS` answers: too few to judge.
    FewAnswers,
}

impl Flag {
    pub fn label(self) -> &'static str {
        match self {
            Flag::TooEasy => "too easy",
            Flag::TooHard => "too hard",
            Flag::NegativeDiscrimination => "negative discrimination",
            Flag::FewAnswers => "few answers",
        }
    }
}

/// The analysis of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub module: String,
    pub question: String,
    /// Answers in finished quiz attempts.
    pub answered: u64,
    pub correct: u64,
    /// Share of answers that were right, 0 to 1.
    pub facility: f64,
    /// Point-biserial correlation with the rest score, -1 to 1; none when
    /// either side never varies (everyone right, one attempt, equal scores).
    pub discrimination: Option<f64>,
    pub flags: Vec<Flag>,
}

/// Running tallies for one question: counts, and Welford's co-moments of
/// (this answer right, rest score), so nothing is kept per answer.
#[derive(Debug, Clone)]
struct Tally {
    module: String,
    question: String,
    answered: u64,
    correct: u64,
    pairs: f64,
    mean_item: f64,
    mean_rest: f64,
    m2_item: f64,
    m2_rest: f64,
    co_moment: f64,
}

impl Tally {
    fn new(module: &str, question: &str) -> Tally {
        Tally {
            module: module.to_string(),
            question: question.to_string(),
            answered: 0,
            correct: 0,
            pairs: 0.0,
            mean_item: 0.0,
            mean_rest: 0.0,
            m2_item: 0.0,
            m2_rest: 0.0,
            co_moment: 0.0,
        }
    }

    fn add(&mut self, row: &ItemAnswer) {
        self.answered += 1;
        self.correct += u64::from(row.correct);
        let Some(rest) = rest_score(row) else { return };
        let item = f64::from(u8::from(row.correct));
        self.pairs += 1.0;
        let d_item = item - self.mean_item;
        self.mean_item += d_item / self.pairs;
        let d_rest = rest - self.mean_rest;
        self.mean_rest += d_rest / self.pairs;
        self.m2_item += d_item * (item - self.mean_item);
        self.m2_rest += d_rest * (rest - self.mean_rest);
        self.co_moment += d_item * (rest - self.mean_rest);
    }

    fn finish(self) -> ItemStats {
        let facility = if self.answered == 0 { 0.0 } else { self.correct as f64 / self.answered as f64 };
        let discrimination = (self.m2_item > 0.0 && self.m2_rest > 0.0).then(|| {
            let r = (self.co_moment / (self.m2_item * self.m2_rest).sqrt()).clamp(-1.0, 1.0);
            if r.abs() < ZERO { 0.0 } else { r }
        });
        let mut flags = Vec::new();
        if self.answered < MIN_ANSWERS {
            flags.push(Flag::FewAnswers);
        } else {
            if self.correct * EASY_AT.1 >= self.answered * EASY_AT.0 {
                flags.push(Flag::TooEasy);
            }
            if self.correct * HARD_AT.1 <= self.answered * HARD_AT.0 {
                flags.push(Flag::TooHard);
            }
            if discrimination.is_some_and(|r| r < 0.0) {
                flags.push(Flag::NegativeDiscrimination);
            }
        }
        ItemStats {
            module: self.module,
            question: self.question,
            answered: self.answered,
            correct: self.correct,
            facility,
            discrimination,
            flags,
        }
    }
}

/// The rest of the attempt's score, as a share of its other questions:
/// shares, not counts, so attempts of different lengths compare. None for
/// an attempt of one question (there is no rest) or an unreadable result.
fn rest_score(row: &ItemAnswer) -> Option<f64> {
    let (correct, total) = (row.attempt_correct?, row.attempt_total?);
    let others = total.checked_sub(1).filter(|&n| n > 0)?;
    let rest = correct.checked_sub(u32::from(row.correct))?;
    Some(f64::from(rest.min(others)) / f64::from(others))
}

/// Builds the analysis from rows arriving ordered by module and question
/// (the order `Records::each_item_answer` gives), one question at a time.
#[derive(Debug, Default)]
pub struct ItemAnalysis {
    current: Option<Tally>,
    done: Vec<ItemStats>,
}

impl ItemAnalysis {
    pub fn add(&mut self, row: &ItemAnswer) {
        let same = self.current.as_ref().is_some_and(|t| t.module == row.module && t.question == row.question);
        if !same {
            if let Some(t) = self.current.take() {
                self.done.push(t.finish());
            }
            self.current = Some(Tally::new(row.module, row.question));
        }
        if let Some(t) = &mut self.current {
            t.add(row);
        }
    }

    pub fn finish(mut self) -> Vec<ItemStats> {
        if let Some(t) = self.current.take() {
            self.done.push(t.finish());
        }
        self.done
    }
}

/// The analysis of rows ordered by module and question.
pub fn analyse<'a>(rows: impl IntoIterator<Item = ItemAnswer<'a>>) -> Vec<ItemStats> {
    let mut analysis = ItemAnalysis::default();
    for row in rows {
        analysis.add(&row);
    }
    analysis.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One answer to question `q` of module "m" in an attempt that scored `of.0` out of `of.1`.
    fn row(q: &str, correct: bool, of: (u32, u32)) -> ItemAnswer<'_> {
        ItemAnswer {
            learner: 1,
            module: "m",
            question: q,
            correct,
            attempt_correct: Some(of.0),
            attempt_total: Some(of.1),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn facility_and_discrimination_match_a_hand_computation() {
        // Four attempts of 5 questions; question "q" right in the first two.
        // Rest scores (of the 4 other questions): 4/4, 2/4, 3/4, 1/4.
        // Item x = 1,1,0,0; rest y = 1, .5, .75, .25. Means .5 and .625.
        // Sxy = .5*.375 + .5*-.125 + -.5*.125 + -.5*-.375 = .25
        // Sxx = 1; Syy = .140625 + .015625 + .015625 + .140625 = .3125
        // r = .25 / sqrt(1 * .3125) = 0.4472135955 (= 1/sqrt 5)
        let rows = [row("q", true, (5, 5)), row("q", true, (3, 5)), row("q", false, (3, 5)), row("q", false, (1, 5))];
        let stats = analyse(rows);
        assert_eq!(stats.len(), 1);
        let s = &stats[0];
        assert_eq!((s.answered, s.correct), (4, 2));
        assert!(close(s.facility, 0.5));
        assert!(close(s.discrimination.expect("r"), 1.0 / 5f64.sqrt()), "{:?}", s.discrimination);
        assert_eq!(s.flags, [Flag::FewAnswers], "four answers are too few to judge");
    }

    #[test]
    fn a_question_the_stronger_learners_miss_discriminates_negatively() {
        // Right only in the weakest attempts: x = 0,0,1,1 with rest 4/4, 3/4, 1/4, 0/4.
        // Means .5 and .5; Sxy = -.5*.5 + -.5*.25 + .5*-.25 + .5*-.5 = -.75; Sxx = 1; Syy = .625.
        // r = -.75 / sqrt(.625) = -0.9486832981
        let mut rows = Vec::new();
        for _ in 0..5 {
            rows.extend([
                row("q", false, (4, 5)),
                row("q", false, (3, 5)),
                row("q", true, (2, 5)),
                row("q", true, (1, 5)),
            ]);
        }
        let s = &analyse(rows)[0];
        assert_eq!(s.answered, 20);
        assert!(close(s.discrimination.expect("r"), -0.75 / 0.625f64.sqrt()), "{:?}", s.discrimination);
        assert_eq!(s.flags, [Flag::NegativeDiscrimination]);
    }

    #[test]
    fn everyone_right_is_too_easy_and_has_no_discrimination() {
        let rows: Vec<_> = (0..20).map(|i| row("q", true, (1 + i % 5, 5))).collect();
        let s = &analyse(rows)[0];
        assert!(close(s.facility, 1.0));
        assert_eq!(s.discrimination, None, "the item never varies");
        assert_eq!(s.flags, [Flag::TooEasy]);
    }

    #[test]
    fn the_easy_and_hard_thresholds_are_inclusive() {
        let at = |right: usize| {
            let rows: Vec<_> = (0..20).map(|i| row("q", i < right, (if i < right { 3 } else { 1 }, 5))).collect();
            analyse(rows).remove(0)
        };
        assert!(at(18).flags.contains(&Flag::TooEasy), "18 of 20 is 0.9");
        assert!(!at(17).flags.contains(&Flag::TooEasy));
        assert!(at(4).flags.contains(&Flag::TooHard), "4 of 20 is 0.2");
        assert!(!at(5).flags.contains(&Flag::TooHard));
        assert_eq!(at(10).flags, [], "a question that works");
        assert!(at(10).discrimination.is_some_and(|r| r > 0.0));
    }

    #[test]
    fn zero_variance_in_the_rest_score_has_no_discrimination() {
        // Every attempt scored the same on the other questions.
        let rows: Vec<_> = (0..20).map(|i| row("q", i % 2 == 0, (2 + u32::from(i % 2 == 0), 5))).collect();
        let s = &analyse(rows)[0];
        assert!(close(s.facility, 0.5));
        assert_eq!(s.discrimination, None);
        assert_eq!(s.flags, [], "no discrimination is not negative discrimination");
    }

    #[test]
    fn one_attempt_and_one_question_attempts() {
        let s = &analyse([row("q", true, (3, 5))])[0];
        assert_eq!((s.answered, s.discrimination), (1, None));
        assert_eq!(s.flags, [Flag::FewAnswers]);
        // An attempt of one question has no rest score: it counts for facility only.
        let s = &analyse([row("q", true, (1, 1)), row("q", false, (0, 1))])[0];
        assert_eq!((s.answered, s.correct, s.discrimination), (2, 1, None));
        // An attempt whose result could not be read likewise.
        let unread = ItemAnswer {
            learner: 1,
            module: "m",
            question: "q",
            correct: true,
            attempt_correct: None,
            attempt_total: None,
        };
        assert_eq!(analyse([unread])[0].answered, 1);
    }

    #[test]
    fn questions_come_out_one_each_in_row_order() {
        let rows = [
            ItemAnswer {
                learner: 1,
                module: "a",
                question: "x",
                correct: true,
                attempt_correct: Some(1),
                attempt_total: Some(2),
            },
            ItemAnswer {
                learner: 1,
                module: "a",
                question: "x",
                correct: false,
                attempt_correct: Some(1),
                attempt_total: Some(2),
            },
            ItemAnswer {
                learner: 1,
                module: "a",
                question: "y",
                correct: true,
                attempt_correct: Some(1),
                attempt_total: Some(2),
            },
            ItemAnswer {
                learner: 1,
                module: "b",
                question: "x",
                correct: true,
                attempt_correct: Some(1),
                attempt_total: Some(2),
            },
        ];
        let ids: Vec<(String, String, u64)> =
            analyse(rows).into_iter().map(|s| (s.module, s.question, s.answered)).collect();
        assert_eq!(ids, [("a".into(), "x".into(), 2), ("a".into(), "y".into(), 1), ("b".into(), "x".into(), 1)],);
        assert!(analyse([]).is_empty());
    }
}

//! Drawing questions for an attempt and marking answers.

use crate::content::{Module, Question, QuestionKind};
use crate::records::DrawnQuestion;

/// Option ids a true-false question offers, in the order shown.
pub const TRUE_FALSE: [&str; 2] = ["true", "false"];

/// Draws `quiz.draw` questions from the pool and orders their options for
/// display. With shuffle off, questions keep their order and options too
/// (ordering items are always shuffled: their order is the answer).
pub fn draw(module: &Module, rng: &mut fastrand::Rng) -> Vec<DrawnQuestion> {
    let quiz = &module.quiz;
    let mut picks: Vec<usize> = (0..quiz.questions.len()).collect();
    if quiz.shuffle {
        rng.shuffle(&mut picks);
    }
    picks.truncate(quiz.draw.min(quiz.questions.len()));
    if !quiz.shuffle {
        picks.sort_unstable();
    }
    picks.into_iter().map(|i| drawn(&quiz.questions[i], quiz.shuffle, rng)).collect()
}

/// The whole pool in file order (trainer preview), each question's options
/// in the order a learner would see them: shuffled when the quiz shuffles,
/// so an author sees where the right answer really lands.
pub fn whole_pool(module: &Module, rng: &mut fastrand::Rng) -> Vec<DrawnQuestion> {
    module.quiz.questions.iter().map(|q| drawn(q, module.quiz.shuffle, rng)).collect()
}

/// After a reload: questions whose options are still the same set keep the
/// order they were shown in, so a preview does not reshuffle on every save.
pub fn keep_shown_order(fresh: &mut [DrawnQuestion], shown: &[DrawnQuestion]) {
    for q in fresh {
        let Some(old) = shown.iter().find(|o| o.question == q.question) else { continue };
        let same_set = old.options.len() == q.options.len() && old.options.iter().all(|id| q.options.contains(id));
        if same_set {
            q.options.clone_from(&old.options);
        }
    }
}

/// One question with its options shuffled (review sessions).
pub fn draw_one(q: &Question, rng: &mut fastrand::Rng) -> DrawnQuestion {
    drawn(q, true, rng)
}

fn drawn(q: &Question, shuffle: bool, rng: &mut fastrand::Rng) -> DrawnQuestion {
    let mut options: Vec<String> = match q.kind {
        QuestionKind::TrueFalse => TRUE_FALSE.iter().map(|s| s.to_string()).collect(),
        _ => q.options.iter().map(|o| o.id.clone()).collect(),
    };
    if q.kind == QuestionKind::Ordering {
        let correct = options.clone();
        // A shuffle that lands on the answer would give it away.
        for _ in 0..8 {
            rng.shuffle(&mut options);
            if options != correct {
                break;
            }
        }
    } else if shuffle && q.kind != QuestionKind::TrueFalse {
        rng.shuffle(&mut options);
    }
    DrawnQuestion { question: q.id.clone(), options }
}

/// Whether `chosen` (option ids; for ordering, all ids in the learner's
/// order; for true-false, "true" or "false") answers `q` correctly.
pub fn is_correct(q: &Question, chosen: &[String]) -> bool {
    match q.kind {
        QuestionKind::TrueFalse => match (chosen, q.answer) {
            ([one], Some(answer)) => one == if answer { "true" } else { "false" },
            _ => false,
        },
        QuestionKind::Ordering => {
            chosen.len() == q.options.len() && chosen.iter().zip(&q.options).all(|(c, o)| c == &o.id)
        }
        QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple => {
            let mut want: Vec<&str> = q.options.iter().filter(|o| o.correct).map(|o| o.id.as_str()).collect();
            let mut got: Vec<&str> = chosen.iter().map(String::as_str).collect();
            want.sort_unstable();
            got.sort_unstable();
            got.dedup();
            !want.is_empty() && want == got
        }
    }
}

/// Percent score, rounded down so a pass is never rounded into existence
/// (the records count stored scores the same way).
pub use crate::records::percent;

pub fn passed(score: u32, pass_mark: u32) -> bool {
    score >= pass_mark
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
                .map(|(id, correct)| Choice {
                    id: id.to_string(),
                    text: id.to_string(),
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

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn marks_each_kind() {
        let single = question(QuestionKind::Single, &[("a", false), ("b", true)], None);
        assert!(is_correct(&single, &ids(&["b"])));
        assert!(!is_correct(&single, &ids(&["a"])));
        assert!(!is_correct(&single, &ids(&["a", "b"])));
        let multi = question(QuestionKind::Multiple, &[("a", true), ("b", false), ("c", true)], None);
        assert!(is_correct(&multi, &ids(&["c", "a"])));
        assert!(!is_correct(&multi, &ids(&["a"])));
        let tf = question(QuestionKind::TrueFalse, &[], Some(false));
        assert!(is_correct(&tf, &ids(&["false"])));
        assert!(!is_correct(&tf, &ids(&["true"])));
        let order = question(QuestionKind::Ordering, &[("x", false), ("y", false), ("z", false)], None);
        assert!(is_correct(&order, &ids(&["x", "y", "z"])));
        assert!(!is_correct(&order, &ids(&["y", "x", "z"])));
    }

    fn module(shuffle: bool) -> Module {
        let options: Vec<(String, bool)> = (0..6).map(|i| (format!("o{i}"), i == 0)).collect();
        let options: Vec<(&str, bool)> = options.iter().map(|(id, c)| (id.as_str(), *c)).collect();
        let questions = (0..4)
            .map(|i| Question { id: format!("q{i}"), ..question(QuestionKind::Single, &options, None) })
            .collect();
        let json = serde_json::json!({
            "format": 1, "id": "m", "version": "1.0", "title": "M", "summary": "S", "audiences": ["employee"],
            "level": 101, "minutes": 5, "lessons": [],
            "quiz": {"pass_mark": 50, "draw": 2, "shuffle": shuffle, "questions": []}
        });
        let mut m: Module = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        m.quiz.questions = questions;
        m
    }

    #[test]
    fn the_preview_pool_shows_options_as_an_attempt_would() {
        let file_order: Vec<String> = (0..6).map(|i| format!("o{i}")).collect();
        let mut rng = fastrand::Rng::with_seed(7);
        let shuffled = whole_pool(&module(true), &mut rng);
        let ids: Vec<&str> = shuffled.iter().map(|d| d.question.as_str()).collect();
        assert_eq!(ids, ["q0", "q1", "q2", "q3"], "the whole pool, in file order");
        assert!(shuffled.iter().any(|d| d.options != file_order), "options shuffled like an attempt");
        for d in &shuffled {
            let mut sorted = d.options.clone();
            sorted.sort();
            assert_eq!(sorted, file_order);
        }
        let fixed = whole_pool(&module(false), &mut rng);
        assert!(fixed.iter().all(|d| d.options == file_order), "shuffle: false keeps the file order");
    }

    #[test]
    fn a_reload_keeps_the_shown_order_of_unchanged_questions() {
        let d = |q: &str, o: &[&str]| DrawnQuestion { question: q.into(), options: ids(o) };
        let shown = vec![d("a", &["y", "x"]), d("b", &["q", "p"])];
        let mut fresh = vec![d("a", &["x", "y"]), d("b", &["p", "q", "r"]), d("c", &["m", "n"])];
        keep_shown_order(&mut fresh, &shown);
        assert_eq!(fresh, vec![d("a", &["y", "x"]), d("b", &["p", "q", "r"]), d("c", &["m", "n"])]);
    }

    #[test]
    fn scores_round_down() {
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(0, 0), 0);
        assert!(passed(75, 75));
        assert!(!passed(74, 75));
    }
}

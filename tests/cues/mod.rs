//! Simulated learners who read no lesson and answer from surface cues
//! (issue 25), and the exact chance that one of them passes an attempt.
//!
//! Each learner is a score for a piece of text: an option (single,
//! scenario, multiple) or a true-false statement. It picks the option that
//! scores highest (ties split evenly), selects every option that scores
//! above zero in a choose-all-that-apply question (the top half when none
//! does), and judges a statement true above zero, false below, a coin toss
//! at zero. Ordering questions carry no cue: any order but the one shown.

pub mod copied;
pub mod counts;

use std::collections::{HashMap, HashSet};

use pace::content::{Module, Question, QuestionKind};

/// Scores closer than this are a tie.
const EPS: f64 = 1e-9;

/// What a learner is scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An option to choose.
    Option,
    /// A true-false statement to judge.
    Statement,
}

/// How a learner rates a text: above zero looks right to them.
type Score = dyn Fn(&str, Role) -> f64;

/// A learner who answers from one kind of surface cue.
pub struct Learner {
    pub name: &'static str,
    score: Box<Score>,
}

impl Learner {
    pub fn new(name: &'static str, score: impl Fn(&str, Role) -> f64 + 'static) -> Learner {
        Learner { name, score: Box::new(score) }
    }

    pub fn score(&self, text: &str, role: Role) -> f64 {
        (self.score)(text, role)
    }
}

/// The learners whose rules do not depend on the rest of the curriculum.
pub fn surface_learners() -> Vec<Learner> {
    vec![
        Learner::new("process-words", |t, _| process_score(t)),
        Learner::new("no-arguing", |t, _| if gives_reason(t) { -1.0 } else { 0.0 }),
        Learner::new("compound", |t, _| f64::from(u8::from(is_compound(t)))),
        Learner::new("placeholder", |t, _| f64::from(u8::from(names_contact(t)))),
        Learner::new("loophole", |t, _| if has_loophole(t) { -1.0 } else { 1.0 }),
    ]
}

/// A learner who answers at random: the floor every cue is measured against.
pub fn guesser() -> Learner {
    Learner::new("guess", |_, _| 0.0)
}

// ---- Words and the cues they carry ----

/// Lowercase words of `text`; a `{{placeholder}}` is one word, braces kept.
pub fn words(text: &str) -> Vec<String> {
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '{' | '}' | '\'' | '’');
    text.to_lowercase()
        .split(|c: char| !word_char(c))
        .map(|w| w.trim_matches(['\'', '’']))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How many times `phrase` occurs in `text` (any case) not inside a longer word.
fn phrase_count(text: &str, phrase: &str) -> usize {
    let text = text.to_lowercase();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let alone = |at: usize| !word(text[..at].chars().next_back()) && !word(text[at + phrase.len()..].chars().next());
    text.match_indices(phrase).filter(|(at, _)| alone(*at)).count()
}

fn has_phrase(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| phrase_count(text, p) > 0)
}

/// A placeholder that names someone to go to: `{{crisis_contact}}`,
/// `{{coe_email}}`, the hub's own name.
pub fn is_contact_placeholder(word: &str) -> bool {
    let Some(key) = word.strip_prefix("{{").and_then(|w| w.strip_suffix("}}")) else { return false };
    key.ends_with("_contact") || key.starts_with("coe_")
}

const PROCESS: [&str; 30] = [
    "ask",
    "asks",
    "asked",
    "asking",
    "check",
    "checks",
    "checked",
    "checking",
    "report",
    "reports",
    "reported",
    "reporting",
    "route",
    "routes",
    "routed",
    "routing",
    "verify",
    "verifies",
    "verified",
    "verifying",
    "confirm",
    "confirms",
    "confirmed",
    "confirming",
    "escalate",
    "escalates",
    "escalated",
    "escalating",
    "policy",
    "policies",
];

const HASTY: [&str; 7] = ["immediately", "just", "never", "always", "since", "because", "only"];

/// Process words (and contacts, the hub, a policy link) minus hasty and absolute words.
pub fn process_score(text: &str) -> f64 {
    let words = words(text);
    let policy_link = |w: &str| w.starts_with("{{") && w.contains("policy");
    let process = words.iter().filter(|w| PROCESS.contains(&w.as_str()) || is_contact_placeholder(w) || policy_link(w));
    let hasty = words.iter().filter(|w| HASTY.contains(&w.as_str())).count();
    (process.count() + phrase_count(text, "the hub")) as f64 - hasty as f64
}

pub const REASONS: [&str; 4] = ["since", "because", "so that", "as long as"];

/// Whether `text` argues for itself.
pub fn gives_reason(text: &str) -> bool {
    has_phrase(text, &REASONS)
}

/// Whether `text` is several steps or parts in one: ";", ", and", ", then", " and then ".
pub fn is_compound(text: &str) -> bool {
    let text = text.to_lowercase();
    [";", ", and ", ", then ", " and then "].iter().any(|m| text.contains(m))
}

pub fn names_contact(text: &str) -> bool {
    words(text).iter().any(|w| is_contact_placeholder(w))
}

pub const LOOPHOLES: [&str; 8] = ["only", "as long as", "because", "unless", "just", "as soon as", "always", "never"];

/// Whether `text` holds a word a test-wise learner reads as a loophole or an overstatement.
pub fn has_loophole(text: &str) -> bool {
    has_phrase(text, &LOOPHOLES)
}

// ---- The learner who learns word cues from the other modules ----

/// Words too common to be a cue.
const STOP: [&str; 24] = [
    "a", "an", "the", "to", "of", "in", "on", "at", "for", "is", "are", "be", "it", "its", "that", "this", "with",
    "by", "as", "or", "from", "was", "were", "s",
];

/// Per-word log-odds of a word occurring in right texts against wrong
/// ones, from word counts with Laplace smoothing.
pub struct LogOdds(HashMap<String, f64>);

impl LogOdds {
    pub fn learn(right: &[&str], wrong: &[&str]) -> LogOdds {
        let count = |texts: &[&str]| {
            let mut counts: HashMap<String, f64> = HashMap::new();
            for w in texts.iter().flat_map(|t| words(t)).filter(|w| !STOP.contains(&w.as_str())) {
                *counts.entry(w).or_default() += 1.0;
            }
            counts
        };
        let (right, wrong) = (count(right), count(wrong));
        let vocabulary: HashSet<&String> = right.keys().chain(wrong.keys()).collect();
        let v = vocabulary.len() as f64;
        let (right_total, wrong_total) = (right.values().sum::<f64>(), wrong.values().sum::<f64>());
        let odds = vocabulary
            .iter()
            .map(|&w| {
                let r = (right.get(w).unwrap_or(&0.0) + 1.0) / (right_total + v);
                let f = (wrong.get(w).unwrap_or(&0.0) + 1.0) / (wrong_total + v);
                (w.clone(), (r / f).ln())
            })
            .collect();
        LogOdds(odds)
    }

    /// The sum of the log-odds of `text`'s words (unseen words count 0).
    pub fn score(&self, text: &str) -> f64 {
        words(text).iter().filter_map(|w| self.0.get(w)).sum()
    }
}

/// A learner who learned from `questions` which words mark a right option
/// and which mark a true statement.
pub fn word_learner<'q>(questions: impl IntoIterator<Item = &'q Question>) -> Learner {
    let (mut keys, mut distractors, mut true_, mut false_) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for q in questions {
        match q.kind {
            QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple => {
                for o in &q.options {
                    (if o.correct { &mut keys } else { &mut distractors }).push(o.text.as_str());
                }
            }
            QuestionKind::TrueFalse => match q.answer {
                Some(true) => true_.push(q.prompt.as_str()),
                Some(false) => false_.push(q.prompt.as_str()),
                None => {}
            },
            QuestionKind::Ordering => {}
        }
    }
    let options = LogOdds::learn(&keys, &distractors);
    let statements = LogOdds::learn(&true_, &false_);
    Learner::new("other-modules-words", move |text, role| match role {
        Role::Option => options.score(text),
        Role::Statement => statements.score(text),
    })
}

/// The word learner for `module`, trained on every other module's questions
/// that `visible` lets through (leave one module out).
pub fn word_learner_without(modules: &[Module], module: &str, visible: impl Fn(&Question) -> bool) -> Learner {
    word_learner(modules.iter().filter(|m| m.id != module).flat_map(|m| &m.quiz.questions).filter(|q| visible(q)))
}

// ---- Chances ----

/// The chance that `learner` answers `q` right.
pub fn chance_right(q: &Question, learner: &Learner) -> f64 {
    let option_scores = || q.options.iter().map(|o| learner.score(&o.text, Role::Option)).collect::<Vec<_>>();
    let correct: Vec<bool> = q.options.iter().map(|o| o.correct).collect();
    match q.kind {
        QuestionKind::Single | QuestionKind::Scenario => best_is_right(&option_scores(), &correct),
        QuestionKind::Multiple => chosen_set_is_right(&option_scores(), &correct),
        QuestionKind::TrueFalse => {
            let s = learner.score(q.prompt.as_str(), Role::Statement);
            match q.answer {
                None => 0.0,
                Some(_) if s.abs() <= EPS => 0.5,
                Some(answer) => f64::from(u8::from(answer == (s > 0.0))),
            }
        }
        QuestionKind::Ordering => ordering_guess(q.options.len()),
    }
}

/// Picking the top score, ties split evenly.
fn best_is_right(scores: &[f64], correct: &[bool]) -> f64 {
    let Some(best) = scores.iter().copied().reduce(f64::max) else { return 0.0 };
    let tied: Vec<bool> = scores.iter().zip(correct).filter(|(s, _)| best - **s <= EPS).map(|(_, c)| *c).collect();
    tied.iter().filter(|c| **c).count() as f64 / tied.len() as f64
}

/// Selecting every option that scores above zero, or the top half when
/// none does, with ties at the edge broken at random: right only when the
/// selection is exactly the correct set.
fn chosen_set_is_right(scores: &[f64], correct: &[bool]) -> f64 {
    let n = scores.len();
    if n == 0 {
        return 0.0;
    }
    let positive = scores.iter().filter(|s| **s > EPS).count();
    let k = if positive > 0 { positive } else { n.div_ceil(2) };
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let edge = sorted[k - 1];
    let above = |i: usize| scores[i] > edge + EPS;
    let at_edge = |i: usize| (scores[i] - edge).abs() <= EPS;
    let above_count = (0..n).filter(|&i| above(i)).count();
    let tied = (0..n).filter(|&i| at_edge(i)).count();
    let fits = (0..n).all(|i| !above(i) || correct[i])
        && (0..n).all(|i| !correct[i] || above(i) || at_edge(i))
        && correct.iter().filter(|c| **c).count() == k;
    if fits { 1.0 / binomial(tied, k - above_count) } else { 0.0 }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).map(|i| (n - i) as f64 / (i + 1) as f64).product()
}

/// Any order but the shown one, which the trainer never shows right.
fn ordering_guess(n: usize) -> f64 {
    if n > 1 { 1.0 / ((1..=n).map(|k| k as f64).product::<f64>() - 1.0) } else { 1.0 }
}

/// The exact chance of passing when `draw` questions are drawn at random
/// from a pool whose questions are right with chances `ps`: a DP over how
/// many were drawn and how many of those are right (tests/curriculum.rs
/// holds the same DP).
pub fn pass_probability(ps: &[f64], draw: usize, pass_mark: u32) -> f64 {
    let n = ps.len();
    let draw = draw.min(n);
    if draw == 0 {
        return 0.0;
    }
    // dp[k][c]: summed over the draws of k questions so far, the chance that c are right.
    let mut dp = vec![vec![0.0; draw + 1]; draw + 1];
    dp[0][0] = 1.0;
    for &p in ps {
        for k in (1..=draw).rev() {
            for c in (0..=k).rev() {
                let mut v = dp[k - 1][c] * (1.0 - p);
                if c > 0 {
                    v += dp[k - 1][c - 1] * p;
                }
                dp[k][c] += v;
            }
        }
    }
    let draws = binomial(n, draw);
    (0..=draw).filter(|&c| (c * 100 / draw) as u32 >= pass_mark).map(|c| dp[draw][c]).sum::<f64>() / draws
}

/// The chance that `learner` passes one attempt drawn from `pool`.
pub fn pass_chance(module: &Module, pool: &[&Question], learner: &Learner) -> f64 {
    let ps: Vec<f64> = pool.iter().map(|q| chance_right(q, learner)).collect();
    pass_probability(&ps, module.quiz.draw, module.quiz.pass_mark)
}

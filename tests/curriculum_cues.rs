//! Quizzes that no cue-reader passes (issue 25): learners who read nothing
//! but answer from the curriculum's surface habits (process words, keys
//! that do not argue, compound keys, contact placeholders, loophole words in
//! false statements, word cues learned from every other module) must pass at
//! most 10% of attempts on any module and 5% on average, for a learner in
//! each of the organisation's countries. The learners live in `cues/`.
//!
//! By default the shipped curriculum is measured. To measure another
//! modules folder with an already built binary (no rebuild needed):
//!
//! ```text
//! cargo test --test curriculum_cues --no-run      # prints the binary's path
//! PACE_CUES_MODULES=/path/to/modules target/debug/deps/curriculum_cues-<hash> --include-ignored --nocapture
//! ```
//!
//! `cue_report` prints the pass chance of every learner on every module and
//! how often each cue occurs among keys and distractors, so a writer sees
//! which cue to balance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cues;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use cues::{Learner, Role};
use pace::content::{Catalog, Module, Question, QuestionKind, applies, embedded, load_paths};

const MODULES_FOLDER: &str = "PACE_CUES_MODULES";
const MOST_ON_ANY_MODULE: f64 = 0.10;
const MOST_ON_AVERAGE: f64 = 0.05;
const LEAST_POOL: usize = 25;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let Some(dir) = std::env::var_os(MODULES_FOLDER) else { return embedded() };
        let dir = PathBuf::from(dir);
        let c = load_paths(std::slice::from_ref(&dir)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        println!("measuring {} ({} modules)", dir.display(), c.modules.len());
        for p in c.problems.iter().filter(|p| p.is_error()) {
            println!("  not loaded: {p}");
        }
        c
    })
}

/// A learner's country: its id and the regions whose questions they see
/// (`None`: the organisation lists no countries, so every question).
struct Country {
    id: String,
    regions: Option<Vec<String>>,
}

fn countries(c: &Catalog) -> Vec<Country> {
    if c.organisation.countries.is_empty() {
        return vec![Country { id: "everywhere".into(), regions: None }];
    }
    c.organisation.countries.iter().map(|k| Country { id: k.id.clone(), regions: Some(k.regions.clone()) }).collect()
}

impl Country {
    fn sees(&self, q: &Question) -> bool {
        applies(&q.regions, self.regions.as_deref())
    }

    fn pool<'m>(&self, m: &'m Module) -> Vec<&'m Question> {
        m.quiz.questions.iter().filter(|q| self.sees(q)).collect()
    }
}

/// Every cue learner's pass chance on one module for one country, in the
/// order of `learner_names()`.
fn figures(c: &Catalog, m: &Module, country: &Country) -> Vec<f64> {
    let pool = country.pool(m);
    let words = cues::word_learner_without(&c.modules, &m.id, |q| country.sees(q));
    let mut learners = cues::surface_learners();
    learners.push(words);
    learners.iter().map(|l| cues::pass_chance(m, &pool, l)).collect()
}

fn learner_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = cues::surface_learners().iter().map(|l| l.name).collect();
    names.push("other-modules-words");
    names
}

fn percent(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// What failed, each finding said once with the countries it holds in.
#[derive(Default)]
struct Findings(Vec<(String, Vec<String>)>);

impl Findings {
    fn add(&mut self, country: &Country, finding: String) {
        match self.0.iter_mut().find(|(f, _)| *f == finding) {
            Some((_, countries)) => countries.push(country.id.clone()),
            None => self.0.push((finding, vec![country.id.clone()])),
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        for (finding, countries) in &self.0 {
            let label = if countries.len() == 1 { "country" } else { "countries" };
            writeln!(f, "{finding} ({label} {})", countries.join(", "))?;
        }
        Ok(())
    }
}

#[test]
fn no_cue_learner_passes_more_than_10_percent_of_attempts_on_any_module() {
    let c = catalog();
    let names = learner_names();
    let mut over = Findings::default();
    for country in countries(c) {
        for m in &c.modules {
            for (name, p) in names.iter().zip(figures(c, m, &country)) {
                if p > MOST_ON_ANY_MODULE {
                    over.add(&country, format!("{}, learner {name}: passes {}", m.id, percent(p)));
                }
            }
        }
    }
    assert!(over.is_empty(), "cue learners passing more than 10% of attempts (run cue_report to see why):\n{over}");
}

#[test]
fn no_cue_learner_passes_more_than_5_percent_of_attempts_on_average() {
    let c = catalog();
    let names = learner_names();
    let mut over = Findings::default();
    for country in countries(c) {
        let per_module: Vec<Vec<f64>> = c.modules.iter().map(|m| figures(c, m, &country)).collect();
        for (i, name) in names.iter().enumerate() {
            let mean = per_module.iter().map(|f| f[i]).sum::<f64>() / per_module.len().max(1) as f64;
            let worst = c.modules.iter().zip(&per_module).max_by(|a, b| a.1[i].total_cmp(&b.1[i]));
            if mean > MOST_ON_AVERAGE {
                let (id, f) = worst.map(|(m, f)| (m.id.as_str(), f[i])).unwrap_or(("-", 0.0));
                over.add(
                    &country,
                    format!(
                        "learner {name}: passes {} on average over {} modules (worst {id}: {})",
                        percent(mean),
                        per_module.len(),
                        percent(f)
                    ),
                );
            }
        }
    }
    assert!(over.is_empty(), "cue learners passing more than 5% of attempts on average:\n{over}");
}

#[test]
fn every_module_has_a_pool_of_at_least_25_questions_in_every_country() {
    let c = catalog();
    let mut small = Findings::default();
    for country in countries(c) {
        for m in &c.modules {
            let n = country.pool(m).len();
            if n < LEAST_POOL {
                small.add(&country, format!("{}: {n} questions in the pool, want at least {LEAST_POOL}", m.id));
            }
        }
    }
    assert!(small.is_empty(), "{small}");
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let number = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
}

#[test]
fn every_module_states_when_its_legal_content_was_reviewed() {
    let c = catalog();
    let missing: Vec<String> = c
        .modules
        .iter()
        .filter_map(|m| match &m.reviewed {
            None => Some(format!("{}: no \"reviewed\": \"YYYY-MM-DD\"", m.id)),
            Some(d) if !is_date(d) => Some(format!("{}: reviewed {d:?} is not YYYY-MM-DD", m.id)),
            Some(_) => None,
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

// ---- The report writers read ----

#[test]
fn cue_report() {
    let c = catalog();
    assert!(!c.modules.is_empty(), "no module loaded");
    let names = learner_names();
    let mut out = String::new();
    let mut shown: Vec<Vec<Vec<&str>>> = Vec::new();
    for country in countries(c) {
        let pools: Vec<Vec<&str>> =
            c.modules.iter().map(|m| country.pool(m).iter().map(|q| q.id.as_str()).collect()).collect();
        if let Some(i) = shown.iter().position(|p| *p == pools) {
            writeln!(out, "\ncountry {}: the same pools as the {} country above", country.id, ordinal(i)).unwrap();
            continue;
        }
        shown.push(pools);
        writeln!(out, "\ncountry {}: chance to pass one attempt without reading", country.id).unwrap();
        write!(out, "{:44} {:>5}", "module", "pool").unwrap();
        for n in names.iter().chain(&["guess"]) {
            write!(out, " {:>9}", short(n)).unwrap();
        }
        writeln!(out, "  worst").unwrap();
        let mut sums = vec![0.0; names.len() + 1];
        for m in &c.modules {
            let pool = country.pool(m);
            let mut f = figures(c, m, &country);
            f.push(cues::pass_chance(m, &pool, &cues::guesser()));
            write!(out, "{:44} {:>5}", m.id, pool.len()).unwrap();
            for (s, p) in sums.iter_mut().zip(&f) {
                *s += p;
                write!(out, " {:>9}", percent(*p)).unwrap();
            }
            let worst = names.iter().zip(&f).max_by(|a, b| a.1.total_cmp(b.1)).map(|(n, _)| *n).unwrap_or("-");
            writeln!(out, "  {worst}").unwrap();
        }
        write!(out, "{:44} {:>5}", "average", "").unwrap();
        for s in &sums {
            write!(out, " {:>9}", percent(s / c.modules.len().max(1) as f64)).unwrap();
        }
        writeln!(out).unwrap();
    }
    out.push_str(&giveaways(c));
    out.push_str(&cues::counts::cue_counts(c));
    println!("{out}");
}

/// For the first country, the questions each learner answers right every
/// time without reading: the ones to rewrite first.
fn giveaways(c: &Catalog) -> String {
    let Some(country) = countries(c).into_iter().next() else { return String::new() };
    let mut out = format!("\nquestions a learner always gets right without reading (country {})\n", country.id);
    for m in &c.modules {
        let mut learners = cues::surface_learners();
        learners.push(cues::word_learner_without(&c.modules, &m.id, |q| country.sees(q)));
        for l in &learners {
            let sure: Vec<&str> = country
                .pool(m)
                .into_iter()
                .filter(|q| cues::chance_right(q, l) >= 1.0)
                .map(|q| q.id.as_str())
                .collect();
            if !sure.is_empty() {
                writeln!(out, "{:44} {:>9}: {}", m.id, short(l.name), sure.join(", ")).unwrap();
            }
        }
    }
    out
}

fn ordinal(i: usize) -> String {
    ["first", "second", "third", "fourth"].get(i).map_or(format!("{}th", i + 1), |s| s.to_string())
}

fn short(name: &str) -> &str {
    match name {
        "process-words" => "process",
        "no-arguing" => "no-argue",
        "placeholder" => "contact",
        "other-modules-words" => "words",
        other => other,
    }
}

// ---- No copied sentences ----

const SEED: &str = "../shared/seed/000_afcaf99b96bd5aa1.txt";
use cues::copied::SHINGLE;

#[test]
fn no_eight_words_in_a_row_are_copied_from_the_seed_document() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let Ok(seed) = std::fs::read_to_string(&path) else {
        println!("note: {} is absent; the copied-sentence check is skipped", path.display());
        return;
    };
    let copied = cues::copied::copied_from(&seed, &catalog().modules);
    assert!(copied.is_empty(), "{SHINGLE} words in a row from the seed document:\n{}", copied.join("\n"));
}

// ---- The learners pick what they should ----

fn question(kind: &str, options: &[(&str, bool)], answer: Option<bool>, prompt: &str) -> Question {
    let options: Vec<_> = options
        .iter()
        .enumerate()
        .map(|(i, (text, correct))| serde_json::json!({"id": format!("o{i}"), "text": text, "correct": correct}))
        .collect();
    let mut q = serde_json::json!({
        "id": "q", "kind": kind, "prompt": prompt, "options": options, "explanation": "why"
    });
    if let Some(a) = answer {
        q["answer"] = serde_json::json!(a);
    }
    if kind == "scenario" {
        q["scenario"] = serde_json::json!("A situation.");
    }
    serde_json::from_value(q).expect("question")
}

fn single(options: &[(&str, bool)]) -> Question {
    question("single", options, None, "Which?")
}

fn statement(prompt: &str, answer: bool) -> Question {
    question("true-false", &[], Some(answer), prompt)
}

fn learner(name: &str) -> Learner {
    cues::surface_learners().into_iter().find(|l| l.name == name).expect("learner")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn the_process_words_learner_picks_the_most_careful_sounding_option() {
    let l = learner("process-words");
    let careful = "Ask the hub and check the policy";
    let hasty = "Reply immediately, since it is only a comment";
    assert_eq!(cues::process_score(careful), 4.0);
    assert_eq!(cues::process_score(hasty), -3.0);
    assert_eq!(cues::process_score("Tell {{crisis_contact}} and read {{social_policy_url}}"), 2.0);
    assert_eq!(cues::chance_right(&single(&[(hasty, false), (careful, true), ("Wait", false)]), &l), 1.0);
    assert_eq!(cues::chance_right(&single(&[(hasty, true), (careful, false), ("Wait", false)]), &l), 0.0);
    // Two options without a cue tie: half the time the right one.
    assert_eq!(cues::chance_right(&single(&[(hasty, false), ("Wait", true), ("Delete it", false)]), &l), 0.5);
    assert_eq!(cues::chance_right(&statement("You always reply just once.", false), &l), 1.0);
    assert_eq!(cues::chance_right(&statement("Report it to the hub.", false), &l), 0.0);
    assert_eq!(cues::chance_right(&statement("Lunch is at noon.", false), &l), 0.5);
}

#[test]
fn the_no_arguing_learner_avoids_options_that_give_a_reason() {
    let l = learner("no-arguing");
    let q = single(&[
        ("Reply, since it is quick", false),
        ("Delete it because they asked", false),
        ("Post it as long as it is true", false),
        ("Tell your manager", true),
        ("Wait a day", false),
    ]);
    assert_eq!(cues::chance_right(&q, &l), 0.5);
    assert!(cues::gives_reason("Edit it so that it reads well") && !cues::gives_reason("So, that is it"));
    assert_eq!(cues::chance_right(&statement("You may delete it because it is old.", false), &l), 1.0);
    assert_eq!(cues::chance_right(&statement("You may delete it.", false), &l), 0.5);
}

#[test]
fn the_compound_learner_prefers_several_steps_in_one() {
    let l = learner("compound");
    assert!(cues::is_compound("Pause; then ask") && cues::is_compound("Screenshot it, and report it"));
    assert!(cues::is_compound("Stop, then ask") && cues::is_compound("Stop and then ask"));
    assert!(!cues::is_compound("Ask and wait") && !cues::is_compound("Red, green and blue"));
    let q = single(&[("Delete it", false), ("Screenshot it, then tell the hub", true), ("Reply", false)]);
    assert_eq!(cues::chance_right(&q, &l), 1.0);
    let q = single(&[("Delete it; block them", false), ("Screenshot it, then tell the hub", true), ("Reply", false)]);
    assert_eq!(cues::chance_right(&q, &l), 0.5);
}

#[test]
fn the_placeholder_learner_picks_the_option_that_names_a_contact() {
    let l = learner("placeholder");
    assert!(cues::names_contact("Call {{crisis_contact}}.") && cues::names_contact("({{coe_email}})"));
    assert!(!cues::names_contact("Read {{social_policy_url}}") && !cues::names_contact("{{company}} sells"));
    let q = single(&[("Reply", false), ("Call {{crisis_contact}}", true), ("Wait", false)]);
    assert_eq!(cues::chance_right(&q, &l), 1.0);
    let q = single(&[("Email {{privacy_contact}}", false), ("Call {{crisis_contact}}", true), ("Wait", false)]);
    assert_eq!(cues::chance_right(&q, &l), 0.5);
}

#[test]
fn the_loophole_learner_calls_statements_with_a_loophole_false() {
    let l = learner("loophole");
    assert_eq!(cues::chance_right(&statement("You may post it as long as you are off duty.", false), &l), 1.0);
    assert_eq!(cues::chance_right(&statement("Unless told otherwise, reply.", true), &l), 0.0);
    assert_eq!(cues::chance_right(&statement("A disclosure names the relationship.", true), &l), 1.0);
    assert_eq!(cues::chance_right(&statement("A disclosure names the relationship.", false), &l), 0.0);
    assert!(!cues::has_loophole("Justice is done; soon as ever") && cues::has_loophole("as soon as it lands"));
    // In a choice it avoids the options with a loophole word.
    let q = single(&[("Only on weekends", false), ("Ask first", true), ("Never", false), ("Later", false)]);
    assert_eq!(cues::chance_right(&q, &l), 0.5);
}

#[test]
fn in_choose_all_that_apply_a_learner_must_select_exactly_the_correct_set() {
    let l = learner("process-words");
    let opts = |last: bool| {
        question(
            "multiple",
            &[("Ask the hub", true), ("Check the policy", true), ("Post immediately", false), ("Reply", last)],
            None,
            "Which?",
        )
    };
    assert_eq!(cues::chance_right(&opts(false), &l), 1.0);
    assert_eq!(cues::chance_right(&opts(true), &l), 0.0);
    // No option has the cue: the top half at random, 2 of 4 in one of 6 ways.
    let plain = question("multiple", &[("A", true), ("B", false), ("C", true), ("D", false)], None, "Which?");
    assert!(close(cues::chance_right(&plain, &l), 1.0 / 6.0));
    // One option stands out: it alone is selected, so C is missed.
    let q = question("multiple", &[("Ask", true), ("B", false), ("C", true), ("D", false)], None, "Which?");
    assert_eq!(cues::chance_right(&q, &l), 0.0);
    let l = cues::guesser();
    assert!(close(cues::chance_right(&q, &l), 1.0 / 6.0));
}

#[test]
fn ordering_questions_are_guessed_among_the_orders_not_shown() {
    let q = question("ordering", &[("a", false), ("b", false), ("c", false)], None, "Order");
    assert!(close(cues::chance_right(&q, &learner("compound")), 1.0 / 5.0));
}

fn module(id: &str, questions: &[Question]) -> Module {
    let value = serde_json::json!({
        "format": 1, "id": id, "version": "1.0", "title": id, "summary": "s", "audiences": ["employee"],
        "level": 101, "minutes": 5,
        "lessons": [{"id": "l", "title": "l", "body": "b"}],
        "quiz": {"pass_mark": 75, "draw": 4, "questions": serde_json::to_value(questions).unwrap()},
    });
    serde_json::from_value(value).expect("module")
}

#[test]
fn the_word_learner_learns_from_the_other_modules_only() {
    // Elsewhere, keys say "escalate" and distractors "shrug"; true statements
    // say "documented", false ones "forbidden".
    let teach = |i: usize| {
        vec![
            single(&[(&format!("Escalate the case {i}"), true), ("Shrug and move on", false), ("Shrug again", false)]),
            statement("The steps are documented.", true),
            statement("Posting is forbidden.", false),
        ]
    };
    let elsewhere = module("elsewhere", &[teach(1), teach(2), teach(3)].concat());
    // This module teaches the opposite, which the learner must not see.
    let here = module(
        "here",
        &[
            single(&[("Shrug", true), ("Escalate", false)]),
            single(&[("Shrug", true), ("Escalate", false)]),
            statement("It is documented.", false),
            statement("It is forbidden.", true),
        ],
    );
    let modules = vec![elsewhere, here];
    let l = cues::word_learner_without(&modules, "here", |_| true);
    assert!(l.score("escalate", Role::Option) > 0.0 && l.score("shrug", Role::Option) < 0.0);
    assert!(l.score("documented", Role::Statement) > 0.0 && l.score("forbidden", Role::Statement) < 0.0);
    let q = single(&[("Shrug it off", false), ("Escalate it", true), ("Wait", false)]);
    assert_eq!(cues::chance_right(&q, &l), 1.0);
    assert_eq!(cues::chance_right(&statement("It is forbidden to post.", false), &l), 1.0);
    let here = &modules[1];
    let pool: Vec<&Question> = here.quiz.questions.iter().collect();
    assert_eq!(cues::pass_chance(here, &pool, &l), 0.0, "it answers every question of `here` wrongly");
    // Trained on `here` too, the learner's cue flips for this module's options.
    let all = cues::word_learner(modules.iter().rev().flat_map(|m| &m.quiz.questions));
    assert!(all.score("shrug", Role::Option) > l.score("shrug", Role::Option));
    // A question it cannot see (another country's) teaches it nothing.
    let blind = cues::word_learner_without(&modules, "here", |q| q.kind != QuestionKind::TrueFalse);
    assert_eq!(blind.score("documented", Role::Statement), 0.0);
}

#[test]
fn a_learner_with_a_working_cue_passes_and_the_dp_matches_hand_counts() {
    let key = single(&[("Ask the hub", true), ("Post it", false), ("Reply", false)]);
    let m = module("m", &vec![key; 6]);
    let pool: Vec<&Question> = m.quiz.questions.iter().collect();
    assert_eq!(cues::pass_chance(&m, &pool, &learner("process-words")), 1.0);
    assert_eq!(cues::pass_chance(&m, &pool, &learner("compound")), cues::pass_probability(&[1.0 / 3.0; 6], 4, 75));
    // Pool of 3, draw 2, pass at 50: right with chances 1, 0, 0.5 (see tests/curriculum.rs).
    assert!(close(cues::pass_probability(&[1.0, 0.0, 0.5], 2, 50), 2.5 / 3.0));
    assert!(close(cues::pass_probability(&[1.0, 0.0, 0.5], 2, 100), 0.5 / 3.0));
    assert_eq!(cues::pass_probability(&[1.0, 1.0, 0.0], 3, 67), 0.0);
    assert_eq!(cues::pass_probability(&[], 3, 50), 0.0);
}

#[test]
fn a_copied_run_of_eight_words_is_found_and_seven_are_not() {
    let seed = "Corporations must invest in at least five types of training, they include executives.";
    let mut m = module("m", &[statement("Fine.", true)]);
    m.lessons[0].body = "We said: corporations MUST invest in at least five types, ten.".into();
    assert_eq!(
        cues::copied::copied_from(seed, std::slice::from_ref(&m)),
        ["m: \"corporations must invest in at least five types\""]
    );
    m.lessons[0].body = "Corporations must invest in at least five kinds of training.".into();
    assert!(cues::copied::copied_from(seed, &[m]).is_empty());
}

#[test]
fn a_country_sees_untagged_questions_and_its_own_regions() {
    let mut eu = statement("A.", true);
    eu.regions = vec!["eu".into()];
    let m = module("m", &[statement("B.", true), eu]);
    let de = Country { id: "de".into(), regions: Some(vec!["eu".into(), "de".into()]) };
    let us = Country { id: "us".into(), regions: Some(vec!["us".into()]) };
    let none = Country { id: "everywhere".into(), regions: None };
    assert_eq!((de.pool(&m).len(), us.pool(&m).len(), none.pool(&m).len()), (2, 1, 2));
    assert!(is_date("2026-12-01") && !is_date("2026-13-01") && !is_date("2026-1-01") && !is_date("26-12-01xx"));
}

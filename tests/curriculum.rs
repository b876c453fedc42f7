//! The shipped curriculum's quality bar, as numbers a test can hold it to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pace::content::{Audience, CalloutKind, Catalog, Module, QuestionKind, embedded, load_paths};

/// The shipped curriculum, or the folder `PACE_CUES_MODULES` names, so a
/// writer can hold a draft to the same bar without rebuilding (see
/// tests/curriculum_cues.rs).
fn shipped() -> Catalog {
    let Some(dir) = std::env::var_os("PACE_CUES_MODULES") else { return embedded() };
    let dir = std::path::PathBuf::from(dir);
    load_paths(std::slice::from_ref(&dir)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn lesson_words(m: &Module) -> Vec<usize> {
    m.lessons
        .iter()
        .map(|l| words(l.body.as_str()) + l.callouts.iter().map(|c| words(c.text.as_str())).sum::<usize>())
        .collect()
}

#[test]
fn five_audience_tracks_rising_101_201_301_plus_the_program_module() {
    let c = shipped();
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    for audience in Audience::ALL {
        let track = c
            .curriculum
            .tracks
            .iter()
            .find(|t| t.audience == audience)
            .unwrap_or_else(|| panic!("no track for {audience:?}"));
        let levels: Vec<u16> = track.modules.iter().filter_map(|id| c.module(id)).map(|m| m.level).collect();
        assert!(levels.len() >= 3, "{}: {levels:?}", track.id);
        for level in [101, 201, 301] {
            assert!(levels.contains(&level), "{} has no {level} module", track.id);
        }
        let mut sorted = levels.clone();
        sorted.sort();
        assert_eq!(levels, sorted, "{} modules rise through the levels", track.id);
    }
    assert!(c.module("program-201-long-term-learning").is_some());
    assert!(c.curriculum.tracks.iter().all(|t| t.modules.iter().all(|id| c.module(id).is_some())));
}

#[test]
fn every_module_meets_the_lesson_and_quiz_bar() {
    let c = shipped();
    let mut failures = Vec::new();
    for m in &c.modules {
        let mut fail = |what: String| failures.push(format!("{}: {what}", m.id));
        if !(3..=6).contains(&m.lessons.len()) {
            fail(format!("{} lessons, want 3-6", m.lessons.len()));
        }
        let counts = lesson_words(m);
        for (l, n) in m.lessons.iter().zip(&counts) {
            if !(250..=800).contains(n) {
                fail(format!("lesson {} has {n} words, want 250-800", l.id));
            }
            if l.callouts.last().map(|c| c.kind) != Some(CalloutKind::KeyTakeaway) {
                fail(format!("lesson {} does not end with a key takeaway", l.id));
            }
        }
        if !m.lessons.iter().flat_map(|l| &l.callouts).any(|c| c.kind == CalloutKind::WhatNoOneTellsYou) {
            fail("no what-no-one-tells-you callout".into());
        }
        let q = &m.quiz;
        let honest = counts.iter().sum::<usize>() as f64 / 200.0 + q.draw as f64 * 0.75;
        if (m.minutes as f64 - honest).abs() > (honest * 0.25).max(3.0) {
            fail(format!("minutes {} but about {honest:.0} by words and questions", m.minutes));
        }
        if q.questions.len() < 10 {
            fail(format!("pool of {}, want at least 10", q.questions.len()));
        }
        let mut kinds: Vec<QuestionKind> = q.questions.iter().map(|q| q.kind).collect();
        kinds.dedup();
        kinds.sort_by_key(|k| format!("{k:?}"));
        kinds.dedup();
        if kinds.len() < 3 || !kinds.contains(&QuestionKind::Scenario) {
            fail(format!("question kinds {kinds:?}, want three or more including scenario"));
        }
        if !(70..=80).contains(&q.pass_mark) || !(6..=8).contains(&q.draw) {
            fail(format!("pass mark {} / draw {}, want 70-80 / 6-8", q.pass_mark, q.draw));
        }
        for question in &q.questions {
            if question.lesson.is_none() {
                fail(format!("question {} names no lesson to revisit", question.id));
            }
            match question.kind {
                QuestionKind::TrueFalse if question.feedback.is_none() => {
                    fail(format!("true-false {} has no feedback", question.id))
                }
                QuestionKind::Ordering | QuestionKind::TrueFalse => {}
                _ => {
                    for o in question.options.iter().filter(|o| !o.correct && o.feedback.is_none()) {
                        fail(format!("wrong option {}/{} has no feedback", question.id, o.id));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn orientation_is_finishable_in_under_45_minutes() {
    let c = shipped();
    let path = c.curriculum.paths.iter().find(|p| p.new_hire).expect("a new-hire path");
    let minutes: u32 = path.modules.iter().map(|id| c.module(id).expect("module").minutes).sum();
    assert!(minutes < 45, "orientation takes {minutes} minutes");
    let topics = path
        .modules
        .iter()
        .flat_map(|id| c.module(id).expect("module").lessons.iter().map(|l| l.title.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ");
    for topic in ["polic", "disclos", "contact", "triage"] {
        assert!(topics.contains(topic), "orientation lessons do not cover {topic}: {topics}");
    }
}

#[test]
fn the_ladder_has_four_levels_up_to_black_belt_and_can_be_climbed_with_shipped_modules() {
    let c = shipped();
    let levels = &c.curriculum.ladder.levels;
    assert!(levels.len() >= 4);
    let path = c.curriculum.paths.iter().find(|p| p.new_hire).expect("path");
    let first = levels.iter().min_by_key(|l| l.rank).expect("first");
    assert!(first.requires.previous.is_none());
    assert!(
        first.requires.modules.iter().all(|m| path.modules.contains(m)),
        "the first level is reachable after orientation"
    );
    let staff = levels.iter().filter(|l| l.is_for(Audience::Employee));
    assert!(staff.max_by_key(|l| l.rank).expect("top").title.contains("Black Belt"));
    // Partners are certified on their own track, and no employee level asks for a partner module.
    let partner: Vec<_> = levels.iter().filter(|l| l.is_for(Audience::Partner)).collect();
    assert_eq!(partner.len(), 1, "one level for partners");
    let partner_track = c.curriculum.tracks.iter().find(|t| t.audience == Audience::Partner).expect("partner track");
    assert_eq!(partner[0].requires.modules, partner_track.modules);
    for level in levels.iter().filter(|l| l.is_for(Audience::Employee)) {
        assert!(level.requires.modules.iter().all(|m| !partner_track.modules.contains(m)), "{}", level.id);
    }
    // A level's minimum score means something: above the pass mark of some module it needs.
    for level in levels {
        assert!(
            level
                .requires
                .modules
                .iter()
                .any(|m| c.module(m).is_some_and(|m| level.requires.min_score > m.quiz.pass_mark)),
            "{}: min_score {} is at or below every pass mark",
            level.id,
            level.requires.min_score
        );
    }
    for level in levels {
        assert!(level.valid_days > 0);
        assert!(level.requires.modules.iter().all(|m| c.module(m).is_some()), "{} needs a missing module", level.id);
        // Every pass mark on the way allows the level's minimum score.
        assert!(level.requires.modules.iter().all(|m| c.module(m).is_some_and(|m| m.quiz.pass_mark <= 100)));
        if let Some(prev) = &level.requires.previous {
            assert!(levels.iter().any(|l| &l.id == prev && l.rank < level.rank));
        }
    }
    // Every module a level needs can be unlocked: its prerequisites are shipped too.
    for level in levels {
        for id in &level.requires.modules {
            let m = c.module(id).expect("module");
            assert!(m.prerequisites.iter().all(|p| c.module(p).is_some()), "{id}");
        }
    }
}

#[test]
fn lessons_use_the_organisation_profile_rather_than_a_company_name() {
    let c = shipped();
    let org = &c.organisation.name;
    let mut named = Vec::new();
    for m in &c.modules {
        for l in &m.lessons {
            if l.body.as_str().contains(org.as_str()) {
                named.push(format!("{}/{}", m.id, l.id));
            }
        }
    }
    assert!(named.is_empty(), "write {{{{company}}}} instead of {org}: {named:?}");
    let uses = c.modules.iter().flat_map(|m| &m.lessons).filter(|l| l.body.as_str().contains("{{")).count();
    assert!(uses >= 10, "only {uses} lessons use placeholders");
}

#[test]
fn no_article_is_glued_to_a_placeholder() {
    // "a {{company}}" reads "a Acme" or "a Example Corp" depending on the name.
    let c = shipped();
    let mut found = Vec::new();
    for m in &c.modules {
        let json = serde_json::to_string(m).unwrap_or_default().to_lowercase();
        for bad in [" a {{", " an {{", "\"a {{", "\"an {{"] {
            if json.contains(bad) {
                found.push(format!("{}: {bad}", m.id));
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

// ---- Quizzes that test understanding, not test-taking (issue 10) ----
// /tmp/pace-tools/quizstats.py computes the same figures in Python.

/// Words that mark an option as absolute; a test-wise learner avoids them.
const ABSOLUTE: [&str; 13] = [
    "always",
    "never",
    "only",
    "all",
    "none",
    "every",
    "everyone",
    "everything",
    "nothing",
    "nobody",
    "guaranteed",
    "completely",
    "entirely",
];

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Single and scenario questions: the ones with exactly one correct option.
fn single_choice(m: &Module) -> impl Iterator<Item = &pace::content::Question> {
    m.quiz.questions.iter().filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Scenario))
}

fn correct_is_strictly_longest(q: &pace::content::Question) -> bool {
    let mut correct = q.options.iter().filter(|o| o.correct);
    let (Some(right), None) = (correct.next(), correct.next()) else { return false };
    q.options.iter().filter(|o| !o.correct).all(|o| chars(&o.text) < chars(&right.text))
}

/// Whether `text` holds one of the absolute words as a whole word, in any case.
fn has_absolute_word(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| ABSOLUTE.contains(&word.to_lowercase().as_str()))
}

/// The chance that a learner who reads nothing gets `q` right: the longest
/// option (ties split evenly), "false", every option without an absolute
/// word, or a random order other than the one shown first.
fn reads_nothing_right(q: &pace::content::Question) -> f64 {
    match q.kind {
        QuestionKind::Single | QuestionKind::Scenario => {
            let longest = q.options.iter().map(|o| chars(&o.text)).max().unwrap_or(0);
            let tied: Vec<_> = q.options.iter().filter(|o| chars(&o.text) == longest).collect();
            tied.iter().filter(|o| o.correct).count() as f64 / tied.len() as f64
        }
        QuestionKind::TrueFalse => f64::from(u8::from(q.answer == Some(false))),
        QuestionKind::Multiple => {
            f64::from(u8::from(q.options.iter().all(|o| o.correct != has_absolute_word(&o.text))))
        }
        QuestionKind::Ordering => {
            let n = q.options.len();
            if n > 1 { 1.0 / ((1..=n).map(|k| k as f64).product::<f64>() - 1.0) } else { 1.0 }
        }
    }
}

/// The exact chance of passing when `draw` questions are drawn at random
/// from a pool whose questions are right with chances `ps`: a DP over how
/// many were drawn and how many of those are right.
fn pass_probability(ps: &[f64], draw: usize, pass_mark: u32) -> f64 {
    let n = ps.len();
    let draw = draw.min(n);
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
    let draws: f64 = (0..draw).map(|i| (n - i) as f64 / (i + 1) as f64).product();
    (0..=draw).filter(|&c| (c * 100 / draw) as u32 >= pass_mark).map(|c| dp[draw][c]).sum::<f64>() / draws
}

fn reads_nothing_pass(m: &Module) -> f64 {
    let ps: Vec<f64> = m.quiz.questions.iter().map(reads_nothing_right).collect();
    pass_probability(&ps, m.quiz.draw, m.quiz.pass_mark)
}

#[test]
fn the_correct_option_is_the_strictly_longest_in_at_most_30_percent_of_single_choice_questions() {
    let c = shipped();
    let mut over = Vec::new();
    for m in &c.modules {
        let total = single_choice(m).count();
        let longest = single_choice(m).filter(|q| correct_is_strictly_longest(q)).count();
        if longest * 10 > total * 3 {
            over.push(format!("{}: {longest} of {total}", m.id));
        }
    }
    assert!(over.is_empty(), "correct option strictly the longest in more than 30%:\n{}", over.join("\n"));
}

#[test]
fn correct_answers_are_spread_across_positions() {
    let c = shipped();
    let mut bunched = Vec::new();
    for m in &c.modules {
        let positions: Vec<usize> = single_choice(m).filter_map(|q| q.options.iter().position(|o| o.correct)).collect();
        let most = (0..10).map(|p| positions.iter().filter(|&&x| x == p).count()).max().unwrap_or(0);
        if most * 2 > positions.len() {
            bunched.push(format!("{}: positions {positions:?}", m.id));
        }
        let multiple: Vec<_> = m.quiz.questions.iter().filter(|q| q.kind == QuestionKind::Multiple).collect();
        let first = |q: &&pace::content::Question| {
            let k = q.options.iter().filter(|o| o.correct).count();
            q.options[..k].iter().all(|o| o.correct)
        };
        if !multiple.is_empty() && multiple.iter().all(first) {
            bunched.push(format!("{}: the correct options come first in every multiple-choice question", m.id));
        }
    }
    assert!(bunched.is_empty(), "{}", bunched.join("\n"));
}

#[test]
fn true_false_answers_are_40_to_60_percent_true() {
    let c = shipped();
    let answers: Vec<bool> = c
        .modules
        .iter()
        .flat_map(|m| &m.quiz.questions)
        .filter(|q| q.kind == QuestionKind::TrueFalse)
        .filter_map(|q| q.answer)
        .collect();
    let true_ = answers.iter().filter(|a| **a).count();
    assert!(!answers.is_empty());
    let share = true_ as f64 / answers.len() as f64;
    assert!((0.4..=0.6).contains(&share), "{true_} of {} true-false answers are true ({share:.2})", answers.len());
}

/// In every country the organisation lists: each sees its own pool (the
/// untagged questions and its regions'), so each is measured on its own.
#[test]
fn a_learner_who_reads_nothing_almost_never_passes() {
    let c = shipped();
    let mut views: Vec<(String, Catalog)> =
        c.organisation.countries.iter().filter_map(|k| Some((k.id.clone(), c.for_country(&k.id)?))).collect();
    if views.is_empty() {
        views.push(("everywhere".into(), c));
    }
    let mut failures = Vec::new();
    for (country, view) in &views {
        let figures: Vec<(&str, f64)> = view.modules.iter().map(|m| (m.id.as_str(), reads_nothing_pass(m))).collect();
        let table: String = figures.iter().map(|(id, p)| format!("{id:45} {:5.1}%\n", p * 100.0)).collect();
        println!("{country}:\n{table}");
        for (id, p) in figures.iter().filter(|(_, p)| *p > 0.15) {
            failures
                .push(format!("{country}, {id}: passes {:.1}% of attempts without reading (15% at most)", p * 100.0));
        }
        let mean = figures.iter().map(|(_, p)| p).sum::<f64>() / figures.len() as f64;
        if mean > 0.05 {
            failures.push(format!(
                "{country}: passes {:.1}% of attempts on average without reading (5% at most)",
                mean * 100.0
            ));
        }
    }
    assert!(views.len() > 1, "the shipped organisation lists several countries");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_reads_nothing_model_and_the_dp_match_hand_counts() {
    // Pool of 3, draw 2, pass at 50: right with chances 1, 0, 0.5. Draws:
    // {1,0}: passes iff one right = 1. {1,.5}: always >= 1 of 2. {0,.5}: .5.
    // (1 + 1 + .5) / 3 draws.
    assert!((pass_probability(&[1.0, 0.0, 0.5], 2, 50) - 2.5 / 3.0).abs() < 1e-12);
    // Pass at 100 with the same pool: {1,0}: 0; {1,.5}: .5; {0,.5}: 0.
    assert!((pass_probability(&[1.0, 0.0, 0.5], 2, 100) - 0.5 / 3.0).abs() < 1e-12);
    // floor(100 * 2 / 3) = 66 does not reach 67.
    assert_eq!(pass_probability(&[1.0, 1.0, 0.0], 3, 67), 0.0);
    assert!(has_absolute_word("You ALWAYS ask") && has_absolute_word("all.") && !has_absolute_word("Allow it"));
    assert!(!has_absolute_word("finally, usually") && has_absolute_word("none-of-them"));
}

/// Every piece of text in a module, as its JSON (placeholders unresolved).
fn module_text(m: &Module) -> String {
    serde_json::to_string(m).unwrap_or_default()
}

/// Whether `text` holds `phrase` (any case) not inside a longer word.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let (text, phrase) = (text.to_lowercase(), phrase.to_lowercase());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(&phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        (!word(phrase.chars().next()) || !word(before)) && (!word(phrase.chars().next_back()) || !word(after))
    })
}

#[test]
fn no_lesson_or_question_mentions_the_source_it_was_written_from() {
    let c = shipped();
    let mut found = Vec::new();
    for m in &c.modules {
        let text = module_text(m);
        for phrase in ["the source", "source article", "the article", "the author"] {
            if contains_phrase(&text, phrase) {
                found.push(format!("{}: \"{phrase}\"", m.id));
            }
        }
    }
    assert!(found.is_empty(), "learners never see the source document:\n{}", found.join("\n"));
}

#[test]
fn the_2011_figures_appear_in_one_module_at_most() {
    let c = shipped();
    let with: Vec<&str> = c
        .modules
        .iter()
        .filter(|m| {
            let text = module_text(m);
            ["2011", "$23,000", "37%", "37 %"].iter().any(|figure| contains_phrase(&text, figure))
        })
        .map(|m| m.id.as_str())
        .collect();
    assert!(with.len() <= 1, "the 2011 figures are history, kept once: {with:?}");
    assert!(contains_phrase("in 2011 it was", "2011") && !contains_phrase("20110", "2011"));
    assert!(contains_phrase("(37%)", "37%") && !contains_phrase("137%", "37%"));
}

#[test]
fn partner_modules_point_to_partner_contacts_not_internal_ones() {
    let c = shipped();
    let partner_track: Vec<&String> =
        c.curriculum.tracks.iter().filter(|t| t.audience == Audience::Partner).flat_map(|t| &t.modules).collect();
    let mut found = Vec::new();
    for m in c.modules.iter().filter(|m| m.audiences.contains(&Audience::Partner) || partner_track.contains(&&m.id)) {
        let text = module_text(m);
        for internal in [
            "{{crisis_contact}}",
            "{{brand_guidelines_url}}",
            "{{library_url}}",
            "{{coe_email}}",
            "{{coe_chat}}",
            "{{social_policy_url}}",
        ] {
            let n = text.matches(internal).count();
            if n > 0 {
                found.push(format!("{}: {internal} x{n}", m.id));
            }
        }
    }
    assert!(found.is_empty(), "partners are outside the company:\n{}", found.join("\n"));
}

#[test]
fn the_curriculum_validates_with_no_warnings() {
    let c = shipped();
    let shown: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

/// The trainer starts with `shipped()`, which parses the shipped curriculum
/// without checking or cleaning it again: that is sound only while the
/// checked load finds nothing and the sanitiser has nothing to remove.
#[test]
fn the_trainer_starts_with_the_shipped_curriculum_exactly_as_checked() {
    let checked = embedded();
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let shipped = pace::content::shipped();
    assert!(shipped.problems.is_empty());
    assert_eq!(json(&checked.modules), json(&shipped.modules));
    assert_eq!(json(&checked.curriculum), json(&shipped.curriculum));
    assert_eq!(json(&checked.organisation), json(&shipped.organisation));
    assert_eq!(checked.files, shipped.files);
    assert_eq!(checked.curriculum_derived, shipped.curriculum_derived);
    for m in &shipped.modules {
        assert_eq!(checked.module(&m.id).map(|c| &c.id), Some(&m.id));
        let mut cleaned = m.clone();
        pace::content::sanitize::module(&mut cleaned);
        assert_eq!(json(&cleaned), json(m), "the sanitiser would change {}", m.id);
    }
    let mut curriculum = shipped.curriculum.clone();
    pace::content::sanitize::curriculum(&mut curriculum);
    assert_eq!(json(&curriculum), json(&shipped.curriculum));
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialise")
}

/// The trainer's first screen is drawn from `shipped_outline()`: the
/// shipped catalog without lesson texts, callouts, resources or questions.
#[test]
fn the_outline_is_the_shipped_catalog_without_texts_or_questions() {
    let shipped = pace::content::shipped();
    let outline = pace::content::shipped_outline().expect("outline");
    let mut emptied = shipped.modules.clone();
    for m in &mut emptied {
        m.schema = None;
        m.quiz.questions.clear();
        for l in &mut m.lessons {
            l.body = Default::default();
            l.callouts.clear();
            l.resources.clear();
        }
    }
    assert_eq!(json(&emptied), json(&outline.modules));
    assert_eq!(json(&shipped.curriculum), json(&outline.curriculum));
    assert_eq!(json(&shipped.organisation), json(&outline.organisation));
    assert_eq!(shipped.files, outline.files);
    assert!(outline.problems.is_empty());
    assert!(outline.modules.iter().all(|m| shipped.module(&m.id).is_some() && outline.module(&m.id).is_some()));
}

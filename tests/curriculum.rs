//! The shipped curriculum's quality bar, as numbers a test can hold it to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pace::content::{Audience, CalloutKind, Module, QuestionKind, embedded};

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
    let c = embedded();
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
    let c = embedded();
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
    let c = embedded();
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
    let c = embedded();
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
    let c = embedded();
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
    let c = embedded();
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

//! Documents pace writes for people keep their shape whatever a learner
//! typed: a certificate stays on one page for a 10,000-character name or a
//! name with newlines, and a note cannot add headings or raw HTML to the
//! Markdown notes export.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use common::{Run, run_pace};
use pace::content::{self, Audience, QuestionKind};
use pace::records::{DrawnQuestion, Given, Records};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";

fn now() -> String {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap().to_rfc3339()
}

/// A records file where `name` holds social-ready, earned at fixed times.
fn certified(dir: &Path, name: &str) -> PathBuf {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let path = dir.join("pace.sqlite3");
    let catalog = content::embedded();
    let mut records = Records::open(&path).expect("open");
    let learner = records
        .add_learner(
            &pace::records::NewLearner::named("Placeholder", Audience::Employee, true),
            t0 - Duration::hours(2),
        )
        .expect("learner");
    let mut attempts = Vec::new();
    for module in [M101, M201] {
        let m = catalog.module(module).expect("module");
        let q = m.quiz.questions.iter().find(|q| q.kind == QuestionKind::Single).expect("single");
        let draw =
            vec![DrawnQuestion { question: q.id.clone(), options: q.options.iter().map(|o| o.id.clone()).collect() }];
        let attempt = records.start_attempt(learner.id, module, &m.version, draw, t0).expect("start");
        let chosen: Vec<String> = q.options.iter().filter(|o| o.correct).map(|o| o.id.clone()).collect();
        let given = Given { module, question: &q.id, chosen: &chosen, correct: true };
        records.record_answer(learner.id, attempt.id, given, t0).expect("answer");
        records.finish_attempt(attempt.id, m.quiz.pass_mark, t0 + Duration::minutes(5)).expect("finish");
        attempts.push(attempt.id);
    }
    let grant = pace::records::NewGrant {
        level: "social-ready",
        granted_at: t0,
        expires_at: t0 + Duration::days(365),
        attempts: &attempts,
        organisation: &catalog.organisation.name,
    };
    records.grant_level(learner.id, grant).expect("grant");
    drop(records);
    // Today's pace caps and cleans names as it records them; a file from
    // before that can hold any name, and the documents must still hold.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute("UPDATE learners SET name = ?2 WHERE id = ?1", rusqlite::params![learner.id, name]).expect("name");
    path
}

fn certificate(name: &str, args: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = certified(dir.path(), name);
    let mut all = vec!["certificate"];
    all.extend_from_slice(args);
    let run = run_pace(&db, &now(), &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, run)
}

/// The lines that name the learner in a text certificate.
fn name_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.trim() == "This certifies that").expect("lead") + 1;
    let to = lines.iter().position(|l| l.trim() == "holds the level").expect("level line");
    lines[from..to].iter().map(|l| l.to_string()).collect()
}

#[test]
fn a_text_certificate_keeps_its_shape_for_any_name() {
    let (_d, normal) = certificate("Ana Ruiz", &[]);
    for name in ["W".repeat(10_000), "Ana\nRuiz\r\nSecond line".to_string(), "Jo ".repeat(3_000)] {
        let (_d, run) = certificate(&name, &[]);
        let names = name_lines(&run.stdout);
        assert!((1..=2).contains(&names.len()), "{names:?}");
        assert!(
            run.stdout.lines().count() <= normal.stdout.lines().count() + 1,
            "the certificate grew:\n{}",
            run.stdout
        );
        assert!(names.iter().all(|l| l.chars().count() <= 68), "{}", run.stdout);
    }
    let (_d, run) = certificate("Ana\nRuiz", &[]);
    assert_eq!(name_lines(&run.stdout).iter().map(|l| l.trim()).collect::<Vec<_>>(), ["Ana Ruiz"]);
}

#[test]
fn an_html_certificate_shrinks_and_cuts_a_long_name() {
    for (name, class, shown) in [
        ("Ana Ruiz".to_string(), "\"learner\"", 8),
        ("Maximiliana ".repeat(5), "\"learner long\"", 59),
        ("W".repeat(10_000), "\"learner longer\"", 120),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("cert.html");
        let db = certified(dir.path(), &name);
        let run = run_pace(&db, &now(), &["certificate", "--out", out.to_str().expect("utf-8")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let page = std::fs::read_to_string(&out).expect("page");
        let start = page.find(&format!("<span class={class}>")).unwrap_or_else(|| panic!("{class} missing"));
        let text = &page[start..];
        let text = &text[text.find('>').expect(">") + 1..text.find("</span>").expect("end")];
        assert_eq!(text.chars().count(), shown, "{text}");
        // The message saying where it went fits on a line or two, long name or not.
        assert!(run.stdout.chars().count() < 300, "{}", run.stdout);
        assert!(run.stdout.contains("Wrote the certificate of"), "{}", run.stdout);
    }
}

/// Learners listed in a message are each in quotes, so a name holding a
/// comma reads as one name; a long one is cut.
#[test]
fn learner_lists_are_not_ambiguous_when_names_hold_commas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = certified(dir.path(), "Ruiz, Ana");
    let mut records = Records::open(&db).expect("open");
    let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    records.add_learner(&pace::records::NewLearner::named("Ben", Audience::Employee, false), t0).expect("ben");
    drop(records);
    rusqlite::Connection::open(&db)
        .expect("raw")
        .execute("UPDATE learners SET name = ?1 WHERE name = 'Ben'", [&"B".repeat(10_000)])
        .expect("a long name");
    let run = run_pace(&db, &now(), &["progress"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("\"Ruiz, Ana\""), "{}", run.stderr);
    assert!(run.stderr.contains("more characters)"), "{}", run.stderr);
    assert!(run.stderr.chars().count() < 400, "{}", run.stderr);
}

#[test]
fn a_note_cannot_change_the_structure_of_the_markdown_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = content::embedded();
    let lesson = catalog.module(M101).expect("module").lessons[0].id.clone();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let mut records = Records::open(&db).expect("open");
    let ana = records
        .add_learner(&pace::records::NewLearner::named("Ana *Ruiz* <b>", Audience::Employee, false), t0)
        .expect("ana");
    let body = "# not a heading\n<script>alert(1)</script>\n```\nout of the fence?\n````\n\n## nor this\n- x";
    records.save_note(ana.id, M101, &lesson, body, t0).expect("note");
    records.import_note(ana.id, M101, &lesson, "Eve\n# evil <img src=x>", "=== hi\n<b>bold</b>", t0).expect("import");
    drop(records);

    let run = run_pace(&db, &now(), &["notes", "export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = &run.stdout;
    let mut headings = Vec::new();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut code = String::new();
    let mut in_code = false;
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if in_code => code.push_str(&t),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML reached the export: {h:?}\n{md}"),
            _ => {}
        }
    }
    let levels: Vec<HeadingLevel> = headings.iter().map(|(l, _)| *l).collect();
    assert_eq!(levels, [HeadingLevel::H1, HeadingLevel::H2, HeadingLevel::H3], "{headings:?}\n{md}");
    assert_eq!(headings[0].1, "Notes of Ana *Ruiz* <b>", "{md}");
    assert!(code.contains(body), "the note's lines are kept as written:\n{md}");
    assert!(code.contains("=== hi\n<b>bold</b>"), "{md}");
}

//! `pace progress` prints the dashboard's facts without the trainer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use pace::content::{Audience, embedded};
use pace::learning::quiz;
use pace::records::{Given, Records};

fn pass(records: &mut Records, learner: i64, module: &str, at: chrono::DateTime<Utc>) {
    let catalog = embedded();
    let m = catalog.module(module).expect("module");
    let draw = quiz::draw(m, &mut fastrand::Rng::with_seed(3));
    let attempt = records.start_attempt(learner, module, &m.version, draw.clone(), at).expect("start");
    for d in &draw {
        let chosen = vec![d.options[0].clone()];
        records
            .record_answer(
                learner,
                attempt.id,
                Given { module, question: &d.question, chosen: &chosen, correct: true },
                at,
            )
            .expect("answer");
    }
    records.finish_attempt(attempt.id, m.quiz.pass_mark, at).expect("finish");
}

fn pace(db: &std::path::Path, now: &str, args: &[&str]) -> (String, String, i32) {
    let run = common::run_pace(db, now, args);
    (run.stdout, run.stderr, run.code)
}

#[test]
fn progress_shows_level_next_steps_tracks_and_scores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let t0 = Utc.with_ymd_and_hms(2027, 1, 10, 9, 0, 0).unwrap();
    {
        let mut r = Records::open(&db).expect("records");
        let ana =
            r.add_learner(&pace::records::NewLearner::named("Ana Ruiz", Audience::Employee, true), t0).expect("ana");
        pass(&mut r, ana.id, "employee-101-social-media-at-work", t0);
        pass(&mut r, ana.id, "employee-201-contacts-and-complaint-triage", t0 + Duration::hours(1));
        let grant = pace::records::NewGrant {
            level: "social-ready",
            granted_at: t0 + Duration::hours(1),
            expires_at: t0 + Duration::days(365),
            attempts: &[1, 2],
            organisation: "Example Corp",
        };
        r.grant_level(ana.id, grant).expect("grant");
    }
    let (text, err, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Ana Ruiz (Employee, new hire)\n"), "{text}");
    assert!(text.contains("Level: Social Ready (active until 2028-01-10)"), "{text}");
    assert!(text.contains("Next: Social Practitioner - 3 requirements left"), "{text}");
    assert!(text.contains("Representing the company online: pass its quiz at 80% or more"), "{text}");
    assert!(text.contains("Employees"), "{text}");
    assert!(text.contains("100%  pass  Who to call and how to triage a complaint"), "{text}");

    let (json, _, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["current_level"]["id"], "social-ready");
    assert_eq!(v["modules_passed"], 2);
    assert_eq!(v["tracks"].as_array().map(Vec::len), Some(6));

    // A year on, the level has expired and says so.
    let (text, _, _) = pace(&db, "2028-02-01T09:00:00Z", &["progress"]);
    assert!(text.contains("Level: none yet"), "{text}");
    assert!(text.contains("  Social Ready  expired 2028-01-10"), "{text}");
}

#[test]
fn progress_columns_line_up_by_display_width_within_100_columns_in_a_pipe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let t0 = Utc.with_ymd_and_hms(2027, 1, 10, 9, 0, 0).unwrap();
    {
        let mut r = Records::open(&db).expect("records");
        let zoe = r
            .add_learner(&pace::records::NewLearner::named("Zoë 李小龍", Audience::Partner, false), t0)
            .expect("learner");
        pass(&mut r, zoe.id, "partner-101-why-social-matters", t0);
    }
    let (text, err, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress"]);
    assert_eq!(code, 0, "{err}");
    use unicode_width::UnicodeWidthStr;
    assert!(text.lines().all(|l| l.width() <= 100), "{text}");
    let header = text.lines().find(|l| l.starts_with("Track")).expect("tracks header");
    let done_ends = header.find("Done").expect("Done") + "Done".len();
    let catalog = embedded();
    for track in &catalog.curriculum.tracks {
        let line = text.lines().find(|l| l.starts_with(&track.title)).expect("track line");
        let percent_end = line.find('%').expect("percent") + 1;
        assert_eq!(line[..percent_end].width(), header[..done_ends].width(), "{line}\n{header}");
    }
}

#[test]
fn progress_needs_a_learner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    // A read-only command never creates a records file.
    let (_, err, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress"]);
    assert_eq!(code, 1);
    assert!(err.contains("no records file at"), "{err}");
    assert!(!db.exists());
    drop(Records::open(&db).expect("records"));
    let (_, err, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress"]);
    assert_eq!(code, 1);
    assert!(err.contains("no learners in"), "{err}");
    let (_, err, code) = pace(&db, "2027-01-11T09:00:00Z", &["progress", "--learner", "Zed"]);
    assert_eq!(code, 1);
    assert!(err.contains("no learner named \"Zed\""), "{err}");
    let (_, err, code) = pace(&db, "not-a-time", &["progress"]);
    assert_eq!(code, 2);
    assert!(err.contains("PACE_NOW"), "{err}");
}

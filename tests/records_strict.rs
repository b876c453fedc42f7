//! A record pace cannot read is an error the user sees (naming the table,
//! row and column, and pointing at `pace doctor`), never a default that
//! quietly turns a learner's history into something else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::rc::Rc;

use common::*;
use pace::content::{Audience, embedded};
use pace::learning::clock::Clock;
use pace::learning::session::Session;
use pace::records::{NewLearner, Records, RecordsError};
use pace::tui::{MainView, Overlay, Row};

fn raw(db: &std::path::Path, sql: &str) {
    rusqlite::Connection::open(db).expect("raw").execute_batch(sql).expect("sql");
}

#[test]
fn a_corrupt_quiz_draw_is_an_error_not_a_failed_quiz() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Ana", false);
    expand(&mut app, history::M101);
    open_row(&mut app, &Row::Quiz { module: history::M101.into() });
    answer(&mut app, true);
    drop(app);
    raw(&db, "UPDATE quiz_attempts SET draw = 'not json'");

    // The library says what is wrong and where.
    let records = Records::open(&db).expect("records");
    let err = records.attempts(1).expect_err("a draw pace cannot read");
    let text = err.to_string();
    assert!(matches!(err, RecordsError::Unreadable { .. }), "{text}");
    assert!(text.contains("quiz_attempts") && text.contains("draw") && text.contains("pace doctor"), "{text}");

    // The trainer shows it, and neither finishes the attempt nor records a result.
    let app = app_with(embedded(), records, Some("Ana"), (100, 30));
    let Some(Overlay::Message { title, text }) = &app.overlay else { panic!("a message, got none") };
    assert_eq!(title, "The records file is damaged");
    assert!(text.contains("pace doctor"), "{text}");
    assert!(!matches!(app.main, MainView::Quiz(_)));
    let finished: i64 = rusqlite::Connection::open(&db)
        .expect("raw")
        .query_row("SELECT count(*) FROM quiz_attempts WHERE finished_at IS NOT NULL", [], |r| r.get(0))
        .expect("count");
    assert_eq!(finished, 0, "no 0/0 result was recorded");
}

#[test]
fn an_unknown_role_or_a_broken_timestamp_is_an_error_not_a_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    {
        let mut r = Records::open(&db).expect("records");
        r.add_learner(&NewLearner::named("Ana", Audience::Coe, false), t0()).expect("ana");
    }
    raw(&db, "UPDATE learners SET role = 'wizard'");
    let err = Records::open(&db).expect("records").learners().expect_err("an unknown role");
    assert!(err.to_string().contains("role") && err.to_string().contains("wizard"), "{err}");
    let run = run_pace(&db, "2026-12-01T09:00:00Z", &["progress"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("wizard"), "{}", run.stderr);

    raw(&db, "UPDATE learners SET role = 'coe', created_at = 'yesterday'");
    let err = Records::open(&db).expect("records").learners().expect_err("a broken timestamp");
    assert!(err.to_string().contains("created_at") && err.to_string().contains("yesterday"), "{err}");

    // Grants too: no grant quietly becomes one from 1970.
    raw(&db, "UPDATE learners SET created_at = '2026-11-27T09:00:00Z'");
    raw(
        &db,
        "INSERT INTO certifications (learner_id, level_id, granted_at, expires_at, attempts, uuid)
         VALUES (1, 'social-ready', 'soon', '2027-11-27T09:00:00Z', '[]', 'u')",
    );
    let err = Records::open(&db).expect("records").grants(1).expect_err("a broken grant time");
    assert!(err.to_string().contains("certifications") && err.to_string().contains("granted_at"), "{err}");
}

#[test]
fn an_answer_and_its_review_schedule_land_together() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = Rc::new(embedded());
    let mut s =
        Session::new(Rc::clone(&catalog), Records::open(&db).expect("open"), Clock::Fixed(t0()), Some(3), false);
    let ana = s.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
    s.enter(ana).expect("enter");
    let open = s.open_quiz(history::M101, false).expect("quiz");
    let module = catalog.module(history::M101).expect("module");
    let q = module.quiz.questions.iter().find(|q| q.id == open.draw[0].question).expect("q");
    // A trigger makes the review-schedule write fail: the answer must not land without it.
    raw(&db, "CREATE TRIGGER refuse BEFORE INSERT ON review_items BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    let wrong = history::chosen(q, false);
    assert!(s.answer(Some(open.attempt_id), &module.id, &q.id, &wrong).is_err());
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(&db).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
    };
    assert_eq!(count("SELECT count(*) FROM answers"), 0, "one event, one transaction: no answer without its schedule");
    raw(&db, "DROP TRIGGER refuse");
    s.answer(Some(open.attempt_id), &module.id, &q.id, &wrong).expect("the same answer, asked again");
    assert_eq!(count("SELECT count(*) FROM answers"), 1);
    assert_eq!(count("SELECT count(*) FROM review_items"), 1);
}

#[test]
fn a_finished_quiz_and_the_level_it_earns_land_together() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = Rc::new(embedded());
    let mut s =
        Session::new(Rc::clone(&catalog), Records::open(&db).expect("open"), Clock::Fixed(t0()), Some(5), false);
    let ana = s.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
    s.enter(ana).expect("enter");
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(&db).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
    };
    for (i, module) in [history::M101, history::M201].into_iter().enumerate() {
        let open = s.open_quiz(module, false).expect("quiz");
        let m = catalog.module(module).expect("module");
        for d in &open.draw {
            let q = m.quiz.questions.iter().find(|q| q.id == d.question).expect("q");
            s.answer(Some(open.attempt_id), module, &q.id, &history::chosen(q, true)).expect("answer");
        }
        if i == 1 {
            // The second pass earns Social Ready; make the grant's write fail.
            raw(
                &db,
                "CREATE TRIGGER refuse BEFORE INSERT ON certifications BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            );
            assert!(s.finish_quiz(&open).is_err(), "the grant failed, so the finish fails");
            assert_eq!(
                count("SELECT count(*) FROM quiz_attempts WHERE finished_at IS NOT NULL"),
                1,
                "not finished either"
            );
            raw(&db, "DROP TRIGGER refuse");
        }
        let result = s.finish_quiz(&open).expect("finish");
        assert!(result.passed);
        if i == 1 {
            assert_eq!(result.new_levels, ["Social Ready"]);
        }
    }
    assert_eq!(count("SELECT count(*) FROM certifications"), 1);
}

/// Entering reads the learner's standing and grants a level already earned
/// but not yet recorded (here: its grant removed); a start with nothing to
/// grant writes nothing at all, so it never waits on another window's write.
#[test]
fn entering_grants_a_level_waiting_and_otherwise_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = Rc::new(embedded());
    let session =
        || Session::new(Rc::clone(&catalog), Records::open(&db).expect("open"), Clock::Fixed(t0()), Some(5), false);
    let mut s = session();
    let ana = s.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
    s.enter(ana.clone()).expect("enter");
    for module in [history::M101, history::M201] {
        let open = s.open_quiz(module, false).expect("quiz");
        let m = catalog.module(module).expect("module");
        for d in &open.draw {
            let q = m.quiz.questions.iter().find(|q| q.id == d.question).expect("q");
            s.answer(Some(open.attempt_id), module, &q.id, &history::chosen(q, true)).expect("answer");
        }
        assert!(s.finish_quiz(&open).expect("finish").passed);
    }
    drop(s);
    let watcher = rusqlite::Connection::open(&db).expect("raw");
    let version = || -> i64 { watcher.query_row("PRAGMA data_version", [], |r| r.get(0)).expect("data_version") };
    let certifications =
        || -> i64 { watcher.query_row("SELECT count(*) FROM certifications", [], |r| r.get(0)).expect("n") };
    assert_eq!(certifications(), 1);

    // Another window is in the middle of a write: entering does not wait for it.
    watcher.execute_batch("BEGIN IMMEDIATE").expect("another window writes");
    let before = version();
    // A write would have waited out the records' whole busy timeout (5 s)
    // before failing; entering that only reads takes a small part of it,
    // even on a busy machine.
    let start = std::time::Instant::now();
    assert_eq!(session().enter_untouched(ana.clone()).expect("enter"), Vec::<String>::new());
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "entering waited on the other window's write");
    assert_eq!(version(), before, "nothing to grant: the file is not written");
    watcher.execute_batch("COMMIT").expect("commit");

    raw(&db, "DELETE FROM certifications");
    let before = version();
    assert_eq!(session().enter_untouched(ana).expect("enter"), ["Social Ready"]);
    assert_eq!(certifications(), 1, "the level waiting is granted on entering");
    assert_ne!(version(), before);
}

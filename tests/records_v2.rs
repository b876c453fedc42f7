//! Records version 2: release 1's files migrate intact behind a backup, two
//! processes on one attempt can never score it over 100%, and learners are
//! one identity per person across workstations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::rc::Rc;

use pace::content::{Audience, embedded};
use pace::export::events::{self, Filter};
use pace::export::xapi;
use pace::learning::clock::Clock;
use pace::learning::session::Session;
use pace::records::{LATEST_VERSION, NewLearner, Records, RecordsError};

fn copy_fixture(name: &str, dir: &Path) -> PathBuf {
    let to = dir.join("pace.sqlite3");
    std::fs::copy(Path::new("tests/fixtures/records").join(name), &to).expect("copy fixture");
    to
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).expect("raw").query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn a_release_one_file_migrates_intact_behind_a_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_fixture("v1.sqlite3", dir.path());
    let old = |sql: &str| count(&dir.path().join("pace.sqlite3.v1.bak"), sql);
    let fixture = |sql: &str| count(Path::new("tests/fixtures/records/v1.sqlite3"), sql);

    let records = Records::open(&db).expect("a release 1 file opens");
    let upgrade = records.upgraded().expect("it was upgraded").clone();
    assert_eq!((upgrade.from, upgrade.to), (1, LATEST_VERSION));
    assert_eq!(upgrade.backup, dir.path().join("pace.sqlite3.v1.bak"));
    assert_eq!(old("PRAGMA user_version"), 1, "the backup is the file as it was");
    for table in ["learners", "answers", "certifications", "notes", "quiz_attempts", "lesson_progress"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(old(&sql), fixture(&sql), "{table} in the backup");
    }

    let learners = records.learners().expect("learners");
    assert_eq!(learners.len(), 3);
    let mut names: Vec<&str> = learners.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Ana Ruiz", "Chloé Zhang", "O'Neil, \"Benny\"\nJr"], "names kept as recorded");
    assert!(learners.iter().all(|l| uuid::Uuid::parse_str(&l.uuid).is_ok()), "every learner got a UUID");
    let mut uuids: Vec<&str> = learners.iter().map(|l| l.uuid.as_str()).collect();
    uuids.dedup();
    assert_eq!(uuids.len(), 3);
    for table in ["answers", "certifications", "notes", "quiz_attempts", "lesson_progress"] {
        assert_eq!(count(&db, &format!("SELECT count(*) FROM {table}")), old(&format!("SELECT count(*) FROM {table}")));
    }
    let ana = learners.iter().find(|l| l.name == "Ana Ruiz").expect("ana");
    assert_eq!(records.grants(ana.id).expect("grants").len(), 1);
    assert_eq!(records.notes(ana.id).expect("notes").len(), 1);
    assert_eq!(records.attempts(ana.id).expect("attempts").len(), 3);
    drop(records);

    // Said once: the next open finds nothing to do.
    let again = Records::open(&db).expect("reopen");
    assert!(again.upgraded().is_none());
}

#[test]
fn the_command_line_says_once_that_it_upgraded_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_fixture("v1.sqlite3", dir.path());
    // A command that only reads refuses it; the trainer's upgrade is `doctor --upgrade` here.
    let refused = common::run_pace(&db, "2026-12-01T09:00:00Z", &["report"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    let first = common::run_pace(&db, "2026-12-01T09:00:00Z", &["doctor", "--upgrade"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("pace.sqlite3.v1.bak"), "{}", first.stdout);
    let report = common::run_pace(&db, "2026-12-01T09:00:00Z", &["report"]);
    assert!(report.stdout.contains("Ana Ruiz"), "{}{}", report.stdout, report.stderr);
    let second = common::run_pace(&db, "2026-12-01T09:00:00Z", &["doctor", "--upgrade"]);
    assert!(second.stdout.contains("nothing to upgrade"), "{}", second.stdout);
}

#[test]
fn an_attempt_answered_from_two_windows_in_release_one_is_recounted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_fixture("v1-two-windows.sqlite3", dir.path());
    assert_eq!(count(&db, "SELECT score FROM quiz_attempts"), 166, "the fixture shows the bug");
    let records = Records::open(&db).expect("open");
    let attempt = records.attempt(1).expect("read").expect("attempt");
    assert_eq!((attempt.correct, attempt.total, attempt.score), (Some(6), Some(6), Some(100)));
    assert_eq!(records.answers(1).expect("answers").len(), 6, "one answer per question counts");
    assert_eq!(count(&db, "SELECT count(*) FROM answers"), 10, "the later answers are kept");
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE source = 'duplicate'"), 4);
    // The schema itself now refuses an impossible score.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    assert!(raw.execute("UPDATE quiz_attempts SET correct = 10 WHERE id = 1", []).is_err());
    assert!(raw.execute("UPDATE quiz_attempts SET score = 166 WHERE id = 1", []).is_err());
}

/// What a window prints once its attempt is open, before it answers.
const READY: &str = "window ready: the attempt is open";

/// One "window": a separate process (this test binary, re-run on the ignored
/// worker below) answering every question of the learner's open attempt.
/// It opens the attempt, says so on its standard output, and answers only
/// once its standard input is closed, so two windows can be let go together.
struct Window {
    child: Child,
    said: BufReader<ChildStdout>,
}

impl Window {
    fn open(db: &Path) -> Window {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "two_window_worker", "--ignored", "--nocapture"])
            .env("PACE_TEST_WORKER_DB", db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn a window");
        let said = BufReader::new(child.stdout.take().expect("stdout"));
        Window { child, said }
    }

    /// Blocks until the window has its attempt open.
    fn wait_ready(&mut self) {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.said.read_line(&mut line).expect("read the window");
            assert!(n > 0, "the window ended before it had the attempt open: {:?}", self.child.wait());
            if line.trim_end() == READY {
                return;
            }
        }
    }

    fn go(&mut self) {
        drop(self.child.stdin.take());
    }

    /// Waits for the window to end; what it printed after it was let go.
    fn finish(mut self) -> String {
        let mut rest = String::new();
        self.said.read_to_string(&mut rest).expect("read the window");
        assert!(self.child.wait().expect("wait").success(), "a window failed: {rest}");
        rest
    }
}

#[test]
#[ignore = "run by two_processes_on_one_attempt_never_score_over_100"]
fn two_window_worker() {
    let Ok(db) = std::env::var("PACE_TEST_WORKER_DB") else { return };
    let catalog = Rc::new(embedded());
    let records = Records::open(Path::new(&db)).expect("open");
    let mut session = Session::new(Rc::clone(&catalog), records, Clock::Fixed(common::t0()), None, false);
    let ana = session.learner_by_name("Ana").expect("read").expect("ana");
    session.enter(ana).expect("enter");
    let open = session.open_quiz(common::history::M101, false).expect("the open attempt");
    println!("{READY}");
    std::io::stdout().flush().expect("say ready");
    // The end of standard input is the go.
    std::io::stdin().read_to_end(&mut Vec::new()).expect("wait for the go");
    let module = catalog.module(common::history::M101).expect("module");
    let mut refused = 0;
    for d in &open.draw {
        let q = module.quiz.questions.iter().find(|q| q.id == d.question).expect("question");
        let chosen = common::history::chosen(q, true);
        match session.answer(Some(open.attempt_id), &module.id, &q.id, &chosen) {
            Ok(_) => {}
            Err(RecordsError::AlreadyAnswered { .. } | RecordsError::AttemptFinished) => refused += 1,
            Err(e) => panic!("{e}"),
        }
    }
    let done = session.finish_quiz(&open);
    println!("refused {refused}; finished {done:?}");
}

#[test]
fn two_processes_on_one_attempt_never_score_over_100() {
    for round in 0..3 {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("pace.sqlite3");
        {
            let catalog = Rc::new(embedded());
            let mut session = Session::new(
                catalog,
                Records::open(&db).expect("open"),
                Clock::Fixed(common::t0()),
                Some(round),
                false,
            );
            let ana = session.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
            session.enter(ana).expect("enter");
            session.open_quiz(common::history::M101, false).expect("attempt");
        }
        let mut windows = [Window::open(&db), Window::open(&db)];
        // Both windows have the one attempt open before either answers.
        for w in &mut windows {
            w.wait_ready();
        }
        for w in &mut windows {
            w.go();
        }
        let said: Vec<String> = windows.into_iter().map(Window::finish).collect();
        assert_eq!(count(&db, "SELECT count(*) FROM quiz_attempts"), 1, "{said:?}");
        let (draw, answers) = (
            count(&db, "SELECT json_array_length(draw) FROM quiz_attempts"),
            count(&db, "SELECT count(*) FROM answers WHERE source = 'quiz'"),
        );
        assert_eq!(answers, draw, "each question answered once, whichever window was first");
        assert_eq!(count(&db, "SELECT score FROM quiz_attempts"), 100);
        assert_eq!(count(&db, "SELECT correct FROM quiz_attempts"), draw);
    }
}

#[test]
fn a_second_window_continues_at_the_first_unanswered_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = Rc::new(embedded());
    let session = |seed| {
        Session::new(
            Rc::clone(&catalog),
            Records::open(&db).expect("open"),
            Clock::Fixed(common::t0()),
            Some(seed),
            false,
        )
    };
    let mut one = session(1);
    let ana = one.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
    one.enter(ana.clone()).expect("enter");
    let open = one.open_quiz(common::history::M101, false).expect("attempt");
    let module = catalog.module(common::history::M101).expect("module");
    let answer = |s: &mut Session, i: usize| {
        let q = module.quiz.questions.iter().find(|q| q.id == open.draw[i].question).expect("question");
        s.answer(Some(open.attempt_id), &module.id, &q.id, &common::history::chosen(q, true))
    };
    // The first window answers questions 1 and 3 (it skipped ahead after a refusal).
    answer(&mut one, 0).expect("q1");
    answer(&mut one, 2).expect("q3");
    let mut two = session(2);
    two.enter(ana).expect("enter");
    let resumed = two.open_quiz(common::history::M101, false).expect("resume");
    assert_eq!(resumed.attempt_id, open.attempt_id);
    assert_eq!(resumed.next_unanswered(), Some(1), "question 2 is the first one open");
    assert!(matches!(answer(&mut two, 2), Err(RecordsError::AlreadyAnswered { .. })), "question 3 is taken");
    for i in [1, 3, 4, 5] {
        answer(&mut two, i).expect("the rest");
    }
    let result = two.finish_quiz(&resumed).expect("finish");
    assert_eq!((result.correct, result.total, result.score), (6, 6, 100));
    assert!(matches!(answer(&mut one, 1), Err(RecordsError::AttemptFinished)), "a finished attempt takes nothing");
    let again = one.finish_quiz(&open).expect("finishing twice gives the stored result");
    assert_eq!(again.score, 100);
}

fn actor(db: &Path, name: &str) -> serde_json::Value {
    let records = Records::open(db).expect("open");
    let catalog = embedded();
    let builder = xapi::Builder::new(&catalog).expect("builder");
    let events = events::read(&records, &Filter::default()).expect("events");
    let event = events.iter().find(|e| e.learner.name == name).expect("an event");
    builder.statement(event)["actor"].clone()
}

#[test]
fn two_workstations_give_different_people_different_actors_and_one_person_one_actor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    for db in [&a, &b] {
        let mut r = Records::open(db).expect("open");
        // The first learner of each file: the same row id, different people.
        let first = r.add_learner(&NewLearner::named("First Hire", Audience::Employee, true), common::t0()).expect("1");
        assert_eq!(first.id, 1);
        let mut zoe = NewLearner::named("Zoë Martin", Audience::Employee, true);
        zoe.email = Some("Zoe.Martin@Example.com".into());
        let zoe = r.add_learner(&zoe, common::t0()).expect("zoe");
        let mut raj = NewLearner::named("Raj Patel", Audience::Partner, false);
        raj.employee_id = Some("E-1042".into());
        let raj = r.add_learner(&raj, common::t0()).expect("raj");
        for l in [first.id, zoe.id, raj.id] {
            r.complete_lesson(l, common::history::M101, "welcome", common::t0()).expect("event");
        }
    }
    let (first_a, first_b) = (actor(&a, "First Hire"), actor(&b, "First Hire"));
    assert_ne!(first_a["account"]["name"], first_b["account"]["name"], "row id 1 is two people: two UUIDs");
    assert_eq!(actor(&a, "Zoë Martin")["mbox"], "mailto:zoe.martin@example.com");
    assert_eq!(actor(&a, "Zoë Martin"), actor(&b, "Zoë Martin"), "one email, one actor");
    assert_eq!(
        actor(&a, "Raj Patel")["account"],
        serde_json::json!({"homePage": "https://example.com", "name": "E-1042"})
    );
    assert_eq!(actor(&a, "Raj Patel"), actor(&b, "Raj Patel"));

    // One report over both files counts each person once.
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_pace"))
            .args(["report", "--format", "json", "--db"])
            .arg(&a)
            .arg("--db")
            .arg(&b)
            .args(args)
            .env_remove("PACE_MODULES")
            .env("PACE_NOW", "2026-12-01T09:00:00Z")
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).expect("json")
    };
    let rows = run(&[]);
    let names: Vec<&str> = rows.iter().filter_map(|r| r["learner"].as_str()).collect();
    assert_eq!(names, ["First Hire", "First Hire", "Raj Patel", "Zoë Martin"]);
    let zoe = rows.iter().find(|r| r["learner"] == "Zoë Martin").expect("zoe");
    assert_eq!(zoe["email"], "zoe.martin@example.com");
}

#[test]
fn names_are_unique_whatever_their_case_and_emails_belong_to_one_person() {
    let mut r = Records::in_memory().expect("records");
    r.add_learner(&NewLearner::named("Émile Zola", Audience::Employee, false), common::t0()).expect("add");
    let taken = r.add_learner(&NewLearner::named("  ÉMILE   zola ", Audience::Coe, false), common::t0());
    assert!(matches!(taken, Err(RecordsError::LearnerExists(ref name)) if name == "Émile Zola"), "{taken:?}");
    let mut a = NewLearner::named("A", Audience::Employee, false);
    a.email = Some("a@example.com".into());
    r.add_learner(&a, common::t0()).expect("a");
    let mut b = NewLearner::named("B", Audience::Employee, false);
    b.email = Some("A@EXAMPLE.COM".into());
    assert!(matches!(r.add_learner(&b, common::t0()), Err(RecordsError::IdTaken { .. })));
    b.email = Some("not an email".into());
    assert!(matches!(r.add_learner(&b, common::t0()), Err(RecordsError::BadLearner(_))));
}

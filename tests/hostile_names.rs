//! A learner on a shared records file names themselves with escape
//! sequences (OSC 52 sets the clipboard, OSC 0 the window title, a C1 CSI
//! clears the screen). Stored as an older pace stored it, the name reaches
//! no terminal raw: every command's captured stdout and stderr, and the
//! trainer's raw bytes in a pseudo-terminal, carry no ESC, BEL or C1 byte
//! pace did not write for its own drawing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::pty::{Session, assert_no_smuggled_controls};
use pace::content::{self, Audience, Catalog, QuestionKind};
use pace::records::{DrawnQuestion, Given, Records};

/// Sets the clipboard, then rings, then a C1 CSI clears the screen, then a
/// window-title report request.
const EVE: &str = "Eve\u{1b}]52;c;cHduZWQ=\u{7} Smith\u{9b}2J\u{1b}[21t\u{1b}]0;PWNED\u{1b}\\";
/// What pace shows of it.
const EVE_SHOWN: &str = "Eve Smith2J";
const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn pass(records: &mut Records, catalog: &Catalog, learner: i64, module: &str, at: DateTime<Utc>) -> i64 {
    let m = catalog.module(module).expect("module");
    let q = m.quiz.questions.iter().find(|q| q.kind == QuestionKind::Single).expect("single");
    let draw =
        vec![DrawnQuestion { question: q.id.clone(), options: q.options.iter().map(|o| o.id.clone()).collect() }];
    let attempt = records.start_attempt(learner, module, &m.version, draw, at).expect("start");
    let chosen: Vec<String> = q.options.iter().filter(|o| o.correct).map(|o| o.id.clone()).collect();
    let given = Given { module, question: &q.id, chosen: &chosen, correct: true };
    records.record_answer(learner, attempt.id, given, at).expect("answer");
    records.finish_attempt(attempt.id, m.quiz.pass_mark, at + Duration::minutes(5)).expect("finish");
    attempt.id
}

/// Eve (hostile name, a level, a note) and a colleague, in a records file
/// written through the library the way a pace before name cleaning did.
fn setup(dir: &Path) -> PathBuf {
    let path = dir.join("pace.sqlite3");
    let catalog = content::embedded();
    let mut records = Records::open(&path).expect("open");
    let eve = records
        .add_learner(&pace::records::NewLearner::named("Eve", Audience::Employee, true), t0() - Duration::hours(2))
        .expect("eve");
    let a = pass(&mut records, &catalog, eve.id, M101, t0() - Duration::hours(1));
    let b = pass(&mut records, &catalog, eve.id, M201, t0() - Duration::minutes(30));
    let grant = pace::records::NewGrant {
        level: "social-ready",
        granted_at: t0(),
        expires_at: t0() + Duration::days(365),
        attempts: &[a, b],
        organisation: &catalog.organisation.name,
    };
    records.grant_level(eve.id, grant).expect("grant");
    let lesson = &catalog.module(M101).expect("m101").lessons[0].id;
    records.save_note(eve.id, M101, lesson, "note \u{1b}]0;x\u{7}body", t0()).expect("note");
    let bob =
        records.add_learner(&pace::records::NewLearner::named("Bob", Audience::Partner, false), t0()).expect("bob");
    drop(records);
    // pace cleans names as it records them; a file written before that holds them raw.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    for (id, name) in [(eve.id, EVE), (bob.id, "Bob\u{1b}[2J\u{85}")] {
        raw.execute(
            "UPDATE learners SET name = ?2, name_key = ?3 WHERE id = ?1",
            rusqlite::params![id, name, pace::records::name_key(name)],
        )
        .expect("raw name");
    }
    path
}

struct Out {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    code: i32,
}

fn pace(db: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_pace"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PACE_MODULES")
        .env("PACE_NOW", (t0() + Duration::days(1)).to_rfc3339())
        .output()
        .expect("run pace");
    Out { stdout: out.stdout, stderr: out.stderr, code: out.status.code().unwrap_or(-1) }
}

fn checked(db: &Path, args: &[&str]) -> Out {
    let out = pace(db, args);
    assert_no_smuggled_controls(&out.stdout, false, &format!("stdout of {args:?}"));
    assert_no_smuggled_controls(&out.stderr, false, &format!("stderr of {args:?}"));
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn no_command_prints_a_learner_name_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let html = dir.path().join("cert.html");
    let txt = dir.path().join("cert.txt");
    let notes_json = dir.path().join("notes.json");
    let commands: Vec<Vec<&str>> = vec![
        vec!["progress", "--learner", EVE],
        vec!["progress", "--learner", EVE, "--format", "json"],
        vec!["report"],
        vec!["report", "--format", "csv"],
        vec!["report", "--format", "json"],
        vec!["report", "--learner", EVE],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "xapi"],
        vec!["export", "--format", "csv", "--learner", EVE],
        vec!["certificate", "--learner", EVE],
        vec!["certificate", "--learner", EVE, "--out", html.to_str().expect("utf-8")],
        vec!["certificate", "--learner", EVE, "--out", txt.to_str().expect("utf-8")],
        vec!["notes", "export", "--learner", EVE],
        vec!["notes", "export", "--learner", EVE, "--format", "json"],
        vec!["notes", "export", "--learner", EVE, "--format", "json", "--out", notes_json.to_str().expect("utf-8")],
    ];
    for args in &commands {
        let out = checked(&db, args);
        assert_eq!(out.code, 0, "{args:?}: {}", text(&out.stderr));
    }
    let progress = text(&checked(&db, &["progress", "--learner", EVE]).stdout);
    assert!(progress.starts_with(&format!("{EVE_SHOWN} (Employee, new hire)")), "{progress}");
    let report = text(&checked(&db, &["report"]).stdout);
    assert!(report.contains(EVE_SHOWN) && report.contains("Bob"), "{report}");
    let cert = text(&checked(&db, &["certificate", "--learner", EVE]).stdout);
    assert!(cert.contains(EVE_SHOWN), "{cert}");
    for file in [&html, &txt] {
        assert_no_smuggled_controls(&std::fs::read(file).expect("certificate"), false, "the certificate file");
    }
    // JSON stays JSON: the name's control characters as \u escapes or gone.
    for args in [["report", "--format", "json"], ["export", "--format", "xapi"]] {
        let out = checked(&db, &args);
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        assert!(value.is_array());
    }
}

#[test]
fn errors_quote_the_name_as_typed_and_list_names_cleaned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let several = checked(&db, &["progress"]);
    assert_eq!(several.code, 2);
    let stderr = text(&several.stderr);
    assert!(stderr.contains("several learners share") && stderr.contains(EVE_SHOWN), "{stderr}");

    let nobody = checked(&db, &["progress", "--learner", "Nobody\u{1b}]0;x\u{7}"]);
    assert_eq!(nobody.code, 1);
    let stderr = text(&nobody.stderr);
    assert!(stderr.contains("no learner named \"Nobody\\u{1b}]0;x\\u{7}\""), "{stderr}");
    assert!(stderr.contains(EVE_SHOWN), "{stderr}");

    let blank = checked(&db, &["progress", "--learner", "\u{1b}[2J"]);
    assert_eq!(blank.code, 2);
    assert!(text(&blank.stderr).contains("--learner \"\\u{1b}[2J\": the name has no printable characters"));
}

#[test]
fn the_trainer_draws_the_names_without_their_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let db_s = db.to_string_lossy().into_owned();

    // The picker lists both names.
    let mut s = Session::spawn(&["--db", &db_s], &[("PACE_NOW", &(t0() + Duration::days(1)).to_rfc3339())]);
    s.wait_for("Who is learning?");
    s.wait_for(EVE_SHOWN);
    s.wait_for("Bob");
    s.send_and_wait("j\r", &format!("{EVE_SHOWN} (Employee"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert_no_smuggled_controls(&s.raw(), true, "the trainer (picker, home, status bar)");

    // A new learner named on the command line: the welcome form shows the
    // name cleaned, and stores it cleaned.
    let fresh = dir.path().join("fresh.sqlite3");
    let fresh_s = fresh.to_string_lossy().into_owned();
    let mut s = Session::spawn(&["--db", &fresh_s, "--learner", "Mallory\u{1b}]0;PWNED\u{7} \u{9b}31mX"], &[]);
    s.wait_for("Welcome to pace");
    s.wait_for("Mallory 31mX");
    s.send_and_wait("\r", "Welcome, Mallory 31mX.");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert_no_smuggled_controls(&s.raw(), true, "the trainer (welcome form)");
    let names: Vec<String> =
        Records::open(&fresh).expect("records").learners().expect("learners").into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Mallory 31mX"]);
}

#[test]
fn the_welcome_form_refuses_a_name_too_long_for_a_certificate() {
    let records = Records::in_memory().expect("records");
    let long = "A".repeat(200);
    let mut app = common::app_with(content::embedded(), records, Some(&long), (100, 30));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    let pace::tui::Screen::Welcome(form) = &app.screen else { panic!("the welcome form stays open") };
    assert_eq!(form.error.as_deref(), Some("A name has at most 60 characters; this one has 200. Shorten it."));
    assert!(app.session.learners().expect("learners").is_empty(), "no learner is created");
}

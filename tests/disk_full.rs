//! A disk full during a quiz: an answer that could not be saved is not
//! scored, and the question is asked again, through the learning service
//! and through the trainer. The records live on a small tmpfs filled to the
//! last byte (a real full disk); where this test cannot mount one (not
//! root), and always as well, SQLite is made to refuse the write instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use common::history::{self, M101};
use common::{app_with, expand, open_row, press};
use pace::content::{Audience, embedded};
use pace::learning::clock::Clock;
use pace::learning::session::Session;
use pace::records::{NewLearner, Records, RecordsError};
use pace::tui::{MainView, Overlay, Row};
use ratatui::crossterm::event::KeyCode;

/// A folder for a records file, and a way to make its writes fail.
struct Place {
    dir: tempfile::TempDir,
    /// The tmpfs mounted on `dir`, filled by `fill`.
    tmpfs: bool,
}

impl Place {
    /// A real full disk when a tmpfs can be mounted here, and a refusing
    /// SQLite always.
    fn all() -> Vec<Place> {
        let mut places = vec![Place { dir: tempfile::tempdir().expect("tempdir"), tmpfs: false }];
        let dir = tempfile::tempdir().expect("tempdir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if mounted {
            places.push(Place { dir, tmpfs: true });
        } else {
            eprintln!("no tmpfs could be mounted (not root?): the full disk is simulated by a write SQLite refuses");
        }
        places
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("pace.sqlite3")
    }

    fn filler(&self) -> PathBuf {
        self.dir.path().join("filler")
    }

    /// From now on, writes to the records fail.
    fn fill(&self) {
        if self.tmpfs {
            let mut file = std::fs::File::create(self.filler()).expect("filler");
            let chunk = vec![0u8; 64 * 1024];
            // Filled until even a small new file finds no room: the
            // filesystem may hand back room it held for a moment (seen under
            // load), so one refused write is not proof the disk is full.
            let full = (0..100).any(|_| {
                while file.write(&chunk).is_ok_and(|n| n > 0) {}
                while file.write(&chunk[..512]).is_ok_and(|n| n > 0) {}
                std::fs::File::create(self.dir.path().join("one-more")).and_then(|mut f| f.write_all(&chunk)).is_err()
            });
            assert!(full, "the tmpfs never filled");
        } else {
            rusqlite::Connection::open(self.db())
                .expect("open")
                .execute_batch("CREATE TRIGGER no_room BEFORE INSERT ON answers BEGIN SELECT json('disk full'); END;")
                .expect("a refusing trigger");
        }
    }

    /// Room again.
    fn free(&self) {
        if self.tmpfs {
            // Emptied first: a process another test forked while the filler
            // was open holds it until it starts its program, and removing
            // the name alone would free nothing until then.
            std::fs::OpenOptions::new()
                .write(true)
                .open(self.filler())
                .and_then(|f| f.set_len(0))
                .expect("empty the filler");
            std::fs::remove_file(self.filler()).expect("remove filler");
            let _ = std::fs::remove_file(self.dir.path().join("one-more"));
            let probe = self.dir.path().join("probe");
            std::fs::write(&probe, vec![0u8; 1 << 20]).expect("room on the tmpfs once the filler is emptied");
            std::fs::remove_file(&probe).expect("remove probe");
        } else {
            rusqlite::Connection::open(self.db()).expect("open").execute_batch("DROP TRIGGER no_room").expect("drop");
        }
    }

    fn what(&self) -> &'static str {
        if self.tmpfs { "a full tmpfs" } else { "a refusing SQLite" }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if self.tmpfs {
            let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        }
    }
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).expect("open").query_row(sql, [], |r| r.get(0)).expect("query")
}

#[test]
fn an_answer_the_service_could_not_save_is_not_scored_and_is_asked_again() {
    for place in Place::all() {
        let catalog = Rc::new(embedded());
        let records = Records::open(&place.db()).expect("records");
        let mut session = Session::new(Rc::clone(&catalog), records, Clock::Fixed(common::t0()), Some(7), false);
        let ana = session.sign_up(&NewLearner::named("Ana", Audience::Employee, true)).expect("ana");
        session.enter(ana).expect("enter");
        let open = session.open_quiz(M101, false).expect("quiz");
        let module = catalog.module(M101).expect("module");
        let answer = |session: &mut Session, i: usize, right: bool| {
            let q = module.quiz.questions.iter().find(|q| q.id == open.draw[i].question).expect("question");
            session.answer(Some(open.attempt_id), M101, &q.id, &history::chosen(q, right))
        };

        place.fill();
        // A wrong answer: it would also have put the question in the review queue.
        let err = answer(&mut session, 0, false).expect_err("not saved");
        assert!(matches!(err, RecordsError::Sqlite { .. }), "{}: {err}", place.what());
        if place.tmpfs {
            assert!(err.to_string().contains("database or disk is full"), "{err}");
        }
        place.free();
        assert_eq!(count(&place.db(), "SELECT count(*) FROM answers"), 0, "{}", place.what());
        assert_eq!(
            count(&place.db(), "SELECT count(*) FROM review_items"),
            0,
            "the answer and its schedule, or neither"
        );

        // The attempt still asks it: resumed, it starts at that question, and it cannot be scored without it.
        let resumed = session.reread_quiz(&open).expect("reread");
        assert_eq!(resumed.next_unanswered(), Some(0), "{}", place.what());
        for i in 1..open.draw.len() {
            answer(&mut session, i, true).expect("the rest");
        }
        assert!(matches!(session.finish_quiz(&open), Err(RecordsError::Unanswered(1))), "{}", place.what());
        answer(&mut session, 0, true).expect("asked again, saved");
        let result = session.finish_quiz(&open).expect("finish");
        assert_eq!((result.correct, result.total), (open.draw.len() as u32, open.draw.len() as u32));
        assert_eq!(count(&place.db(), "SELECT count(*) FROM answers"), open.draw.len() as i64, "each question once");
    }
}

#[test]
fn the_trainer_says_could_not_save_and_keeps_the_question() {
    for place in Place::all() {
        let mut app = app_with(embedded(), Records::open(&place.db()).expect("records"), None, (100, 30));
        common::welcome(&mut app, "Ana Ruiz", true);
        expand(&mut app, M101);
        open_row(&mut app, &Row::Quiz { module: M101.into() });
        let MainView::Quiz(run) = &app.main else { panic!("a quiz") };
        let first = run.current().expect("a question").question.clone();

        place.fill();
        common::answer(&mut app, true);
        let Some(Overlay::Message { title, text }) = &app.overlay else { panic!("{}: no message", place.what()) };
        assert_eq!(title, "Could not save", "{}", place.what());
        assert!(text.contains("Your last step was not recorded"), "{text}");
        let MainView::Quiz(run) = &app.main else { panic!("still the quiz") };
        assert!(run.results.is_empty(), "{}: an answer not saved was scored", place.what());
        assert!(run.feedback.is_none(), "{}: feedback shown for an answer not saved", place.what());
        assert_eq!(run.current().map(|d| d.question.clone()), Some(first.clone()), "the same question");
        place.free();
        assert_eq!(count(&place.db(), "SELECT count(*) FROM answers"), 0);

        // Closed, the question is still there with the learner's choice: Enter saves it now.
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
        press(&mut app, KeyCode::Enter);
        let MainView::Quiz(run) = &app.main else { panic!("still the quiz") };
        assert_eq!(run.results, vec![(first.clone(), true)], "{}", place.what());
        assert!(run.feedback.is_some());
        assert_eq!(count(&place.db(), &format!("SELECT count(*) FROM answers WHERE question_id = '{first}'")), 1);
    }
}

/// A file-size limit (`ulimit -f`) reached in plain mode: SIGXFSZ does not
/// kill pace; the write fails and is said as "Could not save", the session
/// goes on, the goodbye does not claim the place was saved, and the file
/// opens whole afterwards with the learner in it.
#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_write_that_fails_not_a_killed_process() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    common::records_with(&db, &[("Ana Ruiz", Audience::Employee, false)]);
    // Room for the 32 KiB -shm index and a few pages of log, not for a morning's reading.
    let script = format!("ulimit -f 48; exec {} --db \"$1\" --plain --learner 'Ana Ruiz'", env!("CARGO_BIN_EXE_pace"));
    let mut child = Command::new("bash")
        .args(["-c", &script, "pace"])
        .arg(&db)
        .env_remove("PACE_MODULES")
        .env("PACE_NOW", "2026-12-01T09:00:00Z")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bash");
    let mut input = String::from("1\n");
    for _ in 0..60 {
        // Next page, next lesson: each step saves the place.
        input.push_str("\n\nn\n1\n");
    }
    input.push_str("q\nq\nq\n");
    let _ = child.stdin.take().expect("stdin").write_all(input.as_bytes());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), None, "killed by a signal: {stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}{stdout}");
    assert!(stdout.contains("Could not save"), "the limit was never reached: {stdout}");
    assert!(!stdout.contains("Your place is saved"), "{stdout}");
    assert!(stdout.contains("Not everything was saved"), "{stdout}");
    let records = Records::open(&db).expect("the file opens whole afterwards");
    assert!(records.learner_by_name("Ana Ruiz").expect("read").is_some());
    assert_eq!(count(&db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

/// A disk already full when pace starts: the trainer says the disk is full
/// (not "disk I/O error"), changes no byte, and leaves no -wal or -shm
/// beside the file; a reading command still reads it.
#[test]
fn a_disk_full_at_start_is_named_and_leaves_nothing_beside_the_file() {
    let Some(place) = Place::all().into_iter().find(|p| p.tmpfs) else {
        eprintln!("skipped: no tmpfs could be mounted, and only a real full disk shows this");
        return;
    };
    common::records_with(&place.db(), &[("Ana Ruiz", Audience::Employee, false)]);
    place.fill();
    let before = common::snapshot(place.dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_pace"))
        .arg("--db")
        .arg(place.db())
        .args(["--plain", "--learner", "Ana Ruiz"])
        .env_remove("PACE_MODULES")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pace");
    let _ = child.stdin.take().expect("stdin").write_all(b"q\n");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the disk that holds it is full"), "{stderr}");
    assert!(!stderr.contains("disk I/O error"), "{stderr}");
    assert_eq!(common::snapshot(place.dir.path()), before, "no byte changed, no -wal or -shm left");
    let progress = common::run_pace(&place.db(), "2026-12-01T09:00:00Z", &["progress"]);
    assert_eq!(progress.code, 0, "{}", progress.stderr);
    assert_eq!(common::snapshot(place.dir.path()), before);
    place.free();
}

//! The real binary in a pseudo-terminal: a first-time learner signs up,
//! reads a lesson, passes a quiz with real key presses, quits, and on the
//! next start is back where they were.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::pty::{Session, row_of};

use pace::content::QuestionKind;

/// `pace --db DB` in a pseudo-terminal.
fn start(db: &std::path::Path) -> Session {
    Session::spawn(&["--db", &db.to_string_lossy()], &[])
}

fn right_keys(db: &std::path::Path, question_index: usize) -> String {
    let conn = rusqlite::Connection::open(db).expect("db");
    let draw: String = conn
        .query_row("SELECT draw FROM quiz_attempts WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("draw");
    let module: String = conn
        .query_row("SELECT module_id FROM quiz_attempts ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .expect("module");
    let draw: Vec<pace::records::DrawnQuestion> = serde_json::from_str(&draw).expect("json");
    let drawn = &draw[question_index];
    let catalog = pace::content::embedded();
    let q = catalog
        .module(&module)
        .and_then(|m| m.quiz.questions.iter().find(|q| q.id == drawn.question))
        .expect("question")
        .clone();
    let mut keys = String::new();
    match q.kind {
        QuestionKind::Ordering => {
            let mut order = drawn.options.clone();
            for (pos, o) in q.options.iter().enumerate() {
                let at = order.iter().position(|x| *x == o.id).expect("item");
                keys.push(char::from(b'1' + at as u8));
                for i in (pos..at).rev() {
                    keys.push('K');
                    order.swap(i, i + 1);
                }
            }
        }
        QuestionKind::TrueFalse => keys
            .push(if drawn.options[0] == (if q.answer == Some(true) { "true" } else { "false" }) { '1' } else { '2' }),
        _ => {
            for (i, id) in drawn.options.iter().enumerate() {
                if q.options.iter().any(|o| &o.id == id && o.correct) {
                    keys.push(char::from(b'1' + i as u8));
                }
            }
        }
    }
    keys
}

#[test]
fn first_run_lesson_quiz_quit_and_resume_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut s = start(&db);

    s.wait_for("Welcome to pace");
    s.send_and_wait("Ana Ruiz\t4\ty\r", "Welcome, Ana Ruiz.");
    // The catalog starts on the next step: Enter opens the first lesson.
    s.send_and_wait("\r", "Welcome: social media and your new job");
    s.send_and_wait("G", "✓ complete");

    // To the quiz: past the last lesson, n points the catalog at the quiz.
    let lessons = pace::content::embedded().module("employee-101-social-media-at-work").map_or(0, |m| m.lessons.len());
    s.send_and_wait(&"n".repeat(lessons), "the quiz is next");
    s.send_and_wait("\t\r", "question 1 of 6");
    for i in 0..6 {
        let keys = right_keys(&db, i);
        s.send(&keys);
        s.send_and_wait("\r", "Right.");
        s.send("\r");
        if i < 5 {
            // The next question, drawn whole: the last one's feedback is gone.
            let next = format!("question {} of 6", i + 2);
            s.wait_until(&next, |screen| screen.contents().contains(&next) && !screen.contents().contains("Right."));
        }
    }
    s.wait_until("the score and the pass", |screen| {
        let shown = screen.contents();
        shown.contains("Score: 100% (6 of 6 right)") && shown.contains("Passed")
    });

    // Somewhere to come back to: a lesson, scrolled.
    s.send("/confidential\r");
    let screen = s.wait_until("a lesson's position", |screen| position(&screen.contents()).is_some());
    let (shown_to, total) = position(&screen).expect("position");
    s.send("jj");
    let scrolled = (shown_to + 2, total);
    let before = s.wait_until(&format!("line {} of {total}", scrolled.0), |screen| {
        position(&screen.contents()) == Some(scrolled)
    });
    let place = before.lines().find(|l| l.contains(&format!(" line {} of ", scrolled.0))).expect("position line");
    let place = place.to_string();
    let title = before.lines().nth(1).expect("title row").to_string();
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains("\u{1b}[?1049l"), "the alternate screen was left on quit");

    // One learner recorded: the picker offers them first, and a new learner.
    let mut s2 = start(&db);
    s2.wait_for("+ New learner");
    let after = s2.send_and_wait("\r", place.trim());
    assert_eq!(after.lines().nth(1), Some(title.as_str()), "the same lesson is open");
}

/// The reader's "line x of y" (the last line shown, of all), if a lesson is open.
fn position(screen: &str) -> Option<(usize, usize)> {
    screen.split(" line ").skip(1).find_map(|rest| {
        let (shown_to, rest) = rest.split_once(" of ")?;
        let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((shown_to.parse().ok()?, total.parse().ok()?))
    })
}

#[test]
fn preview_records_nothing_and_reloads_on_save_keeping_the_last_good_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let modules = dir.path().join("modules");
    std::fs::create_dir(&modules).expect("mkdir");
    let file = modules.join("sample.json");
    let sample = std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample");
    std::fs::write(&file, &sample).expect("write");
    let existing = dir.path().join("existing.sqlite3");
    drop(pace::records::Records::open(&existing).expect("records"));
    let before = std::fs::read(&existing).expect("bytes");
    let missing = dir.path().join("never.sqlite3");
    let home = dir.path().join("home");

    for db in [&existing, &missing] {
        let db_s = db.to_string_lossy().into_owned();
        let home_s = home.to_string_lossy().into_owned();
        let mut s = Session::spawn(
            &["--db", &db_s, "preview", &modules.to_string_lossy(), "--watch"],
            &[("PACE_DB", &db_s), ("HOME", &home_s), ("XDG_DATA_HOME", &home_s)],
        );
        s.wait_for("PREVIEW: nothing is recorded");
        s.send_and_wait("\r", "This is the first lesson at Example Corp.");
        s.send("a");
        std::fs::write(&file, sample.replace("This is *the* first lesson", "This is the edited lesson")).expect("edit");
        s.wait_for("This is the edited lesson");
        std::fs::write(&file, sample.replace("\"title\": \"First steps\",", "\"title\": \"First steps\""))
            .expect("break");
        s.wait_for("Problems (1)");
        assert!(s.contents().contains("This is the edited lesson"), "the last good version stays on screen");
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        std::fs::write(&file, &sample).expect("restore");
    }
    assert_eq!(std::fs::read(&existing).expect("bytes"), before, "an existing records file keeps its bytes");
    assert!(!missing.exists(), "no records file appears");
    assert!(!home.exists(), "nothing is created in the data directory either");
}

/// The trainer draws to a viewport of the size it started with and follows
/// the terminal's resize events: growing and shrinking the window redraws
/// the whole screen at the new size, status bar on the last row.
#[test]
fn the_screen_follows_the_window_as_it_is_resized() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("records.sqlite3");
    common::records_with(&db, &[("Ana Ruiz", pace::content::Audience::Employee, false)]);
    let mut s = Session::spawn(&["--db", &db.to_string_lossy(), "--learner", "Ana Ruiz"], &[]);
    s.wait_for("Welcome, Ana Ruiz.");
    let last_row_shows = |s: &Session, row: u16| {
        s.wait_until(&format!("the status bar on row {row}"), |screen| {
            let shown = row_of(screen, row);
            shown.contains("quit") && shown.trim_end().ends_with("Level: none yet")
        });
    };
    last_row_shows(&s, 29);
    for (cols, rows) in [(120, 40), (80, 24), (100, 30)] {
        s.resize(cols, rows);
        last_row_shows(&s, rows - 1);
        assert!(
            s.row(0).starts_with(" pace "),
            "the title bar is on the first row at {cols}x{rows}:\n{}",
            s.contents()
        );
        // The level's label ends one padding column before the right edge.
        assert_eq!(
            s.row(rows - 1).trim_end().chars().count(),
            usize::from(cols) - 1,
            "the status bar spans {cols} columns"
        );
    }
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

//! The trainer driven through the keymap and `App::update`, then the
//! records checked in SQLite: what a learner does is what gets kept.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use pace::content::Audience;
use pace::learning::clock::Clock;
use pace::records::Records;
use pace::tui::{App, MainView, Options, Row, Screen};
use ratatui::crossterm::event::KeyCode;

const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";

fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("query")
}

#[test]
fn a_whole_lesson_and_a_whole_quiz_are_recorded_and_earn_the_first_level() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    assert!(matches!(app.screen, Screen::Welcome(_)));
    welcome(&mut app, "Ana Ruiz", true);
    assert!(matches!(app.screen, Screen::Main));
    assert_eq!(
        count(&db, "SELECT count(*) FROM learners WHERE name = 'Ana Ruiz' AND new_hire = 1 AND role = 'employee'"),
        1
    );

    // A lesson read to the end is complete, at once.
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
    assert!(matches!(app.main, MainView::Lesson(_)));
    assert_eq!(count(&db, "SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL"), 0);
    read_to_end(&mut app);
    assert_eq!(count(&db, "SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL"), 1);
    // n goes to the next lesson.
    press(&mut app, KeyCode::Char('n'));
    let MainView::Lesson(r) = &app.main else { panic!("reader") };
    assert_eq!(r.lesson, 1);

    // Every answer is committed as it is given.
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    answer(&mut app, true);
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE correct = 1"), 1);
    finish_quiz(&mut app, true);
    let MainView::Quiz(run) = &app.main else { panic!("quiz") };
    let outcome = run.outcome.clone().expect("finished");
    assert!(outcome.passed);
    assert_eq!(outcome.score, 100);
    assert_eq!(count(&db, "SELECT count(*) FROM quiz_attempts WHERE passed = 1 AND score = 100"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM answers"), i64::from(outcome.total));
    assert!(outcome.new_levels.is_empty(), "Social Ready needs both orientation modules");

    // Passing the second orientation module earns Social Ready.
    expand(&mut app, M201);
    open_row(&mut app, &Row::Quiz { module: M201.into() });
    finish_quiz(&mut app, true);
    let MainView::Quiz(run) = &app.main else { panic!("quiz") };
    assert_eq!(run.outcome.as_ref().expect("done").new_levels, vec!["Social Ready".to_string()]);
    assert_eq!(count(&db, "SELECT count(*) FROM certifications WHERE level_id = 'social-ready'"), 1);
    assert_eq!(
        app.summary.as_ref().and_then(|s| s.current_level.as_ref()).map(|l| l.id.as_str()),
        Some("social-ready")
    );
}

#[test]
fn a_failed_quiz_names_the_lessons_to_revisit_and_can_be_retaken() {
    let mut app = app_with(pace::content::embedded(), Records::in_memory().expect("records"), None, (100, 30));
    welcome(&mut app, "Bo", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    finish_quiz(&mut app, false);
    let MainView::Quiz(run) = &app.main else { panic!("quiz") };
    let outcome = run.outcome.clone().expect("finished");
    assert!(!outcome.passed);
    assert_eq!(outcome.score, 0);
    assert!(!outcome.revisit.is_empty());
    let first_attempt = run.attempt_id;
    press(&mut app, KeyCode::Char('r'));
    let MainView::Quiz(run) = &app.main else { panic!("quiz") };
    assert_ne!(run.attempt_id, first_attempt);
    assert!(run.outcome.is_none());
    assert_eq!(run.index, 0);
}

#[test]
fn reopening_returns_to_the_same_lesson_and_scroll_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Cy", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 2 });
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    drop(app);

    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("Cy"), (100, 30));
    let MainView::Lesson(r) = &app.main else { panic!("back in the reader, got another view") };
    assert_eq!((r.module_id.as_str(), r.lesson, r.scroll), (M101, 2, 3));
}

#[test]
fn reopening_mid_quiz_shows_the_same_draw_at_the_next_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Di", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    answer(&mut app, true);
    press(&mut app, KeyCode::Enter);
    answer(&mut app, false);
    let MainView::Quiz(before) = &app.main else { panic!("quiz") };
    let draw = before.draw.clone();
    drop(app);

    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("Di"), (100, 30));
    let MainView::Quiz(run) = &app.main else { panic!("back in the quiz") };
    assert_eq!(run.draw, draw);
    assert_eq!(run.index, 2);
    assert_eq!(run.results.iter().map(|(_, ok)| *ok).collect::<Vec<_>>(), vec![true, false]);
}

#[test]
fn several_learners_get_a_picker_and_learner_flag_skips_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    records_with(&db, &[("Ana", Audience::Employee, true), ("Ben", Audience::Partner, false)]);
    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    assert!(matches!(app.screen, Screen::Picker(_)));
    assert_eq!(app.learners.len(), 2);
    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("ben"), (100, 30));
    assert_eq!(app.learner().map(|l| l.name.as_str()), Some("Ben"));
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.learner().map(|l| l.name.as_str()), Some("Ben"));
}

#[test]
fn locked_modules_do_not_open_and_say_why() {
    let mut app = app_with(pace::content::embedded(), Records::in_memory().expect("records"), None, (100, 30));
    welcome(&mut app, "Eve", false);
    assert!(app.tree.rows.iter().any(|r| matches!(r, Row::Locked { needs } if needs.contains("Social media at work"))));
}

#[test]
fn learners_see_broken_modules_but_not_the_authors_quiz_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (fixture, name) in [("correct-option-longest", "a.json"), ("invalid-json", "b.json")] {
        let from = std::path::Path::new("tests/fixtures/validate").join(fixture).join("module.json");
        std::fs::copy(from, dir.path().join(name)).expect("copy");
    }
    let load = || pace::content::load_paths(&[dir.path().to_path_buf()]).expect("load");
    let catalog = load();
    assert_eq!((catalog.problems.len(), catalog.errors()), (2, 1), "{:?}", catalog.problems);
    let mut app = app_with(catalog, Records::in_memory().expect("records"), None, (100, 30));
    welcome(&mut app, "Eve", false);
    let problems = |app: &pace::tui::App| app.tree.rows.iter().filter(|r| matches!(r, Row::Problem { .. })).count();
    assert_eq!(problems(&app), 1, "only the broken file: {:?}", app.tree.rows);
    assert!(app.catalog.problems.iter().all(|p| p.is_error()));
    // The author's preview shows both.
    let preview = pace::tui::App::new(load(), Records::in_memory().expect("records"), options(None, true, (100, 30)))
        .expect("preview");
    assert_eq!(problems(&preview), 2);
}

#[test]
fn search_opens_the_lesson_at_the_match() {
    let mut app = app_with(pace::content::embedded(), Records::in_memory().expect("records"), None, (100, 30));
    welcome(&mut app, "Fay", false);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "confidential");
    press(&mut app, KeyCode::Enter);
    let MainView::Lesson(r) = &app.main else { panic!("a lesson opened; toast {:?}", app.toast) };
    let line: String = r.lines[r.scroll].spans.iter().map(|s| s.content.as_ref()).collect();
    assert!(line.to_lowercase().contains("confidential"), "{line}");
}

#[test]
fn missed_questions_come_back_for_review_and_four_misses_point_to_the_lesson() {
    use chrono::Duration;
    use pace::learning::clock::Clock;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Gus", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    finish_quiz(&mut app, false);
    assert_eq!(count(&db, "SELECT count(*) FROM review_items"), 6, "every missed question is queued");
    assert_eq!(app.review_due, 0, "nothing is due the same day");
    assert!(!app.tree.rows.iter().any(|r| matches!(r, Row::Review { .. })));

    // Three more misses, a few days apart: each review reschedules.
    for day in [2, 6, 12] {
        app.set_clock(Clock::Fixed(t0() + Duration::days(day)));
        assert_eq!(app.review_due, 6, "day {day}");
        open_row(&mut app, &Row::Review { due: 6 });
        finish_quiz(&mut app, false);
    }
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE source = 'review'"), 18);
    assert_eq!(count(&db, "SELECT min(misses) FROM review_items"), 4);
    let MainView::Quiz(run) = &app.main else { panic!("review result") };
    let outcome = run.outcome.as_ref().expect("finished");
    assert!(!outcome.revisit.is_empty(), "flagged questions name their lessons");

    // Right answers push the questions further out.
    app.set_clock(Clock::Fixed(t0() + Duration::days(30)));
    open_row(&mut app, &Row::Review { due: 6 });
    finish_quiz(&mut app, true);
    assert_eq!(app.review_due, 0);
    let next_due: String = rusqlite::Connection::open(&db)
        .expect("db")
        .query_row("SELECT min(due_at) FROM review_items", [], |r| r.get(0))
        .expect("due");
    assert!(next_due.as_str() > "2026-12-28", "{next_due}");
}

#[test]
fn a_note_is_saved_as_it_is_typed_and_found_in_the_notes_pane() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Hal", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 1 });
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "Ask the hub");
    // Saved before the editor is closed: a crash now loses nothing.
    let body = |db: &std::path::Path| -> String {
        rusqlite::Connection::open(db)
            .expect("db")
            .query_row("SELECT body FROM notes", [], |r| r.get(0))
            .unwrap_or_default()
    };
    assert_eq!(body(&db), "Ask the hub");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "q means quit? no: it is just text here");
    assert_eq!(body(&db), "Ask the hub\nq means quit? no: it is just text here");
    assert!(!app.quit);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());

    press(&mut app, KeyCode::Char('N'));
    assert!(matches!(app.main, MainView::Notes(_)));
    type_text(&mut app, "zzz");
    let MainView::Notes(list) = &app.main else { panic!("notes") };
    assert!(list.matching(&app.notes, &app.catalog).is_empty());
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "hub");
    press(&mut app, KeyCode::Enter);
    let MainView::Lesson(r) = &app.main else { panic!("the note's lesson opened") };
    assert_eq!((r.module_id.as_str(), r.lesson), (M101, 1));

    // Reopening the editor shows the note.
    press(&mut app, KeyCode::Char('e'));
    let Some(pace::tui::Overlay::Note(editor)) = &app.overlay else { panic!("editor") };
    assert_eq!(editor.body(), "Ask the hub\nq means quit? no: it is just text here");
}

#[test]
fn a_level_warns_in_its_window_expires_and_is_renewed_by_retaking_its_quizzes() {
    use chrono::Duration;
    use pace::learning::clock::Clock;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Ida", true);
    for m in [M101, M201] {
        expand(&mut app, m);
        open_row(&mut app, &Row::Quiz { module: m.into() });
        finish_quiz(&mut app, true);
    }
    assert_eq!(count(&db, "SELECT count(*) FROM certifications"), 1);
    drop(app);

    // 340 days on: inside the 30-day window, pace warns at start.
    let start_at = |days: i64| {
        let mut options = options(Some("Ida"), false, (100, 30));
        options.clock = Clock::Fixed(t0() + Duration::days(days));
        pace::tui::App::new(pace::content::embedded(), Records::open(&db).expect("records"), options).expect("app")
    };
    let mut app = start_at(340);
    let Some(pace::tui::Overlay::Message { title, text }) = &app.overlay else { panic!("a warning") };
    assert_eq!(title, "Recertification");
    assert!(text.contains("Social Ready: recertify by 2027-11-27"), "{text}");
    press(&mut app, KeyCode::Enter);
    drop(app);

    // After expiry it says so; retaking both quizzes renews, keeping the history.
    let mut app = start_at(400);
    let Some(pace::tui::Overlay::Message { text, .. }) = &app.overlay else { panic!("a warning") };
    assert!(text.contains("Social Ready: expired 2027-11-27"), "{text}");
    press(&mut app, KeyCode::Enter);
    assert!(app.summary.as_ref().is_some_and(|s| s.current_level.is_none()));
    for m in [M101, M201] {
        expand(&mut app, m);
        open_row(&mut app, &Row::Quiz { module: m.into() });
        finish_quiz(&mut app, true);
    }
    assert_eq!(count(&db, "SELECT count(*) FROM certifications WHERE level_id = 'social-ready'"), 2);
    assert_eq!(
        app.summary.as_ref().and_then(|s| s.current_level.as_ref()).map(|l| l.id.as_str()),
        Some("social-ready")
    );
}

#[test]
fn a_shared_workstation_serves_a_queue_of_new_hires() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Ana Ruiz", true);
    assert_eq!(app.learner().map(|l| l.name.as_str()), Some("Ana Ruiz"));
    // L: the next person in the queue, without a restart.
    press(&mut app, KeyCode::Char('L'));
    assert!(matches!(app.screen, Screen::Picker(_)), "back to the picker");
    assert!(app.learner().is_none());
    // One learner recorded: the picker still offers "+ New learner", below Ana.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Welcome(_)));
    // The same name in another case is taken: pace says so and offers Ana's records.
    welcome(&mut app, "ANA RUIZ", true);
    let Screen::Welcome(form) = &app.screen else { panic!("still the form") };
    assert_eq!(form.taken.as_ref().map(|l| l.name.as_str()), Some("Ana Ruiz"));
    assert!(app.learner().is_none(), "not signed in as Ana without asking");
    // Another name instead: a second learner.
    for _ in 0.."ANA RUIZ".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "Ben Okafor");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.learner().map(|l| l.name.as_str()), Some("Ben Okafor"));
    assert_eq!(count(&db, "SELECT count(*) FROM learners"), 2);
    // And a returning Ana, who says she is Ana: Enter again continues as her.
    press(&mut app, KeyCode::Char('L'));
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    welcome(&mut app, "ana ruiz", false);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.learner().map(|l| l.name.as_str()), Some("Ana Ruiz"));
    assert_eq!(count(&db, "SELECT count(*) FROM learners"), 2);
}

#[test]
fn learner_flag_with_a_new_name_opens_the_form_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("Cleo Park"), (100, 30));
    let Screen::Welcome(form) = &app.screen else { panic!("the welcome form") };
    assert_eq!(form.name, "Cleo Park");
}

#[test]
fn a_reload_that_reorders_lessons_keeps_each_lesson_its_own_marks() {
    use pace::content::{Scope, SourceFile, load_sources};
    let sample = std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample");
    let catalog = |text: &str| {
        load_sources(vec![SourceFile { path: "sample.json".into(), bytes: text.as_bytes().to_vec() }], Scope::Folder)
    };
    let mut app =
        pace::tui::App::new(catalog(&sample), Records::in_memory().expect("records"), options(None, true, (100, 30)))
            .expect("preview");
    app.update(pace::tui::Action::Resize(100, 30));
    let module = "sample-101-first-steps";
    expand(&mut app, module);
    open_row(&mut app, &Row::Lesson { module: module.into(), index: 0 });
    press(&mut app, KeyCode::Char('m'));
    assert!(app.standing().lesson_done(module, "hello"));

    // The author moves "hello" after "second" and saves.
    let mut json: serde_json::Value = serde_json::from_str(&sample).expect("json");
    let lessons = json["lessons"].as_array_mut().expect("lessons");
    lessons.swap(0, 1);
    app.reload(catalog(&json.to_string()));

    let MainView::Lesson(reader) = &app.main else { panic!("still reading") };
    assert_eq!(reader.lesson, 1, "the reader follows its lesson to its new place");
    assert!(reader.completed, "and keeps its mark");
    assert!(!app.standing().lesson_done(module, "second"), "the lesson now first did not inherit the mark");
}

#[test]
fn input_and_watcher_failures_reach_the_learner() {
    use pace::tui::{Input, apply};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Ana Ruiz", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 1 });

    // A watcher error is shown, and the trainer goes on.
    apply(&mut app, Input::WatchFailed("inotify watch limit reached".into()), &mut None).expect("shown");
    let Some(pace::tui::Overlay::Message { title, text }) = &app.overlay else { panic!("a message") };
    assert_eq!(title, "The file watcher failed");
    assert!(text.contains("inotify watch limit reached"));
    assert!(!app.quit);
    press(&mut app, KeyCode::Enter);

    // A reload that fails says why, instead of keeping quiet.
    let mut failing: Box<dyn FnMut() -> Result<pace::content::Catalog, String>> =
        Box::new(|| Err("cannot read my-modules: no such file or folder".into()));
    apply(&mut app, Input::FilesChanged, &mut Some(&mut failing)).expect("shown");
    let Some(pace::tui::Overlay::Message { title, .. }) = &app.overlay else { panic!("a message") };
    assert_eq!(title, "Could not reload");
    press(&mut app, KeyCode::Enter);

    // The terminal can no longer be read: the place is saved, the error returned.
    let err = apply(&mut app, Input::TerminalFailed(std::io::Error::other("EIO")), &mut None).expect_err("an error");
    assert!(err.to_string().contains("cannot read the terminal"), "{err}");
    assert!(app.quit);
    assert_eq!(count(&db, "SELECT count(*) FROM locations WHERE lesson_id IS NOT NULL"), 1, "the place was saved");
}

/// At start-up nothing is written before the first screen: the learner
/// named on the command line is marked active once it is shown, or at the
/// first key if that comes first.
#[test]
fn the_learner_is_marked_active_after_the_first_screen_not_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    records_with(&db, &[("Ana", Audience::Employee, false)]);
    let active = || {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.query_row("SELECT last_active_at FROM learners", [], |r| r.get::<_, String>(0)).expect("query")
    };
    let at_creation = active();
    let later = Clock::Fixed(t0() + chrono::Duration::hours(2));
    let entered = |learner| {
        let options = Options { clock: later, ..options(Some(learner), false, (100, 30)) };
        App::new(pace::content::embedded(), Records::open(&db).expect("records"), options).expect("app")
    };
    let mut app = entered("Ana");
    assert_eq!(active(), at_creation, "written before the first screen");
    app.first_frame_shown();
    let shown = active();
    assert_ne!(shown, at_creation, "not marked active after the first screen");
    assert!(shown.starts_with("2026-11-27T11:00"), "{shown}");
    app.first_frame_shown();
    assert_eq!(active(), shown);

    // A key before any frame marks the learner active first.
    let mut app = entered("Ana");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute("UPDATE learners SET last_active_at = '2026-11-27T09:00:00Z'", []).expect("reset");
    }
    press(&mut app, KeyCode::Down);
    assert!(active().starts_with("2026-11-27T11:00"), "{}", active());
}

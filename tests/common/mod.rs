//! Drives the trainer the way a learner does: key events through the
//! keymap into `App::update`.
#![allow(dead_code)]

pub mod badge;
pub mod history;
pub mod pty;

/// A records file at `db` with these learners (name, role, new hire) in it.
pub fn records_with(db: &std::path::Path, learners: &[(&str, pace::content::Audience, bool)]) {
    let mut records = pace::records::Records::open(db).expect("records");
    for (name, audience, new_hire) in learners {
        records.add_learner(&pace::records::NewLearner::named(name, *audience, *new_hire), t0()).expect("learner");
    }
}

/// Every file in the folder: its length and a digest of its bytes.
pub fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, (usize, String)> {
    use sha2::Digest;
    std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = std::fs::read(e.path()).expect("read");
            let digest = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            (e.file_name().to_string_lossy().into_owned(), (bytes.len(), digest))
        })
        .collect()
}

/// What the real binary printed and how it exited.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `pace --db DB ARGS...` at a fixed `PACE_NOW`, on the shipped curriculum.
pub fn run_pace(db: &std::path::Path, now: &str, args: &[&str]) -> Run {
    let db = db.to_string_lossy();
    let mut all = vec!["--db", db.as_ref()];
    all.extend_from_slice(args);
    run_pace_args(now, &all)
}

/// Runs `pace ARGS...` at a fixed `PACE_NOW`, on the shipped curriculum,
/// with no records file named by the environment.
pub fn run_pace_args(now: &str, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(args)
        .env_remove("PACE_MODULES")
        .env_remove("PACE_DB")
        .env("PACE_NOW", now)
        .output()
        .expect("run pace");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

use chrono::{DateTime, TimeZone, Utc};
use pace::content::{Catalog, QuestionKind};
use pace::learning::clock::Clock;
use pace::records::Records;
use pace::tui::theme::{Theme, ThemeName};
use pace::tui::{Action, App, MainView, Options, Row};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

pub fn options(learner: Option<&str>, preview: bool, size: (u16, u16)) -> Options {
    Options {
        learner: learner.map(str::to_string),
        theme: Theme::new(ThemeName::Default, false),
        preview,
        seed: Some(7),
        clock: Clock::Fixed(t0()),
        size,
    }
}

pub fn app_with(catalog: Catalog, records: Records, learner: Option<&str>, size: (u16, u16)) -> App {
    let mut app = App::new(catalog, records, options(learner, false, size)).expect("app");
    app.update(Action::Resize(size.0, size.1));
    app
}

pub fn press(app: &mut App, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

pub fn press_mod(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    let event = Event::Key(KeyEvent::new(code, mods));
    if let Some(action) = pace::tui::action_for(app, &event) {
        app.update(action);
    }
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Fills in the welcome form as a new hire employee.
pub fn welcome(app: &mut App, name: &str, new_hire: bool) {
    type_text(app, name);
    press(app, KeyCode::Tab);
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Tab);
    if new_hire {
        press(app, KeyCode::Char('y'));
    }
    press(app, KeyCode::Enter);
}

/// Moves the catalog selection to the first row matching `want` and opens it.
pub fn open_row(app: &mut App, want: &Row) {
    while app.focus != pace::tui::Pane::Catalog {
        press(app, KeyCode::Tab);
    }
    press(app, KeyCode::Home);
    for _ in 0..app.tree.rows.len() {
        if app.tree.selected_row() == Some(want) {
            press(app, KeyCode::Enter);
            return;
        }
        press(app, KeyCode::Down);
    }
    panic!("row {want:?} not found in {:?}", app.tree.rows);
}

/// Expands a module in the catalog (Enter on its row) so its lessons show.
pub fn expand(app: &mut App, module: &str) {
    if !app.tree.expanded.contains(module) {
        open_row(app, &Row::Module { id: module.to_string() });
    }
}

/// Reads the open lesson to its end with PgDn.
pub fn read_to_end(app: &mut App) {
    for _ in 0..200 {
        match &app.main {
            MainView::Lesson(r) if !r.at_end() => press(app, KeyCode::PageDown),
            _ => return,
        }
    }
}

/// Answers the current question; `right` picks the correct answer.
pub fn answer(app: &mut App, right: bool) {
    let MainView::Quiz(run) = &app.main else { panic!("not in a quiz") };
    let drawn = run.current().expect("a question").clone();
    let module = app.catalog.module(run.current_module()).expect("module").clone();
    let q = module.quiz.questions.iter().find(|q| q.id == drawn.question).expect("question").clone();
    let is_right = |id: &str| match q.kind {
        QuestionKind::TrueFalse => q.answer == Some(id == "true"),
        _ => q.options.iter().any(|o| o.id == id && o.correct),
    };
    match q.kind {
        QuestionKind::Ordering => {
            let target: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
            let target = if right { target } else { target.into_iter().rev().collect() };
            for (pos, id) in target.iter().enumerate() {
                let MainView::Quiz(run) = &app.main else { return };
                let at = run.order.iter().position(|x| x == id).expect("item");
                press(app, KeyCode::Char(char::from(b'1' + at as u8)));
                for _ in pos..at {
                    press(app, KeyCode::Char('K'));
                }
            }
        }
        _ => {
            for (i, id) in drawn.options.iter().enumerate() {
                let pick = if right { is_right(id) } else { !is_right(id) };
                if pick {
                    press(app, KeyCode::Char(char::from(b'1' + i as u8)));
                    if q.kind != QuestionKind::Multiple {
                        break;
                    }
                }
            }
        }
    }
    press(app, KeyCode::Enter);
}

/// Answers every remaining question, continuing after each feedback.
pub fn finish_quiz(app: &mut App, right: bool) {
    for _ in 0..40 {
        let MainView::Quiz(run) = &app.main else { return };
        if run.outcome.is_some() {
            return;
        }
        if run.feedback.is_some() {
            press(app, KeyCode::Enter);
        } else {
            answer(app, right);
        }
    }
}

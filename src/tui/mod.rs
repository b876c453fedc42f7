//! The trainer: a thin terminal layer over the library. Events become
//! actions through the keymap; `App::update` changes state; `ui::draw`
//! renders it. One loop, no async runtime.

mod action;
mod app;
mod catalog;
mod home;
mod keymap;
mod layout;
mod markdown;
mod notes;
mod overlay;
mod preview;
mod progress;
mod quiz;
mod reader;
mod session;
pub mod theme;
mod ui;
mod welcome;

pub use action::Action;
pub use app::{App, MainView, Options, Screen};
pub use catalog::Row;
pub use keymap::{Context, resolve};
pub use layout::Pane;
pub use markdown::lesson_lines;
pub use notes::{NoteEditor, NotesList};
pub use overlay::Overlay;
pub use quiz::{Outcome, QuizRun};
pub use reader::Reader;
pub use ui::draw;

use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseEventKind};
use ratatui::crossterm::execute;

use crate::content::Catalog;

/// Turns one terminal event into an action for the current state.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => resolve(&app.contexts(), *key),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll(m.column, m.row, 3)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(m.column, m.row, -3)),
            MouseEventKind::Down(_) => Some(Action::Click(m.column, m.row)),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        _ => None,
    }
}

/// What wakes the event loop: the terminal, or (preview --watch) a file.
enum Input {
    Terminal(Event),
    FilesChanged,
}

/// Runs the trainer until the learner quits. The terminal is restored on
/// return, on error, and on panic (ratatui's hook, plus mouse capture off).
pub fn run(app: App) -> io::Result<()> {
    run_watching(app, None)
}

/// Files to watch and how to reload them (trainer preview with --watch).
pub struct Watch {
    pub paths: Vec<PathBuf>,
    pub load: Box<dyn FnMut() -> Option<Catalog>>,
}

/// The one event loop: terminal events and file changes arrive on the same
/// channel, the way rustlings' watch mode merges them.
pub fn run_watching(mut app: App, watch: Option<Watch>) -> io::Result<()> {
    let (tx, rx) = mpsc::channel::<Input>();
    let mut reload = None;
    let _watcher = match watch {
        Some(Watch { paths, load }) => {
            let files = tx.clone();
            let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.is_ok_and(|e| e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove()) {
                    let _ = files.send(Input::FilesChanged);
                }
            })
            .map_err(io::Error::other)?;
            for path in &paths {
                notify::Watcher::watch(&mut watcher, path, notify::RecursiveMode::NonRecursive)
                    .map_err(io::Error::other)?;
            }
            reload = Some(load);
            Some(watcher)
        }
        None => None,
    };
    let mut terminal = ratatui::init();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture);
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            if tx.send(Input::Terminal(event)).is_err() {
                break;
            }
        }
    });
    let result = event_loop(&mut terminal, &mut app, &rx, reload.as_mut());
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

type Loader<'a> = Option<&'a mut Box<dyn FnMut() -> Option<Catalog>>>;

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &mpsc::Receiver<Input>,
    mut reload: Loader,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    while !app.quit {
        terminal.draw(|frame| draw(frame, app))?;
        let Ok(input) = rx.recv() else { break };
        match input {
            Input::Terminal(event) => {
                if let Some(action) = action_for(app, &event) {
                    app.update(action);
                }
            }
            Input::FilesChanged => {
                // An editor's save is several events; let them settle, then reload once.
                std::thread::sleep(Duration::from_millis(120));
                let mut pending = Vec::new();
                while let Ok(more) = rx.try_recv() {
                    if let Input::Terminal(event) = more {
                        pending.push(event);
                    }
                }
                if let Some(catalog) = reload.as_mut().and_then(|load| load()) {
                    app.reload(catalog);
                }
                for event in pending {
                    if let Some(action) = action_for(app, &event) {
                        app.update(action);
                    }
                }
            }
        }
    }
    Ok(())
}

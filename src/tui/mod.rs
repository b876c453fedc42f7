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
pub use notes::{NoteEditor, NotesList};
pub use overlay::Overlay;
pub use quiz::{Outcome, QuizRun};
pub use reader::Reader;
pub use ui::draw;

use std::io;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseEventKind};
use ratatui::crossterm::execute;

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

/// Runs the trainer until the learner quits. The terminal is restored on
/// return, on error, and on panic (ratatui's hook, plus mouse capture off).
pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::init();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    while !app.quit {
        terminal.draw(|frame| draw(frame, app))?;
        let event = event::read()?;
        if let Some(action) = action_for(app, &event) {
            app.update(action);
        }
    }
    Ok(())
}

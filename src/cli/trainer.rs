//! `pace` with no command: the trainer.

use crate::learning::clock;
use crate::tui::theme::Theme;

use super::{EXIT_OK, Failure, Global, curriculum, open_records};

pub(super) fn run(global: &Global) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "the trainer needs a terminal; for scripts use `pace progress`, `pace validate` or `pace --help`",
        ));
    }
    let catalog = curriculum(global)?;
    let records = open_records(global)?;
    let options = crate::tui::Options {
        learner: global.learner.clone(),
        theme: Theme::new(global.theme, Theme::no_color_requested()),
        preview: false,
        seed: None,
        clock: clock::Clock::from_env(),
        size: ratatui::crossterm::terminal::size().unwrap_or((80, 24)),
    };
    let app = crate::tui::App::new(catalog, records, options)?;
    crate::tui::run(app).map_err(|e| Failure::data(format!("terminal error: {e}")))?;
    Ok(EXIT_OK)
}

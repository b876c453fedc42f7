//! `pace` with no command: the trainer.

use crate::content;
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
    // The curriculum is parsed on a second thread while the records file
    // opens: together they are most of the wait for the first screen. The
    // shipped one was checked where it was built (`content::shipped`).
    let (catalog, records) = std::thread::scope(|s| {
        let catalog = s.spawn(|| match &global.modules {
            Some(_) => curriculum(global),
            None => Ok(content::shipped()),
        });
        let records = open_records(global);
        (catalog.join(), records)
    });
    let catalog = catalog.map_err(|_| Failure::data("the curriculum could not be loaded"))??;
    let records = records?;
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

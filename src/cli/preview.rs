//! `pace preview`: the trainer on an author's modules, exactly as learners
//! see them, with nothing recorded (the records file is never opened).

use std::path::PathBuf;

use crate::content;
use crate::learning::clock;
use crate::records::Records;
use crate::tui::theme::Theme;

use super::{EXIT_OK, Failure, Global};

pub(super) fn run(global: &Global, paths: &[PathBuf], watch: bool) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    for p in paths {
        // symlink_metadata: a link that leads nowhere or to itself is the
        // loader's to report; only a name with nothing there is a typo.
        if std::fs::symlink_metadata(p).is_err() {
            return Err(Failure::usage(format!("{}: no such file or folder", crate::content::sanitize::path(p))));
        }
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::usage("preview needs a terminal; to check modules in a script use `pace validate`"));
    }
    let catalog = content::load_paths(paths)?;
    // In memory only: preview must never create or change a records file.
    let records = Records::in_memory()?;
    let options = crate::tui::Options {
        learner: None,
        theme: Theme::new(global.theme, Theme::no_color_requested()),
        preview: true,
        seed: None,
        clock: clock::Clock::from_env(),
        size: ratatui::crossterm::terminal::size().unwrap_or((80, 24)),
    };
    let app = crate::tui::App::new(catalog, records, options)?;
    let watching = watch.then(|| {
        let paths = paths.to_vec();
        let load_from = paths.clone();
        crate::tui::Watch { paths, load: Box::new(move || content::load_paths(&load_from).map_err(|e| e.to_string())) }
    });
    crate::tui::run_watching(app, watching).map_err(|e| Failure::data(format!("terminal error: {e}")))?;
    Ok(EXIT_OK)
}

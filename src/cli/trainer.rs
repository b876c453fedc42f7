//! `pace` with no command: the trainer, full-screen or (`--plain`,
//! `PACE_PLAIN=1`, `TERM=dumb`) as plain text.

use std::io::IsTerminal;

use crate::content::{self, Catalog};
use crate::learning::clock;
use crate::tui::Rest;
use crate::tui::theme::Theme;

use super::{EXIT_OK, Failure, Global, curriculum, open_records};

pub(super) fn run(global: &Global, plain: bool) -> Result<u8, Failure> {
    if plain || std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return run_plain(global);
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "the trainer needs a terminal; `pace --plain` runs it as plain text (pipes, scripts, screen readers), and `pace progress`, `pace validate` or `pace --help` suit scripts",
        ));
    }
    // The curriculum is read on a second thread while the records file
    // opens: together they are most of the wait for the first screen. The
    // shipped one was checked where it was built (`content::shipped`), and
    // its outline, all the first screen shows, comes first.
    let records;
    let (first, rest): (Result<Catalog, Failure>, Option<Rest>) = match &global.modules {
        Some(_) => {
            let (catalog, records_opened) = std::thread::scope(|s| {
                let catalog = s.spawn(|| curriculum(global));
                let records = open_records(global);
                (catalog.join(), records)
            });
            records = records_opened;
            (catalog.unwrap_or_else(|_| Err(Failure::data("the curriculum could not be loaded"))), None)
        }
        None => {
            // The outline first; the whole catalog once it is asked for
            // (after the first frame), so that parse does not take a core
            // from the first frame on a busy machine.
            let (outline_tx, outline_rx) = std::sync::mpsc::channel();
            let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
            let whole = std::thread::spawn(move || {
                if let Some(outline) = content::shipped_outline() {
                    let _ = outline_tx.send(outline);
                    let _ = go_rx.recv();
                }
                content::shipped()
            });
            records = open_records(global);
            let rest: Rest = Box::new(move || {
                let _ = go_tx.send(());
                whole.join().ok()
            });
            match outline_rx.recv() {
                Ok(outline) => (Ok(outline), Some(rest)),
                // No outline: the whole catalog, now.
                Err(_) => (rest().ok_or_else(|| Failure::data("the curriculum could not be loaded")), None),
            }
        }
    };
    let catalog = first?;
    let records = records?;
    let options = crate::tui::Options {
        learner: global.learner.clone(),
        theme: Theme::new(global.theme, Theme::no_color_requested()),
        preview: false,
        seed: None,
        clock: clock::Clock::from_env(),
        size: ratatui::crossterm::terminal::size().unwrap_or((80, 24)),
    };
    let app = match rest {
        Some(rest) => crate::tui::App::outlined(catalog, rest, records, options)?,
        None => crate::tui::App::new(catalog, records, options)?,
    };
    crate::tui::run(app).map_err(|e| Failure::data(format!("terminal error: {e}")))?;
    Ok(EXIT_OK)
}

fn run_plain(global: &Global) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let records = open_records(global)?;
    let (stdin, stdout) = (std::io::stdin(), std::io::stdout());
    let size = match stdout.is_terminal() {
        true => ratatui::crossterm::terminal::size().unwrap_or((80, 24)),
        false => (80, 24),
    };
    let options = crate::plain::Options {
        learner: global.learner.clone(),
        clock: clock::Clock::from_env(),
        seed: None,
        size,
        echo: !stdin.is_terminal(),
    };
    match crate::plain::run(catalog, records, options, stdin.lock(), stdout.lock()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::data(format!("plain mode stopped: cannot read or write the terminal: {e}")))
        }
        _ => Ok(EXIT_OK),
    }
}

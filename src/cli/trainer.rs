//! `pace` with no command: the trainer, full-screen or (`--plain`,
//! `PACE_PLAIN=1`, `TERM=dumb`) as plain text.

use std::io::IsTerminal;

use crate::content;
use crate::learning::clock;
use crate::tui::theme::Theme;

use super::{EXIT_OK, Failure, Global, curriculum, open_records};
use crate::tui::Prepared;

pub(super) fn run(global: &Global, plain: bool) -> Result<u8, Failure> {
    if plain || std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return run_plain(global);
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "the trainer needs a terminal; `pace --plain` runs it as plain text (pipes, scripts, screen readers), and `pace progress`, `pace validate` or `pace --help` suit scripts",
        ));
    }
    let options = |size| crate::tui::Options {
        learner: global.learner.clone(),
        theme: Theme::new(global.theme, Theme::no_color_requested()),
        preview: false,
        seed: None,
        clock: clock::Clock::from_env(),
        size,
    };
    let terminal_error = |e: std::io::Error| Failure::data(format!("terminal error: {e}"));
    if global.modules.is_some() {
        // A folder of modules, read and checked on a second thread while the records file opens.
        let (catalog, records) = std::thread::scope(|s| {
            let catalog = s.spawn(|| curriculum(global));
            let records = open_records(global);
            (catalog.join(), records)
        });
        let catalog = catalog.unwrap_or_else(|_| Err(Failure::data("the curriculum could not be loaded")))?;
        let records = records?;
        let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
        let app = crate::tui::App::new(catalog, records, options(size))?;
        crate::tui::run(app).map_err(terminal_error)?;
        return Ok(EXIT_OK);
    }
    // The shipped curriculum: the first screen is drawn from its outline,
    // cut at build time (a few kilobytes), read with the terminal's frame
    // buffers while the records file opens on a second thread; the whole
    // curriculum is read after the first frame.
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let (records, outline, terminal) = std::thread::scope(|s| {
        let records = s.spawn(|| open_records(global));
        let outline = content::shipped_outline();
        let terminal = Prepared::new(size);
        (records.join(), outline, terminal)
    });
    let records = records.unwrap_or_else(|_| Err(Failure::data("the records file could not be opened")))?;
    let options = options(size);
    let app = match outline {
        Some(outline) => crate::tui::App::outlined(outline, Box::new(|| Some(content::shipped())), records, options)?,
        None => crate::tui::App::new(content::shipped(), records, options)?,
    };
    crate::tui::run_prepared(app, terminal.map_err(terminal_error)?).map_err(terminal_error)?;
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

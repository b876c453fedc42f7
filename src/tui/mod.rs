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
mod paint;
mod preview;
mod progress;
mod quiz;
mod reader;
mod session;
pub mod theme;
mod ui;
mod views;
mod welcome;

pub use action::Action;
pub use app::{App, MainView, Options, Rest, Screen};
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

use std::io::{BufWriter, Stdout, Write};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseEventKind};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{execute, queue};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

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

/// What wakes the event loop: the terminal, or (preview --watch) a file;
/// and their failures, which travel the same way so the loop shows them
/// instead of hanging or stopping without a word.
#[derive(Debug)]
pub enum Input {
    Terminal(Event),
    FilesChanged,
    /// Reading the terminal failed: the trainer saves and stops with the error.
    TerminalFailed(io::Error),
    /// The file watcher reported an error: preview says so and keeps going.
    WatchFailed(String),
}

/// Runs the trainer until the learner quits. The terminal is restored on
/// return, on error, and on panic (ratatui's hook, plus mouse capture off).
pub fn run(app: App) -> io::Result<()> {
    run_watching(app, None)
}

/// `run` on a terminal prepared ahead (at start-up, while the records file opens).
pub fn run_prepared(app: App, prepared: Prepared) -> io::Result<()> {
    run_on(app, None, prepared)
}

/// Files to watch and how to reload them (trainer preview with --watch).
pub struct Watch {
    pub paths: Vec<PathBuf>,
    /// Loads the modules again; an error (a folder gone) is shown, not dropped.
    pub load: Box<dyn FnMut() -> Result<Catalog, String>>,
}

/// The one event loop: terminal events and file changes arrive on the same
/// channel, the way rustlings' watch mode merges them.
pub fn run_watching(app: App, watch: Option<Watch>) -> io::Result<()> {
    let size = app.area();
    run_on(app, watch, Prepared::new((size.width, size.height))?)
}

fn run_on(mut app: App, watch: Option<Watch>, prepared: Prepared) -> io::Result<()> {
    let (tx, rx) = mpsc::channel::<Input>();
    let mut reload = None;
    let _watcher = match watch {
        Some(Watch { paths, load }) => {
            let files = tx.clone();
            let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let _ = match event {
                    Ok(e) if e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove() => {
                        files.send(Input::FilesChanged)
                    }
                    Ok(_) => Ok(()),
                    Err(e) => files.send(Input::WatchFailed(e.to_string())),
                };
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
    let mut terminal = init(prepared)?;
    let result = event_loop(&mut terminal, &mut app, (tx, &rx), reload.as_mut());
    let _ = terminal.backend_mut().flush();
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// The trainer's terminal: crossterm writing through one buffer, flushed at
/// the end of each frame, so a frame reaches the terminal in one write.
type Tty = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// The trainer's terminal before it is set up: crossterm's output buffer
/// and ratatui's two frame buffers for a size, which are most of what
/// setting up the terminal costs and touch no terminal, so start-up makes
/// them while the records file opens on its second thread (`cli::startup`).
/// The viewport is that size; the event loop
/// resizes it on each resize event (ratatui would otherwise ask the
/// terminal its size before every frame).
pub struct Prepared(Tty);

impl Prepared {
    pub fn new((width, height): (u16, u16)) -> io::Result<Prepared> {
        let out = BufWriter::with_capacity(1 << 16, io::stdout());
        let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
        Terminal::with_options(CrosstermBackend::new(out), TerminalOptions { viewport }).map(Prepared)
    }
}

/// Raw mode, the alternate screen and mouse capture, as `ratatui::init` and
/// the trainer set them up, with the terminal restored on a panic. The
/// switch to the alternate screen and mouse capture wait in the buffer and
/// go out with the first frame: one write for the first screen.
fn init(Prepared(mut terminal): Prepared) -> io::Result<Tty> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        previous(info);
    }));
    enable_raw_mode()?;
    queue!(terminal.backend_mut(), EnterAlternateScreen, EnableMouseCapture)?;
    Ok(terminal)
}

/// The preview's reload, when it watches files.
pub type Loader<'a> = Option<&'a mut Box<dyn FnMut() -> Result<Catalog, String>>>;

/// Reads the terminal on a thread of its own, each event onto `tx`.
fn read_terminal(tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let sent = match event::read() {
                Ok(event) => tx.send(Input::Terminal(event)),
                Err(e) => {
                    let _ = tx.send(Input::TerminalFailed(e));
                    break;
                }
            };
            if sent.is_err() {
                break;
            }
        }
    });
}

/// How long what start-up put off waits for the first key (`event_loop`).
const SETTLE: Duration = Duration::from_millis(25);

/// `channel`: where inputs arrive, and the sender the terminal's reader
/// gets once the first frame is out (keys typed before wait in the terminal).
fn event_loop(
    terminal: &mut Tty,
    app: &mut App,
    channel: (mpsc::Sender<Input>, &mpsc::Receiver<Input>),
    mut reload: Loader,
) -> io::Result<()> {
    let (tx, rx) = channel;
    let mut reader = Some(tx);
    // The size the terminal was set up with (no second question to the terminal).
    let size = terminal.get_frame().area();
    app.update(Action::Resize(size.width, size.height));
    while !app.quit {
        terminal.draw(|frame| draw(frame, app))?;
        if let Some(tx) = reader.take() {
            // crossterm listens for resizes from its first poll on: poll
            // here, then ask the size once, so a resize before the reader
            // thread starts is neither lost nor missed in between.
            let _ = event::poll(Duration::ZERO);
            if let Ok((width, height)) = terminal::size()
                && (width, height) != (size.width, size.height)
            {
                let _ = tx.send(Input::Terminal(Event::Resize(width, height)));
            }
            read_terminal(tx);
            // What start-up put off (the whole curriculum, marking the
            // learner active) waits for the first key, or for the terminal
            // to have had a moment to show the first frame: on two cores it
            // would otherwise compete with the terminal for a processor.
            let first = rx.recv_timeout(SETTLE);
            app.first_frame_shown();
            match first {
                Ok(input) => {
                    handle(terminal, app, input, rx, &mut reload)?;
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => {}
            }
        }
        let input = match rx.recv() {
            Ok(input) => input,
            // Nothing can wake the loop again: save as a quit does, then stop.
            Err(_) => {
                app.update(Action::Quit);
                break;
            }
        };
        handle(terminal, app, input, rx, &mut reload)?;
    }
    Ok(())
}

/// One input, with any file changes that arrive with it taken as one.
fn handle(
    terminal: &mut Tty,
    app: &mut App,
    input: Input,
    rx: &mpsc::Receiver<Input>,
    reload: &mut Loader,
) -> io::Result<()> {
    let mut pending = Vec::new();
    if matches!(input, Input::FilesChanged) {
        // An editor's save is several events; let them settle, then reload once.
        std::thread::sleep(Duration::from_millis(120));
        while let Ok(more) = rx.try_recv() {
            if !matches!(more, Input::FilesChanged) {
                pending.push(more);
            }
        }
    }
    follow_resize(terminal, &input)?;
    apply(app, input, reload)?;
    for more in pending {
        follow_resize(terminal, &more)?;
        apply(app, more, reload)?;
    }
    Ok(())
}

/// The viewport follows the terminal's size (see `Prepared`).
fn follow_resize(terminal: &mut Tty, input: &Input) -> io::Result<()> {
    if let Input::Terminal(Event::Resize(width, height)) = input {
        terminal.resize(Rect::new(0, 0, *width, *height))?;
    }
    Ok(())
}

/// One input's effect on the trainer. A terminal that can no longer be read
/// ends the session after saving (the error goes to the caller); a watcher
/// or reload error is shown in a message.
pub fn apply(app: &mut App, input: Input, reload: &mut Loader) -> io::Result<()> {
    match input {
        Input::Terminal(event) => {
            if let Some(action) = action_for(app, &event) {
                app.update(action);
            }
        }
        Input::FilesChanged => match reload.as_mut().map(|load| load()) {
            Some(Ok(catalog)) => app.reload(catalog),
            Some(Err(why)) => app.show_message("Could not reload", &why),
            None => {}
        },
        Input::WatchFailed(why) => app.show_message(
            "The file watcher failed",
            &format!("{why}\n\nSaved files may not reload until preview is started again."),
        ),
        Input::TerminalFailed(e) => {
            app.update(Action::Quit);
            return Err(io::Error::new(e.kind(), format!("cannot read the terminal: {e}; your place was saved")));
        }
    }
    Ok(())
}

//! The real binary in a pseudo-terminal: what the screen shows, and every
//! raw byte pace wrote, so a test can check both.

use std::cell::Cell;
use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long a test waits for pace to show something or to exit before it
/// fails: long, because every wait ends as soon as its condition holds, and
/// a machine busy with other work may be slow to get there.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// What pace has written: the screen it makes, every raw byte, and whether
/// the terminal has closed (pace and everything it started have exited).
struct Output {
    screen: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
}

pub struct Session {
    /// Notified each time pace's output has been read into it.
    output: Arc<(Mutex<Output>, Condvar)>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    /// The last keys sent ended with a lone ESC and nothing has been waited for since.
    escape_pending: Cell<bool>,
}

impl Session {
    /// Starts `pace ARGS` in a 100x30 terminal on the shipped curriculum.
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Session {
        let pair =
            native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pace"));
        cmd.args(args);
        cmd.cwd(std::env::current_dir().expect("cwd"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("PACE_MODULES");
        cmd.env_remove("PACE_DB");
        cmd.env_remove("PACE_PLAIN");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn pace");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let output = Output { screen: vt100::Parser::new(30, 100, 0), raw: Vec::new(), closed: false };
        let output = Arc::new((Mutex::new(output), Condvar::new()));
        let shared = Arc::clone(&output);
        std::thread::spawn(move || {
            let (output, changed) = &*shared;
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let mut out = output.lock().expect("output");
                if n == 0 {
                    out.closed = true;
                    changed.notify_all();
                    break;
                }
                out.screen.process(&buf[..n]);
                out.raw.extend_from_slice(&buf[..n]);
                changed.notify_all();
            }
        });
        Session { output, writer, child, master: pair.master, escape_pending: Cell::new(false) }
    }

    fn output(&self) -> MutexGuard<'_, Output> {
        self.output.0.lock().expect("output")
    }

    /// Resizes the terminal, as a window's user does (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.output().screen.screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize");
    }

    /// One row of the screen, as shown.
    pub fn row(&self, row: u16) -> String {
        row_of(self.output().screen.screen(), row)
    }

    pub fn contents(&self) -> String {
        self.output().screen.screen().contents()
    }

    /// Every byte pace has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.output().raw.clone()
    }

    /// Waits until the screen shows `text`; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contents().contains(text))
    }

    /// Waits until `shown` holds for the screen (woken each time pace's
    /// output arrives, failing after `PATIENCE`); returns the screen's text.
    /// `what` names the wait in the failure.
    pub fn wait_until(&self, what: &str, shown: impl Fn(&vt100::Screen) -> bool) -> String {
        self.escape_pending.set(false);
        let deadline = Instant::now() + PATIENCE;
        let (output, changed) = &*self.output;
        let mut out = output.lock().expect("output");
        loop {
            if shown(out.screen.screen()) {
                return out.screen.screen().contents();
            }
            let screen = out.screen.screen().contents();
            assert!(!out.closed, "waited for {what}, but pace closed the terminal; the screen shows:\n{screen}");
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "waited {PATIENCE:?} for {what}; the screen shows:\n{screen}");
            out = changed.wait_timeout(out, left).expect("output").0;
        }
    }

    /// Waits until the terminal has stopped echoing what is typed, as a
    /// password prompt does once it is ready to read. Nothing tells this
    /// end of a terminal when its settings change, so this is the one wait
    /// that looks again every few milliseconds, until `PATIENCE` has passed.
    pub fn wait_for_no_echo(&self) {
        // ECHO in termios' local modes: the same bit on Linux, macOS and the BSDs.
        const ECHO: u64 = 0o10;
        let deadline = Instant::now() + PATIENCE;
        loop {
            let termios = self.master.get_termios().expect("the terminal's settings");
            if u64::from(termios.local_flags.bits()) & ECHO == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "the terminal still echoes after {PATIENCE:?}:\n{}", self.contents());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Types `keys` and returns at once: pace reads them in order, but a
    /// test must wait for what they do (`wait_for`, `send_and_wait`) before
    /// it reads the screen. An ESC followed at once by more bytes reads as
    /// Alt and a key, so after a lone ESC the test waits for its effect
    /// before it types again (`send` refuses otherwise).
    pub fn send(&mut self, keys: &str) {
        assert!(
            !self.escape_pending.get(),
            "keys {keys:?} typed right after ESC would read as Alt+key: wait for ESC's effect first"
        );
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        self.escape_pending.set(keys.ends_with('\u{1b}'));
    }

    /// Types `keys`, then waits until the screen shows `text`; returns the screen.
    pub fn send_and_wait(&mut self, keys: &str, text: &str) -> String {
        self.send(keys);
        self.wait_for(text)
    }

    /// Waits for pace to exit; its exit code. A watchdog kills pace after
    /// `PATIENCE`, and the test then fails.
    pub fn wait_exit(&mut self) -> u32 {
        let status = wait_within(self.child.as_mut());
        let screen = self.contents();
        assert!(status.is_some(), "pace did not exit in {PATIENCE:?}; screen:\n{screen}");
        status.map_or(u32::MAX, |s| s.exit_code())
    }
}

/// One row of a screen, as shown.
pub fn row_of(screen: &vt100::Screen, row: u16) -> String {
    let (_, cols) = screen.size();
    screen.contents_between(row, 0, row, cols)
}

/// Waits for `child` to exit, killing it once `PATIENCE` has passed: its
/// exit status, or None when it had to be killed.
pub fn wait_within(child: &mut (dyn portable_pty::Child + Send + Sync)) -> Option<portable_pty::ExitStatus> {
    let mut killer = child.clone_killer();
    let (exited, watch) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let late = watch.recv_timeout(PATIENCE) == Err(mpsc::RecvTimeoutError::Timeout);
        if late {
            let _ = killer.kill();
        }
        late
    });
    let status = child.wait().expect("wait for pace");
    let _ = exited.send(());
    let killed = watchdog.join().expect("watchdog");
    (!killed).then_some(status)
}

/// Fails on any byte a string from outside could have smuggled in: BEL, a
/// C1 control (raw or as UTF-8), an escape sequence other than the CSI
/// sequences the trainer draws with, or a CSI that pace never writes
/// (window operations, device reports). For captured stdout and stderr,
/// `drawing` is false and no ESC at all is allowed.
pub fn assert_no_smuggled_controls(bytes: &[u8], drawing: bool, what: &str) {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => panic!("{what}: not UTF-8 at byte {}: {:?}", e.valid_up_to(), context(bytes, e.valid_up_to())),
    };
    for (i, c) in text.char_indices() {
        let bad = match c {
            '\u{7}' => Some("BEL"),
            '\u{80}'..='\u{9f}' => Some("a C1 control"),
            '\u{1b}' if !drawing => Some("ESC"),
            '\u{1b}' => own_csi(&bytes[i..]).err(),
            _ => None,
        };
        if let Some(bad) = bad {
            panic!("{what}: {bad} at byte {i}: {:?}", context(bytes, i));
        }
    }
}

/// Whether the escape sequence at the start of `b` is one the trainer's
/// drawing writes: CSI with parameters and a final byte, other than window
/// operations (`t`) and device status reports (`n`).
fn own_csi(b: &[u8]) -> Result<(), &'static str> {
    if b.get(1) != Some(&b'[') {
        return Err("an escape sequence that is not CSI (OSC, DCS, APC...)");
    }
    for &x in &b[2..] {
        match x {
            0x20..=0x3f => {}
            b't' | b'n' | b'c' => return Err("a CSI that pace never writes (window op or terminal report)"),
            0x40..=0x7e => return Ok(()),
            _ => return Err("a malformed CSI"),
        }
    }
    Err("an unfinished CSI")
}

fn context(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(30);
    let to = (at + 30).min(bytes.len());
    String::from_utf8_lossy(&bytes[from..to]).into_owned()
}

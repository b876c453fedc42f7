//! The real binary in a pseudo-terminal: what the screen shows, and every
//! raw byte pace wrote, so a test can check both.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
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
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().expect("screen").process(&buf[..n]);
                r.lock().expect("raw").extend_from_slice(&buf[..n]);
            }
        });
        Session { screen, raw, writer, child, master: pair.master }
    }

    /// Resizes the terminal, as a window's user does (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.screen.lock().expect("screen").screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize");
    }

    /// One row of the screen, as shown.
    pub fn row(&self, row: u16) -> String {
        let screen = self.screen.lock().expect("screen");
        let (_, cols) = screen.screen().size();
        screen.screen().contents_between(row, 0, row, cols)
    }

    pub fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    /// Every byte pace has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.contents();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "waited for {text:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.exit_code();
            }
            assert!(start.elapsed() < Duration::from_secs(10), "pace did not exit; screen:\n{}", self.contents());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
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

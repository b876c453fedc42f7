//! Spawn to first frame at 120x40, in a pseudo-terminal: `pace` entering a
//! recorded learner on the shipped curriculum, against `less` on a
//! 5,000-line file, measured in the same run, interleaved, so both see the
//! same machine. The clock runs from just before the spawn until the
//! terminal shows the whole first screen (less: its 39th line and its
//! prompt; pace: the catalog's first row and the status bar's last hint).
//! Target: pace within 1.5x of less (issue 15). `cargo bench --bench startup`;
//! RUNS sets the number of runs of each (default 40).
//!
//! pace is measured as installed: copied into place, as `cargo install` and
//! packages do (`less` is a packaged program too). The linker's output file
//! in target/ is not what a learner runs, and on the sandboxed machine this
//! was measured on (gVisor) a file the linker wrote, through a memory map,
//! starts 1.3-1.7 ms slower than a copy of the same bytes for as long as the
//! sandbox keeps it cached. PACE_BIN=path measures another file instead
//! (for instance that output file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

/// Time from spawn until `done(screen)` holds, then the program is told to quit.
fn time_to_screen(program: &str, args: &[&str], env: &[(&str, &str)], done: fn(&vt100::Screen) -> bool) -> Duration {
    let pair =
        native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 }).expect("pty");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("PACE_MODULES");
    cmd.env_remove("PACE_DB");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = mpsc::channel();
    let (start_tx, start_rx) = mpsc::channel::<Instant>();
    // The reader is waiting before the clock starts, so starting it does
    // not compete with the program for the processor.
    let reading = std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        let mut buf = [0u8; 16384];
        let mut seen = None;
        let mut start = None;
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let started = *start.get_or_insert_with(|| start_rx.recv().unwrap_or_else(|_| Instant::now()));
            parser.process(&buf[..n]);
            if seen.is_none() && done(parser.screen()) {
                seen = Some(started.elapsed());
                let _ = tx.send(());
            }
        }
        (seen, parser.screen().contents())
    });
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    let _ = start_tx.send(start);
    drop(pair.slave);
    let shown = rx.recv_timeout(Duration::from_secs(10)).is_ok();
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    drop(writer);
    drop(pair.master);
    let (seen, screen) = reading.join().expect("reader thread");
    assert!(shown, "{program} never showed its first screen; it shows:\n{screen}");
    seen.expect("time")
}

fn row(screen: &vt100::Screen, r: u16) -> String {
    screen.contents_between(r, 0, r, COLS)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let less = which("less").expect("less is needed for the baseline: apt-get install less");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = dir.path().join("lines.txt");
    let lines: String = (1..=5000).map(|i| format!("line {i:04} of a long file for the pager to show\n")).collect();
    std::fs::write(&text, lines).expect("write lines");
    let db = dir.path().join("pace.db");
    {
        let mut records = pace::records::Records::open(&db).expect("records");
        let ana = pace::records::NewLearner::named("Ana Ruiz", pace::content::Audience::Employee, false);
        records.add_learner(&ana, chrono::Utc::now()).expect("learner");
    }
    let installed = dir.path().join("pace");
    std::fs::copy(env!("CARGO_BIN_EXE_pace"), &installed).expect("install pace");
    let pace_bin = std::env::var("PACE_BIN").unwrap_or_else(|_| installed.to_string_lossy().into_owned());
    let pace_bin = pace_bin.as_str();
    let db_arg = db.to_string_lossy().into_owned();
    let text_arg = text.to_string_lossy().into_owned();
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(40);

    let less_done: fn(&vt100::Screen) -> bool =
        |s| row(s, ROWS - 2).contains("line 0039") && !row(s, ROWS - 1).trim().is_empty();
    let pace_done: fn(&vt100::Screen) -> bool = |s| row(s, 2).contains('★') && row(s, ROWS - 1).contains("quit");
    let run_less = || time_to_screen(&less, &[&text_arg], &[("LESS", ""), ("LESSHISTFILE", "-")], less_done);
    let run_pace = || time_to_screen(pace_bin, &["--db", &db_arg, "--learner", "Ana Ruiz"], &[], pace_done);
    // Warm the page cache and the binaries.
    for _ in 0..3 {
        run_less();
        run_pace();
    }
    let (mut l, mut p) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        l.push(run_less());
        p.push(run_pace());
    }
    let (ml, mp) = (median(l.clone()), median(p.clone()));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("spawn to first frame at {COLS}x{ROWS}, medians of {runs} interleaved runs (load {}):", load.trim());
    println!("  baseline: less on a 5,000-line file  {:>8.2} ms (min {:.2})", ms(ml), ms(*l.iter().min().unwrap()));
    println!("  pace, a recorded learner            {:>8.2} ms (min {:.2})", ms(mp), ms(*p.iter().min().unwrap()));
    println!("    (pace: {pace_bin})");
    println!("  ratio                               {:>8.2}x (target: within 1.5x)", ms(mp) / ms(ml));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn which(program: &str) -> Option<String> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}

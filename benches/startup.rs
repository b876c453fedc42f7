//! Spawn to first frame at 120x40, in a pseudo-terminal: `pace` entering a
//! recorded learner on the shipped curriculum, against `less` on a
//! 5,000-line file, measured in the same run, interleaved, so all see the
//! same machine. The clock runs from just before the spawn until the
//! terminal shows the whole first screen (less: its 39th line and its
//! prompt; pace: the catalog's first row and the status bar's last hint).
//!
//! Two builds of pace are measured: the portable one (the default `cargo
//! build --release`, what `cargo install` gives everyone) and, on x86-64
//! Linux, the opt-in static one (`.cargo/static.toml`). Target: the
//! portable build within 1.6x of less, 1.8x at most (issue 20).
//! `cargo bench --bench startup`; RUNS sets the number of runs of each
//! (default 40). PACE_BIN and PACE_STATIC_BIN name the binaries to measure;
//! without PACE_STATIC_BIN the bench builds the static one with cargo
//! (into target/, as `cargo build --release --target x86_64-unknown-linux-gnu
//! --config .cargo/static.toml` does); PACE_STATIC_BIN=none skips it.
//!
//! Each binary is measured as installed: copied into place, as `cargo
//! install` and packages do (`less` is a packaged program too). On the
//! sandboxed machine this was measured on, a file the linker wrote through a
//! memory map starts 1.3-1.7 ms slower than a copy of the same bytes.
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

/// The static build: PACE_STATIC_BIN, else built here with cargo on
/// x86-64 Linux, else none.
fn static_build() -> Option<String> {
    match std::env::var("PACE_STATIC_BIN") {
        Ok(path) if path == "none" => return None,
        Ok(path) => return Some(path),
        Err(_) => {}
    }
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        return None;
    }
    let triple = "x86_64-unknown-linux-gnu";
    let root = env!("CARGO_MANIFEST_DIR");
    eprintln!("building the static pace (cargo build --release --target {triple} --config .cargo/static.toml)...");
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--bin", "pace", "--target", triple, "--config", ".cargo/static.toml"])
        .current_dir(root)
        .status()
        .expect("run cargo");
    assert!(status.success(), "the static build failed");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| format!("{root}/target"));
    Some(format!("{target}/{triple}/release/pace"))
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
    let install = |from: &str, name: &str| {
        let to = dir.path().join(name);
        std::fs::copy(from, &to).unwrap_or_else(|e| panic!("install {from}: {e}"));
        to.to_string_lossy().into_owned()
    };
    let portable = install(&std::env::var("PACE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pace").into()), "pace");
    let statically = static_build().map(|from| install(&from, "pace-static"));
    let db_arg = db.to_string_lossy().into_owned();
    let text_arg = text.to_string_lossy().into_owned();
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(40);

    let less_done: fn(&vt100::Screen) -> bool =
        |s| row(s, ROWS - 2).contains("line 0039") && !row(s, ROWS - 1).trim().is_empty();
    let pace_done: fn(&vt100::Screen) -> bool = |s| row(s, 2).contains('★') && row(s, ROWS - 1).contains("quit");
    let run_less = || time_to_screen(&less, &[&text_arg], &[("LESS", ""), ("LESSHISTFILE", "-")], less_done);
    let run_pace = |bin: &str| time_to_screen(bin, &["--db", &db_arg, "--learner", "Ana Ruiz"], &[], pace_done);
    // Warm the page cache and the binaries.
    for _ in 0..3 {
        run_less();
        run_pace(&portable);
        statically.as_deref().map(run_pace);
    }
    let (mut l, mut p, mut s) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        l.push(run_less());
        p.push(run_pace(&portable));
        if let Some(bin) = &statically {
            s.push(run_pace(bin));
        }
    }
    let ml = median(l.clone());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("spawn to first frame at {COLS}x{ROWS}, medians of {runs} interleaved runs (load {}):", load.trim());
    println!("  baseline: less on a 5,000-line file  {:>8.2} ms (min {:.2})", ms(ml), ms(*l.iter().min().unwrap()));
    for (name, times) in [("pace, portable build", p), ("pace, static build", s)] {
        if times.is_empty() {
            println!("  {name:<36} not measured");
            continue;
        }
        let (mp, min) = (median(times.clone()), *times.iter().min().unwrap());
        println!("  {name:<36} {:>8.2} ms (min {:.2}), {:.2}x of less", ms(mp), ms(min), ms(mp) / ms(ml));
    }
    println!("  target: the portable build within 1.6x of less (1.8x at most)");
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

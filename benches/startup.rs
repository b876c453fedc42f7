//! Spawn to first frame in a 120x40 pseudo-terminal: `pace` opening a
//! returning learner's home screen, next to `less` opening a 5,000-line file
//! in the same run, timed the same way. Target: pace within 1.5x of less.
//!
//! The clock starts just before the spawn and stops when the last thing the
//! first frame draws arrives on the terminal: less's prompt (the file's
//! name, in reverse video), and pace's bottom-right cell ("Level: none
//! yet"), which ratatui writes last because it draws row by row.
//! Needs `less` on the PATH; says so and measures only pace without it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const SIZE: PtySize = PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 };
const LESS_FILE: &str = "startup-5000.txt";

/// One spawn to first frame: the time from just before the spawn until
/// `marker` has been read from the terminal.
fn first_frame(mut cmd: CommandBuilder, marker: &[u8]) -> Duration {
    let pair = native_pty_system().openpty(SIZE).expect("a pseudo-terminal");
    cmd.env("TERM", "xterm-256color");
    let mut reader = pair.master.try_clone_reader().expect("the terminal's reader");
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    let mut seen = Vec::with_capacity(16 * 1024);
    let mut buf = [0u8; 16 * 1024];
    let elapsed = loop {
        let n = reader.read(&mut buf).expect("read the terminal");
        assert!(n > 0, "the program ended before its first frame; it wrote:\n{}", String::from_utf8_lossy(&seen));
        let from = seen.len().saturating_sub(marker.len());
        seen.extend_from_slice(&buf[..n]);
        if memchr::memmem::find(&seen[from..], marker).is_some() {
            break start.elapsed();
        }
    };
    child.kill().ok();
    child.wait().ok();
    elapsed
}

fn less_available() -> bool {
    std::process::Command::new("less").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn setup(dir: &Path) {
    let mut text = std::fs::File::create(dir.join(LESS_FILE)).unwrap();
    for n in 1..=5000 {
        writeln!(text, "line {n:05} of the start-up benchmark's plain text file, long enough to look like prose")
            .unwrap();
    }
    // A returning learner, so pace opens straight onto the home screen.
    let mut records = pace::records::Records::open(&dir.join("records.sqlite3")).unwrap();
    let ana = pace::records::NewLearner::named("Ana Ruiz", pace::content::Audience::Employee, false);
    records.add_learner(&ana, chrono::Utc::now()).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let pace = || {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pace"));
        cmd.args(["--learner", "Ana Ruiz", "--db"]);
        cmd.arg(dir.path().join("records.sqlite3"));
        cmd.cwd(dir.path());
        for var in ["PACE_MODULES", "PACE_DB", "PACE_PLAIN", "NO_COLOR"] {
            cmd.env_remove(var);
        }
        cmd
    };
    let less = || {
        let mut cmd = CommandBuilder::new("less");
        cmd.arg(LESS_FILE);
        cmd.cwd(dir.path());
        cmd.env_remove("LESS");
        cmd.env_remove("LESSOPEN");
        cmd
    };
    // Each command reaches its first frame once before timing starts, so a
    // missing marker fails here, loudly, not as a hang inside criterion.
    first_frame(pace(), b"Level: none yet");
    let with_less = less_available();
    if with_less {
        first_frame(less(), LESS_FILE.as_bytes());
    } else {
        eprintln!("less is not installed: measuring pace alone, with no baseline to compare against");
    }

    let mut group = c.benchmark_group("startup-120x40");
    group.sample_size(50).measurement_time(Duration::from_secs(8));
    if with_less {
        group.bench_function("baseline: less on a 5,000-line file", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| first_frame(less(), LESS_FILE.as_bytes())).sum())
        });
    }
    group.bench_function("pace: home screen of a returning learner", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| first_frame(pace(), b"Level: none yet")).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

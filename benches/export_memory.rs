//! Peak memory of `pace export` (CSV and xAPI) and `pace report` on a records
//! file of 10,000 learners x 500 answers (5 million answers), measured on the
//! real binary, next to the same commands on a file of 1,000 learners in the
//! same run: an export that streams keeps the same flat memory whatever the
//! file's size. Target: under 64 MB at 5M answers.
//!
//! `cargo bench --bench export_memory` (it builds the release binary first).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/records.rs"]
mod datagen;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The highest resident set size the process reached (VmHWM), polled until it exits.
fn peak_kib(mut cmd: Command) -> (u64, Duration) {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| panic!("{e}"));
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(line) = text.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            peak = peak.max(kib);
        }
        if let Ok(Some(exit)) = child.try_wait() {
            assert!(exit.success(), "{cmd:?} failed");
            return (peak, start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn main() {
    let pace = env!("CARGO_BIN_EXE_pace");
    println!("{:<34} {:>14} {:>10}   {:>14} {:>10}", "command", "1,000 learners", "time", "10,000 learners", "time");
    let small = datagen::records_file(1_000);
    let large = datagen::records_file(10_000);
    for args in [
        &["export", "--format", "csv"][..],
        &["export", "--format", "xapi"][..],
        &["report"][..],
        &["report", "--format", "json"][..],
    ] {
        let run = |db: &std::path::Path| {
            let mut cmd = Command::new(pace);
            cmd.arg("--db").arg(db).args(args).env_remove("PACE_MODULES");
            peak_kib(cmd)
        };
        let (small_kib, small_t) = run(&small);
        let (large_kib, large_t) = run(&large);
        println!(
            "{:<34} {:>11} MB {:>9.2}s   {:>11} MB {:>9.2}s{}",
            format!("pace {}", args.join(" ")),
            small_kib / 1024,
            small_t.as_secs_f64(),
            large_kib / 1024,
            large_t.as_secs_f64(),
            if large_kib > 64 * 1024 { "   OVER the 64 MB target" } else { "" }
        );
    }
    let raw = rusqlite::Connection::open(&large).unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    datagen::baseline(&raw);
    println!("baseline aggregate query over 5M answers (in process): {:.2}s", start.elapsed().as_secs_f64());
}

//! Where a trainer or an administrator waits (issue 26): `pace export`
//! (xAPI and CSV) and `pace doctor` as whole processes on a records file of
//! 1,000 learners x 500 answers, each against the plain SQLite command that
//! reads the same rows, interleaved run for run so both see the same
//! machine; and the bytes the file spends per answer.
//!
//! `cargo bench --bench export` (it builds the release binary first).
//! `LEARNERS=10000` measures the 10,000-learner file instead (5 million
//! answers; made once and kept under target/bench-data). `RUNS` sets the runs
//! of each command (default 5). The baselines need the `sqlite3` program.
//!
//! Targets: xAPI within 3x of `sqlite3 -json`, CSV within 1.5x of
//! `sqlite3 -csv`, doctor within 1.15x of `PRAGMA integrity_check` and
//! `doctor --quick` within 1.3x of `PRAGMA quick_check`, at most 250 bytes
//! per answer in pages in use.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/records.rs"]
mod datagen;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The answers joined to their learners: what an xAPI export must read at
/// the least (one row per answer statement, the learner's identity with it).
const ANSWERS_JOINED: &str = "SELECT a.uuid, a.answered_at, l.uuid AS learner_uuid, l.name, l.email, l.employee_id, \
     a.module_id, a.question_id, a.chosen, a.correct, q.uuid AS attempt_uuid, q.module_version \
     FROM answers a JOIN learners l ON l.id = a.learner_id LEFT JOIN quiz_attempts q ON q.id = a.attempt_id";

/// The columns of the CSV export's answer rows.
const CSV_COLUMNS: &str = "SELECT a.answered_at, l.id, l.uuid, l.name, l.email, l.employee_id, l.role, 'answered', \
     a.module_id, a.question_id, a.chosen, a.correct, NULL, NULL, a.uuid \
     FROM answers a JOIN learners l ON l.id = a.learner_id";

fn run(mut cmd: Command, out: &Path) -> Duration {
    let file = std::fs::File::create(out).unwrap();
    let start = Instant::now();
    let status = cmd.stdout(file).stderr(Stdio::null()).status().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let took = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let pace = env!("CARGO_BIN_EXE_pace");
    let learners: usize = std::env::var("LEARNERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let db = datagen::records_file(learners);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let dbs = db.to_string_lossy().into_owned();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let answers: i64 = conn.query_row("SELECT count(*) FROM answers", [], |r| r.get(0)).unwrap();
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0)).unwrap();
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    drop(conn);
    let in_use = (pages - free) * page_size;
    println!(
        "{learners} learners, {answers} answers: {:.1} MB in pages in use, {} bytes per answer (target: 250 at most)\n",
        in_use as f64 / 1e6,
        in_use / answers.max(1)
    );

    let pace_cmd = |args: &[&str]| {
        let mut c = Command::new(pace);
        c.arg("--db").arg(&db).args(args).env_remove("PACE_MODULES");
        c
    };
    let sqlite = |args: &[&str]| {
        let mut c = Command::new("sqlite3");
        c.arg("-readonly").args(args);
        c
    };
    type Make<'a> = Box<dyn Fn() -> Command + 'a>;
    let pairs: Vec<(&str, Make, Make, f64)> = vec![
        (
            "export --format xapi",
            Box::new(|| pace_cmd(&["export", "--format", "xapi"])),
            Box::new(|| sqlite(&["-json", &dbs, ANSWERS_JOINED])),
            3.0,
        ),
        (
            "export --format csv",
            Box::new(|| pace_cmd(&["export", "--format", "csv"])),
            Box::new(|| sqlite(&["-csv", &dbs, CSV_COLUMNS])),
            1.5,
        ),
        ("doctor", Box::new(|| pace_cmd(&["doctor"])), Box::new(|| sqlite(&[&dbs, "PRAGMA integrity_check"])), 1.15),
    ];
    println!("{:<22} {:>10} {:>10} {:>7} {:>7}", "command", "pace", "baseline", "ratio", "target");
    for (name, pace_run, base_run, target) in pairs {
        let (mut p, mut b) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            p.push(run(pace_run(), &out));
            b.push(run(base_run(), &out));
        }
        let (p, b) = (median(p), median(b));
        let ratio = p.as_secs_f64() / b.as_secs_f64();
        println!(
            "{name:<22} {:>9.2}s {:>9.2}s {:>6.2}x {:>6.2}x{}",
            p.as_secs_f64(),
            b.as_secs_f64(),
            ratio,
            target,
            if ratio > target { "  OVER" } else { "" }
        );
    }
}

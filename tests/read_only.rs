//! The commands that only read (report, export, progress, report
//! --questions, sync --dry-run) through the real binary: every byte of the
//! records file and of its -wal and -shm stays as it was, no file appears
//! beside it, and a file from an older pace is refused, not upgraded, with
//! `pace doctor --upgrade` named (which then upgrades it, keeping a copy).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{history, run_pace, snapshot};
use rusqlite::Connection;

const NOW: &str = "2026-12-01T09:00:00Z";

/// Every reading command, each run on `db`.
const READING: &[&[&str]] = &[
    &["report"],
    &["report", "--format", "json"],
    &["report", "--questions"],
    &["export", "--format", "csv"],
    &["export", "--format", "xapi"],
    &["progress", "--learner", "Ana Ruiz"],
    &["sync", "--lrs", "http://127.0.0.1:9/xapi", "--dry-run"],
];

fn each_reading_command_leaves(dir: &Path, db: &Path, what: &str) {
    let before = snapshot(dir);
    for args in READING {
        let run = run_pace(db, NOW, args);
        assert_eq!(run.code, 0, "{what}: pace {args:?}: {}{}", run.stdout, run.stderr);
        assert!(!run.stdout.is_empty(), "{what}: pace {args:?} printed nothing");
        assert_eq!(snapshot(dir), before, "{what}: pace {args:?} changed a file or added one");
    }
}

#[test]
fn reading_commands_change_no_byte_of_a_file_at_rest() {
    let (dir, db, _) = history::recorded();
    assert_eq!(snapshot(dir.path()).len(), 1, "the file alone, no log");
    each_reading_command_leaves(dir.path(), &db, "a file at rest");
}

#[test]
fn reading_commands_read_a_log_left_by_a_crash_without_merging_it() {
    let (dir, db, _) = history::recorded();
    let writer = Connection::open(&db).expect("open");
    writer.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoint");
    writer
        .execute(
            "INSERT INTO learners (name, role, new_hire, created_at, last_active_at, uuid) VALUES ('Dana Log', 'employee', 0, ?1, ?1, '6c1f5a8e-0d2b-4c1e-9a7e-3b1f2c4d5e6f')",
            [NOW],
        )
        .expect("a learner in the log");
    // The three files as a crash leaves them: copied while the writer is open.
    let copy = tempfile::tempdir().expect("tempdir");
    for name in snapshot(dir.path()).keys() {
        std::fs::copy(dir.path().join(name), copy.path().join(name)).expect("copy");
    }
    drop(writer);
    let copied = copy.path().join("pace.sqlite3");
    assert_eq!(snapshot(copy.path()).len(), 3, "file, -wal and -shm");
    let report = run_pace(&copied, NOW, &["report"]);
    assert!(report.stdout.contains("Dana Log"), "what the log holds is read: {}{}", report.stdout, report.stderr);
    each_reading_command_leaves(copy.path(), &copied, "a log left by a crash");

    // A log holding writes but no -shm: refused, said, and nothing written.
    std::fs::remove_file(copy.path().join("pace.sqlite3-shm")).expect("remove shm");
    let before = snapshot(copy.path());
    let run = run_pace(&copied, NOW, &["report"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no -shm index beside it"), "{}", run.stderr);
    assert!(run.stderr.contains("pace doctor --upgrade"), "{}", run.stderr);
    assert_eq!(snapshot(copy.path()), before);
    // The advice works: after it, the file reads whole, the log merged.
    let upgrade = run_pace(&copied, NOW, &["doctor", "--upgrade"]);
    assert_eq!(upgrade.code, 0, "{}{}", upgrade.stdout, upgrade.stderr);
    let report = run_pace(&copied, NOW, &["report"]);
    assert_eq!(report.code, 0, "{}{}", report.stdout, report.stderr);
    assert!(report.stdout.contains("Dana Log"), "{}", report.stdout);
    assert_eq!(snapshot(copy.path()).len(), 1, "the log merged into the file: {:?}", snapshot(copy.path()).keys());
}

#[test]
fn reading_commands_leave_the_three_files_of_an_open_trainer_alone() {
    let (dir, db, _) = history::recorded();
    // A trainer still open: its -wal and -shm beside the file.
    let trainer = pace::records::Records::open(&db).expect("open");
    each_reading_command_leaves(dir.path(), &db, "a trainer open");
    drop(trainer);
}

fn release_one(dir: &Path) -> std::path::PathBuf {
    let to = dir.join("pace.sqlite3");
    std::fs::copy("tests/fixtures/records/v1.sqlite3", &to).expect("copy fixture");
    to
}

#[test]
fn a_file_from_an_older_pace_is_refused_by_reading_commands_and_upgraded_by_doctor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = release_one(dir.path());
    let before = snapshot(dir.path());
    for args in READING {
        let run = run_pace(&db, NOW, args);
        assert_eq!(run.code, 1, "pace {args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("older pace (records version 1"), "pace {args:?}: {}", run.stderr);
        assert!(run.stderr.contains("pace doctor --upgrade"), "pace {args:?}: {}", run.stderr);
        assert_eq!(snapshot(dir.path()), before, "pace {args:?} changed a file or added one");
    }
    let upgrade = run_pace(&db, NOW, &["doctor", "--upgrade"]);
    assert_eq!(upgrade.code, 0, "{}{}", upgrade.stdout, upgrade.stderr);
    assert!(upgrade.stdout.contains("from records version 1 to"), "{}", upgrade.stdout);
    assert!(upgrade.stdout.contains("pace.sqlite3.v1.bak"), "{}", upgrade.stdout);
    let kept = Connection::open(dir.path().join("pace.sqlite3.v1.bak")).expect("backup");
    let version: i64 = kept.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, 1, "the copy is the file as it was");
    let report = run_pace(&db, NOW, &["report"]);
    assert_eq!(report.code, 0, "{}{}", report.stdout, report.stderr);
    assert!(report.stdout.contains("Ana Ruiz"), "{}", report.stdout);
    let again = run_pace(&db, NOW, &["doctor", "--upgrade"]);
    assert!(again.stdout.contains("nothing to upgrade"), "{}", again.stdout);
}

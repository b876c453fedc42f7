//! Refusals of a records file that tell the truth and leave it as it was:
//! a file cut short is damaged (not "not a SQLite file"), a file in a folder
//! pace may not write is in a read-only folder, a newer pace's file with
//! writes still in its log keeps every byte of its three files, and a
//! zero-byte file stays zero bytes whatever reads it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Run, history, run_pace, snapshot};
use pace::records::{LATEST_VERSION, Records, RecordsError};

const NOW: &str = "2026-12-01T09:00:00Z";

/// The commands that read records, each as a learner would type it.
fn readers(learner: &str) -> Vec<Vec<String>> {
    let with = |args: &[&str]| {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        v.extend(["--learner".to_string(), learner.to_string()]);
        v
    };
    vec![
        with(&["progress"]),
        with(&["report"]),
        with(&["export", "--format", "csv"]),
        with(&["certificate"]),
        with(&["notes", "export"]),
    ]
}

fn run(db: &Path, args: &[String]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_pace(db, NOW, &args)
}

#[test]
fn a_real_records_file_cut_short_is_damaged_and_points_at_pace_doctor() {
    let (dir, db, h) = history::recorded();
    let len = std::fs::metadata(&db).expect("size").len();
    std::fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(len / 2).expect("cut");
    let before = snapshot(dir.path());
    for args in readers(&h.ana.name) {
        let out = run(&db, &args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("is a pace records file but it is damaged"), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("it was cut short"), "{}", out.stderr);
        assert!(out.stderr.contains(&format!("Run `pace doctor --db {}`", db.display())), "{}", out.stderr);
        assert!(!out.stderr.contains("not a SQLite file"), "{}", out.stderr);
    }
    // The trainer opens the file the same way.
    let err = Records::open(&db).err().expect("refused");
    assert!(matches!(err, RecordsError::Damaged { .. }), "{err}");
    assert_eq!(snapshot(dir.path()), before, "left as it was, no -wal or -shm made");

    // Cut inside its header.
    std::fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(60).expect("cut");
    let out = run_pace(&db, NOW, &["progress"]);
    assert!(out.stderr.contains("it is 60 bytes long, shorter than its own header"), "{}", out.stderr);
    assert!(out.stderr.contains("pace doctor"), "{}", out.stderr);
}

/// Runs the real binary as `nobody` when this test runs as root (file
/// permissions do not bind root), else as the user running it.
fn as_unprivileged(root: bool) -> Option<Command> {
    if !root {
        return Some(Command::new(env!("CARGO_BIN_EXE_pace")));
    }
    let found = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: running as root and setpriv is missing, so the folder cannot be made read-only for pace");
        return None;
    }
    let mut c = Command::new("setpriv");
    c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups", env!("CARGO_BIN_EXE_pace")]);
    Some(c)
}

/// Runs `pace ARGS` as `command` (see `as_unprivileged`) with `input` on its standard input.
fn run_as(mut command: Command, args: &[&str], input: &str) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = command
        .args(args)
        .env_remove("PACE_MODULES")
        .env("PACE_NOW", NOW)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run pace");
    let _ = child.stdin.take().expect("stdin").write_all(input.as_bytes());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_records_file_in_a_folder_pace_may_not_write_says_the_folder_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_recorded, original, h) = history::recorded();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    std::fs::copy(&original, &db).expect("copy");
    // The file may be written; its folder may not (pace keeps its journal beside the file).
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).expect("chmod file");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod folder");
    let root = std::fs::write(dir.path().join("probe"), b"").is_ok();
    let _ = std::fs::remove_file(dir.path().join("probe"));
    let before = snapshot(dir.path());
    let db_arg = db.to_string_lossy().into_owned();
    let trainer =
        as_unprivileged(root).map(|c| run_as(c, &["--db", &db_arg, "--plain", "--learner", &h.ana.name], "q\n"));
    // A command that only reads reads it.
    let progress =
        as_unprivileged(root).map(|c| run_as(c, &["--db", &db_arg, "progress", "--learner", &h.ana.name], ""));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    let (Some((code, stdout, stderr)), Some(progress)) = (trainer, progress) else { return };
    assert_eq!(code, Some(1), "{stderr}{stdout}");
    assert!(stderr.contains(&format!("the folder {} is read-only", dir.path().display())), "{stderr}{stdout}");
    assert!(!stderr.contains("not a SQLite file"), "{stderr}");
    assert_eq!(progress.0, Some(0), "{}{}", progress.1, progress.2);
    assert!(progress.1.contains(&h.ana.name), "{}", progress.1);
    assert_eq!(snapshot(dir.path()), before);
}

/// A read-only records file (another user's, or write-protected), with
/// and without a `-wal` left beside it: the trainer and plain mode refuse
/// it at start in true words, nothing changes, and the reading commands
/// still read it.
#[cfg(unix)]
#[test]
fn a_records_file_pace_may_not_write_is_refused_at_start_and_still_read() {
    use std::os::unix::fs::PermissionsExt;
    let (_recorded, original, h) = history::recorded();
    for with_log in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("pace.sqlite3");
        std::fs::copy(&original, &db).expect("copy");
        if with_log {
            // The file and its -wal and -shm as a crash of the owner's pace leaves them.
            let open = rusqlite::Connection::open(&db).expect("open");
            open.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoint");
            open.execute("UPDATE learners SET last_active_at = last_active_at", []).expect("a write in the log");
            let copy = tempfile::tempdir().expect("tempdir");
            for name in snapshot(dir.path()).keys() {
                std::fs::copy(dir.path().join(name), copy.path().join(name)).expect("copy");
            }
            drop(open);
            for name in snapshot(copy.path()).keys() {
                std::fs::copy(copy.path().join(name), dir.path().join(name)).expect("copy back");
            }
        }
        for name in snapshot(dir.path()).keys() {
            std::fs::set_permissions(dir.path().join(name), std::fs::Permissions::from_mode(0o444)).expect("chmod");
        }
        let root = std::fs::OpenOptions::new().write(true).open(&db).is_ok();
        let db_arg = db.to_string_lossy().into_owned();
        let before = snapshot(dir.path());
        let Some(command) = as_unprivileged(root) else { return };
        if root {
            // nobody must be able to reach the folder and create files in it, as the owner could.
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod folder");
        }
        let (code, stdout, stderr) = run_as(command, &["--db", &db_arg, "--plain", "--learner", &h.ana.name], "1\nq\n");
        assert_eq!(code, Some(1), "log {with_log}: {stderr}{stdout}");
        assert!(stderr.contains("is read-only for you"), "log {with_log}: {stderr}");
        assert!(!stdout.contains("Your place is saved"), "log {with_log}: {stdout}");
        assert_eq!(snapshot(dir.path()), before, "log {with_log}");
        let Some(command) = as_unprivileged(root) else { return };
        let (code, stdout, stderr) = run_as(command, &["--db", &db_arg, "report"], "");
        assert_eq!(code, Some(0), "log {with_log}: {stderr}");
        assert!(stdout.contains(&h.ana.name), "{stdout}");
        assert_eq!(snapshot(dir.path()), before, "log {with_log}: nothing left beside the file by the reader");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod back");
    }
}

#[test]
fn a_newer_pace_file_with_writes_in_its_log_is_refused_and_its_three_files_keep_every_byte() {
    let (dir, db, h) = history::recorded();
    // A newer pace, still open, raised the version: committed to the log, not merged.
    let newer = rusqlite::Connection::open(&db).expect("open");
    newer.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoint");
    newer.pragma_update(None, "user_version", LATEST_VERSION + 1).expect("newer");
    let before = snapshot(dir.path());
    assert_eq!(before.len(), 3, "the file, its -wal and its -shm");
    let refused = |db: &Path| {
        for args in readers(&h.ana.name) {
            let out = run(db, &args);
            assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains(&format!("was written by a newer pace (records version {};", LATEST_VERSION + 1)),
                "{args:?}: {}",
                out.stderr
            );
            assert!(out.stderr.contains("it was left untouched"), "{}", out.stderr);
        }
        let err = Records::open(db).err().expect("the trainer refuses it too");
        assert!(matches!(err, RecordsError::TooNew { .. }), "{err}");
    };
    refused(&db);
    assert_eq!(snapshot(dir.path()), before);

    // The same three files with no one holding them: the last one to close
    // them would merge the log into the file; pace must not be that one.
    let copy = tempfile::tempdir().expect("tempdir");
    for name in before.keys() {
        std::fs::copy(dir.path().join(name), copy.path().join(name)).expect("copy");
    }
    drop(newer);
    refused(&copy.path().join("pace.sqlite3"));
    assert_eq!(snapshot(copy.path()), before);
}

#[test]
fn a_zero_byte_file_is_refused_by_every_reading_command_and_stays_zero_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    std::fs::write(&db, b"").expect("empty file");
    for args in readers("Ana Ruiz") {
        let out = run(&db, &args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("is empty, so it is not a records file yet"), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert_eq!(std::fs::metadata(&db).expect("meta").len(), 0, "{args:?} grew the file");
        assert_eq!(snapshot(dir.path()).len(), 1, "{args:?} made a -wal or -shm");
    }
}

//! `pace doctor` through the real binary: a healthy file, damaged files (cut
//! short; an orphan answer and an impossible score written with foreign keys
//! off), files with writes in their log, and a busy file (another connection
//! writing, or holding a write open) while doctor checks and copies. A file
//! doctor only reads keeps every byte, its `-wal` and `-shm` included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use common::{Run, history, run_pace, snapshot};
use pace::records::LATEST_VERSION;
use rusqlite::Connection;

const NOW: &str = "2026-12-01T09:00:00Z";

fn doctor(db: &Path, args: &[&str]) -> Run {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    run_pace(db, NOW, &all)
}

fn names(files: &BTreeMap<String, (usize, String)>) -> Vec<&str> {
    files.keys().map(String::as_str).collect()
}

fn integrity_ok(db: &Path) -> bool {
    let first: String =
        Connection::open(db).expect("open").query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
    first == "ok"
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db).expect("open").query_row(sql, [], |r| r.get(0)).expect("query")
}

/// A connection as another program would open it: foreign keys off.
fn raw(db: &Path) -> Connection {
    let conn = Connection::open(db).expect("open");
    conn.busy_timeout(std::time::Duration::from_secs(5)).expect("timeout");
    conn
}

/// Runs `change` while SQLite is told the index of learners' UUIDs leaves
/// learner 1 out, then puts the index's definition back: the index now
/// misses what `change` did to learner 1.
fn behind_the_uuid_index(db: &Path, change: &str) {
    let schema = |from: &str, to: &str| {
        format!(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, '{from}', '{to}') WHERE name = 'learners_by_uuid';
             PRAGMA writable_schema = RESET;"
        )
    };
    let conn = raw(db);
    conn.execute_batch(&schema("ON learners (uuid)", "ON learners (uuid) WHERE id > 1")).expect("narrow the index");
    conn.execute_batch(change).expect("a change the index misses");
    drop(conn);
    raw(db).execute_batch(&schema(" WHERE id > 1", "")).expect("put the schema back, not the index");
}

fn add_learner(conn: &Connection, name: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO learners (name, name_key, role, created_at, last_active_at, uuid)
         VALUES (?1, lower(?1), 'employee', '2026-11-27T09:00:00Z', '2026-11-27T09:00:00Z', ?2)",
        rusqlite::params![name, uuid::Uuid::new_v4().to_string()],
    )
}

#[test]
fn a_healthy_file_passes_and_keeps_every_byte() {
    let (dir, db, _) = history::recorded();
    let before = snapshot(dir.path());
    assert_eq!(names(&before), ["pace.sqlite3"], "a closed file has no log beside it");
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(&format!("records version {LATEST_VERSION}, 3 learners, ")), "{}", run.stdout);
    assert!(run.stdout.contains("No problems found"), "{}", run.stdout);
    assert!(!run.stdout.contains("problem:"), "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(snapshot(dir.path()), before, "no byte changed and no -wal or -shm was made");
}

/// Writes committed into the log and not merged (autocheckpoint off), the
/// connection kept open: what a running trainer leaves.
fn with_writes_in_the_log(db: &Path) -> Connection {
    let conn = raw(db);
    conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoint");
    add_learner(&conn, "Dana Log").expect("a learner in the log");
    conn
}

#[test]
fn writes_still_in_the_log_are_read_and_no_byte_of_the_three_files_changes() {
    let (dir, db, _) = history::recorded();
    let open = with_writes_in_the_log(&db);
    // The trainer still open.
    let before = snapshot(dir.path());
    assert_eq!(names(&before), ["pace.sqlite3", "pace.sqlite3-shm", "pace.sqlite3-wal"]);
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("4 learners"), "the learner in the log counts: {}", run.stdout);
    assert!(run.stdout.contains("The write-ahead log holds "), "{}", run.stdout);
    assert_eq!(snapshot(dir.path()), before);

    // The three files as a crash leaves them: no one has them open.
    let copy = tempfile::tempdir().expect("tempdir");
    for name in before.keys() {
        std::fs::copy(dir.path().join(name), copy.path().join(name)).expect("copy");
    }
    drop(open);
    let copied = copy.path().join("pace.sqlite3");
    let run = doctor(&copied, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("4 learners"), "{}", run.stdout);
    assert_eq!(snapshot(copy.path()), before, "SQLite rebuilt no index and merged no log");

    // A log without its -shm index cannot be read without writing one: said, not done.
    std::fs::remove_file(copy.path().join("pace.sqlite3-shm")).expect("remove shm");
    let before = snapshot(copy.path());
    let run = doctor(&copied, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no -shm index beside it"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(snapshot(copy.path()), before);
    // The advice, followed, works: the log is merged and the file checks whole.
    assert!(run.stderr.contains("Run `pace doctor --upgrade --db "), "{}", run.stderr);
    let upgrade = doctor(&copied, &["--upgrade"]);
    assert_eq!(upgrade.code, 0, "{}{}", upgrade.stdout, upgrade.stderr);
    let run = doctor(&copied, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("4 learners"), "{}", run.stdout);
}

/// A real records file cut short, as a full disk or a copy cut off leaves it.
fn cut_short(db: &Path) {
    let len = std::fs::metadata(db).expect("size").len();
    let file = std::fs::OpenOptions::new().write(true).open(db).expect("open");
    file.set_len(len / 2).expect("truncate");
}

#[test]
fn a_file_cut_short_is_damaged_and_doctor_says_what_to_do_without_writing() {
    let (dir, db, _) = history::recorded();
    cut_short(&db);
    let before = snapshot(dir.path());
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("problem: the file is damaged: it is "), "{}", run.stdout);
    assert!(run.stdout.contains("it was cut short"), "{}", run.stdout);
    assert!(run.stdout.contains("Restore a backup (no backup found beside the file)"), "{}", run.stdout);
    assert!(!run.stdout.contains(".recover"), "{}", run.stdout);
    assert!(run.stdout.contains("--backup NEW_FILE"), "{}", run.stdout);
    assert_eq!(snapshot(dir.path()), before);

    // --repair never writes to a damaged file: what it holds goes to a new one beside it.
    let run = doctor(&db, &["--repair"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("--repair does not write to a damaged file"), "{}", run.stdout);
    assert!(run.stdout.contains("Wrote every row SQLite could read to a new records file"), "{}", run.stdout);
    let mut after = snapshot(dir.path());
    let made: Vec<String> = after.keys().filter(|n| n.contains(".salvaged-")).cloned().collect();
    assert_eq!(made.len(), 1, "{:?}", after.keys());
    let salvaged = dir.path().join(&made[0]);
    assert!(integrity_ok(&salvaged), "the new file is whole");
    assert!(count(&salvaged, "SELECT count(*) FROM learners") > 0, "{}", run.stdout);
    after.remove(&made[0]);
    assert_eq!(after, before, "the damaged file and nothing else as it was");
}

/// An answer whose attempt is gone, and an attempt scored 9 out of 6: made
/// as another program could, foreign keys and CHECKs off.
fn damage_rows(db: &Path) -> (i64, i64) {
    let conn = raw(db);
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;").expect("off");
    let learner: i64 = conn.query_row("SELECT min(id) FROM learners", [], |r| r.get(0)).expect("learner");
    conn.execute(
        "INSERT INTO answers (learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, uuid)
         SELECT ?1, 4242, module_id, question_id, '[\"a\"]', 1, '2026-11-27T09:00:00Z', '0b7a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'
           FROM answers LIMIT 1",
        [learner],
    )
    .expect("orphan");
    let attempt: i64 = conn
        .query_row("SELECT min(id) FROM quiz_attempts WHERE finished_at IS NOT NULL", [], |r| r.get(0))
        .expect("attempt");
    conn.execute("UPDATE quiz_attempts SET correct = total + 3 WHERE id = ?1", [attempt]).expect("impossible");
    (learner, attempt)
}

#[test]
fn an_orphan_answer_and_an_impossible_score_are_named_and_repair_drops_only_the_orphan_after_a_backup() {
    let (dir, db, _) = history::recorded();
    let (_, attempt) = damage_rows(&db);
    let before = snapshot(dir.path());
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let problems: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("  problem: ")).collect();
    assert_eq!(problems.len(), 2, "{}", run.stdout);
    assert!(
        problems[0].contains("1 answer whose quiz attempt is gone (answers row ")
            && problems[0].contains("names quiz attempt 4242"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].contains(&format!("1 quiz attempt with an impossible score (attempt {attempt}: ")),
        "{}",
        problems[1]
    );
    assert!(run.stdout.contains("2 problems found."), "{}", run.stdout);
    assert!(run.stdout.contains("`pace doctor --repair --db "), "{}", run.stdout);
    assert_eq!(snapshot(dir.path()), before, "checking changes nothing");

    let run = doctor(&db, &["--repair"]);
    assert_eq!(run.code, 1, "the score is still wrong: {}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Dropped 1 answer that named a row no longer there."), "{}", run.stdout);
    assert!(!run.stdout.contains("Rebuilt"), "no index needed it: {}", run.stdout);
    let backup = dir.path().join("pace.sqlite3.before-repair-20261201-090000.bak");
    assert!(run.stdout.contains("Wrote a backup of the file as it was to "), "{}", run.stdout);
    assert!(backup.exists(), "{}", run.stdout);
    assert_eq!(
        count(&backup, "SELECT count(*) FROM answers WHERE uuid = '0b7a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'"),
        1,
        "the backup is the file before"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE uuid = '0b7a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'"), 0);
    assert_eq!(count(&backup, "SELECT count(*) FROM answers"), count(&db, "SELECT count(*) FROM answers") + 1);
    assert_eq!(
        count(&db, &format!("SELECT correct - total FROM quiz_attempts WHERE id = {attempt}")),
        3,
        "scores are not pace's to change"
    );
    let after = run.stdout.split("Checked again:").nth(1).expect("checked again");
    assert!(after.contains("1 problem found."), "{after}");
    assert!(after.contains("impossible score"), "{after}");

    // A second repair has nothing left to mend and writes no second backup.
    let run = doctor(&db, &["--repair"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("Nothing was changed: --repair rebuilds indexes and drops orphan rows"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2, "the file and one backup");
}

#[test]
fn a_broken_index_is_rebuilt_by_repair() {
    let (dir, db, _) = history::recorded();
    // An index that lost a row, as a crash on a disk that lies about syncing can leave it.
    behind_the_uuid_index(&db, &format!("UPDATE learners SET uuid = '{}' WHERE id = 1", uuid::Uuid::new_v4()));
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("from SQLite's integrity check, all about indexes"), "{}", run.stdout);
    assert!(run.stdout.contains("rebuilds the indexes"), "{}", run.stdout);
    let run = doctor(&db, &["--repair"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Rebuilt every index from its table."), "{}", run.stdout);
    assert!(run.stdout.contains("Checked again: no problems found."), "{}", run.stdout);
    assert!(integrity_ok(&db));
    drop(dir);
}

#[test]
fn values_pace_cannot_read_learners_without_a_uuid_duplicates_and_broken_grants_are_each_named() {
    let (dir, db, h) = history::recorded();
    {
        let conn = raw(&db);
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE learners SET role = 'wizard' WHERE name = 'Chloé Zhang';
             UPDATE answers SET answered_at = 'yesterday' WHERE id IN (SELECT id FROM answers ORDER BY id LIMIT 2);
             UPDATE quiz_attempts SET draw = '{not json' WHERE id = (SELECT max(id) FROM quiz_attempts);
             UPDATE learners SET uuid = NULL WHERE name = 'Chloé Zhang';
             DROP INDEX answers_once_per_attempt;
             INSERT INTO answers (learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, uuid)
                  SELECT learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, substr(uuid, 1, 35) || CASE substr(uuid, 36, 1) WHEN 'a' THEN 'b' ELSE 'a' END
                    FROM answers WHERE attempt_id IS NOT NULL AND id = (SELECT max(id) FROM answers WHERE attempt_id IS NOT NULL);
             UPDATE certifications SET attempts = '[999999]';",
        )
        .expect("damage");
    }
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    for expected in [
        "1 value pace cannot read in learners.role (row 3: \"wizard\" is not a role)",
        "2 values pace cannot read in answers.answered_at (row 1: \"yesterday\" is not a timestamp)",
        "1 value pace cannot read in quiz_attempts.draw (row ",
        "1 learner without a UUID (learner 3, \"Chloé Zhang\")",
        "1 extra answer to a question already answered in the same attempt (attempt ",
        "1 certification grant naming a quiz attempt the file does not hold as scored, so `pace certificate` cannot print them (grant 1 of \"social-ready\" names attempt 999999)",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(out.contains("6 problems found."), "{out}");
    assert!(out.contains("pace does not change these itself"), "{out}");

    // A command that meets an unreadable value sends the user here, to the same row.
    let report = run_pace(&db, NOW, &["report"]);
    assert_eq!(report.code, 1, "{}{}", report.stdout, report.stderr);
    assert!(
        report.stderr.contains("in table learners, row 3, column uuid cannot be read: \"NULL\""),
        "{}",
        report.stderr
    );
    assert!(report.stderr.contains("Run `pace doctor --db "), "{}", report.stderr);

    // The certificate's advice to run `pace doctor` leads to the grant named above.
    let cert = run_pace(&db, NOW, &["certificate", "--learner", &h.ana.name]);
    assert_eq!(cert.code, 1, "{}{}", cert.stdout, cert.stderr);
    assert!(cert.stderr.contains("refers to quiz attempt 999999"), "{}", cert.stderr);
    assert!(cert.stderr.contains("`pace doctor` checks the file"), "{}", cert.stderr);
    drop(dir);
}

#[test]
fn a_file_from_a_newer_pace_is_refused_without_a_byte_changing() {
    let (dir, db, _) = history::recorded();
    let open = with_writes_in_the_log(&db);
    open.pragma_update(None, "user_version", LATEST_VERSION + 1).expect("newer, in the log");
    let before = snapshot(dir.path());
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let copy = elsewhere.path().join("copy.sqlite3");
    for args in [&[][..], &["--repair"], &["--backup", &copy.to_string_lossy()]] {
        let run = doctor(&db, args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!("was written by a newer pace (records version {};", LATEST_VERSION + 1)),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("left untouched"), "{}", run.stderr);
        assert_eq!(snapshot(dir.path()), before, "{args:?}");
    }
    assert!(!copy.exists());
}

/// Another program writing all along: a learner and a note for them per
/// transaction, so a copy of one moment has a note for every learner.
struct Writer {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Writer {
    fn start(db: &Path) -> Writer {
        let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
        let (s, w, db) = (Arc::clone(&stop), Arc::clone(&written), db.to_path_buf());
        let (twenty, twenty_written) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut conn = raw(&db);
            let mut n = 0u64;
            while !s.load(Ordering::SeqCst) {
                n += 1;
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).expect("begin");
                add_learner(&tx, &format!("Writer {n}")).expect("learner");
                tx.execute(
                    "INSERT INTO notes (learner_id, module_id, lesson_id, author, body, created_at, updated_at)
                     VALUES (last_insert_rowid(), 'm', 'l', 'w', 'note', '2026-11-27T09:00:00Z', '2026-11-27T09:00:00Z')",
                    [],
                )
                .expect("note");
                tx.commit().expect("commit");
                w.store(n, Ordering::SeqCst);
                if n == 20 {
                    twenty.send(()).expect("tell the test");
                }
            }
        });
        // Writing for a while already when the test goes on.
        twenty_written.recv().expect("the writer committed 20 transactions");
        Writer { stop, written, thread }
    }

    fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("writer");
        self.written.load(Ordering::SeqCst)
    }
}

#[test]
fn a_busy_file_is_checked_and_copied_while_another_connection_keeps_writing() {
    let (dir, db, _) = history::recorded();
    let writer = Writer::start(&db);
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 0, "a file being written is not damaged: {}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("No problems found"), "{}", run.stdout);

    let copy = dir.path().join("copy.sqlite3");
    let committed_before = writer.written();
    let run = doctor(&db, &["--backup", &copy.to_string_lossy()]);
    let written = writer.stop();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("The copy passes SQLite's integrity check."), "{}", run.stdout);
    assert!(integrity_ok(&copy));
    let learners = count(&copy, "SELECT count(*) FROM learners WHERE name LIKE 'Writer %'");
    assert!(
        learners as u64 >= committed_before,
        "every write committed before the copy is in it: {learners} < {committed_before}"
    );
    assert!(learners as u64 <= written);
    assert_eq!(
        count(&copy, "SELECT count(*) FROM notes WHERE author = 'w'"),
        learners,
        "one moment: each learner with their note"
    );
    assert_eq!(count(&copy, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    let header = std::fs::read(&copy).expect("copy");
    assert_eq!((header[18], header[19]), (1, 1), "a copy in rollback mode: no log to carry along");
    assert!(!PathBuf::from(format!("{}-wal", copy.display())).exists());
    assert_eq!(doctor(&copy, &[]).code, 0);
}

#[test]
fn a_backup_is_taken_while_another_connection_holds_a_write_open() {
    let (dir, db, _) = history::recorded();
    let holder = raw(&db);
    holder.execute_batch("BEGIN IMMEDIATE").expect("write lock");
    add_learner(&holder, "Not Yet Committed").expect("uncommitted");
    let copy = dir.path().join("copy.sqlite3");
    let run = doctor(&db, &["--backup", &copy.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    holder.execute_batch("COMMIT").expect("commit");
    assert!(integrity_ok(&copy));
    assert_eq!(count(&copy, "SELECT count(*) FROM learners"), 3, "every committed learner, not the one in flight");
    assert_eq!(count(&copy, "SELECT count(*) FROM answers"), count(&db, "SELECT count(*) FROM answers"));

    // A backup never replaces a file.
    let run = doctor(&db, &["--backup", &copy.to_string_lossy()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("a file is already there"), "{}", run.stderr);
}

#[test]
fn doctor_refuses_what_is_not_a_records_file_and_a_missing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.sqlite3");
    let run = doctor(&missing, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no records file at"), "{}", run.stderr);
    assert!(!missing.exists());
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").expect("empty");
    let run = doctor(&empty, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is empty, so it is not a records file yet"), "{}", run.stderr);
    assert_eq!(std::fs::metadata(&empty).expect("meta").len(), 0);
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, b"my notes, not a database\n").expect("text");
    let run = doctor(&text, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not a SQLite file"), "{}", run.stderr);
    assert_eq!(names(&snapshot(dir.path())), ["empty.sqlite3", "notes.txt"]);
}

#[test]
fn a_repair_that_cannot_rebuild_an_index_changes_nothing_and_keeps_its_backup() {
    let (dir, db, _) = history::recorded();
    // Two learners with one UUID behind the back of the unique index.
    behind_the_uuid_index(&db, "UPDATE learners SET uuid = (SELECT uuid FROM learners WHERE id = 2) WHERE id = 1");
    let before = count(&db, "SELECT count(*) FROM learners");
    let run = doctor(&db, &["--repair"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("could not repair"), "{}", run.stderr);
    assert!(run.stderr.contains("UNIQUE constraint failed"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing in it was changed, and the backup"), "{}", run.stderr);
    assert_eq!(count(&db, "SELECT count(*) FROM learners"), before);
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "the backup is kept");
}

#[test]
fn nothing_from_the_file_reaches_the_terminal_raw() {
    let (dir, db, _) = history::recorded();
    {
        let conn = raw(&db);
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE learners SET role = char(27) || ']52;c;cHduZWQ=' || char(7) WHERE id = 1;
             UPDATE learners SET uuid = NULL, name = 'Eve' || char(27) || '[2J' WHERE id = 2;
             CREATE TABLE \"evil\x1b]0;title\x07\" (id INTEGER PRIMARY KEY, learner_id INTEGER REFERENCES learners(id));
             INSERT INTO \"evil\x1b]0;title\x07\" VALUES (1, 999);",
        )
        .expect("hostile values");
    }
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for (what, out) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!out.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{what} carries a control character: {out:?}");
    }
    assert!(run.stdout.contains("(row 1: \"\\u{1b}]52;c;cHduZWQ=\\u{7}\" is not a role)"), "{}", run.stdout);
    assert!(run.stdout.contains("(learner 2, \"Eve\\u{1b}[2J\")"), "{}", run.stdout);
    assert!(run.stdout.contains("evil\\u{1b}]0;title\\u{7} row 1 names learner 999"), "{}", run.stdout);
    drop(dir);
}

/// Rows in every table pace keeps.
fn rows_in(db: &Path) -> i64 {
    let conn = Connection::open(db).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("name"))
        .collect();
    tables.iter().map(|t| count(db, &format!("SELECT count(*) FROM \"{t}\""))).sum()
}

/// Flipped bytes in the table list (`sqlite_schema`) of a real records
/// file: doctor reads past it with the schema pace knows, `--backup` and
/// `--repair` write a new file holding the rows (at least 90% of them over
/// every damaged copy SQLite can still open), and the file is never changed.
#[test]
fn flipped_bytes_in_the_table_list_are_read_past_and_the_rows_saved() {
    let (dir, db, _) = history::recorded();
    let original = std::fs::read(&db).expect("read");
    let total = rows_in(&db);
    assert!(total > 50, "a history worth saving: {total} rows");
    // Every schema entry's text, live or left over in free space: each
    // flipped copy SQLite refuses as malformed is a case.
    let starts: Vec<usize> = original.windows(7).enumerate().filter(|(_, w)| w == b"CREATE ").map(|(i, _)| i).collect();
    let (mut cases, mut saved_rows, mut first) = (0, 0i64, true);
    for (k, at) in starts.iter().enumerate() {
        for shift in [-6i64, 13, 16, 30] {
            let Some(pos) = usize::try_from(*at as i64 + shift).ok() else { continue };
            let mut bytes = original.clone();
            bytes[pos] ^= 0x5a;
            let case = dir.path().join(format!("case-{k}-{shift}.sqlite3"));
            std::fs::write(&case, &bytes).expect("write");
            let refused = Connection::open(&case)
                .and_then(|c| c.query_row("SELECT count(*) FROM learners", [], |r| r.get::<_, i64>(0)))
                .is_err();
            let readable = Connection::open(&case)
                .and_then(|c| {
                    c.pragma_update(None, "writable_schema", true)?;
                    c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
                })
                .is_ok();
            if !refused || !readable {
                std::fs::remove_file(&case).expect("remove");
                continue;
            }
            cases += 1;
            let before = std::fs::read(&case).expect("read");
            let check = doctor(&case, &[]);
            assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
            assert!(!check.stdout.contains("nothing in it can be read"), "{}", check.stdout);
            assert!(!check.stdout.contains(".recover"), "{}", check.stdout);
            let copy = dir.path().join(format!("saved-{k}-{shift}.sqlite3"));
            let run = doctor(&case, &["--backup", copy.to_str().expect("utf-8")]);
            assert!(run.stdout.contains("Wrote every row SQLite could read"), "{}{}", run.stdout, run.stderr);
            assert!(copy.exists(), "{}{}", run.stdout, run.stderr);
            assert!(integrity_ok(&copy), "the new file is whole");
            saved_rows += rows_in(&copy);
            if first {
                // --repair saves to a new file beside, and changes nothing else.
                let run = doctor(&case, &["--repair"]);
                assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
                assert!(run.stdout.contains(".salvaged-"), "{}", run.stdout);
                first = false;
            }
            assert_eq!(std::fs::read(&case).expect("read"), before, "the damaged file is only read");
        }
    }
    assert!(cases >= 5, "only {cases} flipped copies were refused by SQLite");
    let share = saved_rows as f64 / (total * cases) as f64;
    assert!(share >= 0.9, "saved {saved_rows} of {} rows over {cases} damaged copies", total * cases);
    eprintln!("saved {saved_rows} of {} rows ({:.1}%) over {cases} damaged copies", total * cases, share * 100.0);
}

/// Stored ids held to what they must be: a statement id with a control
/// character (an LRS refuses it with 422 forever), a module id with one
/// letter changed, and a question id in a stored draw that no module has.
#[test]
fn statement_module_and_question_ids_are_checked_against_what_they_must_be() {
    let (_dir, db, _) = history::recorded();
    {
        let conn = raw(&db);
        conn.execute_batch(
            "UPDATE answers SET uuid = substr(uuid, 1, 35) || char(27) WHERE id = (SELECT min(id) FROM answers);
             UPDATE lesson_progress SET module_id = substr(module_id, 1, length(module_id) - 1) || 'x'
              WHERE rowid = (SELECT min(rowid) FROM lesson_progress);
             UPDATE quiz_attempts SET draw = json_set(draw, '$[0].question', 'no-such-question')
              WHERE id = (SELECT max(id) FROM quiz_attempts);",
        )
        .expect("change ids");
    }
    let run = doctor(&db, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(out.contains("1 statement id in answers.uuid that is not a UUID"), "{out}");
    assert!(
        out.contains("\\u{1b}") || out.contains("\\x1b") || out.contains("\\e"),
        "the escape shown, not sent: {out}"
    );
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(out.contains("1 id of a lesson's progress not in the curriculum in use (module, row "), "{out}");
    assert!(
        out.contains("1 id of a question in a stored quiz draw not in the curriculum in use (question, row ")
            && out.contains("\"no-such-question\" of module"),
        "{out}"
    );
}

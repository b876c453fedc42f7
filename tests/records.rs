//! The records file: created where asked, migrated forward, and never
//! touched when it is not ours or is from a newer pace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use pace::content::Audience;
use pace::records::{DrawnQuestion, LATEST_VERSION, Records, RecordsError};

fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn creates_parent_folders_and_keeps_learners_across_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/deeper/pace.sqlite3");
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    {
        let mut r = Records::open(&path).expect("open");
        r.add_learner(&pace::records::NewLearner::named("Ana Ruiz", Audience::Employee, true), now).expect("add");
    }
    let r = Records::open(&path).expect("reopen");
    let learners = r.learners().expect("learners");
    assert_eq!(learners.len(), 1);
    assert_eq!(learners[0].name, "Ana Ruiz");
    assert!(learners[0].new_hire);
    assert!(matches!(
        Records::open(&path)
            .expect("open")
            .add_learner(&pace::records::NewLearner::named(" ana ruiz ", Audience::Coe, false), now),
        Err(RecordsError::LearnerExists(_))
    ));
}

#[test]
fn a_file_from_a_newer_pace_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pace.sqlite3");
    drop(Records::open(&path).expect("create"));
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.pragma_update(None, "journal_mode", "DELETE").expect("journal");
        conn.pragma_update(None, "user_version", LATEST_VERSION + 7).expect("bump");
    }
    let before = bytes(&path);
    let err = Records::open(&path).err().expect("refused");
    let message = err.to_string();
    assert!(message.contains(&format!("records version {}", LATEST_VERSION + 7)), "{message}");
    assert!(message.contains(&format!("knows up to {LATEST_VERSION}")), "{message}");
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "my precious notes, not a database\n").expect("write");
    let before = bytes(&path);
    let err = Records::open(&path).err().expect("refused");
    assert!(matches!(err, RecordsError::NotSqlite { .. }), "{err}");
    assert!(err.to_string().contains("not a SQLite file"));
    assert_eq!(bytes(&path), before);
    assert!(!dir.path().join("notes.txt-wal").exists());
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);")
            .expect("seed");
    }
    let before = bytes(&path);
    let err = Records::open(&path).err().expect("refused");
    assert!(matches!(err, RecordsError::Foreign { .. }), "{err}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn every_answer_is_visible_to_another_connection_as_soon_as_it_is_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pace.sqlite3");
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let mut r = Records::open(&path).expect("open");
    let ana = r.add_learner(&pace::records::NewLearner::named("Ana", Audience::Employee, false), now).expect("add");
    let draw = vec![DrawnQuestion { question: "q1".into(), options: vec!["a".into(), "b".into()] }];
    let attempt = r.start_attempt(ana.id, "m", "1.0", draw.clone(), now).expect("start");
    let chosen = ["a".to_string()];
    let given = pace::records::Given { module: "m", question: "q1", chosen: &chosen, correct: true };
    r.record_answer(ana.id, attempt.id, given, now).expect("answer");
    let other = Records::open(&path).expect("second connection");
    let answers = other.answers(attempt.id).expect("answers");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].chosen, vec!["a".to_string()]);
    let resumed = other.open_attempt(ana.id, "m").expect("open attempt").expect("unfinished");
    assert_eq!(resumed.draw, draw);
    assert_eq!(other.answers(resumed.id).expect("answers").len(), 1);
}

/// A SQLite header followed by random bytes is not a damaged pace file
/// ("3158601804 pages of 48880 bytes"); another program's file cut short
/// is another program's file, not a damaged pace one.
#[test]
fn random_bytes_after_a_sqlite_header_or_a_foreign_file_cut_short_are_not_called_damaged_pace_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("noise.sqlite3");
    let mut noise: Vec<u8> = b"SQLite format 3\0".to_vec();
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..8192 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push((x >> 24) as u8);
    }
    // The page size field: 48880 (0xBEF0), as the fault run found.
    noise[16] = 0xBE;
    noise[17] = 0xF0;
    std::fs::write(&path, &noise).expect("write");
    for err in [Records::open(&path).err().expect("refused"), Records::open_read_only(&path).err().expect("refused")] {
        assert!(matches!(err, RecordsError::NotSqlite { .. }), "{err}");
        assert!(!err.to_string().contains("damaged"), "{err}");
    }
    assert_eq!(bytes(&path), noise);

    // Another program's file, cut in half.
    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).expect("raw");
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO invoices SELECT i, hex(randomblob(200)) FROM n;")
            .expect("seed");
    }
    let len = std::fs::metadata(&other).expect("size").len();
    std::fs::OpenOptions::new().write(true).open(&other).expect("open").set_len(len / 2).expect("cut");
    let err = Records::open(&other).err().expect("refused");
    assert!(matches!(err, RecordsError::Foreign { .. }), "{err}");
}

//! Append-only schema migrations keyed on `PRAGMA user_version`.
//! Never edit a released step: add a new one at the end.

use rusqlite::Connection;

use super::APPLICATION_ID;

const STEPS: &[&str] = &[
    // 1: the first schema
    "
    CREATE TABLE learners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        new_hire INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        last_active_at TEXT NOT NULL
    );
    CREATE TABLE lesson_progress (
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        module_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        scroll INTEGER NOT NULL DEFAULT 0,
        first_opened_at TEXT NOT NULL,
        last_opened_at TEXT NOT NULL,
        seconds_spent INTEGER NOT NULL DEFAULT 0,
        completed_at TEXT,
        completion_uuid TEXT,
        PRIMARY KEY (learner_id, module_id, lesson_id)
    );
    CREATE TABLE lesson_views (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        module_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        viewed_at TEXT NOT NULL,
        seconds INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE quiz_attempts (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        module_id TEXT NOT NULL,
        module_version TEXT NOT NULL,
        draw TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        correct INTEGER,
        total INTEGER,
        score INTEGER,
        passed INTEGER,
        uuid TEXT NOT NULL UNIQUE
    );
    CREATE INDEX quiz_attempts_by_learner ON quiz_attempts (learner_id, module_id);
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        attempt_id INTEGER REFERENCES quiz_attempts(id),
        module_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        chosen TEXT NOT NULL,
        correct INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'quiz',
        uuid TEXT NOT NULL UNIQUE
    );
    CREATE INDEX answers_by_attempt ON answers (attempt_id);
    CREATE TABLE certifications (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        level_id TEXT NOT NULL,
        granted_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        attempts TEXT NOT NULL,
        uuid TEXT NOT NULL UNIQUE
    );
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        module_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        imported INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE review_items (
        learner_id INTEGER NOT NULL REFERENCES learners(id),
        module_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        due_at TEXT NOT NULL,
        stability REAL NOT NULL DEFAULT 0,
        difficulty REAL NOT NULL DEFAULT 0,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        state INTEGER NOT NULL DEFAULT 0,
        last_review_at TEXT,
        misses INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (learner_id, module_id, question_id)
    );
    CREATE TABLE locations (
        learner_id INTEGER PRIMARY KEY REFERENCES learners(id),
        module_id TEXT,
        lesson_id TEXT,
        scroll INTEGER NOT NULL DEFAULT 0,
        attempt_id INTEGER,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE sync_log (
        uuid TEXT PRIMARY KEY,
        sent_at TEXT NOT NULL,
        endpoint TEXT NOT NULL
    );
    ",
];

/// The records version this build writes.
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

/// Applies every step above the file's version, each in its own transaction.
pub fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, step) in STEPS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
    Ok(())
}

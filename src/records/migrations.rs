//! Append-only schema migrations keyed on `PRAGMA user_version`.
//! Never edit a released step: add a new one at the end. Every step from the
//! file's version to the latest runs in one transaction: an upgrade lands
//! whole or not at all.

use rusqlite::{Connection, Transaction, params};

use super::APPLICATION_ID;

enum Step {
    Sql(&'static str),
    Code(fn(&Transaction) -> rusqlite::Result<()>),
}

const STEPS: &[Step] = &[
    // 1: the first schema
    Step::Sql(
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
    ),
    // 2: identity (a UUID per learner, optional work email or employee id,
    // names unique whatever their case), one answer per question of an
    // attempt, scores that add up, and the indexes reports need.
    Step::Code(identity_and_integrity),
    // 3: where a learner works (the organisation's country id, which says
    // which regional content and contacts they see) and the language they
    // chose; both empty until set.
    Step::Sql(
        "ALTER TABLE learners ADD COLUMN country TEXT;
         ALTER TABLE learners ADD COLUMN language TEXT;",
    ),
];

/// The records version this build writes.
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

/// Applies every step above the file's version in one transaction.
/// Foreign keys are off while a table is rebuilt, as SQLite's own procedure
/// for changing a table asks.
pub fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= LATEST_VERSION {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = (|| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for step in STEPS.iter().skip(current.max(0) as usize) {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Code(f) => f(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", LATEST_VERSION)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()
    })();
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated
}

/// The key that makes two names the same learner: trimmed, inner spaces
/// folded, and lower-cased (Unicode-aware, so "ÉMILE" and "émile" match).
/// The name is taken as pace shows it (cleaned of control characters), so a
/// name recorded before names were cleaned is found as it reads.
pub fn name_key(name: &str) -> String {
    crate::content::sanitize::learner_name(name).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn identity_and_integrity(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE learners ADD COLUMN uuid TEXT;
         ALTER TABLE learners ADD COLUMN name_key TEXT;
         ALTER TABLE learners ADD COLUMN email TEXT;
         ALTER TABLE learners ADD COLUMN employee_id TEXT;
         ALTER TABLE certifications ADD COLUMN organisation TEXT;",
    )?;
    // Every learner gets a UUID; a name that release 1 let in twice (in
    // another case) gets its row id added, so both people stay distinct.
    let learners: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, name FROM learners ORDER BY id")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let mut seen = std::collections::HashSet::new();
    for (id, name) in learners {
        let mut name = name.trim().to_string();
        if !seen.insert(name_key(&name)) {
            name = format!("{name} ({id})");
            seen.insert(name_key(&name));
        }
        tx.execute(
            "UPDATE learners SET uuid = ?2, name = ?3, name_key = ?4 WHERE id = ?1",
            params![id, super::new_uuid(), name, name_key(&name)],
        )?;
    }
    tx.execute_batch(
        "CREATE UNIQUE INDEX learners_by_uuid ON learners (uuid);
         CREATE UNIQUE INDEX learners_by_name_key ON learners (name_key);
         CREATE UNIQUE INDEX learners_by_email ON learners (email) WHERE email IS NOT NULL;
         CREATE UNIQUE INDEX learners_by_employee_id ON learners (employee_id) WHERE employee_id IS NOT NULL;

         -- Release 1 let two windows answer one question of an attempt twice.
         -- The first answer counts; later ones are kept, marked, and not scored.
         UPDATE answers SET source = 'duplicate'
          WHERE source = 'quiz' AND attempt_id IS NOT NULL
            AND id NOT IN (SELECT min(id) FROM answers WHERE source = 'quiz' AND attempt_id IS NOT NULL
                           GROUP BY attempt_id, question_id);
         CREATE UNIQUE INDEX answers_once_per_attempt ON answers (attempt_id, question_id) WHERE source = 'quiz';

         -- Scores that were counted from duplicates are counted again from the
         -- first answers. Whether such an attempt passed cannot be known without
         -- its pass mark: it stays passed only at 100%.
         UPDATE quiz_attempts
            SET correct = fixed.c,
                score = fixed.c * 100 / quiz_attempts.total,
                passed = CASE WHEN fixed.c = quiz_attempts.total THEN 1 ELSE NULL END
           FROM (SELECT attempt_id, sum(correct) AS c FROM answers WHERE source = 'quiz' GROUP BY attempt_id) AS fixed
          WHERE fixed.attempt_id = quiz_attempts.id
            AND (quiz_attempts.correct > quiz_attempts.total OR quiz_attempts.score > 100);

         CREATE TABLE quiz_attempts_v2 (
             id INTEGER PRIMARY KEY,
             learner_id INTEGER NOT NULL REFERENCES learners(id),
             module_id TEXT NOT NULL,
             module_version TEXT NOT NULL,
             draw TEXT NOT NULL,
             started_at TEXT NOT NULL,
             finished_at TEXT,
             correct INTEGER,
             total INTEGER,
             score INTEGER,
             passed INTEGER,
             pass_mark INTEGER,
             uuid TEXT NOT NULL UNIQUE,
             CHECK (correct IS NULL OR (total IS NOT NULL AND correct >= 0 AND correct <= total)),
             CHECK (score IS NULL OR (score >= 0 AND score <= 100))
         );
         INSERT INTO quiz_attempts_v2 (id, learner_id, module_id, module_version, draw, started_at, finished_at,
                                       correct, total, score, passed, pass_mark, uuid)
              SELECT id, learner_id, module_id, module_version, draw, started_at, finished_at,
                     correct, total, score, passed, NULL, uuid
                FROM quiz_attempts;
         DROP TABLE quiz_attempts;
         ALTER TABLE quiz_attempts_v2 RENAME TO quiz_attempts;
         CREATE INDEX quiz_attempts_by_learner ON quiz_attempts (learner_id, module_id);
         -- Every finished result without the draws: the report reads only this.
         CREATE INDEX quiz_attempts_results ON quiz_attempts
             (learner_id, id, module_id, module_version, finished_at, score, passed)
             WHERE finished_at IS NOT NULL AND score IS NOT NULL AND passed IS NOT NULL;

         -- Each index on answers is one more page written with every answer
         -- (committed with synchronous=FULL), so answers keep only what the
         -- queries need: by learner (progress, active days) and by attempt
         -- (the unique index above, which also serves an attempt's answers).
         CREATE INDEX answers_by_learner ON answers (learner_id, answered_at);
         DROP INDEX answers_by_attempt;
         CREATE INDEX certifications_by_learner ON certifications (learner_id, level_id);
         CREATE INDEX lesson_views_by_learner ON lesson_views (learner_id);
         CREATE INDEX notes_by_learner ON notes (learner_id, module_id, lesson_id);",
    )
}

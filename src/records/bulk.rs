//! Set-based reads over every learner at once, for reports, exports and
//! sync at a company's size: a handful of queries over indexes, streamed row
//! by row, never a query per learner. Rows come out ordered so a caller can
//! group or merge them without holding a table in memory.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::row::{At, Fields};
use super::{Grant, Records, Result};

/// A finished quiz attempt, without its draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedAttempt {
    pub id: i64,
    pub module_id: String,
    pub module_version: String,
    pub finished_at: DateTime<Utc>,
    pub score: u32,
    pub passed: bool,
}

/// The quiz attempt an answer belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRef {
    pub uuid: String,
    pub module_version: String,
}

/// One recorded event, as stored (the exports call it `What`).
#[derive(Debug, Clone, PartialEq)]
pub enum EventRow {
    LessonCompleted {
        module: String,
        lesson: String,
    },
    Answered {
        module: String,
        question: String,
        /// Option ids as given (ordering: the learner's order; true-false: "true"/"false").
        chosen: Vec<String>,
        correct: bool,
        /// None for an answer given in a review session.
        attempt: Option<AttemptRef>,
    },
    QuizFinished {
        module: String,
        module_version: String,
        started_at: DateTime<Utc>,
        correct: u32,
        total: u32,
        /// Percent, 0-100.
        score: u32,
        passed: bool,
    },
    LevelGranted {
        level: String,
        expires_at: DateTime<Utc>,
    },
}

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub learner: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    /// Only events whose statement no LRS has accepted yet.
    pub unsent_only: bool,
}

/// Every kind of event in one ordered stream: by time; in the same second by
/// learner, then lesson, answers, quiz result, level (the order they happen
/// in), then the order recorded.
const EVENTS: &str = "
SELECT * FROM (
    SELECT completed_at AS at, learner_id, 0 AS kind, completion_uuid AS uuid, module_id AS module,
           lesson_id AS item, NULL AS chosen, NULL AS correct, NULL AS attempt_uuid, NULL AS version,
           NULL AS started_at, NULL AS total, NULL AS score, NULL AS passed, NULL AS expires,
           module_id || '/' || lesson_id AS seq
      FROM lesson_progress WHERE completed_at IS NOT NULL AND completion_uuid IS NOT NULL
    UNION ALL
    SELECT a.answered_at, a.learner_id, 1, a.uuid, a.module_id, a.question_id, a.chosen, a.correct,
           q.uuid, q.module_version, NULL, NULL, NULL, NULL, NULL, a.id
      FROM answers a LEFT JOIN quiz_attempts q ON q.id = a.attempt_id
    UNION ALL
    SELECT finished_at, learner_id, 2, uuid, module_id, NULL, NULL, correct, NULL, module_version,
           started_at, total, score, passed, NULL, id
      FROM quiz_attempts WHERE finished_at IS NOT NULL
    UNION ALL
    SELECT granted_at, learner_id, 3, uuid, NULL, level_id, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, expires_at, id
      FROM certifications
)
WHERE (?1 IS NULL OR learner_id = ?1)
  AND (?2 IS NULL OR at >= ?2)
  AND (?3 = 0 OR uuid NOT IN (SELECT uuid FROM sync_log))
ORDER BY at, learner_id, kind, seq";

impl Records {
    /// Calls `f` with every finished attempt (learner id, attempt), in the
    /// table's order: one pass over the table, no sort.
    pub fn for_each_finished_attempt(&self, mut f: impl FnMut(i64, FinishedAttempt)) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT learner_id, id, module_id, module_version, finished_at, score, passed
                   FROM quiz_attempts
                  WHERE finished_at IS NOT NULL AND score IS NOT NULL AND passed IS NOT NULL",
            )
            .map_err(|e| self.sql(e))?;
        // Columns found by name once, not on every one of a million rows.
        let col = |name: &str| stmt.column_index(name).map_err(|e| self.sql(e));
        let (learner, id, module, version, finished, score, passed) = (
            col("learner_id")?,
            col("id")?,
            col("module_id")?,
            col("module_version")?,
            col("finished_at")?,
            col("score")?,
            col("passed")?,
        );
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let read = || -> rusqlite::Result<(i64, FinishedAttempt)> {
                let at: String = row.get(finished)?;
                let finished_at = super::parse_stamp(&at)
                    .ok_or_else(|| Fields { row, table: "quiz_attempts" }.bad("finished_at", "a timestamp", &at))?;
                let score: i64 = row.get(score)?;
                Ok((
                    row.get(learner)?,
                    FinishedAttempt {
                        id: row.get(id)?,
                        module_id: row.get(module)?,
                        module_version: row.get(version)?,
                        finished_at,
                        score: u32::try_from(score).unwrap_or(0),
                        passed: row.get(passed)?,
                    },
                ))
            };
            let (learner, attempt) = read().map_err(|e| self.sql(e))?;
            f(learner, attempt);
        }
        Ok(())
    }

    /// Calls `f` with every grant (learner id, grant), in the table's order.
    pub fn for_each_grant(&self, mut f: impl FnMut(i64, Grant)) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT learner_id, id, level_id, granted_at, expires_at, attempts, organisation, uuid
                   FROM certifications",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let learner: i64 = row.get("learner_id").map_err(|e| self.sql(e))?;
            let grant = super::certifications::grant_row(row).map_err(|e| self.sql(e))?;
            f(learner, grant);
        }
        Ok(())
    }

    /// Calls `f` with every event the query selects, oldest first, as (uuid,
    /// learner id, time, event). Streamed: memory stays flat however many
    /// answers the file holds. `f` may stop the stream by returning an error.
    pub fn for_each_event<E: From<super::RecordsError>>(
        &self,
        query: &EventQuery,
        mut f: impl FnMut(String, i64, DateTime<Utc>, EventRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self.conn().prepare(EVENTS).map_err(|e| self.sql(e))?;
        let columns = EventColumns::find(&stmt).map_err(|e| self.sql(e))?;
        let since = query.since.map(super::stamp);
        let mut rows =
            stmt.query(params![query.learner, since, i64::from(query.unsent_only)]).map_err(|e| self.sql(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let (uuid, learner, at, event) = columns.read(row).map_err(|e| self.sql(e))?;
            f(uuid, learner, at, event)?;
        }
        Ok(())
    }

    /// How many events the query selects (without reading them).
    pub fn count_events(&self, query: &EventQuery) -> Result<u64> {
        let since = query.since.map(super::stamp);
        self.conn()
            .query_row(
                &format!("SELECT count(*) FROM ({EVENTS})"),
                params![query.learner, since, i64::from(query.unsent_only)],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.sql(e))
    }
}

/// The EVENTS columns, found by name once per query rather than on every
/// one of a million rows.
struct EventColumns {
    at: At,
    learner: At,
    kind: At,
    uuid: At,
    module: At,
    item: At,
    chosen: At,
    correct: At,
    attempt_uuid: At,
    version: At,
    started_at: At,
    total: At,
    score: At,
    passed: At,
    expires: At,
}

impl EventColumns {
    fn find(stmt: &rusqlite::Statement) -> rusqlite::Result<EventColumns> {
        let at = |name| At::find(stmt, name);
        Ok(EventColumns {
            at: at("at")?,
            learner: at("learner_id")?,
            kind: at("kind")?,
            uuid: at("uuid")?,
            module: at("module")?,
            item: at("item")?,
            chosen: at("chosen")?,
            correct: at("correct")?,
            attempt_uuid: at("attempt_uuid")?,
            version: at("version")?,
            started_at: at("started_at")?,
            total: at("total")?,
            score: at("score")?,
            passed: at("passed")?,
            expires: at("expires")?,
        })
    }

    fn read(&self, row: &rusqlite::Row) -> rusqlite::Result<(String, i64, DateTime<Utc>, EventRow)> {
        let f = Fields { row, table: "events" };
        let kind: i64 = f.get_at(self.kind)?;
        let module: Option<String> = f.get_at(self.module)?;
        let module = module.unwrap_or_default();
        let event = match kind {
            0 => EventRow::LessonCompleted { module, lesson: f.get_at(self.item)? },
            1 => {
                let attempt: Option<String> = f.get_at(self.attempt_uuid)?;
                let version: Option<String> = f.get_at(self.version)?;
                EventRow::Answered {
                    module,
                    question: f.get_at(self.item)?,
                    chosen: f.json(self.chosen, "a chosen answer")?,
                    correct: f.get_at(self.correct)?,
                    attempt: attempt.zip(version).map(|(uuid, module_version)| AttemptRef { uuid, module_version }),
                }
            }
            2 => EventRow::QuizFinished {
                module,
                module_version: f.get_at(self.version)?,
                started_at: f.stamp(self.started_at)?,
                correct: f.count(self.correct)?,
                total: f.count(self.total)?,
                score: f.count(self.score)?,
                passed: f.get_at(self.passed)?,
            },
            _ => EventRow::LevelGranted { level: f.get_at(self.item)?, expires_at: f.stamp(self.expires)? },
        };
        Ok((f.get_at(self.uuid)?, f.get_at(self.learner)?, f.stamp(self.at)?, event))
    }
}

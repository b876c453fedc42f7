//! Quiz attempts and every answer given, each committed when it happens.
//!
//! The records keep an attempt honest whatever the windows on it do: a
//! question of an attempt is answered once (a unique index), a finished
//! attempt takes no more answers, and its score is counted here from the
//! answers stored, so `correct <= total` always holds (a CHECK).

use chrono::{DateTime, Utc};
use rusqlite::{ErrorCode, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

use super::row::Fields;
use super::{Records, RecordsError, Result, error_in, new_uuid, stamp};

/// One drawn question and its options in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnQuestion {
    pub question: String,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub id: i64,
    pub module_id: String,
    pub module_version: String,
    pub draw: Vec<DrawnQuestion>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub correct: Option<u32>,
    pub total: Option<u32>,
    /// Percent, 0-100.
    pub score: Option<u32>,
    pub passed: Option<bool>,
    /// The quiz's pass mark when it was finished (unknown for release 1's attempts).
    pub pass_mark: Option<u32>,
    pub uuid: String,
}

/// An answer as given: which question, what was chosen, whether it was right.
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub module: &'a str,
    pub question: &'a str,
    /// Option ids (ordering: all ids in the learner's order; true-false: "true"/"false").
    pub chosen: &'a [String],
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: i64,
    pub attempt_id: Option<i64>,
    pub module_id: String,
    pub question_id: String,
    pub chosen: Vec<String>,
    pub correct: bool,
    pub answered_at: DateTime<Utc>,
    pub uuid: String,
}

/// An attempt's result as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub correct: u32,
    pub total: u32,
    pub score: u32,
    pub passed: bool,
    /// False when another window had finished it already.
    pub now: bool,
}

const ATTEMPT_COLUMNS: &str =
    "id, module_id, module_version, draw, started_at, finished_at, correct, total, score, passed, pass_mark, uuid";
const ANSWER_COLUMNS: &str = "id, attempt_id, module_id, question_id, chosen, correct, answered_at, uuid";

fn attempt_row(row: &Row) -> rusqlite::Result<Attempt> {
    let f = Fields { row, table: "quiz_attempts" };
    Ok(Attempt {
        id: f.get("id")?,
        module_id: f.get("module_id")?,
        module_version: f.get("module_version")?,
        draw: f.json("draw", "a quiz draw")?,
        started_at: f.stamp("started_at")?,
        finished_at: f.stamp_opt("finished_at")?,
        correct: f.count_opt("correct")?,
        total: f.count_opt("total")?,
        score: f.count_opt("score")?,
        passed: f.get("passed")?,
        pass_mark: f.count_opt("pass_mark")?,
        uuid: f.get("uuid")?,
    })
}

fn answer_row(row: &Row) -> rusqlite::Result<Answer> {
    let f = Fields { row, table: "answers" };
    Ok(Answer {
        id: f.get("id")?,
        attempt_id: f.get("attempt_id")?,
        module_id: f.get("module_id")?,
        question_id: f.get("question_id")?,
        chosen: f.json("chosen", "a chosen answer")?,
        correct: f.get("correct")?,
        answered_at: f.stamp("answered_at")?,
        uuid: f.get("uuid")?,
    })
}

fn sql(e: rusqlite::Error) -> RecordsError {
    error_in("", e)
}

/// Records one answer inside a learner event. An attempt's question that is
/// already answered, or an attempt already finished, is refused.
pub(crate) fn insert_answer_in(
    tx: &Transaction,
    learner: i64,
    attempt: Option<i64>,
    given: Given,
    now: DateTime<Utc>,
) -> Result<Answer> {
    let uuid = new_uuid();
    let chosen_json = serde_json::to_string(given.chosen).unwrap_or_else(|_| "[]".into());
    let at = stamp(now);
    let source = if attempt.is_some() { "quiz" } else { "review" };
    if let Some(attempt) = attempt {
        let finished: Option<Option<String>> = tx
            .query_row("SELECT finished_at FROM quiz_attempts WHERE id = ?1", [attempt], |r| r.get(0))
            .optional()
            .map_err(sql)?;
        if matches!(finished, Some(Some(_))) {
            return Err(RecordsError::AttemptFinished);
        }
    }
    let inserted = tx.execute(
        "INSERT INTO answers (learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, source, uuid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![learner, attempt, given.module, given.question, chosen_json, given.correct, at, source, uuid],
    );
    match inserted {
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) && attempt.is_some() => {
            return Err(RecordsError::AlreadyAnswered { question: given.question.to_string() });
        }
        other => other.map_err(sql)?,
    };
    let id = tx.last_insert_rowid();
    tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![learner, at]).map_err(sql)?;
    Ok(Answer {
        id,
        attempt_id: attempt,
        module_id: given.module.into(),
        question_id: given.question.into(),
        chosen: given.chosen.to_vec(),
        correct: given.correct,
        answered_at: now,
        uuid,
    })
}

/// Closes an attempt inside a learner event, counting its score from the
/// answers stored. Finishing an attempt another window finished returns that
/// result; an attempt with unanswered questions is refused.
pub(crate) fn finish_attempt_in(
    tx: &Transaction,
    attempt: i64,
    pass_mark: u32,
    now: DateTime<Utc>,
) -> Result<Finished> {
    let (total, answered, correct, stored): (u32, u32, u32, Option<(u32, bool)>) = tx
        .query_row(
            "SELECT json_array_length(a.draw) AS total,
                    (SELECT count(*) FROM answers WHERE attempt_id = a.id AND source = 'quiz') AS answered,
                    (SELECT count(*) FROM answers WHERE attempt_id = a.id AND source = 'quiz' AND correct = 1) AS right,
                    a.finished_at, a.score, a.passed
               FROM quiz_attempts a WHERE a.id = ?1",
            [attempt],
            |r| {
                let finished: Option<String> = r.get("finished_at")?;
                let stored = match finished {
                    Some(_) => Some((
                        r.get::<_, Option<u32>>("score")?.unwrap_or(0),
                        r.get::<_, Option<bool>>("passed")?.unwrap_or(false),
                    )),
                    None => None,
                };
                Ok((r.get("total")?, r.get("answered")?, r.get("right")?, stored))
            },
        )
        .map_err(sql)?;
    if let Some((score, passed)) = stored {
        return Ok(Finished { correct, total, score, passed, now: false });
    }
    if answered < total {
        return Err(RecordsError::Unanswered(total - answered));
    }
    let score = percent(correct, total);
    let passed = score >= pass_mark;
    tx.execute(
        "UPDATE quiz_attempts SET finished_at = ?2, correct = ?3, total = ?4, score = ?5, passed = ?6, pass_mark = ?7
          WHERE id = ?1 AND finished_at IS NULL",
        params![attempt, stamp(now), correct, total, score, passed, pass_mark],
    )
    .map_err(sql)?;
    Ok(Finished { correct, total, score, passed, now: true })
}

/// The learner's attempts, oldest first (also inside a transaction).
pub(crate) fn attempts_of(conn: &rusqlite::Connection, learner: i64) -> rusqlite::Result<Vec<Attempt>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE learner_id = ?1 ORDER BY started_at, id"
    ))?;
    let rows = stmt.query_map([learner], attempt_row)?;
    rows.collect()
}

/// Percent score, rounded down so a pass is never rounded into existence.
/// The records count every stored score this way; `learning::quiz` uses it too.
pub fn percent(correct: u32, total: u32) -> u32 {
    (correct * 100).checked_div(total).unwrap_or(0)
}

impl Records {
    /// Starts an attempt, recording the draw so a resumed attempt shows the same questions.
    pub fn start_attempt(
        &mut self,
        learner: i64,
        module: &str,
        version: &str,
        draw: Vec<DrawnQuestion>,
        now: DateTime<Utc>,
    ) -> Result<Attempt> {
        let uuid = new_uuid();
        let draw_json = serde_json::to_string(&draw).unwrap_or_else(|_| "[]".into());
        let at = stamp(now);
        let id = self.event(|tx| {
            tx.execute(
                "INSERT INTO quiz_attempts (learner_id, module_id, module_version, draw, started_at, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![learner, module, version, draw_json, at, uuid],
            )
            .map_err(sql)?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Attempt {
            id,
            module_id: module.to_string(),
            module_version: version.to_string(),
            draw,
            started_at: now,
            finished_at: None,
            correct: None,
            total: None,
            score: None,
            passed: None,
            pass_mark: None,
            uuid,
        })
    }

    /// Records one answer of an attempt, in its own transaction.
    pub fn record_answer(&mut self, learner: i64, attempt: i64, given: Given, now: DateTime<Utc>) -> Result<Answer> {
        self.event(|tx| insert_answer_in(tx, learner, Some(attempt), given, now))
    }

    /// Records an answer given in a review session (no attempt).
    pub fn record_review_answer(&mut self, learner: i64, given: Given, now: DateTime<Utc>) -> Result<Answer> {
        self.event(|tx| insert_answer_in(tx, learner, None, given, now))
    }

    /// Closes an attempt with the result its stored answers give.
    pub fn finish_attempt(&mut self, attempt: i64, pass_mark: u32, now: DateTime<Utc>) -> Result<Finished> {
        self.event(|tx| finish_attempt_in(tx, attempt, pass_mark, now))
    }

    pub fn attempt(&self, id: i64) -> Result<Option<Attempt>> {
        self.conn()
            .query_row(&format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = ?1"), [id], attempt_row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The learner's attempts, oldest first.
    pub fn attempts(&self, learner: i64) -> Result<Vec<Attempt>> {
        attempts_of(self.conn(), learner).map_err(|e| self.sql(e))
    }

    /// The learner's unfinished attempt on a module, if any.
    pub fn open_attempt(&self, learner: i64, module: &str) -> Result<Option<Attempt>> {
        self.conn()
            .query_row(
                &format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE learner_id = ?1 AND module_id = ?2 AND finished_at IS NULL ORDER BY id DESC LIMIT 1"),
                params![learner, module],
                attempt_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The answers that count for an attempt (one per question), in the order given.
    pub fn answers(&self, attempt: i64) -> Result<Vec<Answer>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {ANSWER_COLUMNS} FROM answers WHERE attempt_id = ?1 AND source = 'quiz' ORDER BY id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([attempt], answer_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// Every answer a learner gave (quizzes and reviews), oldest first.
    pub fn all_answers(&self, learner: i64) -> Result<Vec<Answer>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {ANSWER_COLUMNS} FROM answers WHERE learner_id = ?1 ORDER BY id"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], answer_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }
}

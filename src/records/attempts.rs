//! Quiz attempts and every answer given, each committed when it happens.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::{Records, Result, new_uuid, parse_stamp, stamp};

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
    /// Index of the next question to answer.
    pub position: usize,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub correct: Option<u32>,
    pub total: Option<u32>,
    /// Percent, 0-100.
    pub score: Option<u32>,
    pub passed: Option<bool>,
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

const ATTEMPT_COLUMNS: &str =
    "id, module_id, module_version, draw, position, started_at, finished_at, correct, total, score, passed, uuid";

fn attempt_row(r: &Row) -> rusqlite::Result<Attempt> {
    let draw: String = r.get(3)?;
    let started: String = r.get(5)?;
    let finished: Option<String> = r.get(6)?;
    Ok(Attempt {
        id: r.get(0)?,
        module_id: r.get(1)?,
        module_version: r.get(2)?,
        draw: serde_json::from_str(&draw).unwrap_or_default(),
        position: r.get::<_, i64>(4)?.max(0) as usize,
        started_at: parse_stamp(&started).unwrap_or_default(),
        finished_at: finished.as_deref().and_then(parse_stamp),
        correct: r.get(7)?,
        total: r.get(8)?,
        score: r.get(9)?,
        passed: r.get(10)?,
        uuid: r.get(11)?,
    })
}

fn answer_row(r: &Row) -> rusqlite::Result<Answer> {
    let chosen: String = r.get(5)?;
    let at: String = r.get(7)?;
    Ok(Answer {
        id: r.get(0)?,
        attempt_id: r.get(1)?,
        module_id: r.get(2)?,
        question_id: r.get(3)?,
        chosen: serde_json::from_str(&chosen).unwrap_or_default(),
        correct: r.get(6)?,
        answered_at: parse_stamp(&at).unwrap_or_default(),
        uuid: r.get(8)?,
    })
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
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO quiz_attempts (learner_id, module_id, module_version, draw, started_at, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![learner, module, version, draw_json, at, uuid],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Attempt {
            id,
            module_id: module.to_string(),
            module_version: version.to_string(),
            draw,
            position: 0,
            started_at: now,
            finished_at: None,
            correct: None,
            total: None,
            score: None,
            passed: None,
            uuid,
        })
    }

    /// Records one answer of an attempt and moves the attempt past it.
    pub fn record_answer(&mut self, learner: i64, attempt: i64, given: Given, now: DateTime<Utc>) -> Result<Answer> {
        self.insert_answer(learner, Some(attempt), given, now)
    }

    /// Records an answer given in a review session (no attempt).
    pub fn record_review_answer(&mut self, learner: i64, given: Given, now: DateTime<Utc>) -> Result<Answer> {
        self.insert_answer(learner, None, given, now)
    }

    fn insert_answer(
        &mut self,
        learner: i64,
        attempt: Option<i64>,
        given: Given,
        now: DateTime<Utc>,
    ) -> Result<Answer> {
        let uuid = new_uuid();
        let chosen_json = serde_json::to_string(given.chosen).unwrap_or_else(|_| "[]".into());
        let at = stamp(now);
        let source = if attempt.is_some() { "quiz" } else { "review" };
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO answers (learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, source, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![learner, attempt, given.module, given.question, chosen_json, given.correct, at, source, uuid],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(attempt) = attempt {
                tx.execute("UPDATE quiz_attempts SET position = position + 1 WHERE id = ?1", [attempt])?;
            }
            tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![learner, at])?;
            Ok(id)
        })?;
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

    /// Closes an attempt with its result.
    pub fn finish_attempt(
        &mut self,
        attempt: i64,
        correct: u32,
        total: u32,
        score: u32,
        passed: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE quiz_attempts SET finished_at = ?2, correct = ?3, total = ?4, score = ?5, passed = ?6 WHERE id = ?1 AND finished_at IS NULL",
                params![attempt, at, correct, total, score, passed],
            )
            .map(|_| ())
        })
    }

    pub fn attempt(&self, id: i64) -> Result<Option<Attempt>> {
        self.conn()
            .query_row(&format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = ?1"), [id], attempt_row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The learner's attempts, oldest first.
    pub fn attempts(&self, learner: i64) -> Result<Vec<Attempt>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE learner_id = ?1 ORDER BY started_at, id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], attempt_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
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

    /// Answers of one attempt, in the order given.
    pub fn answers(&self, attempt: i64) -> Result<Vec<Answer>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, attempt_id, module_id, question_id, source, chosen, correct, answered_at, uuid FROM answers WHERE attempt_id = ?1 ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([attempt], answer_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// Every answer a learner gave (quizzes and reviews), oldest first.
    pub fn all_answers(&self, learner: i64) -> Result<Vec<Answer>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, attempt_id, module_id, question_id, source, chosen, correct, answered_at, uuid FROM answers WHERE learner_id = ?1 ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], answer_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }
}

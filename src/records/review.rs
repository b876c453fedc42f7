//! The review queue: one scheduled item per question a learner has missed.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::row::Fields;
use super::{Records, Result, stamp};

/// A question's place in the learner's review schedule (FSRS card state).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub module_id: String,
    pub question_id: String,
    pub due_at: DateTime<Utc>,
    pub stability: f64,
    pub difficulty: f64,
    pub reps: i32,
    pub lapses: i32,
    /// FSRS state: 0 new, 1 learning, 2 review, 3 relearning.
    pub state: i32,
    pub last_review_at: Option<DateTime<Utc>>,
    /// Times the learner got it wrong, in quizzes and reviews.
    pub misses: u32,
}

const COLUMNS: &str =
    "module_id, question_id, due_at, stability, difficulty, reps, lapses, state, last_review_at, misses";

fn item_row(row: &Row) -> rusqlite::Result<ReviewItem> {
    let f = Fields { row, table: "review_items" };
    Ok(ReviewItem {
        module_id: f.get("module_id")?,
        question_id: f.get("question_id")?,
        due_at: f.stamp("due_at")?,
        stability: f.get("stability")?,
        difficulty: f.get("difficulty")?,
        reps: f.get("reps")?,
        lapses: f.get("lapses")?,
        state: f.get("state")?,
        last_review_at: f.stamp_opt("last_review_at")?,
        misses: f.count("misses")?,
    })
}

/// Saves a review item inside a learner event (with the answer that moved it).
pub(crate) fn save_review_item_in(tx: &Transaction, learner: i64, item: &ReviewItem) -> rusqlite::Result<()> {
    let due = stamp(item.due_at);
    let last = item.last_review_at.map(stamp);
    tx.execute(
        "INSERT INTO review_items (learner_id, module_id, question_id, due_at, stability, difficulty, reps, lapses, state, last_review_at, misses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (learner_id, module_id, question_id) DO UPDATE SET due_at = excluded.due_at, stability = excluded.stability,
           difficulty = excluded.difficulty, reps = excluded.reps, lapses = excluded.lapses, state = excluded.state,
           last_review_at = excluded.last_review_at, misses = excluded.misses",
        params![
            learner,
            item.module_id,
            item.question_id,
            due,
            item.stability,
            item.difficulty,
            item.reps,
            item.lapses,
            item.state,
            last,
            item.misses
        ],
    )
    .map(|_| ())
}

/// The review item for one question, read inside a transaction.
pub(crate) fn review_item_in(
    tx: &Transaction,
    learner: i64,
    module: &str,
    question: &str,
) -> rusqlite::Result<Option<ReviewItem>> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM review_items WHERE learner_id = ?1 AND module_id = ?2 AND question_id = ?3"),
        params![learner, module, question],
        item_row,
    )
    .optional()
}

impl Records {
    pub fn review_item(&self, learner: i64, module: &str, question: &str) -> Result<Option<ReviewItem>> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM review_items WHERE learner_id = ?1 AND module_id = ?2 AND question_id = ?3"
                ),
                params![learner, module, question],
                item_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Creates or updates an item, in its own transaction.
    pub fn save_review_item(&mut self, learner: i64, item: &ReviewItem) -> Result<()> {
        self.write(|tx| save_review_item_in(tx, learner, item))
    }

    pub fn review_items(&self, learner: i64) -> Result<Vec<ReviewItem>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS} FROM review_items WHERE learner_id = ?1 ORDER BY due_at, module_id, question_id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], item_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }
}

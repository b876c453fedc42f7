//! The answers item analysis reads: one set-based query over the answers and
//! the attempts they belong to, streamed row by row in module and question
//! order, so memory stays flat however many learners a file holds.

use rusqlite::types::Type;

use super::{Records, Result};

/// One answer in a finished quiz attempt, with that attempt's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAnswer<'a> {
    /// The learner who answered (their row id), so a caller can keep one
    /// country's learners.
    pub learner: i64,
    pub module: &'a str,
    pub question: &'a str,
    pub correct: bool,
    /// Right answers and questions in the whole attempt, this one included.
    pub attempt_correct: Option<u32>,
    pub attempt_total: Option<u32>,
}

// Review answers have no attempt (source 'review'), duplicates from release 1
// are marked 'duplicate', and unfinished attempts are left out.
//
// Every module: one sequential scan and one sort. Walking the (module,
// question) index instead visits the answers in random order and took twice
// as long on 1.2 million answers. One module: that index finds its answers.
const EVERY_MODULE: &str = "
    SELECT q.learner_id AS learner_id, a.module_id AS module_id, a.question_id AS question_id, a.correct AS correct,
           q.correct AS attempt_correct, q.total AS attempt_total
    FROM answers a NOT INDEXED
    JOIN quiz_attempts q ON q.id = a.attempt_id
    WHERE a.source = 'quiz' AND q.finished_at IS NOT NULL
    ORDER BY a.module_id, a.question_id";

const ONE_MODULE: &str = "
    SELECT q.learner_id AS learner_id, a.module_id AS module_id, a.question_id AS question_id, a.correct AS correct,
           q.correct AS attempt_correct, q.total AS attempt_total
    FROM answers a
    JOIN quiz_attempts q ON q.id = a.attempt_id
    WHERE a.module_id = ?1 AND a.source = 'quiz' AND q.finished_at IS NOT NULL
    ORDER BY a.question_id";

impl Records {
    /// Hands every answer of a finished quiz attempt (of one module, or all)
    /// to `each`, ordered by module and question.
    pub fn each_item_answer(&self, module: Option<&str>, mut each: impl FnMut(&ItemAnswer<'_>)) -> Result<()> {
        let sql = |e| self.sql(e);
        let mut stmt = self.conn().prepare(if module.is_some() { ONE_MODULE } else { EVERY_MODULE }).map_err(sql)?;
        let mut rows = match module {
            Some(id) => stmt.query([id]),
            None => stmt.query([]),
        }
        .map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let text = |name: &str| {
                row.get_ref(name)?
                    .as_str()
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, e.into()))
            };
            let answer = ItemAnswer {
                learner: row.get("learner_id").map_err(sql)?,
                module: text("module_id").map_err(sql)?,
                question: text("question_id").map_err(sql)?,
                correct: row.get("correct").map_err(sql)?,
                attempt_correct: row.get("attempt_correct").map_err(sql)?,
                attempt_total: row.get("attempt_total").map_err(sql)?,
            };
            each(&answer);
        }
        Ok(())
    }
}

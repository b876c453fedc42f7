//! Lesson progress: opened, scrolled, time spent, completed.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::row::Fields;
use super::{Records, Result, new_uuid, stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonProgress {
    pub module_id: String,
    pub lesson_id: String,
    pub scroll: u32,
    pub seconds_spent: u64,
    pub last_opened_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completion_uuid: Option<String>,
}

impl Records {
    /// Notes that the learner opened a lesson (creating its progress row).
    pub fn open_lesson(&mut self, learner: i64, module: &str, lesson: &str, now: DateTime<Utc>) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO lesson_progress (learner_id, module_id, lesson_id, first_opened_at, last_opened_at) VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT (learner_id, module_id, lesson_id) DO UPDATE SET last_opened_at = excluded.last_opened_at",
                params![learner, module, lesson, at],
            )?;
            tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![learner, at])?;
            Ok(())
        })
    }

    /// Adds reading time from one view of a lesson (for time-per-track estimates).
    pub fn add_reading_time(
        &mut self,
        learner: i64,
        module: &str,
        lesson: &str,
        seconds: u64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = stamp(now);
        let seconds = seconds as i64;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO lesson_views (learner_id, module_id, lesson_id, viewed_at, seconds) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![learner, module, lesson, at, seconds],
            )?;
            tx.execute(
                "UPDATE lesson_progress SET seconds_spent = seconds_spent + ?4 WHERE learner_id = ?1 AND module_id = ?2 AND lesson_id = ?3",
                params![learner, module, lesson, seconds],
            )?;
            Ok(())
        })
    }

    /// Marks a lesson complete. Returns false when it already was.
    pub fn complete_lesson(&mut self, learner: i64, module: &str, lesson: &str, now: DateTime<Utc>) -> Result<bool> {
        let at = stamp(now);
        let uuid = new_uuid();
        self.event(|tx| complete_lesson_in(tx, learner, module, lesson, &at, &uuid).map_err(|e| super::error_in("", e)))
    }
}

/// Marks a lesson complete inside a learner event; false if it already was.
fn complete_lesson_in(
    tx: &rusqlite::Transaction,
    learner: i64,
    module: &str,
    lesson: &str,
    at: &str,
    uuid: &str,
) -> rusqlite::Result<bool> {
    tx.execute(
        "INSERT INTO lesson_progress (learner_id, module_id, lesson_id, first_opened_at, last_opened_at) VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (learner_id, module_id, lesson_id) DO NOTHING",
        params![learner, module, lesson, at],
    )?;
    let changed = tx.execute(
        "UPDATE lesson_progress SET completed_at = ?4, completion_uuid = ?5
         WHERE learner_id = ?1 AND module_id = ?2 AND lesson_id = ?3 AND completed_at IS NULL",
        params![learner, module, lesson, at, uuid],
    )?;
    tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![learner, at])?;
    Ok(changed > 0)
}

impl Records {
    /// All of a learner's lesson progress.
    pub fn lesson_progress(&self, learner: i64) -> Result<Vec<LessonProgress>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT module_id, lesson_id, scroll, seconds_spent, last_opened_at, completed_at, completion_uuid FROM lesson_progress WHERE learner_id = ?1")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([learner], |row| {
                let f = Fields { row, table: "lesson_progress" };
                Ok(LessonProgress {
                    module_id: f.get("module_id")?,
                    lesson_id: f.get("lesson_id")?,
                    scroll: f.count("scroll")?,
                    seconds_spent: u64::from(f.count("seconds_spent")?),
                    last_opened_at: f.stamp("last_opened_at")?,
                    completed_at: f.stamp_opt("completed_at")?,
                    completion_uuid: f.get("completion_uuid")?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// Days (UTC dates) on which the learner read, answered or completed anything.
    pub fn active_days(&self, learner: i64) -> Result<Vec<chrono::NaiveDate>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT DISTINCT substr(t, 1, 10) FROM (
                    SELECT viewed_at AS t FROM lesson_views WHERE learner_id = ?1
                    UNION ALL SELECT last_opened_at FROM lesson_progress WHERE learner_id = ?1
                    UNION ALL SELECT answered_at FROM answers WHERE learner_id = ?1
                 ) ORDER BY 1",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], |r| r.get::<_, String>(0)).map_err(|e| self.sql(e))?;
        let days: Vec<String> = rows.collect::<rusqlite::Result<_>>().map_err(|e| self.sql(e))?;
        Ok(days.iter().filter_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).collect())
    }
}

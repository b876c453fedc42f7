//! Where each learner was, so reopening pace returns them there.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Records, Result, stamp};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub module_id: Option<String>,
    pub lesson_id: Option<String>,
    pub scroll: u32,
    /// An unfinished quiz attempt the learner was in.
    pub attempt_id: Option<i64>,
}

impl Records {
    /// Remembers where the learner is. When that is a lesson, its own scroll
    /// position is kept too (for reopening that lesson later), in the same
    /// transaction.
    pub fn save_location(&mut self, learner: i64, loc: &Location, now: DateTime<Utc>) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            if let (Some(module), Some(lesson)) = (&loc.module_id, &loc.lesson_id) {
                tx.execute(
                    "INSERT INTO lesson_progress (learner_id, module_id, lesson_id, scroll, first_opened_at, last_opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                     ON CONFLICT (learner_id, module_id, lesson_id) DO UPDATE SET scroll = excluded.scroll",
                    params![learner, module, lesson, loc.scroll, at],
                )?;
            }
            tx.execute(
                "INSERT INTO locations (learner_id, module_id, lesson_id, scroll, attempt_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (learner_id) DO UPDATE SET module_id = excluded.module_id, lesson_id = excluded.lesson_id,
                   scroll = excluded.scroll, attempt_id = excluded.attempt_id, updated_at = excluded.updated_at",
                params![learner, loc.module_id, loc.lesson_id, loc.scroll, loc.attempt_id, at],
            )
            .map(|_| ())
        })
    }

    pub fn location(&self, learner: i64) -> Result<Option<Location>> {
        self.conn()
            .query_row(
                "SELECT module_id, lesson_id, scroll, attempt_id FROM locations WHERE learner_id = ?1",
                [learner],
                |row| {
                    let f = super::row::Fields { row, table: "locations" };
                    Ok(Location {
                        module_id: f.get("module_id")?,
                        lesson_id: f.get("lesson_id")?,
                        scroll: f.count("scroll")?,
                        attempt_id: f.get("attempt_id")?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }
}

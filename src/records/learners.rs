//! Learners: several can share one records file (an orientation
//! workstation). Each has a UUID from creation, and optionally the work email
//! or employee id the organisation identifies people by; a name is a display
//! name, unique in the file whatever its case.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::migrations::name_key;
use super::row::Fields;
use super::{Records, RecordsError, Result, new_uuid, stamp};
use crate::content::{Audience, sanitize};

/// Longest display name: it must fit a certificate line and a report column.
pub const MAX_NAME_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub id: i64,
    /// Stable across machines; the xAPI actor when no email or id is given.
    pub uuid: String,
    pub name: String,
    pub role: Audience,
    pub new_hire: bool,
    /// Work email, lower-cased.
    pub email: Option<String>,
    pub employee_id: Option<String>,
    /// The organisation's id of the country they work in (`Organisation::countries`).
    pub country: Option<String>,
    /// The language they chose for the interface, as a language tag.
    pub language: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
}

/// What the welcome form (or a merge) gives to make a learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLearner {
    pub name: String,
    pub role: Audience,
    pub new_hire: bool,
    pub email: Option<String>,
    pub employee_id: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

impl NewLearner {
    pub fn named(name: &str, role: Audience, new_hire: bool) -> NewLearner {
        NewLearner {
            name: name.to_string(),
            role,
            new_hire,
            email: None,
            employee_id: None,
            country: None,
            language: None,
        }
    }
}

/// A display name as it will be stored, or why it cannot be one.
pub fn check_name(name: &str) -> std::result::Result<String, String> {
    let name = sanitize::learner_name(name);
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    if chars == 0 {
        return Err("type a name: the one colleagues know you by".into());
    }
    if chars > MAX_NAME_CHARS {
        return Err(format!("a name has at most {MAX_NAME_CHARS} characters; this one has {chars}. Shorten it."));
    }
    Ok(name)
}

/// A work email as stored (trimmed, lower-cased), or why it is not one.
pub fn check_email(email: &str) -> std::result::Result<String, String> {
    let email = email.trim().to_lowercase();
    let well_formed = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains('@'));
    if well_formed {
        Ok(email)
    } else {
        Err(format!("\"{}\" is not an email address like name@company.com", sanitize::clean(&email)))
    }
}

/// An employee id as stored (trimmed), or why it is not one.
pub fn check_employee_id(id: &str) -> std::result::Result<String, String> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > 64 || id.chars().any(|c| c.is_control()) {
        return Err("an employee id is 1 to 64 printable characters".into());
    }
    Ok(id.to_string())
}

impl Learner {
    fn from_row(row: &Row) -> rusqlite::Result<Learner> {
        let f = Fields { row, table: "learners" };
        Ok(Learner {
            id: f.get("id")?,
            uuid: f.parsed("uuid", "a learner UUID", |s| uuid::Uuid::parse_str(s).ok().map(|_| s.to_string()))?,
            name: f.get("name")?,
            role: f.parsed("role", "a role", Audience::from_id)?,
            new_hire: f.get("new_hire")?,
            email: f.get("email")?,
            employee_id: f.get("employee_id")?,
            country: f.get("country")?,
            language: f.get("language")?,
            created_at: f.stamp("created_at")?,
            last_active_at: f.stamp("last_active_at")?,
        })
    }
}

const COLUMNS: &str =
    "id, uuid, name, role, new_hire, email, employee_id, country, language, created_at, last_active_at";

impl Records {
    /// Adds a learner, checking in the same transaction that no one else has
    /// the name (in any case), the email or the employee id.
    pub fn add_learner(&mut self, new: &NewLearner, now: DateTime<Utc>) -> Result<Learner> {
        self.add_learner_with_uuid(new, &new_uuid(), now)
    }

    /// Adds a learner known elsewhere by `uuid` (a merge keeps the person's UUID).
    pub fn add_learner_with_uuid(&mut self, new: &NewLearner, uuid: &str, now: DateTime<Utc>) -> Result<Learner> {
        let bad = |reason: String| RecordsError::BadLearner(reason);
        let name = check_name(&new.name).map_err(bad)?;
        let email = new.email.as_deref().map(check_email).transpose().map_err(bad)?;
        let employee_id = new.employee_id.as_deref().map(check_employee_id).transpose().map_err(bad)?;
        let at = stamp(now);
        let key = name_key(&name);
        let id = self.event(|tx| {
            let taken: Option<String> = tx
                .query_row("SELECT name FROM learners WHERE name_key = ?1", [&key], |r| r.get(0))
                .optional()
                .map_err(|e| super::error_in("", e))?;
            if let Some(existing) = taken {
                return Err(RecordsError::LearnerExists(existing));
            }
            for (column, value, what) in [("email", &email, "work email"), ("employee_id", &employee_id, "employee id")]
            {
                let Some(value) = value else { continue };
                let holder: Option<String> = tx
                    .query_row(&format!("SELECT name FROM learners WHERE {column} = ?1"), [value], |r| r.get(0))
                    .optional()
                    .map_err(|e| super::error_in("", e))?;
                if let Some(name) = holder {
                    return Err(RecordsError::IdTaken { what, value: value.clone(), name });
                }
            }
            tx.execute(
                "INSERT INTO learners (uuid, name, name_key, role, new_hire, email, employee_id, country, language,
                                       created_at, last_active_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    uuid,
                    name,
                    key,
                    new.role.id(),
                    new.new_hire,
                    email,
                    employee_id,
                    new.country,
                    new.language,
                    at
                ],
            )
            .map_err(|e| super::error_in("", e))?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Learner {
            id,
            uuid: uuid.to_string(),
            name,
            role: new.role,
            new_hire: new.new_hire,
            email,
            employee_id,
            country: new.country.clone(),
            language: new.language.clone(),
            created_at: now,
            last_active_at: now,
        })
    }

    /// Every learner, most recently active first.
    pub fn learners(&self) -> Result<Vec<Learner>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM learners ORDER BY last_active_at DESC, name"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], Learner::from_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// The learner of that display name, whatever its case and spacing.
    pub fn learner_by_name(&self, name: &str) -> Result<Option<Learner>> {
        let key = name_key(name);
        self.conn()
            .query_row(&format!("SELECT {COLUMNS} FROM learners WHERE name_key = ?1"), [key], Learner::from_row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    pub fn learner_by_uuid(&self, uuid: &str) -> Result<Option<Learner>> {
        self.conn()
            .query_row(&format!("SELECT {COLUMNS} FROM learners WHERE uuid = ?1"), [uuid], Learner::from_row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Records the country the learner works in (the organisation's id).
    pub fn set_country(&mut self, id: i64, country: &str) -> Result<()> {
        self.write(|tx| tx.execute("UPDATE learners SET country = ?2 WHERE id = ?1", params![id, country]).map(|_| ()))
    }

    /// Marks the learner active now (shown in reports and the picker order).
    pub fn touch_learner(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![id, at]).map(|_| ())
        })
    }
}

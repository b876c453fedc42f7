//! The checks, each one set-based query (or a pass over a small table), so
//! a file of 10,000 learners and millions of answers is checked in one
//! reading. A value is judged by the same parsers pace reads it with.

use std::collections::{BTreeMap, HashSet};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};

use super::{BadValue, Checkup, Finding, Problem, TableRead};
use crate::content::Audience;
use crate::records::{DrawnQuestion, parse_stamp};

/// The tables of every records version.
const TABLES: &[&str] = &[
    "learners",
    "lesson_progress",
    "lesson_views",
    "quiz_attempts",
    "answers",
    "certifications",
    "notes",
    "review_items",
    "locations",
    "sync_log",
];

/// How pace reads a column (see `row.rs`): the `what` of its `BadValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Stamp,
    Count,
    Role,
    Draw,
    Chosen,
    AttemptList,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Stamp => "a timestamp",
            Kind::Count => "a count",
            Kind::Role => "a role",
            Kind::Draw => "a quiz draw",
            Kind::Chosen => "a chosen answer",
            Kind::AttemptList => "a list of attempts",
        }
    }

    /// A superset of the rows pace cannot read, cheap enough for millions
    /// of rows; each is then judged in Rust.
    fn suspects(self, c: &str) -> String {
        match self {
            Kind::Stamp => format!("{c} IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', {c})"),
            Kind::Count => format!("typeof({c}) <> 'integer' OR {c} < 0 OR {c} > 4294967295"),
            Kind::Chosen => format!(
                "typeof({c}) <> 'text' OR instr({c}, '\\u') > 0 OR CASE WHEN json_valid({c})
                   THEN json_type({c}) <> 'array' OR EXISTS (SELECT 1 FROM json_each({c}) WHERE type <> 'text')
                   ELSE 1 END"
            ),
            Kind::Role | Kind::Draw | Kind::AttemptList => "1".into(),
        }
    }

    fn readable(self, value: ValueRef) -> bool {
        let text = || match value {
            ValueRef::Text(t) => std::str::from_utf8(t).ok(),
            _ => None,
        };
        match self {
            Kind::Stamp => text().and_then(parse_stamp).is_some(),
            Kind::Count => matches!(value, ValueRef::Integer(n) if u32::try_from(n).is_ok()),
            Kind::Role => text().and_then(Audience::from_id).is_some(),
            Kind::Draw => text().is_some_and(|t| serde_json::from_str::<Vec<DrawnQuestion>>(t).is_ok()),
            Kind::Chosen => text().is_some_and(|t| serde_json::from_str::<Vec<String>>(t).is_ok()),
            Kind::AttemptList => text().is_some_and(|t| serde_json::from_str::<Vec<i64>>(t).is_ok()),
        }
    }
}

/// Every column pace reads strictly: (table, column, kind, may be NULL).
const TYPED: &[(&str, &str, Kind, bool)] = &[
    ("learners", "role", Kind::Role, false),
    ("learners", "created_at", Kind::Stamp, false),
    ("learners", "last_active_at", Kind::Stamp, false),
    ("lesson_progress", "scroll", Kind::Count, false),
    ("lesson_progress", "seconds_spent", Kind::Count, false),
    ("lesson_progress", "last_opened_at", Kind::Stamp, false),
    ("lesson_progress", "completed_at", Kind::Stamp, true),
    ("quiz_attempts", "draw", Kind::Draw, false),
    ("quiz_attempts", "started_at", Kind::Stamp, false),
    ("quiz_attempts", "finished_at", Kind::Stamp, true),
    ("quiz_attempts", "correct", Kind::Count, true),
    ("quiz_attempts", "total", Kind::Count, true),
    ("quiz_attempts", "score", Kind::Count, true),
    ("quiz_attempts", "pass_mark", Kind::Count, true),
    ("answers", "chosen", Kind::Chosen, false),
    ("answers", "answered_at", Kind::Stamp, false),
    ("certifications", "granted_at", Kind::Stamp, false),
    ("certifications", "expires_at", Kind::Stamp, false),
    ("certifications", "attempts", Kind::AttemptList, false),
    ("notes", "created_at", Kind::Stamp, false),
    ("notes", "updated_at", Kind::Stamp, false),
    ("review_items", "due_at", Kind::Stamp, false),
    ("review_items", "last_review_at", Kind::Stamp, true),
    ("review_items", "misses", Kind::Count, false),
    ("locations", "scroll", Kind::Count, false),
];

/// The file's records version and application id.
pub(super) fn version(conn: &Connection) -> rusqlite::Result<(i64, i32)> {
    let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    Ok((version, id))
}

/// Runs every check, adding what it finds to `checkup`.
pub(super) fn all(
    conn: &Connection,
    version: i64,
    checkup: &mut Checkup,
    known: Option<&super::KnownIds>,
) -> rusqlite::Result<()> {
    let out = &mut checkup.findings;
    let columns = columns(conn)?;
    for table in TABLES {
        if !columns.contains_key(*table) {
            out.push(Finding { problem: Problem::MissingTable { table: (*table).into() }, count: 1 });
        }
    }
    let has = |table: &str, column: &str| columns.get(table).is_some_and(|c| c.contains(column));
    let messages = integrity(conn, 100)?;
    if let Some(first) = messages.first() {
        let indexes_only = messages.iter().all(|m| about_an_index(m));
        out.push(Finding {
            problem: Problem::Integrity { first: first.clone(), indexes_only },
            count: messages.len() as u64,
        });
    }
    orphans(conn, &columns, out)?;
    if has("quiz_attempts", "score") && has("answers", "source") {
        scores(conn, has("quiz_attempts", "pass_mark"), out)?;
    }
    for &(table, column, kind, nullable) in TYPED {
        if has(table, column) {
            unreadable(conn, table, column, kind, nullable, out)?;
        }
    }
    if version >= 2 && has("learners", "uuid") {
        learner_uuids(conn, out)?;
    }
    if has("answers", "source") {
        duplicates(conn, out)?;
    }
    if has("certifications", "attempts") && has("quiz_attempts", "score") {
        broken_grants(conn, out)?;
    }
    super::ids::statement_ids(conn, &has, out)?;
    if let Some(known) = known {
        super::ids::unknown_ids(conn, known, &has, out)?;
    }
    if has("learners", "id") {
        checkup.learners =
            Some(conn.query_row("SELECT count(*) FROM learners", [], |r| r.get::<_, i64>(0))?.max(0) as u64);
    }
    if has("answers", "id") {
        checkup.answers =
            Some(conn.query_row("SELECT count(*) FROM answers", [], |r| r.get::<_, i64>(0))?.max(0) as u64);
    }
    Ok(())
}

/// Each table's columns.
fn columns(conn: &Connection) -> rusqlite::Result<BTreeMap<String, HashSet<String>>> {
    let mut stmt = conn.prepare(
        "SELECT m.name AS t, p.name AS c FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'",
    )?;
    let mut map: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        map.entry(row.get("t")?).or_default().insert(row.get("c")?);
    }
    Ok(map)
}

/// SQLite's integrity check, at most `max` messages; none when it passes.
/// A score the schema's CHECK refuses is left to the score checks, which
/// say it in words.
pub(super) fn integrity(conn: &Connection, max: u32) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({max})"))?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines
        .into_iter()
        .filter(|l| l != "ok" && !l.starts_with("CHECK constraint failed in quiz_attempts"))
        .map(|l| l.strip_prefix("*** in database main ***\n").map(str::to_string).unwrap_or(l))
        .collect())
}

/// SQLite's messages about an index that disagrees with its table (mended
/// by rebuilding the index): "row 5 missing from index x", "wrong # of
/// entries in index x", "non-unique entry in index x", "rowid not at
/// end-of-record for row 5 of index x". Damage to the pages themselves
/// ("Page 7: never used", "Tree 4 page 9 cell 2: ...") names no index.
fn about_an_index(message: &str) -> bool {
    [" missing from index ", "wrong # of entries in index ", "non-unique entry in index ", " of index "]
        .iter()
        .any(|m| message.contains(m))
}

/// Rows whose foreign key names a row that is gone, grouped by relation.
fn orphans(
    conn: &Connection,
    columns: &BTreeMap<String, HashSet<String>>,
    out: &mut Vec<Finding>,
) -> rusqlite::Result<()> {
    let mut groups: BTreeMap<(String, i64), (u64, i64)> = BTreeMap::new();
    {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let table: String = row.get("table")?;
            let rowid: Option<i64> = row.get("rowid")?;
            let fk: i64 = row.get("fkid")?;
            let entry = groups.entry((table, fk)).or_insert((0, rowid.unwrap_or(-1)));
            entry.0 += 1;
        }
    }
    for ((table, fk), (count, row)) in groups {
        if !columns.contains_key(&table) {
            continue;
        }
        let (column, parent): (String, String) = conn.query_row(
            "SELECT \"from\" AS child, \"table\" AS parent FROM pragma_foreign_key_list(?1) WHERE id = ?2",
            rusqlite::params![table, fk],
            |r| Ok((r.get("child")?, r.get("parent")?)),
        )?;
        let missing: Option<String> = conn
            .query_row(
                &format!("SELECT CAST({} AS TEXT) FROM {} WHERE rowid = ?1", ident(&column), ident(&table)),
                [row],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        out.push(Finding {
            problem: Problem::Orphans { table, column, parent, row, missing: missing.unwrap_or_default() },
            count,
        });
    }
    Ok(())
}

/// A name from the schema, quoted for SQL.
pub(super) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Counts the rows of `sql` and builds the first one's problem.
fn first_of(
    conn: &Connection,
    sql: &str,
    out: &mut Vec<Finding>,
    make: impl Fn(&Row) -> rusqlite::Result<Problem>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut found: Option<Finding> = None;
    while let Some(row) = rows.next()? {
        match &mut found {
            Some(f) => f.count += 1,
            None => found = Some(Finding { problem: make(row)?, count: 1 }),
        }
    }
    out.extend(found);
    Ok(())
}

/// Attempts whose scores do not add up. Only integer values are judged here;
/// others are reported as values pace cannot read.
fn scores(conn: &Connection, pass_mark: bool, out: &mut Vec<Finding>) -> rusqlite::Result<()> {
    const INTEGERS: &str = "typeof(correct) IN ('integer', 'null') AND typeof(total) IN ('integer', 'null')
                            AND typeof(score) IN ('integer', 'null')";
    first_of(
        conn,
        &format!(
            "SELECT id, correct, total, score FROM quiz_attempts
              WHERE {INTEGERS} AND ((correct IS NOT NULL AND (total IS NULL OR correct < 0 OR correct > total))
                                    OR (score IS NOT NULL AND (score < 0 OR score > 100)))
              ORDER BY id"
        ),
        out,
        |r| {
            Ok(Problem::ImpossibleScore {
                attempt: r.get("id")?,
                correct: r.get("correct")?,
                total: r.get("total")?,
                score: r.get("score")?,
            })
        },
    )?;
    const POSSIBLE: &str = "correct >= 0 AND total >= 0 AND correct <= total AND score BETWEEN 0 AND 100";
    first_of(
        conn,
        &format!(
            "SELECT id, correct, total, score FROM quiz_attempts
              WHERE {INTEGERS} AND {POSSIBLE}
                AND score <> CASE WHEN total = 0 THEN 0 ELSE correct * 100 / total END
              ORDER BY id"
        ),
        out,
        |r| {
            Ok(Problem::ScoreMismatch {
                attempt: r.get("id")?,
                correct: r.get("correct")?,
                total: r.get("total")?,
                score: r.get("score")?,
            })
        },
    )?;
    first_of(
        conn,
        &format!(
            "SELECT id, correct,
                    (SELECT count(*) FROM answers
                      WHERE attempt_id = quiz_attempts.id AND source = 'quiz' AND correct = 1) AS counted
               FROM quiz_attempts
              WHERE finished_at IS NOT NULL AND {INTEGERS} AND {POSSIBLE} AND correct <> counted
              ORDER BY id"
        ),
        out,
        |r| Ok(Problem::CountMismatch { attempt: r.get("id")?, stored: r.get("correct")?, counted: r.get("counted")? }),
    )?;
    if pass_mark {
        first_of(
            conn,
            "SELECT id, score, pass_mark, passed FROM quiz_attempts
              WHERE typeof(score) = 'integer' AND typeof(pass_mark) = 'integer' AND passed IN (0, 1)
                AND score BETWEEN 0 AND 100 AND passed <> (score >= pass_mark)
              ORDER BY id",
            out,
            |r| {
                Ok(Problem::PassMismatch {
                    attempt: r.get("id")?,
                    score: r.get("score")?,
                    pass_mark: r.get("pass_mark")?,
                    passed: r.get("passed")?,
                })
            },
        )?;
    }
    Ok(())
}

/// Values of one column that pace cannot read.
fn unreadable(
    conn: &Connection,
    table: &'static str,
    column: &'static str,
    kind: Kind,
    nullable: bool,
    out: &mut Vec<Finding>,
) -> rusqlite::Result<()> {
    let c = ident(column);
    let suspects = kind.suspects(&c);
    let filter = if nullable { format!("{c} IS NOT NULL AND ({suspects})") } else { format!("({suspects})") };
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid AS row_id, {c} AS value FROM {} WHERE {filter} ORDER BY rowid",
        ident(table)
    ))?;
    let mut rows = stmt.query([])?;
    let mut found: Option<Finding> = None;
    while let Some(row) = rows.next()? {
        let value = row.get_ref("value")?;
        if kind.readable(value) || (nullable && value == ValueRef::Null) {
            continue;
        }
        match &mut found {
            Some(f) => f.count += 1,
            None => {
                let bad = BadValue { table, column, row: row.get("row_id")?, what: kind.what(), value: shown(value) };
                found = Some(Finding { problem: Problem::Unreadable(bad), count: 1 });
            }
        }
    }
    out.extend(found);
    Ok(())
}

/// A stored value as a message quotes it (at most 80 characters, as `BadValue`s are).
fn shown(value: ValueRef) -> String {
    crate::records::row::shown(value).chars().take(80).collect()
}

/// Learners whose UUID is missing or not a UUID.
fn learner_uuids(conn: &Connection, out: &mut Vec<Finding>) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT id, name, uuid FROM learners ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut found: Option<Finding> = None;
    while let Some(row) = rows.next()? {
        let uuid = match row.get_ref("uuid")? {
            ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Null => None,
            other => Some(shown(other)),
        };
        if uuid.as_deref().is_some_and(|u| uuid::Uuid::parse_str(u).is_ok()) {
            continue;
        }
        match &mut found {
            Some(f) => f.count += 1,
            None => {
                let name = match row.get_ref("name")? {
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    other => shown(other),
                };
                found = Some(Finding { problem: Problem::NoUuid { learner: row.get("id")?, name, uuid }, count: 1 });
            }
        }
    }
    out.extend(found);
    Ok(())
}

/// Questions of an attempt answered more than once; the count is the extra answers.
fn duplicates(conn: &Connection, out: &mut Vec<Finding>) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT attempt_id, CAST(question_id AS TEXT) AS question, count(*) - 1 AS extra FROM answers
          WHERE source = 'quiz' AND attempt_id IS NOT NULL
          GROUP BY attempt_id, question_id HAVING count(*) > 1 ORDER BY attempt_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut found: Option<Finding> = None;
    while let Some(row) = rows.next()? {
        let extra = row.get::<_, i64>("extra")?.max(0) as u64;
        match &mut found {
            Some(f) => f.count += extra,
            None => {
                let problem = Problem::DuplicateAnswers {
                    attempt: row.get("attempt_id")?,
                    question: row.get::<_, Option<String>>("question")?.unwrap_or_default(),
                };
                found = Some(Finding { problem, count: extra });
            }
        }
    }
    out.extend(found);
    Ok(())
}

/// Grants naming an attempt the file does not hold as scored (the
/// certificate cannot be printed); the count is the grants.
fn broken_grants(conn: &Connection, out: &mut Vec<Finding>) -> rusqlite::Result<()> {
    first_of(
        conn,
        "SELECT c.id, CAST(c.level_id AS TEXT) AS level,
                (SELECT j.value FROM json_each(c.attempts) j
                  WHERE NOT EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.id = j.value AND a.score IS NOT NULL)
                  ORDER BY j.key LIMIT 1) AS attempt
           FROM certifications c
          WHERE typeof(c.attempts) = 'text' AND json_valid(c.attempts) AND json_type(c.attempts) = 'array'
            AND NOT EXISTS (SELECT 1 FROM json_each(c.attempts) k WHERE k.type <> 'integer')
            AND attempt IS NOT NULL
          ORDER BY c.id",
        out,
        |r| {
            Ok(Problem::BrokenGrant {
                grant: r.get("id")?,
                level: r.get::<_, Option<String>>("level")?.unwrap_or_default(),
                attempt: r.get("attempt")?,
            })
        },
    )
}

/// How far each table of a damaged file can be read, row by row.
pub(super) fn salvage(conn: &Connection) -> Vec<crate::records::doctor::TableRead> {
    let tables: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rootpage")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
    {
        Ok(t) => t,
        Err(_) => return Vec::new(),
    };
    tables
        .into_iter()
        .map(|table| {
            let mut rows = 0u64;
            let whole = (|| -> rusqlite::Result<()> {
                let mut stmt = conn.prepare(&format!("SELECT * FROM {}", ident(&table)))?;
                let n = stmt.column_count();
                let mut it = stmt.query([])?;
                while let Some(row) = it.next()? {
                    for i in 0..n {
                        row.get_ref(i)?;
                    }
                    rows += 1;
                }
                Ok(())
            })()
            .is_ok();
            TableRead { table, rows, lost: None, whole }
        })
        .collect()
}

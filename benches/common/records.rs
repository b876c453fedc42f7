//! A records file at a company's size, made the fast way (one transaction of
//! prepared inserts) but shaped like pace's own: every learner has lessons
//! read, quiz attempts of the shipped modules with their answers (about 500
//! answers each), review answers, and levels granted. Files are cached under
//! target/bench-data, keyed by size, so a second run reuses them.
#![allow(dead_code)]

use std::path::PathBuf;

use pace::content::embedded;
use pace::records::Records;
use rusqlite::params;

/// Answers per learner, as in the measurements.
pub const ANSWERS_PER_LEARNER: usize = 500;

pub fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The records file of `learners` learners, made if it is not there yet.
pub fn records_file(learners: usize) -> PathBuf {
    let path = data_dir().join(format!("records-{learners}x{ANSWERS_PER_LEARNER}.sqlite3"));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        generate(&partial, learners);
        if let Err(e) = std::fs::rename(&partial, &path) {
            panic!("cannot keep the generated file: {e}");
        }
    }
    path
}

fn generate(path: &std::path::Path, learners: usize) {
    drop(Records::open(path).unwrap_or_else(|e| panic!("{e}")));
    let catalog = embedded();
    let modules: Vec<_> = catalog.modules.iter().collect();
    let mut conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    conn.pragma_update(None, "synchronous", "OFF").ok();
    let tx = conn.transaction().unwrap_or_else(|e| panic!("{e}"));
    {
        let mut learner = tx
            .prepare("INSERT INTO learners (id, uuid, name, name_key, role, new_hire, email, created_at, last_active_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut lesson = tx
            .prepare("INSERT INTO lesson_progress (learner_id, module_id, lesson_id, first_opened_at, last_opened_at, seconds_spent, completed_at, completion_uuid) VALUES (?1, ?2, ?3, ?4, ?4, 240, ?4, ?5)")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut attempt = tx
            .prepare("INSERT INTO quiz_attempts (id, learner_id, module_id, module_version, draw, started_at, finished_at, correct, total, score, passed, pass_mark, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut answer = tx
            .prepare("INSERT INTO answers (learner_id, attempt_id, module_id, question_id, chosen, correct, answered_at, source, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut grant = tx
            .prepare("INSERT INTO certifications (learner_id, level_id, granted_at, expires_at, attempts, organisation, uuid) VALUES (?1, ?2, ?3, ?4, '[]', 'Example Corp', ?5)")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut rng = fastrand::Rng::with_seed(42);
        let mut attempt_id = 0i64;
        let uuid = |rng: &mut fastrand::Rng| {
            uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes()).into_uuid().to_string()
        };
        let at = |day: i64, minute: i64| {
            let t =
                chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").map(|t| t.to_utc()).unwrap_or_default()
                    + chrono::Duration::days(day)
                    + chrono::Duration::minutes(minute);
            pace::records::stamp(t)
        };
        for l in 1..=learners as i64 {
            let name = format!("Learner {l:05}");
            let role = ["employee", "business-unit", "coe", "executive", "partner"][l as usize % 5];
            let email = format!("learner{l}@example.com");
            learner
                .execute(params![
                    l,
                    uuid(&mut rng),
                    name,
                    name.to_lowercase(),
                    role,
                    l % 3 == 0,
                    email,
                    at(0, l),
                    at(300, l)
                ])
                .unwrap_or_else(|e| panic!("{e}"));
            let mut answers = 0;
            let mut minute = 0;
            let mut day = rng.i64(0..200);
            while answers + 8 <= ANSWERS_PER_LEARNER {
                let m = modules[rng.usize(..modules.len())];
                for les in &m.lessons {
                    minute += 3;
                    lesson.execute(params![l, m.id, les.id, at(day, minute), uuid(&mut rng)]).ok();
                }
                attempt_id += 1;
                let draw: Vec<_> = m.quiz.questions.iter().take(m.quiz.draw).collect();
                let right = draw.iter().filter(|_| rng.u8(..10) < 8).count() as u32;
                let total = draw.len() as u32;
                let score = right * 100 / total;
                let draw_json = serde_json::to_string(
                    &draw.iter().map(|q| serde_json::json!({"question": q.id, "options": q.options.iter().map(|o| &o.id).collect::<Vec<_>>()})).collect::<Vec<_>>(),
                )
                .unwrap_or_default();
                minute += 10;
                attempt
                    .execute(params![
                        attempt_id,
                        l,
                        m.id,
                        m.version,
                        draw_json,
                        at(day, minute),
                        right,
                        total,
                        score,
                        score >= m.quiz.pass_mark,
                        m.quiz.pass_mark,
                        uuid(&mut rng)
                    ])
                    .unwrap_or_else(|e| panic!("{e}"));
                for (i, q) in draw.iter().enumerate() {
                    let ok = (i as u32) < right;
                    answer
                        .execute(params![
                            l,
                            attempt_id,
                            m.id,
                            q.id,
                            "[\"a\"]",
                            ok,
                            at(day, minute + i as i64),
                            "quiz",
                            uuid(&mut rng)
                        ])
                        .unwrap_or_else(|e| panic!("{e}"));
                    answers += 1;
                }
                day += 1;
            }
            while answers < ANSWERS_PER_LEARNER {
                let m = modules[rng.usize(..modules.len())];
                let q = &m.quiz.questions[rng.usize(..m.quiz.questions.len())];
                answer
                    .execute(params![
                        l,
                        Option::<i64>::None,
                        m.id,
                        q.id,
                        "[\"a\"]",
                        true,
                        at(day, minute),
                        "review",
                        uuid(&mut rng)
                    ])
                    .unwrap_or_else(|e| panic!("{e}"));
                answers += 1;
            }
            if l % 2 == 0 {
                grant
                    .execute(params![l, "social-ready", at(day, 0), at(day + 365, 0), uuid(&mut rng)])
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").ok();
}

/// The plain aggregate: what `sqlite3` answers in one statement.
pub const BASELINE: &str = "select l.id, l.name, count(a.id), avg(a.correct), max(a.answered_at) from learners l left join answers a on a.learner_id = l.id group by l.id";

/// Runs the baseline query to the last row; returns the rows seen.
pub fn baseline(conn: &rusqlite::Connection) -> usize {
    let mut stmt = conn.prepare_cached(BASELINE).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = stmt.query([]).unwrap_or_else(|e| panic!("{e}"));
    let mut n = 0;
    while let Ok(Some(row)) = rows.next() {
        let _: Option<String> = row.get(4).ok();
        n += 1;
    }
    n
}

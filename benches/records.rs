//! Records at a company's size, each figure next to a baseline measured in
//! the same run:
//! - `pace report` (the library's set-based report, rendered as the text
//!   table) over 1,000 and 10,000 learners x 500 answers, against the plain
//!   aggregate query an administrator would type into `sqlite3` on the same
//!   file. Target: within 1.5x.
//! - one answer recorded end to end through the learning service (marking,
//!   the answer and its review schedule in one FULL-synchronous transaction),
//!   against a raw one-row insert committed with `synchronous=FULL` on the
//!   same disk. Target: within 1.2x.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/records.rs"]
mod datagen;

use std::rc::Rc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use pace::content::{Audience, embedded};
use pace::learning::clock::Clock;
use pace::learning::report::People;
use pace::learning::session::Session;
use pace::records::{NewLearner, Records};

fn report(c: &mut Criterion) {
    let catalog = embedded();
    let now = chrono::Utc::now();
    for learners in [1_000, 10_000] {
        let path = datagen::records_file(learners);
        let records = Records::open_existing(&path).unwrap_or_else(|e| panic!("{e}"));
        let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut group = c.benchmark_group(format!("report_{learners}_learners"));
        group.sample_size(10);
        group.bench_function("pace report (text)", |b| {
            b.iter(|| {
                let mut people = People::default();
                people.gather(&records, None).unwrap_or_else(|e| panic!("{e}"));
                let rows = people.rows(&catalog, now);
                pace::cli::render_report_text(&rows, 100).len()
            })
        });
        group.bench_function("baseline: one aggregate query over the answers", |b| b.iter(|| datagen::baseline(&raw)));
        group.finish();
    }
}

fn record_answer(c: &mut Criterion) {
    let dir = datagen::data_dir().join("answer-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let catalog = Rc::new(embedded());
    let records = Records::open(&dir.join("pace.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    let mut session = Session::new(Rc::clone(&catalog), records, Clock::System, Some(1), false);
    let learner =
        session.sign_up(&NewLearner::named("Bench", Audience::Employee, false)).unwrap_or_else(|e| panic!("{e}"));
    session.enter(learner).unwrap_or_else(|e| panic!("{e}"));
    let module = &catalog.modules[0];
    let questions: Vec<_> = module.quiz.questions.iter().map(|q| q.id.clone()).collect();
    let chosen = vec!["true".to_string()];

    let raw = rusqlite::Connection::open(dir.join("raw.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, question TEXT NOT NULL, at TEXT NOT NULL);",
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("record_one_answer");
    let mut i = 0;
    group.bench_function("pace: Session::answer (answer + review schedule, one FULL commit)", |b| {
        b.iter(|| {
            i += 1;
            let q = &questions[i % questions.len()];
            session.answer(None, &module.id, q, &chosen).unwrap_or_else(|e| panic!("{e}"))
        })
    });
    group.bench_function("baseline: one-row insert, one FULL commit", |b| {
        b.iter_batched(
            || (),
            |()| {
                raw.execute("INSERT INTO answers (question, at) VALUES ('q', '2026-12-01T09:00:00Z')", [])
                    .unwrap_or_else(|e| panic!("{e}"))
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, report, record_answer);
criterion_main!(benches);

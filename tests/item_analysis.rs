//! `pace report --questions` through the real binary, on a history recorded
//! with the library: who answered what is known, so every count, facility,
//! correlation sign and flag is too. Review answers and unfinished attempts
//! must not count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::history::{self, EXEC101, M101, M201, Tick, chosen};
use common::run_pace;
use pace::content::Audience;
use pace::learning::quiz;
use pace::records::{Given, NewLearner, Records};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const NOW: &str = "2026-11-28T09:00:00Z";
const ATTEMPTS: usize = 24;

/// Whether attempt `k` of the designed history gets question `j` right:
/// question 0 always (too easy), question 1 never (too hard), question 2 only
/// in the weaker half of the attempts (negative discrimination), the others
/// always in the stronger half and one time in three in the weaker half.
fn right(k: usize, j: usize) -> bool {
    let strong = k >= ATTEMPTS / 2;
    match j {
        0 => true,
        1 => false,
        2 => !strong,
        _ => strong || (k + j).is_multiple_of(3),
    }
}

/// The shared history, plus 24 finished attempts on the executive 101 quiz
/// by one learner following `right`, and review answers that must not count.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db, h) = history::recorded();
    let mut records = Records::open(&db).expect("records");
    let catalog = pace::content::embedded();
    let m = catalog.module(EXEC101).expect("module").clone();
    let mut tick = Tick(h.end);
    let dee =
        records.add_learner(&NewLearner::named("Dee Nash", Audience::Executive, false), tick.next()).expect("dee");
    let mut rng = fastrand::Rng::with_seed(11);
    for k in 0..ATTEMPTS {
        let draw = quiz::whole_pool(&m, &mut rng);
        let a = records.start_attempt(dee.id, EXEC101, &m.version, draw, tick.next()).expect("start");
        for (j, q) in m.quiz.questions.iter().enumerate() {
            let given = chosen(q, right(k, j));
            let ok = quiz::is_correct(q, &given);
            assert_eq!(ok, right(k, j));
            let answer = Given { module: EXEC101, question: &q.id, chosen: &given, correct: ok };
            records.record_answer(dee.id, a.id, answer, tick.next()).expect("answer");
        }
        records.finish_attempt(a.id, m.quiz.pass_mark, tick.next()).expect("finish");
    }
    for q in &m.quiz.questions[..3] {
        let given = chosen(q, false);
        let answer = Given { module: EXEC101, question: &q.id, chosen: &given, correct: false };
        records.record_review_answer(dee.id, answer, tick.next()).expect("review");
    }
    (dir, db)
}

fn ok_stdout(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["report", "--questions"];
    all.extend_from_slice(args);
    let run = run_pace(db, NOW, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn json(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok_stdout(db, &all)).expect("json")
}

fn find<'a>(rows: &'a [Value], module: &str, question: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["module"] == module && r["question"] == question)
        .unwrap_or_else(|| panic!("{module}/{question} not in {rows:#?}"))
}

/// Pearson correlation by the two-pass textbook formula, to check the
/// streamed one against.
fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

#[test]
fn facility_discrimination_and_flags_per_question_from_finished_attempts_only() {
    let (_dir, db) = setup();
    let catalog = pace::content::embedded();
    let m = catalog.module(EXEC101).expect("module");
    let ids: Vec<&str> = m.quiz.questions.iter().map(|q| q.id.as_str()).collect();
    let n = ids.len();
    let rows = json(&db, &[]);

    let easy = find(&rows, EXEC101, ids[0]);
    // Ben's unfinished attempt answered the first questions, and Dee's
    // review answered three: neither counts.
    assert_eq!(easy["answered"], ATTEMPTS);
    assert_eq!(easy["facility"], 1.0);
    assert_eq!(easy["discrimination"], Value::Null, "everyone right: nothing to correlate");
    assert_eq!(easy["flags"], serde_json::json!(["too-easy"]));

    let hard = find(&rows, EXEC101, ids[1]);
    assert_eq!((hard["answered"].as_u64(), hard["correct"].as_u64()), (Some(ATTEMPTS as u64), Some(0)));
    assert_eq!(hard["flags"], serde_json::json!(["too-hard"]));

    let inverted = find(&rows, EXEC101, ids[2]);
    assert_eq!(inverted["facility"], 0.5);
    let xs: Vec<f64> = (0..ATTEMPTS).map(|k| f64::from(u8::from(right(k, 2)))).collect();
    let rest: Vec<f64> =
        (0..ATTEMPTS).map(|k| (0..n).filter(|&j| j != 2 && right(k, j)).count() as f64 / (n - 1) as f64).collect();
    let want = pearson(&xs, &rest);
    assert!(want < 0.0);
    let got = inverted["discrimination"].as_f64().expect("a correlation");
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    assert_eq!(inverted["flags"], serde_json::json!(["negative-discrimination"]));

    for (j, id) in ids.iter().enumerate().skip(3) {
        let row = find(&rows, EXEC101, id);
        assert!(row["discrimination"].as_f64().is_some_and(|r| r > 0.0), "{row}");
        assert_eq!(row["flags"], serde_json::json!([]), "question {j} works: {row}");
    }

    // Ana's history: one attempt on 101 (plus a review answer that does not
    // count), a failed and a passed attempt on 201.
    let m101 = catalog.module(M101).expect("module");
    let first = find(&rows, M101, &m101.quiz.questions[0].id);
    assert_eq!(first["answered"], 1);
    assert_eq!(first["flags"], serde_json::json!(["few-answers"]));
    let m201 = catalog.module(M201).expect("module");
    let twice = find(&rows, M201, &m201.quiz.questions[0].id);
    assert_eq!((twice["answered"].as_u64(), twice["facility"].as_f64()), (Some(2), Some(0.5)));
    assert_eq!(twice["discrimination"], 1.0, "right exactly when the rest was right");

    // One row per question answered, ordered by module then question.
    let keys: Vec<(String, String)> =
        rows.iter().map(|r| (r["module"].to_string(), r["question"].to_string())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    assert_eq!(rows.len(), n + m101.quiz.questions.len() + m201.quiz.questions.len());
}

#[test]
fn text_and_csv_say_the_same_and_module_narrows_the_list() {
    let (_dir, db) = setup();
    let catalog = pace::content::embedded();
    let ids: Vec<String> =
        catalog.module(EXEC101).expect("module").quiz.questions.iter().map(|q| q.id.clone()).collect();

    let text = ok_stdout(&db, &["--module", EXEC101]);
    println!("{text}");
    for line in text.lines() {
        assert!(line.width() <= 100, "{} columns: {line}", line.width());
    }
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], EXEC101, "one module only");
    assert!(!text.contains(M101) && !text.contains(M201));
    for head in ["Question", "Answered", "Facility", "Discrim.", "Flags"] {
        assert!(lines[1].contains(head), "{head} in {}", lines[1]);
    }
    let cells = |id: &str| -> Vec<String> {
        let line = lines.iter().find(|l| l.trim_start().starts_with(&format!("{id} "))).expect("row");
        line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
    };
    assert_eq!(cells(&ids[0]), [ids[0].as_str(), "24", "1.00", "-", "too easy"]);
    assert_eq!(cells(&ids[1]), [ids[1].as_str(), "24", "0.00", "-", "too hard"]);
    assert_eq!(cells(&ids[2])[4], "negative discrimination");
    assert!(text.contains("review answers are not counted"));

    let csv = ok_stdout(&db, &["--module", EXEC101, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["module", "question", "answered", "correct", "facility", "discrimination", "flags"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), ids.len());
    let easy = records.iter().find(|r| &r[1] == ids[0].as_str()).expect("row");
    assert_eq!(easy.iter().collect::<Vec<_>>(), [EXEC101, ids[0].as_str(), "24", "24", "1.000", "", "too easy"]);
    let excel = ok_stdout(&db, &["--module", EXEC101, "--format", "csv", "--excel"]);
    assert_eq!(excel, format!("\u{feff}{csv}"), "the same CSV after a byte order mark");
    let json_rows = json(&db, &["--module", EXEC101]);
    for r in &records {
        let j = find(&json_rows, &r[0], &r[1]);
        assert_eq!(j["answered"].to_string(), r[2]);
        assert_eq!(format!("{:.3}", j["facility"].as_f64().expect("facility")), r[4]);
    }
}

/// Item analysis for one country: only the answers of learners who work
/// there (a learner with no country recorded is in the first one listed).
#[test]
fn country_keeps_the_answers_of_that_countrys_learners() {
    let (_dir, db) = setup();
    let catalog = pace::content::embedded();
    let m = catalog.module(EXEC101).expect("module").clone();
    let mut records = Records::open(&db).expect("records");
    let ute =
        records.add_learner(&NewLearner::named("Ute Berg", Audience::Executive, false), common::t0()).expect("ute");
    records.set_country(ute.id, "de").expect("country");
    let mut rng = fastrand::Rng::with_seed(5);
    let mut tick = Tick(common::t0());
    for _ in 0..2 {
        let draw = quiz::whole_pool(&m, &mut rng);
        let a = records.start_attempt(ute.id, EXEC101, &m.version, draw, tick.next()).expect("start");
        for q in &m.quiz.questions {
            let given = chosen(q, true);
            let answer = Given { module: EXEC101, question: &q.id, chosen: &given, correct: true };
            records.record_answer(ute.id, a.id, answer, tick.next()).expect("answer");
        }
        records.finish_attempt(a.id, m.quiz.pass_mark, tick.next()).expect("finish");
    }
    drop(records);
    let hard = &m.quiz.questions[1].id;
    let answered = |args: &[&str]| {
        let mut all = vec!["--module", EXEC101];
        all.extend_from_slice(args);
        let rows = json(&db, &all);
        let row = find(&rows, EXEC101, hard);
        (row["answered"].as_u64(), row["correct"].as_u64())
    };
    assert_eq!(answered(&[]), (Some(26), Some(2)), "everyone: Dee's 24 wrong, Ute's 2 right");
    assert_eq!(answered(&["--country", "de"]), (Some(2), Some(2)), "Germany: Ute only");
    assert_eq!(answered(&["--country", "us"]), (Some(24), Some(0)), "the US: Dee, who has no country recorded");
    assert!(json(&db, &["--module", EXEC101, "--country", "es"]).is_empty(), "no one in Spain");

    let unknown = run_pace(&db, NOW, &["report", "--questions", "--country", "fr"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("no country \"fr\"") && unknown.stderr.contains("us, gb, de, es"),
        "{}",
        unknown.stderr
    );
    let alone = run_pace(&db, NOW, &["report", "--country", "de"]);
    assert_eq!(alone.code, 2, "--country needs --questions");
}

#[test]
fn nothing_to_analyse_and_mistakes_have_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    records.add_learner(&NewLearner::named("Ana Ruiz", Audience::Employee, true), common::t0()).expect("add");
    drop(records);
    assert_eq!(ok_stdout(&db, &[]), format!("No finished quiz attempts in {} yet.\n", db.display()));
    assert_eq!(ok_stdout(&db, &["--format", "json"]), "[]\n");
    assert!(ok_stdout(&db, &["--module", M101]).starts_with("No finished quiz attempts on"));

    let unknown = run_pace(&db, NOW, &["report", "--questions", "--module", "no-such-module"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("no module \"no-such-module\""), "{}", unknown.stderr);
    let learner = run_pace(&db, NOW, &["--learner", "Ana Ruiz", "report", "--questions"]);
    assert_eq!(learner.code, 2, "{}", learner.stderr);
    let module_alone = run_pace(&db, NOW, &["report", "--module", M101]);
    assert_eq!(module_alone.code, 2, "--module needs --questions");
    let both = run_pace(&db, NOW, &["report", "--questions", "--expiring-within", "30"]);
    assert_eq!(both.code, 2);
    let excel_text = run_pace(&db, NOW, &["report", "--questions", "--excel"]);
    assert_eq!(excel_text.code, 2, "--excel is for CSV");
    let db_s = db.to_string_lossy().into_owned();
    let two_files = run_pace(&db, NOW, &["report", "--questions", "--db", &db_s, "--db", &db_s]);
    assert_eq!(two_files.code, 2, "{}", two_files.stderr);
    assert!(two_files.stderr.contains("one records file"), "{}", two_files.stderr);
    let missing = run_pace(&dir.path().join("none.sqlite3"), NOW, &["report", "--questions"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("no records file"), "{}", missing.stderr);
}

#[test]
fn ids_from_a_tampered_records_file_reach_the_terminal_clean() {
    let (_dir, db, _h) = history::recorded();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let sql = "UPDATE answers SET question_id = 'q\u{1b}]0;owned\u{7}\u{1b}[31mred'
               WHERE id = (SELECT min(id) FROM answers WHERE source = 'quiz')";
    assert_eq!(conn.execute(sql, []).expect("tamper"), 1);
    drop(conn);
    for format in ["text", "csv", "json"] {
        let out = ok_stdout(&db, &["--format", format]);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{format}: {out:?}");
        assert!(out.contains("red"), "{format}");
    }
}

//! `pace export`: the CSV rows and xAPI statements made from a known
//! history, their stability, filters and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::history::{self, AWKWARD, M101, M201};
use pace::export::{Filter, events, xapi};
use pace::records::Records;
use serde_json::Value;

const NOW: &str = "2026-11-28T09:00:00Z";

fn setup() -> (tempfile::TempDir, PathBuf, history::History) {
    history::recorded()
}

fn pace(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pace"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("PACE_NOW", NOW)
        .env_remove("PACE_MODULES")
        .output()
        .expect("run pace")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn statements(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["export", "--format", "xapi"];
    all.extend_from_slice(args);
    let out = pace(db, &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| match k.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[k],
    })
}

fn verb(s: &Value) -> &str {
    at(s, "verb.id").as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default()
}

/// The array is compact, one statement per line; `--lines` writes the same
/// statements as JSON Lines, the form LRS bulk loaders read.
#[test]
fn statements_come_as_a_compact_array_or_as_json_lines() {
    let (_dir, db, h) = setup();
    let array = pace(&db, &["export", "--format", "xapi"]);
    let text = String::from_utf8(array.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!((lines[0], lines[lines.len() - 1]), ("[", "]"), "{text:.200}");
    assert_eq!(lines.len(), h.events + 2, "one statement per line between the brackets");
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.starts_with("{\"id\":")), "compact statements");

    let jsonl = pace(&db, &["export", "--format", "xapi", "--lines"]);
    assert_eq!(jsonl.status.code(), Some(0), "{}", stderr(&jsonl));
    let text = String::from_utf8(jsonl.stdout).expect("utf-8");
    assert!(text.ends_with("}\n") && !text.starts_with('['), "{text:.200}");
    let each: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("one statement per line")).collect();
    assert_eq!(each, statements(&db, &[]), "the same statements in the same order");

    let csv = pace(&db, &["export", "--format", "csv", "--lines"]);
    assert_eq!(csv.status.code(), Some(2), "--lines is for xAPI");
    assert!(stderr(&csv).contains("--lines is for xAPI"), "{}", stderr(&csv));
}

#[test]
fn every_event_becomes_one_xapi_statement_of_the_documented_shape() {
    let (_dir, db, h) = setup();
    let all = statements(&db, &[]);
    assert_eq!(all.len(), h.events);

    let records = Records::open(&db).expect("records");
    let events = events::read(&records, &Filter::default()).expect("events");
    let mut ids = HashSet::new();
    for (s, e) in all.iter().zip(&events) {
        assert!(xapi::nulls(s).is_empty(), "nulls at {:?} in {s:#}", xapi::nulls(s));
        assert!(s.get("version").is_none(), "no version: the LRS sets it");
        assert_eq!(s["id"], e.uuid.as_str(), "the id is the uuid stored with the event");
        assert!(uuid::Uuid::parse_str(&e.uuid).is_ok());
        assert!(ids.insert(e.uuid.clone()), "ids are unique");
        assert_eq!(at(s, "actor.account.homePage"), "https://example.com");
        // No email or employee id recorded: the actor is the learner's UUID on the home page.
        assert_eq!(at(s, "actor.account.name"), e.learner.uuid.as_str());
        assert_eq!(s["timestamp"], pace::records::stamp(e.at).as_str());
        assert!(at(s, "object.id").as_str().is_some_and(|id| id.starts_with("https://example.com/pace/")));
    }

    let count = |v: &str| all.iter().filter(|s| verb(s) == v).count();
    assert_eq!(count("completed"), events.iter().filter(|e| e.what.name() == "lesson-completed").count());
    assert_eq!(count("passed"), 2);
    assert_eq!(count("failed"), 1);
    assert_eq!(count("satisfied"), 1);
    assert_eq!(count("answered"), events.iter().filter(|e| e.what.name() == "answered").count());

    // A lesson: its module is the parent, its track groups it.
    let lesson = all.iter().find(|s| verb(s) == "completed").expect("lesson");
    assert!(
        at(lesson, "object.id")
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("https://example.com/pace/modules/{M101}/lessons/"))
    );
    assert_eq!(at(lesson, "object.definition.type"), "http://adlnet.gov/expapi/activities/lesson");
    assert_eq!(
        at(lesson, "context.contextActivities.parent.0.id"),
        format!("https://example.com/pace/modules/{M101}").as_str()
    );
    assert_eq!(at(lesson, "context.contextActivities.grouping.0.id"), "https://example.com/pace/tracks/employees");
    assert_eq!(at(lesson, "result.completion"), true);

    // Answers: cmi.interaction of every kind, question -> quiz -> module -> track.
    let answers: Vec<&Value> = all.iter().filter(|s| verb(s) == "answered").collect();
    let kinds: HashSet<&str> =
        answers.iter().filter_map(|s| at(s, "object.definition.interactionType").as_str()).collect();
    assert_eq!(kinds, HashSet::from(["choice", "true-false", "sequencing"]));
    for s in &answers {
        let def = at(s, "object.definition");
        assert_eq!(def["type"], "http://adlnet.gov/expapi/activities/cmi.interaction");
        assert!(def["correctResponsesPattern"][0].as_str().is_some_and(|p| !p.is_empty()));
        assert!(s["result"]["response"].is_string());
        assert!(s["result"]["success"].is_boolean());
        let module =
            at(s, "object.id").as_str().unwrap_or_default().split("/quiz/").next().unwrap_or_default().to_string();
        assert_eq!(at(s, "context.contextActivities.parent.0.id").as_str(), Some(format!("{module}/quiz").as_str()));
        assert_eq!(at(s, "context.contextActivities.grouping.0.id").as_str(), Some(module.as_str()));
        assert!(at(s, "context.contextActivities.grouping.1.id").as_str().is_some_and(|t| t.contains("/pace/tracks/")));
        match def["interactionType"].as_str() {
            Some("true-false") => {
                assert!(def.get("choices").is_none());
                assert!(matches!(s["result"]["response"].as_str(), Some("true" | "false")));
            }
            _ => assert!(def["choices"].as_array().is_some_and(|c| c.len() >= 2)),
        }
        // A right answer's response is the correct pattern itself.
        if s["result"]["success"] == true {
            assert_eq!(s["result"]["response"], def["correctResponsesPattern"][0]);
        }
    }
    let sequencing =
        answers.iter().find(|s| at(s, "object.definition.interactionType") == "sequencing").expect("ordering");
    assert!(sequencing["result"]["response"].as_str().is_some_and(|r| r.contains("[,]")));

    // Quizzes: score, success, duration; answers share their attempt's registration.
    let passed = all.iter().find(|s| verb(s) == "passed").expect("pass");
    assert_eq!(at(passed, "object.id"), format!("https://example.com/pace/modules/{M101}/quiz").as_str());
    assert_eq!(at(passed, "result.score.min"), 0);
    assert_eq!(at(passed, "result.score.raw"), at(passed, "result.score.max"));
    assert_eq!(at(passed, "result.score.scaled"), 1.0);
    assert_eq!(at(passed, "result.success"), true);
    assert!(at(passed, "result.duration").as_str().is_some_and(|d| d.starts_with("PT") && d.len() > 2));
    let failed = all.iter().find(|s| verb(s) == "failed").expect("fail");
    assert_eq!(at(failed, "result.score.raw"), 0);
    assert_eq!(at(failed, "result.score.scaled"), 0.0);
    assert_eq!(at(failed, "result.success"), false);
    let registration = at(passed, "context.registration");
    assert_eq!(registration, &passed["id"]);
    let of_attempt = answers.iter().filter(|s| at(s, "context.registration") == registration).count();
    assert_eq!(Some(of_attempt as u64), at(passed, "result.score.max").as_u64());

    // The level: satisfied, with its expiry.
    let level = all.iter().find(|s| verb(s) == "satisfied").expect("level");
    assert_eq!(at(level, "verb.id"), "https://w3id.org/xapi/adl/verbs/satisfied");
    assert_eq!(at(level, "object.id"), "https://example.com/pace/levels/social-ready");
    assert_eq!(at(level, "object.definition.name.en"), "Social Ready");
    assert!(level["result"]["extensions"]["https://example.com/pace/extensions/expires-at"].is_string());

    // The review answer has no attempt, so no registration.
    assert_eq!(answers.iter().filter(|s| s["context"].get("registration").is_none()).count(), 1);
}

#[test]
fn two_exports_name_every_statement_the_same_way() {
    let (_dir, db, _h) = setup();
    let first = pace(&db, &["export", "--format", "xapi"]);
    let second = pace(&db, &["export", "--format", "xapi"]);
    assert_eq!(first.status.code(), Some(0));
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout, "the same records export to the same bytes");
    // And through the library, the ids are the stored uuids, not made up each time.
    let records = Records::open(&db).expect("records");
    let catalog = pace::content::embedded();
    let builder = xapi::Builder::new(&catalog).expect("builder");
    let events = events::read(&records, &Filter::default()).expect("events");
    let ids: Vec<Value> = builder.statements(&events).iter().map(|s| s["id"].clone()).collect();
    let again: Vec<Value> = builder.statements(&events).iter().map(|s| s["id"].clone()).collect();
    assert_eq!(ids, again);
}

#[test]
fn csv_has_one_row_per_event_and_quotes_what_needs_quoting() {
    let (dir, db, h) = setup();
    let out = dir.path().join("records.csv");
    let run = pace(&db, &["export", "--format", "csv", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(run.stdout.is_empty(), "--out writes the file, not stdout");
    assert!(stderr(&run).contains(&format!("wrote {} events", h.events)));
    let text = std::fs::read_to_string(&out).expect("csv");
    assert!(
        text.starts_with(
            "timestamp,learner_id,learner_uuid,learner,email,employee_id,role,event,module,item,response,correct,score,expires,uuid\r\n"
        )
    );
    assert!(text.contains("\"O'Neil, \"\"Benny\"\" Jr\""), "RFC 4180: quoted, quotes doubled");
    assert!(text.ends_with("\r\n"));

    let mut reader = csv::Reader::from_path(&out).expect("reader");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), h.events);
    assert!(rows.iter().all(|r| r.len() == 15));
    let by_event = |name: &str| rows.iter().filter(|r| &r[7] == name).collect::<Vec<_>>();
    assert!(by_event("lesson-completed").iter().any(|r| &r[3] == AWKWARD && &r[6] == "executive"));
    assert_eq!(by_event("quiz-passed").len(), 2);
    let failed = by_event("quiz-failed");
    assert_eq!(failed.len(), 1);
    assert_eq!((&failed[0][8], &failed[0][9], &failed[0][12]), (M201, "quiz", "0"));
    let level = &by_event("level-granted")[0];
    assert_eq!((&level[9], level[13].starts_with("2027-11-")), ("social-ready", true));
    assert!(by_event("answered").iter().all(|r| matches!(&r[11], "yes" | "no") && !r[10].is_empty()));
    // Rows are in time order.
    let stamps: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap_or_default()).collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn a_name_that_looks_like_a_formula_stays_text_in_a_spreadsheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    let l = records
        .add_learner(
            &pace::records::NewLearner::named("=HYPERLINK(\"http://x\")", pace::content::Audience::Employee, false),
            common::t0(),
        )
        .expect("add");
    records.complete_lesson(l.id, M101, "why-it-matters", common::t0()).expect("complete");
    let out = pace(&db, &["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let row = reader.records().next().expect("a row").expect("csv");
    assert_eq!(&row[3], "'=HYPERLINK(\"http://x\")");
}

#[test]
fn report_and_export_neutralise_a_formula_behind_blanks_the_same_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    let l = records
        .add_learner(
            &pace::records::NewLearner::named("Placeholder", pace::content::Audience::Employee, false),
            common::t0(),
        )
        .expect("add");
    records.complete_lesson(l.id, M101, "why-it-matters", common::t0()).expect("complete");
    drop(records);
    // pace trims names it records; a file written by anything else may not.
    for name in [" =SUM(A1:A9)", "\t=SUM(A1:A9)", " \r @cmd"] {
        let conn = rusqlite::Connection::open(&db).expect("db");
        conn.execute("UPDATE learners SET name = ?1", [name]).expect("rename");
        drop(conn);
        let export = pace(&db, &["export", "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(export.stdout.as_slice());
        let exported = reader.records().next().expect("a row").expect("csv")[3].to_string();
        let report = pace(&db, &["report", "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(report.stdout.as_slice());
        let reported = reader.records().next().expect("a row").expect("csv")[2].to_string();
        assert!(exported.starts_with('\''), "export: {exported:?}");
        assert!(reported.starts_with('\''), "report: {reported:?}");
    }
}

#[test]
fn excel_csv_starts_with_a_byte_order_mark_and_plain_csv_does_not() {
    let (_dir, db, _h) = setup();
    let bom = "\u{feff}".as_bytes();
    for command in [&["export", "--format", "csv"][..], &["report", "--format", "csv"][..]] {
        let plain = pace(&db, command);
        assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
        assert!(!plain.stdout.starts_with(bom), "{command:?}");
        let excel = pace(&db, &[command, &["--excel"]].concat());
        assert_eq!(excel.status.code(), Some(0), "{}", stderr(&excel));
        assert!(excel.stdout.starts_with(bom), "{command:?} --excel starts with a BOM");
        assert_eq!(&excel.stdout[bom.len()..], plain.stdout.as_slice(), "the rest is the same CSV");
        assert!(String::from_utf8_lossy(&excel.stdout).contains("Ana Ruiz"), "{command:?}: UTF-8 after the BOM");
    }
    let out = tempfile::tempdir().expect("tempdir");
    let file = out.path().join("records.csv");
    let run = pace(&db, &["export", "--format", "csv", "--excel", "--out", file.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(std::fs::read(&file).expect("file").starts_with(bom));
    let wrong = pace(&db, &["export", "--format", "xapi", "--excel"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("--excel is for CSV"), "{}", stderr(&wrong));
    assert_eq!(pace(&db, &["report", "--excel"]).status.code(), Some(2));
}

#[test]
fn learner_and_since_filter_the_export() {
    let (_dir, db, h) = setup();
    let all = statements(&db, &[]);
    let ana = statements(&db, &["--learner", "ana ruiz"]);
    assert!(!ana.is_empty() && ana.len() < all.len());
    assert!(ana.iter().all(|s| at(s, "actor.account.name") == h.ana.uuid.as_str()));
    assert_eq!(ana.len() + statements(&db, &["--learner", AWKWARD]).len(), all.len(), "Chloé has done nothing yet");
    assert!(statements(&db, &["--learner", "Chloé Zhang"]).is_empty());

    // --since: a date is midnight UTC; an RFC 3339 time is exact.
    assert_eq!(statements(&db, &["--since", "2026-11-27"]).len(), all.len());
    assert!(statements(&db, &["--since", "2026-11-29"]).is_empty());
    let cut = all[all.len() / 2]["timestamp"].as_str().expect("timestamp").to_string();
    let later = statements(&db, &["--since", &cut]);
    let expected = all.iter().filter(|s| s["timestamp"].as_str().is_some_and(|t| t >= cut.as_str())).count();
    assert_eq!(later.len(), expected);
    assert!(later.len() < all.len() && !later.is_empty());
    assert_eq!(statements(&db, &["--learner", "Ana Ruiz", "--since", &cut]).len(), {
        later.iter().filter(|s| at(s, "actor.account.name") == h.ana.uuid.as_str()).count()
    });
}

#[test]
fn exit_codes_say_whose_mistake_it_was() {
    let (dir, db, _h) = setup();
    let unknown = pace(&db, &["export", "--format", "csv", "--learner", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("no learner named \"Nobody\""), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("Ana Ruiz"), "the message lists who is there");

    let bad_since = pace(&db, &["export", "--format", "csv", "--since", "last tuesday"]);
    assert_eq!(bad_since.status.code(), Some(2));
    assert!(stderr(&bad_since).contains("YYYY-MM-DD"));
    assert_eq!(pace(&db, &["export"]).status.code(), Some(2), "--format is required");
    assert_eq!(pace(&db, &["export", "--format", "pdf"]).status.code(), Some(2));

    let missing = dir.path().join("nope.sqlite3");
    let run = pace(&missing, &["export", "--format", "xapi"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("no records file"));
    assert!(!missing.exists(), "exporting never creates a records file");

    let unwritable = dir.path().join("no-such-folder/out.csv");
    let run = pace(&db, &["export", "--format", "csv", "--out", unwritable.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("cannot write"));
    assert!(stderr(&run).contains("no-such-folder does not exist"), "{}", stderr(&run));
    assert!(!stderr(&run).contains("free some space"), "{}", stderr(&run));
}

#[test]
fn a_home_page_that_is_not_a_web_address_is_reported() {
    let (dir, db, _h) = setup();
    let modules = dir.path().join("modules");
    std::fs::create_dir(&modules).expect("mkdir");
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("modules")).expect("modules") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, modules.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let org = modules.join("organisation.json");
    let text = std::fs::read_to_string(&org).expect("org").replace("\"https://example.com\"", "\"example.com\"");
    std::fs::write(&org, text).expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["--db", db.to_str().expect("utf-8"), "--modules", modules.to_str().expect("utf-8")])
        .args(["export", "--format", "xapi"])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("home_page \"example.com\""), "{}", stderr(&run));
    // CSV needs no home page.
    let csv = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["--db", db.to_str().expect("utf-8"), "--modules", modules.to_str().expect("utf-8")])
        .args(["export", "--format", "csv"])
        .output()
        .expect("run");
    assert_eq!(csv.status.code(), Some(0));
}

#[test]
fn what_the_trainer_records_exports_one_statement_per_record() {
    use pace::tui::Row;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = common::app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    common::welcome(&mut app, "Dee", true);
    common::expand(&mut app, M101);
    common::open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
    common::read_to_end(&mut app);
    common::open_row(&mut app, &Row::Quiz { module: M101.into() });
    common::finish_quiz(&mut app, true);
    common::expand(&mut app, M201);
    common::open_row(&mut app, &Row::Quiz { module: M201.into() });
    common::finish_quiz(&mut app, true);
    drop(app);

    let all = statements(&db, &[]);
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect("count") as usize;
    let mut verbs: HashMap<&str, usize> = HashMap::new();
    for s in &all {
        *verbs.entry(verb(s)).or_default() += 1;
    }
    assert_eq!(
        verbs.get("completed").copied().unwrap_or(0),
        count("SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL")
    );
    assert_eq!(verbs.get("answered").copied().unwrap_or(0), count("SELECT count(*) FROM answers"));
    assert_eq!(verbs.get("passed").copied().unwrap_or(0), 2);
    assert_eq!(verbs.get("satisfied").copied().unwrap_or(0), 1);
    let stored: HashSet<String> = {
        let mut stmt = conn
            .prepare("SELECT completion_uuid FROM lesson_progress WHERE completion_uuid IS NOT NULL UNION ALL SELECT uuid FROM answers UNION ALL SELECT uuid FROM quiz_attempts WHERE finished_at IS NOT NULL UNION ALL SELECT uuid FROM certifications")
            .expect("sql");
        stmt.query_map([], |r| r.get(0)).expect("rows").map(|r| r.expect("uuid")).collect()
    };
    let exported: HashSet<String> = all.iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect();
    assert_eq!(exported, stored, "statement ids are exactly the uuids stored when things happened");
}

#[test]
fn a_choice_response_lists_the_chosen_ids_in_the_pattern_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    let catalog = pace::content::embedded();
    let (module, question) = ("business-unit-101-using-the-hub", "hub-resources");
    let m = catalog.module(module).expect("module");
    let q = m.quiz.questions.iter().find(|q| q.id == question).expect("question");
    let l = records
        .add_learner(
            &pace::records::NewLearner::named("Ana Ruiz", pace::content::Audience::BusinessUnit, false),
            common::t0(),
        )
        .expect("add");
    let draw = pace::learning::quiz::whole_pool(m, &mut fastrand::Rng::with_seed(1));
    let a = records.start_attempt(l.id, module, &m.version, draw, common::t0()).expect("start");
    // The learner ticks the right options last one first.
    let mut chosen: Vec<String> = q.options.iter().filter(|o| o.correct).map(|o| o.id.clone()).collect();
    chosen.reverse();
    let given = pace::records::Given { module, question, chosen: &chosen, correct: true };
    records.record_answer(l.id, a.id, given, common::t0()).expect("answer");
    drop(records);

    let all = statements(&db, &[]);
    let answered = all.iter().find(|s| verb(s) == "answered").expect("an answered statement");
    let pattern = at(answered, "object.definition.correctResponsesPattern.0").as_str().expect("pattern");
    assert_eq!(pattern, "policy[,]process[,]tools[,]kpi");
    assert_eq!(at(answered, "result.response"), pattern, "the response in the pattern's order");
}

/// On a terminal a long export shows a bar with a rate and the time left
/// (here at once: the delay is set to zero), and clears it when done; in a
/// pipe, or with --quiet, nothing of it appears.
#[test]
fn a_progress_bar_on_a_terminal_and_never_in_a_pipe() {
    let (dir, db, h) = setup();
    let db_arg = db.to_string_lossy().into_owned();
    let out = dir.path().join("events.csv");
    let out_arg = out.to_string_lossy().into_owned();
    let now = [("PACE_NOW", NOW), ("PACE_PROGRESS_DELAY_MS", "0")];
    let mut s = common::pty::Session::spawn(&["--db", &db_arg, "export", "--format", "csv", "--out", &out_arg], &now);
    s.wait_for(&format!("wrote {} events", h.events));
    assert_eq!(s.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains("exporting events"), "the bar was drawn: {raw:?}");
    assert!(!s.contents().contains("exporting events"), "and cleared:\n{}", s.contents());

    let mut quiet = common::pty::Session::spawn(
        &["--db", &db_arg, "export", "--format", "csv", "--quiet", "--out", &out_arg],
        &now,
    );
    assert_eq!(quiet.wait_exit(), 0);
    assert!(!String::from_utf8_lossy(&quiet.raw()).contains("exporting"), "--quiet: no bar");

    let piped = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["--db", &db_arg, "export", "--format", "xapi", "--out", &out_arg])
        .env("PACE_PROGRESS_DELAY_MS", "0")
        .env_remove("PACE_MODULES")
        .output()
        .expect("run pace");
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(stderr(&piped), format!("pace: wrote {} events to {}\n", h.events, out.display()), "no bar in a pipe");
}

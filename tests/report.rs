//! `pace report`: every learner in a records file, as a 100-column table,
//! CSV or JSON; the expiry filter; exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Duration;
use common::history::{self, AWKWARD};
use pace::content::Audience;
use pace::records::Records;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

/// A day after the history: Ana holds Social Ready until a year after it.
const NOW: &str = "2026-11-28T09:00:00Z";

fn setup() -> (tempfile::TempDir, PathBuf, history::History) {
    history::recorded()
}

fn report(db: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pace"))
        .arg("--db")
        .arg(db)
        .arg("report")
        .args(args)
        .env("PACE_NOW", now)
        .env_remove("PACE_MODULES")
        .output()
        .expect("run pace")
}

fn text(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&text(&report(db, NOW, &all))).expect("json")
}

#[test]
fn the_table_shows_every_learner_and_fits_100_columns() {
    let (_dir, db, _h) = setup();
    let out = text(&report(&db, NOW, &[]));
    println!("{out}");
    let lines: Vec<&str> = out.lines().collect();
    for line in &lines {
        assert!(line.width() <= 100, "{} columns: {line}", line.width());
    }
    let header = lines[0];
    for column in ["Learner", "Role", "New", "Mods", "Quiz", "Avg", "Level", "Expires", "Last active"] {
        assert!(header.contains(column), "{column} in {header}");
    }
    // Sorted by name; the awkward name is one line in the table.
    assert!(lines[1].starts_with("Ana Ruiz"));
    assert!(lines[2].starts_with("Chloé Zhang"));
    assert!(lines[3].starts_with("O'Neil, \"Benny\" Jr  Executive"), "{}", lines[3]);
    let ana: Vec<&str> = lines[1].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    // Two modules passed, with two passing attempts among three (100, 0, 100: average 67).
    assert_eq!(ana, ["Ana Ruiz", "Employee", "yes", "2", "2", "67%", "Social Ready", "2027-11-27", "2026-11-27"]);
    let chloe: Vec<&str> = lines[2].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(chloe, ["Chloé Zhang", "Partner", "0", "0", "-", "-", "-", "2026-11-27"]);
    assert!(out.contains("3 learners."));
}

#[test]
fn long_names_are_cut_so_the_table_still_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    let catalog = pace::content::embedded();
    let long = "Maximiliana Alexandrina von Hohenzollern-Sigmaringen";
    let l = records
        .add_learner(&pace::records::NewLearner::named(long, Audience::BusinessUnit, false), common::t0())
        .expect("add");
    records
        .add_learner(
            &pace::records::NewLearner::named("李小龍 (Bruce) 李小龍 李小龍 李小龍", Audience::Coe, true),
            common::t0(),
        )
        .expect("add");
    // Climb to the top level so its long title shows.
    let mut tick = history::Tick(common::t0());
    for level in &catalog.curriculum.ladder.levels {
        for module in &level.requires.modules {
            history::attempt(&mut records, &catalog, l.id, module, true, true, &mut tick);
        }
    }
    assert_eq!(
        history::grant_earned(&mut records, &catalog, l.id, tick.next()),
        catalog.curriculum.ladder.levels.len()
    );
    let out = text(&report(&db, NOW, &[]));
    println!("{out}");
    for line in out.lines() {
        assert!(line.width() <= 100, "{} columns: {line}", line.width());
    }
    assert!(out.contains("Maximiliana"));
    assert!(out.contains('…'), "cut text ends in an ellipsis");
    assert!(out.contains("Social Business"), "the level title is shown, if cut");
}

#[test]
fn csv_and_json_carry_the_same_facts() {
    let (_dir, db, h) = setup();
    let csv_out = text(&report(&db, NOW, &["--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "learner_id",
            "learner_uuid",
            "learner",
            "email",
            "employee_id",
            "role",
            "new_hire",
            "modules_completed",
            "quizzes_passed",
            "average_score",
            "level",
            "level_expires",
            "last_active"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    let ana = rows.iter().find(|r| &r[2] == "Ana Ruiz").expect("ana");
    assert_eq!(&ana[1], h.ana.uuid.as_str(), "the learner's UUID");
    // The level runs out when the recorded grant says (its time follows the
    // history's reading times, so it is read back, not written here).
    let grants = Records::open(&db).expect("records").grants(h.ana.id).expect("grants");
    let [grant] = grants.as_slice() else { panic!("one grant: {grants:?}") };
    assert_eq!(grant.expires_at.date_naive().to_string(), "2027-11-27", "a year after the history");
    let expires = grant.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let cells: Vec<&str> = ana.iter().skip(5).take(7).collect();
    assert_eq!(cells, ["employee", "yes", "2", "2", "67", "social-ready", expires.as_str()]);
    assert!(rows.iter().any(|r| &r[2] == AWKWARD), "the name survives CSV quoting");

    let all = json(&db, &[]);
    assert_eq!(all.len(), 3);
    let ana = all.iter().find(|r| r["learner"] == "Ana Ruiz").expect("ana");
    assert_eq!(ana["learner_id"], h.ana.id);
    assert_eq!(ana["modules_completed"], 2);
    assert_eq!(ana["quizzes_passed"], 2);
    assert_eq!(ana["average_score"], 67);
    assert_eq!(ana["level"], "social-ready");
    assert_eq!(ana["certifications"][0]["status"], "active");
    let chloe = all.iter().find(|r| r["learner"] == "Chloé Zhang").expect("chloe");
    assert!(chloe.get("average_score").is_none() && chloe.get("level").is_none());
    assert_eq!(chloe["quizzes_passed"], 0);
}

#[test]
fn expiring_within_keeps_only_learners_whose_certification_runs_out_soon() {
    let (_dir, db, _h) = setup();
    assert!(json(&db, &["--expiring-within", "30"]).is_empty());
    let soon = json(&db, &["--expiring-within", "365"]);
    assert_eq!(soon.iter().map(|r| r["learner"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["Ana Ruiz"]);
    let none = report(&db, NOW, &["--expiring-within", "30"]);
    assert!(text(&none).contains("No learner has a certification expiring within 30 days."));

    // Eleven months on, it is in the window (and in its renewal period).
    let later = (chrono::DateTime::parse_from_rfc3339(NOW).expect("now") + Duration::days(340)).to_rfc3339();
    let out = text(&report(&db, &later, &["--expiring-within", "30"]));
    assert!(out.lines().nth(1).is_some_and(|l| l.starts_with("Ana Ruiz")), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains("Social Ready")).count(), 1);
    // Once expired, no level is held and nothing is about to expire.
    let expired = (chrono::DateTime::parse_from_rfc3339(NOW).expect("now") + Duration::days(400)).to_rfc3339();
    let out = text(&report(&db, &expired, &[]));
    assert!(!out.contains("Social Ready"), "{out}");
}

#[test]
fn learner_narrows_the_report_and_mistakes_have_exit_codes() {
    let (dir, db, _h) = setup();
    let one = json(&db, &["--learner", "chloé zhang"]);
    assert_eq!(one.len(), 1);
    assert_eq!(report(&db, NOW, &["--learner", "Nobody"]).status.code(), Some(1));
    assert_eq!(report(&db, NOW, &["--expiring-within", "soon"]).status.code(), Some(2));
    assert_eq!(report(&db, NOW, &["--format", "xml"]).status.code(), Some(2));
    let missing = dir.path().join("elsewhere.sqlite3");
    assert_eq!(report(&missing, NOW, &[]).status.code(), Some(1));
    assert!(!missing.exists(), "a report never creates a records file");

    let empty = dir.path().join("empty.sqlite3");
    drop(Records::open(&empty).expect("create"));
    assert!(text(&report(&empty, NOW, &[])).starts_with("No learners in"));
    assert_eq!(json(&empty, &[]).len(), 0);
}

//! Certificates: the real binary prints and writes them from a records file
//! built with the library at fixed times, and checks their verification codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{Run, run_pace};
use pace::content::{self, Audience, Catalog};
use pace::export::certificate;
use pace::records::{DrawnQuestion, Given, Records};

const LEVEL: &str = "social-ready";
const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// An RFC 3339 time `days` after the grant, for PACE_NOW.
fn day(days: i64) -> String {
    (t0() + Duration::days(days)).to_rfc3339()
}

/// Records a finished, passed attempt on `module` with `score` (a multiple
/// of 10): ten questions drawn, score/10 of them answered right, through the
/// same calls the trainer makes. Returns the attempt id.
fn pass(records: &mut Records, catalog: &Catalog, learner: i64, module: &str, score: u32, at: DateTime<Utc>) -> i64 {
    let m = catalog.module(module).expect("module in the shipped curriculum");
    let draw: Vec<DrawnQuestion> = m
        .quiz
        .questions
        .iter()
        .take(10)
        .map(|q| DrawnQuestion { question: q.id.clone(), options: q.options.iter().map(|o| o.id.clone()).collect() })
        .collect();
    assert_eq!(draw.len(), 10, "{module} has a pool of at least ten");
    let attempt = records.start_attempt(learner, module, &m.version, draw.clone(), at).expect("start");
    for (i, d) in draw.iter().enumerate() {
        let chosen = vec!["x".to_string()];
        let given = Given { module, question: &d.question, chosen: &chosen, correct: (i as u32) < score / 10 };
        records.record_answer(learner, attempt.id, given, at).expect("answer");
    }
    let finished = records.finish_attempt(attempt.id, 0, at + Duration::minutes(5)).expect("finish");
    assert_eq!(finished.score, score);
    attempt.id
}

/// Gives `name` the level social-ready at t0, earned with `scores` (101, 201).
fn certify(records: &mut Records, catalog: &Catalog, name: &str, scores: (u32, u32)) {
    let learner = records
        .add_learner(&pace::records::NewLearner::named(name, Audience::Employee, true), t0() - Duration::hours(2))
        .expect("learner");
    let a = pass(records, catalog, learner.id, M101, scores.0, t0() - Duration::hours(1));
    let b = pass(records, catalog, learner.id, M201, scores.1, t0() - Duration::minutes(30));
    let grant = pace::records::NewGrant {
        level: LEVEL,
        granted_at: t0(),
        expires_at: t0() + Duration::days(365),
        attempts: &[a, b],
        organisation: &catalog.organisation.name,
    };
    records.grant_level(learner.id, grant).expect("grant");
}

/// A records file with Ana and Ben certified and Cleo with no level.
fn setup(dir: &Path) -> PathBuf {
    let path = dir.join("pace.sqlite3");
    let catalog = content::embedded();
    let mut records = Records::open(&path).expect("open");
    certify(&mut records, &catalog, "Ana Ruiz", (90, 80));
    certify(&mut records, &catalog, "Ben Okafor", (100, 70));
    records.add_learner(&pace::records::NewLearner::named("Cleo Park", Audience::Employee, true), t0()).expect("cleo");
    path
}

fn pace(db: &Path, now: &str, args: &[&str]) -> Run {
    run_pace(db, now, args)
}

/// The code printed on a text certificate.
fn code_in(text: &str) -> String {
    let at = text.find("Verification code").expect("a verification code line");
    text[at..].split_whitespace().nth(2).expect("the code").to_string()
}

fn looks_like_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 4
        && parts[0] == "PACE"
        && parts[1..].iter().all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
}

#[test]
fn text_and_html_certificates_name_every_fact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let catalog = content::embedded();
    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.stdout;
    let code = code_in(&text);
    assert!(looks_like_code(&code), "{code}");
    let facts = [
        "Ana Ruiz",
        "Example Corp",
        "Social Ready",
        "27 November 2026",
        "27 November 2027",
        &catalog.module(M101).unwrap().title,
        &catalog.module(M201).unwrap().title,
        "90%",
        "80%",
        &code,
    ];
    for fact in facts {
        assert!(text.contains(fact), "text certificate lacks {fact:?}:\n{text}");
    }

    // The code is the library's, derived from the same facts.
    let records = Records::open(&db).expect("open");
    let ana = records.learner_by_name("Ana Ruiz").unwrap().unwrap();
    let issued = certificate::issue(&records, &catalog, &ana, None, t0() + Duration::days(30)).expect("issue");
    assert_eq!(issued.code, code);
    assert_eq!(issued.modules.iter().map(|m| m.score).collect::<Vec<_>>(), [90, 80]);
    drop(records);

    let html_path = dir.path().join("ana.html");
    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--out", html_path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&code), "{}", run.stdout);
    let html = std::fs::read_to_string(&html_path).expect("html written");
    for fact in facts {
        assert!(html.contains(fact), "HTML certificate lacks {fact:?}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page"), "no print page rule");
    for remote in ["http://", "https://", "src=", "href=", "url(", "@import", "<script", "<link", "<img"] {
        assert!(!html.to_ascii_lowercase().contains(remote), "HTML refers to a resource: {remote}");
    }
    assert!(!html.contains("{{"), "a template mark was left unfilled");

    let txt_path = dir.path().join("ana.txt");
    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--out", txt_path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&txt_path).expect("txt written"), text);
}

#[test]
fn html_escapes_what_a_learner_typed_and_text_drops_escape_sequences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let catalog = content::embedded();
    let name = "<script>alert('x')</script> & \u{1b}[31mRed{{code}}";
    {
        let mut records = Records::open(&db).expect("open");
        certify(&mut records, &catalog, name, (80, 70));
    }
    let out = dir.path().join("c.html");
    let run = pace(&db, &day(1), &["certificate", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(&out).expect("html");
    assert!(!html.contains("<script"), "markup from the name reached the page");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Red{{code}}"), "escaped name missing");
    assert!(!html.contains('\u{1b}'));
    let run = pace(&db, &day(1), &["certificate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{1b}'), "an escape sequence reached the terminal");
    assert!(run.stdout.contains("<script>alert('x')</script> & Red{{code}}"));
}

#[test]
fn a_printed_code_verifies_and_a_tampered_one_does_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let ben = pace(&db, &day(30), &["certificate", "--learner", "Ben Okafor"]);
    let code = code_in(&ben.stdout);
    let ana = code_in(&pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz"]).stdout);
    assert_ne!(code, ana, "two learners share a code");

    let run = pace(&db, &day(30), &["certificate", "--verify", &code]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for fact in ["Ben Okafor", "Social Ready", "27 November 2026", "27 November 2027", "valid: it expires on"] {
        assert!(run.stdout.contains(fact), "verification lacks {fact:?}:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("Ana Ruiz"));

    // Typed loosely, from paper: lower case, no dashes.
    let loose = code.to_lowercase().replace('-', " ");
    assert_eq!(pace(&db, &day(30), &["certificate", "--verify", &loose]).code, 0);

    // After expiry the code still identifies the certificate, and says so.
    let run = pace(&db, &day(400), &["certificate", "--verify", &code]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("no longer valid: it expired on 27 November 2027"), "{}", run.stdout);

    // One character changed.
    let last = code.chars().last().unwrap();
    let tampered = format!("{}{}", &code[..code.len() - 1], if last == '7' { '8' } else { '7' });
    let run = pace(&db, &day(30), &["certificate", "--verify", &tampered]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("matches no certificate"), "{}", run.stdout);
    assert!(!run.stdout.contains("Ben Okafor"));

    // Not a code at all.
    let run = pace(&db, &day(30), &["certificate", "--verify", "hello"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not a pace verification code"), "{}", run.stderr);
}

#[test]
fn changing_a_fact_in_the_records_breaks_the_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let code = code_in(&pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz"]).stdout);
    {
        let conn = rusqlite::Connection::open(&db).expect("raw");
        conn.execute("UPDATE quiz_attempts SET score = 99 WHERE score = 80", []).expect("tamper");
    }
    let run = pace(&db, &day(30), &["certificate", "--verify", &code]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let fresh = code_in(&pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz"]).stdout);
    assert_ne!(fresh, code);
}

#[test]
fn a_learner_without_a_level_gets_a_message_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let run = pace(&db, &day(30), &["certificate", "--learner", "Cleo Park"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("Cleo Park holds no certification level yet"), "{}", run.stderr);
    assert!(run.stderr.contains("Social Ready"), "the message should name the first level: {}", run.stderr);

    // An expired level is not held either, and the message says when it ended.
    let run = pace(&db, &day(366), &["certificate", "--learner", "Ana Ruiz"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 27 November 2027"), "{}", run.stderr);
}

#[test]
fn a_level_in_its_renewal_window_still_gets_a_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let run = pace(&db, &day(360), &["certificate", "--learner", "Ana Ruiz"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("27 November 2027"));
}

#[test]
fn a_level_not_held_is_refused_and_an_unknown_one_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--level", "social-practitioner"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("Ana Ruiz does not hold Social Practitioner"), "{}", run.stderr);
    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--level", "social-ready"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--level", "grand-master"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no level \"grand-master\""), "{}", run.stderr);
    assert!(run.stderr.contains("social-ready"), "{}", run.stderr);

    let run = pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz", "--out", "cert.pdf"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".html"), "{}", run.stderr);
}

#[test]
fn a_printed_code_still_verifies_under_another_curriculum() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = setup(dir.path());
    let code = code_in(&pace(&db, &day(30), &["certificate", "--learner", "Ana Ruiz"]).stdout);
    // The same file read with another organisation's curriculum (a trainer
    // with their own --modules): the grant keeps the organisation it was
    // granted by, and the printed code still verifies.
    let modules = dir.path().join("modules");
    std::fs::create_dir(&modules).expect("mkdir");
    for entry in std::fs::read_dir("modules").expect("modules") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, modules.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let org = std::fs::read_to_string(modules.join("organisation.json")).expect("org");
    std::fs::write(modules.join("organisation.json"), org.replace("Example Corp", "Other Inc")).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["certificate", "--verify", &code, "--db"])
        .arg(&db)
        .arg("--modules")
        .arg(&modules)
        .env("PACE_NOW", day(30))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Example Corp"), "the organisation that granted it: {stdout}");
    assert!(!stdout.contains("Other Inc"));
}

//! Notes shared between colleagues: the real binary exports one learner's
//! notes and imports them into another learner's records file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{Run, run_pace};
use pace::content::{self, Audience};
use pace::records::{Note, Records};

const MODULE: &str = "employee-101-social-media-at-work";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn pace(db: &Path, args: &[&str]) -> Run {
    run_pace(db, "2026-12-01T10:00:00Z", args)
}

/// Ana's file: her notes on the module's second and first lessons (saved in
/// that order), and one she imported earlier from Cleo.
fn ana_file(dir: &Path) -> PathBuf {
    let path = dir.join("ana.sqlite3");
    let mut r = Records::open(&path).expect("open");
    let ana =
        r.add_learner(&pace::records::NewLearner::named("Ana Ruiz", Audience::Employee, true), t0()).expect("ana");
    r.save_note(ana.id, MODULE, "policies", "Three policies: social, ethics, disclosure.", t0() + Duration::hours(1))
        .expect("note");
    r.save_note(ana.id, MODULE, "welcome", "Ask the CoE before posting about work.\n\n- #ask-social", t0())
        .expect("note");
    r.import_note(
        ana.id,
        MODULE,
        "welcome",
        "Cleo Park",
        "Orientation takes under 45 minutes.",
        t0() - Duration::days(3),
    )
    .expect("import");
    path
}

fn ben_file(dir: &Path) -> (PathBuf, i64) {
    let path = dir.join("ben.sqlite3");
    let mut r = Records::open(&path).expect("open");
    let ben =
        r.add_learner(&pace::records::NewLearner::named("Ben Okafor", Audience::Employee, false), t0()).expect("ben");
    r.save_note(ben.id, MODULE, "welcome", "My own note.", t0()).expect("note");
    (path, ben.id)
}

fn notes_of(db: &Path, learner: i64) -> Vec<Note> {
    Records::open(db).expect("open").notes(learner).expect("notes")
}

#[test]
fn notes_travel_between_records_files_with_their_authors_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ana_db = ana_file(dir.path());
    let (ben_db, ben) = ben_file(dir.path());
    let export = dir.path().join("ana-notes.json");

    let run = pace(&ana_db, &["notes", "export", "--format", "json", "--out", export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Wrote 3 notes of Ana Ruiz"), "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).expect("json");
    assert_eq!(json["format"], "pace-notes");
    assert_eq!(json["version"], 1);
    let first = &json["notes"][0];
    for field in ["module_id", "lesson_id", "author", "created_at", "body"] {
        assert!(first.get(field).is_some(), "exported note lacks {field}: {first}");
    }

    let run = pace(&ben_db, &["notes", "import", export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("3 added, 0 skipped as duplicates"), "{}", run.stdout);

    let notes = notes_of(&ben_db, ben);
    assert_eq!(notes.len(), 4);
    let by = |author: &str| notes.iter().filter(|n| n.author == author).collect::<Vec<_>>();
    assert_eq!(by("Ben Okafor").len(), 1);
    assert!(by("Ben Okafor").iter().all(|n| !n.imported));
    let from_ana = by("Ana Ruiz");
    assert_eq!(from_ana.len(), 2);
    assert!(from_ana.iter().all(|n| n.imported));
    let welcome = from_ana.iter().find(|n| n.lesson_id == "welcome").expect("welcome note");
    assert_eq!(welcome.body, "Ask the CoE before posting about work.\n\n- #ask-social");
    assert_eq!(welcome.created_at, t0());
    let cleo = by("Cleo Park");
    assert_eq!(cleo.len(), 1, "a note Ana had imported keeps its original author");
    assert_eq!(cleo[0].created_at, t0() - Duration::days(3));
    // Ben's own note on the same lesson is untouched.
    assert_eq!(Records::open(&ben_db).unwrap().own_note(ben, MODULE, "welcome").unwrap().unwrap().body, "My own note.");

    let run = pace(&ben_db, &["notes", "import", export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 added, 3 skipped as duplicates"), "{}", run.stdout);
    assert_eq!(notes_of(&ben_db, ben).len(), 4);

    // Ana importing her own export adds nothing either.
    let run = pace(&ana_db, &["notes", "import", export.to_str().unwrap()]);
    assert!(run.stdout.contains("0 added, 3 skipped"), "{}", run.stdout);
}

#[test]
fn markdown_export_reads_in_curriculum_order_under_titles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ana_file(dir.path());
    let catalog = content::embedded();
    let module = catalog.module(MODULE).unwrap();
    let run = pace(&db, &["notes", "export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = run.stdout;
    assert!(md.starts_with("# Notes of Ana Ruiz\n"), "{md}");
    assert!(md.contains("3 notes on 2 lessons"), "{md}");
    let at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle:?} missing from:\n{md}"));
    let module_heading = at(&format!("\n## {}\n", module.title));
    let welcome = at(&format!("\n### {}\n", module.lesson("welcome").unwrap().title));
    let policies = at(&format!("\n### {}\n", module.lesson("policies").unwrap().title));
    assert!(module_heading < welcome && welcome < policies, "lessons out of curriculum order:\n{md}");
    let cleo = at("*Cleo Park, 24 November 2026*");
    // Note text is fenced: its lines stay as written and cannot add structure.
    let ana =
        at("*Ana Ruiz, 27 November 2026*\n\n```text\nAsk the CoE before posting about work.\n\n- #ask-social\n```\n");
    assert!(welcome < cleo && cleo < ana && ana < policies, "notes out of date order:\n{md}");
    assert!(md.contains("Three policies: social, ethics, disclosure."));
    assert!(!md.contains("\"module_id\""), "markdown export should not be JSON");
}

#[test]
fn a_file_that_is_not_a_notes_export_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ben) = ben_file(dir.path());
    let cases = [
        ("plain.txt", "just some words\n", "not valid JSON"),
        ("module.json", "{\"format\": 1, \"id\": \"x\"}", "not a pace notes export"),
        ("newer.json", "{\"format\": \"pace-notes\", \"version\": 9, \"notes\": []}", "newer pace"),
        (
            "broken.json",
            "{\"format\": \"pace-notes\", \"version\": 1, \"exported_by\": \"A\", \"exported_at\": \"2026-11-27T09:00:00Z\", \"notes\": [{\"module_id\": \"m\"}]}",
            "missing field",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let run = pace(&db, &["notes", "import", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: the message should name the file: {}", run.stderr);
    }
    let run = pace(&db, &["notes", "import", dir.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert_eq!(notes_of(&db, ben).len(), 1, "a refused file added notes");
}

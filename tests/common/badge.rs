//! What the badge tests share: a records file built at fixed times with
//! learners identified three ways, the organisation's key, a modules folder
//! pinning it, and the official OB 3.0 JSON Schema.

use std::path::{Path, PathBuf};

use super::Run;
use chrono::{DateTime, Duration, TimeZone, Utc};
use pace::content::{self, Audience, Catalog};
use pace::records::{DrawnQuestion, Given, NewLearner, Records};
use serde_json::Value;

pub const LEVEL: &str = "social-ready";
pub const M101: &str = "employee-101-social-media-at-work";
pub const M201: &str = "employee-201-contacts-and-complaint-triage";
pub const SALT: &str = "s4lt-for-tests";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// An RFC 3339 time `days` after the grant, for PACE_NOW.
pub fn day(days: i64) -> String {
    (t0() + Duration::days(days)).to_rfc3339()
}

/// Runs pace with `PACE_NOW` = `now`, no PACE_MODULES or PACE_DB from outside.
pub fn pace(now: &str, args: &[&str]) -> Run {
    super::run_pace_args(now, args)
}

fn pass(records: &mut Records, catalog: &Catalog, learner: i64, module: &str, at: DateTime<Utc>) -> i64 {
    let m = catalog.module(module).expect("module in the shipped curriculum");
    let draw: Vec<DrawnQuestion> = m
        .quiz
        .questions
        .iter()
        .take(10)
        .map(|q| DrawnQuestion { question: q.id.clone(), options: q.options.iter().map(|o| o.id.clone()).collect() })
        .collect();
    let attempt = records.start_attempt(learner, module, &m.version, draw.clone(), at).expect("start");
    for d in &draw {
        let chosen = vec!["x".to_string()];
        let given = Given { module, question: &d.question, chosen: &chosen, correct: true };
        records.record_answer(learner, attempt.id, given, at).expect("answer");
    }
    records.finish_attempt(attempt.id, 0, at + Duration::minutes(5)).expect("finish");
    attempt.id
}

/// Adds a learner; with `certified`, gives them social-ready at t0 for a year.
fn learner(records: &mut Records, catalog: &Catalog, new: NewLearner, certified: bool) {
    let l = records.add_learner(&new, t0() - Duration::hours(2)).expect("learner");
    if !certified {
        return;
    }
    let a = pass(records, catalog, l.id, M101, t0() - Duration::hours(1));
    let b = pass(records, catalog, l.id, M201, t0() - Duration::minutes(30));
    let grant = pace::records::NewGrant {
        level: LEVEL,
        granted_at: t0(),
        expires_at: t0() + Duration::days(365),
        attempts: &[a, b],
        organisation: &catalog.organisation.name,
    };
    records.grant_level(l.id, grant).expect("grant");
}

/// A folder with a records file (Ana by email, Ben by employee id, Cleo by
/// neither: all certified; Dan with no level), a private key folder, a key,
/// and a copy of the shipped modules whose organisation.json pins that key.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub modules: PathBuf,
    pub key: PathBuf,
    pub did: String,
}

impl Setup {
    pub fn new(pin: bool, salt: bool) -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("pace.sqlite3");
        let catalog = content::embedded();
        let mut records = Records::open(&db).expect("open");
        let named = |name: &str, email: Option<&str>, id: Option<&str>| NewLearner {
            email: email.map(str::to_string),
            employee_id: id.map(str::to_string),
            ..NewLearner::named(name, Audience::Employee, true)
        };
        learner(&mut records, &catalog, named("Ana Ruiz", Some("ana.ruiz@example.com"), None), true);
        learner(&mut records, &catalog, named("Ben Okafor", None, Some("E-1001")), true);
        learner(&mut records, &catalog, named("Cleo Park", None, None), true);
        learner(&mut records, &catalog, named("Dan Wu", Some("dan@example.com"), None), false);
        drop(records);
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).unwrap();
        set_mode(&keys, 0o700);
        let key = keys.join("issuer.pem");
        let run = pace(&day(0), &["badge", "keygen", "--out", key.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let did = run.stdout.lines().last().unwrap().to_string();
        let modules = dir.path().join("modules");
        copy_modules(&modules);
        let org_path = modules.join("organisation.json");
        let mut org: Value = serde_json::from_str(&std::fs::read_to_string(&org_path).unwrap()).unwrap();
        if pin {
            org["credential_issuer"] = did.clone().into();
        }
        if salt {
            org["credential_salt"] = SALT.into();
        }
        std::fs::write(&org_path, serde_json::to_string_pretty(&org).unwrap()).unwrap();
        Setup { dir, db, modules, key, did }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `pace badge issue --key KEY --db DB --modules DIR ARGS` at day `at`.
    pub fn issue(&self, at: i64, args: &[&str]) -> Run {
        let mut all = vec!["badge", "issue", "--key", s(&self.key), "--db", s(&self.db), "--modules", s(&self.modules)];
        all.extend_from_slice(args);
        pace(&day(at), &all)
    }

    /// `pace badge verify FILE --modules DIR ARGS` at day `at`.
    pub fn verify(&self, at: i64, file: &Path, args: &[&str]) -> Run {
        let mut all = vec!["badge", "verify", s(file), "--modules", s(&self.modules)];
        all.extend_from_slice(args);
        pace(&day(at), &all)
    }

    /// Ana's credential, issued on day 1, as a file and as JSON.
    pub fn ana(&self) -> (PathBuf, Value) {
        let out = self.path("ana.json");
        let run = self.issue(1, &["--learner", "Ana Ruiz", "--out", s(&out)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        (out, json)
    }
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn copy_modules(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("modules");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
pub fn set_mode(_path: &Path, _mode: u32) {}

pub fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

fn ob3_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("../fixtures/ob3/ob_v3p0_achievementcredential_schema.json"))
        .expect("the OB 3.0 schema is JSON");
    jsonschema::draft201909::new(&schema).expect("the OB 3.0 schema compiles")
}

pub fn assert_valid_ob3(credential: &Value) {
    let errors: Vec<String> =
        ob3_validator().iter_errors(credential).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not a valid OB 3.0 AchievementCredential:\n{}", errors.join("\n"));
}

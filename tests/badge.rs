//! `pace badge`: keys, Open Badges 3.0 credentials issued from a records
//! file built at fixed times, and their verification: the real binary, the
//! official OB 3.0 JSON Schema, and (in `badge_reference.rs`) Digital
//! Bazaar's reference libraries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::Run;
use pace::content::{self, Audience, Catalog};
use pace::records::{DrawnQuestion, Given, NewLearner, Records};
use serde_json::Value;

const LEVEL: &str = "social-ready";
const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";
const SALT: &str = "s4lt-for-tests";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// An RFC 3339 time `days` after the grant, for PACE_NOW.
pub fn day(days: i64) -> String {
    (t0() + Duration::days(days)).to_rfc3339()
}

/// Runs pace with `PACE_NOW` = `now`, no PACE_MODULES or PACE_DB from outside.
pub fn pace(now: &str, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(args)
        .env_remove("PACE_MODULES")
        .env_remove("PACE_DB")
        .env("PACE_NOW", now)
        .output()
        .expect("run pace");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
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
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

fn ob3_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("fixtures/ob3/ob_v3p0_achievementcredential_schema.json"))
        .expect("the OB 3.0 schema is JSON");
    jsonschema::draft201909::new(&schema).expect("the OB 3.0 schema compiles")
}

fn assert_valid_ob3(credential: &Value) {
    let errors: Vec<String> =
        ob3_validator().iter_errors(credential).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not a valid OB 3.0 AchievementCredential:\n{}", errors.join("\n"));
}

#[cfg(unix)]
#[test]
fn keygen_writes_a_private_key_and_refuses_to_overwrite_it_or_to_use_an_open_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    set_mode(&keys, 0o700);
    let key = keys.join("k.pem");
    let run = pace(&day(0), &["badge", "keygen", "--out", s(&key)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n") && text.ends_with("-----END PRIVATE KEY-----\n"));
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let did = run.stdout.lines().last().unwrap();
    assert!(did.starts_with("did:key:z6Mk"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("\"credential_issuer\": \"{did}\"")), "{}", run.stdout);

    let again = pace(&day(0), &["badge", "keygen", "--out", s(&key)]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists") && again.stderr.contains("never overwrites"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), text, "the key is unchanged");

    for (mode, who) in [(0o777, "everyone"), (0o770, "its group")] {
        let open = dir.path().join(format!("open{mode:o}"));
        std::fs::create_dir(&open).unwrap();
        set_mode(&open, mode);
        let run = pace(&day(0), &["badge", "keygen", "--out", s(&open.join("k.pem"))]);
        assert_eq!(run.code, 1, "{mode:o}");
        assert!(run.stderr.contains(who) && run.stderr.contains("could replace the key"), "{}", run.stderr);
        assert!(!open.join("k.pem").exists());
    }
}

#[test]
fn an_issued_credential_is_an_ob3_achievement_credential_that_verifies() {
    let setup = Setup::new(true, false);
    let (file, cred) = setup.ana();
    assert_valid_ob3(&cred);
    assert_eq!(cred["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert_eq!(cred["@context"][1], "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assert_eq!(cred["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(cred["issuer"]["id"], setup.did.as_str());
    assert_eq!(cred["issuer"]["name"], "Example Corp");
    assert_eq!(cred["issuer"]["url"], "https://example.com");
    assert_eq!(cred["validFrom"], "2026-11-27T09:00:00Z");
    assert_eq!(cred["validUntil"], "2027-11-27T09:00:00Z");
    let subject = &cred["credentialSubject"];
    assert_eq!(subject["type"], serde_json::json!(["AchievementSubject"]));
    assert_eq!(subject["identifier"][0]["identityType"], "emailAddress");
    assert_eq!(subject["identifier"][0]["identityHash"], "ana.ruiz@example.com");
    assert_eq!(subject["achievement"]["name"], "Social Ready");
    assert_eq!(subject["achievement"]["id"], "https://example.com/pace/levels/social-ready");
    let criteria = subject["achievement"]["criteria"]["narrative"].as_str().unwrap();
    assert!(criteria.contains("Social media at work") && criteria.contains("80%"), "{criteria}");
    let proof = &cred["proof"][0];
    assert_eq!(proof["type"], "DataIntegrityProof");
    assert_eq!(proof["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(proof["verificationMethod"].as_str().unwrap().split('#').next().unwrap(), setup.did);

    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim_end().rsplit(": valid. ").next().unwrap(),
        format!(
            "It attests that Ana Ruiz (ana.ruiz@example.com) holds Social Ready, issued by Example Corp ({}), valid from 27 November 2026 until 27 November 2027.",
            setup.did
        )
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn every_changed_fact_breaks_the_signature() {
    let setup = Setup::new(true, false);
    let (_, cred) = setup.ana();
    type Edit = (&'static str, fn(&mut Value));
    let edits: [Edit; 6] = [
        ("the learner's name", |c| c["credentialSubject"]["identifier"][1]["identityHash"] = "Eve Mallory".into()),
        ("the email", |c| c["credentialSubject"]["identifier"][0]["identityHash"] = "eve@example.com".into()),
        ("the level", |c| c["credentialSubject"]["achievement"]["name"] = "Social Champion".into()),
        ("the level's id", |c| {
            c["credentialSubject"]["achievement"]["id"] = "https://example.com/pace/levels/champion".into()
        }),
        ("the expiry date", |c| c["validUntil"] = "2030-11-27T09:00:00Z".into()),
        ("the grant date", |c| c["validFrom"] = "2026-01-27T09:00:00Z".into()),
    ];
    for (what, edit) in edits {
        let mut tampered = cred.clone();
        edit(&mut tampered);
        let file = setup.path("tampered.json");
        write_json(&file, &tampered);
        let run = setup.verify(30, &file, &[]);
        assert_eq!(run.code, 1, "changing {what} went unnoticed: {}", run.stdout);
        assert!(run.stderr.contains("does not match its content"), "{what}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    // Layout is not meaning: the same credential on one line still verifies.
    let file = setup.path("compact.json");
    std::fs::write(&file, serde_json::to_string(&cred).unwrap()).unwrap();
    assert_eq!(setup.verify(30, &file, &[]).code, 0);
    // No proof at all.
    let mut bare = cred.clone();
    bare.as_object_mut().unwrap().remove("proof");
    write_json(&file, &bare);
    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no proof"), "{}", run.stderr);
}

#[test]
fn an_expired_or_not_yet_valid_credential_says_when() {
    let setup = Setup::new(true, false);
    let (file, _) = setup.ana();
    let run = setup.verify(365, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 27 November 2027"), "{}", run.stderr);
    let run = setup.verify(-1, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not valid before 27 November 2026"), "{}", run.stderr);
    assert_eq!(setup.verify(364, &file, &[]).code, 0);
}

#[test]
fn only_the_pinned_or_given_issuer_is_accepted() {
    let setup = Setup::new(true, false);
    let (file, _) = setup.ana();
    let other = Setup::new(false, false);
    // Another organisation's key: pace refuses to sign with it where this one is pinned.
    let out = setup.path("other.json");
    let mut args = vec!["badge", "issue", "--key", s(&other.key), "--db", s(&setup.db), "--modules", s(&setup.modules)];
    args.extend(["--learner", "Ana Ruiz", "--out", s(&out)]);
    let run = pace(&day(1), &args);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&other.did) && run.stderr.contains("pins"), "{}", run.stderr);
    assert!(!out.exists());
    // Signed with the other key where nothing is pinned: verifies as the other's, not this organisation's.
    let run = other.issue(1, &["--learner", "Ana Ruiz", "--out", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("pins no credential issuer") && run.stderr.contains(&other.did), "{}", run.stderr);
    let run = setup.verify(30, &out, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("issued by {}, not by {}", other.did, setup.did)), "{}", run.stderr);
    assert_eq!(setup.verify(30, &out, &["--issuer", &other.did]).code, 0);
    let run = setup.verify(30, &file, &["--issuer", &other.did]);
    assert_eq!(run.code, 1, "--issuer wins over the pin");
    assert!(run.stderr.contains("given with --issuer"), "{}", run.stderr);
    let run = setup.verify(30, &file, &["--issuer", "did:web:example.com"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Unpinned and not given: intact, with a note that nobody was expected.
    let run = other.verify(30, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no issuer was expected"), "{}", run.stderr);
}

#[test]
fn a_credential_naming_one_issuer_but_signed_by_another_fails() {
    let setup = Setup::new(false, false);
    let (_, cred) = setup.ana();
    let other = Setup::new(false, false);
    let mut forged = cred.clone();
    forged["issuer"]["id"] = other.did.clone().into();
    let file = setup.path("forged.json");
    write_json(&file, &forged);
    let run = setup.verify(30, &file, &["--issuer", &other.did]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("was signed by"), "{}", run.stderr);
}

#[test]
fn issue_refuses_what_it_cannot_sign_and_writes_nothing() {
    let setup = Setup::new(true, false);
    let out = setup.path("x.json");
    let cases: [(&[&str], &str); 3] = [
        (&["--learner", "Dan Wu", "--out", s(&out)], "holds no certification level"),
        (&["--learner", "Ana Ruiz", "--level", "social-practitioner", "--out", s(&out)], "does not hold"),
        (&["--learner", "Nobody Here", "--out", s(&out)], "Nobody Here"),
    ];
    for (args, says) in cases {
        let run = setup.issue(1, args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(!out.exists());
    }
    // Expired: a year and a day on.
    let run = setup.issue(366, &["--learner", "Ana Ruiz", "--out", s(&out)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 27 November 2027"), "{}", run.stderr);
    assert!(!out.exists());
    // Keys that are not keys.
    let garbage = setup.path("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap();
    for key in [garbage, setup.path("missing.pem")] {
        let mut args = vec!["badge", "issue", "--key", s(&key), "--db", s(&setup.db), "--modules", s(&setup.modules)];
        args.extend(["--learner", "Ana Ruiz", "--out", s(&out)]);
        let run = pace(&day(1), &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("key"), "{}", run.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn all_writes_one_credential_per_level_held_each_verifying() {
    let setup = Setup::new(true, true);
    let dir = setup.path("out/credentials");
    let run = setup.issue(1, &["--all", "--out-dir", s(&dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Wrote 3 credentials"), "{}", run.stdout);
    let records = Records::open(&setup.db).unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = records
        .learners()
        .unwrap()
        .iter()
        .filter(|l| l.name != "Dan Wu")
        .map(|l| format!("{}-{LEVEL}.json", l.uuid))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for l in records.learners().unwrap().iter().filter(|l| l.name != "Dan Wu") {
        let file = dir.join(format!("{}-{LEVEL}.json", l.uuid));
        let cred: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_valid_ob3(&cred);
        let text = serde_json::to_string(&cred).unwrap();
        let subject = &cred["credentialSubject"];
        match l.name.as_str() {
            "Ana Ruiz" => {
                // Salted: the email is a hash of it, never the address.
                assert!(!text.contains("ana.ruiz@example.com"));
                let id = &subject["identifier"][0];
                assert_eq!(id["hashed"], true);
                assert_eq!(id["salt"], SALT);
                assert_eq!(id["identityHash"], pace::badge::credential::identity_hash("ana.ruiz@example.com", SALT));
            }
            "Ben Okafor" => assert_eq!(subject["identifier"][0]["identityType"], "ext:employeeId"),
            _ => assert_eq!(subject["id"], format!("urn:uuid:{}", l.uuid)),
        }
        let run = setup.verify(30, &file, &[]);
        assert_eq!(run.code, 0, "{}: {}", l.name, run.stderr);
        assert!(run.stdout.contains(&l.name), "{}", run.stdout);
    }
}

/// The reference check's folder with its packages installed (once per
/// build folder), or None with the reason printed when this machine cannot
/// run it. With `PACE_TEST_REQUIRE_NODE=1` (as `.ci/run` sets) a machine
/// that cannot run it fails instead.
fn reference_check() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(install_reference_check);
    match dir {
        Ok(dir) => Some(dir.clone()),
        Err(reason) if std::env::var("PACE_TEST_REQUIRE_NODE").is_ok_and(|v| v == "1") => {
            panic!("PACE_TEST_REQUIRE_NODE=1 but the reference check cannot run: {reason}")
        }
        Err(reason) => {
            eprintln!("skipping Digital Bazaar's reference check: {reason}");
            None
        }
    }
}

fn install_reference_check() -> Result<PathBuf, String> {
    let has = |tool: &str| std::process::Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !has("node") || !has("npm") {
        return Err("node and npm are not both installed (apt-get install nodejs npm)".into());
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ob3");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ob3-reference");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let lock = std::fs::read(source.join("package-lock.json")).map_err(|e| e.to_string())?;
    for file in ["package.json", "package-lock.json", "verify.mjs"] {
        std::fs::copy(source.join(file), dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    // node_modules/.package-lock.json is npm's record of what it installed.
    let installed = std::fs::read(dir.join("node_modules/.package-lock.json")).ok();
    let marker = dir.join("installed-lock.json");
    if installed.is_none() || std::fs::read(&marker).ok().as_deref() != Some(&lock[..]) {
        let npm = |offline: bool| {
            let mut cmd = std::process::Command::new("npm");
            cmd.args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(&dir);
            if offline {
                cmd.arg("--offline");
            }
            cmd.output().map_err(|e| e.to_string())
        };
        let out = npm(true)?;
        if !out.status.success() {
            let out = npm(false)?;
            if !out.status.success() {
                return Err(format!("npm ci failed: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        std::fs::write(&marker, &lock).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// `node verify.mjs ARGS` in the reference check's folder: (exit code, output).
fn node(dir: &Path, args: &[&str]) -> (i32, String) {
    let out =
        std::process::Command::new("node").arg("verify.mjs").args(args).current_dir(dir).output().expect("run node");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn digital_bazaar_verifies_what_pace_signs_and_refuses_it_changed_or_expired() {
    let Some(node_dir) = reference_check() else { return };
    let setup = Setup::new(true, true);
    let (file, cred) = setup.ana();
    let (code, out) = node(&node_dir, &["verify", s(&file), &day(30)]);
    assert_eq!((code, out.trim()), (0, "verified"), "{out}");
    // Every credential --all writes (email hashed, employee id, UUID only).
    let dir = setup.path("all");
    assert_eq!(setup.issue(1, &["--all", "--out-dir", s(&dir)]).code, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (code, out) = node(&node_dir, &["verify", s(&path), &day(30)]);
        assert_eq!(code, 0, "{}: {out}", path.display());
    }
    let mut tampered = cred.clone();
    tampered["credentialSubject"]["achievement"]["name"] = "Social Champion".into();
    let bad = setup.path("tampered.json");
    write_json(&bad, &tampered);
    let (code, out) = node(&node_dir, &["verify", s(&bad), &day(30)]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = node(&node_dir, &["verify", s(&file), &day(400)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("validUntil"), "{out}");
}

#[test]
fn pace_verifies_what_digital_bazaar_signs_with_a_did_key() {
    let Some(node_dir) = reference_check() else { return };
    let setup = Setup::new(false, false);
    let (file, _) = setup.ana();
    let theirs = setup.path("theirs.json");
    let (code, out) = node(&node_dir, &["sign", s(&file), s(&theirs), &day(1)]);
    assert_eq!(code, 0, "{out}");
    let did = out.trim().lines().last().unwrap().to_string();
    assert!(did.starts_with("did:key:z6Mk"), "{out}");
    let run = setup.verify(30, &theirs, &["--issuer", &did]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("holds Social Ready") && run.stdout.contains(&did), "{}", run.stdout);
    // Their signature, a changed date: pace refuses it; and expiry.
    let mut cred: Value = serde_json::from_str(&std::fs::read_to_string(&theirs).unwrap()).unwrap();
    cred["validUntil"] = "2031-01-01T00:00:00Z".into();
    let bad = setup.path("theirs-tampered.json");
    write_json(&bad, &cred);
    assert_eq!(setup.verify(30, &bad, &["--issuer", &did]).code, 1);
    let run = setup.verify(400, &theirs, &["--issuer", &did]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on"), "{}", run.stderr);
    // Not the pinned issuer: refused.
    assert_eq!(setup.verify(30, &theirs, &["--issuer", &setup.did]).code, 1);
}

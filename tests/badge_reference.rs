//! The independent check: Digital Bazaar's reference libraries (vc 7.3.0,
//! eddsa-rdfc-2022 1.3.0, data-integrity 2.5.0, under Node, pinned in
//! tests/ob3/) verify what pace signs, and pace verifies what they sign with
//! a did:key; a changed field or a time past validUntil fails both ways.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::badge::*;
use serde_json::Value;

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

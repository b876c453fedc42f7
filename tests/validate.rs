//! `pace validate` against one fixture folder per rule: the exact text a
//! content author would see, and the exit code.
//! Set UPDATE_EXPECTED=1 to rewrite the expected.txt files (then review them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

fn validate(args: &[&str]) -> (String, String, i32) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_pace")).args(args).env_remove("PACE_MODULES").output().expect("run pace");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn every_rule_has_a_fixture_with_its_exact_message() {
    let root = Path::new("tests/fixtures/validate");
    let mut cases: Vec<_> = std::fs::read_dir(root).expect("fixtures").map(|e| e.expect("entry").path()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected a fixture per rule, found {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let shown = case.to_string_lossy().into_owned();
        let (stdout, stderr, code) = validate(&["validate", &shown]);
        let expected_path = case.join("expected.txt");
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            std::fs::write(&expected_path, &stdout).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let want_code = if expected.contains(": error: ") { 1 } else { 0 };
        if stdout != expected || code != want_code {
            failures.push(format!(
                "{shown}: exit {code} (want {want_code})\n--- got\n{stdout}{stderr}--- want\n{expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_shipped_curriculum_validates_cleanly() {
    let (stdout, _, code) = validate(&["validate", "modules"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.ends_with(" 0 errors, 0 warnings\n"), "{stdout}");
    let (embedded, _, code) = validate(&["validate"]);
    assert_eq!(code, 0, "{embedded}");
    assert_eq!(embedded, stdout, "the embedded curriculum is the modules/ folder");
}

#[test]
fn a_file_over_4_mib_is_refused_and_the_others_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("tests/fixtures/sample/sample-101-first-steps.json", dir.path().join("a.json")).expect("copy");
    std::fs::write(dir.path().join("huge.json"), vec![b' '; 4 * 1024 * 1024 + 1]).expect("write");
    let (stdout, _, code) = validate(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "huge.json:1:1: error: file is 4.0 MiB (4194305 bytes), 1 byte over the 4 MiB limit (4194304 bytes)"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 module loaded, 1 error, 0 warnings\n"), "{stdout}");
}

#[test]
fn json_output_lists_problems_with_positions() {
    let (stdout, _, code) = validate(&["validate", "tests/fixtures/validate/draw-too-large", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["line"], 47);
    assert_eq!(v["problems"][0]["column"], 13);
    assert_eq!(v["problems"][0]["severity"], "error");
}

#[test]
fn json_output_carries_warnings_as_warnings_and_they_do_not_fail_the_run() {
    let (stdout, _, code) =
        validate(&["validate", "tests/fixtures/validate/correct-option-longest", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    assert_eq!(v["modules"][0], "sample-101-first-steps", "a module with warnings still loads");
    let p = &v["problems"][0];
    assert_eq!(p["severity"], "warning");
    assert_eq!((p["line"].as_u64(), p["column"].as_u64()), (Some(48), Some(18)));
    assert!(p["message"].as_str().is_some_and(|m| m.contains("longest in 2 of 3")), "{p}");
    assert!(p["hint"].as_str().is_some_and(|h| !h.is_empty()), "{p}");
}

#[test]
fn a_single_file_with_prerequisites_elsewhere_gets_a_warning_not_an_error() {
    let (stdout, _, code) = validate(&["validate", "modules/employee-201-contacts-and-complaint-triage.json"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(": warning: unknown prerequisite \"employee-101-social-media-at-work\""), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let (_, stderr, code) = validate(&["validate", "no/such/path.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/path.json: no such file or folder"), "{stderr}");
    let (_, _, code) = validate(&["no-such-command"]);
    assert_eq!(code, 2);
}

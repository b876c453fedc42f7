//! The fuzz targets' corpus, replayed on stable Rust through the same entry
//! points (`pace::fuzz`) the cargo-fuzz targets in fuzz/ call, plus every
//! hostile input of the security review: a regression found by fuzzing, or
//! one of these vectors coming back, fails `cargo test` without nightly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use pace::content::sanitize;

/// Strings from outside that once reached a terminal, or could.
const HOSTILE: &[&str] = &[
    "Eve\u{1b}]52;c;cHduZWQ=\u{7}",
    "mem\u{1b}]0;PWNED\u{7}.json",
    "x\u{1b}]8;;http://e\u{1b}\\y",
    "\u{9b}2J\u{85}\u{9d}0;t\u{9c}",
    "\u{1b}[21t\u{1b}[6n\u{1b}P+q\u{1b}\\",
    "single\u{1b}",
    "hostile-101-esc\u{1b}-in-id",
    "\u{202e}evil\u{2066}",
    "line\nbreak\r\nand\ttab",
    "\u{7f}\u{0}\u{1}",
    "\u{1b}",
];

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir).expect(dir).map(|e| e.expect("entry").path()).collect();
    out.sort();
    assert!(!out.is_empty(), "{dir} is empty");
    out
}

#[test]
fn the_module_file_corpus_replays_cleanly() {
    for path in files("fuzz/corpus/module_file") {
        pace::fuzz::module_file(&std::fs::read(&path).expect("read"));
    }
}

#[test]
fn the_markdown_corpus_replays_cleanly() {
    for path in files("fuzz/corpus/markdown") {
        pace::fuzz::markdown(&std::fs::read(&path).expect("read"));
    }
}

#[test]
fn every_validator_fixture_replays_cleanly() {
    for case in files("tests/fixtures/validate") {
        for file in files(&case.to_string_lossy()) {
            if file.extension().is_some_and(|e| e == "json") {
                pace::fuzz::module_file(&std::fs::read(&file).expect("read"));
            }
        }
    }
}

#[test]
fn every_hostile_string_is_safe_in_every_field_and_every_form() {
    let sample = std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample");
    let value: serde_json::Value = serde_json::from_str(&sample).expect("json");
    for s in HOSTILE {
        // Through the loader and validator, in every string of a module.
        let mut module = value.clone();
        append_everywhere(&mut module, s);
        pace::fuzz::module_file(module.to_string().as_bytes());
        pace::fuzz::markdown(s.as_bytes());
        pace::fuzz::markdown(format!("# {s}\n\n- {s}\n\n> {s}\n\n`{s}`").as_bytes());
        // Through the sanitiser's every form.
        let printable = |out: &str| !out.contains(|c: char| c.is_control() && c != '\n');
        assert!(printable(&sanitize::clean(s)), "{s:?}");
        for out in [
            sanitize::one_line(s),
            sanitize::escape(s).into_owned(),
            sanitize::quote(s),
            sanitize::path(Path::new(s)),
            sanitize::learner_name(s),
        ] {
            assert!(printable(&out) && !out.contains('\n'), "{s:?} -> {out:?}");
        }
        let json = sanitize::to_json_pretty(&serde_json::json!({ "name": s })).expect("json");
        assert!(printable(&json), "{json:?}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).expect("valid")["name"], *s);
    }
}

fn append_everywhere(v: &mut serde_json::Value, s: &str) {
    match v {
        serde_json::Value::String(text) => text.push_str(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| append_everywhere(x, s)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|x| append_everywhere(x, s)),
        _ => {}
    }
}

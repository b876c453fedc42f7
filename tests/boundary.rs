//! The core knows nothing of the terminal or the command line: content,
//! records, learning and export import neither ratatui, crossterm nor clap,
//! and the trainer reaches the records only through the learning service.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (file, line number, line) for every line of the folder's code mentioning one of `words`.
fn mentions(folder: &str, words: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(Path::new(folder), &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if words.iter().any(|w| code.contains(w)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_core_imports_no_terminal_or_command_line_crate() {
    for folder in ["src/content", "src/records", "src/learning", "src/export", "src/badge"] {
        let found = mentions(folder, &["ratatui", "crossterm", "clap"]);
        assert!(found.is_empty(), "{folder} must not know the terminal or the command line:\n{}", found.join("\n"));
    }
}

#[test]
fn the_trainer_reaches_the_records_only_through_the_learning_service() {
    let found = mentions("src/tui", &["records()", "Records::", ".records.", "records::Records"]);
    assert!(found.is_empty(), "records calls in the trainer outside learning::Session:\n{}", found.join("\n"));
}

#[test]
fn plain_mode_is_built_on_the_learning_service_alone() {
    let found = mentions("src/plain", &["records()", "Records::", ".records.", "ratatui", "crossterm", "crate::tui"]);
    assert!(
        found.is_empty(),
        "plain mode must use learning::Session, not the records or the trainer:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).expect("read").lines().count();
            (n > 600).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by responsibility:\n{}", long.join("\n"));
}

#[test]
fn the_layers_depend_one_way_content_records_learning_then_the_front_ends() {
    // content <- records <- learning <- export, cli, tui, plain: no layer names one above it.
    let above = |layer: &str| -> Vec<&'static str> {
        match layer {
            "src/content" => {
                vec!["crate::records", "crate::learning", "crate::export", "crate::cli", "crate::tui", "crate::plain"]
            }
            "src/records" => vec!["crate::learning", "crate::export", "crate::cli", "crate::tui", "crate::plain"],
            "src/learning" => vec!["crate::export", "crate::cli", "crate::tui", "crate::plain"],
            "src/export" => vec!["crate::cli", "crate::tui", "crate::plain"],
            _ => vec![],
        }
    };
    for layer in ["src/content", "src/records", "src/learning", "src/export"] {
        let found = mentions(layer, &above(layer));
        assert!(found.is_empty(), "{layer} reaches up a layer:\n{}", found.join("\n"));
    }
}

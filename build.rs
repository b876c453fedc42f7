//! Embeds the repository's modules/*.json into the binary, so `pace` runs the
//! shipped curriculum from any directory after `cargo install --path .`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo::rerun-if-changed=modules");
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let dir = root.join("modules");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from(
        "/// The shipped modules/*.json files: (shown path, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ =
            writeln!(out, "    ({:?}, include_bytes!({:?})),", format!("modules/{name}"), file.display().to_string());
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    // The outline the trainer's first screen is drawn from: each module
    // with only what `content::outline` reads, so start-up parses a few
    // kilobytes instead of the whole curriculum.
    out.push_str(
        "/// FILES with each module cut to its outline (content::outline); a file\n/// that is not a module, or does not parse, as it is.\npub static OUTLINE: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shown = format!("modules/{name}");
        let outline = match name.as_str() {
            "curriculum.json" | "organisation.json" => None,
            _ => fs::read(file).ok().and_then(|bytes| outline(&bytes)),
        };
        let written = match outline {
            Some(outline) => {
                let path = out_dir.join(format!("outline-{name}"));
                fs::write(&path, outline).map(|()| path)
            }
            None => Ok(file.clone()),
        };
        match written {
            Ok(path) => {
                let _ = writeln!(out, "    ({shown:?}, include_bytes!({:?})),", path.display().to_string());
            }
            Err(e) => {
                eprintln!("cannot write the curriculum's outline: {e}");
                std::process::exit(1);
            }
        }
    }
    out.push_str("];\n");
    if let Err(e) = fs::write(out_dir.join("embedded.rs"), out) {
        eprintln!("cannot write the embedded curriculum: {e}");
        std::process::exit(1);
    }
}

/// A module's JSON cut to the fields `content::outline` reads.
fn outline(bytes: &[u8]) -> Option<Vec<u8>> {
    use serde_json::{Map, Value};
    const MODULE: &[&str] =
        &["format", "id", "version", "title", "summary", "audiences", "level", "minutes", "prerequisites", "reviewed"];
    let keep = |from: &Map<String, Value>, keys: &[&str]| -> Map<String, Value> {
        keys.iter().filter_map(|k| from.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect()
    };
    let module: Map<String, Value> = serde_json::from_slice(bytes).ok()?;
    let mut cut = keep(&module, MODULE);
    let lessons = module.get("lessons")?.as_array()?;
    let lessons = lessons.iter().map(|l| l.as_object().map(|l| Value::Object(keep(l, &["id", "title", "regions"]))));
    cut.insert("lessons".into(), Value::Array(lessons.collect::<Option<_>>()?));
    let quiz = module.get("quiz")?.as_object()?;
    cut.insert("quiz".into(), Value::Object(keep(quiz, &["pass_mark", "draw", "shuffle"])));
    serde_json::to_vec(&cut).ok()
}

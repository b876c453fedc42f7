//! `pace validate`: every problem as path:line:column, exit 1 on errors.

use std::path::PathBuf;

use crate::content;

use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Format, Global, curriculum, plural, print};

pub(super) fn run(global: &Global, paths: &[PathBuf], format: Format) -> Result<u8, Failure> {
    let catalog = if paths.is_empty() {
        curriculum(global)?
    } else {
        for p in paths {
            // symlink_metadata: a link that leads nowhere or to itself is the
            // loader's to report; only a name with nothing there is a typo.
            if std::fs::symlink_metadata(p).is_err() {
                return Err(Failure::usage(format!("{}: no such file or folder", crate::content::sanitize::path(p))));
            }
        }
        content::load_paths(paths)?
    };
    let errors = catalog.errors();
    let warnings = catalog.problems.len() - errors;
    match format {
        Format::Text => {
            let mut out = String::new();
            for p in &catalog.problems {
                out.push_str(&p.to_string());
                out.push('\n');
            }
            out.push_str(&format!(
                "{} module{} loaded, {errors} error{}, {warnings} warning{}\n",
                catalog.modules.len(),
                plural(catalog.modules.len()),
                plural(errors),
                plural(warnings)
            ));
            print(&out)?;
        }
        Format::Json => {
            let report = serde_json::json!({
                "ok": errors == 0,
                "modules": catalog.modules.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "problems": catalog.problems,
            });
            print(&content::sanitize::to_json_pretty(&report).unwrap_or_default())?;
        }
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}

//! Reading module files from disk, defensively: only regular files, never
//! more than the size limit plus one byte, and every file that cannot be
//! read becomes a problem on its own, so the others still load. A FIFO must
//! not hang `pace validate`, `/dev/zero` must not fill memory, and a symlink
//! loop is named as one.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::load::{Catalog, MAX_FILE_BYTES, Scope, SourceFile, load_sources};
use super::problem::{Problem, Severity};

/// A reason a set of paths could not be read at all (not a content problem).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", super::sanitize::path(path))]
    Io { path: PathBuf, source: io::Error },
}

/// Loads files and folders (a folder's `*.json` files, not its sub-folders).
/// A named path that does not exist, or a folder that cannot be listed,
/// fails the load; any single file that cannot be read is a problem.
pub fn load_paths(paths: &[PathBuf]) -> Result<Catalog, LoadError> {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    let scope = if paths.len() == 1 && paths[0].is_dir() { Scope::Folder } else { Scope::Files };
    for path in paths {
        if path.is_dir() {
            let io = |source| LoadError::Io { path: path.clone(), source };
            let mut entries: Vec<PathBuf> = fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            entries.sort();
            for entry in entries {
                match read(&entry, Found::InFolder) {
                    Ok(Some(bytes)) => sources.push(SourceFile { path: shown(&entry), bytes }),
                    Ok(None) => {}
                    Err(problem) => problems.push(*problem),
                }
            }
        } else {
            if let Err(e) = fs::symlink_metadata(path)
                && e.kind() == io::ErrorKind::NotFound
            {
                return Err(LoadError::Io {
                    path: path.clone(),
                    source: io::Error::new(io::ErrorKind::NotFound, "no such file or folder"),
                });
            }
            match read(path, Found::Named) {
                Ok(Some(bytes)) => sources.push(SourceFile { path: shown(path), bytes }),
                Ok(None) => {}
                Err(problem) => problems.push(*problem),
            }
        }
    }
    let mut catalog = load_sources(sources, scope);
    problems.append(&mut catalog.problems);
    catalog.problems = problems;
    Ok(catalog)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// How a file came to be read: named on the command line (anything that is
/// not a module file is an error) or found in a folder (a FIFO, socket or
/// broken link there is passed over with a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Named,
    InFolder,
}

/// The bytes of one module file; None for a sub-folder that merely ends in
/// `.json`; a problem for anything that cannot or must not be read.
fn read(path: &Path, found: Found) -> Result<Option<Vec<u8>>, Box<Problem>> {
    let skipped = |severity: Severity, message: String, hint: &str| {
        let mut p = Problem::error(&shown(path), (1, 1), message, hint);
        p.severity = severity;
        Box::new(p)
    };
    let passed_over = if found == Found::InFolder { Severity::Warning } else { Severity::Error };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Err(Box::new(unreadable(path, &e, passed_over))),
    };
    if meta.is_dir() {
        return match found {
            Found::InFolder => Ok(None),
            Found::Named => Err(skipped(Severity::Error, "this is a folder".into(), "give a folder on its own")),
        };
    }
    if !meta.is_file() {
        return Err(skipped(
            passed_over,
            format!("not a regular file but {}; skipped", kind_of(&meta)),
            "modules are regular .json files; remove it or give the file it stands for",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Box::new(too_large(&shown(path), Some(meta.len()))));
    }
    let file = File::open(path).map_err(|e| Box::new(unreadable(path, &e, Severity::Error)))?;
    // What was opened is what counts: the name may point elsewhere by now.
    match file.metadata() {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(skipped(
                passed_over,
                format!("not a regular file but {}; skipped", kind_of(&meta)),
                "modules are regular .json files",
            ));
        }
        Err(e) => return Err(Box::new(unreadable(path, &e, Severity::Error))),
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file can grow after it was measured, and some (in /proc) claim to be
    // empty: never read more than one byte past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Box::new(unreadable(path, &e, Severity::Error)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Box::new(too_large(&shown(path), None)));
    }
    Ok(Some(bytes))
}

/// "a FIFO (named pipe)", "a socket"...: what stands where a file was expected.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() { "a folder" } else { "a special file" }
}

/// Whether an error is the operating system's "too many levels of symbolic
/// links". `io::ErrorKind::FilesystemLoop` is not stable yet, so its name is
/// compared instead.
fn is_symlink_loop(e: &io::Error) -> bool {
    format!("{:?}", e.kind()) == "FilesystemLoop"
}

/// A file that exists but cannot be read, as a problem that says why in
/// words and what to do.
pub(crate) fn unreadable(path: &Path, e: &io::Error, severity: Severity) -> Problem {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let (message, hint) = if is_symlink_loop(e) {
        (
            "symbolic link loop: the link leads back to itself; skipped".to_string(),
            "point the link at a real module file, or remove it",
        )
    } else if is_link && e.kind() == io::ErrorKind::NotFound {
        (
            "symbolic link to a file that does not exist; skipped".to_string(),
            "point the link at a real module file, or remove it",
        )
    } else if e.kind() == io::ErrorKind::PermissionDenied {
        (
            "permission denied: pace may not read this file; skipped".to_string(),
            "make it readable (chmod a+r), or ask whoever owns it",
        )
    } else {
        (format!("cannot read the file: {e}; skipped"), "check the file and the disk it is on")
    };
    let mut p = Problem::error(&shown(path), (1, 1), message, hint);
    p.severity = severity;
    p
}

/// The problem for a file over the limit: how large, and by how much.
pub(crate) fn too_large(path: &str, len: Option<u64>) -> Problem {
    const MIB: f64 = 1024.0 * 1024.0;
    let message = match len {
        Some(len) => {
            let over = len - MAX_FILE_BYTES;
            format!(
                "file is {:.1} MiB ({len} bytes), {over} byte{} over the 4 MiB limit ({MAX_FILE_BYTES} bytes)",
                len as f64 / MIB,
                if over == 1 { "" } else { "s" }
            )
        }
        None => format!("file is over the 4 MiB limit ({MAX_FILE_BYTES} bytes); pace stopped reading it there"),
    };
    Problem::error(path, (1, 1), message, "split it into several modules")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_says_so_and_what_to_do() {
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        let p = unreadable(Path::new("locked.json"), &e, Severity::Error);
        assert_eq!(
            p.to_string(),
            "locked.json:1:1: error: permission denied: pace may not read this file; skipped\n  hint: make it readable (chmod a+r), or ask whoever owns it"
        );
    }

    #[test]
    fn a_large_file_says_by_how_many_bytes() {
        let p = too_large("big.json", Some(MAX_FILE_BYTES + 1));
        assert_eq!(p.message, "file is 4.0 MiB (4194305 bytes), 1 byte over the 4 MiB limit (4194304 bytes)");
    }
}

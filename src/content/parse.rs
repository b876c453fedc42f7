//! One file into a typed value: the size, byte-order-mark and UTF-8 checks,
//! the parse, and a JSON error or a format from a newer pace as a problem
//! at its line and column.

use serde::de::DeserializeOwned;

use super::json_errors::json_problem;
use super::load::MAX_FILE_BYTES;
use super::locate::{self, Seg};
use super::model::{Curriculum, FORMAT_VERSION, Module, Organisation};
use super::problem::Problem;

/// UTF-8's byte order mark, which some Windows editors put first.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A source that parsed, with its value.
pub(super) struct Parsed<'a, T> {
    pub path: &'a str,
    text: &'a str,
    pub value: T,
}

impl<'a, T> Parsed<'a, T> {
    /// The file as text, for the line and column of a finding.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// The size and byte-order-mark checks of one file: its bytes, or None
/// with the reason among `problems`. The UTF-8 check comes with the parse
/// (`parse`), so the file is read from the cache by the parser.
pub(super) fn bytes_of<'a>(path: &str, bytes: &'a [u8], problems: &mut Vec<Problem>) -> Option<&'a [u8]> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        problems.push(super::read::too_large(path, Some(bytes.len() as u64)));
        return None;
    }
    match bytes.strip_prefix(BOM) {
        Some(rest) => {
            problems.push(Problem::warning(
                path,
                (1, 1),
                "file starts with a byte order mark (U+FEFF); pace reads it without the mark",
                "save the file as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\"); other JSON tools may refuse it",
            ));
            Some(rest)
        }
        None => Some(bytes),
    }
}

/// The problem for a file that is not UTF-8, at the first byte that is not.
fn not_utf8(path: &str, bytes: &[u8], e: std::str::Utf8Error) -> Problem {
    let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
    Problem::error(
        path,
        locate::line_col(valid, valid.len()),
        "file is not UTF-8 text",
        "save the file as UTF-8 (most editors offer this under \"encoding\")",
    )
}

/// Where each stage's problems go, to be reported stage by stage.
#[derive(Default)]
pub(super) struct Stages {
    pub files: Vec<Problem>,
    pub parsing: Vec<Problem>,
}

/// Parses one file, checking its format version first when parsing fails so
/// a file from a newer pace gets the right message. A file that is not
/// UTF-8 is reported as such among the file checks. (Checking the whole
/// file first and parsing it as text is quicker than serde_json checking
/// each string it reads.)
pub(super) fn parse<'a, T: DeserializeOwned + HasFormat>(
    path: &'a str,
    bytes: &'a [u8],
    stages: &mut Stages,
) -> Option<Parsed<'a, T>> {
    #[derive(serde::Deserialize)]
    struct Peek {
        format: Option<serde_json::Value>,
    }
    let format_problem = |problems: &mut Vec<Problem>, text: &str, found: &serde_json::Value| {
        problems.push(Problem::error(
            path,
            locate::position(text, &[Seg::Key("format")]),
            format!("format {found} is not supported; this pace reads format {FORMAT_VERSION}"),
            format!("set \"format\": {FORMAT_VERSION} and follow modules/README.md, or use a newer pace"),
        ));
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            stages.files.push(not_utf8(path, bytes, e));
            return None;
        }
    };
    match serde_json::from_str::<T>(text) {
        Ok(value) => {
            let parsed = Parsed { path, text, value };
            if parsed.value.format() != FORMAT_VERSION {
                format_problem(&mut stages.parsing, parsed.text(), &serde_json::Value::from(parsed.value.format()));
                return None;
            }
            Some(parsed)
        }
        Err(err) => {
            if let Ok(Peek { format: Some(found) }) = serde_json::from_str::<Peek>(text)
                && found != FORMAT_VERSION
            {
                format_problem(&mut stages.parsing, text, &found);
                return None;
            }
            stages.parsing.push(json_problem(path, text, &err));
            None
        }
    }
}

pub(super) trait HasFormat {
    fn format(&self) -> u32;
}

impl HasFormat for Module {
    fn format(&self) -> u32 {
        self.format
    }
}

impl HasFormat for Curriculum {
    fn format(&self) -> u32 {
        self.format
    }
}

impl HasFormat for Organisation {
    fn format(&self) -> u32 {
        self.format
    }
}

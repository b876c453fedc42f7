//! One file into a typed value: the size, byte-order-mark and UTF-8 checks,
//! the parse, and a JSON error or a format from a newer pace as a problem
//! at its line and column.

use serde::de::DeserializeOwned;

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

/// The message and hint for a serde_json error, at its line and column.
fn json_problem(path: &str, text: &str, err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let full = err.to_string();
    let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).replace('`', "\"");
    let message = ["u16", "u32", "u64", "usize"]
        .iter()
        .fold(message, |m, t| m.replace(&format!("expected {t}"), "expected a whole number"));
    let at = (err.line().max(1), err.column().max(1));
    if err.classify() == Category::Syntax
        && (message.contains("surrogate") || message == "unexpected end of hex escape")
        && let Some((column, escape)) = lone_surrogate(text, at)
    {
        return Problem::error(
            path,
            (at.0, column),
            format!("\"{escape}\" is half of a UTF-16 surrogate pair, and the other half is missing"),
            "write the character itself (the file is UTF-8), or both halves of the pair, e.g. \\ud83d\\ude00",
        );
    }
    let hint = match err.classify() {
        Category::Syntax if message.starts_with("number out of range") => {
            "the number is too large to read: give the value the field takes (modules/README.md has an example of every field)"
        }
        Category::Syntax => {
            "this is not valid JSON here: look for a missing comma, quote or bracket, or a comma before } or ]"
        }
        Category::Eof => "the file ends too early: close every { and [ and finish the last value",
        Category::Io => "the file could not be read",
        Category::Data if message.starts_with("unknown field") => {
            "remove the field or correct its spelling (modules/README.md lists every field)"
        }
        Category::Data if message.starts_with("missing field") => "add the field; modules/README.md says what it holds",
        Category::Data if message.starts_with("unknown variant") => "use one of the values listed",
        Category::Data => "give the value the type shown (modules/README.md has an example of every field)",
    };
    let message =
        if message.starts_with("missing field") { format!("{message} in the object that ends here") } else { message };
    Problem::error(path, at, message, hint)
}

/// The unpaired `\\uD800`-`\\uDFFF` escape on the error's line, before its
/// column: its column and its text. serde_json reports these as an
/// "unexpected end of hex escape" or a "lone leading surrogate", even for a
/// trailing half.
fn lone_surrogate(text: &str, (line, column): (usize, usize)) -> Option<(usize, String)> {
    let line_text = text.lines().nth(line - 1)?;
    let upto: String = line_text.chars().take(column).collect();
    let escapes: Vec<(usize, u16)> = upto
        .match_indices("\\u")
        .filter_map(|(i, _)| {
            let hex = upto.get(i + 2..i + 6)?;
            let value = u16::from_str_radix(hex, 16).ok()?;
            Some((i, value))
        })
        .collect();
    let high = |v: u16| (0xD800..0xDC00).contains(&v);
    let low = |v: u16| (0xDC00..0xE000).contains(&v);
    let lone = escapes.iter().enumerate().rev().find(|(k, (i, v))| {
        let next = escapes.get(k + 1).filter(|(j, _)| *j == i + 6);
        let prev = k.checked_sub(1).and_then(|p| escapes.get(p)).filter(|(j, _)| j + 6 == *i);
        (high(*v) && !next.is_some_and(|(_, n)| low(*n))) || (low(*v) && !prev.is_some_and(|(_, p)| high(*p)))
    })?;
    let (i, _) = lone.1;
    Some((upto[..*i].chars().count() + 1, upto[*i..*i + 6].to_string()))
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

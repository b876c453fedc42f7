//! What a JSON syntax or type error means for an author: the message and
//! hint for a file that is not valid JSON, with the position serde_json gives
//! (and the few errors worth naming, such as a lone UTF-16 surrogate).

use super::problem::Problem;

/// The message and hint for a serde_json error, at its line and column.
pub(super) fn json_problem(path: &str, text: &str, err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let full = err.to_string();
    let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).replace('`', "\"");
    let message = ["u16", "u32", "u64", "usize"]
        .iter()
        .fold(message, |m, t| m.replace(&format!("expected {t}"), "expected a whole number"));
    let at = (err.line().max(1), err.column().max(1));
    // serde_json counts lines at LF only: a file with CR line breaks would be
    // one long line. Its position, as a byte offset, is counted again.
    let located = if text.contains('\r') { super::locate::line_col(text, serde_offset(text, at)) } else { at };
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
        Category::Syntax if message.starts_with("control character") => {
            "a string holds a raw control character (a tab or a line break typed inside quotes): write it as an escape (\\t, \\n) or remove it"
        }
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
        Category::Data if message.starts_with("duplicate field") => {
            "this key appears twice in one object: keep one of them (JSON readers disagree on which one counts)"
        }
        Category::Data => "give the value the type shown (modules/README.md has an example of every field)",
    };
    let message =
        if message.starts_with("missing field") { format!("{message} in the object that ends here") } else { message };
    Problem::error(path, located, message, hint)
}

/// The byte offset of serde_json's (line, column): lines counted at LF,
/// the column in bytes, 1-based.
fn serde_offset(text: &str, (line, column): (usize, usize)) -> usize {
    let start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (start + column.saturating_sub(1)).min(text.len())
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

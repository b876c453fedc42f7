//! Find where a value sits in a JSON source, for error positions.
//!
//! Modules are deserialised straight into typed structs (fast), which keeps
//! no positions. When a semantic check fails we walk the source text once
//! more along the value's path to find its line and column. Only error paths
//! pay for this.

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// 1-based line and column (in characters) of the value at `path`.
/// When the path does not exist, the position of the deepest part that does.
pub fn position(src: &str, path: &[Seg]) -> (usize, usize) {
    line_col(src, offset(src, path))
}

/// Whether the value at `path` exists and starts with `byte` (e.g. `[`).
pub fn value_starts_with(src: &str, path: &[Seg], byte: u8) -> bool {
    let b = src.as_bytes();
    let mut at = skip_ws(b, 0);
    for seg in path {
        match find_child(b, at, *seg) {
            Some(next) => at = next,
            None => return false,
        }
    }
    b.get(at) == Some(&byte)
}

/// 1-based line and column of a byte offset. A line ends at LF, CR LF, or
/// a CR alone (old Mac files; editors show it as a line break too).
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = src.get(..offset).unwrap_or(src);
    let b = before.as_bytes();
    let lone_cr = |i: usize| b[i] == b'\r' && src.as_bytes().get(i + 1) != Some(&b'\n');
    let breaks = (0..b.len()).filter(|&i| b[i] == b'\n' || lone_cr(i));
    let (mut line, mut line_start) = (1, 0);
    for i in breaks {
        line += 1;
        line_start = i + 1;
    }
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn offset(src: &str, path: &[Seg]) -> usize {
    let b = src.as_bytes();
    let mut at = skip_ws(b, 0);
    for seg in path {
        match find_child(b, at, *seg) {
            Some(next) => at = next,
            None => return at,
        }
    }
    at
}

fn find_child(b: &[u8], at: usize, seg: Seg) -> Option<usize> {
    match seg {
        Seg::Key(key) => {
            if b.get(at) != Some(&b'{') {
                return None;
            }
            let mut i = skip_ws(b, at + 1);
            while b.get(i) == Some(&b'"') {
                let end = skip_string(b, i)?;
                let name = &b[i + 1..end - 1];
                i = skip_ws(b, end);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i = skip_ws(b, i + 1);
                if name == key.as_bytes() {
                    return Some(i);
                }
                i = skip_ws(b, skip_value(b, i)?);
                if b.get(i) == Some(&b',') {
                    i = skip_ws(b, i + 1);
                }
            }
            None
        }
        Seg::Index(n) => {
            if b.get(at) != Some(&b'[') {
                return None;
            }
            let mut i = skip_ws(b, at + 1);
            let mut index = 0;
            while i < b.len() && b[i] != b']' {
                if index == n {
                    return Some(i);
                }
                i = skip_ws(b, skip_value(b, i)?);
                if b.get(i) == Some(&b',') {
                    i = skip_ws(b, i + 1);
                }
                index += 1;
            }
            None
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Index just past the string starting at `i` (which is a quote).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// Index just past the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "{\n  \"a\": 1,\n  \"list\": [\n    {\"id\": \"x\"},\n    {\"id\": \"y\", \"s\": \"q\\\"}\"}\n  ]\n}";

    #[test]
    fn finds_nested_values() {
        assert_eq!(position(DOC, &[Seg::Key("a")]), (2, 8));
        assert_eq!(position(DOC, &[Seg::Key("list"), Seg::Index(1), Seg::Key("id")]), (5, 12));
        assert_eq!(position(DOC, &[Seg::Key("list"), Seg::Index(1), Seg::Key("s")]), (5, 22));
    }

    #[test]
    fn missing_paths_stop_at_the_deepest_found() {
        assert_eq!(position(DOC, &[Seg::Key("list"), Seg::Index(7)]), (3, 11));
        assert_eq!(position(DOC, &[Seg::Key("nope")]), (1, 1));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é\"x\"", 3), (1, 3));
    }
}

//! The one sanitiser: every string from outside (module text, learner
//! names, file names, an LRS's replies) passes through here before it can
//! reach a terminal. `clean` removes control characters and escape
//! sequences (tabs become spaces, newlines stay), so a module can never move
//! the cursor, recolour the screen or set the window title; `one_line` also
//! folds a name onto one line. Messages quote a value as it was written,
//! with its control characters spelled out (`escape`, `quote`, `path`), so
//! an author sees `"single\u{1b}"`, not a cleaned `"single"` that looks
//! right. JSON for other programs gets the same characters as `\u` escapes
//! (`json_text`), so it stays valid JSON and safe to print.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use super::model::{Callout, Choice, Curriculum, Lesson, Module, Organisation, Question, Resource};

/// `s` without control characters or escape sequences; borrowed when clean.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !needs_cleaning(s.as_bytes()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{1b}' => match chars.peek() {
                // CSI: ESC [ params final-byte
                Some('[') => {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC, DCS, APC, PM, SOS: until BEL or ESC \
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.peek() == Some(&'\\')) {
                            if c == '\u{1b}' {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            c if needs_work(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` cleaned and on one line: every run of whitespace (newlines
/// included) becomes one space, and the ends are trimmed. For names, which
/// a message or a document prints inside a line of its own.
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A learner's name as pace stores it and looks it up: cleaned and on one
/// line (the welcome form and `--learner` both pass through here).
pub fn learner_name(typed: &str) -> String {
    one_line(typed)
}

/// `s` with every control character and bidi override spelled out as
/// `\u{..}`, everything else as it is; borrowed when there is none. For the
/// parts of a message that came from outside: the reader sees what was
/// really there, and the terminal receives no control character.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !needs_cleaning(s.as_bytes()) && !s.contains('\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    if needs_work(c) || c == '\n' {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `s` in double quotes, escaped: `"single\u{1b}"`. Quotes and backslashes
/// inside are escaped too, so the quoted value is unambiguous.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// A file name as a message shows it: escaped, so a name holding an escape
/// sequence is shown as written and never reaches the terminal raw.
pub fn path(p: &Path) -> String {
    escape(&p.to_string_lossy()).into_owned()
}

/// JSON text with every DEL, C1 control (U+0080-U+009F), bidi override and
/// line or paragraph separator written as a `\u` escape. serde_json escapes
/// C0 controls itself and passes these through; outside strings JSON is
/// ASCII, so replacing them anywhere keeps the text valid and equal.
pub fn json_text(json: &str) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    // In UTF-8 each of them is DEL or begins with byte C2 (U+0080-U+00BF)
    // or E2 (U+2000-U+2FFF): text with none of the three bytes, as nearly
    // all is, needs no look at its characters (an export runs this on
    // every statement).
    if memchr::memchr3(0x7f, 0xc2, 0xe2, json.as_bytes()).is_none() || !json.contains(special) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if special(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `value` as pretty JSON (with a final newline) that is safe to print.
pub fn to_json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(json_text(&text).into_owned())
}

/// Fast check on bytes: eight at a time while they are printable ASCII
/// (nearly all lesson text), precise on the rest. Loading calls this on
/// every string of every module, so it must cost little more than reading.
fn needs_cleaning(b: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(word);
        // Some byte below 0x20, or at 0x7F and above: look closer.
        let unusual = (w.wrapping_sub(LOW) & !w) | (w.wrapping_add(ONES) | w);
        if unusual & HIGH == 0 {
            i += 8;
            continue;
        }
        if special_at(b, i, i + 8) {
            return true;
        }
        i += 8;
    }
    special_at(b, i, b.len())
}

/// Whether a control character or bidi override starts in `b[from..to]`.
pub(super) fn special_at(b: &[u8], from: usize, to: usize) -> bool {
    (from..to).any(|i| match b[i] {
        b'\n' => false,
        c if c < 0x20 || c == 0x7f => true,
        // C1 controls U+0080-U+009F
        0xC2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        // U+202A-U+202E and U+2066-U+2069
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(n)) => (0xAA..=0xAE).contains(n),
            (Some(0x81), Some(n)) => (0xA6..=0xA9).contains(n),
            _ => false,
        },
        _ => false,
    })
}

fn needs_work(c: char) -> bool {
    (c.is_control() && c != '\n')
        // bidirectional overrides and isolates can reorder what a learner reads
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn fix(s: &mut String) {
    if let Cow::Owned(clean) = clean(s) {
        *s = clean;
    }
}

fn fix_text(t: &mut super::Text) {
    fix(&mut t.0);
}

/// Cleans every string of a module in place.
pub fn module(m: &mut Module) {
    fix(&mut m.title);
    fix(&mut m.summary);
    for Lesson { title, body, callouts, resources, .. } in &mut m.lessons {
        fix(title);
        fix_text(body);
        for Callout { title, text, .. } in callouts {
            if let Some(t) = title {
                fix(t);
            }
            fix_text(text);
        }
        for Resource { title, url, .. } in resources {
            fix(title);
            fix(url);
        }
    }
    for Question { scenario, prompt, options, feedback, explanation, tags, .. } in &mut m.quiz.questions {
        if let Some(s) = scenario {
            fix_text(s);
        }
        fix_text(prompt);
        fix_text(explanation);
        if let Some(f) = feedback {
            fix(f);
        }
        tags.iter_mut().for_each(fix);
        for Choice { text, feedback, .. } in options {
            fix(text);
            if let Some(f) = feedback {
                fix(f);
            }
        }
    }
}

/// Cleans the names and summaries of tracks, paths and levels.
pub fn curriculum(c: &mut Curriculum) {
    for t in &mut c.tracks {
        fix(&mut t.title);
        fix(&mut t.summary);
    }
    for p in &mut c.paths {
        fix(&mut p.title);
        fix(&mut p.summary);
    }
    for l in &mut c.ladder.levels {
        fix(&mut l.title);
        fix(&mut l.summary);
    }
}

/// Cleans every value lessons can pull in through placeholders.
pub fn organisation(o: &mut Organisation) {
    fix(&mut o.name);
    fix(&mut o.home_page);
    o.fields.values_mut().for_each(fix);
    for country in &mut o.countries {
        fix(&mut country.name);
        country.contacts.values_mut().for_each(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escape_sequences_and_controls() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]8;;http://e\u{1b}\\y"), "xy");
        assert_eq!(clean("bell\u{7} nul\u{0} del\u{7f} c1\u{9b}2J"), "bell nul del c12J");
        assert_eq!(clean("tab\there\nline"), "tab    here\nline");
        assert_eq!(clean("\u{202e}evil"), "evil");
    }

    #[test]
    fn the_fast_check_agrees_with_the_precise_one() {
        let samples = [
            "plain ascii text that is long enough",
            "line\nbreak and more text here",
            "café — “quotes” … 漢字 mixed in",
            "x\u{85}y",
            "ab\u{202e}cd efgh ijkl",
            "abcdefg\u{2069}",
            "tab\there",
            "\u{7f}",
            "0123456789abcdef\u{1b}",
        ];
        for s in samples {
            assert_eq!(needs_cleaning(s.as_bytes()), s.chars().any(needs_work), "{s:?}");
        }
    }

    #[test]
    fn messages_spell_out_what_was_written() {
        assert_eq!(escape("single\u{1b}"), "single\\u{1b}");
        assert_eq!(escape("a\u{9b}2J\u{202e}b\nc"), "a\\u{9b}2J\\u{202e}b\\u{a}c");
        assert!(matches!(escape("café 漢字"), Cow::Borrowed(_)));
        assert_eq!(quote("single\u{1b}"), "\"single\\u{1b}\"");
        assert_eq!(quote("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
        assert_eq!(path(Path::new("mem\u{1b}]0;PWNED\u{7}.json")), "mem\\u{1b}]0;PWNED\\u{7}.json");
    }

    #[test]
    fn names_fold_onto_one_clean_line() {
        assert_eq!(one_line("  Eve\u{1b}]52;c;cHduZWQ=\u{7}\n  Smith\t "), "Eve Smith");
    }

    #[test]
    fn json_text_escapes_c1_and_stays_valid() {
        let value = serde_json::json!({"name": "a\u{85}b\u{9b}c\u{7f}\u{202e}\u{1b}"});
        let text = to_json_pretty(&value).unwrap_or_default();
        assert!(text.contains(r"a\u0085b\u009bc\u007f\u202e\u001b"), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, value);
    }

    /// Each one alone, so the quick look for their first bytes must find it.
    #[test]
    fn json_text_escapes_each_special_character_alone() {
        for c in ['\u{7f}', '\u{80}', '\u{9f}', '\u{2028}', '\u{2029}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}']
        {
            let text = format!("\"a{c}b\"");
            assert_eq!(json_text(&text), format!("\"a\\u{:04x}b\"", u32::from(c)), "{c:?}");
        }
        for kept in ["\"café, ‘quoted’ — 漢字\"", "\"\u{a0}\u{2030}\""] {
            assert!(matches!(json_text(kept), Cow::Borrowed(_)), "{kept}");
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(clean("plain, café, 漢字"), Cow::Borrowed(_)));
    }
}

//! The one sanitiser: content and learner-typed strings pass through here
//! before they can reach a terminal. Control characters and escape
//! sequences are removed (tabs become spaces, newlines stay), so a module
//! can never move the cursor, recolour the screen or set the window title.

use std::borrow::Cow;

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
fn special_at(b: &[u8], from: usize, to: usize) -> bool {
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
    fn clean_text_is_borrowed() {
        assert!(matches!(clean("plain, café, 漢字"), Cow::Borrowed(_)));
    }
}

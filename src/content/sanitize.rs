//! The one sanitiser: content and learner-typed strings pass through here
//! before they can reach a terminal. Control characters and escape
//! sequences are removed (tabs become spaces, newlines stay), so a module
//! can never move the cursor, recolour the screen or set the window title.

use std::borrow::Cow;

use super::model::{Callout, Choice, Curriculum, Lesson, Module, Organisation, Question, Resource};

/// `s` without control characters or escape sequences; borrowed when clean.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_work) {
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
    fn clean_text_is_borrowed() {
        assert!(matches!(clean("plain, café, 漢字"), Cow::Borrowed(_)));
    }
}

//! Entry points for the fuzz targets in `fuzz/` and for the replay test
//! (`tests/fuzz_corpus.rs`), so both run inputs through the same code pace
//! runs. Each panics when an invariant breaks: that is how a fuzzer tells a
//! finding. Not part of pace's interface.

use crate::content::load::{CURRICULUM_FILE, ORGANISATION_FILE};
use crate::content::{Lesson, Scope, SourceFile, Text, load_sources, sanitize};
use crate::tui::lesson_lines;
use crate::tui::theme::{Theme, ThemeName};

/// Widths a lesson is wrapped to: narrower than any word, a phone-sized
/// pane, the usual ones.
const WIDTHS: [u16; 4] = [1, 13, 80, 120];

/// `data` as a module file, a curriculum and an organisation profile, each
/// through the loader and validator. Every problem's text must be free of
/// control characters and its JSON valid; every module that loads must
/// render at every width with nothing but printable text.
pub fn module_file(data: &[u8]) {
    for name in ["fuzz.json", CURRICULUM_FILE, ORGANISATION_FILE] {
        let catalog = load_sources(vec![SourceFile { path: name.to_string(), bytes: data.to_vec() }], Scope::Files);
        for problem in &catalog.problems {
            let shown = problem.to_string();
            assert!(printable(&shown), "a problem's text carries a control character: {shown:?}");
        }
        let json = sanitize::to_json_pretty(&catalog.problems).unwrap_or_default();
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "problems' JSON is not valid: {json}");
        assert!(!json.contains(|c: char| c.is_control() && c != '\n'), "problems' JSON carries a control character");
        for module in &catalog.modules {
            for lesson in &module.lessons {
                render(lesson, &catalog.organisation);
            }
        }
    }
}

/// `data` (as UTF-8) as a lesson body, after the sanitiser as the loader
/// applies it, rendered by the Markdown renderer at every width.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lesson = Lesson {
        id: "fuzz".into(),
        title: sanitize::clean(text.lines().next().unwrap_or_default()).into_owned(),
        body: Text(sanitize::clean(text).into_owned()),
        callouts: Vec::new(),
        resources: Vec::new(),
        regions: Vec::new(),
    };
    render(&lesson, &crate::content::load::embedded_organisation());
}

fn render(lesson: &Lesson, organisation: &crate::content::Organisation) {
    let theme = Theme::new(ThemeName::Default, false);
    for width in WIDTHS {
        for line in lesson_lines(lesson, organisation, &theme, width) {
            for span in &line.spans {
                assert!(printable(&span.content), "a rendered line carries a control character: {:?}", span.content);
            }
        }
    }
}

/// No control character but newlines, no bidi override.
fn printable(s: &str) -> bool {
    sanitize::clean(s) == s
}

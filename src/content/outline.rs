//! The shipped curriculum's outline, for the trainer's first screen: every
//! module with its lessons' ids and titles and its quiz settings, but no
//! lesson text, callout, resource or question, which the first screen does
//! not show. `build.rs` cuts each shipped module to these fields
//! (`embedded::OUTLINE`, 15 KB for 550 KB of modules), so reading it takes
//! a tenth of a millisecond; the trainer takes in the whole catalog before
//! it opens a lesson or a quiz, or handles the first key.

use serde::Deserialize;

use super::load::{Catalog, read_shipped};
use super::model::{Audience, Lesson, Module, Quiz};

/// What the outline keeps of a module; serde reads past the rest (the
/// fields not named here), building nothing of it.
#[derive(Deserialize)]
struct ModuleOutline {
    format: u32,
    id: String,
    version: String,
    title: String,
    summary: String,
    audiences: Vec<Audience>,
    level: u16,
    minutes: u32,
    #[serde(default)]
    prerequisites: Vec<String>,
    #[serde(default)]
    reviewed: Option<String>,
    lessons: Vec<LessonOutline>,
    quiz: QuizOutline,
}

#[derive(Deserialize)]
struct LessonOutline {
    id: String,
    title: String,
    #[serde(default)]
    regions: Vec<String>,
}

#[derive(Deserialize)]
struct QuizOutline {
    pass_mark: u32,
    draw: usize,
    #[serde(default = "yes")]
    shuffle: bool,
}

fn yes() -> bool {
    true
}

impl From<ModuleOutline> for Module {
    fn from(m: ModuleOutline) -> Module {
        Module {
            schema: None,
            format: m.format,
            id: m.id,
            version: m.version,
            title: m.title,
            summary: m.summary,
            audiences: m.audiences,
            level: m.level,
            minutes: m.minutes,
            prerequisites: m.prerequisites,
            reviewed: m.reviewed,
            lessons: m
                .lessons
                .into_iter()
                .map(|l| Lesson {
                    id: l.id,
                    title: l.title,
                    body: Default::default(),
                    callouts: Vec::new(),
                    resources: Vec::new(),
                    regions: l.regions,
                })
                .collect(),
            quiz: Quiz {
                pass_mark: m.quiz.pass_mark,
                draw: m.quiz.draw,
                shuffle: m.quiz.shuffle,
                questions: Vec::new(),
            },
        }
    }
}

/// The outline of `content::shipped()`: the same catalog with every lesson
/// text, callout, resource and question left out. None if a file does not
/// read (the whole load then says why).
pub fn shipped_outline() -> Option<Catalog> {
    read_shipped::<ModuleOutline>(crate::embedded::OUTLINE)
}

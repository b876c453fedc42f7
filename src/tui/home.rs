//! The home view: a greeting, the next step to take, and (when the screen
//! has no progress pane) the learner's progress below it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::catalog::{self, Viewer};
use super::markdown::wrap;
use super::paint;
use super::theme::Theme;
use crate::content::{Catalog, sanitize};
use crate::records::Learner;

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Lesson { module: String, index: usize },
    Quiz { module: String },
}

/// The first unfinished lesson or unpassed quiz, in the order the learner
/// should take them: orientation path (new hires), own track, the rest.
pub fn next_step(catalog: &Catalog, viewer: &Viewer) -> Option<Step> {
    let mut order: Vec<&String> = Vec::new();
    if viewer.new_hire {
        order.extend(catalog.curriculum.paths.iter().filter(|p| p.new_hire).flat_map(|p| &p.modules));
    }
    let mut tracks: Vec<_> = catalog.curriculum.tracks.iter().collect();
    tracks.sort_by_key(|t| Some(t.audience) != viewer.role);
    order.extend(tracks.iter().flat_map(|t| &t.modules));
    order.extend(catalog.modules.iter().map(|m| &m.id));
    for id in order {
        let Some(m) = catalog.module(id) else { continue };
        if !catalog::missing_prerequisites(m, catalog, viewer).is_empty() || viewer.standing.quiz_passed(id) {
            continue;
        }
        if let Some(index) = m.lessons.iter().position(|l| !viewer.standing.lesson_done(id, &l.id)) {
            return Some(Step::Lesson { module: id.clone(), index });
        }
        return Some(Step::Quiz { module: id.clone() });
    }
    None
}

pub struct HomeView<'a> {
    pub catalog: &'a Catalog,
    pub learner: Option<&'a Learner>,
    pub next: Option<&'a Step>,
    /// The learner's progress below the next step, when the screen has no
    /// progress pane (lines from `progress::lines`, cached by `Views`).
    pub progress: Option<&'a [Line<'static>]>,
    pub preview: bool,
    pub theme: &'a Theme,
    pub focused: bool,
    pub scroll: u16,
}

impl Widget for HomeView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let border = if self.focused { t.focus_border } else { t.border };
        let inner = paint::Bordered { title: Line::from(" Home "), bottom: None, border }.render(area, buf);
        let width = usize::from(inner.width.max(8));
        let mut lines = Vec::new();
        let name = self.learner.map(|l| sanitize::one_line(&l.name)).unwrap_or_default();
        let greeting = if self.preview {
            format!(
                "Trainer preview of {} module(s): every module is unlocked and nothing is recorded. Press a in a quiz to see the answers.",
                self.catalog.modules.len()
            )
        } else {
            format!("Welcome, {name}.")
        };
        lines.extend(wrap(vec![Span::styled(greeting, t.heading)], &[], &[], width));
        lines.push(Line::default());
        match self.next {
            Some(step) => {
                let (what, title) = match step {
                    Step::Lesson { module, index } => {
                        let m = self.catalog.module(module);
                        let lesson = m.and_then(|m| m.lessons.get(*index)).map_or("", |l| l.title.as_str());
                        ("Next lesson", format!("{} › {lesson}", m.map_or("", |m| m.title.as_str())))
                    }
                    Step::Quiz { module } => {
                        ("Next quiz", self.catalog.module(module).map_or(String::new(), |m| m.title.clone()))
                    }
                };
                lines.extend(wrap(
                    vec![
                        Span::styled(format!("{what}: "), t.dim),
                        Span::styled(title, t.accent.add_modifier(Modifier::BOLD)),
                    ],
                    &[],
                    &[],
                    width,
                ));
                let hint =
                    vec![Span::styled("Enter", t.key), Span::raw(" continues; the catalog has everything else.")];
                lines.extend(wrap(hint, &[], &[], width));
            }
            None => lines.extend(wrap(
                vec![Span::raw(
                    "You have finished everything open to you. Revisit any lesson or retake a quiz from the catalog.",
                )],
                &[],
                &[],
                width,
            )),
        }
        let progress = self.progress.unwrap_or_default();
        if !progress.is_empty() {
            lines.push(Line::default());
        }
        let all = lines.iter().chain(progress).skip(usize::from(self.scroll));
        paint::paragraph(buf, inner, all, t.base);
    }
}

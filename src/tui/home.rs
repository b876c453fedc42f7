//! The home view: a greeting, the next step to take, and (when the screen
//! has no progress pane) the learner's progress below it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::catalog::Viewer;
use super::markdown::wrap;
use super::paint;
use super::theme::Theme;
use crate::content::{Catalog, sanitize};
use crate::records::Learner;

pub use crate::learning::plan::Step;

/// The next step for whoever is looking (the rule lives in `learning::plan`).
pub fn next_step(catalog: &Catalog, viewer: &Viewer) -> Option<Step> {
    crate::learning::plan::next_step(catalog, viewer.standing, viewer.role, viewer.new_hire, viewer.unlock_all)
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

//! The catalog pane: tracks and paths, their modules, and each module's
//! lessons and quiz, with completion marks; locked modules say what unlocks
//! them; modules that failed to load are listed as problems.

use std::collections::HashSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::paint;
use super::theme::Theme;
use crate::content::{Audience, Catalog, Module};
use crate::learning::plan;
use crate::learning::progress::Standing;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// Missed questions due again.
    Review {
        due: usize,
    },
    Section {
        title: String,
        mine: bool,
    },
    Module {
        id: String,
    },
    Locked {
        needs: String,
    },
    /// When an open module's legal and factual content was last reviewed.
    Reviewed {
        date: String,
    },
    Lesson {
        module: String,
        index: usize,
    },
    Quiz {
        module: String,
    },
    Problem {
        index: usize,
    },
}

impl Row {
    fn selectable(&self) -> bool {
        !matches!(self, Row::Section { .. } | Row::Locked { .. } | Row::Reviewed { .. })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub expanded: HashSet<String>,
}

/// Who is looking, for ordering and locks.
pub struct Viewer<'a> {
    pub role: Option<Audience>,
    pub new_hire: bool,
    pub standing: &'a Standing,
    /// Trainer preview: everything unlocked.
    pub unlock_all: bool,
    pub review_due: usize,
}

impl Tree {
    /// Rebuilds the rows, keeping the selection on the same row when it still exists.
    pub fn rebuild(&mut self, catalog: &Catalog, viewer: &Viewer) {
        let keep = self.rows.get(self.selected).cloned();
        let mut rows = Vec::new();
        if viewer.review_due > 0 {
            rows.push(Row::Review { due: viewer.review_due });
        }
        for section in plan::sections(catalog, viewer.role, viewer.new_hire) {
            rows.push(Row::Section { title: section.title, mine: section.mine });
            for m in section.modules.iter().filter_map(|id| catalog.module(id)) {
                rows.push(Row::Module { id: m.id.clone() });
                let missing = missing_prerequisites(m, catalog, viewer);
                if !missing.is_empty() {
                    rows.push(Row::Locked { needs: missing.join(", ") });
                } else if self.expanded.contains(&m.id) {
                    rows.extend(m.reviewed.iter().map(|date| Row::Reviewed { date: date.clone() }));
                    rows.extend((0..m.lessons.len()).map(|index| Row::Lesson { module: m.id.clone(), index }));
                    rows.push(Row::Quiz { module: m.id.clone() });
                }
            }
        }
        if !catalog.problems.is_empty() {
            rows.push(Row::Section { title: format!("Problems ({})", catalog.problems.len()), mine: false });
            rows.extend((0..catalog.problems.len()).map(|index| Row::Problem { index }));
        }
        self.rows = rows;
        self.selected = keep.and_then(|k| self.rows.iter().position(|r| *r == k)).unwrap_or(0);
        if !self.rows.get(self.selected).is_some_and(Row::selectable) {
            self.step(1);
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// Moves the selection by `delta` selectable rows, stopping at the ends.
    pub fn step(&mut self, delta: i32) {
        let mut i = self.selected as i64;
        let mut left = delta.unsigned_abs();
        let dir = if delta < 0 { -1 } else { 1 };
        let mut last_good =
            if self.rows.get(self.selected).is_some_and(Row::selectable) { Some(self.selected) } else { None };
        while left > 0 || last_good.is_none() {
            i += dir;
            if i < 0 || i >= self.rows.len() as i64 {
                break;
            }
            if self.rows[i as usize].selectable() {
                last_good = Some(i as usize);
                left = left.saturating_sub(1);
            }
        }
        if let Some(i) = last_good {
            self.selected = i;
        }
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
        if !self.rows.get(self.selected).is_some_and(Row::selectable) {
            self.step(1);
        }
    }

    pub fn select_last(&mut self) {
        self.selected = self.rows.len().saturating_sub(1);
        if !self.rows.get(self.selected).is_some_and(Row::selectable) {
            self.step(-1);
        }
    }

    /// Selects the row for a module's lesson or quiz, expanding the module.
    pub fn reveal(&mut self, row: &Row) {
        if let Some(i) = self.rows.iter().position(|r| r == row) {
            self.selected = i;
        }
    }
}

/// Titles of prerequisites not yet passed (the rule lives in `learning::plan`).
pub fn missing_prerequisites(m: &Module, catalog: &Catalog, viewer: &Viewer) -> Vec<String> {
    plan::missing_prerequisites(m, catalog, viewer.standing, viewer.unlock_all)
        .into_iter()
        .map(|p| p.title.clone())
        .collect()
}

pub use crate::learning::plan::module_percent;

/// The catalog's rows as lines `width` columns wide (cached between frames
/// by `Views`; the selection is drawn over them).
pub fn lines(tree: &Tree, catalog: &Catalog, standing: &Standing, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let rows = RowLines { catalog, standing, theme };
    tree.rows.iter().map(|row| ellipsis(rows.line(row), width)).collect()
}

pub struct CatalogView<'a> {
    pub tree: &'a Tree,
    /// One line per row of the tree, from `lines`.
    pub lines: &'a [Line<'static>],
    pub theme: &'a Theme,
    pub focused: bool,
}

impl Widget for CatalogView<'_> {
    /// What a `List` of the lines with the selected row highlighted draws,
    /// drawing only the rows that show.
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let border = if self.focused { t.focus_border } else { t.border };
        let inner = paint::Bordered { title: Line::from(" Catalog "), bottom: None, border }.render(area, buf);
        let inner = inner.intersection(buf.area);
        if inner.is_empty() || self.lines.is_empty() {
            return;
        }
        let highlight = if self.focused { t.selected } else { t.base.add_modifier(Modifier::BOLD) };
        let selected = self.tree.selected.min(self.lines.len() - 1);
        // The list scrolls just far enough to show the selection at its foot.
        let first = (selected + 1).saturating_sub(usize::from(inner.height));
        for (i, y) in (first..self.lines.len()).zip(inner.y..inner.bottom()) {
            let row = Rect { y, height: 1, ..inner };
            paint::line(buf, row, &self.lines[i]);
            if i == selected {
                buf.set_style(row, highlight);
            }
        }
    }
}

/// Cuts a line to `width` columns, ending in "…" when something was cut.
fn ellipsis(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width || width == 0 {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let mut text = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            used += w;
            text.push(c);
        }
        let full = text.len() == span.content.len();
        spans.push(Span::styled(text, span.style));
        if !full {
            spans.push(Span::styled("…", span.style));
            break;
        }
    }
    Line::from(spans)
}

/// What a row shows: marks from the learner's standing, in the theme.
struct RowLines<'a> {
    catalog: &'a Catalog,
    standing: &'a Standing,
    theme: &'a Theme,
}

impl RowLines<'_> {
    fn line(&self, row: &Row) -> Line<'static> {
        let t = self.theme;
        let s = self.standing;
        match row {
            Row::Section { title, mine } => {
                let mut spans = vec![Span::styled(title.clone(), t.heading)];
                if *mine {
                    spans.push(Span::styled(" ★", t.accent));
                }
                Line::from(spans)
            }
            Row::Module { id } => {
                let Some(m) = self.catalog.module(id) else { return Line::from(id.clone()) };
                let pct = module_percent(m, s);
                let mark = if s.quiz_passed(id) {
                    Span::styled("✓ ", t.ok)
                } else if pct > 0 {
                    Span::styled("◐ ", t.warn)
                } else {
                    Span::styled("○ ", t.dim)
                };
                Line::from(vec![
                    Span::raw(" "),
                    mark,
                    Span::raw(m.title.clone()),
                    Span::styled(format!(" {pct}%"), t.dim),
                ])
            }
            Row::Review { due } => {
                Line::from(Span::styled(format!("↻ Review ({due} due)"), t.warn.add_modifier(Modifier::BOLD)))
            }
            Row::Locked { needs } => Line::from(Span::styled(format!("    locked: pass {needs}"), t.dim)),
            Row::Reviewed { date } => Line::from(Span::styled(format!("    content reviewed {date}"), t.dim)),
            Row::Lesson { module, index } => {
                let Some(lesson) = self.catalog.module(module).and_then(|m| m.lessons.get(*index)) else {
                    return Line::default();
                };
                let mark = if s.lesson_done(module, &lesson.id) {
                    Span::styled("✓ ", t.ok)
                } else {
                    Span::styled("· ", t.dim)
                };
                Line::from(vec![Span::raw("    "), mark, Span::raw(lesson.title.clone())])
            }
            Row::Quiz { module } => {
                let best = s.scores.iter().filter(|x| &x.module_id == module).map(|x| x.score).max();
                let mark =
                    if s.quiz_passed(module) { Span::styled("✓ ", t.ok) } else { Span::styled("? ", t.accent) };
                let mut spans = vec![Span::raw("    "), mark, Span::raw("Quiz")];
                if let Some(best) = best {
                    spans.push(Span::styled(format!(" best {best}%"), t.dim));
                }
                Line::from(spans)
            }
            Row::Problem { index } => {
                let p = &self.catalog.problems[*index];
                Line::from(Span::styled(format!(" {}", p.headline()), if p.is_error() { t.bad } else { t.warn }))
            }
        }
    }
}

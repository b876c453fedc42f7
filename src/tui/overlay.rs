//! Overlays: the help (generated from the keymap), search, and messages.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap};

use super::keymap;
use super::paint;
use super::theme::Theme;
use super::views::Views;
use super::welcome::centered;
use crate::content::Catalog;

#[derive(Debug, Clone)]
pub enum Overlay {
    Help { scroll: u16 },
    Search(Search),
    Message { title: String, text: String },
    Note(Box<super::notes::NoteEditor>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub module: String,
    pub lesson: usize,
    pub title: String,
    /// The matching line of the lesson (or its title).
    pub line: String,
    pub locked: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

const MAX_HITS: usize = 200;

impl Search {
    /// Finds the query (any case) in lesson titles and body lines; lessons
    /// of locked modules come last and say so.
    pub fn run(&mut self, catalog: &Catalog, locked: &dyn Fn(&str) -> bool) {
        self.hits.clear();
        self.selected = 0;
        let needle = self.query.trim().to_lowercase();
        if needle.is_empty() {
            return;
        }
        'modules: for m in &catalog.modules {
            for (i, lesson) in m.lessons.iter().enumerate() {
                let title = lesson.title.clone();
                let mut lines = std::iter::once(lesson.title.as_str()).chain(lesson.body.as_str().lines());
                if let Some(line) = lines.find(|l| l.to_lowercase().contains(&needle)) {
                    let line = plain(line, &catalog.organisation);
                    self.hits.push(Hit {
                        module: m.id.clone(),
                        lesson: i,
                        title: format!("{} › {title}", m.title),
                        line,
                        locked: locked(&m.id),
                    });
                    if self.hits.len() >= MAX_HITS {
                        break 'modules;
                    }
                }
            }
        }
        self.hits.sort_by_key(|h| h.locked);
    }
}

/// A Markdown line as plain text with placeholders filled, for result lists.
fn plain(line: &str, org: &crate::content::Organisation) -> String {
    let filled = crate::content::placeholder::fill(line.trim(), org);
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(&filled) {
        if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = event {
            out.push_str(&t);
        }
    }
    out
}

pub struct OverlayView<'a> {
    pub overlay: &'a Overlay,
    pub theme: &'a Theme,
    /// Where the help's lines are kept between frames.
    pub views: &'a Views,
}

/// The help: every key of every context, from the keymap.
fn help_lines(t: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, keys) in keymap::help_sections() {
        lines.push(Line::from(Span::styled(title, t.heading)));
        for (k, label) in keys {
            lines.push(Line::from(vec![Span::styled(format!("  {k:<16}"), t.key), Span::raw(label)]));
        }
        lines.push(Line::default());
    }
    lines
}

impl Widget for OverlayView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        match self.overlay {
            Overlay::Help { scroll } => {
                let area = centered(area, 72, area.height.saturating_sub(2));
                Clear.render(area, buf);
                // A Paragraph with this block and style, drawn without building one.
                let area = area.intersection(buf.area);
                paint::fill(buf, area, t.base);
                let inner = paint::Bordered {
                    title: Line::from(" Help: keys "),
                    bottom: Some(Line::from(" Esc or ? to close ")),
                    border: t.focus_border,
                }
                .render(area, buf);
                self.views.help(
                    t,
                    || help_lines(t),
                    |lines| paint::paragraph(buf, inner, lines.iter().skip(usize::from(*scroll)), t.base),
                );
            }
            Overlay::Search(s) => {
                let area = centered(area, 76, area.height.saturating_sub(2));
                Clear.render(area, buf);
                let block = Block::default()
                    .borders(Borders::ALL)
                    .title(" Search lessons ")
                    .title_bottom(" Enter: open   ↑/↓: choose   Esc: close ")
                    .border_style(t.focus_border);
                let inner = block.inner(area);
                block.render(area, buf);
                if inner.height == 0 {
                    return;
                }
                let input = Line::from(vec![
                    Span::styled("/ ", t.accent),
                    Span::raw(s.query.clone()),
                    Span::styled("▏", t.accent),
                ]);
                Paragraph::new(input).render(Rect { height: 1, ..inner }, buf);
                let list_area = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
                let summary = if s.query.trim().is_empty() {
                    "Type to search every lesson.".to_string()
                } else {
                    format!("{} lesson{} match", s.hits.len(), if s.hits.len() == 1 { "" } else { "s" })
                };
                let mut items = vec![ListItem::new(Line::from(Span::styled(summary, t.dim)))];
                items.extend(s.hits.iter().map(|h| {
                    ListItem::new(vec![
                        Line::from(vec![
                            Span::styled(h.title.clone(), t.base.add_modifier(Modifier::BOLD)),
                            Span::styled(if h.locked { "  locked" } else { "" }, t.dim),
                        ]),
                        Line::from(Span::styled(format!("  {}", h.line), t.dim)),
                    ])
                }));
                let mut state = ListState::default().with_selected((!s.hits.is_empty()).then_some(s.selected + 1));
                StatefulWidget::render(List::new(items).highlight_style(t.selected), list_area, buf, &mut state);
            }
            Overlay::Note(editor) => super::notes::NoteEditorView { editor, theme: t }.render(area, buf),
            Overlay::Message { title, text } => {
                let area = centered(area, 60, 10);
                Clear.render(area, buf);
                let block = Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {title} "))
                    .title_bottom(" Enter or Esc ")
                    .border_style(t.focus_border);
                Paragraph::new(text.clone()).block(block).wrap(Wrap { trim: false }).style(t.base).render(area, buf);
            }
        }
    }
}

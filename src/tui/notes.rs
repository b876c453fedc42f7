//! Notes, the learner's knowledge base: the editor for the open lesson's
//! note (saved on every keystroke) and the notes pane with a filter.

use super::action::Action;
use super::app::{App, MainView};
use super::layout::Pane;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, StatefulWidget, Widget};
use ratatui_textarea::TextArea;

use super::theme::Theme;
use super::welcome::centered;
use crate::content::{Catalog, sanitize};
use crate::records::Note;

/// The note being edited.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub module_id: String,
    pub lesson_id: String,
    pub title: String,
    pub text: TextArea<'static>,
}

impl NoteEditor {
    pub fn new(module_id: &str, lesson_id: &str, title: &str, body: &str, theme: &Theme) -> NoteEditor {
        let lines = if body.is_empty() {
            vec![String::new()]
        } else {
            body.lines().map(|l| sanitize::clean(l).into_owned()).collect()
        };
        let mut text = TextArea::new(lines);
        text.set_style(theme.base);
        text.set_cursor_line_style(theme.base);
        text.set_placeholder_text("Type your note: what you want to remember, questions, conference notes…");
        text.set_placeholder_style(theme.dim);
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        NoteEditor {
            module_id: module_id.to_string(),
            lesson_id: lesson_id.to_string(),
            title: title.to_string(),
            text,
        }
    }

    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }
}

pub struct NoteEditorView<'a> {
    pub editor: &'a NoteEditor,
    pub theme: &'a Theme,
}

impl Widget for NoteEditorView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let area = centered(area, 76, area.height.saturating_sub(4).max(3));
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" Note: {} ", self.editor.title))
            .title_bottom(" saved as you type · Esc closes ")
            .border_style(t.focus_border);
        let inner = block.inner(area);
        block.render(area, buf);
        (&self.editor.text).render(inner, buf);
    }
}

/// The notes pane: every note, filtered by what the learner types.
#[derive(Debug, Clone, Default)]
pub struct NotesList {
    pub filter: String,
    pub selected: usize,
}

impl NotesList {
    /// Notes whose lesson, author or text contain the filter (any case).
    pub fn matching<'n>(&self, notes: &'n [Note], catalog: &Catalog) -> Vec<&'n Note> {
        let needle = self.filter.trim().to_lowercase();
        notes
            .iter()
            .filter(|n| {
                needle.is_empty()
                    || n.body.to_lowercase().contains(&needle)
                    || n.author.to_lowercase().contains(&needle)
                    || place(n, catalog).to_lowercase().contains(&needle)
            })
            .collect()
    }
}

/// "Module › Lesson" for a note.
pub fn place(note: &Note, catalog: &Catalog) -> String {
    match catalog.module(&note.module_id) {
        Some(m) => {
            format!("{} › {}", m.title, m.lesson(&note.lesson_id).map_or(note.lesson_id.as_str(), |l| l.title.as_str()))
        }
        None => format!("{} › {}", note.module_id, note.lesson_id),
    }
}

pub struct NotesView<'a> {
    pub list: &'a NotesList,
    pub notes: &'a [Note],
    pub catalog: &'a Catalog,
    pub theme: &'a Theme,
    pub focused: bool,
}

impl Widget for NotesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let shown = self.list.matching(self.notes, self.catalog);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" Notes ({}) ", self.notes.len()))
            .title_bottom(" type to filter · Enter opens the lesson · Esc back ")
            .border_style(if self.focused { t.focus_border } else { t.border });
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let filter = Line::from(vec![
            Span::styled("Filter: ", t.dim),
            Span::raw(self.list.filter.clone()),
            Span::styled("▏", t.accent),
        ]);
        Paragraph::new(filter).render(Rect { height: 1, ..inner }, buf);
        let list_area = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        if shown.is_empty() {
            let text = if self.notes.is_empty() {
                "No notes yet. In a lesson, press e to write one."
            } else {
                "No note matches the filter."
            };
            Paragraph::new(Span::styled(text, t.dim)).render(list_area, buf);
            return;
        }
        let width = usize::from(inner.width);
        let items: Vec<ListItem> = shown
            .iter()
            .map(|n| {
                let first = n.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                let by = if n.imported { format!("  by {}", sanitize::one_line(&n.author)) } else { String::new() };
                ListItem::new(vec![
                    Line::from(vec![
                        Span::styled(place(n, self.catalog), t.base.add_modifier(Modifier::BOLD)),
                        Span::styled(by, t.dim),
                    ]),
                    Line::from(Span::styled(
                        format!(
                            "  {}",
                            sanitize::clean(first).chars().take(width.saturating_sub(2)).collect::<String>()
                        ),
                        t.dim,
                    )),
                ])
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.list.selected.min(shown.len() - 1)));
        StatefulWidget::render(List::new(items).highlight_style(t.selected), list_area, buf, &mut state);
    }
}

impl App {
    pub(super) fn update_notes(&mut self, action: Action) {
        let MainView::Notes(list) = &mut self.main else { return };
        let shown = list.matching(&self.notes, &self.catalog).len();
        match action {
            Action::Input(c) => {
                list.filter.push(c);
                list.selected = 0;
            }
            Action::Backspace => {
                list.filter.pop();
                list.selected = 0;
            }
            Action::Down => list.selected = (list.selected + 1).min(shown.saturating_sub(1)),
            Action::Up => list.selected = list.selected.saturating_sub(1),
            Action::Back => self.focus = Pane::Catalog,
            Action::Open => {
                let target = list
                    .matching(&self.notes, &self.catalog)
                    .get(list.selected)
                    .map(|n| (n.module_id.clone(), n.lesson_id.clone()));
                if let Some((module, lesson)) = target
                    && let Some(index) =
                        self.catalog.module(&module).and_then(|m| m.lessons.iter().position(|l| l.id == lesson))
                {
                    self.open_lesson(&module, index);
                }
            }
            _ => {}
        }
    }
}

//! The reader pane: one lesson, wrapped once per width and cached, scrolled
//! by keys and wheel, with a scrollbar and "line x of y".

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

use super::theme::Theme;
use super::{markdown, paint};
use crate::content::{Module, Organisation};

#[derive(Debug, Clone)]
pub struct Reader {
    pub module_id: String,
    pub lesson: usize,
    /// The rendered lesson, wrapped for `width`.
    pub lines: Vec<Line<'static>>,
    pub width: u16,
    pub height: u16,
    pub scroll: usize,
    pub completed: bool,
    pub opened_at: DateTime<Utc>,
}

impl Reader {
    pub fn new(
        module: &Module,
        lesson: usize,
        org: &Organisation,
        theme: &Theme,
        size: (u16, u16),
        now: DateTime<Utc>,
    ) -> Reader {
        let mut r = Reader {
            module_id: module.id.clone(),
            lesson,
            lines: Vec::new(),
            width: 0,
            height: size.1,
            scroll: 0,
            completed: false,
            opened_at: now,
        };
        r.layout(module, org, theme, size);
        r
    }

    /// Re-wraps only when the width changed.
    pub fn layout(&mut self, module: &Module, org: &Organisation, theme: &Theme, (width, height): (u16, u16)) {
        self.height = height;
        if width != self.width || self.lines.is_empty() {
            let top_line = self.scroll_fraction();
            self.width = width;
            if let Some(lesson) = module.lessons.get(self.lesson) {
                self.lines = markdown::lesson_lines(lesson, org, theme, width);
            }
            self.scroll = (top_line * self.lines.len() as f64).round() as usize;
        }
        self.clamp();
    }

    fn scroll_fraction(&self) -> f64 {
        if self.lines.is_empty() { 0.0 } else { self.scroll as f64 / self.lines.len() as f64 }
    }

    pub fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(usize::from(self.height.max(1)))
    }

    pub fn clamp(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }

    pub fn scroll_by(&mut self, delta: i64) {
        self.scroll = (self.scroll as i64 + delta).clamp(0, self.max_scroll() as i64) as usize;
    }

    pub fn page(&self) -> i64 {
        i64::from(self.height.saturating_sub(2).max(1))
    }

    /// The learner can see the last line.
    pub fn at_end(&self) -> bool {
        self.scroll >= self.max_scroll()
    }

    /// Scrolls so the first line containing `needle` (any case) is at the top.
    pub fn scroll_to_text(&mut self, needle: &str) {
        let needle = needle.to_lowercase();
        if let Some(i) = self.lines.iter().position(|l| {
            l.spans.iter().map(|s| s.content.as_ref()).collect::<String>().to_lowercase().contains(&needle)
        }) {
            self.scroll = i;
            self.clamp();
        }
    }
}

pub struct ReaderView<'a> {
    pub reader: &'a Reader,
    pub title: &'a str,
    pub theme: &'a Theme,
    pub focused: bool,
}

impl Widget for ReaderView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let r = self.reader;
        let t = self.theme;
        let total = r.lines.len();
        let shown_to = (r.scroll + usize::from(r.height)).min(total);
        let position = format!(" line {} of {total} ", shown_to.max(usize::from(total > 0)));
        let done = if r.completed { Span::styled(" ✓ complete ", t.ok) } else { Span::raw("") };
        let inner = paint::Bordered {
            title: Line::from(format!(" {} ", self.title)),
            bottom: Some(Line::from(vec![done, Span::styled(position, t.dim)]).right_aligned()),
            border: if self.focused { t.focus_border } else { t.border },
        }
        .render(area, buf);
        let text_area = Rect { width: inner.width.saturating_sub(1), ..inner };
        paint::paragraph(buf, text_area, r.lines.iter().skip(r.scroll), t.base);
        if total > usize::from(inner.height) && inner.width > 0 {
            let mut state = ScrollbarState::new(r.max_scroll()).position(r.scroll);
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .render(inner, buf, &mut state);
        }
    }
}

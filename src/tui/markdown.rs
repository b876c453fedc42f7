//! Lesson text to terminal lines: the Markdown subset rendered with the
//! theme, callouts as titled boxes, resources listed, and everything wrapped
//! once for a width (the reader caches the result; frames only slice it).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::content::{Lesson, Organisation};
use crate::content::{placeholder, sanitize};

/// The whole lesson as wrapped lines for `width` columns.
pub fn lesson_lines(lesson: &Lesson, org: &Organisation, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(8));
    let mut out =
        wrap(vec![Span::styled(lesson.title.clone(), theme.heading.add_modifier(Modifier::BOLD))], &[], &[], width);
    out.push(Line::default());
    out.extend(markdown(&placeholder::fill(lesson.body.as_str(), org), theme, width));
    for callout in &lesson.callouts {
        let title = callout.title.clone().unwrap_or_else(|| callout.kind.label().to_string());
        let text = placeholder::fill(callout.text.as_str(), org);
        out.push(Line::default());
        out.extend(boxed(&title, &text, theme.callout(callout.kind), theme, width));
    }
    if !lesson.resources.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled("Resources", theme.heading)));
        for r in &lesson.resources {
            let url = placeholder::fill(&r.url, org);
            let spans = vec![
                Span::styled(placeholder::fill(&r.title, org), theme.base),
                Span::styled(format!(" ({})", resource_kind(r.kind)), theme.dim),
                Span::raw(" "),
                Span::styled(url, theme.link),
            ];
            out.extend(wrap(spans, &[Span::raw("• ")], &[Span::raw("  ")], width));
        }
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    out
}

fn resource_kind(kind: crate::content::ResourceKind) -> &'static str {
    use crate::content::ResourceKind::*;
    match kind {
        Replay => "replay",
        Reading => "reading",
        Template => "template",
        Video => "video",
        Tool => "tool",
        Book => "book",
    }
}

/// A titled box around rendered text.
pub fn boxed(title: &str, text: &str, style: Style, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let width = width.max(8);
    let inner = width - 4;
    let mut lines = Vec::new();
    let title_w = title.width().min(width.saturating_sub(6));
    let title: String = truncate(title, title_w);
    lines.push(Line::from(vec![
        Span::styled("╭─ ", style),
        Span::styled(title.clone(), style.add_modifier(Modifier::BOLD)),
        Span::styled(format!(" {}╮", "─".repeat(width.saturating_sub(title.width() + 5))), style),
    ]));
    let mut body = markdown(text, theme, inner);
    while body.last().is_some_and(|l| l.width() == 0) {
        body.pop();
    }
    for line in body {
        let pad = inner.saturating_sub(line.width());
        let mut spans = vec![Span::styled("│ ", style)];
        spans.extend(line.spans);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(" │", style));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(format!("╰{}╯", "─".repeat(width - 2)), style)));
    lines
}

fn truncate(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

/// Renders the Markdown subset into wrapped lines.
/// A parser event with its text cleaned: an entity such as `&#x1b;` becomes
/// a control character only here, after the loader's sanitiser has run.
fn clean_event(event: Event<'_>) -> Event<'_> {
    fn clean(t: CowStr<'_>) -> CowStr<'_> {
        match sanitize::clean(&t) {
            std::borrow::Cow::Borrowed(_) => t,
            std::borrow::Cow::Owned(s) => CowStr::from(s),
        }
    }
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
        other => other,
    }
}

pub fn markdown(text: &str, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut r = Renderer {
        theme,
        width,
        out: Vec::new(),
        spans: Vec::new(),
        styles: vec![theme.base],
        lists: Vec::new(),
        quote: 0,
        item_first: false,
        link: None,
        in_code: false,
    };
    for event in Parser::new(text) {
        r.event(clean_event(event));
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.width() == 0) {
        r.out.pop();
    }
    r.out
}

struct Renderer<'t> {
    theme: &'t Theme,
    width: usize,
    out: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// One entry per open list: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    quote: usize,
    /// The next flush is the first line of a list item (gets the bullet).
    item_first: bool,
    link: Option<(String, usize)>,
    in_code: bool,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, patch: Style) {
        let s = self.style().patch(patch);
        self.styles.push(s);
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| l.width() > 0) {
            self.out.push(Line::default());
        }
    }

    fn prefixes(&mut self) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
        let mut first = Vec::new();
        let mut rest = Vec::new();
        for _ in 0..self.quote {
            first.push(Span::styled("│ ", self.theme.quote));
            rest.push(Span::styled("│ ", self.theme.quote));
        }
        if let Some(depth) = self.lists.len().checked_sub(1) {
            let indent = "  ".repeat(depth);
            let bullet = match self.lists.last().copied().flatten() {
                Some(n) => format!("{n}. "),
                None => "• ".to_string(),
            };
            let pad = " ".repeat(bullet.width());
            if self.item_first {
                first.push(Span::styled(format!("{indent}{bullet}"), self.theme.accent));
                self.item_first = false;
            } else {
                first.push(Span::raw(format!("{indent}{pad}")));
            }
            rest.push(Span::raw(format!("{indent}{pad}")));
        }
        (first, rest)
    }

    fn flush(&mut self) {
        if self.spans.is_empty() {
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        let (first, rest) = self.prefixes();
        let lines = wrap(spans, &first, &rest, self.width);
        self.out.extend(lines);
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code => {
                for line in t.lines() {
                    self.spans.push(Span::styled(format!("  {line}"), self.theme.code));
                    self.flush_code_line();
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                let s = self.style();
                self.spans.push(Span::styled(t.into_string(), s));
            }
            Event::Code(t) => self.spans.push(Span::styled(t.into_string(), self.theme.code)),
            Event::SoftBreak => {
                let s = self.style();
                self.spans.push(Span::styled(" ", s));
            }
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.blank();
                self.out.push(Line::from(Span::styled("─".repeat(self.width.min(40)), self.theme.dim)));
                self.out.push(Line::default());
            }
            _ => {}
        }
    }

    /// Code lines keep their layout: no word wrapping, cut at the width.
    fn flush_code_line(&mut self) {
        let spans = std::mem::take(&mut self.spans);
        let (first, _) = self.prefixes();
        let mut line = first;
        for s in spans {
            let room = self.width.saturating_sub(line.iter().map(|s| s.width()).sum());
            line.push(Span::styled(truncate(&s.content, room), s.style));
        }
        self.out.push(Line::from(line));
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                let style = match level {
                    HeadingLevel::H1 => self.theme.heading.add_modifier(Modifier::UNDERLINED),
                    HeadingLevel::H2 => self.theme.heading,
                    _ => self.theme.base.add_modifier(Modifier::BOLD),
                };
                self.push_style(style);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
                self.push_style(self.theme.quote);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code = true;
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                self.item_first = true;
            }
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.link = Some((dest_url.into_string(), self.spans.len()));
                self.push_style(self.theme.link);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push(Line::default());
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.pop_style();
                self.out.push(Line::default());
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.pop_style();
                self.blank();
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => {
                self.flush();
                if let Some(Some(n)) = self.lists.last_mut() {
                    *n += 1;
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some((url, from)) = self.link.take() {
                    let text: String =
                        self.spans[from.min(self.spans.len())..].iter().map(|s| s.content.as_ref()).collect();
                    if text.trim() != url && !url.is_empty() {
                        self.spans.push(Span::styled(format!(" <{url}>"), self.theme.dim));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Word-wraps styled spans to `width` columns (display width, so wide and
/// combining characters line up), with a prefix for the first line and
/// another for the rest. Words longer than a line are split. Each line holds
/// one span per run of equal style, not one per word, so frames draw fewer.
pub fn wrap(
    spans: Vec<Span<'static>>,
    first: &[Span<'static>],
    rest: &[Span<'static>],
    width: usize,
) -> Vec<Line<'static>> {
    let prefix_w = |p: &[Span]| p.iter().map(|s| s.width()).sum::<usize>();
    let mut lines = Vec::new();
    let mut line = Runs::new(first);
    let mut used = prefix_w(first);
    let mut has_words = false;
    let mut pending_space: Option<Style> = None;
    let limit = |used_prefix: usize| width.max(used_prefix + 1);
    let mut max = limit(used);
    for span in spans {
        let style = span.style;
        for token in tokens(&span.content) {
            if token.chars().all(char::is_whitespace) {
                if has_words {
                    pending_space = Some(style);
                }
                continue;
            }
            let w = token.width();
            let space = usize::from(pending_space.is_some());
            if has_words && used + space + w > max {
                lines.push(std::mem::replace(&mut line, Runs::new(rest)).finish());
                used = prefix_w(rest);
                max = limit(used);
                has_words = false;
                pending_space = None;
            }
            if let Some(s) = pending_space.take() {
                line.push(" ", s);
                used += 1;
            }
            if used + w <= max {
                line.push(token, style);
                used += w;
            } else {
                // A word wider than the line: split it by characters.
                for c in token.chars() {
                    let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    if used + cw > max && has_words {
                        lines.push(std::mem::replace(&mut line, Runs::new(rest)).finish());
                        used = prefix_w(rest);
                        max = limit(used);
                    }
                    line.push_char(c, style);
                    used += cw;
                    has_words = true;
                }
            }
            has_words = true;
        }
    }
    if has_words || lines.is_empty() {
        lines.push(line.finish());
    }
    lines
}

/// A line being built: finished spans, and the run of one style still open.
struct Runs {
    spans: Vec<Span<'static>>,
    text: String,
    style: Style,
}

impl Runs {
    fn new(prefix: &[Span<'static>]) -> Runs {
        Runs { spans: prefix.to_vec(), text: String::new(), style: Style::default() }
    }

    fn push(&mut self, text: &str, style: Style) {
        if style != self.style && !self.text.is_empty() {
            self.close();
        }
        self.style = style;
        self.text.push_str(text);
    }

    fn push_char(&mut self, c: char, style: Style) {
        let mut buf = [0; 4];
        self.push(c.encode_utf8(&mut buf), style);
    }

    fn close(&mut self) {
        let text = std::mem::take(&mut self.text);
        self.spans.push(Span::styled(text, self.style));
    }

    fn finish(mut self) -> Line<'static> {
        if !self.text.is_empty() {
            self.close();
        }
        Line::from(self.spans)
    }
}

/// Splits text into runs of whitespace and runs of non-whitespace.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|was| was != space) {
            out.push(&s[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wraps_on_words_with_hanging_prefix() {
        let lines = wrap(vec![Span::raw("one two three four")], &[Span::raw("• ")], &[Span::raw("  ")], 10);
        assert_eq!(plain(&lines), vec!["• one two", "  three", "  four"]);
    }

    #[test]
    fn wide_characters_count_double() {
        let lines = wrap(vec![Span::raw("漢字漢字漢字")], &[], &[], 5);
        assert_eq!(plain(&lines), vec!["漢字", "漢字", "漢字"]);
        assert!(lines.iter().all(|l| l.width() <= 5));
    }

    #[test]
    fn renders_the_subset() {
        let theme = Theme::new(super::super::theme::ThemeName::Default, false);
        let text = "# Title\n\nSome *emphasis* and a [link](https://e.com).\n\n- a\n- b\n\n1. first\n2. second\n\n> quoted\n\n```\ncode here\n```";
        let got = plain(&markdown(text, &theme, 60));
        assert_eq!(
            got,
            vec![
                "Title",
                "",
                "Some emphasis and a link <https://e.com>.",
                "",
                "• a",
                "• b",
                "",
                "1. first",
                "2. second",
                "",
                "│ quoted",
                "",
                "  code here"
            ]
        );
    }
}

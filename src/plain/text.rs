//! Lessons as plain text: the Markdown subset becomes lines a screen reader
//! reads top to bottom (headings and callouts labelled, list items one a
//! line, link addresses in brackets, no styling or box drawing), and the
//! lines are cut into pages that fit the terminal.
//!
//! Lines are not wrapped: the terminal or the screen reader does that, and a
//! sentence split over two lines reads as two. Pages are measured in the
//! rows the lines take at the terminal's width.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use crate::content::{Lesson, Organisation, ResourceKind, placeholder, sanitize};

/// One line of a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub text: String,
    /// A blank line goes before it (a new paragraph, heading, list or callout).
    pub gap: bool,
    /// A heading: never left alone at the bottom of a page.
    pub heading: bool,
}

/// The full-screen reader's lesson begins with its title and a blank line;
/// plain mode shows the title in each page's header instead.
const TITLE_ROWS: u32 = 2;

/// The reader width a saved place is counted in: the full-screen trainer
/// keeps a lesson's place as a line of its wrapped text, about this wide in
/// a common terminal, so a place saved in one mode lands near the same text
/// in the other.
pub const PLACE_WIDTH: usize = 60;

/// The lesson's body, callouts and resources, placeholders filled.
pub fn lesson_lines(lesson: &Lesson, org: &Organisation) -> Vec<TextLine> {
    let mut out = markdown(&placeholder::fill(lesson.body.as_str(), org));
    for callout in &lesson.callouts {
        let label = callout.kind.label();
        let mut body = markdown(&placeholder::fill(callout.text.as_str(), org));
        match &callout.title {
            Some(title) => out.push(TextLine {
                text: format!("{label}: {}", sentence(&placeholder::fill(title, org))),
                gap: true,
                heading: true,
            }),
            None => {
                if let Some(first) = body.first_mut() {
                    first.text = format!("{label}: {}", first.text);
                }
            }
        }
        if let Some(first) = body.first_mut() {
            first.gap = callout.title.is_none();
        }
        out.extend(body);
    }
    if !lesson.resources.is_empty() {
        out.push(TextLine { text: "Resources:".into(), gap: true, heading: true });
        for r in &lesson.resources {
            out.push(TextLine {
                text: format!(
                    "- {} ({}): {}",
                    placeholder::fill(&r.title, org),
                    resource_kind(r.kind),
                    placeholder::fill(&r.url, org)
                ),
                gap: false,
                heading: false,
            });
        }
    }
    out
}

/// `s` ending in a full stop unless it already ends in punctuation.
pub fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?', ':']) { s.to_string() } else { format!("{s}.") }
}

fn resource_kind(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Replay => "replay",
        ResourceKind::Reading => "reading",
        ResourceKind::Template => "template",
        ResourceKind::Video => "video",
        ResourceKind::Tool => "tool",
        ResourceKind::Book => "book",
    }
}

/// Markdown as plain lines.
pub fn markdown(text: &str) -> Vec<TextLine> {
    let mut r = Renderer::default();
    for event in Parser::new(text) {
        r.event(event);
    }
    r.flush();
    r.out
}

#[derive(Default)]
struct Renderer {
    out: Vec<TextLine>,
    line: String,
    /// The next line starts a new block.
    gap: bool,
    heading: bool,
    /// One entry per open list: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    /// The next line is the first of a list item (it gets the bullet).
    item_first: bool,
    /// Open block quotes; the first line of a quote is labelled.
    quote: usize,
    quote_first: bool,
    link: Option<String>,
    link_text: String,
    in_code: bool,
}

impl Renderer {
    fn emit(&mut self, text: String) {
        let gap = std::mem::take(&mut self.gap) && !self.out.is_empty();
        self.out.push(TextLine { text, gap, heading: self.heading });
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.line);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let mut prefix = String::new();
        if self.quote > 0 && std::mem::take(&mut self.quote_first) {
            prefix.push_str("Quote: ");
        }
        if let Some(depth) = self.lists.len().checked_sub(1) {
            prefix.push_str(&"  ".repeat(depth));
            if std::mem::take(&mut self.item_first) {
                match self.lists.last().copied().flatten() {
                    Some(n) => prefix.push_str(&format!("{n}. ")),
                    None => prefix.push_str("- "),
                }
            } else {
                prefix.push_str("  ");
            }
        }
        let heading = if self.heading { "Heading: " } else { "" };
        self.emit(format!("{prefix}{heading}{text}"));
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code => {
                for line in t.lines() {
                    let line = sanitize::clean(line);
                    self.emit(format!("    {}", line.trim_end()));
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                // An entity such as `&#x1b;` becomes a control character only
                // here, after the loader's sanitiser has run.
                let t = sanitize::clean(&t);
                self.line.push_str(&t);
                if self.link.is_some() {
                    self.link_text.push_str(&t);
                }
            }
            Event::SoftBreak => self.line.push(' '),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.gap = true;
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { .. } => {
                self.flush();
                self.gap = true;
                self.heading = true;
            }
            Tag::Paragraph if self.lists.is_empty() => {
                self.flush();
                self.gap = true;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.gap = true;
                self.quote += 1;
                self.quote_first = true;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.gap = true;
                self.emit("Code:".into());
                self.in_code = true;
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.gap = true;
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                self.item_first = true;
            }
            Tag::Link { dest_url, .. } => {
                self.link = Some(sanitize::clean(&dest_url).into_owned());
                self.link_text.clear();
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item => {
                self.flush();
                if let (TagEnd::Item, Some(Some(n))) = (tag, self.lists.last_mut()) {
                    *n += 1;
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = false;
                self.gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.gap = true;
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.gap = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.gap = true;
                }
            }
            TagEnd::Link => {
                if let Some(url) = self.link.take()
                    && !url.is_empty()
                    && self.link_text.trim() != url
                {
                    self.line.push_str(&format!(" ({url})"));
                }
            }
            _ => {}
        }
    }
}

/// Rows a line takes on a terminal `width` columns wide, with its gap.
fn rows(line: &TextLine, width: usize) -> usize {
    let width = width.max(1);
    line.text.width().div_ceil(width).max(1) + usize::from(line.gap)
}

/// One page of a lesson: lines `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub start: usize,
    pub end: usize,
}

/// Cuts the lines into pages of at most `height` rows at `width` columns
/// (a line taller than a page is a page of its own); a heading at the foot
/// of a page moves to the next one.
pub fn pages(lines: &[TextLine], width: usize, height: usize) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let mut used = 0;
        let mut end = start;
        while end < lines.len() {
            let gap = usize::from(lines[end].gap && end > start);
            let need = rows(&lines[end], width) - usize::from(lines[end].gap) + gap;
            if end > start && used + need > height {
                break;
            }
            used += need;
            end += 1;
        }
        while end > start + 1 && end < lines.len() && lines[end - 1].heading {
            end -= 1;
        }
        pages.push(Page { start, end });
        start = end;
    }
    if pages.is_empty() {
        pages.push(Page { start: 0, end: 0 });
    }
    pages
}

/// Where a page starts, as the line of the full-screen reader's text
/// (`PLACE_WIDTH` wide) that the saved place names.
pub fn place_of(lines: &[TextLine], page: Page) -> u32 {
    if page.start == 0 {
        return 0;
    }
    let before: usize = lines.iter().take(page.start).map(|l| rows(l, PLACE_WIDTH)).sum();
    let gap = lines.get(page.start).is_some_and(|l| l.gap);
    TITLE_ROWS + before as u32 + u32::from(gap)
}

/// The page holding a saved place (a line of the full-screen reader's text).
pub fn page_at(lines: &[TextLine], pages: &[Page], place: u32) -> usize {
    pages.iter().rposition(|p| place_of(lines, *p) <= place).unwrap_or(0)
}

/// The first page after `from` (wrapping round) whose text holds `word`, in any case.
pub fn find(lines: &[TextLine], pages: &[Page], from: usize, word: &str) -> Option<usize> {
    let word = word.to_lowercase();
    let holds = |p: &Page| lines[p.start..p.end].iter().any(|l| l.text.to_lowercase().contains(&word));
    (1..=pages.len()).map(|step| (from + step) % pages.len()).find(|i| holds(&pages[*i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[TextLine]) -> Vec<String> {
        lines.iter().map(|l| if l.gap { format!("\n{}", l.text) } else { l.text.clone() }).collect()
    }

    #[test]
    fn renders_the_subset_as_labelled_lines() {
        let text = "# Title\n\nSome *emphasis* and a [link](https://e.com), a\nsoft break.\n\n- a\n- b\n  - nested\n\n1. first\n2. second\n\n> quoted\n\n```\ncode here\n```\n\nAfter.";
        assert_eq!(
            texts(&markdown(text)),
            vec![
                "Heading: Title",
                "\nSome emphasis and a link (https://e.com), a soft break.",
                "\n- a",
                "- b",
                "  - nested",
                "\n1. first",
                "2. second",
                "\nQuote: quoted",
                "\nCode:",
                "    code here",
                "\nAfter.",
            ]
        );
    }

    #[test]
    fn an_entity_cannot_smuggle_an_escape() {
        let lines = markdown("a &#x1b;]0;title&#x07; b &#27;[2J c");
        assert!(lines.iter().all(|l| !l.text.chars().any(char::is_control)), "{lines:?}");
    }

    #[test]
    fn pages_fit_the_height_and_keep_headings_with_their_text() {
        let line = |text: &str, gap, heading| TextLine { text: text.into(), gap, heading };
        let lines = vec![
            line("one", false, false),
            line("two", true, false),
            line("Heading: three", true, true),
            line("four", true, false),
            line(&"x".repeat(50), true, false),
        ];
        // 10 columns: "one" 1, gap+"two" 2, gap+heading 2, gap+"four" 2, gap+50 chars 6.
        let got = pages(&lines, 10, 5);
        assert_eq!(got, vec![Page { start: 0, end: 2 }, Page { start: 2, end: 4 }, Page { start: 4, end: 5 }]);
        assert_eq!(find(&lines, &got, 0, "FOUR"), Some(1));
        assert_eq!(find(&lines, &got, 1, "one"), Some(0), "the search wraps round");
        assert_eq!(find(&lines, &got, 0, "nowhere"), None);
        let place = place_of(&lines, got[1]);
        assert_eq!(page_at(&lines, &got, place), 1);
        assert_eq!(page_at(&lines, &got, place - 1), 0);
        assert_eq!(place_of(&lines, got[0]), 0, "the first page is the top of the lesson, title and all");
        assert_eq!(page_at(&lines, &got, 0), 0);
        assert_eq!(page_at(&lines, &got, 10_000), 2);
    }
}

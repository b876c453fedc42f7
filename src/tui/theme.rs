//! Colours and styles. NO_COLOR gives a monochrome theme that still shows
//! structure with bold, italic, underline and reverse video.

use ratatui::style::{Color, Modifier, Style};

use crate::content::CalloutKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeName {
    Default,
    HighContrast,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub accent: Style,
    pub heading: Style,
    pub code: Style,
    pub link: Style,
    pub quote: Style,
    pub selected: Style,
    pub border: Style,
    pub focus_border: Style,
    pub ok: Style,
    pub bad: Style,
    pub warn: Style,
    pub bar: Style,
    pub key: Style,
    pub gauge: Style,
    pub tip: Style,
    pub warning: Style,
    pub no_one_tells: Style,
    pub takeaway: Style,
}

impl Theme {
    pub fn new(name: ThemeName, no_color: bool) -> Theme {
        if no_color {
            return Theme::monochrome();
        }
        match name {
            ThemeName::Default => Theme::default_colors(),
            ThemeName::HighContrast => Theme::high_contrast(),
        }
    }

    /// NO_COLOR is set (to anything non-empty), per no-color.org.
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    fn default_colors() -> Theme {
        let s = Style::new();
        Theme {
            base: s,
            dim: s.fg(Color::DarkGray),
            accent: s.fg(Color::Cyan),
            heading: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            code: s.fg(Color::Yellow),
            link: s.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            quote: s.fg(Color::Gray).add_modifier(Modifier::ITALIC),
            selected: s.bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD),
            border: s.fg(Color::DarkGray),
            focus_border: s.fg(Color::Cyan),
            ok: s.fg(Color::Green),
            bad: s.fg(Color::Red),
            warn: s.fg(Color::Yellow),
            bar: s.bg(Color::Black).fg(Color::Gray),
            key: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            gauge: s.fg(Color::Green),
            tip: s.fg(Color::Green),
            warning: s.fg(Color::Red),
            no_one_tells: s.fg(Color::Magenta),
            takeaway: s.fg(Color::Cyan),
        }
    }

    fn high_contrast() -> Theme {
        let s = Style::new().fg(Color::White).bg(Color::Black);
        let b = s.add_modifier(Modifier::BOLD);
        Theme {
            base: s,
            dim: s,
            accent: b.fg(Color::LightYellow),
            heading: b.fg(Color::LightYellow).add_modifier(Modifier::UNDERLINED),
            code: b.fg(Color::LightCyan),
            link: b.fg(Color::LightCyan).add_modifier(Modifier::UNDERLINED),
            quote: s.add_modifier(Modifier::ITALIC),
            selected: Style::new().fg(Color::Black).bg(Color::LightYellow).add_modifier(Modifier::BOLD),
            border: s,
            focus_border: b.fg(Color::LightYellow),
            ok: b.fg(Color::LightGreen),
            bad: b.fg(Color::LightRed),
            warn: b.fg(Color::LightYellow),
            bar: Style::new().fg(Color::Black).bg(Color::White),
            key: Style::new().fg(Color::Black).bg(Color::White).add_modifier(Modifier::BOLD),
            gauge: b.fg(Color::LightGreen),
            tip: b.fg(Color::LightGreen),
            warning: b.fg(Color::LightRed),
            no_one_tells: b.fg(Color::LightMagenta),
            takeaway: b.fg(Color::LightCyan),
        }
    }

    fn monochrome() -> Theme {
        let s = Style::new();
        let b = s.add_modifier(Modifier::BOLD);
        Theme {
            base: s,
            dim: s,
            accent: b,
            heading: b.add_modifier(Modifier::UNDERLINED),
            code: s,
            link: s.add_modifier(Modifier::UNDERLINED),
            quote: s.add_modifier(Modifier::ITALIC),
            selected: s.add_modifier(Modifier::REVERSED),
            border: s,
            focus_border: b,
            ok: b,
            bad: b,
            warn: b,
            bar: s.add_modifier(Modifier::REVERSED),
            key: b,
            gauge: s,
            tip: s,
            warning: b,
            no_one_tells: b,
            takeaway: b,
        }
    }

    pub fn callout(&self, kind: CalloutKind) -> Style {
        match kind {
            CalloutKind::Tip => self.tip,
            CalloutKind::Warning => self.warning,
            CalloutKind::WhatNoOneTellsYou => self.no_one_tells,
            CalloutKind::KeyTakeaway => self.takeaway,
        }
    }
}

//! The one keymap: it resolves keys to actions, and the status bar and the
//! help overlay are generated from it, so they cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Catalog,
    Reader,
    Quiz,
    Progress,
    /// A finished quiz's result.
    QuizEnd,
    /// A message or the help: read, then close.
    Dialog,
    /// The note editor: every key edits, Esc closes.
    Editor,
    /// Typing into a field (search, name): letters are text, not commands.
    Text,
    Preview,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Catalog => "Catalog",
            Context::Reader => "Lesson",
            Context::Quiz => "Quiz",
            Context::Progress => "Home and progress",
            Context::QuizEnd => "Quiz result",
            Context::Text => "Typing",
            Context::Editor => "Note editor",
            Context::Dialog => "Messages and help",
            Context::Preview => "Preview",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}

const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

const fn shift(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::SHIFT }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in help and the status bar.
    pub shown: &'static str,
    pub action: Action,
    pub label: &'static str,
    /// Worth a place in the status bar.
    pub status: bool,
}

const fn b(
    context: Context,
    keys: &'static [Key],
    shown: &'static str,
    action: Action,
    label: &'static str,
    status: bool,
) -> Binding {
    Binding { context, keys, shown, action, label, status }
}

use Context::*;
use KeyCode::*;

pub static BINDINGS: &[Binding] = &[
    b(Text, &[code(Enter)], "Enter", Action::Open, "confirm", true),
    b(Text, &[code(Esc)], "Esc", Action::Back, "cancel", true),
    b(Text, &[code(Backspace)], "Backspace", Action::Backspace, "delete", false),
    b(Text, &[code(Up)], "↑", Action::Up, "previous", false),
    b(Text, &[code(Down)], "↓", Action::Down, "next", false),
    b(Text, &[code(Tab)], "Tab", Action::FocusNext, "next field", false),
    b(Text, &[shift(BackTab), code(BackTab)], "Shift-Tab", Action::FocusPrev, "previous field", false),
    b(Catalog, &[code(Enter), k(' ')], "Enter", Action::Open, "open", true),
    b(Catalog, &[code(Right)], "→", Action::Expand, "expand", false),
    b(Catalog, &[code(Left)], "←", Action::Collapse, "collapse", false),
    b(Reader, &[code(PageDown), k(' ')], "PgDn/Space", Action::PageDown, "page down", false),
    b(Reader, &[code(PageUp)], "PgUp", Action::PageUp, "page up", false),
    b(Reader, &[k('n')], "n", Action::NextLesson, "next lesson", true),
    b(Reader, &[k('p')], "p", Action::PrevLesson, "previous lesson", false),
    b(Reader, &[k('m')], "m", Action::MarkComplete, "mark complete", true),
    b(Reader, &[k('e')], "e", Action::EditNote, "note", true),
    b(Editor, &[code(Esc)], "Esc", Action::Back, "close (saved as you type)", true),
    b(
        Quiz,
        &[k('1'), k('2'), k('3'), k('4'), k('5'), k('6'), k('7'), k('8'), k('9')],
        "1-9",
        Action::Choose(0),
        "choose",
        true,
    ),
    b(Quiz, &[k(' ')], "Space", Action::Toggle, "select", true),
    b(Quiz, &[code(Enter)], "Enter", Action::Submit, "submit / next", true),
    b(Quiz, &[shift(Up), k('K'), k('-')], "K/Shift-↑", Action::MoveItemUp, "move item up", false),
    b(Quiz, &[shift(Down), k('J'), k('+')], "J/Shift-↓", Action::MoveItemDown, "move item down", false),
    b(Progress, &[code(Enter)], "Enter", Action::Open, "continue", true),
    b(Progress, &[k('w')], "w", Action::NextCountry, "where you work: next country", false),
    b(QuizEnd, &[k('r')], "r", Action::Retake, "retake", true),
    b(QuizEnd, &[code(Enter)], "Enter", Action::Submit, "back to the catalog", true),
    b(Dialog, &[code(Enter), code(Esc)], "Enter/Esc", Action::Back, "close", true),
    b(Preview, &[k('a')], "a", Action::ToggleAnswers, "show/hide answers", true),
    b(Global, &[code(Down), k('j')], "↓/j", Action::Down, "down", false),
    b(Global, &[code(Up), k('k')], "↑/k", Action::Up, "up", false),
    b(Global, &[code(Home), k('g')], "Home/g", Action::Top, "top", false),
    b(Global, &[code(End), k('G')], "End/G", Action::Bottom, "bottom", false),
    b(Global, &[k('?')], "?", Action::Help, "help", true),
    b(Global, &[k('q')], "q", Action::Quit, "quit", true),
    b(Global, &[code(Tab), k('l')], "Tab/l", Action::FocusNext, "next pane", true),
    b(Global, &[shift(BackTab), code(BackTab), k('h')], "Shift-Tab/h", Action::FocusPrev, "previous pane", false),
    b(Global, &[k('/')], "/", Action::Search, "search", true),
    b(Global, &[k('P')], "P", Action::ShowProgress, "progress", true),
    b(Global, &[k('N')], "N", Action::ShowNotes, "notes", false),
    b(Global, &[k('L')], "L", Action::SwitchLearner, "switch learner (shared workstation)", false),
    b(Global, &[code(Esc)], "Esc", Action::Back, "back / close", false),
];

/// The action for `key` in the given contexts, most specific first.
pub fn resolve(contexts: &[Context], key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Action::Quit);
    }
    for &context in contexts {
        for binding in BINDINGS.iter().filter(|b| b.context == context) {
            if let Some(i) = binding.keys.iter().position(|k| matches(k, key)) {
                return Some(match binding.action {
                    Action::Choose(_) => Action::Choose(i as u8 + 1),
                    other => other,
                });
            }
        }
        if context == Editor {
            return Some(Action::EditKey(key));
        }
        if context == Text
            && let Char(c) = key.code
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::Input(c));
        }
    }
    None
}

fn matches(k: &Key, key: KeyEvent) -> bool {
    if k.code != key.code {
        return false;
    }
    match key.code {
        // Terminals disagree on whether Shift comes with capital letters.
        Char(_) => !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT),
        _ => k.mods == (key.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT)),
    }
}

/// Status bar hints for the contexts, most specific first, without repeats.
pub fn hints(contexts: &[Context]) -> Vec<(&'static str, &'static str)> {
    let mut seen: Vec<Action> = Vec::new();
    let mut out = Vec::new();
    for &context in contexts {
        for binding in BINDINGS.iter().filter(|b| b.context == context && b.status) {
            let key = std::mem::discriminant(&binding.action);
            if seen.iter().any(|a| std::mem::discriminant(a) == key) {
                continue;
            }
            seen.push(binding.action);
            out.push((binding.shown, binding.label));
        }
    }
    out
}

/// Help overlay sections: (context title, [(keys, label)]).
pub fn help_sections() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    [Global, Catalog, Reader, Quiz, QuizEnd, Progress, Preview, Text, Editor]
        .into_iter()
        .map(|c| (c.title(), BINDINGS.iter().filter(|b| b.context == c).map(|b| (b.shown, b.label)).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn specific_contexts_win_and_text_fields_take_letters() {
        assert_eq!(resolve(&[Quiz, Global], key(Char('3'))), Some(Action::Choose(3)));
        assert_eq!(resolve(&[Reader, Global], key(Char('n'))), Some(Action::NextLesson));
        assert_eq!(resolve(&[Text], key(Char('q'))), Some(Action::Input('q')));
        assert_eq!(resolve(&[Catalog, Global], key(Char('q'))), Some(Action::Quit));
        assert_eq!(resolve(&[Quiz, Global], KeyEvent::new(Char('K'), KeyModifiers::SHIFT)), Some(Action::MoveItemUp));
        assert_eq!(resolve(&[Quiz, Global], KeyEvent::new(Up, KeyModifiers::SHIFT)), Some(Action::MoveItemUp));
        assert_eq!(resolve(&[Text], KeyEvent::new(Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    }

    #[test]
    fn status_hints_follow_the_focused_pane_and_the_mode() {
        let reader: Vec<&str> = hints(&[Reader, Global]).into_iter().map(|(k, _)| k).collect();
        assert_eq!(reader.first(), Some(&"n"), "the pane's own keys come first: {reader:?}");
        assert!(!reader.contains(&"1-9"), "no quiz keys in the reader: {reader:?}");
        // Preview keys show only in preview.
        let keys = |contexts: &[Context]| hints(contexts).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert!(keys(&[Catalog, Preview, Global]).contains(&"a"));
        assert!(!keys(&[Catalog, Global]).contains(&"a"));
    }
}

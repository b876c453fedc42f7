//! What the learner asked for, independent of which key or click said it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Search,
    ShowProgress,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open or expand the selected item; in a form, confirm.
    Open,
    /// Close an overlay, leave a pane or cancel.
    Back,
    Expand,
    Collapse,
    NextLesson,
    PrevLesson,
    MarkComplete,
    /// Number keys in a quiz: choose option n (1-based).
    Choose(u8),
    /// Space: select or toggle the option under the cursor.
    Toggle,
    /// Enter in a quiz: submit, continue, or finish.
    Submit,
    MoveItemUp,
    MoveItemDown,
    Retake,
    /// Preview only: show or hide the answers.
    ToggleAnswers,
    /// The learner works in the organisation's next country.
    NextCountry,
    /// A typed character in a text field.
    Input(char),
    Backspace,
    /// Mouse wheel at a screen position: lines to scroll (negative is up).
    Scroll(u16, u16, i16),
    /// Mouse click at a screen position.
    Click(u16, u16),
    /// Open the note on the current lesson.
    EditNote,
    /// The notes pane.
    ShowNotes,
    /// Back to the learner picker: the next person at a shared workstation.
    SwitchLearner,
    /// A key typed into the note editor.
    EditKey(ratatui::crossterm::event::KeyEvent),
    /// The terminal's new size.
    Resize(u16, u16),
}

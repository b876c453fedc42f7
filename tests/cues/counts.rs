//! How often each cue occurs among keys and distractors, for the report.

use std::fmt::Write as _;

use pace::content::{Catalog, Question, QuestionKind};

/// A cue's name and whether a text carries it.
pub type Cue = (&'static str, fn(&str) -> bool);

/// How often each cue occurs among keys and distractors (single, scenario
/// and multiple options), and loophole words among true and false statements.
pub fn cue_counts(c: &Catalog) -> String {
    let cues: [Cue; 6] = [
        ("since", |t| super::words(t).iter().any(|w| w == "since")),
        ("because", |t| super::words(t).iter().any(|w| w == "because")),
        ("reason", super::gives_reason),
        ("compound", super::is_compound),
        ("contact", super::names_contact),
        ("process>0", |t| super::process_score(t) > 0.0),
    ];
    let mut out = String::from(
        "\ncues among keys / distractors (a balanced cue has about the same share in both), \
         and loophole words among true / false statements\n",
    );
    write!(out, "{:44} {:>9}", "module", "keys/dis").unwrap();
    for (name, _) in &cues {
        write!(out, " {:>11}", name).unwrap();
    }
    writeln!(out, " {:>9} {:>11}", "true/false", "loophole").unwrap();
    let mut all: Vec<&Question> = Vec::new();
    for m in &c.modules {
        out.push_str(&cue_line(&m.id, &m.quiz.questions.iter().collect::<Vec<_>>(), &cues));
        all.extend(&m.quiz.questions);
    }
    out.push_str(&cue_line("all modules", &all, &cues));
    out
}

fn cue_line(label: &str, questions: &[&Question], cues: &[Cue]) -> String {
    let chosen = |correct: bool| -> Vec<&str> {
        questions
            .iter()
            .filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple))
            .flat_map(|q| &q.options)
            .filter(|o| o.correct == correct)
            .map(|o| o.text.as_str())
            .collect()
    };
    let (keys, distractors) = (chosen(true), chosen(false));
    let statements = |answer: bool| -> Vec<&str> {
        questions
            .iter()
            .filter(|q| q.kind == QuestionKind::TrueFalse && q.answer == Some(answer))
            .map(|q| q.prompt.as_str())
            .collect()
    };
    let (true_, false_) = (statements(true), statements(false));
    let mut out = format!("{label:44} {:>9}", format!("{}/{}", keys.len(), distractors.len()));
    for (_, cue) in cues {
        let count = |texts: &[&str]| texts.iter().filter(|t| cue(t)).count();
        write!(out, " {:>11}", format!("{}/{}", count(&keys), count(&distractors))).unwrap();
    }
    let loopholes = |texts: &[&str]| texts.iter().filter(|t| super::has_loophole(t)).count();
    let shares = format!("{}/{}", loopholes(&true_), loopholes(&false_));
    writeln!(out, " {:>9} {:>11}", format!("{}/{}", true_.len(), false_.len()), shares).unwrap();
    out
}

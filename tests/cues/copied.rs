//! Runs of words a module repeats from the seed document it was written from.

use std::collections::HashSet;

use pace::content::Module;

/// How many words in a row count as copied.
pub const SHINGLE: usize = 8;

fn shingles(text: &str) -> HashSet<Vec<String>> {
    let words = super::words(text);
    words.windows(SHINGLE).map(<[String]>::to_vec).collect()
}

/// Every text a learner reads in a module.
fn module_texts(m: &Module) -> Vec<&str> {
    let mut texts = vec![m.title.as_str(), m.summary.as_str()];
    for l in &m.lessons {
        texts.push(l.body.as_str());
        texts.extend(l.callouts.iter().map(|c| c.text.as_str()));
    }
    for q in &m.quiz.questions {
        texts.extend([q.prompt.as_str(), q.explanation.as_str()]);
        texts.extend(q.scenario.as_ref().map(|s| s.as_str()));
        texts.extend(q.feedback.as_deref());
        for o in &q.options {
            texts.push(&o.text);
            texts.extend(o.feedback.as_deref());
        }
    }
    texts
}

/// Each run of `SHINGLE` words of `seed` that some module's text repeats.
pub fn copied_from(seed: &str, modules: &[Module]) -> Vec<String> {
    let seed = shingles(seed);
    assert!(!seed.is_empty(), "the seed document has no {SHINGLE} words in a row");
    let mut copied = Vec::new();
    for m in modules {
        for text in module_texts(m) {
            copied.extend(shingles(text).intersection(&seed).map(|s| format!("{}: \"{}\"", m.id, s.join(" "))));
        }
    }
    copied.sort();
    copied.dedup();
    copied
}

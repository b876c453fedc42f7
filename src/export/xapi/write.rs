//! Statements written straight from events through `serde::Serialize`
//! types. What every statement about one lesson, question, quiz or level
//! repeats (its activity with the definition and choices, its
//! contextActivities) is serialised once when the builder is made and
//! copied in as raw JSON; only the learner, the ids, the times and the
//! result are written per statement.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Value, json};

use super::{
    Builder, LIST, VERB_ANSWERED, VERB_COMPLETED, VERB_FAILED, VERB_PASSED, VERB_SATISFIED, duration, in_option_order,
    is_choice,
};
use crate::content::{Catalog, Question};
use crate::export::events::{AttemptRef, Event, What};
use crate::records::stamp;

/// JSON pace made itself from the catalog, serialised once.
type Raw = Box<RawValue>;

fn raw(value: &Value) -> Raw {
    // A Value always serialises; the fallback is never reached.
    to_raw_value(value).unwrap_or_else(|_| RawValue::from_string("null".into()).unwrap_or_default())
}

/// Every fragment a module's statements share.
#[derive(Clone)]
pub(super) struct ModuleParts<'a> {
    lessons: HashMap<&'a str, Raw>,
    quiz: Raw,
    /// contextActivities of a lesson or a quiz result: the module, its tracks.
    in_module: Raw,
    /// contextActivities of an answer: the quiz, then the module and its tracks.
    in_quiz: Raw,
    questions: HashMap<&'a str, (Raw, &'a Question)>,
}

/// The fragments of the whole catalog, made once per builder.
pub(super) struct Parts<'a> {
    modules: HashMap<&'a str, ModuleParts<'a>>,
    /// A level's activity and, when it asks for modules, its contextActivities.
    levels: HashMap<&'a str, (Raw, Option<Raw>)>,
    verbs: [Raw; 5],
}

const COMPLETED: usize = 0;
const ANSWERED: usize = 1;
const PASSED: usize = 2;
const FAILED: usize = 3;
const SATISFIED: usize = 4;

impl<'a> Parts<'a> {
    /// No fragments yet: the builder is made first, then its parts.
    pub(super) fn empty() -> Parts<'a> {
        let none = || raw(&Value::Null);
        Parts { modules: HashMap::new(), levels: HashMap::new(), verbs: [none(), none(), none(), none(), none()] }
    }

    pub(super) fn new(b: &Builder<'a>, catalog: &'a Catalog) -> Parts<'a> {
        let modules = catalog.modules.iter().map(|m| (m.id.as_str(), module_parts(b, &m.id, catalog))).collect();
        let levels = catalog.curriculum.ladder.levels.iter().map(|l| (l.id.as_str(), level_parts(b, &l.id))).collect();
        let verb = |id: &str, display: &str| raw(&json!({"id": id, "display": {"en-US": display}}));
        let verbs = [
            verb(VERB_COMPLETED, "completed"),
            verb(VERB_ANSWERED, "answered"),
            verb(VERB_PASSED, "passed"),
            verb(VERB_FAILED, "failed"),
            verb(VERB_SATISFIED, "satisfied"),
        ];
        Parts { modules, levels, verbs }
    }
}

fn module_parts<'a>(b: &Builder<'a>, module: &str, catalog: &'a Catalog) -> ModuleParts<'a> {
    let m = catalog.module(module);
    let lessons = m
        .map(|m| m.lessons.iter().map(|l| (l.id.as_str(), raw(&b.lesson_activity(module, &l.id)))).collect())
        .unwrap_or_default();
    let questions = m
        .map(|m| {
            m.quiz.questions.iter().map(|q| (q.id.as_str(), (raw(&b.question_activity(module, &q.id)), q))).collect()
        })
        .unwrap_or_default();
    ModuleParts {
        lessons,
        quiz: raw(&b.quiz_activity(module)),
        in_module: raw(&b.context_activities(b.module_activity(module), b.track_activities(module))),
        in_quiz: raw(&b.context_activities(b.quiz_activity(module), b.answer_grouping(module))),
        questions,
    }
}

fn level_parts(b: &Builder, level: &str) -> (Raw, Option<Raw>) {
    let (object, other) = b.level_parts(level);
    (raw(&object), other.map(|o| raw(&o)))
}

/// One statement as written: the parts made once are raw JSON.
#[derive(Serialize)]
struct Statement<'s> {
    id: &'s str,
    actor: Actor<'s>,
    verb: &'s RawValue,
    object: &'s RawValue,
    result: Outcome<'s>,
    context: Context<'s>,
    timestamp: String,
}

#[derive(Serialize)]
struct Actor<'s> {
    #[serde(rename = "objectType")]
    object_type: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mbox: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<Account<'s>>,
}

#[derive(Serialize)]
struct Account<'s> {
    #[serde(rename = "homePage")]
    home_page: &'s str,
    name: &'s str,
}

#[derive(Serialize)]
struct Context<'s> {
    #[serde(skip_serializing_if = "Option::is_none")]
    registration: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<&'s str>,
    platform: &'static str,
    #[serde(rename = "contextActivities", skip_serializing_if = "Option::is_none")]
    activities: Option<&'s RawValue>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Outcome<'s> {
    Completion {
        completion: bool,
    },
    Answer {
        success: bool,
        #[serde(skip_serializing_if = "String::is_empty")]
        response: String,
    },
    Quiz {
        #[serde(skip_serializing_if = "Option::is_none")]
        score: Option<Score>,
        success: bool,
        completion: bool,
        duration: String,
    },
    Level {
        success: bool,
        completion: bool,
        extensions: HashMap<&'s str, String>,
    },
}

#[derive(Serialize)]
struct Score {
    scaled: f64,
    raw: u32,
    min: u32,
    max: u32,
}

impl<'a> Builder<'a> {
    /// Appends the event's statement to `out` as compact JSON.
    pub fn write_statement(&self, event: &Event, out: &mut Vec<u8>) -> serde_json::Result<()> {
        // The parts of a module the catalog lacks are made for this statement.
        // The parts of a module the catalog lacks are made for this statement.
        let parts: Option<Cow<ModuleParts>> = event.what.module().map(|id| match self.parts.modules.get(id) {
            Some(m) => Cow::Borrowed(m),
            None => Cow::Owned(module_parts(self, id, self.catalog)),
        });
        let no_module = || serde::ser::Error::custom("an event about a module came without one");
        let (verb, object, result, activities, attempt) = match &event.what {
            What::LessonCompleted { module: id, lesson } => {
                let m = parts.as_deref().ok_or_else(no_module)?;
                let object = match m.lessons.get(lesson.as_str()) {
                    Some(r) => Cow::Borrowed(r),
                    None => Cow::Owned(raw(&self.lesson_activity(id, lesson))),
                };
                (COMPLETED, object, Outcome::Completion { completion: true }, Some(&*m.in_module), None)
            }
            What::Answered { module: id, question, chosen, correct, attempt } => {
                let m = parts.as_deref().ok_or_else(no_module)?;
                let known = m.questions.get(question.as_str());
                let response = match known {
                    Some((_, q)) if is_choice(q.kind) => in_option_order(q, chosen).join(LIST),
                    _ => chosen.join(LIST),
                };
                let object = match known {
                    Some((r, _)) => Cow::Borrowed(r),
                    None => Cow::Owned(raw(&self.question_activity(id, question))),
                };
                let attempt = attempt.as_ref().map(|a: &AttemptRef| (a.uuid.as_str(), a.module_version.as_str()));
                (ANSWERED, object, Outcome::Answer { success: *correct, response }, Some(&*m.in_quiz), attempt)
            }
            What::QuizFinished { module_version, started_at, correct, total, passed, .. } => {
                let m = parts.as_deref().ok_or_else(no_module)?;
                let outcome = quiz_outcome(*correct, *total, *passed, *started_at, event.at);
                let attempt = Some((event.uuid.as_str(), module_version.as_str()));
                (if *passed { PASSED } else { FAILED }, Cow::Borrowed(&m.quiz), outcome, Some(&*m.in_module), attempt)
            }
            What::LevelGranted { level, expires_at } => {
                let (object, other) = match self.parts.levels.get(level.as_str()) {
                    Some((o, other)) => (Cow::Borrowed(o), other.as_deref()),
                    None => (Cow::Owned(raw(&self.level_parts(level).0)), None),
                };
                let extensions = HashMap::from([(self.expires.as_str(), stamp(*expires_at))]);
                (SATISFIED, object, Outcome::Level { success: true, completion: true, extensions }, other, None)
            }
        };
        let learner = &event.learner;
        let (mbox, account) = match (&learner.email, &learner.employee_id) {
            (Some(email), _) => (Some(format!("mailto:{email}")), None),
            (None, Some(id)) => (None, Some(Account { home_page: &self.home_page, name: id })),
            (None, None) => (None, Some(Account { home_page: &self.home_page, name: &learner.uuid })),
        };
        let statement = Statement {
            id: &event.uuid,
            actor: Actor {
                object_type: "Agent",
                name: crate::content::sanitize::one_line(&learner.name),
                mbox,
                account,
            },
            verb: &self.parts.verbs[verb],
            object: &object,
            result,
            context: Context {
                registration: attempt.map(|a| a.0),
                revision: attempt.map(|a| a.1).filter(|r| !r.is_empty()),
                platform: "pace",
                activities,
            },
            timestamp: stamp(event.at),
        };
        serde_json::to_writer(out, &statement)
    }
}

fn quiz_outcome<'s>(
    correct: u32,
    total: u32,
    passed: bool,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
) -> Outcome<'s> {
    let score =
        (total > 0).then(|| Score { scaled: f64::from(correct) / f64::from(total), raw: correct, min: 0, max: total });
    Outcome::Quiz { score, success: passed, completion: true, duration: duration(finished_at - started_at) }
}

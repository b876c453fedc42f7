//! xAPI 1.0.3 statements from learning events.
//!
//! - id: the uuid stored when the event was recorded, so an export made
//!   twice, or a sync repeated, names each statement the same way;
//! - actor: an `account` on the organisation's home page, named by the
//!   learner's id in the records file;
//! - verbs from the ADL vocabulary: completed (lesson), answered (question,
//!   with a cmi.interaction definition), passed / failed (quiz), satisfied
//!   (certification level granted);
//! - activity ids: IRIs under `{home_page}/pace/`, built from module, lesson,
//!   question, track and level ids;
//! - context.contextActivities: question -> quiz -> module -> track(s).
//!
//! Statements carry no `version` (the LRS sets it) and no nulls: absent facts
//! are left out.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::events::{AttemptRef, Event, What};
use crate::content::{Catalog, Module, Question, QuestionKind, placeholder, validate};
use crate::learning::quiz::TRUE_FALSE;
use crate::records::stamp;

/// The xAPI version pace speaks (the `X-Experience-API-Version` header).
pub const XAPI_VERSION: &str = "1.0.3";

pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
pub const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
pub const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
/// ADL: "the actor has fulfilled the criteria of the object" (cmi5 uses it too).
pub const VERB_SATISFIED: &str = "https://w3id.org/xapi/adl/verbs/satisfied";

const TYPE_COURSE: &str = "http://adlnet.gov/expapi/activities/course";
const TYPE_MODULE: &str = "http://adlnet.gov/expapi/activities/module";
const TYPE_LESSON: &str = "http://adlnet.gov/expapi/activities/lesson";
const TYPE_ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";
const TYPE_INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
const TYPE_OBJECTIVE: &str = "http://adlnet.gov/expapi/activities/objective";

/// Separator of xAPI response and correct-response lists.
const LIST: &str = "[,]";

#[derive(Debug, thiserror::Error)]
pub enum XapiError {
    #[error(
        "the organisation profile's home_page {0:?} is not an http(s) address; xAPI statements need it for learner accounts and activity ids. Set \"home_page\" in organisation.json, e.g. \"https://example.com\"."
    )]
    HomePage(String),
}

/// Builds statements against one catalog (titles, questions, tracks).
pub struct Builder<'a> {
    catalog: &'a Catalog,
    home_page: String,
    base: String,
    tracks: HashMap<&'a str, Vec<&'a crate::content::Track>>,
}

impl<'a> Builder<'a> {
    pub fn new(catalog: &'a Catalog) -> Result<Builder<'a>, XapiError> {
        let home_page = catalog.organisation.home_page.trim().to_string();
        let base = validate::home_page_base(&home_page).ok_or_else(|| XapiError::HomePage(home_page.clone()))?;
        let mut tracks: HashMap<&str, Vec<&crate::content::Track>> = HashMap::new();
        for track in &catalog.curriculum.tracks {
            for module in &track.modules {
                tracks.entry(module.as_str()).or_default().push(track);
            }
        }
        Ok(Builder { catalog, home_page, base, tracks })
    }

    pub fn statements(&self, events: &[Event]) -> Vec<Value> {
        events.iter().map(|e| self.statement(e)).collect()
    }

    /// Writes the statements as one JSON array, a statement at a time, so a
    /// large export never holds them all in memory.
    pub fn write_array<W: std::io::Write>(&self, events: &[Event], out: W) -> std::io::Result<()> {
        let mut array = ArrayWriter::new(out);
        for event in events {
            array.push(&self.statement(event))?;
        }
        array.finish()
    }

    pub fn statement(&self, event: &Event) -> Value {
        let (verb, object, result, context) = match &event.what {
            What::LessonCompleted { module, lesson } => self.lesson(module, lesson),
            What::Answered { module, question, chosen, correct, attempt } => {
                self.answer(module, question, chosen, *correct, attempt.as_ref())
            }
            What::QuizFinished { module, module_version, started_at, correct, total, passed, .. } => {
                self.quiz(module, module_version, &event.uuid, *started_at, event.at, *correct, *total, *passed)
            }
            What::LevelGranted { level, expires_at } => self.level(level, *expires_at),
        };
        let mut actor = Map::new();
        actor.insert("objectType".into(), "Agent".into());
        let name = crate::content::sanitize::one_line(&event.learner.name);
        if !name.is_empty() {
            actor.insert("name".into(), name.into());
        }
        insert_identity(&mut actor, &event.learner, &self.home_page);
        json!({
            "id": event.uuid,
            "actor": actor,
            "verb": verb,
            "object": object,
            "result": result,
            "context": context,
            "timestamp": stamp(event.at),
        })
    }

    /// Activity ids: `{home}/pace/modules/{module}` and below.
    pub fn module_iri(&self, module: &str) -> String {
        format!("{}/pace/modules/{}", self.base, segment(module))
    }

    pub fn lesson_iri(&self, module: &str, lesson: &str) -> String {
        format!("{}/lessons/{}", self.module_iri(module), segment(lesson))
    }

    pub fn quiz_iri(&self, module: &str) -> String {
        format!("{}/quiz", self.module_iri(module))
    }

    pub fn question_iri(&self, module: &str, question: &str) -> String {
        format!("{}/questions/{}", self.quiz_iri(module), segment(question))
    }

    pub fn track_iri(&self, track: &str) -> String {
        format!("{}/pace/tracks/{}", self.base, segment(track))
    }

    pub fn level_iri(&self, level: &str) -> String {
        format!("{}/pace/levels/{}", self.base, segment(level))
    }

    /// Result extension holding when a granted level expires.
    pub fn expires_extension(&self) -> String {
        format!("{}/pace/extensions/expires-at", self.base)
    }

    fn fill(&self, text: &str) -> String {
        placeholder::fill(text, &self.catalog.organisation).trim().to_string()
    }

    fn module_activity(&self, module: &str) -> Value {
        let title = self.catalog.module(module).map(|m| m.title.clone());
        activity(self.module_iri(module), TYPE_MODULE, title, None)
    }

    fn quiz_activity(&self, module: &str) -> Value {
        let title = self.catalog.module(module).map(|m| format!("Quiz: {}", m.title));
        activity(self.quiz_iri(module), TYPE_ASSESSMENT, title, None)
    }

    fn track_activities(&self, module: &str) -> Vec<Value> {
        self.tracks
            .get(module)
            .map(|ts| {
                ts.iter()
                    .map(|t| {
                        activity(self.track_iri(&t.id), TYPE_COURSE, Some(t.title.clone()), Some(t.summary.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Context with `parent` and, when there is any, `grouping`.
    fn context(&self, parent: Value, grouping: Vec<Value>, attempt: Option<(&str, &str)>) -> Value {
        let mut activities = Map::new();
        activities.insert("parent".into(), Value::Array(vec![parent]));
        if !grouping.is_empty() {
            activities.insert("grouping".into(), Value::Array(grouping));
        }
        let mut context = Map::new();
        if let Some((registration, revision)) = attempt {
            // One registration per quiz attempt ties its answers to its result.
            context.insert("registration".into(), registration.into());
            if !revision.is_empty() {
                context.insert("revision".into(), revision.into());
            }
        }
        context.insert("platform".into(), "pace".into());
        context.insert("contextActivities".into(), Value::Object(activities));
        Value::Object(context)
    }

    fn lesson(&self, module: &str, lesson: &str) -> (Value, Value, Value, Value) {
        let title = self.catalog.module(module).and_then(|m| m.lesson(lesson)).map(|l| l.title.clone());
        let object = activity(self.lesson_iri(module, lesson), TYPE_LESSON, title, None);
        let context = self.context(self.module_activity(module), self.track_activities(module), None);
        (verb(VERB_COMPLETED, "completed"), object, json!({"completion": true}), context)
    }

    fn answer(
        &self,
        module: &str,
        question: &str,
        chosen: &[String],
        correct: bool,
        attempt: Option<&AttemptRef>,
    ) -> (Value, Value, Value, Value) {
        let known =
            self.catalog.module(module).and_then(|m: &Module| m.quiz.questions.iter().find(|q| q.id == question));
        let definition = match known {
            Some(q) => self.interaction(q),
            None => json!({"type": TYPE_INTERACTION}),
        };
        let object = json!({
            "objectType": "Activity",
            "id": self.question_iri(module, question),
            "definition": definition,
        });
        let mut result = Map::new();
        result.insert("success".into(), correct.into());
        let response = match known {
            Some(q) if is_choice(q.kind) => in_option_order(q, chosen).join(LIST),
            _ => chosen.join(LIST),
        };
        if !response.is_empty() {
            result.insert("response".into(), response.into());
        }
        let mut grouping = vec![self.module_activity(module)];
        grouping.extend(self.track_activities(module));
        let context = self.context(
            self.quiz_activity(module),
            grouping,
            attempt.map(|a| (a.uuid.as_str(), a.module_version.as_str())),
        );
        (verb(VERB_ANSWERED, "answered"), object, Value::Object(result), context)
    }

    /// A cmi.interaction definition: its type, prompt, choices and the correct response.
    fn interaction(&self, q: &Question) -> Value {
        let mut def = Map::new();
        def.insert("type".into(), TYPE_INTERACTION.into());
        let prompt = self.fill(q.prompt.as_str());
        if !prompt.is_empty() {
            def.insert("name".into(), json!({ "en": prompt }));
        }
        if let Some(scenario) = q.scenario.as_ref().map(|s| self.fill(s.as_str())).filter(|s| !s.is_empty()) {
            def.insert("description".into(), json!({ "en": scenario }));
        }
        let choices = || -> Value {
            q.options
                .iter()
                .map(|o| {
                    let text = self.fill(&o.text);
                    if text.is_empty() { json!({"id": o.id}) } else { json!({"id": o.id, "description": {"en": text}}) }
                })
                .collect()
        };
        let (kind, pattern) = match q.kind {
            QuestionKind::TrueFalse => {
                ("true-false", q.answer.map(|a| if a { TRUE_FALSE[0] } else { TRUE_FALSE[1] }.to_string()))
            }
            QuestionKind::Ordering => {
                def.insert("choices".into(), choices());
                ("sequencing", Some(q.options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(LIST)))
            }
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Scenario => {
                def.insert("choices".into(), choices());
                let right: Vec<&str> = q.options.iter().filter(|o| o.correct).map(|o| o.id.as_str()).collect();
                ("choice", Some(right.join(LIST)).filter(|p| !p.is_empty()))
            }
        };
        def.insert("interactionType".into(), kind.into());
        if let Some(pattern) = pattern {
            def.insert("correctResponsesPattern".into(), json!([pattern]));
        }
        Value::Object(def)
    }

    #[allow(clippy::too_many_arguments)]
    fn quiz(
        &self,
        module: &str,
        module_version: &str,
        attempt_uuid: &str,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        correct: u32,
        total: u32,
        passed: bool,
    ) -> (Value, Value, Value, Value) {
        let mut result = Map::new();
        if total > 0 {
            result.insert(
                "score".into(),
                json!({"scaled": f64::from(correct) / f64::from(total), "raw": correct, "min": 0, "max": total}),
            );
        }
        result.insert("success".into(), passed.into());
        result.insert("completion".into(), true.into());
        result.insert("duration".into(), duration(finished_at - started_at).into());
        let context = self.context(
            self.module_activity(module),
            self.track_activities(module),
            Some((attempt_uuid, module_version)),
        );
        let verb = if passed { verb(VERB_PASSED, "passed") } else { verb(VERB_FAILED, "failed") };
        (verb, self.quiz_activity(module), Value::Object(result), context)
    }

    fn level(&self, level: &str, expires_at: DateTime<Utc>) -> (Value, Value, Value, Value) {
        let known = self.catalog.curriculum.ladder.levels.iter().find(|l| l.id == level);
        let object = activity(
            self.level_iri(level),
            TYPE_OBJECTIVE,
            known.map(|l| l.title.clone()),
            known.map(|l| l.summary.clone()),
        );
        let mut extensions = Map::new();
        extensions.insert(self.expires_extension(), stamp(expires_at).into());
        let result = json!({"success": true, "completion": true, "extensions": extensions});
        let mut context = Map::new();
        context.insert("platform".into(), "pace".into());
        // The modules whose quizzes the level asks for.
        if let Some(l) = known.filter(|l| !l.requires.modules.is_empty()) {
            let modules: Vec<Value> = l.requires.modules.iter().map(|m| self.module_activity(m)).collect();
            context.insert("contextActivities".into(), json!({ "other": modules }));
        }
        (verb(VERB_SATISFIED, "satisfied"), object, result, Value::Object(context))
    }
}

fn is_choice(kind: QuestionKind) -> bool {
    matches!(kind, QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Scenario)
}

/// A choice answer's ids in the question's option order, the order of its
/// `correctResponsesPattern`, so a tool comparing the two strings agrees
/// with the LRS; ids the question no longer has go last, as given.
fn in_option_order<'a>(q: &Question, chosen: &'a [String]) -> Vec<&'a str> {
    let position = |id: &str| q.options.iter().position(|o| o.id == id).unwrap_or(usize::MAX);
    let mut ids: Vec<&str> = chosen.iter().map(String::as_str).collect();
    // A stable sort keeps unknown ids in the order they were given.
    ids.sort_by_key(|id| position(id));
    ids
}

fn verb(id: &str, display: &str) -> Value {
    json!({"id": id, "display": {"en-US": display}})
}

/// An activity with a type, and a name and description when known and not blank.
fn activity(id: String, kind: &str, name: Option<String>, description: Option<String>) -> Value {
    let mut def = Map::new();
    def.insert("type".into(), kind.into());
    if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
        def.insert("name".into(), json!({ "en": name }));
    }
    if let Some(description) = description.filter(|d| !d.trim().is_empty()) {
        def.insert("description".into(), json!({ "en": description }));
    }
    json!({"objectType": "Activity", "id": id, "definition": def})
}

/// An id as one IRI path segment: ids are slugs, anything else is escaped.
fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() { "-".into() } else { out }
}

/// ISO 8601 duration such as `PT1H2M3S` (never negative).
pub fn duration(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// Paths (like `object.definition.name`) to every null in a value; empty when
/// there are none.
pub fn nulls(value: &Value) -> Vec<String> {
    fn walk(v: &Value, path: String, out: &mut Vec<String>) {
        match v {
            Value::Null => out.push(path),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| walk(x, format!("{path}[{i}]"), out)),
            Value::Object(map) => map.iter().for_each(|(k, x)| walk(x, format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The learner as an xAPI actor's identifier, so the same person is one actor
/// in an LRS whichever workstation recorded them: `mbox` for a work email,
/// an `account` named by the employee id on the organisation's home page, or
/// else an `account` named by the learner's UUID.
pub fn insert_identity(actor: &mut Map<String, Value>, learner: &crate::records::Learner, home_page: &str) {
    match (&learner.email, &learner.employee_id) {
        (Some(email), _) => {
            actor.insert("mbox".into(), format!("mailto:{email}").into());
        }
        (None, Some(id)) => {
            actor.insert("account".into(), json!({"homePage": home_page, "name": id}));
        }
        (None, None) => {
            actor.insert("account".into(), json!({"homePage": home_page, "name": learner.uuid}));
        }
    }
}

/// A JSON array written one element at a time.
pub struct ArrayWriter<W: std::io::Write> {
    out: W,
    written: usize,
}

impl<W: std::io::Write> ArrayWriter<W> {
    pub fn new(out: W) -> ArrayWriter<W> {
        ArrayWriter { out, written: 0 }
    }

    pub fn push(&mut self, value: &Value) -> std::io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        // Control characters from outside leave as \u escapes, never raw.
        let text = serde_json::to_string_pretty(value)?;
        self.out.write_all(crate::content::sanitize::json_text(&text).as_bytes())?;
        self.written += 1;
        Ok(())
    }

    pub fn written(&self) -> usize {
        self.written
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(duration(chrono::Duration::seconds(0)), "PT0S");
        assert_eq!(duration(chrono::Duration::seconds(-5)), "PT0S");
        assert_eq!(duration(chrono::Duration::seconds(59)), "PT59S");
        assert_eq!(duration(chrono::Duration::seconds(252)), "PT4M12S");
        assert_eq!(duration(chrono::Duration::seconds(3600)), "PT1H");
        assert_eq!(duration(chrono::Duration::seconds(3723)), "PT1H2M3S");
    }

    #[test]
    fn ids_become_safe_segments() {
        assert_eq!(segment("employee-101"), "employee-101");
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("é"), "%C3%A9");
        assert_eq!(segment(""), "-");
    }
}

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

use serde_json::{Map, Value, json};

use super::events::Event;
use crate::content::{Catalog, Module, Question, QuestionKind, placeholder, validate};
use crate::learning::quiz::TRUE_FALSE;

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

mod write;

/// Builds statements against one catalog (titles, questions, tracks).
pub struct Builder<'a> {
    catalog: &'a Catalog,
    home_page: String,
    base: String,
    tracks: HashMap<&'a str, Vec<&'a crate::content::Track>>,
    /// The result extension naming when a level expires.
    expires: String,
    parts: write::Parts<'a>,
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
        let expires = format!("{base}/pace/extensions/expires-at");
        let mut builder = Builder { catalog, home_page, base, tracks, expires, parts: write::Parts::empty() };
        builder.parts = write::Parts::new(&builder, catalog);
        Ok(builder)
    }

    pub fn statements(&self, events: &[Event]) -> Vec<Value> {
        events.iter().map(|e| self.statement(e)).collect()
    }

    /// Writes the statements as one JSON array, a statement at a time, so a
    /// large export never holds them all in memory.
    pub fn write_array<W: std::io::Write>(&self, events: &[Event], out: W) -> std::io::Result<()> {
        let mut array = StatementWriter::new(out, Layout::Array);
        for event in events {
            array.push(self, event)?;
        }
        array.finish()
    }

    /// The event's statement as a JSON value: the statement `write_statement`
    /// writes, read back, so the sync sends what the export writes.
    pub fn statement(&self, event: &Event) -> Value {
        let mut out = Vec::with_capacity(2048);
        match self.write_statement(event, &mut out) {
            Ok(()) => serde_json::from_slice(&out).unwrap_or(Value::Null),
            Err(_) => Value::Null,
        }
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
        self.expires.clone()
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

    fn lesson_activity(&self, module: &str, lesson: &str) -> Value {
        let title = self.catalog.module(module).and_then(|m| m.lesson(lesson)).map(|l| l.title.clone());
        activity(self.lesson_iri(module, lesson), TYPE_LESSON, title, None)
    }

    /// A question as an activity: a cmi.interaction when the catalog knows it.
    fn question_activity(&self, module: &str, question: &str) -> Value {
        let known =
            self.catalog.module(module).and_then(|m: &Module| m.quiz.questions.iter().find(|q| q.id == question));
        let definition = match known {
            Some(q) => self.interaction(q),
            None => json!({"type": TYPE_INTERACTION}),
        };
        json!({
            "objectType": "Activity",
            "id": self.question_iri(module, question),
            "definition": definition,
        })
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

    /// An answer's grouping: the module, then its tracks.
    fn answer_grouping(&self, module: &str) -> Vec<Value> {
        let mut grouping = vec![self.module_activity(module)];
        grouping.extend(self.track_activities(module));
        grouping
    }

    /// contextActivities with `parent` and, when there is any, `grouping`.
    fn context_activities(&self, parent: Value, grouping: Vec<Value>) -> Value {
        let mut activities = Map::new();
        activities.insert("parent".into(), Value::Array(vec![parent]));
        if !grouping.is_empty() {
            activities.insert("grouping".into(), Value::Array(grouping));
        }
        Value::Object(activities)
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

    /// A level as an activity, and the contextActivities naming the modules
    /// whose quizzes it asks for (none when it asks for none).
    fn level_parts(&self, level: &str) -> (Value, Option<Value>) {
        let known = self.catalog.curriculum.ladder.levels.iter().find(|l| l.id == level);
        let object = activity(
            self.level_iri(level),
            TYPE_OBJECTIVE,
            known.map(|l| l.title.clone()),
            known.map(|l| l.summary.clone()),
        );
        let other = known.filter(|l| !l.requires.modules.is_empty()).map(|l| {
            let modules: Vec<Value> = l.requires.modules.iter().map(|m| self.module_activity(m)).collect();
            json!({ "other": modules })
        });
        (object, other)
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

/// How statements are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One JSON array, a compact statement per line.
    Array,
    /// JSON Lines: one statement per line and nothing else, the form LRS
    /// bulk loaders read.
    Lines,
}

/// Statements written one at a time, compact, through one reused buffer.
pub struct StatementWriter<W: std::io::Write> {
    out: W,
    layout: Layout,
    buffer: Vec<u8>,
    written: usize,
}

impl<W: std::io::Write> StatementWriter<W> {
    pub fn new(out: W, layout: Layout) -> StatementWriter<W> {
        StatementWriter { out, layout, buffer: Vec::with_capacity(4096), written: 0 }
    }

    pub fn push(&mut self, builder: &Builder, event: &Event) -> std::io::Result<()> {
        self.buffer.clear();
        builder.write_statement(event, &mut self.buffer)?;
        let separator: &[u8] = match (self.layout, self.written) {
            (Layout::Array, 0) => b"[\n",
            (Layout::Array, _) => b",\n",
            (Layout::Lines, 0) => b"",
            (Layout::Lines, _) => b"\n",
        };
        self.out.write_all(separator)?;
        // Statements are ASCII outside strings; control characters from
        // outside leave as \u escapes, never raw.
        match std::str::from_utf8(&self.buffer) {
            Ok(text) => self.out.write_all(crate::content::sanitize::json_text(text).as_bytes())?,
            Err(_) => self.out.write_all(&self.buffer)?,
        }
        self.written += 1;
        Ok(())
    }

    pub fn written(&self) -> usize {
        self.written
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        let end: &[u8] = match (self.layout, self.written) {
            (Layout::Array, 0) => b"[]\n",
            (Layout::Array, _) => b"\n]\n",
            (Layout::Lines, 0) => b"",
            (Layout::Lines, _) => b"\n",
        };
        self.out.write_all(end)?;
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

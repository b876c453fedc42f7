//! The module format, version 1: the serde types authors write in JSON.
//!
//! Every struct denies unknown fields so a typo is an error with the list of
//! allowed names. Rules that serde cannot express (slug ids, counts, cross
//! references) live in `validate.rs`; nothing here knows about files.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::schema::{COUNTRY, DATE, DID_KEY, HOME_PAGE, NOT_BLANK, SLUG, VERSION, WEB_ADDRESS};
use super::text::Text;

/// The only format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// Who a module is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Executive,
    Coe,
    BusinessUnit,
    Employee,
    Partner,
}

impl Audience {
    pub const ALL: [Audience; 5] =
        [Audience::Executive, Audience::Coe, Audience::BusinessUnit, Audience::Employee, Audience::Partner];

    /// The id used in JSON and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Audience::Executive => "executive",
            Audience::Coe => "coe",
            Audience::BusinessUnit => "business-unit",
            Audience::Employee => "employee",
            Audience::Partner => "partner",
        }
    }

    /// How a learner would name their role.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Executive => "Executive",
            Audience::Coe => "Center of Excellence",
            Audience::BusinessUnit => "Business unit",
            Audience::Employee => "Employee",
            Audience::Partner => "Partner, reseller or franchisee",
        }
    }

    pub fn from_id(id: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// One module file: a unit a learner completes and is certified on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pace module", description = "One pace lesson module (format 1).")]
pub struct Module {
    /// The JSON Schema this file follows, for editors; pace ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version of this file; must be 1.
    #[schemars(extend("const" = 1))]
    pub format: u32,
    /// Slug id, unique across the curriculum: lowercase letters, digits and hyphens.
    #[schemars(pattern(SLUG))]
    pub id: String,
    /// Content version, "MAJOR.MINOR" or "MAJOR.MINOR.PATCH". A new MAJOR asks learners to retake the quiz at recertification.
    #[schemars(pattern(VERSION))]
    pub version: String,
    #[schemars(pattern(NOT_BLANK))]
    pub title: String,
    /// One or two sentences shown in the catalog.
    #[schemars(pattern(NOT_BLANK))]
    pub summary: String,
    #[schemars(length(min = 1))]
    pub audiences: Vec<Audience>,
    /// 101 (foundation), 201 (practitioner) or 301 (advanced).
    #[schemars(extend("enum" = [101, 201, 301]))]
    pub level: u16,
    /// Honest estimate for lessons and quiz together, in minutes.
    #[schemars(range(min = 1))]
    pub minutes: u32,
    /// Ids of modules to pass before this one unlocks.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// When its legal and factual content was last reviewed, "YYYY-MM-DD";
    /// shown in the catalog and preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DATE))]
    pub reviewed: Option<String>,
    #[schemars(length(min = 1))]
    pub lessons: Vec<Lesson>,
    pub quiz: Quiz,
}

impl Module {
    /// The MAJOR part of `version` (0 when unreadable; validation reports that).
    pub fn major_version(&self) -> u32 {
        major_of(&self.version).unwrap_or(0)
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
}

/// The MAJOR number of a "MAJOR.MINOR[.PATCH]" version, each part 1 to 9
/// digits (`schema::VERSION` says the same to editors).
pub fn major_of(version: &str) -> Option<u32> {
    let parts: Vec<&str> = version.split('.').collect();
    let number = |p: &&str| (1..=9).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(number) {
        return None;
    }
    parts[0].parse().ok()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Slug id, unique within the module.
    #[schemars(pattern(SLUG))]
    pub id: String,
    #[schemars(pattern(NOT_BLANK))]
    pub title: String,
    /// Markdown subset: headings, paragraphs, emphasis, lists, block quotes, code, links. A string or an array of lines.
    pub body: Text,
    #[serde(default)]
    pub callouts: Vec<Callout>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// The legal regions this lesson is for (see `Regions`); empty: everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Regions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CalloutKind {
    Tip,
    Warning,
    WhatNoOneTellsYou,
    KeyTakeaway,
}

impl CalloutKind {
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Tip => "Tip",
            CalloutKind::Warning => "Warning",
            CalloutKind::WhatNoOneTellsYou => "What no one tells you",
            CalloutKind::KeyTakeaway => "Key takeaway",
        }
    }
}

/// A boxed aside in a lesson, drawn after the body in the order given.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callout {
    pub kind: CalloutKind,
    /// Optional title; the kind's label is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: Text,
    /// The legal regions this callout is for (see `Regions`); empty: everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Regions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Replay,
    Reading,
    Template,
    Video,
    Tool,
    Book,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    #[schemars(pattern(NOT_BLANK))]
    pub title: String,
    /// An http(s) or mailto: address, or an organisation placeholder such as {{policy_url}}.
    #[schemars(pattern(WEB_ADDRESS))]
    pub url: String,
    pub kind: ResourceKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    /// Percentage needed to pass, 0-100.
    #[schemars(range(max = 100))]
    pub pass_mark: u32,
    /// How many questions each attempt draws from the pool: at least 1, at most the pool size.
    #[schemars(range(min = 1))]
    pub draw: usize,
    /// Shuffle the drawn questions and their options (never the items of an ordering question).
    #[serde(default = "yes")]
    pub shuffle: bool,
    #[schemars(length(min = 1))]
    pub questions: Vec<Question>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Exactly one correct option.
    Single,
    /// One or more correct options; the learner must pick exactly those.
    Multiple,
    /// A statement judged true or false (`answer`).
    TrueFalse,
    /// Options listed in their correct order; shown shuffled.
    Ordering,
    /// A situation to read first (`scenario`), then one correct option.
    Scenario,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = super::schema::question_rules)]
pub struct Question {
    /// Slug id, unique within the module.
    #[schemars(pattern(SLUG))]
    pub id: String,
    pub kind: QuestionKind,
    /// The situation to read first; required for kind "scenario".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Text>,
    pub prompt: Text,
    /// Choices (single, multiple, scenario) or items in correct order (ordering). Not used by true-false.
    #[serde(default)]
    pub options: Vec<Choice>,
    /// The correct answer of a true-false question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<bool>,
    /// Feedback shown when a true-false question is answered wrongly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// Why the right answer is right; shown after every answer.
    pub explanation: Text,
    /// The lesson (id in this module) to revisit when this question is missed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(SLUG))]
    pub lesson: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The legal regions this question is for (see `Regions`); empty: everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Regions,
}

/// Legal regions a piece of content applies to: ISO 3166-1 alpha-2 country
/// codes in lowercase ("us", "de"), "uk" for the United Kingdom (ISO's
/// reserved code; "gb" is refused so one country has one tag) and "eu" for
/// the European Union. A learner sees untagged content and content tagged
/// with a region of their country (`Organisation::countries`).
pub type Regions = Vec<String>;

/// Whether content tagged `regions` is shown to a learner whose country has
/// `learner` as its regions (`None`: the organisation lists no countries, so
/// nothing is filtered).
pub fn applies(regions: &[String], learner: Option<&[String]>) -> bool {
    match learner {
        None => true,
        Some(mine) => regions.is_empty() || regions.iter().any(|r| mine.contains(r)),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Slug id, unique within the question.
    #[schemars(pattern(SLUG))]
    pub id: String,
    #[schemars(pattern(NOT_BLANK))]
    pub text: String,
    /// Whether choosing this option is right (single, multiple, scenario).
    #[serde(default)]
    pub correct: bool,
    /// Shown when this option is chosen (or, for ordering, misplaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// `curriculum.json`: tracks, paths and the certification ladder.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pace curriculum", description = "Tracks, paths and the certification ladder (format 1).")]
pub struct Curriculum {
    /// The JSON Schema this file follows, for editors; pace ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version of this file; must be 1.
    #[schemars(extend("const" = 1))]
    pub format: u32,
    pub tracks: Vec<Track>,
    #[serde(default)]
    pub paths: Vec<Path>,
    #[serde(default)]
    pub ladder: Ladder,
}

/// One audience's ordered modules.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Slug id, unique among tracks.
    #[schemars(pattern(SLUG))]
    pub id: String,
    pub title: String,
    pub audience: Audience,
    #[serde(default)]
    pub summary: String,
    pub modules: Vec<String>,
}

/// A required sequence such as new-hire orientation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Path {
    /// Slug id, unique among paths.
    #[schemars(pattern(SLUG))]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Whether new hires are enrolled on it.
    #[serde(default)]
    pub new_hire: bool,
    pub modules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Days before expiry when recertification opens.
    #[serde(default = "default_window")]
    pub renewal_window_days: u32,
    pub levels: Vec<Level>,
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder { renewal_window_days: default_window(), levels: Vec::new() }
    }
}

fn default_window() -> u32 {
    30
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Slug id, unique among levels.
    #[schemars(pattern(SLUG))]
    pub id: String,
    /// 1 for the first level; each level ranks above the ones it builds on.
    pub rank: u32,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub requires: Requirements,
    /// Days a grant stays valid before the learner recertifies.
    #[schemars(range(min = 1))]
    pub valid_days: u32,
    /// Who the level is for (empty: everyone). A learner's progress shows the
    /// levels of their role, and any level they hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<Audience>,
}

impl Level {
    pub fn is_for(&self, role: Audience) -> bool {
        self.audiences.is_empty() || self.audiences.contains(&role)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Modules whose quiz must be passed.
    pub modules: Vec<String>,
    /// Minimum quiz score (percent) for each of those modules.
    #[serde(default)]
    #[schemars(range(max = 100))]
    pub min_score: u32,
    /// Level that must be held first: the id of a level of lower rank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(SLUG))]
    pub previous: Option<String>,
}

/// `organisation.json`: the facts lessons refer to through `{{placeholders}}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pace organisation profile")]
pub struct Organisation {
    /// The JSON Schema this file follows, for editors; pace ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version of this file; must be 1.
    #[schemars(extend("const" = 1))]
    pub format: u32,
    /// Company name; `{{company}}` in lessons, and on certificates.
    #[schemars(pattern(NOT_BLANK))]
    pub name: String,
    /// The organisation's http(s) home page; also the xAPI account homePage and the root of activity ids.
    #[schemars(pattern(HOME_PAGE))]
    pub home_page: String,
    /// What identifies a learner across machines besides their UUID: the
    /// welcome form asks for it (optionally), and it becomes the xAPI actor.
    #[serde(default)]
    pub learner_id: LearnerIdKind,
    /// Further placeholder values, e.g. "coe_email": "social@example.com" for `{{coe_email}}`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The countries the company works in, by ISO 3166-1 alpha-2 code in
    /// lowercase ("us", "gb", "de"), in the order the welcome form offers
    /// them (the first is the default). Empty: one country, nothing filtered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<Country>,
    /// The organisation's credential issuer, as `pace badge keygen` prints
    /// it ("did:key:z6Mk..."): `pace badge issue` signs only with that key,
    /// and `pace badge verify` accepts only credentials it signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DID_KEY))]
    pub credential_issuer: Option<String>,
    /// When set, a learner's email or employee id is written into their
    /// credentials as an Open Badges identity hash with this salt
    /// (`sha256$` of the value followed by the salt), not in the clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(NOT_BLANK))]
    pub credential_salt: Option<String>,
}

/// A country the company works in: which legal regions its learners see
/// content for, and the contacts that hold there.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code in lowercase, e.g. "de".
    #[schemars(pattern(COUNTRY))]
    pub id: String,
    /// The country's name as learners read it, e.g. "Germany".
    #[schemars(pattern(NOT_BLANK))]
    pub name: String,
    /// Legal regions whose content its learners see, e.g. ["eu", "de"].
    #[schemars(length(min = 1))]
    pub regions: Regions,
    /// Placeholder values that hold in this country (crisis_contact,
    /// privacy_contact, hr_contact, legal_contact, press_contact...), used
    /// before `fields`.
    #[serde(default)]
    pub contacts: BTreeMap<String, String>,
}

/// How an organisation identifies people: by work email, by employee id, or
/// by nothing beyond the UUID pace gives each learner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LearnerIdKind {
    Email,
    EmployeeId,
    #[default]
    None,
}

impl Organisation {
    /// The value of a placeholder key, if the profile defines it: in
    /// `fields`, else among the first (default) country's contacts.
    pub fn value(&self, key: &str) -> Option<&str> {
        match key {
            "company" => Some(&self.name),
            "home_page" => Some(&self.home_page),
            _ => self.fields.get(key).or_else(|| self.countries.first()?.contacts.get(key)).map(String::as_str),
        }
    }

    /// Whether `key` has a value for a learner in every country.
    pub fn knows(&self, key: &str) -> bool {
        match self.countries.is_empty() {
            true => self.value(key).is_some(),
            false => self.countries.iter().all(|c| self.value_in(key, Some(&c.id)).is_some()),
        }
    }

    /// The value of a placeholder key for a learner in `country`: that
    /// country's contact first, else the profile's value.
    pub fn value_in(&self, key: &str, country: Option<&str>) -> Option<&str> {
        let contact = self.country(country?).and_then(|c| c.contacts.get(key)).map(String::as_str);
        contact.or_else(|| self.value(key))
    }

    pub fn country(&self, id: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.id == id)
    }
}

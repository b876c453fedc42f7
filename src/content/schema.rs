//! The JSON Schemas of the three file kinds, generated from the serde types
//! so they cannot drift from what the loader accepts, and holding every rule
//! of `validate.rs` that JSON Schema can express: an editor then flags what
//! `pace validate` would. The rules only the validator can check (duplicate
//! ids, draw against pool size, references between files, placeholders) are
//! listed in modules/README.md.
//!
//! The patterns below are ECMA-262 regular expressions, as JSON Schema uses;
//! each mirrors a check in `validate.rs`, and tests/schema.rs keeps the two
//! in step on a set of invalid files.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::{Value, json};

use super::model::{Curriculum, Module, Organisation};

/// A slug: lowercase letters and digits in runs joined by single hyphens.
pub const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// Text with something besides white space in it.
pub const NOT_BLANK: &str = r"\S";
/// `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, each part 1 to 9 digits.
pub const VERSION: &str = r"^[0-9]{1,9}\.[0-9]{1,9}(\.[0-9]{1,9})?$";
/// A resource address: http(s) with a host, mailto: with an address, or a placeholder.
pub const WEB_ADDRESS: &str = r"^\s*(https?://[^\s/?#]|mailto:\S|\{\{)";
/// An http(s) address with a host that paths can be appended to: no query,
/// fragment, white space, quote, angle bracket, backslash or control character.
pub const HOME_PAGE: &str = r#"^\s*https?://[^\s/?#"<>\\\x00-\x1f\x7f-\x9f][^\s?#"<>\\\x00-\x1f\x7f-\x9f]*\s*$"#;

/// A calendar date, YYYY-MM-DD.
pub const DATE: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// An ISO 3166-1 alpha-2 country code in lowercase.
pub const COUNTRY: &str = "^[a-z]{2}$";
/// An Ed25519 `did:key` (base58btc multibase, `z6Mk`).
pub const DID_KEY: &str = "^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$";

/// Which file's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Module,
    Curriculum,
    Organisation,
}

impl SchemaKind {
    pub const ALL: [SchemaKind; 3] = [SchemaKind::Module, SchemaKind::Curriculum, SchemaKind::Organisation];

    /// The shipped file under `assets/`.
    pub fn asset_file(self) -> &'static str {
        match self {
            SchemaKind::Module => "module.schema.json",
            SchemaKind::Curriculum => "curriculum.schema.json",
            SchemaKind::Organisation => "organisation.schema.json",
        }
    }

    /// The schema's `$id`: a name, not an address to fetch.
    pub fn id(self) -> &'static str {
        match self {
            SchemaKind::Module => "urn:pace:schema:module:1",
            SchemaKind::Curriculum => "urn:pace:schema:curriculum:1",
            SchemaKind::Organisation => "urn:pace:schema:organisation:1",
        }
    }
}

/// The schema of one file kind.
pub fn schema(kind: SchemaKind) -> Schema {
    let generator =
        SchemaSettings::draft2020_12().with_transform(RecursiveTransform(standard_formats)).into_generator();
    let mut schema = match kind {
        SchemaKind::Module => generator.into_root_schema_for::<Module>(),
        SchemaKind::Curriculum => generator.into_root_schema_for::<Curriculum>(),
        SchemaKind::Organisation => generator.into_root_schema_for::<Organisation>(),
    };
    schema.insert("$id".into(), kind.id().into());
    schema
}

/// Pretty-printed JSON Schema, ending in a newline.
pub fn json_schema(kind: SchemaKind) -> String {
    // Schema's own serialisation puts `$schema`, `$id`, `title` first.
    let mut text = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// schemars marks integers with formats such as `uint32` that no JSON Schema
/// draft defines; editors warn about them. The bound they stand for becomes
/// a `maximum` instead.
fn standard_formats(schema: &mut Schema) {
    let Some(map) = schema.as_object_mut() else { return };
    let max: Option<u64> = match map.get("format").and_then(Value::as_str) {
        Some("uint8") => Some(u8::MAX.into()),
        Some("uint16") => Some(u16::MAX.into()),
        Some("uint32") => Some(u32::MAX.into()),
        Some("uint64" | "uint") => Some(u64::MAX),
        Some("int8" | "int16" | "int32" | "int64" | "int" | "float" | "double") => None,
        _ => return,
    };
    map.remove("format");
    if let Some(max) = max {
        map.entry("maximum").or_insert_with(|| max.into());
    }
}

/// What each question kind requires of `options`, `answer` and `feedback`
/// (`check_answers` in validate.rs), as `if kind ... then ...` rules.
pub fn question_rules(schema: &mut Schema) {
    let correct = json!({ "required": ["correct"], "properties": { "correct": { "const": true } } });
    let kind_is = |kinds: &[&str]| json!({ "required": ["kind"], "properties": { "kind": { "enum": kinds } } });
    let not_true_false = json!({
        "properties": {
            "answer": { "not": { "type": "boolean" } },
            "feedback": { "not": { "type": "string" } }
        }
    });
    let rules = json!([
        {
            "if": kind_is(&["true-false"]),
            "then": { "required": ["answer"], "properties": { "answer": { "type": "boolean" }, "options": { "maxItems": 0 } } }
        },
        {
            "if": kind_is(&["single", "scenario"]),
            "then": { "required": ["options"], "properties": { "options": {
                "minItems": 2, "contains": correct, "minContains": 1, "maxContains": 1
            } } }
        },
        {
            "if": kind_is(&["multiple"]),
            "then": { "required": ["options"], "properties": { "options": { "minItems": 2, "contains": correct } } }
        },
        {
            "if": kind_is(&["ordering"]),
            "then": { "required": ["options"], "properties": { "options": { "minItems": 2, "items": { "not": correct } } } }
        },
        { "if": kind_is(&["scenario"]), "then": { "required": ["scenario"], "properties": { "scenario": { "not": { "type": "null" } } } } },
        { "if": kind_is(&["single", "multiple", "ordering", "scenario"]), "then": not_true_false }
    ]);
    schema.insert("allOf".into(), rules);
}

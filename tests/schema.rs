//! The JSON Schemas in assets/ against `pace schema`, the draft 2020-12
//! meta-schema, the shipped curriculum, and `pace validate`: a set of
//! invalid files, each made by one edit to a valid one, checked by both
//! `pace validate` and a real JSON Schema validator (the `jsonschema` crate)
//! with the verdict expected of each. A rule only the validator can check
//! is marked so, and listed in modules/README.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use pace::content::schema::SchemaKind;
use serde_json::{Value, json};

fn pace(args: &[&str]) -> (String, String, i32) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_pace")).args(args).env_remove("PACE_MODULES").output().expect("run pace");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn kind_name(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Module => "module",
        SchemaKind::Curriculum => "curriculum",
        SchemaKind::Organisation => "organisation",
    }
}

fn shipped(kind: SchemaKind) -> Value {
    let path = Path::new("assets").join(kind.asset_file());
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file")).expect("schema json")
}

fn validator(kind: SchemaKind) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&shipped(kind))
        .unwrap_or_else(|e| panic!("{} does not compile: {e}", kind.asset_file()))
}

#[test]
fn the_shipped_schemas_are_what_pace_schema_prints() {
    for kind in SchemaKind::ALL {
        let (stdout, stderr, code) = pace(&["schema", "--kind", kind_name(kind)]);
        assert_eq!(code, 0, "{stderr}");
        let file = Path::new("assets").join(kind.asset_file());
        let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(
            stdout,
            on_disk,
            "{} is stale: run `cargo run -- schema --kind {} > {}`",
            file.display(),
            kind_name(kind),
            file.display()
        );
    }
    let (module, _, _) = pace(&["schema"]);
    assert_eq!(module, std::fs::read_to_string("assets/module.schema.json").unwrap_or_default(), "module by default");
}

#[test]
fn the_schemas_are_valid_draft_2020_12_with_an_id_and_standard_formats() {
    const STANDARD: [&str; 19] = [
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    ];
    fn formats(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(f)) = map.get("format") {
                    out.push(f.clone());
                }
                map.values().for_each(|x| formats(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| formats(x, out)),
            _ => {}
        }
    }
    for kind in SchemaKind::ALL {
        let schema = shipped(kind);
        if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("{} is not a valid draft 2020-12 schema: {e}", kind.asset_file());
        }
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(schema["$id"], kind.id());
        let mut found = Vec::new();
        formats(&schema, &mut found);
        found.retain(|f| !STANDARD.contains(&f.as_str()));
        assert!(found.is_empty(), "{} uses non-standard formats: {found:?}", kind.asset_file());
    }
}

#[test]
fn the_shipped_curriculum_follows_its_schemas() {
    let (module, curriculum, organisation) =
        (validator(SchemaKind::Module), validator(SchemaKind::Curriculum), validator(SchemaKind::Organisation));
    let mut checked = 0;
    for entry in std::fs::read_dir("modules").expect("modules") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let v = match path.file_name().and_then(|n| n.to_str()) {
            Some("curriculum.json") => &curriculum,
            Some("organisation.json") => &organisation,
            _ => &module,
        };
        let errors: Vec<String> = v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 18, "checked {checked} files");
}

/// What a checker is expected to say about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepts,
    Rejects,
}

use Verdict::{Accepts, Rejects};

/// One file made from a valid one by a few edits (JSON pointer, new value or
/// removal), with what `pace validate` and the schema must say of it.
struct Case {
    name: &'static str,
    kind: SchemaKind,
    edits: Vec<(&'static str, Option<Value>)>,
    validate: Verdict,
    schema: Verdict,
}

fn case(name: &'static str, kind: SchemaKind, edits: Vec<(&'static str, Option<Value>)>, both: Verdict) -> Case {
    Case { name, kind, edits, validate: both, schema: both }
}

/// Rejected by `pace validate` only: a rule JSON Schema cannot express.
fn validator_only(name: &'static str, kind: SchemaKind, edits: Vec<(&'static str, Option<Value>)>) -> Case {
    Case { name, kind, edits, validate: Rejects, schema: Accepts }
}

fn set(pointer: &'static str, value: Value) -> (&'static str, Option<Value>) {
    (pointer, Some(value))
}

fn remove(pointer: &'static str) -> (&'static str, Option<Value>) {
    (pointer, None)
}

fn cases() -> Vec<Case> {
    use SchemaKind::{Curriculum as C, Module as M, Organisation as O};
    vec![
        case("the sample as it is", M, vec![], Accepts),
        case("a $schema key", M, vec![set("/$schema", json!("../assets/module.schema.json"))], Accepts),
        case("a $schema that is not a string", M, vec![set("/$schema", json!(5))], Rejects),
        case("format 2", M, vec![set("/format", json!(2))], Rejects),
        case("id with capitals and spaces", M, vec![set("/id", json!("First Steps"))], Rejects),
        case("id with a double hyphen", M, vec![set("/id", json!("first--steps"))], Rejects),
        case("id ending in a hyphen", M, vec![set("/id", json!("first-"))], Rejects),
        case("version without a minor", M, vec![set("/version", json!("1"))], Rejects),
        case("version with a v", M, vec![set("/version", json!("v1.0"))], Rejects),
        case("version with a plus sign", M, vec![set("/version", json!("+1.0"))], Rejects),
        case("version with four parts", M, vec![set("/version", json!("1.0.0.1"))], Rejects),
        case("blank title", M, vec![set("/title", json!("   "))], Rejects),
        case("empty summary", M, vec![set("/summary", json!(""))], Rejects),
        case("no audiences", M, vec![set("/audiences", json!([]))], Rejects),
        case("unknown audience", M, vec![set("/audiences", json!(["everyone"]))], Rejects),
        case("level 150", M, vec![set("/level", json!(150))], Rejects),
        case("minutes 0", M, vec![set("/minutes", json!(0))], Rejects),
        case("minutes beyond a 32-bit number", M, vec![set("/minutes", json!(5_000_000_000u64))], Rejects),
        case("minutes as a string", M, vec![set("/minutes", json!("5"))], Rejects),
        case("no lessons", M, vec![set("/lessons", json!([]))], Rejects),
        case("missing title", M, vec![remove("/title")], Rejects),
        case("unknown field", M, vec![set("/colour", json!("blue"))], Rejects),
        case("lesson id not a slug", M, vec![set("/lessons/0/id", json!("Hello"))], Rejects),
        case("lesson title empty", M, vec![set("/lessons/0/title", json!(""))], Rejects),
        case("lesson body blank string", M, vec![set("/lessons/1/body", json!(" \n "))], Rejects),
        case("lesson body no lines", M, vec![set("/lessons/0/body", json!([]))], Rejects),
        case("lesson body blank lines", M, vec![set("/lessons/0/body", json!(["", "  "]))], Rejects),
        case("callout text empty", M, vec![set("/lessons/0/callouts/0/text", json!(""))], Rejects),
        case("resource title empty", M, vec![set("/lessons/0/resources/0/title", json!(""))], Rejects),
        case(
            "resource javascript: url",
            M,
            vec![set("/lessons/0/resources/0/url", json!("javascript:alert(1)"))],
            Rejects,
        ),
        case("resource url with no host", M, vec![set("/lessons/0/resources/0/url", json!("https://"))], Rejects),
        case(
            "resource url without a scheme",
            M,
            vec![set("/lessons/0/resources/0/url", json!("example.com"))],
            Rejects,
        ),
        case(
            "resource mailto: url",
            M,
            vec![set("/lessons/0/resources/0/url", json!("mailto:social@example.com"))],
            Accepts,
        ),
        case("pass_mark 101", M, vec![set("/quiz/pass_mark", json!(101))], Rejects),
        case("draw 0", M, vec![set("/quiz/draw", json!(0))], Rejects),
        case("no questions", M, vec![set("/quiz/questions", json!([]))], Rejects),
        case("question id not a slug", M, vec![set("/quiz/questions/0/id", json!("pick_one"))], Rejects),
        case("prompt empty", M, vec![set("/quiz/questions/0/prompt", json!(""))], Rejects),
        case("explanation no lines", M, vec![set("/quiz/questions/0/explanation", json!([]))], Rejects),
        case("question lesson not a slug", M, vec![set("/quiz/questions/0/lesson", json!("Hello!"))], Rejects),
        case(
            "single with no correct option",
            M,
            vec![set("/quiz/questions/0/options/0/correct", json!(false))],
            Rejects,
        ),
        case(
            "single with two correct options",
            M,
            vec![set("/quiz/questions/0/options/1/correct", json!(true))],
            Rejects,
        ),
        case("single with one option", M, vec![remove("/quiz/questions/0/options/1")], Rejects),
        case("single without options", M, vec![remove("/quiz/questions/0/options")], Rejects),
        case(
            "multiple with two correct options",
            M,
            vec![
                set("/quiz/questions/0/kind", json!("multiple")),
                set("/quiz/questions/0/options/1/correct", json!(true)),
            ],
            Accepts,
        ),
        case(
            "multiple with no correct option",
            M,
            vec![
                set("/quiz/questions/0/kind", json!("multiple")),
                set("/quiz/questions/0/options/0/correct", json!(false)),
            ],
            Rejects,
        ),
        case("ordering with a correct flag", M, vec![set("/quiz/questions/0/kind", json!("ordering"))], Rejects),
        case(
            "ordering without correct flags",
            M,
            vec![
                set("/quiz/questions/0/kind", json!("ordering")),
                set("/quiz/questions/0/options/0/correct", json!(false)),
            ],
            Accepts,
        ),
        case("scenario without its scenario", M, vec![set("/quiz/questions/0/kind", json!("scenario"))], Rejects),
        case(
            "scenario with its scenario",
            M,
            vec![
                set("/quiz/questions/0/kind", json!("scenario")),
                set("/quiz/questions/0/scenario", json!("A friend asks.")),
            ],
            Accepts,
        ),
        case(
            "scenario text blank",
            M,
            vec![set("/quiz/questions/0/kind", json!("scenario")), set("/quiz/questions/0/scenario", json!(["  "]))],
            Rejects,
        ),
        case("answer on a single question", M, vec![set("/quiz/questions/0/answer", json!(true))], Rejects),
        case("feedback on a single question", M, vec![set("/quiz/questions/0/feedback", json!("No."))], Rejects),
        case("true-false without an answer", M, vec![remove("/quiz/questions/1/answer")], Rejects),
        case("true-false with a null answer", M, vec![set("/quiz/questions/1/answer", Value::Null)], Rejects),
        case(
            "true-false with options",
            M,
            vec![set("/quiz/questions/1/options", json!([{ "id": "yes", "text": "Yes", "correct": true }]))],
            Rejects,
        ),
        case("option id not a slug", M, vec![set("/quiz/questions/0/options/0/id", json!("Right"))], Rejects),
        case("option text empty", M, vec![set("/quiz/questions/0/options/0/text", json!(" "))], Rejects),
        case("unknown question kind", M, vec![set("/quiz/questions/0/kind", json!("essay"))], Rejects),
        validator_only("duplicate lesson id", M, vec![set("/lessons/1/id", json!("hello"))]),
        validator_only("duplicate question id", M, vec![set("/quiz/questions/1/id", json!("pick-one"))]),
        validator_only("duplicate option id", M, vec![set("/quiz/questions/0/options/1/id", json!("right"))]),
        validator_only("draw larger than the pool", M, vec![set("/quiz/draw", json!(3))]),
        validator_only("question names an unknown lesson", M, vec![set("/quiz/questions/0/lesson", json!("nowhere"))]),
        validator_only(
            "module is its own prerequisite",
            M,
            vec![set("/prerequisites", json!(["sample-101-first-steps"]))],
        ),
        validator_only("unknown placeholder", M, vec![set("/lessons/1/body", json!("Ask {{nobody}}."))]),
        validator_only(
            "placeholder url filled with a chat channel",
            M,
            vec![set("/lessons/0/resources/0/url", json!("{{coe_chat}}"))],
        ),
        // The curriculum: a small valid one that names no modules, so it
        // validates on its own.
        case("the curriculum as it is", C, vec![], Accepts),
        case(
            "a $schema key in the curriculum",
            C,
            vec![set("/$schema", json!("../assets/curriculum.schema.json"))],
            Accepts,
        ),
        case("curriculum format 2", C, vec![set("/format", json!(2))], Rejects),
        case("track id not a slug", C, vec![set("/tracks/0/id", json!("Employees"))], Rejects),
        case("path id not a slug", C, vec![set("/paths/0/id", json!("new hires"))], Rejects),
        case("level id not a slug", C, vec![set("/ladder/levels/0/id", json!("Social Ready"))], Rejects),
        case("valid_days 0", C, vec![set("/ladder/levels/0/valid_days", json!(0))], Rejects),
        case("min_score 101", C, vec![set("/ladder/levels/0/requires/min_score", json!(101))], Rejects),
        case("previous not a slug", C, vec![set("/ladder/levels/1/requires/previous", json!("Social Ready"))], Rejects),
        validator_only("duplicate track id", C, vec![set("/tracks/1/id", json!("employees"))]),
        validator_only("track names an unknown module", C, vec![set("/tracks/0/modules", json!(["nowhere-101"]))]),
        validator_only("duplicate rank", C, vec![set("/ladder/levels/1/rank", json!(1))]),
        validator_only(
            "previous of a higher rank",
            C,
            vec![set("/ladder/levels/0/requires/previous", json!("practitioner"))],
        ),
        validator_only(
            "previous names an unknown level",
            C,
            vec![set("/ladder/levels/1/requires/previous", json!("nowhere"))],
        ),
        // The organisation profile.
        case("the organisation as it is", O, vec![], Accepts),
        case(
            "a $schema key in the organisation",
            O,
            vec![set("/$schema", json!("../assets/organisation.schema.json"))],
            Accepts,
        ),
        case("learner ids by email", O, vec![set("/learner_id", json!("email"))], Accepts),
        case("learner ids by employee id", O, vec![set("/learner_id", json!("employee-id"))], Accepts),
        case("learner ids by phone", O, vec![set("/learner_id", json!("phone"))], Rejects),
        case("organisation format 2", O, vec![set("/format", json!(2))], Rejects),
        case("home_page without a scheme", O, vec![set("/home_page", json!("example.com"))], Rejects),
        case("home_page with no host", O, vec![set("/home_page", json!("https://"))], Rejects),
        case("home_page with a query", O, vec![set("/home_page", json!("https://example.com/?a=b"))], Rejects),
        case("home_page with a space", O, vec![set("/home_page", json!("https://exa mple.com"))], Rejects),
        case("home_page ftp", O, vec![set("/home_page", json!("ftp://example.com"))], Rejects),
        case("home_page with a path", O, vec![set("/home_page", json!(" https://intranet.local/learning/ "))], Accepts),
        case("organisation name blank", O, vec![set("/name", json!(" "))], Rejects),
        case("organisation field not a string", O, vec![set("/fields/coe_email", json!(5))], Rejects),
    ]
}

fn base(kind: SchemaKind) -> Value {
    match kind {
        SchemaKind::Module => serde_json::from_str(
            &std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample"),
        )
        .expect("sample json"),
        SchemaKind::Curriculum => json!({
            "format": 1,
            "tracks": [
                { "id": "employees", "title": "Employees", "audience": "employee", "modules": [] },
                { "id": "partners", "title": "Partners", "audience": "partner", "modules": [] }
            ],
            "paths": [{ "id": "new-hires", "title": "New hires", "new_hire": true, "modules": [] }],
            "ladder": { "levels": [
                { "id": "social-ready", "rank": 1, "title": "Social Ready", "valid_days": 365,
                  "requires": { "modules": [], "min_score": 75 } },
                { "id": "practitioner", "rank": 2, "title": "Practitioner", "valid_days": 365,
                  "requires": { "modules": [], "previous": "social-ready" } }
            ] }
        }),
        SchemaKind::Organisation => json!({
            "format": 1,
            "name": "Acme",
            "home_page": "https://acme.test",
            "fields": { "coe_email": "hub@acme.test" }
        }),
    }
}

fn apply(value: &mut Value, pointer: &str, new: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let parent = value.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} to edit"));
    match (parent, new) {
        (Value::Object(map), Some(v)) => {
            map.insert(key.to_string(), v);
        }
        (Value::Object(map), None) => {
            map.remove(key).unwrap_or_else(|| panic!("no {pointer} to remove"));
        }
        (Value::Array(items), new) => {
            let i: usize = key.parse().expect("index");
            match new {
                Some(v) => items[i] = v,
                None => {
                    items.remove(i);
                }
            }
        }
        _ => panic!("{pointer} is inside a scalar"),
    }
}

#[test]
fn the_schema_and_the_validator_agree_on_each_file() {
    let validators = SchemaKind::ALL.map(|k| (k, validator(k)));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut disagreements = Vec::new();
    for (n, c) in cases().into_iter().enumerate() {
        let mut value = base(c.kind);
        for (pointer, new) in c.edits.clone() {
            apply(&mut value, pointer, new);
        }
        // A folder per case: the loader knows a file's kind by its name.
        let folder = dir.path().join(format!("case-{n}"));
        std::fs::create_dir(&folder).expect("mkdir");
        let file = match c.kind {
            SchemaKind::Module => "sample.json",
            SchemaKind::Curriculum => "curriculum.json",
            SchemaKind::Organisation => "organisation.json",
        };
        std::fs::write(folder.join(file), serde_json::to_string_pretty(&value).expect("json")).expect("write");
        let target = if c.kind == SchemaKind::Module { folder.join(file) } else { folder.clone() };
        let (stdout, stderr, code) = pace(&["validate", &target.to_string_lossy()]);
        let said_by_validate = match code {
            0 => Accepts,
            1 => Rejects,
            _ => panic!("{}: pace validate exited {code}: {stderr}", c.name),
        };
        let schema = &validators.iter().find(|(k, _)| *k == c.kind).expect("validator").1;
        let said_by_schema = if schema.is_valid(&value) { Accepts } else { Rejects };
        if said_by_validate != c.validate || said_by_schema != c.schema {
            let errors: Vec<String> = schema.iter_errors(&value).map(|e| format!("{e}")).collect();
            disagreements.push(format!(
                "{}: pace validate {said_by_validate:?} (want {:?}), schema {said_by_schema:?} (want {:?})\n{stdout}schema: {errors:?}",
                c.name, c.validate, c.schema
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}

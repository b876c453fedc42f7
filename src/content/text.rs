//! `Text`: prose that authors may write as one string or as an array of lines.
//!
//! JSON has no multi-line strings, so long lesson bodies read far better as
//! `["line", "", "line"]`. Both forms mean the same text (lines joined by `\n`).

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(s.to_string())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings (lines)")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                // Lines borrowed from the file where they can be, then one
                // string of the exact length: a body grown line by line
                // was copied again at every doubling.
                let mut lines: Vec<Cow<'de, str>> = Vec::with_capacity(16);
                while let Some(line) = seq.next_element::<Cow<'de, str>>()? {
                    lines.push(line);
                }
                Ok(Text(lines.join("\n")))
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Every text field is shown to learners, so none may be blank.
        let not_blank = super::schema::NOT_BLANK;
        json_schema!({
            "description": "Text: one string, or an array of strings joined with line breaks; not blank.",
            "anyOf": [
                { "type": "string", "pattern": not_blank },
                { "type": "array", "items": { "type": "string" }, "contains": { "pattern": not_blank } }
            ]
        })
    }
}

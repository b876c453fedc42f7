//! The JSON Schema of the module format, generated from the serde types so
//! it cannot drift from what the loader accepts.

use super::model::{Curriculum, Module, Organisation};

/// Which file's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    Module,
    Curriculum,
    Organisation,
}

/// Pretty-printed JSON Schema, ending in a newline.
pub fn json_schema(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Module => schemars::schema_for!(Module),
        SchemaKind::Curriculum => schemars::schema_for!(Curriculum),
        SchemaKind::Organisation => schemars::schema_for!(Organisation),
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

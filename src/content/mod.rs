//! Content: the module format, its loader and validator, and its JSON Schema.
//!
//! Nothing here touches the terminal or the records file.

mod curriculum_file;
mod cycles;
mod json_errors;
pub mod load;
pub mod locate;
pub mod model;
mod outline;
mod parse;
pub mod patterns;
pub mod placeholder;
pub mod problem;
pub mod read;
mod regions;
pub mod sanitize;
pub mod scan;
pub mod schema;
pub mod text;
pub mod validate;

pub use load::{Catalog, Scope, SourceFile, embedded, load_sources, shipped};
pub use model::*;
pub use outline::shipped_outline;
pub use problem::{Problem, Severity};
pub use read::{LoadError, load_paths};
pub use text::Text;

//! RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document: JSON-LD
//! expansion to RDF (sophia_jsonld over the `json-ld` crate) with a document
//! loader that serves only the contexts pace embeds, then RDFC-1.0
//! (sophia_c14n) to canonical N-Quads. Nothing here knows the shape of a
//! credential: any JSON-LD document over the embedded contexts canonicalises
//! the same way, which is what lets another implementation check pace's
//! signatures and pace check theirs.
//!
//! No network: a context that is not embedded is an error naming it.

use std::collections::HashSet;

use sophia_api::prelude::QuadParser;
use sophia_api::quad::Spog;
use sophia_api::source::QuadSource;
use sophia_api::term::SimpleTerm;
use sophia_iri::Iri;
use sophia_jsonld::loader::{ClosureLoader, FutureExt};
use sophia_jsonld::{JsonLdOptions, JsonLdParser, Policy};

/// The W3C Verifiable Credentials Data Model 2.0 context.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context.
pub const OB_V3P0_3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// Every context pace can read, by its URL: served from the binary, never fetched.
pub const CONTEXTS: [(&str, &str); 2] = [
    (CREDENTIALS_V2, include_str!("../../assets/contexts/credentials-v2.jsonld")),
    (OB_V3P0_3_0_3, include_str!("../../assets/contexts/ob-v3p0-3.0.3.jsonld")),
];

/// The embedded copy of a context, if pace has one.
pub fn embedded_context(url: &str) -> Option<&'static str> {
    CONTEXTS.iter().find(|(u, _)| *u == url).map(|(_, text)| *text)
}

/// Why a document could not be canonicalised.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    #[error("it is not JSON-LD pace can read: {0}")]
    JsonLd(String),
    #[error("its RDF cannot be canonicalised: {0}")]
    Canon(String),
}

/// The canonical N-Quads (RDFC-1.0, SHA-256) of a JSON-LD document.
///
/// Terms a context does not define are errors (the strictest expansion
/// policy), so nothing in a signed document can be silently left out of
/// what the signature covers.
pub fn canonical_nquads(document: &serde_json::Value) -> Result<String, CanonError> {
    let text = document.to_string();
    let options = JsonLdOptions::new()
        .with_expansion_policy(Policy::Strictest)
        .with_document_loader_closure(|| {
            ClosureLoader::new(|url: Iri<String>| {
                let url = url.as_str().to_string();
                async move {
                    embedded_context(&url).map(str::to_string).ok_or_else(|| {
                        format!(
                            "the context {url} is not one pace embeds (pace reads only {CREDENTIALS_V2} and {OB_V3P0_3_0_3}, and fetches nothing)"
                        )
                    })
                }
                .boxed()
            })
        });
    let parser = JsonLdParser::new_with_options(options);
    let dataset: HashSet<Spog<SimpleTerm<'static>>> =
        parser.parse_str(&text).collect_quads().map_err(|e| CanonError::JsonLd(e.to_string()))?;
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut out).map_err(|e| CanonError::Canon(e.to_string()))?;
    String::from_utf8(out).map_err(|e| CanonError::Canon(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_nodes_are_labelled_canonically_whatever_the_input_order() {
        let a = serde_json::json!({
            "@context": {"@vocab": "https://example.com/v#"},
            "knows": [{"name": "B"}, {"name": "A"}]
        });
        let b = serde_json::json!({
            "@context": {"@vocab": "https://example.com/v#"},
            "knows": [{"name": "A"}, {"name": "B"}]
        });
        let (a, b) = (canonical_nquads(&a).unwrap(), canonical_nquads(&b).unwrap());
        assert_eq!(a, b);
        assert!(a.contains("_:c14n0") && a.contains("\"A\""), "{a}");
    }

    #[test]
    fn a_context_that_is_not_embedded_is_refused_without_a_request() {
        let doc = serde_json::json!({"@context": "https://example.com/ctx.json", "name": "x"});
        let err = canonical_nquads(&doc).unwrap_err().to_string();
        assert!(err.contains("https://example.com/ctx.json") && err.contains("fetches nothing"), "{err}");
    }

    #[test]
    fn an_undefined_term_is_an_error_not_a_silent_drop() {
        let doc = serde_json::json!({"@context": {"name": "https://example.com/name"}, "nmae": "x"});
        assert!(canonical_nquads(&doc).is_err());
    }
}

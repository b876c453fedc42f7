//! Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C Data
//! Integrity EdDSA Cryptosuites v1.0, section 3.3): the proof configuration
//! and the document without its proof are each canonicalised (RDFC-1.0) and
//! hashed with SHA-256, and the two hashes, configuration first, are signed
//! with Ed25519. `proof` is written as an array, as the Open Badges 3.0
//! JSON Schema requires; a single proof object is read too.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::canon::{CanonError, canonical_nquads};
use super::key::{self, SigningKey};

pub const PROOF_TYPE: &str = "DataIntegrityProof";
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
pub const PURPOSE: &str = "assertionMethod";

#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("it has no proof: it was never signed, or its signature was removed")]
    Missing,
    #[error("it has {0} proofs; pace checks credentials signed once")]
    Several(usize),
    #[error("its proof is not usable: {0}")]
    Unusable(String),
    #[error("{0}")]
    Canon(#[from] CanonError),
    #[error(
        "its signature does not match its content: the credential was changed after it was signed (or signed by another key than its proof names)"
    )]
    Mismatch,
}

/// `document` (which must carry no proof) with a proof by `key` made at `created`.
pub fn sign(document: &Value, key: &SigningKey, created: DateTime<Utc>) -> Result<Value, ProofError> {
    let Value::Object(fields) = document else {
        return Err(ProofError::Unusable("the document is not a JSON object".into()));
    };
    let mut options = Map::new();
    options.insert("type".into(), PROOF_TYPE.into());
    options.insert("cryptosuite".into(), CRYPTOSUITE.into());
    options.insert("created".into(), crate::records::stamp(created).into());
    options.insert("verificationMethod".into(), key.verification_method().into());
    options.insert("proofPurpose".into(), PURPOSE.into());
    let hash = hash_data(fields, &options)?;
    let signature = key.sign(&hash);
    options.insert("proofValue".into(), format!("z{}", key::base58_encode(&signature)).into());
    let mut signed = fields.clone();
    signed.insert("proof".into(), json!([Value::Object(options)]));
    Ok(Value::Object(signed))
}

/// What a proof that checks out says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedProof {
    /// The did:key whose key made the signature.
    pub signer: String,
    pub created: Option<String>,
}

/// Checks the one `eddsa-rdfc-2022` proof of `document` against the
/// did:key its verification method names.
pub fn check(document: &Value) -> Result<CheckedProof, ProofError> {
    let Value::Object(fields) = document else {
        return Err(ProofError::Unusable("the document is not a JSON object".into()));
    };
    let proof = match fields.get("proof") {
        None => return Err(ProofError::Missing),
        Some(Value::Array(proofs)) if proofs.len() == 1 => &proofs[0],
        Some(Value::Array(proofs)) if proofs.is_empty() => return Err(ProofError::Missing),
        Some(Value::Array(proofs)) => return Err(ProofError::Several(proofs.len())),
        Some(one) => one,
    };
    let Value::Object(proof) = proof else {
        return Err(ProofError::Unusable("the proof is not a JSON object".into()));
    };
    let text = |name: &str| proof.get(name).and_then(Value::as_str);
    let unusable = |what: String| Err(ProofError::Unusable(what));
    if text("type") != Some(PROOF_TYPE) || text("cryptosuite") != Some(CRYPTOSUITE) {
        return unusable(format!(
            "pace checks {PROOF_TYPE} proofs with the {CRYPTOSUITE} cryptosuite; this one is {} / {}",
            text("type").unwrap_or("untyped"),
            text("cryptosuite").unwrap_or("no cryptosuite")
        ));
    }
    if text("proofPurpose") != Some(PURPOSE) {
        return unusable(format!("its purpose is {:?}, not {PURPOSE}", text("proofPurpose").unwrap_or("none")));
    }
    let Some(method) = text("verificationMethod") else { return unusable("it names no verification method".into()) };
    let Some(public) = key::public_key_of(method) else {
        return unusable(format!("its verification method {method} is not an Ed25519 did:key"));
    };
    let signature =
        text("proofValue").and_then(|v| v.strip_prefix('z')).and_then(key::base58_decode).filter(|s| s.len() == 64);
    let Some(signature) = signature else {
        return unusable("its proofValue is not a base58btc Ed25519 signature".into());
    };
    let mut options = proof.clone();
    options.remove("proofValue");
    let mut unsecured = fields.clone();
    unsecured.remove("proof");
    let hash = hash_data(&unsecured, &options)?;
    if !key::verify_signature(&public, &hash, &signature) {
        return Err(ProofError::Mismatch);
    }
    let signer = method.split('#').next().unwrap_or(method).to_string();
    Ok(CheckedProof { signer, created: text("created").map(str::to_string) })
}

/// The DID the (first) proof's verification method belongs to, if it names one.
pub fn signer(document: &Value) -> Option<String> {
    let proof = document.get("proof")?;
    let proof = proof.as_array().map_or(Some(proof), |a| a.first())?;
    let method = proof.get("verificationMethod")?.as_str()?;
    Some(method.split('#').next().unwrap_or(method).to_string())
}

/// SHA-256 of the canonical proof configuration (the options with the
/// document's `@context`), then SHA-256 of the canonical document.
fn hash_data(document: &Map<String, Value>, options: &Map<String, Value>) -> Result<Vec<u8>, ProofError> {
    let mut config = options.clone();
    if let Some(context) = document.get("@context") {
        config.insert("@context".into(), context.clone());
    }
    let config = canonical_nquads(&Value::Object(config))?;
    let document = canonical_nquads(&Value::Object(document.clone()))?;
    let mut out = Sha256::digest(config.as_bytes()).to_vec();
    out.extend_from_slice(&Sha256::digest(document.as_bytes()));
    Ok(out)
}

//! Checking a credential as anyone holding it would: the proof (the content
//! is what the key signed), the signer (the issuer the credential names, and
//! the one the organisation pins), and the dates against now.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::proof::{self, ProofError};
use crate::content::sanitize::one_line;
use crate::export::certificate::long_date;
use crate::records::parse_stamp;

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("it is not JSON: {0}")]
    NotJson(String),
    #[error("it is not an Open Badges credential: {0}")]
    NotCredential(String),
    #[error("{0}")]
    Proof(#[from] ProofError),
    #[error("it names {issuer} as its issuer but was signed by {signer}")]
    SignerIsNotIssuer { issuer: String, signer: String },
    #[error("it was issued by {issuer}, not by {expected}, the issuer {source_of_pin}")]
    NotThePinnedIssuer { issuer: String, expected: String, source_of_pin: &'static str },
    #[error("it expired on {} ({at}); the learner recertifies to get a new one", long_date(*.at))]
    Expired { at: DateTime<Utc> },
    #[error("it is not valid before {} ({at})", long_date(*.at))]
    NotYetValid { at: DateTime<Utc> },
    #[error("its {field} {value:?} is not a date and time (RFC 3339)")]
    BadDate { field: &'static str, value: String },
}

/// Whom the verifier trusts: the issuer given on the command line, the one
/// organisation.json pins, or none (the proof is then checked against the
/// key the credential names, and the caller says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected<'a> {
    Given(&'a str),
    Pinned(&'a str),
    Nobody,
}

/// A credential that checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub issuer: String,
    /// What it attests, in one sentence.
    pub summary: String,
    pub valid_until: Option<DateTime<Utc>>,
}

pub fn verify(text: &str, expected: Expected, now: DateTime<Utc>) -> Result<Verified, VerifyError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| VerifyError::NotJson(e.to_string()))?;
    let not = |why: &str| VerifyError::NotCredential(why.to_string());
    let types = doc.get("type").map(strings).unwrap_or_default();
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err(not("its type does not include VerifiableCredential"));
    }
    if !types.iter().any(|t| t == "OpenBadgeCredential" || t == "AchievementCredential") {
        return Err(not("its type includes neither OpenBadgeCredential nor AchievementCredential"));
    }
    let issuer_field = doc.get("issuer").ok_or_else(|| not("it names no issuer"))?;
    let issuer = issuer_field.as_str().or_else(|| issuer_field.get("id").and_then(Value::as_str));
    let issuer = issuer.ok_or_else(|| not("its issuer has no id"))?.to_string();
    // Who signed, before checking the signature: a credential naming one
    // issuer and signed by another is refused for that, whatever its content.
    if let Some(signer) = proof::signer(&doc)
        && signer != issuer
    {
        return Err(VerifyError::SignerIsNotIssuer { issuer: one_line(&issuer), signer: one_line(&signer) });
    }
    let checked = proof::check(&doc)?;
    if checked.signer != issuer {
        return Err(VerifyError::SignerIsNotIssuer { issuer: one_line(&issuer), signer: one_line(&checked.signer) });
    }
    let pinned = match expected {
        Expected::Given(d) => Some((d, "given with --issuer")),
        Expected::Pinned(d) => Some((d, "organisation.json pins as credential_issuer")),
        Expected::Nobody => None,
    };
    if let Some((d, source_of_pin)) = pinned
        && d != issuer
    {
        return Err(VerifyError::NotThePinnedIssuer {
            issuer: one_line(&issuer),
            expected: one_line(d),
            source_of_pin,
        });
    }
    let date = |field: &'static str| -> Result<Option<DateTime<Utc>>, VerifyError> {
        match doc.get(field) {
            None => Ok(None),
            Some(v) => {
                let s = v.as_str().unwrap_or_default();
                parse_stamp(s).map(Some).ok_or_else(|| VerifyError::BadDate { field, value: one_line(s) })
            }
        }
    };
    let valid_from = date("validFrom")?;
    let valid_until = date("validUntil")?;
    if let Some(at) = valid_from.filter(|t| now < *t) {
        return Err(VerifyError::NotYetValid { at });
    }
    if let Some(at) = valid_until.filter(|t| now >= *t) {
        return Err(VerifyError::Expired { at });
    }
    let summary = summary(&doc, &issuer, valid_from, valid_until);
    Ok(Verified { issuer, summary, valid_until })
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// "It attests that Ana Ruiz (ana@example.com) holds Social Ready, issued by
/// Example Corp (did:key:...), valid from 2 March 2026 until 2 March 2027."
fn summary(doc: &Value, issuer: &str, from: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> String {
    let subject = doc.get("credentialSubject");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(one_line).filter(|s| !s.is_empty());
    let ids: Vec<&Value> = subject
        .and_then(|s| s.get("identifier"))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let of_kind = |kind: &str| ids.iter().find(|i| i.get("identityType").and_then(Value::as_str) == Some(kind));
    let shown = |i: &&Value| match i.get("hashed").and_then(Value::as_bool) {
        Some(true) => Some("hashed".to_string()),
        _ => text(i.get("identityHash")),
    };
    let name = of_kind("name").and_then(shown);
    let company = of_kind("emailAddress")
        .map(|i| (i, "email"))
        .or_else(|| of_kind("ext:employeeId").map(|i| (i, "employee id")))
        .and_then(|(i, label)| shown(i).map(|v| if v == "hashed" { format!("{label} hashed") } else { v }));
    let who = match (name, company, text(subject.and_then(|s| s.get("id")))) {
        (Some(n), Some(c), _) => format!("{n} ({c})"),
        (Some(n), None, Some(id)) => format!("{n} ({id})"),
        (Some(n), None, None) => n,
        (None, Some(c), _) => c,
        (None, None, Some(id)) => id,
        (None, None, None) => "its subject".into(),
    };
    let achievement = subject.and_then(|s| s.get("achievement"));
    let what = text(achievement.and_then(|a| a.get("name"))).unwrap_or_else(|| "an achievement".into());
    let issuer_name = text(doc.get("issuer").and_then(|i| i.get("name")));
    let by = match issuer_name {
        Some(n) => format!("{n} ({})", one_line(issuer)),
        None => one_line(issuer),
    };
    let dates = match (from, until) {
        (Some(f), Some(u)) => format!(", valid from {} until {}", long_date(f), long_date(u)),
        (Some(f), None) => format!(", valid from {}", long_date(f)),
        (None, Some(u)) => format!(", valid until {}", long_date(u)),
        (None, None) => String::new(),
    };
    format!("It attests that {who} holds {what}, issued by {by}{dates}.")
}

//! Certificates for a held certification level: the facts (learner,
//! organisation, level, dates, the module passes behind the grant), a
//! verification code derived from those facts, and two renderings: plain
//! text for the terminal and a standalone printable HTML page.
//!
//! The code is a checksum of the grant as the records file holds it, not a
//! secret: anyone with the file can recompute it. It lets a reader of a
//! printed certificate check it against the records it claims to come from,
//! and shows when the printed facts were altered.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::content::sanitize::one_line;
use crate::content::{Catalog, Level};
use crate::learning::ladder::{self, Status};
use crate::records::{Grant, Learner, Records, RecordsError};

pub use super::certificate_page::{CredentialLink, NAME_CHARS, escape_html, render_html, render_text};

/// Crockford's base 32: no I, L, O or U, so a code read aloud or retyped
/// from paper is not mistaken for another.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Changing it changes every code; only with a new canonical form.
const CANONICAL_TAG: &str = "pace-certificate-1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub learner: String,
    pub organisation: String,
    pub level_id: String,
    pub level_title: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The passes that earned the grant, in the order the grant lists them.
    pub modules: Vec<EarnedModule>,
    /// `PACE-XXXX-XXXX-XXXX`.
    pub code: String,
    /// The grant's UUID: the id of the Open Badges credential for it.
    pub grant_uuid: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarnedModule {
    pub id: String,
    /// The module's title in the curriculum in use, or its id when it is not loaded.
    pub title: String,
    /// Percent.
    pub score: u32,
    pub passed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("{learner} holds no certification level yet. {hint}")]
    NoLevel { learner: String, hint: String },
    #[error("{learner} does not hold {level}. {hint}")]
    NotHeld { learner: String, level: String, hint: String },
    #[error("there is no level \"{level}\" in the curriculum in use; its levels are: {known}")]
    UnknownLevel { level: String, known: String },
    #[error(
        "the grant of {level} refers to quiz attempt {attempt}, which the records file does not hold as a scored attempt; `pace doctor` checks the file"
    )]
    BrokenGrant { level: String, attempt: i64 },
    #[error(transparent)]
    Records(#[from] RecordsError),
}

impl CertificateError {
    /// Whether the learner asked for something the curriculum does not have
    /// (a usage mistake) rather than something the records do not hold.
    pub fn is_usage(&self) -> bool {
        matches!(self, CertificateError::UnknownLevel { .. })
    }
}

/// The certificate for `level` (default: the learner's highest held level),
/// from its latest grant. Fails when the level is not held at `now`.
pub fn issue(
    records: &Records,
    catalog: &Catalog,
    learner: &Learner,
    level: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Certificate, CertificateError> {
    let ladder = &catalog.curriculum.ladder;
    let grants = records.grants(learner.id)?;
    let status = |l: &Level| ladder::status(&l.id, &grants, ladder.renewal_window_days, now);
    let name = one_line(&learner.name);
    let chosen = match level {
        Some(id) => {
            let Some(l) = ladder.levels.iter().find(|l| l.id == id) else {
                let known = ladder.levels.iter().map(|l| l.id.as_str()).collect::<Vec<_>>().join(", ");
                return Err(CertificateError::UnknownLevel {
                    level: crate::content::sanitize::escape(id).into_owned(),
                    known: if known.is_empty() { "none".into() } else { known },
                });
            };
            if !status(l).is_held() {
                let previous_held = l
                    .requires
                    .previous
                    .as_deref()
                    .is_none_or(|p| ladder.levels.iter().find(|x| x.id == p).is_some_and(|x| status(x).is_held()));
                return Err(CertificateError::NotHeld {
                    learner: name,
                    level: format!("{} ({})", l.title, l.id),
                    hint: not_held_hint(catalog, l, status(l), previous_held),
                });
            }
            l
        }
        None => match ladder.levels.iter().filter(|l| status(l).is_held()).max_by_key(|l| l.rank) {
            Some(l) => l,
            None => return Err(CertificateError::NoLevel { learner: name, hint: no_level_hint(catalog, &grants) }),
        },
    };
    let grant =
        grants.iter().filter(|g| g.level_id == chosen.id).max_by_key(|g| (g.granted_at, g.id)).ok_or_else(|| {
            CertificateError::NotHeld {
                learner: one_line(&learner.name),
                level: chosen.title.clone(),
                hint: String::new(),
            }
        })?;
    from_grant(records, catalog, &learner.name, grant)
}

/// What earning `level` takes; the previous level is named only when it is
/// not held already.
fn requirement_list(catalog: &Catalog, level: &Level, previous_held: bool) -> String {
    let titles: Vec<String> = level
        .requires
        .modules
        .iter()
        .map(|m| catalog.module(m).map_or_else(|| m.clone(), |m| format!("\"{}\"", m.title)))
        .collect();
    let first = level.requires.previous.as_deref().filter(|_| !previous_held).map(|p| {
        let title = catalog.curriculum.ladder.levels.iter().find(|l| l.id == p).map_or(p, |l| l.title.as_str());
        format!("hold {title} and ")
    });
    format!(
        "{}pass the quizzes of {} with {}% or more",
        first.unwrap_or_default(),
        titles.join(", "),
        level.requires.min_score
    )
}

fn not_held_hint(catalog: &Catalog, level: &Level, status: Status, previous_held: bool) -> String {
    match status {
        Status::Expired { expired_at } => format!(
            "It expired on {}; to recertify, {}.",
            long_date(expired_at),
            requirement_list(catalog, level, previous_held)
        ),
        _ => format!(
            "To earn it, {}; `pace progress` shows what remains.",
            requirement_list(catalog, level, previous_held)
        ),
    }
}

fn no_level_hint(catalog: &Catalog, grants: &[Grant]) -> String {
    let ladder = &catalog.curriculum.ladder;
    if let Some(last) = grants.iter().max_by_key(|g| (g.expires_at, g.id)) {
        let title = ladder.levels.iter().find(|l| l.id == last.level_id).map_or(last.level_id.as_str(), |l| &l.title);
        return format!(
            "{} expired on {}; retake its quizzes to recertify (`pace progress` lists them).",
            title,
            long_date(last.expires_at)
        );
    }
    match ladder.levels.iter().min_by_key(|l| l.rank) {
        Some(first) => format!("The first level, {}: {}.", first.title, requirement_list(catalog, first, true)),
        None => "The curriculum in use has no certification levels.".into(),
    }
}

/// The certificate a grant stands for.
fn from_grant(
    records: &Records,
    catalog: &Catalog,
    learner: &str,
    grant: &Grant,
) -> Result<Certificate, CertificateError> {
    let broken = |attempt| CertificateError::BrokenGrant { level: grant.level_id.clone(), attempt };
    let mut modules = Vec::with_capacity(grant.attempts.len());
    for &id in &grant.attempts {
        let attempt = records.attempt(id)?.ok_or_else(|| broken(id))?;
        let score = attempt.score.ok_or_else(|| broken(id))?;
        let title = catalog.module(&attempt.module_id).map_or_else(|| attempt.module_id.clone(), |m| m.title.clone());
        modules.push(EarnedModule { id: attempt.module_id, title, score, passed_at: attempt.finished_at });
    }
    let level_title = catalog
        .curriculum
        .ladder
        .levels
        .iter()
        .find(|l| l.id == grant.level_id)
        .map_or_else(|| grant.level_id.clone(), |l| l.title.clone());
    let mut certificate = Certificate {
        learner: learner.to_string(),
        // The organisation stored with the grant, so the certificate (and its
        // code) is the same whichever curriculum is loaded when it is printed.
        // Release 1 stored none: its grants take the curriculum's, as it did.
        organisation: grant.organisation.clone().unwrap_or_else(|| catalog.organisation.name.clone()),
        level_id: grant.level_id.clone(),
        level_title,
        granted_at: grant.granted_at,
        expires_at: grant.expires_at,
        modules,
        code: String::new(),
        grant_uuid: grant.uuid.clone(),
    };
    certificate.code = verification_code(&certificate);
    Ok(certificate)
}

/// The canonical text the code is derived from: a JSON array, so no value
/// can be confused with a separator. Modules are sorted by id so the order a
/// grant happens to list them in does not matter.
pub fn canonical(c: &Certificate) -> String {
    let mut modules: Vec<(&str, u32)> = c.modules.iter().map(|m| (m.id.as_str(), m.score)).collect();
    modules.sort_unstable();
    serde_json::json!([
        CANONICAL_TAG,
        c.learner,
        c.organisation,
        c.level_id,
        canonical_time(c.granted_at),
        canonical_time(c.expires_at),
        modules,
    ])
    .to_string()
}

/// A time as the code hashes it: RFC 3339 to the second, UTC, fixed here
/// rather than borrowed from how the records store times, so a change there
/// never breaks a printed code.
fn canonical_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `PACE-XXXX-XXXX-XXXX`: the first 60 bits of the SHA-256 of `canonical`.
pub fn verification_code(c: &Certificate) -> String {
    let digest = Sha256::digest(canonical(c).as_bytes());
    let mut bits = digest.iter().take(8).fold(0u64, |acc, b| (acc << 8) | u64::from(*b)) >> 4;
    let mut symbols = [b'0'; 12];
    for s in symbols.iter_mut().rev() {
        *s = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let s = String::from_utf8_lossy(&symbols);
    format!("PACE-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
}

/// A code as typed (any case, with or without dashes, spaces or the PACE
/// prefix; O read as 0, I and L as 1) in its printed form, or None when it
/// cannot be a pace code.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut s: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    s.make_ascii_uppercase();
    if s.len() == 16 && s.starts_with("PACE") {
        s.drain(..4);
    }
    let symbols: String = s
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if symbols.len() != 12 || !symbols.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    Some(format!("PACE-{}-{}-{}", &symbols[0..4], &symbols[4..8], &symbols[8..12]))
}

/// A certificate found by its code, and how it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub certificate: Certificate,
    /// Not yet expired at the time of the check.
    pub valid: bool,
    /// When a later grant of the same level renewed it, if one did.
    pub renewed_at: Option<DateTime<Utc>>,
}

/// The certificate in this records file whose code is `code` (already
/// normalised), among every grant of every learner, renewed ones included.
pub fn verify(
    records: &Records,
    catalog: &Catalog,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<Verified>, RecordsError> {
    for learner in records.learners()? {
        let grants = records.grants(learner.id)?;
        for grant in &grants {
            // A grant whose attempts are gone cannot have printed a code that
            // still matches; skip it rather than fail the whole check.
            let Ok(certificate) = from_grant(records, catalog, &learner.name, grant) else { continue };
            if certificate.code == code {
                let renewed_at = grants
                    .iter()
                    .filter(|g| g.level_id == grant.level_id && (g.granted_at, g.id) > (grant.granted_at, grant.id))
                    .map(|g| g.granted_at)
                    .min();
                return Ok(Some(Verified { valid: now < certificate.expires_at, renewed_at, certificate }));
            }
        }
    }
    Ok(None)
}

/// "27 November 2026" (dates are UTC).
pub fn long_date(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_forgivingly() {
        assert_eq!(normalize_code("pace-0abc-defg-hjk1").as_deref(), Some("PACE-0ABC-DEFG-HJK1"));
        assert_eq!(normalize_code(" PACE OABC DEFG HJKL ").as_deref(), Some("PACE-0ABC-DEFG-HJK1"));
        assert_eq!(normalize_code("0ABCDEFGHJK1").as_deref(), Some("PACE-0ABC-DEFG-HJK1"));
        assert_eq!(normalize_code("PACE-0ABC-DEFG-HJKU"), None);
        assert_eq!(normalize_code("PACE-0ABC-DEFG-HJK"), None);
        assert_eq!(normalize_code("PACE-0ABC-DEFG-HJK1-2"), None);
    }
}

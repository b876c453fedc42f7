//! Open Badges 3.0 credentials for held levels, signed by the organisation:
//! a level anyone can verify, offline, without the records file.
//!
//! - [`key`]: the organisation's Ed25519 key (PKCS#8 PEM) and its `did:key`;
//! - [`credential`]: the `AchievementCredential` of a grant;
//! - [`canon`]: JSON-LD expansion and RDFC-1.0 over the embedded contexts;
//! - [`proof`]: `eddsa-rdfc-2022` Data Integrity proofs;
//! - [`verify`]: proof, issuer and dates, and a sentence saying what it attests.
//!
//! No terminal and no command line here: `src/cli/badge.rs` is the glue.
//! Signing and verifying make no network request.

pub mod canon;
pub mod credential;
pub mod key;
pub mod proof;
pub mod verify;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::content::Catalog;
use crate::content::sanitize::one_line;
use crate::export::certificate::{self, CertificateError};
use crate::export::xapi::XapiError;
use crate::learning::ladder;
use crate::records::{Learner, Records, RecordsError};
pub use key::SigningKey;

#[derive(Debug, thiserror::Error)]
pub enum BadgeError {
    #[error(transparent)]
    Level(#[from] CertificateError),
    #[error(transparent)]
    Organisation(#[from] XapiError),
    #[error("cannot sign the credential: {0}")]
    Proof(#[from] proof::ProofError),
    #[error(
        "the key's issuer is {key}, but organisation.json pins {pinned} as credential_issuer; sign with the organisation's key (or change the pin if the organisation changed its key)"
    )]
    NotThePinnedKey { key: String, pinned: String },
    #[error(transparent)]
    Records(#[from] RecordsError),
}

impl BadgeError {
    /// A usage mistake (a level the curriculum does not have) rather than a data problem.
    pub fn is_usage(&self) -> bool {
        matches!(self, BadgeError::Level(e) if e.is_usage())
    }
}

/// A signed credential and what it is of.
#[derive(Debug, Clone)]
pub struct Issued {
    pub credential: Value,
    pub learner: String,
    pub learner_uuid: String,
    pub level_id: String,
    pub level_title: String,
}

impl Issued {
    /// `<learner uuid>-<level>.json`, the name `--all` writes it under.
    pub fn file_name(&self) -> String {
        let level: String =
            self.level_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        format!("{}-{level}.json", self.learner_uuid)
    }
}

/// Whether organisation.json pins an issuer, and whether it is this key's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    Matches,
    /// Nothing pinned: credentials verify only where their issuer is given.
    Unpinned,
}

pub fn check_pin(catalog: &Catalog, key: &SigningKey) -> Result<Pin, BadgeError> {
    match catalog.organisation.credential_issuer.as_deref().map(str::trim) {
        None | Some("") => Ok(Pin::Unpinned),
        Some(pinned) if pinned == key.did() => Ok(Pin::Matches),
        Some(pinned) => Err(BadgeError::NotThePinnedKey { key: key.did(), pinned: one_line(pinned) }),
    }
}

/// The signed credential of `level` (default: the highest held) for `learner`.
pub fn issue(
    records: &Records,
    catalog: &Catalog,
    learner: &Learner,
    level: Option<&str>,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> Result<Issued, BadgeError> {
    check_pin(catalog, key)?;
    let cert = certificate::issue(records, catalog, learner, level, now)?;
    sign_certificate(catalog, learner, &cert, key, now)
}

/// The credential of a certificate already made (as the certificate page embeds it).
pub fn sign_certificate(
    catalog: &Catalog,
    learner: &Learner,
    cert: &certificate::Certificate,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> Result<Issued, BadgeError> {
    let unsigned = credential::unsigned(catalog, learner, cert, &key.did())?;
    let credential = proof::sign(&unsigned, key, now)?;
    Ok(Issued {
        credential,
        learner: learner.name.clone(),
        learner_uuid: learner.uuid.clone(),
        level_id: cert.level_id.clone(),
        level_title: cert.level_title.clone(),
    })
}

/// A credential for every level every learner in the file holds at `now`.
pub fn issue_all(
    records: &Records,
    catalog: &Catalog,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> Result<Vec<Issued>, BadgeError> {
    check_pin(catalog, key)?;
    let ladder = &catalog.curriculum.ladder;
    let mut out = Vec::new();
    for learner in records.learners()? {
        let grants = records.grants(learner.id)?;
        for level in &ladder.levels {
            if ladder::status(&level.id, &grants, ladder.renewal_window_days, now).is_held() {
                out.push(issue(records, catalog, &learner, Some(&level.id), key, now)?);
            }
        }
    }
    Ok(out)
}

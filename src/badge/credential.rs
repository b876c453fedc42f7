//! The Open Badges 3.0 `AchievementCredential` for a held level, before it
//! is signed: who issued it (the organisation's did:key), whom it is about
//! (the learner's company identity), what they achieved (the level and its
//! requirements in words) and when it holds (the grant's dates).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::canon::{CREDENTIALS_V2, OB_V3P0_3_0_3};
use crate::content::sanitize::one_line;
use crate::content::{Catalog, Level};
use crate::export::certificate::Certificate;
use crate::export::xapi::{Builder, XapiError};
use crate::records::{Learner, stamp};

/// The credential of `certificate` (a level `learner` holds), issued by `issuer`.
pub fn unsigned(
    catalog: &Catalog,
    learner: &Learner,
    certificate: &Certificate,
    issuer: &str,
) -> Result<Value, XapiError> {
    let org = &catalog.organisation;
    let level = catalog.curriculum.ladder.levels.iter().find(|l| l.id == certificate.level_id);
    let achievement_id = Builder::new(catalog)?.level_iri(&certificate.level_id);
    let title = one_line(&certificate.level_title);
    let description = level
        .map(|l| one_line(&l.summary))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("The {title} certification level of {}.", one_line(&certificate.organisation)));
    let criteria = level.map_or_else(|| format!("Hold the {title} level."), |l| criteria(catalog, l));
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "identifier": identifiers(learner, org.credential_salt.as_deref()),
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": title,
            "description": description,
            "criteria": {"narrative": criteria},
        },
    });
    if learner.email.is_none() && learner.employee_id.is_none() {
        subject["id"] = format!("urn:uuid:{}", learner.uuid).into();
    }
    Ok(json!({
        "@context": [CREDENTIALS_V2, OB_V3P0_3_0_3],
        "id": format!("urn:uuid:{}", certificate.grant_uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("{title}: {}", one_line(&certificate.learner)),
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": one_line(&certificate.organisation),
            "url": org.home_page.trim(),
        },
        "validFrom": stamp(certificate.granted_at),
        "validUntil": stamp(certificate.expires_at),
        "awardedDate": stamp(certificate.granted_at),
        "credentialSubject": subject,
    }))
}

/// The learner's identifiers: their company identity (hashed when the
/// organisation gives a salt) and their name as the certificate prints it.
fn identifiers(learner: &Learner, salt: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    let company = match (&learner.email, &learner.employee_id) {
        (Some(email), _) => Some(("emailAddress", email)),
        (None, Some(id)) => Some(("ext:employeeId", id)),
        (None, None) => None,
    };
    if let Some((kind, value)) = company {
        out.push(match salt {
            Some(salt) => json!({
                "type": "IdentityObject",
                "identityType": kind,
                "hashed": true,
                "identityHash": identity_hash(value, salt),
                "salt": salt,
            }),
            None => json!({"type": "IdentityObject", "identityType": kind, "hashed": false, "identityHash": value}),
        });
    }
    out.push(json!({
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": false,
        "identityHash": one_line(&learner.name),
    }));
    out
}

/// Open Badges' identity hash: `sha256$` and the hex SHA-256 of the value followed by the salt.
pub fn identity_hash(value: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{value}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// What earning `level` takes, in words.
pub fn criteria(catalog: &Catalog, level: &Level) -> String {
    let modules: Vec<String> = level
        .requires
        .modules
        .iter()
        .map(|m| catalog.module(m).map_or_else(|| m.clone(), |m| format!("\"{}\"", one_line(&m.title))))
        .collect();
    let mut text = match modules.as_slice() {
        [] => "Meet the level's requirements".to_string(),
        [one] => format!("Pass the quiz of {one} with {}% or more", level.requires.min_score),
        many => format!("Pass the quizzes of {} with {}% or more in each", many.join(", "), level.requires.min_score),
    };
    if let Some(previous) = &level.requires.previous {
        let title =
            catalog.curriculum.ladder.levels.iter().find(|l| &l.id == previous).map_or(previous.as_str(), |l| &l.title);
        text.push_str(&format!(", holding the {} level first", one_line(title)));
    }
    text.push_str(&format!(
        ". The level is valid for {} days; the learner then recertifies by passing the quizzes again.",
        level.valid_days
    ));
    text
}

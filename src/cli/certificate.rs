//! `pace certificate`: print or write a certificate for a held level, or
//! check a verification code against the records file.

use std::path::Path;

use crate::badge::{self, SigningKey};
use crate::content::sanitize::one_line;
use crate::export::certificate::{self, long_date};
use crate::export::certificate_page::{self, CredentialLink};
use crate::learning::clock;

use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Global, curriculum, open_existing_records, pick_learner, print};

/// What `--out FILE` writes, chosen by the file's extension.
enum Output {
    Html,
    Text,
}

fn output_kind(path: &Path) -> Result<Output, Failure> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => Ok(Output::Html),
        Some("txt") => Ok(Output::Text),
        _ => Err(Failure::usage(format!(
            "--out {}: name the file .html for a printable page or .txt for plain text",
            crate::content::sanitize::path(path)
        ))),
    }
}

pub(super) fn run(
    global: &Global,
    level: Option<&str>,
    out: Option<&Path>,
    verify: Option<&str>,
    badge_key: Option<&Path>,
) -> Result<u8, Failure> {
    if let Some(code) = verify {
        return check(global, code);
    }
    // Refuse a bad file name before doing any work.
    let kind = out.map(output_kind).transpose()?;
    let catalog = curriculum(global)?;
    let key = match badge_key {
        Some(path) => {
            let key = SigningKey::read(path).map_err(|e| Failure::data(e.to_string()))?;
            super::badge::warn_if_others_can_read(path);
            badge::check_pin(&catalog, &key).map_err(|e| Failure::data(e.to_string()))?;
            Some(key)
        }
        None => None,
    };
    let records = open_existing_records(global)?;
    let learner = pick_learner(&records, global)?;
    let now = clock::now();
    let cert = certificate::issue(&records, &catalog, &learner, level, now).map_err(|e| match e {
        e if e.is_usage() => Failure::usage(e.to_string()),
        e => Failure::data(e.to_string()),
    })?;
    let (Some(path), Some(kind)) = (out, kind) else {
        print(&certificate::render_text(&cert))?;
        return Ok(EXIT_OK);
    };
    // The credential is signed before anything is written, and written
    // before the page that refers to it.
    let credential = match &key {
        Some(key) => {
            let issued = badge::sign_certificate(&catalog, &learner, &cert, key, now)
                .map_err(|e| Failure::data(e.to_string()))?;
            let beside = path.with_extension("credential.json");
            let file = beside.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut json = serde_json::to_string_pretty(&issued.credential)
                .map_err(|e| Failure::data(format!("cannot write the credential: {e}")))?;
            json.push('\n');
            Some((beside, json, CredentialLink { file, issuer: key.did() }))
        }
        None => None,
    };
    let link = credential.as_ref().map(|(_, _, link)| link);
    let text = match kind {
        Output::Html => certificate_page::render_html_with(&cert, link),
        Output::Text => certificate_page::render_text_with(&cert, link),
    };
    if let Some((beside, json, _)) = &credential {
        super::write_file(beside, |out| out.write_all(json.as_bytes()))?;
        print(&format!(
            "Wrote the Open Badges credential to {} (pace badge verify checks it).\n",
            crate::content::sanitize::path(beside)
        ))?;
    }
    super::write_file(path, |out| out.write_all(text.as_bytes()))?;
    print(&format!(
        "Wrote the certificate of {} for {} to {} (verification code {}).\n",
        super::short_name(&cert.learner, super::NAME_IN_LIST),
        super::short_name(&cert.level_title, super::NAME_IN_LIST),
        crate::content::sanitize::path(path),
        cert.code
    ))?;
    Ok(EXIT_OK)
}

fn check(global: &Global, input: &str) -> Result<u8, Failure> {
    let Some(code) = certificate::normalize_code(input) else {
        return Err(Failure::data(format!(
            "{} is not a pace verification code; codes look like PACE-7K2M-Q9TX-4HRB",
            crate::content::sanitize::quote(input)
        )));
    };
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let now = clock::now();
    let found = certificate::verify(&records, &catalog, &code, now)?;
    let Some(v) = found else {
        print(&format!(
            "{code} matches no certificate in {}.\nIt may come from another records file or organisation, or the certificate was altered.\n",
            crate::content::sanitize::escape(records.path())
        ))?;
        return Ok(EXIT_PROBLEMS);
    };
    let c = &v.certificate;
    let standing = if v.valid {
        format!("valid: it expires on {}", long_date(c.expires_at))
    } else {
        format!("no longer valid: it expired on {}", long_date(c.expires_at))
    };
    let renewed = v.renewed_at.map(|t| format!("\nRenewed since:   {} (a newer certificate exists)", long_date(t)));
    print(&format!(
        "{code} is the certificate of {} in {}.\nLearner:         {}\nOrganisation:    {}\nLevel:           {} ({})\nGranted:         {}\nValid until:     {}\nModules:         {}{}\nStatus:          {standing}\n",
        one_line(&c.learner),
        crate::content::sanitize::escape(records.path()),
        one_line(&c.learner),
        one_line(&c.organisation),
        one_line(&c.level_title),
        one_line(&c.level_id),
        long_date(c.granted_at),
        long_date(c.expires_at),
        c.modules.iter().map(|m| format!("{} {}%", one_line(&m.id), m.score)).collect::<Vec<_>>().join(", "),
        renewed.unwrap_or_default(),
    ))?;
    Ok(EXIT_OK)
}

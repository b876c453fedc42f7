//! `pace badge`: keys, Open Badges 3.0 credentials issued from a records
//! file built at fixed times, and their verification by the real binary,
//! held to the official OB 3.0 JSON Schema. `badge_reference.rs` checks them
//! with Digital Bazaar's reference libraries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::badge::*;
use pace::records::Records;
use serde_json::Value;

#[cfg(unix)]
#[test]
fn keygen_writes_a_private_key_and_refuses_to_overwrite_it_or_to_use_an_open_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    set_mode(&keys, 0o700);
    let key = keys.join("k.pem");
    let run = pace(&day(0), &["badge", "keygen", "--out", s(&key)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n") && text.ends_with("-----END PRIVATE KEY-----\n"));
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let did = run.stdout.lines().last().unwrap();
    assert!(did.starts_with("did:key:z6Mk"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("\"credential_issuer\": \"{did}\"")), "{}", run.stdout);

    let again = pace(&day(0), &["badge", "keygen", "--out", s(&key)]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists") && again.stderr.contains("never overwrites"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), text, "the key is unchanged");

    for (mode, who) in [(0o777, "everyone"), (0o770, "its group")] {
        let open = dir.path().join(format!("open{mode:o}"));
        std::fs::create_dir(&open).unwrap();
        set_mode(&open, mode);
        let run = pace(&day(0), &["badge", "keygen", "--out", s(&open.join("k.pem"))]);
        assert_eq!(run.code, 1, "{mode:o}");
        assert!(run.stderr.contains(who) && run.stderr.contains("could replace the key"), "{}", run.stderr);
        assert!(!open.join("k.pem").exists());
    }
}

#[test]
fn an_issued_credential_is_an_ob3_achievement_credential_that_verifies() {
    let setup = Setup::new(true, false);
    let (file, cred) = setup.ana();
    assert_valid_ob3(&cred);
    assert_eq!(cred["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert_eq!(cred["@context"][1], "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assert_eq!(cred["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(cred["issuer"]["id"], setup.did.as_str());
    assert_eq!(cred["issuer"]["name"], "Example Corp");
    assert_eq!(cred["issuer"]["url"], "https://example.com");
    assert_eq!(cred["validFrom"], "2026-11-27T09:00:00Z");
    assert_eq!(cred["validUntil"], "2027-11-27T09:00:00Z");
    let subject = &cred["credentialSubject"];
    assert_eq!(subject["type"], serde_json::json!(["AchievementSubject"]));
    assert_eq!(subject["identifier"][0]["identityType"], "emailAddress");
    assert_eq!(subject["identifier"][0]["identityHash"], "ana.ruiz@example.com");
    assert_eq!(subject["achievement"]["name"], "Social Ready");
    assert_eq!(subject["achievement"]["id"], "https://example.com/pace/levels/social-ready");
    let criteria = subject["achievement"]["criteria"]["narrative"].as_str().unwrap();
    assert!(criteria.contains("Social media at work") && criteria.contains("80%"), "{criteria}");
    let proof = &cred["proof"][0];
    assert_eq!(proof["type"], "DataIntegrityProof");
    assert_eq!(proof["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(proof["verificationMethod"].as_str().unwrap().split('#').next().unwrap(), setup.did);

    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim_end().rsplit(": valid. ").next().unwrap(),
        format!(
            "It attests that Ana Ruiz (ana.ruiz@example.com) holds Social Ready, issued by Example Corp ({}), valid from 27 November 2026 until 27 November 2027.",
            setup.did
        )
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn every_changed_fact_breaks_the_signature() {
    let setup = Setup::new(true, false);
    let (_, cred) = setup.ana();
    type Edit = (&'static str, fn(&mut Value));
    let edits: [Edit; 6] = [
        ("the learner's name", |c| c["credentialSubject"]["identifier"][1]["identityHash"] = "Eve Mallory".into()),
        ("the email", |c| c["credentialSubject"]["identifier"][0]["identityHash"] = "eve@example.com".into()),
        ("the level", |c| c["credentialSubject"]["achievement"]["name"] = "Social Champion".into()),
        ("the level's id", |c| {
            c["credentialSubject"]["achievement"]["id"] = "https://example.com/pace/levels/champion".into()
        }),
        ("the expiry date", |c| c["validUntil"] = "2030-11-27T09:00:00Z".into()),
        ("the grant date", |c| c["validFrom"] = "2026-01-27T09:00:00Z".into()),
    ];
    for (what, edit) in edits {
        let mut tampered = cred.clone();
        edit(&mut tampered);
        let file = setup.path("tampered.json");
        write_json(&file, &tampered);
        let run = setup.verify(30, &file, &[]);
        assert_eq!(run.code, 1, "changing {what} went unnoticed: {}", run.stdout);
        assert!(run.stderr.contains("does not match its content"), "{what}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    // Layout is not meaning: the same credential on one line still verifies.
    let file = setup.path("compact.json");
    std::fs::write(&file, serde_json::to_string(&cred).unwrap()).unwrap();
    assert_eq!(setup.verify(30, &file, &[]).code, 0);
    // No proof at all.
    let mut bare = cred.clone();
    bare.as_object_mut().unwrap().remove("proof");
    write_json(&file, &bare);
    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no proof"), "{}", run.stderr);
}

#[test]
fn an_expired_or_not_yet_valid_credential_says_when() {
    let setup = Setup::new(true, false);
    let (file, _) = setup.ana();
    let run = setup.verify(365, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 27 November 2027"), "{}", run.stderr);
    let run = setup.verify(-1, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not valid before 27 November 2026"), "{}", run.stderr);
    assert_eq!(setup.verify(364, &file, &[]).code, 0);
}

#[test]
fn only_the_pinned_or_given_issuer_is_accepted() {
    let setup = Setup::new(true, false);
    let (file, _) = setup.ana();
    let other = Setup::new(false, false);
    // Another organisation's key: pace refuses to sign with it where this one is pinned.
    let out = setup.path("other.json");
    let mut args = vec!["badge", "issue", "--key", s(&other.key), "--db", s(&setup.db), "--modules", s(&setup.modules)];
    args.extend(["--learner", "Ana Ruiz", "--out", s(&out)]);
    let run = pace(&day(1), &args);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&other.did) && run.stderr.contains("pins"), "{}", run.stderr);
    assert!(!out.exists());
    // Signed with the other key where nothing is pinned: verifies as the other's, not this organisation's.
    let run = other.issue(1, &["--learner", "Ana Ruiz", "--out", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("pins no credential issuer") && run.stderr.contains(&other.did), "{}", run.stderr);
    let run = setup.verify(30, &out, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("issued by {}, not by {}", other.did, setup.did)), "{}", run.stderr);
    assert_eq!(setup.verify(30, &out, &["--issuer", &other.did]).code, 0);
    let run = setup.verify(30, &file, &["--issuer", &other.did]);
    assert_eq!(run.code, 1, "--issuer wins over the pin");
    assert!(run.stderr.contains("given with --issuer"), "{}", run.stderr);
    let run = setup.verify(30, &file, &["--issuer", "did:web:example.com"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Unpinned and not given: intact, with a note that nobody was expected.
    let run = other.verify(30, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no issuer was expected"), "{}", run.stderr);
}

#[test]
fn a_credential_naming_one_issuer_but_signed_by_another_fails() {
    let setup = Setup::new(false, false);
    let (_, cred) = setup.ana();
    let other = Setup::new(false, false);
    let mut forged = cred.clone();
    forged["issuer"]["id"] = other.did.clone().into();
    let file = setup.path("forged.json");
    write_json(&file, &forged);
    let run = setup.verify(30, &file, &["--issuer", &other.did]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("was signed by"), "{}", run.stderr);
}

#[test]
fn issue_refuses_what_it_cannot_sign_and_writes_nothing() {
    let setup = Setup::new(true, false);
    let out = setup.path("x.json");
    let cases: [(&[&str], &str); 3] = [
        (&["--learner", "Dan Wu", "--out", s(&out)], "holds no certification level"),
        (&["--learner", "Ana Ruiz", "--level", "social-practitioner", "--out", s(&out)], "does not hold"),
        (&["--learner", "Nobody Here", "--out", s(&out)], "Nobody Here"),
    ];
    for (args, says) in cases {
        let run = setup.issue(1, args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(!out.exists());
    }
    // Expired: a year and a day on.
    let run = setup.issue(366, &["--learner", "Ana Ruiz", "--out", s(&out)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 27 November 2027"), "{}", run.stderr);
    assert!(!out.exists());
    // Keys that are not keys.
    let garbage = setup.path("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap();
    for key in [garbage, setup.path("missing.pem")] {
        let mut args = vec!["badge", "issue", "--key", s(&key), "--db", s(&setup.db), "--modules", s(&setup.modules)];
        args.extend(["--learner", "Ana Ruiz", "--out", s(&out)]);
        let run = pace(&day(1), &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("key"), "{}", run.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn all_writes_one_credential_per_level_held_each_verifying() {
    let setup = Setup::new(true, true);
    let dir = setup.path("out/credentials");
    let run = setup.issue(1, &["--all", "--out-dir", s(&dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Wrote 3 credentials"), "{}", run.stdout);
    let records = Records::open(&setup.db).unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = records
        .learners()
        .unwrap()
        .iter()
        .filter(|l| l.name != "Dan Wu")
        .map(|l| format!("{}-{LEVEL}.json", l.uuid))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for l in records.learners().unwrap().iter().filter(|l| l.name != "Dan Wu") {
        let file = dir.join(format!("{}-{LEVEL}.json", l.uuid));
        let cred: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_valid_ob3(&cred);
        let text = serde_json::to_string(&cred).unwrap();
        let subject = &cred["credentialSubject"];
        match l.name.as_str() {
            "Ana Ruiz" => {
                // Salted: the email is a hash of it, never the address.
                assert!(!text.contains("ana.ruiz@example.com"));
                let id = &subject["identifier"][0];
                assert_eq!(id["hashed"], true);
                assert_eq!(id["salt"], SALT);
                assert_eq!(id["identityHash"], pace::badge::credential::identity_hash("ana.ruiz@example.com", SALT));
            }
            "Ben Okafor" => assert_eq!(subject["identifier"][0]["identityType"], "ext:employeeId"),
            _ => assert_eq!(subject["id"], format!("urn:uuid:{}", l.uuid)),
        }
        let run = setup.verify(30, &file, &[]);
        assert_eq!(run.code, 0, "{}: {}", l.name, run.stderr);
        assert!(run.stdout.contains(&l.name), "{}", run.stdout);
    }
}

#[test]
fn the_certificate_page_names_the_issuer_and_carries_a_credential_that_verifies() {
    let setup = Setup::new(true, false);
    let page = setup.path("ana.html");
    let args = ["certificate", "--db", s(&setup.db), "--modules", s(&setup.modules), "--learner", "Ana Ruiz"];
    let mut with_key = args.to_vec();
    with_key.extend(["--out", s(&page), "--badge-key", s(&setup.key)]);
    let run = pace(&day(1), &with_key);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let credential = setup.path("ana.credential.json");
    assert!(run.stdout.contains("ana.credential.json"), "{}", run.stdout);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Issued by Example Corp"), "the page names no issuer");
    assert!(html.contains("<code>ana.credential.json</code>") && html.contains(&setup.did));
    assert!(html.contains("pace badge verify ana.credential.json"), "the page says not how to verify");
    for slug in [LEVEL, M101, M201] {
        assert!(!html.contains(slug), "the page prints the id {slug}");
    }
    let cred: Value = serde_json::from_str(&std::fs::read_to_string(&credential).unwrap()).unwrap();
    assert_valid_ob3(&cred);
    let run = setup.verify(30, &credential, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A key that is not the pinned one: nothing written.
    let other = Setup::new(false, false);
    let page2 = setup.path("ben.html");
    let mut wrong = args.to_vec();
    wrong.extend(["--out", s(&page2), "--badge-key", s(&other.key)]);
    let run = pace(&day(1), &wrong);
    assert_eq!(run.code, 1);
    assert!(!page2.exists() && !setup.path("ben.credential.json").exists());
    // The text certificate: titles, the issuer, no ids.
    let run = pace(&day(1), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Issued by    Example Corp"), "{}", run.stdout);
    for slug in [LEVEL, M101, M201] {
        assert!(!run.stdout.contains(slug), "the text certificate prints the id {slug}:\n{}", run.stdout);
    }
}

#[test]
fn a_hostile_credential_puts_no_escape_on_the_terminal_and_fetches_nothing() {
    let setup = Setup::new(true, false);
    let (_, cred) = setup.ana();
    let file = setup.path("hostile.json");
    // Escapes in the fields verify quotes: the proof's type, the issuer.
    let mut hostile = cred.clone();
    hostile["proof"][0]["type"] = "\u{1b}]52;c;SGVsbG8=\u{7}Evil".into();
    write_json(&file, &hostile);
    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'), "{:?}", run.stderr);
    let mut hostile = cred.clone();
    hostile["issuer"]["id"] = "did:key:\u{1b}[2J".into();
    write_json(&file, &hostile);
    let run = setup.verify(30, &file, &["--issuer", &setup.did]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    // A context pace does not embed: refused by name, not fetched.
    let mut remote = cred.clone();
    remote["@context"][1] = "https://example.com/evil-context.json".into();
    write_json(&file, &remote);
    let run = setup.verify(30, &file, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("https://example.com/evil-context.json is not one pace embeds"), "{}", run.stderr);
    // A file that is not JSON, and one that is not there.
    std::fs::write(&file, "not json").unwrap();
    assert_eq!(setup.verify(30, &file, &[]).code, 1);
    let run = setup.verify(30, &setup.path("missing.json"), &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_key_others_can_read_still_signs_with_a_warning() {
    let setup = Setup::new(true, false);
    set_mode(&setup.key, 0o644);
    let out = setup.path("ana.json");
    let run = setup.issue(1, &["--learner", "Ana Ruiz", "--out", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("can be read by others (mode 644)"), "{}", run.stderr);
}

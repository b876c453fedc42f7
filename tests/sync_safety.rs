//! `pace sync` facing a hostile or broken LRS and careless command lines:
//! an LRS whose replies carry escape sequences, passwords in the address,
//! passwords kept out of argv (a file, standard input, a prompt), and an
//! https LRS whose certificate pace does not trust, on 127.0.0.1 with
//! certificates made for the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use common::pty::{Session, assert_no_smuggled_controls};
use pace::records::Records;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    common::history::record(&mut records, &pace::content::embedded(), common::t0());
    (dir, db)
}

/// Reads one HTTP request from `stream`: its headers (lower-case names) and
/// the ids of the statements posted.
fn read_request(stream: &mut impl Read) -> Option<(HashMap<String, String>, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (k, v) = header.split_once(':')?;
        headers.insert(k.trim().to_lowercase(), v.trim().to_string());
    }
    let len: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let posted: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
    let ids: Vec<&str> = posted.iter().filter_map(|s| s["id"].as_str()).collect();
    Some((headers, serde_json::to_string(&ids).unwrap_or_default()))
}

/// As a body: the ids of the statements posted, as an LRS that stored them answers.
const IDS: &str = "(the ids posted)";

fn respond(stream: &mut impl Write, status: u16, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

/// A plain-http LRS on 127.0.0.1 answering every request with `status` and
/// `body`, keeping each request's Authorization header.
fn fake_lrs(status: u16, body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/xAPI", listener.local_addr().expect("addr"));
    let auth: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&auth);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let Some((headers, ids)) = read_request(&mut stream) else { continue };
            seen.lock().expect("auth").push(headers.get("authorization").cloned().unwrap_or_default());
            respond(&mut stream, status, if body == IDS { &ids } else { body });
        }
    });
    (url, auth)
}

fn sync(db: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pace"));
    command
        .arg("--db")
        .arg(db)
        .arg("sync")
        .args(args)
        .env_remove("PACE_LRS_URL")
        .env_remove("PACE_LRS_USER")
        .env_remove("PACE_LRS_PASSWORD")
        .env_remove("PACE_MODULES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("run pace");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

#[test]
fn the_lrs_words_reach_the_terminal_cleaned() {
    let (_dir, db) = setup();
    for (status, body) in [
        (500, "{\"error\": \"disk \\u001b]52;c;cHduZWQ=\\u0007full\\u009b2J\"}"),
        (400, "bad \u{1b}]0;PWNED\u{7}object \u{1b}[21t\u{85}"),
    ] {
        let (url, _) = fake_lrs(status, body);
        let run = sync(&db, &["--lrs", &url], &[], None);
        assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
        assert_no_smuggled_controls(&run.stdout, false, "stdout of pace sync");
        assert_no_smuggled_controls(&run.stderr, false, "stderr of pace sync");
        let e = stderr(&run);
        assert!(e.contains("disk full2J") || e.contains("bad object"), "{e}");
    }
}

#[test]
fn a_password_in_the_address_is_never_repeated() {
    let (_dir, db) = setup();
    let url = "https://alice:S3cret@lrs.example.com/xAPI";
    for run in [sync(&db, &["--lrs", url], &[], None), sync(&db, &[], &[("PACE_LRS_URL", url)], None)] {
        assert_eq!(run.status.code(), Some(2));
        let e = stderr(&run);
        assert!(e.contains("\"https://alice:***@lrs.example.com/xAPI\"") && !e.contains("S3cret"), "{e}");
        assert!(!String::from_utf8_lossy(&run.stdout).contains("S3cret"));
    }
    let run = sync(&db, &["--lrs", "htp://alice:S3cret@lrs.example.com/xAPI"], &[], None);
    assert!(!stderr(&run).contains("S3cret"), "{}", stderr(&run));
}

#[test]
fn the_password_can_come_from_a_file_or_standard_input() {
    let (dir, db) = setup();
    let (url, auth) = fake_lrs(200, IDS);
    let file = dir.path().join("password");
    std::fs::write(&file, "fr0m file \n").expect("write");
    let run = sync(&db, &["--lrs", &url, "--user", "u", "--password-file", &file.to_string_lossy()], &[], None);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(auth.lock().expect("auth").first().cloned(), Some(basic("u", "fr0m file ")));

    let (dir2, db2) = setup();
    let (url, auth) = fake_lrs(200, IDS);
    let run = sync(&db2, &["--lrs", &url, "--user", "u", "--password", "-"], &[], Some("from stdin\r\n"));
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(auth.lock().expect("auth").first().cloned(), Some(basic("u", "from stdin")));
    drop(dir2);

    let missing = dir.path().join("no-such-file");
    let run = sync(&db, &["--lrs", &url, "--user", "u", "--password-file", &missing.to_string_lossy()], &[], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--password-file") && stderr(&run).contains("cannot read it"), "{}", stderr(&run));
}

#[test]
fn a_user_without_a_password_at_a_terminal_is_asked_for_it() {
    let (_dir, db) = setup();
    let (url, auth) = fake_lrs(200, IDS);
    let db_s = db.to_string_lossy().into_owned();
    let mut s = Session::spawn(&["--db", &db_s, "sync", "--lrs", &url, "--user", "u"], &[]);
    s.wait_for("LRS password for \"u\":");
    // The prompt is printed before echo is turned off: typed sooner, the password would show.
    s.wait_for_no_echo();
    s.send_and_wait("typed s3cret\r", "Sent ");
    assert_eq!(s.wait_exit(), 0);
    assert!(!s.contents().contains("s3cret"), "the password is not echoed:\n{}", s.contents());
    assert_eq!(auth.lock().expect("auth").first().cloned(), Some(basic("u", "typed s3cret")));
}

/// Certificates made for the test: a CA, a server certificate for
/// 127.0.0.1 and localhost it signed, and the CA's own certificate used as a server's.
struct Certs {
    ca_pem: String,
    leaf: (Vec<rustls::pki_types::CertificateDer<'static>>, Vec<u8>),
    ca_as_server: (Vec<rustls::pki_types::CertificateDer<'static>>, Vec<u8>),
}

fn certs() -> Certs {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "pace test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("leaf params");
    let ca_der = ca.der().clone();
    let ca_pem = ca.pem();
    let ca_key_der = ca_key.serialize_der();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).expect("leaf");
    Certs {
        ca_pem,
        leaf: (vec![leaf.der().clone(), ca_der.clone()], leaf_key.serialize_der()),
        ca_as_server: (vec![ca_der], ca_key_der),
    }
}

/// An https LRS on 127.0.0.1 presenting `chain`; answers 200 to whoever
/// completes the handshake.
fn tls_lrs((chain, key): (Vec<rustls::pki_types::CertificateDer<'static>>, Vec<u8>)) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.into());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("https://{}/xAPI", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else { continue };
            let mut stream = rustls::StreamOwned::new(conn, tcp);
            if let Some((_, ids)) = read_request(&mut stream) {
                respond(&mut stream, 200, &ids);
            }
        }
    });
    url
}

#[test]
fn an_untrusted_certificate_is_explained_in_words_and_the_system_store_is_trusted() {
    let (dir, db) = setup();
    let certs = certs();
    let url = tls_lrs(certs.leaf.clone());
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").expect("write");

    // Only the bundled roots (SSL_CERT_FILE names an empty store).
    let run = sync(&db, &["--lrs", &url], &[("SSL_CERT_FILE", &empty.to_string_lossy())], None);
    assert_eq!(run.status.code(), Some(1));
    let e = stderr(&run);
    assert!(
        e.contains("the LRS's certificate for 127.0.0.1:")
            && e.contains("is not signed by a certificate authority pace trusts"),
        "{e}"
    );
    assert!(e.contains("install its certificate in the operating system's store"), "{e}");
    assert!(!e.contains("UnknownIssuer") && !e.contains("Other("), "{e}");

    // The same LRS, once the CA is in the system's store.
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &certs.ca_pem).expect("write");
    let run = sync(&db, &["--lrs", &url], &[("SSL_CERT_FILE", &ca.to_string_lossy())], None);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("Sent "));

    // A server presenting the CA's own certificate: CaUsedAsEndEntity.
    let (_dir2, unsent) = setup();
    let url = tls_lrs(certs.ca_as_server);
    let run = sync(&unsent, &["--lrs", &url], &[("SSL_CERT_FILE", &ca.to_string_lossy())], None);
    let e = stderr(&run);
    assert!(e.contains("presents a certificate authority's own certificate instead of a server certificate"), "{e}");
    assert!(!e.contains("CaUsedAsEndEntity"), "{e}");
}

/// pace is one static file (`.cargo/config.toml`), with no shared C library
/// loaded: it still finds an LRS by its name (here through /etc/hosts, as
/// the C library's name service reads it) and reaches it over TLS.
#[test]
fn an_lrs_is_found_by_its_name_and_reached_over_tls() {
    let (dir, db) = setup();
    let certs = certs();
    let url = tls_lrs(certs.leaf).replace("127.0.0.1", "localhost");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &certs.ca_pem).expect("write");
    let run = sync(&db, &["--lrs", &url], &[("SSL_CERT_FILE", &ca.to_string_lossy())], None);
    assert_eq!(run.status.code(), Some(0), "{url}: {}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("Sent "));
}

//! The organisation's signing key: Ed25519 (ring), stored as PKCS#8 PEM in
//! a file only its owner can read, and named to the world by its `did:key`
//! identifier (the public key itself, multicodec- and multibase-encoded, so
//! a verifier needs no registry and no network to find it).

use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

use crate::content::sanitize;

/// The multicodec prefix of an Ed25519 public key (`ed25519-pub`, 0xed as a varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{path} already exists; pace never overwrites a key (credentials signed with it would stop matching). Choose another file, or remove the old one yourself if it is truly unused"
    )]
    Exists { path: String },
    #[error(
        "{folder} is writable by {who}, so they could replace the key pace writes there. Keep the key in a folder only you can write (chmod go-w {folder}, or choose another folder)"
    )]
    OpenFolder { folder: String, who: &'static str },
    #[error("cannot write the key to {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("cannot read the key {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not an Ed25519 private key in PKCS#8 PEM ({reason}); `pace badge keygen --out FILE` makes one")]
    NotAKey { path: String, reason: String },
    #[error("cannot make a key: the system's random number generator failed")]
    Random,
}

/// An Ed25519 key pair that signs credentials.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.did())
    }
}

impl SigningKey {
    /// The key in a PEM file's text. `path` is only for messages.
    pub fn from_pem(text: &str, path: &Path) -> Result<SigningKey, KeyError> {
        let not_a_key = |reason: &str| KeyError::NotAKey { path: sanitize::path(path), reason: reason.to_string() };
        let body = text
            .split_once(PEM_BEGIN)
            .and_then(|(_, rest)| rest.split_once(PEM_END))
            .map(|(body, _)| body)
            .ok_or_else(|| not_a_key("no PRIVATE KEY block"))?;
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| not_a_key("bad base64"))?;
        // PKCS#8 v1 (as `openssl genpkey -algorithm ed25519` writes) or v2 (as pace writes).
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|e| not_a_key(&e.to_string()))?;
        Ok(SigningKey { pair })
    }

    /// Reads the key in a PEM file.
    pub fn read(path: &Path) -> Result<SigningKey, KeyError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| KeyError::Read { path: sanitize::path(path), reason: e.to_string() })?;
        SigningKey::from_pem(&text, path)
    }

    pub fn public_key(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        out
    }

    /// `did:key:z6Mk...`
    pub fn did(&self) -> String {
        did_key(&self.public_key())
    }

    /// The verification method a proof names: the did:key with its one key as fragment.
    pub fn verification_method(&self) -> String {
        let did = self.did();
        let fragment = did.trim_start_matches("did:key:").to_string();
        format!("{did}#{fragment}")
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.pair.sign(message).as_ref());
        out
    }
}

/// A new key as PKCS#8 PEM text, and its did:key.
pub fn generate() -> Result<(String, String), KeyError> {
    let der = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| KeyError::Random)?;
    let pair = Ed25519KeyPair::from_pkcs8(der.as_ref()).map_err(|_| KeyError::Random)?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
    let mut pem = format!("{PEM_BEGIN}\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str(PEM_END);
    pem.push('\n');
    let key = SigningKey { pair };
    Ok((pem, key.did()))
}

/// Makes a key and writes it to `path` (mode 0600, never over an existing
/// file, never into a folder others can write); returns its did:key.
pub fn write_new(path: &Path) -> Result<String, KeyError> {
    let shown = sanitize::path(path);
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    check_folder(&folder)?;
    if path.symlink_metadata().is_ok() {
        return Err(KeyError::Exists { path: shown });
    }
    let (pem, did) = generate()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => KeyError::Exists { path: shown.clone() },
        _ => KeyError::Write { path: shown.clone(), reason: e.to_string() },
    })?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| KeyError::Write { path: shown.clone(), reason: e.to_string() })?;
    Ok(did)
}

#[cfg(unix)]
fn check_folder(folder: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(folder)
        .map_err(|e| KeyError::Write { path: sanitize::path(folder), reason: e.to_string() })?;
    let mode = meta.permissions().mode();
    let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
        (_, true) => "everyone on this machine",
        (true, false) => "its group",
        (false, false) => return Ok(()),
    };
    Err(KeyError::OpenFolder { folder: sanitize::path(folder), who })
}

#[cfg(not(unix))]
fn check_folder(_folder: &Path) -> Result<(), KeyError> {
    Ok(())
}

/// The did:key of an Ed25519 public key.
pub fn did_key(public: &[u8; 32]) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(public);
    format!("did:key:z{}", base58_encode(&bytes))
}

/// The Ed25519 public key a did:key (or one of its verification method
/// URLs) names, or None when it names no Ed25519 key.
pub fn public_key_of(did: &str) -> Option<[u8; 32]> {
    let id = did.strip_prefix("did:key:z")?;
    let id = id.split('#').next()?;
    let bytes = base58_decode(id)?;
    let key = bytes.strip_prefix(&ED25519_PUB[..])?;
    key.try_into().ok()
}

/// Whether `signature` is `public`'s Ed25519 signature of `message`.
pub fn verify_signature(public: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, public).verify(message, signature).is_ok()
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Bitcoin's base58 (multibase `z`).
pub fn base58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &b in &bytes[zeros..] {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|d| BASE58[usize::from(*d)] as char));
    out
}

pub fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let zeros = text.bytes().take_while(|b| *b == b'1').count();
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    for c in text.bytes().skip(zeros) {
        let mut carry = BASE58.iter().position(|x| *x == c)? as u32;
        for b in bytes.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_round_trips_and_matches_known_values() {
        assert_eq!(base58_encode(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
        assert_eq!(base58_encode(&[0, 0, 1]), "112");
        for v in [vec![], vec![0], vec![0, 0, 255, 3], (0..=255).collect::<Vec<u8>>()] {
            assert_eq!(base58_decode(&base58_encode(&v)).unwrap(), v);
        }
        assert_eq!(base58_decode("0OIl"), None);
    }

    #[test]
    fn a_did_key_names_its_public_key() {
        // did:key spec test vector (Ed25519).
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        let key = public_key_of(did).unwrap();
        assert_eq!(did_key(&key), did);
        assert_eq!(public_key_of(&format!("{did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")), Some(key));
        assert_eq!(public_key_of("did:web:example.com"), None);
    }

    #[test]
    fn a_generated_key_reads_back_and_signs() {
        let (pem, did) = generate().unwrap();
        let key = SigningKey::from_pem(&pem, Path::new("k.pem")).unwrap();
        assert_eq!(key.did(), did);
        assert!(did.starts_with("did:key:z6Mk"));
        let sig = key.sign(b"x");
        assert!(verify_signature(&key.public_key(), b"x", &sig));
        assert!(!verify_signature(&key.public_key(), b"y", &sig));
    }
}

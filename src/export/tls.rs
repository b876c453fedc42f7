//! HTTPS to an LRS: which certificate authorities pace trusts, and what a
//! failed connection means, in words a trainer can act on.
//!
//! pace trusts Mozilla's roots (bundled, so a machine without a certificate
//! store still works) and the operating system's store (so an LRS behind a
//! company's own certificate authority works once IT has installed it, as
//! it has for the browser). `SSL_CERT_FILE` and `SSL_CERT_DIR` name another
//! store, as for most tools.

use rustls::CertificateError;
use ureq::tls::{Certificate, RootCerts};

/// Mozilla's roots and the operating system's, together.
pub fn root_certs() -> RootCerts {
    let bundled = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|c| Certificate::from_der(c.as_ref()).to_owned());
    // A store that cannot be read leaves the bundled roots: that is the
    // behaviour before the store was consulted, not a reason to stop.
    let native = rustls_native_certs::load_native_certs();
    let system = native.certs.iter().map(|c| Certificate::from_der(c.as_ref()).to_owned());
    RootCerts::from(bundled.chain(system).collect::<Vec<_>>())
}

/// Why no HTTP answer came, in words: the TLS failures spelled out, with
/// what to do; other failures as the network library says them.
pub fn describe(error: &ureq::Error, host: &str) -> String {
    // The handshake runs inside reads and writes, so its error usually
    // arrives wrapped in an io::Error.
    let tls = match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    match tls {
        Some(rustls::Error::InvalidCertificate(e)) => certificate(e, host),
        Some(rustls::Error::AlertReceived(alert)) => {
            format!("the LRS at {host} ended the secure connection ({alert:?}); check that it accepts TLS 1.2 or 1.3")
        }
        Some(e) => format!("the secure connection to {host} failed: {e}"),
        None => error.to_string(),
    }
}

const TRUST_HINT: &str = "if your organisation uses its own certificate authority, install its certificate in the \
    operating system's store (or name a PEM file with SSL_CERT_FILE); pace trusts that store and Mozilla's roots";

fn certificate(e: &CertificateError, host: &str) -> String {
    let what = match e {
        CertificateError::UnknownIssuer => format!(
            "the LRS's certificate for {host} is not signed by a certificate authority pace trusts (it may be self-signed)"
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            return format!(
                "the LRS's certificate for {host} has expired; its administrator must renew it (or check this computer's clock)"
            );
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            return format!(
                "the LRS's certificate for {host} is not valid yet; check this computer's clock, or ask the LRS's administrator"
            );
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            return format!(
                "the LRS's certificate is not for {host}; use the address the certificate names, or ask its administrator for one that names {host}"
            );
        }
        CertificateError::Revoked => {
            return format!("the LRS's certificate for {host} has been revoked; ask its administrator for a new one");
        }
        CertificateError::BadSignature => {
            format!("the LRS's certificate for {host} has a signature that does not check out")
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            format!("the LRS's certificate for {host} is not meant for a web server")
        }
        CertificateError::Other(other) => match other.to_string().as_str() {
            "CaUsedAsEndEntity" => {
                return format!(
                    "the LRS at {host} presents a certificate authority's own certificate instead of a server certificate issued by it; its administrator must install a server certificate"
                );
            }
            "EndEntityUsedAsCa" => {
                format!(
                    "the LRS's certificate for {host} was issued by a certificate that is not a certificate authority"
                )
            }
            name => format!("the LRS's certificate for {host} was refused ({name})"),
        },
        other => format!("the LRS's certificate for {host} was refused ({other})"),
    };
    format!("{what}; {TRUST_HINT}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_roots_are_there_even_without_a_store() {
        assert!(matches!(root_certs(), RootCerts::Specific(certs) if certs.len() >= 100));
    }
}

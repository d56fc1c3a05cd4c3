//! TLS for PostgreSQL connections: the connection string's `sslmode` and
//! `sslrootcert`, the rustls configuration they make, and what a failed
//! handshake is reported as.
//!
//! | `sslmode`          | TLS                                   | certificate checked                                  |
//! |--------------------|---------------------------------------|------------------------------------------------------|
//! | `disable`          | never                                 | no                                                   |
//! | `prefer` (default) | when the server accepts it, else none | only when `sslrootcert` is given (then as `require`) |
//! | `require`          | always, or the connection fails       | chain to a trusted root, and the host name           |
//! | `verify-ca`        | always, or the connection fails       | chain to a trusted root only                         |
//! | `verify-full`      | always, or the connection fails       | chain to a trusted root, and the host name           |
//!
//! The trusted roots are the system's (read once per process) plus the
//! certificates of the PEM file `sslrootcert` names. A certificate that
//! fails its check fails the connection: quarry never falls back to a plain
//! connection after a TLS handshake failed.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// libpq's `sslmode` values that quarry understands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// The value of a connection string's `sslmode`, if it has one.
    pub(crate) fn parse(value: Option<&str>) -> Result<SslMode> {
        Ok(match value {
            None | Some("prefer") => SslMode::Prefer,
            Some("disable") => SslMode::Disable,
            Some("require") => SslMode::Require,
            Some("verify-ca") => SslMode::VerifyCa,
            Some("verify-full") => SslMode::VerifyFull,
            Some(other) => {
                return Err(Error::Config(format!(
                    "invalid sslmode `{other}`: expected disable, prefer, require, verify-ca or verify-full"
                )));
            }
        })
    }

    /// What tokio-postgres does with it: whether it asks for TLS, and
    /// whether a server that declines fails the connection.
    pub(crate) fn driver(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as Driver;
        match self {
            SslMode::Disable => Driver::Disable,
            SslMode::Prefer => Driver::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => Driver::Require,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// What a connection string asks of TLS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TlsRequest {
    pub(crate) mode: SslMode,
    /// `sslrootcert`: a PEM file of root certificates trusted besides the
    /// system's.
    pub(crate) root_cert: Option<PathBuf>,
}

/// How a connection negotiates TLS: the URL's `sslmode` decides whether TLS
/// is attempted; this decides with what.
#[derive(Clone)]
pub(crate) enum Tls {
    /// Plain TCP or a Unix socket.
    None,
    /// rustls.
    #[cfg(feature = "tls")]
    Rustls(std::sync::Arc<rustls_tls::RustlsTls>),
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tls::None => f.write_str("Tls::None"),
            #[cfg(feature = "tls")]
            Tls::Rustls(tls) => write!(f, "Tls::Rustls({})", tls.mode.name()),
        }
    }
}

impl Tls {
    /// The TLS `request` asks for, configured by quarry.
    pub(crate) fn for_request(request: &TlsRequest) -> Result<Tls> {
        if request.mode == SslMode::Disable {
            return Ok(Tls::None);
        }
        #[cfg(feature = "tls")]
        {
            rustls_tls::RustlsTls::configured(request)
        }
        #[cfg(not(feature = "tls"))]
        {
            if request.mode == SslMode::Prefer && request.root_cert.is_none() {
                // The driver finds no TLS to offer and connects plainly.
                return Ok(Tls::None);
            }
            let asked = match &request.root_cert {
                Some(_) if request.mode == SslMode::Prefer => "sslrootcert".to_owned(),
                _ => format!("sslmode={}", request.mode.name()),
            };
            Err(Error::Config(format!(
                "the connection string asks for TLS ({asked}), but quarry was built without \
                 its `tls` feature (a feature of the `quarry` crate, and of `quarry-schema` for \
                 the `quarry` command)"
            )))
        }
    }

    /// TLS through the caller's own rustls configuration. `sslmode` still
    /// decides whether TLS is used; the configuration decides what is
    /// checked, so `sslrootcert` is refused rather than ignored.
    #[cfg(feature = "tls")]
    pub(crate) fn custom(request: &TlsRequest, config: rustls::ClientConfig) -> Result<Tls> {
        if request.root_cert.is_some() {
            return Err(Error::Config(
                "sslrootcert cannot be combined with a caller's own rustls ClientConfig: \
                 add the certificate to that configuration's root store"
                    .into(),
            ));
        }
        if request.mode == SslMode::Disable {
            return Ok(Tls::None);
        }
        Ok(Tls::Rustls(std::sync::Arc::new(
            rustls_tls::RustlsTls::custom(request.mode, config),
        )))
    }

    /// Why a connection attempt with this TLS failed, when TLS is why: a
    /// certificate that was not trusted, a host name it does not list, a
    /// server that declined TLS that the mode requires.
    #[cfg_attr(not(feature = "tls"), allow(unused_variables))]
    pub(crate) fn explain(&self, e: &tokio_postgres::Error) -> Option<TlsFailure> {
        match self {
            Tls::None => None,
            #[cfg(feature = "tls")]
            Tls::Rustls(tls) => tls.explain(e),
        }
    }
}

/// A TLS negotiation that failed, with what it means; the source of an
/// [`Error::Connect`].
#[derive(Debug)]
pub(crate) struct TlsFailure {
    message: String,
    #[cfg(feature = "tls")]
    source: Option<rustls::Error>,
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TlsFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        #[cfg(feature = "tls")]
        {
            self.source
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static))
        }
        #[cfg(not(feature = "tls"))]
        {
            None
        }
    }
}

#[cfg(feature = "tls")]
mod rustls_tls {
    use std::path::PathBuf;
    use std::sync::{Arc, OnceLock};

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
    use rustls::crypto::WebPkiSupportedAlgorithms;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::server::ParsedCertificate;
    use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

    use super::{SslMode, Tls, TlsFailure, TlsRequest};
    use crate::error::{Error, Result};

    /// A rustls connector and what it was made from, for error messages.
    pub(crate) struct RustlsTls {
        pub(crate) connector: tokio_postgres_rustls::MakeRustlsConnect,
        pub(crate) mode: SslMode,
        root_cert: Option<PathBuf>,
        /// The caller's own `ClientConfig`: quarry does not know its roots.
        custom: bool,
    }

    impl RustlsTls {
        pub(crate) fn configured(request: &TlsRequest) -> Result<Tls> {
            // ring builds anywhere Rust does (aws-lc-rs needs a C and
            // assembler build of its own). rustls 0.23.48 deprecates ring's
            // provider because it has no post-quantum key exchange; see
            // docs/decisions.md.
            #[allow(deprecated)]
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let algorithms = provider.signature_verification_algorithms;
            let verifier: Arc<dyn ServerCertVerifier> = match request.mode {
                SslMode::Prefer if request.root_cert.is_none() => {
                    Arc::new(Unverified { algorithms })
                }
                SslMode::VerifyCa => Arc::new(ChainOnly {
                    roots: Arc::new(roots(request)?),
                    algorithms,
                }),
                _ => WebPkiServerVerifier::builder_with_provider(
                    Arc::new(roots(request)?),
                    provider.clone(),
                )
                .build()
                .map_err(|e| Error::Config(format!("cannot set up TLS verification: {e}")))?,
            };
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth();
            // PostgreSQL 17 requires it for `sslnegotiation=direct`; older
            // servers ignore it.
            config.alpn_protocols = vec![b"postgresql".to_vec()];
            Ok(Tls::Rustls(Arc::new(RustlsTls {
                connector: tokio_postgres_rustls::MakeRustlsConnect::new(config),
                mode: request.mode,
                root_cert: request.root_cert.clone(),
                custom: false,
            })))
        }

        pub(crate) fn custom(mode: SslMode, config: rustls::ClientConfig) -> RustlsTls {
            RustlsTls {
                connector: tokio_postgres_rustls::MakeRustlsConnect::new(config),
                mode,
                root_cert: None,
                custom: true,
            }
        }

        pub(crate) fn explain(&self, e: &tokio_postgres::Error) -> Option<TlsFailure> {
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                if let Some(tls) = s
                    .downcast_ref::<std::io::Error>()
                    .and_then(|io| io.get_ref())
                    .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                {
                    return Some(TlsFailure {
                        message: self.handshake_failure(tls),
                        source: Some(tls.clone()),
                    });
                }
                // tokio-postgres's words when the server answers the TLS
                // request with "no" and the mode requires TLS.
                if s.to_string() == "server does not support TLS" {
                    return Some(TlsFailure {
                        message: format!(
                            "the server does not accept TLS connections, and sslmode={} requires TLS",
                            self.mode.name()
                        ),
                        source: None,
                    });
                }
                source = s.source();
            }
            None
        }

        fn handshake_failure(&self, e: &rustls::Error) -> String {
            let trusted_by = || {
                if self.custom {
                    "the given rustls ClientConfig".to_owned()
                } else {
                    match &self.root_cert {
                        Some(path) => format!(
                            "the system's root certificates or sslrootcert `{}`",
                            path.display()
                        ),
                        None => {
                            "the system's root certificates (no sslrootcert was given)".to_owned()
                        }
                    }
                }
            };
            match e {
                rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                ) => format!(
                    "the server's TLS certificate is not valid for the host name connected to \
                     ({e}); connect by a name the certificate lists, or use sslmode=verify-ca \
                     to check only that a trusted CA signed it"
                ),
                rustls::Error::InvalidCertificate(
                    CertificateError::UnknownIssuer | CertificateError::BadSignature,
                ) => format!(
                    "the server's TLS certificate was not trusted ({e}): it is not signed by \
                     a CA of {}",
                    trusted_by()
                ),
                rustls::Error::InvalidCertificate(_) => {
                    format!("the server's TLS certificate was not accepted ({e})")
                }
                _ => format!("the TLS handshake with the server failed ({e})"),
            }
        }
    }

    /// The system's root certificates, read once.
    fn system_roots() -> &'static [CertificateDer<'static>] {
        static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
        ROOTS.get_or_init(|| {
            let loaded = rustls_native_certs::load_native_certs();
            for e in &loaded.errors {
                tracing::debug!(target: "quarry::postgres", error = %e, "reading the system's root certificates");
            }
            loaded.certs
        })
    }

    /// The system's roots and those of `sslrootcert`.
    fn roots(request: &TlsRequest) -> Result<RootCertStore> {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(system_roots().iter().cloned());
        if let Some(path) = &request.root_cert {
            let unreadable = |e: &dyn std::fmt::Display| {
                Error::Config(format!("cannot read sslrootcert `{}`: {e}", path.display()))
            };
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| unreadable(&e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| unreadable(&e))?;
            if certs.is_empty() {
                return Err(unreadable(&"it holds no PEM certificate"));
            }
            for cert in certs {
                store.add(cert).map_err(|e| unreadable(&e))?;
            }
        }
        if store.is_empty() {
            return Err(Error::Config(
                "TLS certificates cannot be checked: the system has no root certificates and \
                 no sslrootcert was given"
                    .into(),
            ));
        }
        Ok(store)
    }

    /// `sslmode=verify-ca`: the chain must lead to a trusted root; the host
    /// name is not checked.
    #[derive(Debug)]
    struct ChainOnly {
        roots: Arc<RootCertStore>,
        algorithms: WebPkiSupportedAlgorithms,
    }

    impl ServerCertVerifier for ChainOnly {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                &self.roots,
                intermediates,
                now,
                self.algorithms.all,
            )?;
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    }

    /// `sslmode=prefer` without `sslrootcert`, as libpq: encryption against
    /// eavesdroppers, no check of whom the certificate names (the server
    /// may decline TLS under `prefer` anyway). The handshake's signatures
    /// are still checked against the certificate presented.
    #[derive(Debug)]
    struct Unverified {
        algorithms: WebPkiSupportedAlgorithms,
    }

    impl ServerCertVerifier for Unverified {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    }
}

//! Presigned links on one machine: `<base>/links/<bucket>/<key>?X-Pam-Method=GET&
//! X-Pam-Expires=<unix s>&X-Pam-Signature=<hex>`, the signature an HMAC-SHA256 over the
//! method, bucket, key and expiry with a secret kept in the data directory. The secret
//! never expires (unlike a Lambda role's session credentials), so a link works for its
//! whole life; `pam serve` checks each request with [`LocalPresigner::verify`].

mod key_file;

pub use key_file::{SECRET_LEN, SecretFileError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::presign::{
    MAX_PRESIGN, PresignError, PresignMethod, PresignRequest, PresignedUrl, Presigner,
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::Sha256;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url::Url;

/// Where links point when `PAM_PUBLIC_URL` is not set.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";
/// The path every link starts with.
pub const LINK_PATH: &str = "/links/";
/// Query parameter: the method the link allows.
pub const PARAM_METHOD: &str = "X-Pam-Method";
/// Query parameter: when the link stops working (unix seconds).
pub const PARAM_EXPIRES: &str = "X-Pam-Expires";
/// Query parameter: hex HMAC-SHA256.
pub const PARAM_SIGNATURE: &str = "X-Pam-Signature";

/// Bytes kept as they are in a key's path segments (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a link was refused. Carries no secret; safe to show the requester.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// A query parameter is absent.
    #[error("the link lacks its {0} parameter")]
    Missing(&'static str),
    /// A query parameter is not in the form links carry.
    #[error("the link's {0} parameter is malformed")]
    Malformed(&'static str),
    /// The link is past its expiry.
    #[error("the link expired at {0}")]
    Expired(DateTime<Utc>),
    /// The expiry lies further ahead than any link is issued for (7 days).
    #[error("the link claims an expiry more than 7 days ahead")]
    TooLong,
    /// The request's method is not the one the link allows.
    #[error("the link allows {allowed}, not {requested}")]
    WrongMethod {
        /// What the link was signed for.
        allowed: String,
        /// What the request used.
        requested: String,
    },
    /// Bucket, key, method or expiry was altered, or another secret signed it.
    #[error("the link's signature does not match (altered, or not issued here)")]
    BadSignature,
    /// The path is not `/links/<bucket>/<key>`.
    #[error("not a link path: expected /links/<bucket>/<key>")]
    NotALink,
}

/// A key that cannot be carried in a link path (a `.` segment, which URL parsers drop).
#[derive(Debug, thiserror::Error)]
#[error("object key {0:?} has a '.' segment, which a link path cannot carry")]
struct UnlinkableKey(String);

/// The local `Presigner`, and the checker for the links it makes.
#[derive(Clone)]
pub struct LocalPresigner {
    secret: [u8; SECRET_LEN],
    base: Url,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for LocalPresigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalPresigner")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

fn method_name(m: PresignMethod) -> &'static str {
    match m {
        PresignMethod::Get => "GET",
        PresignMethod::Put => "PUT",
    }
}

impl LocalPresigner {
    /// Where the secret lives under a data directory.
    pub fn secret_path(data_dir: &Path) -> PathBuf {
        data_dir.join("secrets").join("presign.key")
    }

    /// The public base URL from `PAM_PUBLIC_URL`, else [`DEFAULT_PUBLIC_URL`].
    pub fn public_url_from_env() -> Result<Url, url::ParseError> {
        let text = std::env::var("PAM_PUBLIC_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_owned());
        Url::parse(text.trim())
    }

    /// Opens the signer of `data_dir` (making its secret on first use) for links under
    /// `base`, with the system clock.
    pub fn open(data_dir: &Path, base: Url) -> Result<Self, SecretFileError> {
        Self::open_with_clock(data_dir, base, Arc::new(SystemClock))
    }

    /// As [`open`](Self::open), with a clock for "now".
    pub fn open_with_clock(
        data_dir: &Path,
        base: Url,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SecretFileError> {
        let secret = key_file::load_or_create(&Self::secret_path(data_dir))?;
        Ok(Self {
            secret,
            base,
            clock,
        })
    }

    fn mac(&self, method: &str, bucket: &str, key: &str, expires: i64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        // Length-prefixed fields: no two (bucket, key) pairs sign the same bytes.
        mac.update(b"pam-link-v1");
        for field in [method.as_bytes(), bucket.as_bytes(), key.as_bytes()] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field);
        }
        mac.update(&expires.to_be_bytes());
        mac
    }

    /// Checks a request for `/links/<bucket>/<key>` (already percent-decoded) made with
    /// HTTP `method` at `now`. A GET link also allows HEAD.
    pub fn verify(
        &self,
        method: &str,
        bucket: &str,
        key: &str,
        query: &HashMap<String, String>,
        now: DateTime<Utc>,
    ) -> Result<(), LinkError> {
        let param = |name: &'static str| query.get(name).ok_or(LinkError::Missing(name));
        let allowed = param(PARAM_METHOD)?;
        let expires_text = param(PARAM_EXPIRES)?;
        let signature_hex = param(PARAM_SIGNATURE)?;
        if allowed != "GET" && allowed != "PUT" {
            return Err(LinkError::Malformed(PARAM_METHOD));
        }
        let expires: i64 = expires_text
            .parse()
            .map_err(|_| LinkError::Malformed(PARAM_EXPIRES))?;
        let signature =
            hex::decode(signature_hex).map_err(|_| LinkError::Malformed(PARAM_SIGNATURE))?;
        self.mac(allowed, bucket, key, expires)
            .verify_slice(&signature)
            .map_err(|_| LinkError::BadSignature)?;
        let expires_at =
            DateTime::from_timestamp(expires, 0).ok_or(LinkError::Malformed(PARAM_EXPIRES))?;
        if now >= expires_at {
            return Err(LinkError::Expired(expires_at));
        }
        let longest =
            chrono::Duration::from_std(MAX_PRESIGN).expect("7 days") + chrono::Duration::seconds(1);
        if expires_at - now > longest {
            return Err(LinkError::TooLong);
        }
        let method = method.to_ascii_uppercase();
        let ok = method == *allowed || (allowed == "GET" && method == "HEAD");
        if !ok {
            return Err(LinkError::WrongMethod {
                allowed: allowed.clone(),
                requested: method,
            });
        }
        Ok(())
    }

    /// Splits a raw request path `/links/<bucket>/<key…>` into the percent-decoded
    /// bucket and key (for servers that do not decode paths themselves).
    pub fn link_target(path: &str) -> Result<(String, String), LinkError> {
        let rest = path.strip_prefix(LINK_PATH).ok_or(LinkError::NotALink)?;
        let (bucket, key) = rest.split_once('/').ok_or(LinkError::NotALink)?;
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| LinkError::NotALink)
        };
        let (bucket, key) = (decode(bucket)?, decode(key)?);
        if bucket.is_empty() || key.is_empty() {
            return Err(LinkError::NotALink);
        }
        Ok((bucket, key))
    }
}

#[async_trait]
impl Presigner for LocalPresigner {
    async fn presign(&self, request: &PresignRequest) -> Result<PresignedUrl, PresignError> {
        let key = request.key().as_str();
        if key.split('/').any(|s| s == ".") {
            return Err(PresignError::Backend(Box::new(UnlinkableKey(key.into()))));
        }
        let now = self.clock.now();
        // Round "now" up to a whole second so the link lives at least `expires_in`.
        let start = now.timestamp() + i64::from(now.timestamp_subsec_nanos() > 0);
        let expires = start + request.expires_in().as_secs() as i64;
        let method = method_name(request.method());
        let bucket = request.bucket().as_str();
        let signature = hex::encode(
            self.mac(method, bucket, key, expires)
                .finalize()
                .into_bytes(),
        );

        let mut path = self.base.path().trim_end_matches('/').to_owned();
        path.push_str(LINK_PATH);
        path.push_str(&utf8_percent_encode(bucket, SEGMENT).to_string());
        for segment in key.split('/') {
            path.push('/');
            path.push_str(&utf8_percent_encode(segment, SEGMENT).to_string());
        }
        let mut url = self.base.clone();
        url.set_path(&path);
        url.set_query(Some(&format!(
            "{PARAM_METHOD}={method}&{PARAM_EXPIRES}={expires}&{PARAM_SIGNATURE}={signature}"
        )));
        url.set_fragment(None);
        let expires_at = DateTime::from_timestamp(expires, 0)
            .ok_or_else(|| PresignError::InvalidExpiry(request.expires_in()))?;
        tracing::debug!(bucket, key, %expires_at, "link presigned");
        Ok(PresignedUrl {
            url: url.into(),
            expires_at,
        })
    }
}

//! Sign-in tokens: HS256 JWTs whose claims have the shape of a Cognito ID token (`sub`,
//! `email`, `phone_number`, `cognito:username`, `token_use: "id"`…), so handlers read a
//! caller the same way locally and behind API Gateway's Cognito authorizer. The key is
//! 32 random bytes in `<data-dir>/secrets/jwt.key` (mode 0600), created on first start.
//!
//! The same key also signs the short-lived capability in multipart part URLs, under a
//! different audience, so neither kind of token can stand in for the other.

use super::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pam_local::accounts::User;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// `aud` of ID tokens (Cognito puts the app client id here).
pub const ID_AUDIENCE: &str = "pam";
/// `aud` of multipart part-upload capabilities.
const PART_AUDIENCE: &str = "pam-upload-part";

/// The claims of an ID token, named as Cognito names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The account's stable id.
    pub sub: String,
    /// The account's email, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The account's phone number, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The sign-in name.
    #[serde(rename = "cognito:username")]
    pub username: String,
    /// Expiry (unix seconds).
    pub exp: i64,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// When the person signed in (unix seconds).
    pub auth_time: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Always `"id"`.
    pub token_use: String,
}

/// What a part URL lets its holder do: PUT one part of one upload until `exp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartGrant {
    /// The store's upload id.
    pub upload_id: String,
    /// The object key.
    pub key: String,
    /// The part number.
    pub part: u32,
    /// Expiry (unix seconds).
    pub exp: i64,
    /// Always [`PART_AUDIENCE`].
    pub aud: String,
}

/// Why a token was refused (the API's 401 codes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Past `exp`.
    #[error("the token has expired; sign in again")]
    Expired,
    /// Bad signature, wrong issuer/audience, malformed.
    #[error("the token is not valid: {0}")]
    Invalid(String),
}

/// Why the key file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("JWT key {path}: {source}")]
pub struct KeyFileError {
    path: String,
    source: std::io::Error,
}

/// Issues and checks tokens with one key.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    ttl: Duration,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("issuer", &self.issuer)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

/// Reads the key at `path`, creating it (32 random bytes, mode 0600) if missing. Two
/// processes racing both end up with the one key that won the link.
pub fn load_or_create_key(path: &Path) -> Result<Vec<u8>, KeyFileError> {
    let err = |source| KeyFileError {
        path: path.display().to_string(),
        source,
    };
    if let Ok(key) = std::fs::read(path) {
        if key.len() >= 32 {
            return Ok(key);
        }
        return Err(err(std::io::Error::other("shorter than 32 bytes")));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
    let mut key = vec![0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let tmp = dir.join(format!(".jwt.key.{}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(err)?;
    file.write_all(&key)
        .and_then(|_| file.sync_all())
        .map_err(err)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path).map_err(err),
        Err(e) => Err(err(e)),
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Tokens {
    /// Tokens signed with `key`, issued by `issuer`, valid for `ttl`.
    pub fn new(key: &[u8], issuer: String, ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            issuer,
            ttl,
        }
    }

    /// How long an ID token lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// An ID token for `user`, issued now.
    pub fn issue(&self, user: &User) -> String {
        let iat = now();
        let claims = Claims {
            sub: user.id.clone(),
            email: user.email.clone(),
            phone_number: None,
            username: user.name.to_string(),
            exp: iat + self.ttl.as_secs() as i64,
            iat,
            auth_time: iat,
            iss: self.issuer.clone(),
            aud: ID_AUDIENCE.into(),
            token_use: "id".into(),
        };
        self.sign(&claims)
    }

    /// Signs any claims with this key (HS256).
    pub fn sign<T: Serialize>(&self, claims: &T) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of serialisable claims cannot fail")
    }

    fn validation(&self, audience: &str, issuer: Option<&str>) -> Validation {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.set_audience(&[audience]);
        match issuer {
            Some(iss) => v.set_issuer(&[iss]),
            None => v.iss = None,
        }
        v.set_required_spec_claims(&["exp", "aud"]);
        v
    }

    /// Checks an ID token's signature, issuer, audience, expiry and `token_use`.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let validation = self.validation(ID_AUDIENCE, Some(&self.issuer));
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(token_error)?;
        if data.claims.token_use != "id" {
            return Err(TokenError::Invalid("not an ID token".into()));
        }
        Ok(data.claims)
    }

    /// A capability to PUT part `part` of `upload_id` (object `key`) for `valid_for`.
    pub fn part_grant(&self, upload_id: &str, key: &str, part: u32, valid_for: Duration) -> String {
        self.sign(&PartGrant {
            upload_id: upload_id.into(),
            key: key.into(),
            part,
            exp: now() + valid_for.as_secs() as i64,
            aud: PART_AUDIENCE.into(),
        })
    }

    /// Checks a part capability.
    pub fn verify_part(&self, token: &str) -> Result<PartGrant, TokenError> {
        let validation = self.validation(PART_AUDIENCE, None);
        jsonwebtoken::decode::<PartGrant>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(token_error)
    }
}

fn token_error(e: jsonwebtoken::errors::Error) -> TokenError {
    match e.kind() {
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::InvalidSignature => TokenError::Invalid("bad signature".into()),
        ErrorKind::InvalidAudience => TokenError::Invalid("wrong audience".into()),
        ErrorKind::InvalidIssuer => TokenError::Invalid("wrong issuer".into()),
        ErrorKind::InvalidAlgorithm => TokenError::Invalid("wrong algorithm".into()),
        _ => TokenError::Invalid("malformed token".into()),
    }
}

/// Middleware for every route that needs a caller: `Authorization: Bearer <ID token>`;
/// the verified [`Claims`] go into the request's extensions.
pub async fn require_token(
    State(tokens): State<Arc<Tokens>>,
    mut request: Request,
    next: Next,
) -> Response {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let token = match header.map(|h| h.split_once(' ')) {
        None => Err(ApiError::unauthorized(
            "unauthorized",
            "this route needs an Authorization: Bearer <id_token> header; sign in at POST /auth/login",
        )),
        Some(Some((scheme, token)))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        Some(_) => Err(ApiError::unauthorized(
            "unauthorized",
            "the Authorization header must be `Bearer <id_token>`",
        )),
    };
    let checked = token.and_then(|t| {
        tokens.verify(&t).map_err(|e| match e {
            TokenError::Expired => ApiError::unauthorized("token_expired", e.to_string()),
            TokenError::Invalid(_) => ApiError::unauthorized("invalid_token", e.to_string()),
        })
    });
    match checked {
        Ok(claims) => {
            request.extensions_mut().insert(claims);
            next.run(request).await
        }
        Err(e) => {
            let mut response = e.into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pam_local::accounts::Username;

    fn user() -> User {
        User {
            id: "u-1".into(),
            name: Username::parse("ana").unwrap(),
            email: Some("ana@example.com".into()),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn issue_and_verify() {
        let t = Tokens::new(&[7; 32], "http://pam".into(), Duration::from_secs(60));
        let claims = t.verify(&t.issue(&user())).unwrap();
        assert_eq!(claims.username, "ana");
        assert_eq!(claims.token_use, "id");
        assert_eq!(claims.exp - claims.iat, 60);
        let json = serde_json::to_value(&claims).unwrap();
        assert_eq!(json["cognito:username"], "ana");
    }

    #[test]
    fn refuses_forged_expired_and_cross_use() {
        let t = Tokens::new(&[7; 32], "http://pam".into(), Duration::from_secs(60));
        let other = Tokens::new(&[8; 32], "http://pam".into(), Duration::from_secs(60));
        assert!(matches!(
            t.verify(&other.issue(&user())),
            Err(TokenError::Invalid(_))
        ));
        let mut expired: Claims = t.verify(&t.issue(&user())).unwrap();
        expired.exp = now() - 10;
        assert_eq!(t.verify(&t.sign(&expired)), Err(TokenError::Expired));
        let elsewhere = Tokens::new(&[7; 32], "http://other".into(), Duration::from_secs(60));
        assert!(t.verify(&elsewhere.issue(&user())).is_err());
        let part = t.part_grant("up", "photos/a.jpg", 1, Duration::from_secs(60));
        assert!(t.verify(&part).is_err(), "a part grant is not an ID token");
        assert!(t.verify_part(&t.issue(&user())).is_err(), "nor the reverse");
        assert_eq!(t.verify_part(&part).unwrap().part, 1);
    }

    #[test]
    fn key_file_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets/jwt.key");
        let a = load_or_create_key(&path).unwrap();
        let b = load_or_create_key(&path).unwrap();
        assert_eq!(a, b);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

//! [`S3Presigner`]: SigV4 presigned GET and PUT URLs that live as long as they say.
//!
//! # Why a long-term key
//! A SigV4 presigned URL is only as good as the credentials that signed it: signed with
//! a Lambda role's session credentials it stops working when that session ends (at
//! most 12 hours for a role session, often far less), whatever `X-Amz-Expires` says.
//! PAM promises a download link valid for 24 hours (up to 7 days), so links are signed
//! with the long-term access key of a dedicated IAM user:
//!
//! - the user has no console access and one policy: `s3:GetObject` on the working
//!   bucket's `bundles/*` and `s3:PutObject` on the photo bucket's `uploads/*`;
//! - its key pair lives in Secrets Manager as `{"AccessKeyId": …, "SecretAccessKey": …}`
//!   (see [`LongTermKey::from_secret_json`]); only the Presign and upload Lambdas may
//!   read that secret, and they use it for signing only, never for calls;
//! - rotation creates the new key, switches the secret, and deactivates the old key
//!   only after the longest link lifetime (7 days) has passed, so no live link breaks.
//!
//! The alternative, CloudFront signed URLs with a key group, also outlives sessions and
//! hides the bucket, but adds a distribution per bucket; a plain S3 URL is enough here.
//! The type makes the choice explicit: a [`LongTermKey`] has no session token, and
//! temporary (`ASIA…`) key ids are refused.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_s3::config::{Credentials, RequestChecksumCalculation};
use aws_sdk_s3::presigning::PresigningConfig;
use chrono::Utc;
use pam_core::ports::presign::{
    PresignError, PresignMethod, PresignRequest, PresignedUrl, Presigner,
};
use serde::Deserialize;
use std::fmt;
use std::time::SystemTime;

/// Why a signing key was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The secret is not the expected JSON.
    #[error("the signing-key secret must be JSON {{\"AccessKeyId\", \"SecretAccessKey\"}}: {0}")]
    Malformed(String),
    /// A field is empty.
    #[error("the signing key's {0} is empty")]
    Empty(&'static str),
    /// An STS session key: links signed with it would die with the session.
    #[error("access key {0}… is temporary (ASIA); presigning needs a long-term IAM user key")]
    Temporary(String),
}

/// An IAM user's long-term access key, used only to sign URLs.
#[derive(Clone, Deserialize)]
pub struct LongTermKey {
    #[serde(alias = "accessKeyId", alias = "access_key_id")]
    #[serde(rename = "AccessKeyId")]
    access_key_id: String,
    #[serde(alias = "secretAccessKey", alias = "secret_access_key")]
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: String,
}

impl fmt::Debug for LongTermKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongTermKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

impl LongTermKey {
    /// Validates a key pair: both parts present, not an STS session key.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Result<Self, KeyError> {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
        }
        .validated()
    }

    /// Parses the Secrets Manager secret string holding the key.
    pub fn from_secret_json(secret: &str) -> Result<Self, KeyError> {
        serde_json::from_str::<Self>(secret)
            .map_err(|e| KeyError::Malformed(e.to_string()))?
            .validated()
    }

    fn validated(self) -> Result<Self, KeyError> {
        if self.access_key_id.trim().is_empty() {
            return Err(KeyError::Empty("AccessKeyId"));
        }
        if self.secret_access_key.is_empty() {
            return Err(KeyError::Empty("SecretAccessKey"));
        }
        if self.access_key_id.starts_with("ASIA") {
            let shown: String = self.access_key_id.chars().take(8).collect();
            return Err(KeyError::Temporary(shown));
        }
        Ok(self)
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
}

/// Presigns S3 URLs with a [`LongTermKey`].
#[derive(Debug, Clone)]
pub struct S3Presigner {
    client: aws_sdk_s3::Client,
}

impl S3Presigner {
    /// A presigner for the region and endpoint of `sdk`, signing with `key` instead of
    /// `sdk`'s (session) credentials. `force_path_style` as for the store's client.
    pub fn new(sdk: &SdkConfig, key: LongTermKey, force_path_style: bool) -> Self {
        let credentials = Credentials::new(
            key.access_key_id,
            key.secret_access_key,
            None,
            None,
            "pam-presign-long-term-key",
        );
        // No checksum of the (absent) body in a presigned PUT: the browser's upload has
        // other bytes, and S3 would refuse it.
        let config = aws_sdk_s3::config::Builder::from(sdk)
            .credentials_provider(credentials)
            .force_path_style(force_path_style)
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .build();
        Self {
            client: aws_sdk_s3::Client::from_conf(config),
        }
    }
}

#[async_trait]
impl Presigner for S3Presigner {
    async fn presign(&self, request: &PresignRequest) -> Result<PresignedUrl, PresignError> {
        let start = SystemTime::now();
        let config = PresigningConfig::builder()
            .start_time(start)
            .expires_in(request.expires_in())
            .build()
            .map_err(|e| PresignError::Backend(Box::new(e)))?;
        let (bucket, key) = (request.bucket().as_str(), request.key().as_str());
        let boxed = |e: Box<dyn std::error::Error + Send + Sync>| PresignError::Backend(e);
        let signed = match request.method() {
            PresignMethod::Get => self
                .client
                .get_object()
                .bucket(bucket)
                .key(key)
                .presigned(config)
                .await
                .map_err(|e| boxed(Box::new(e)))?,
            PresignMethod::Put => self
                .client
                .put_object()
                .bucket(bucket)
                .key(key)
                .presigned(config)
                .await
                .map_err(|e| boxed(Box::new(e)))?,
        };
        let lifetime = chrono::Duration::from_std(request.expires_in())
            .map_err(|e| PresignError::Backend(Box::new(e)))?;
        Ok(PresignedUrl {
            url: signed.uri().to_owned(),
            expires_at: chrono::DateTime::<Utc>::from(start) + lifetime,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_validated() {
        let key = LongTermKey::from_secret_json(
            r#"{"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s3cr3t"}"#,
        )
        .unwrap();
        assert_eq!(key.access_key_id(), "AKIAEXAMPLE");
        assert!(
            !format!("{key:?}").contains("s3cr3t"),
            "Debug hides the secret"
        );
        assert!(matches!(
            LongTermKey::new("ASIAEXAMPLE", "x"),
            Err(KeyError::Temporary(_))
        ));
        assert!(matches!(
            LongTermKey::new("AKIA", ""),
            Err(KeyError::Empty(_))
        ));
        assert!(matches!(
            LongTermKey::from_secret_json("{}"),
            Err(KeyError::Malformed(_))
        ));
    }
}

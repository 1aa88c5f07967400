//! The presigner port: time-limited URLs that let a browser GET a bundle or PUT an
//! upload without credentials. Separate from the store because on AWS it needs
//! long-lived signing credentials, and locally an HMAC key.

use crate::domain::{BucketName, ObjectKey};
use crate::ports::store::BoxError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The longest validity S3 allows for a SigV4 presigned URL: 7 days.
pub const MAX_PRESIGN: Duration = Duration::from_secs(7 * 24 * 3600);

/// Which request the URL authorises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresignMethod {
    /// Download.
    Get,
    /// Upload.
    Put,
}

/// A URL to presign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignRequest {
    method: PresignMethod,
    bucket: BucketName,
    key: ObjectKey,
    expires_in: Duration,
}

/// What went wrong presigning.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresignError {
    /// Validity outside 1 s ..= 7 days.
    #[error("a presigned URL must be valid for 1 second to 7 days, not {0:?}")]
    InvalidExpiry(Duration),
    /// Signing failed (credentials, key material).
    #[error("presigning failed: {0}")]
    Backend(BoxError),
}

impl PresignRequest {
    /// Validates the expiry (1 s ..= 7 days).
    pub fn new(
        method: PresignMethod,
        bucket: BucketName,
        key: ObjectKey,
        expires_in: Duration,
    ) -> Result<Self, PresignError> {
        if expires_in < Duration::from_secs(1) || expires_in > MAX_PRESIGN {
            return Err(PresignError::InvalidExpiry(expires_in));
        }
        Ok(Self {
            method,
            bucket,
            key,
            expires_in,
        })
    }

    /// The method.
    pub fn method(&self) -> PresignMethod {
        self.method
    }
    /// The bucket.
    pub fn bucket(&self) -> &BucketName {
        &self.bucket
    }
    /// The key.
    pub fn key(&self) -> &ObjectKey {
        &self.key
    }
    /// How long the URL is valid.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }
}

/// A presigned URL and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    /// The URL.
    pub url: String,
    /// Its expiry.
    pub expires_at: DateTime<Utc>,
}

/// Makes presigned URLs.
///
/// # Contract
/// The URL works for the whole of `expires_in` (it must not depend on credentials that
/// expire sooner) and is refused afterwards or when any part of it was altered.
#[async_trait]
pub trait Presigner: Send + Sync + std::fmt::Debug {
    /// Presigns one request.
    async fn presign(&self, request: &PresignRequest) -> Result<PresignedUrl, PresignError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_bounded() {
        let b = BucketName::parse("work").unwrap();
        let k = ObjectKey::parse("bundles/a.zip").unwrap();
        let ok = PresignRequest::new(PresignMethod::Get, b.clone(), k.clone(), MAX_PRESIGN);
        assert!(ok.is_ok());
        let too_long = MAX_PRESIGN + Duration::from_secs(1);
        assert!(PresignRequest::new(PresignMethod::Get, b.clone(), k.clone(), too_long).is_err());
        assert!(PresignRequest::new(PresignMethod::Put, b, k, Duration::ZERO).is_err());
    }
}

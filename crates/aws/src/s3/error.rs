//! Turns the S3 SDK's errors into the port's named [`StoreError`] variants, by S3 error
//! code first and HTTP status second, so steps branch on meaning and never on SDK types.

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use pam_core::ports::store::StoreError;
use pam_core::{BucketName, ObjectKey};

pub(crate) const STORE: &str = "s3";

/// What a failed call was about, for the error's context.
pub(crate) struct Target<'a> {
    pub bucket: &'a BucketName,
    pub key: Option<&'a ObjectKey>,
    pub upload_id: Option<&'a str>,
}

impl<'a> Target<'a> {
    pub fn bucket(bucket: &'a BucketName) -> Self {
        Self {
            bucket,
            key: None,
            upload_id: None,
        }
    }

    pub fn object(bucket: &'a BucketName, key: &'a ObjectKey) -> Self {
        Self {
            bucket,
            key: Some(key),
            upload_id: None,
        }
    }

    pub fn upload(bucket: &'a BucketName, key: &'a ObjectKey, upload_id: &'a str) -> Self {
        Self {
            bucket,
            key: Some(key),
            upload_id: Some(upload_id),
        }
    }
}

/// The code and status of an SDK error, with the error itself as the source.
pub(crate) struct Failure {
    pub code: Option<String>,
    pub message: Option<String>,
    pub status: Option<u16>,
    pub transport: bool,
    pub source: pam_core::ports::store::BoxError,
}

impl Failure {
    pub fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let status = err.raw_response().map(|r| r.status().as_u16());
        let transport = matches!(
            err,
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
        );
        Self {
            code: err.code().map(str::to_owned),
            message: err.message().map(str::to_owned),
            status,
            transport,
            source: Box::new(err),
        }
    }

    /// The S3 error code, or the status for bodiless answers (HEAD).
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    fn text(&self) -> String {
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (Some(c), None) => c.clone(),
            (None, Some(m)) => m.clone(),
            (None, None) => self.source.to_string(),
        }
    }

    /// Maps to the port's error for a call about `target`.
    pub fn into_store(self, target: Target<'_>) -> StoreError {
        let key = || {
            target
                .key
                .cloned()
                .unwrap_or_else(|| ObjectKey::parse("-").expect("placeholder key"))
        };
        match self.code() {
            "NoSuchKey" | "NotFound" => StoreError::NotFound {
                bucket: target.bucket.clone(),
                key: key(),
            },
            "NoSuchBucket" => StoreError::NoSuchBucket(target.bucket.clone()),
            "NoSuchUpload" => StoreError::NoSuchUpload {
                upload_id: target.upload_id.unwrap_or_default().to_owned(),
            },
            "InvalidObjectState" => StoreError::InvalidObjectState {
                key: key(),
                reason: self.text(),
            },
            "RestoreAlreadyInProgress" => StoreError::RestoreAlreadyInProgress { key: key() },
            "PreconditionFailed" => StoreError::Precondition(self.text()),
            "InvalidPart"
            | "InvalidPartOrder"
            | "InvalidArgument"
            | "InvalidRequest"
            | "MalformedXML"
            | "InvalidStorageClass"
            | "InvalidTag"
            | "KeyTooLongError"
            | "MetadataTooLarge" => StoreError::InvalidArgument(self.text()),
            "SlowDown"
            | "Throttling"
            | "ThrottlingException"
            | "RequestTimeout"
            | "InternalError"
            | "ServiceUnavailable"
            | "ConditionalRequestConflict"
            | "OperationAborted" => self.transient(),
            _ if self.transport || self.status.is_some_and(|s| s >= 500) => self.transient(),
            _ if self.code.is_none() && self.status == Some(404) => match target.key {
                Some(key) => StoreError::NotFound {
                    bucket: target.bucket.clone(),
                    key: key.clone(),
                },
                None => StoreError::NoSuchBucket(target.bucket.clone()),
            },
            _ => StoreError::Backend {
                store: STORE,
                source: self.source,
            },
        }
    }

    fn transient(self) -> StoreError {
        StoreError::Transient {
            store: STORE,
            source: self.source,
        }
    }
}

/// Maps an SDK error about `target` straight to the port's error.
pub(crate) fn store_err<E>(err: SdkError<E, HttpResponse>, target: Target<'_>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    Failure::from_sdk(err).into_store(target)
}

/// An SDK builder refused a value (a required field was missing): a bug here, not in
/// the caller's input, reported as a backend failure with context.
pub(crate) fn build_err(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend {
        store: STORE,
        source: format!("building {what}: {err}").into(),
    }
}

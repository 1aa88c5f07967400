//! The photo store's error: named variants callers branch on (a step maps them to
//! stable ASL error names), each carrying the context needed to understand it.

use crate::domain::{BucketName, ObjectKey};

/// Boxed source error from an adapter's library.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong in a [`PhotoStore`](super::PhotoStore) call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No such object (S3 `NoSuchKey`).
    #[error("object {bucket}/{key} not found")]
    NotFound {
        /// Bucket asked.
        bucket: BucketName,
        /// Key asked.
        key: ObjectKey,
    },
    /// No such bucket (S3 `NoSuchBucket`).
    #[error("bucket {0} does not exist")]
    NoSuchBucket(BucketName),
    /// No such multipart upload, or it was completed or aborted (S3 `NoSuchUpload`).
    #[error("multipart upload {upload_id} does not exist")]
    NoSuchUpload {
        /// The upload id.
        upload_id: String,
    },
    /// A conditional create found the key taken (`If-None-Match: *`).
    #[error("object {bucket}/{key} already exists")]
    AlreadyExists {
        /// Bucket.
        bucket: BucketName,
        /// Key.
        key: ObjectKey,
    },
    /// The object's storage state forbids the operation, e.g. GET of an archived object
    /// that is not restored, or a restore of an object that is not archived.
    #[error("invalid object state for {key}: {reason}")]
    InvalidObjectState {
        /// Key.
        key: ObjectKey,
        /// What state it is in and why that forbids the call.
        reason: String,
    },
    /// A restore is already running (S3 `RestoreAlreadyInProgress`).
    #[error("a restore of {key} is already in progress")]
    RestoreAlreadyInProgress {
        /// Key.
        key: ObjectKey,
    },
    /// A precondition failed (S3 `PreconditionFailed`, 412).
    #[error("precondition failed: {0}")]
    Precondition(String),
    /// The range asked for lies outside the object (S3 `InvalidRange`).
    #[error("range not satisfiable for an object of {size} bytes")]
    InvalidRange {
        /// Object size.
        size: u64,
    },
    /// A multipart part other than the last is smaller than the store's minimum.
    #[error("part {part_number} is {size} bytes; parts before the last need at least {minimum}")]
    EntityTooSmall {
        /// The part.
        part_number: u32,
        /// Its size.
        size: u64,
        /// The minimum.
        minimum: u64,
    },
    /// An argument the store refuses (bad part list, Days where none is allowed…).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// This store cannot do the operation.
    #[error("{operation} is not implemented by {implementer}")]
    NotImplemented {
        /// The operation.
        operation: &'static str,
        /// The store.
        implementer: &'static str,
    },
    /// A failure worth retrying (throttling, timeouts, busy database).
    #[error("transient failure in {store}: {source}")]
    Transient {
        /// The store.
        store: &'static str,
        /// Cause.
        source: BoxError,
    },
    /// Any other failure of the underlying system.
    #[error("{store} failed: {source}")]
    Backend {
        /// The store.
        store: &'static str,
        /// Cause.
        source: BoxError,
    },
}

impl StoreError {
    /// Whether retrying the same call may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient { .. })
    }
}

//! The label index port: which photos exist (by content), their labels, the count of
//! photos per label, and quarantined failures. DynamoDB on AWS, SQLite locally.

mod types;

pub use types::{
    Indexed, LabelCount, Page, PageRequest, PhotoEntry, PhotoLabel, PhotoRecord, QuarantineRecord,
    Recorded,
};

use crate::domain::{Label, MatchMode, PhotoKey};
use crate::ports::store::BoxError;
use async_trait::async_trait;

/// What went wrong in a [`LabelIndex`] call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// The photo was never recorded.
    #[error("photo {0} is not recorded in the index")]
    NotFound(PhotoKey),
    /// The key is recorded with other content (the object was overwritten).
    #[error("photo {key} is already recorded with different content ({existing})")]
    AlreadyExists {
        /// The key.
        key: PhotoKey,
        /// The recorded SHA-256.
        existing: String,
    },
    /// A malformed request (bad page token, page size, empty label list…).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Worth retrying (throttling, busy database).
    #[error("transient failure in {index}: {source}")]
    Transient {
        /// The index.
        index: &'static str,
        /// Cause.
        source: BoxError,
    },
    /// Any other failure.
    #[error("{index} failed: {source}")]
    Backend {
        /// The index.
        index: &'static str,
        /// Cause.
        source: BoxError,
    },
}

impl IndexError {
    /// Whether retrying may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient { .. })
    }
}

/// The label index.
///
/// # Contract
/// - **One photo per content.** `record_photo` of bytes already recorded under another
///   key answers `DuplicateOf(that key)` and records nothing; the same key and bytes
///   again answer `AlreadyRecorded`; the same key with other bytes is `AlreadyExists`.
/// - **Counted once.** `index_labels` counts a photo's labels exactly once however
///   many times it is called, sequentially or concurrently, from any number of
///   processes; later calls answer `Indexed::Already` and change nothing. Labels
///   repeated in one call count once. A photo must be recorded first (`NotFound`).
/// - **Atomic.** A photo's labels are counted all or not at all.
/// - `label_counts` lists every label with count > 0, highest count first, ties by name.
/// - `photos_matching` and `list_photos` page in ascending key order; the page token
///   is opaque; an empty label list is `InvalidArgument`.
/// - `quarantine` keeps the latest record per key.
#[async_trait]
pub trait LabelIndex: Send + Sync + std::fmt::Debug {
    /// Records a photo's identity, size and checksums.
    async fn record_photo(&self, record: &PhotoRecord) -> Result<Recorded, IndexError>;

    /// Indexes a recorded photo's labels, idempotently.
    async fn index_labels(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Indexed, IndexError>;

    /// Every label with its count of distinct photos, highest first.
    async fn label_counts(&self) -> Result<Vec<LabelCount>, IndexError>;

    /// Keys of the photos carrying any / all of `labels`.
    async fn photos_matching(
        &self,
        labels: &[Label],
        mode: MatchMode,
        page: PageRequest,
    ) -> Result<Page<PhotoKey>, IndexError>;

    /// One photo with its labels.
    async fn photo(&self, key: &PhotoKey) -> Result<Option<PhotoEntry>, IndexError>;

    /// All photos with their labels.
    async fn list_photos(&self, page: PageRequest) -> Result<Page<PhotoEntry>, IndexError>;

    /// Records that a photo could not be labelled.
    async fn quarantine(&self, record: &QuarantineRecord) -> Result<(), IndexError>;

    /// Quarantined photos.
    async fn quarantined(&self, page: PageRequest) -> Result<Page<QuarantineRecord>, IndexError>;
}

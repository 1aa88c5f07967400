//! The photo store port: S3's object semantics, as small as the steps and the bundle
//! builder need. Convenience methods live in [`PhotoStoreExt`]; presigned URLs in
//! [`Presigner`](super::Presigner).

mod error;
mod ext;
mod tags;
mod types;

pub use error::{BoxError, StoreError};
pub use ext::{MultipartWriter, PhotoStoreExt};
pub use tags::{MAX_TAGS, TagError, Tags};
pub use types::{
    ByteRange, ByteStream, CompletedPart, GetOptions, GetResult, ListPage, ListRequest,
    MAX_PART_NUMBER, MIN_PART_SIZE, Metadata, ObjectMeta, ObjectSummary, PutOptions, PutResult,
    PutSource, RestoreOutcome, RestoreRequest, UploadId,
};

use crate::domain::{ArchiveStatus, BucketName, ObjectKey, StorageClass};
use async_trait::async_trait;

/// An object store with S3's semantics.
///
/// # Contract
/// Every adapter (local filesystem, AWS S3) behaves as follows; the scenarios in
/// `pam_core::conformance` check it.
/// - **Atomic writes.** A put or a completed multipart upload is visible whole or not
///   at all; readers never see partial bytes. A put replaces an existing object unless
///   `if_none_match` is set, in which case it fails with [`StoreError::AlreadyExists`].
/// - **Streaming.** Put sources and GET bodies are streamed; memory does not grow
///   with object size. Multipart uploads give constant-memory writes of unknown length.
/// - **Archived objects.** GLACIER and DEEP_ARCHIVE objects, and INTELLIGENT_TIERING
///   objects in an archive tier, fail GET with [`StoreError::InvalidObjectState`]
///   until a restore completes. HEAD always works and reports `restore` as S3's
///   `x-amz-restore` does. Restoring a non-archived object is `InvalidObjectState`;
///   restoring while one runs is `RestoreAlreadyInProgress`; restoring a restored
///   GLACIER object resets its expiry and answers `AlreadyRestored`.
/// - **Restore days.** GLACIER / DEEP_ARCHIVE need `days ≥ 1`; Intelligent-Tiering
///   archive tiers refuse `days` (`InvalidArgument`). Expedited is refused for
///   DEEP_ARCHIVE and the Deep Archive Access tier (`InvalidArgument`).
/// - **Tags** are replaced as a whole by `put_tags`, as S3's PutObjectTagging does.
/// - **Listing** is in ascending key order, paginated by an opaque token.
/// - **Delete** of a missing key succeeds (S3 answers 204).
/// - Missing objects are [`StoreError::NotFound`]; missing buckets `NoSuchBucket`.
/// - Failures worth retrying are [`StoreError::Transient`].
#[async_trait]
pub trait PhotoStore: Send + Sync + std::fmt::Debug {
    /// Writes an object from a streamed source.
    async fn put(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        source: PutSource,
        options: PutOptions,
    ) -> Result<PutResult, StoreError>;

    /// Reads an object (or a range of it) as a stream.
    async fn get(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: GetOptions,
    ) -> Result<GetResult, StoreError>;

    /// HeadObject.
    async fn head(&self, bucket: &BucketName, key: &ObjectKey) -> Result<ObjectMeta, StoreError>;

    /// Deletes an object; succeeds if it is already gone.
    async fn delete(&self, bucket: &BucketName, key: &ObjectKey) -> Result<(), StoreError>;

    /// One page of ListObjectsV2.
    async fn list(&self, bucket: &BucketName, request: ListRequest)
    -> Result<ListPage, StoreError>;

    /// GetObjectTagging.
    async fn get_tags(&self, bucket: &BucketName, key: &ObjectKey) -> Result<Tags, StoreError>;

    /// PutObjectTagging: replaces the whole tag set.
    async fn put_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tags: Tags,
    ) -> Result<(), StoreError>;

    /// Moves an object to `class` (S3: a copy onto itself with a new storage class).
    /// `archive` asks for an Intelligent-Tiering archive tier; it is only valid with
    /// INTELLIGENT_TIERING. Stores that cannot force the tier (AWS moves objects by the
    /// bucket's Intelligent-Tiering configuration) ignore it; HEAD tells the truth.
    /// Moving an archived object that is not restored is `InvalidObjectState`.
    async fn transition(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        class: StorageClass,
        archive: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError>;

    /// RestoreObject.
    async fn restore(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        request: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError>;

    /// CreateMultipartUpload.
    async fn create_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: PutOptions,
    ) -> Result<UploadId, StoreError>;

    /// UploadPart. Parts may arrive in any order; re-uploading a number replaces it.
    async fn upload_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        data: PutSource,
    ) -> Result<CompletedPart, StoreError>;

    /// CompleteMultipartUpload: `parts` in ascending part number order. Every part but
    /// the last must be at least the store's minimum part size (5 MiB on S3).
    async fn complete_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> Result<PutResult, StoreError>;

    /// AbortMultipartUpload.
    async fn abort_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<(), StoreError>;
}

//! [`S3Store`]: the `PhotoStore` port on Amazon S3 (aws-sdk-s3).
//!
//! - `objects.rs`: put (single or multipart, streamed), get, head, delete, list, tags.
//! - `archive.rs`: storage-class transitions and RestoreObject per class and tier.
//! - `multipart.rs`: the multipart operations and streamed multipart puts.
//! - `convert.rs`: wire ↔ domain values; `error.rs`: SDK errors → `StoreError`.
//!
//! Bodies are streamed both ways: a GET hands out the SDK's body as an `AsyncRead`; a
//! put from a file sends it from disk (in parts above the multipart threshold); a put
//! from a reader of unknown length holds at most one part in memory.

mod archive;
mod convert;
pub(crate) mod error;
mod multipart;
mod objects;

use async_trait::async_trait;
use pam_core::ports::store::{
    CompletedPart, GetOptions, GetResult, ListPage, ListRequest, MIN_PART_SIZE, ObjectMeta,
    PhotoStore, PutOptions, PutResult, PutSource, RestoreOutcome, RestoreRequest, StoreError, Tags,
    UploadId,
};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, StorageClass};

/// When a put becomes a multipart upload, and how big its parts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultipartSettings {
    /// Files larger than this are uploaded in parts (S3's single PUT stops at 5 GiB).
    pub threshold: u64,
    /// Part size for streamed puts; at least S3's 5 MiB minimum. Also the most a put
    /// from a reader holds in memory.
    pub part_size: u64,
}

impl Default for MultipartSettings {
    fn default() -> Self {
        Self {
            threshold: 64 * 1024 * 1024,
            part_size: 16 * 1024 * 1024,
        }
    }
}

impl MultipartSettings {
    /// Validates the sizes: parts of at least 5 MiB, a threshold of at least one part.
    pub fn new(threshold: u64, part_size: u64) -> Result<Self, StoreError> {
        if !(MIN_PART_SIZE..=5 * 1024 * 1024 * 1024).contains(&part_size) {
            return Err(StoreError::InvalidArgument(format!(
                "multipart part size {part_size} must be between 5 MiB and 5 GiB"
            )));
        }
        if threshold < part_size {
            return Err(StoreError::InvalidArgument(format!(
                "multipart threshold {threshold} must be at least the part size {part_size}"
            )));
        }
        Ok(Self {
            threshold,
            part_size,
        })
    }
}

/// The photo store on S3.
#[derive(Debug, Clone)]
pub struct S3Store {
    client: aws_sdk_s3::Client,
    multipart: MultipartSettings,
}

impl S3Store {
    /// A store over `client` (see [`AwsSettings::s3_client`](crate::AwsSettings::s3_client)).
    pub fn new(client: aws_sdk_s3::Client) -> Self {
        Self::with_multipart(client, MultipartSettings::default())
    }

    /// A store with explicit multipart sizes.
    pub fn with_multipart(client: aws_sdk_s3::Client, multipart: MultipartSettings) -> Self {
        Self { client, multipart }
    }

    /// The SDK client, for callers that need an operation the port does not have.
    pub fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }
}

#[async_trait]
impl PhotoStore for S3Store {
    async fn put(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        source: PutSource,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        self.put_object(bucket, key, source, options).await
    }

    async fn get(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: GetOptions,
    ) -> Result<GetResult, StoreError> {
        self.get_object(bucket, key, options).await
    }

    async fn head(&self, bucket: &BucketName, key: &ObjectKey) -> Result<ObjectMeta, StoreError> {
        self.head_object(bucket, key).await
    }

    async fn delete(&self, bucket: &BucketName, key: &ObjectKey) -> Result<(), StoreError> {
        self.delete_object(bucket, key).await
    }

    async fn list(
        &self,
        bucket: &BucketName,
        request: ListRequest,
    ) -> Result<ListPage, StoreError> {
        self.list_objects(bucket, request).await
    }

    async fn get_tags(&self, bucket: &BucketName, key: &ObjectKey) -> Result<Tags, StoreError> {
        self.get_object_tags(bucket, key).await
    }

    async fn put_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tags: Tags,
    ) -> Result<(), StoreError> {
        self.put_object_tags(bucket, key, tags).await
    }

    async fn transition(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        class: StorageClass,
        archive: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError> {
        self.transition_object(bucket, key, class, archive).await
    }

    async fn restore(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        request: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError> {
        self.restore_object(bucket, key, request).await
    }

    async fn create_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: PutOptions,
    ) -> Result<UploadId, StoreError> {
        self.create_upload(bucket, key, &options).await
    }

    async fn upload_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        data: PutSource,
    ) -> Result<CompletedPart, StoreError> {
        self.upload_one_part(bucket, key, upload, part_number, data)
            .await
    }

    async fn complete_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> Result<PutResult, StoreError> {
        self.complete_upload(bucket, key, upload, parts, false)
            .await
    }

    async fn abort_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<(), StoreError> {
        self.abort_upload(bucket, key, upload).await
    }
}

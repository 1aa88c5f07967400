//! A test knob, not a feature: `PAM_TEST_PART_DELAY_MS=N` makes every multipart part
//! the download steps upload take N ms longer and shrinks parts to 256 KiB, so that
//! BuildBundle on a few megabytes of photos lasts long enough for a test to kill
//! `pam` in the middle of it (crates/pam/tests/download). Reads, heads and every other
//! call pass straight through to the local store.

use async_trait::async_trait;
use pam_core::ports::PhotoStore;
use pam_core::ports::store::{
    CompletedPart, GetOptions, GetResult, ListPage, ListRequest, ObjectMeta, PutOptions, PutResult,
    PutSource, RestoreOutcome, RestoreRequest, StoreError, Tags, UploadId,
};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, StorageClass};
use std::sync::Arc;
use std::time::Duration;

/// The environment variable.
pub const PART_DELAY_ENV: &str = "PAM_TEST_PART_DELAY_MS";
/// Part size while the knob is set.
pub const SLOW_PART_SIZE: usize = 256 << 10;

/// The delay the environment asks for, if any.
pub fn part_delay() -> Option<Duration> {
    let ms: u64 = std::env::var(PART_DELAY_ENV).ok()?.trim().parse().ok()?;
    (ms > 0).then(|| Duration::from_millis(ms))
}

/// A store whose `upload_part` sleeps first.
#[derive(Debug)]
pub struct SlowParts {
    inner: Arc<dyn PhotoStore>,
    delay: Duration,
}

impl SlowParts {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn PhotoStore>, delay: Duration) -> Self {
        Self { inner, delay }
    }
}

#[async_trait]
impl PhotoStore for SlowParts {
    async fn put(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        source: PutSource,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        self.inner.put(bucket, key, source, options).await
    }
    async fn get(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: GetOptions,
    ) -> Result<GetResult, StoreError> {
        self.inner.get(bucket, key, options).await
    }
    async fn head(&self, bucket: &BucketName, key: &ObjectKey) -> Result<ObjectMeta, StoreError> {
        self.inner.head(bucket, key).await
    }
    async fn delete(&self, bucket: &BucketName, key: &ObjectKey) -> Result<(), StoreError> {
        self.inner.delete(bucket, key).await
    }
    async fn list(
        &self,
        bucket: &BucketName,
        request: ListRequest,
    ) -> Result<ListPage, StoreError> {
        self.inner.list(bucket, request).await
    }
    async fn get_tags(&self, bucket: &BucketName, key: &ObjectKey) -> Result<Tags, StoreError> {
        self.inner.get_tags(bucket, key).await
    }
    async fn put_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tags: Tags,
    ) -> Result<(), StoreError> {
        self.inner.put_tags(bucket, key, tags).await
    }
    async fn transition(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        class: StorageClass,
        archive: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError> {
        self.inner.transition(bucket, key, class, archive).await
    }
    async fn restore(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        request: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError> {
        self.inner.restore(bucket, key, request).await
    }
    async fn create_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: PutOptions,
    ) -> Result<UploadId, StoreError> {
        self.inner.create_multipart(bucket, key, options).await
    }
    async fn upload_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        data: PutSource,
    ) -> Result<CompletedPart, StoreError> {
        tokio::time::sleep(self.delay).await;
        self.inner
            .upload_part(bucket, key, upload, part_number, data)
            .await
    }
    async fn complete_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> Result<PutResult, StoreError> {
        self.inner
            .complete_multipart(bucket, key, upload, parts)
            .await
    }
    async fn abort_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<(), StoreError> {
        self.inner.abort_multipart(bucket, key, upload).await
    }
}

//! Convenience on top of [`PhotoStore`]: whole-object helpers for small objects, a
//! paginating listing, tag merging and a constant-memory multipart writer. Every store
//! gets these for free, so adapters only implement the exact S3 operations.

use super::{
    CompletedPart, GetOptions, ListRequest, ObjectMeta, ObjectSummary, PhotoStore, PutOptions,
    PutResult, PutSource, StoreError, TagError, UploadId,
};
use crate::domain::{BucketName, ObjectKey};
use async_trait::async_trait;
use tokio::io::AsyncReadExt;

/// Helpers every [`PhotoStore`] gets.
#[async_trait]
pub trait PhotoStoreExt: PhotoStore {
    /// Puts `bytes` with default options (STANDARD, no metadata).
    async fn put_bytes(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        bytes: Vec<u8>,
    ) -> Result<PutResult, StoreError> {
        self.put(bucket, key, PutSource::Bytes(bytes), PutOptions::default())
            .await
    }

    /// Reads a whole object into memory. For small objects only.
    async fn get_bytes(&self, bucket: &BucketName, key: &ObjectKey) -> Result<Vec<u8>, StoreError> {
        let mut got = self.get(bucket, key, GetOptions::default()).await?;
        let mut bytes = Vec::with_capacity(usize::try_from(got.meta.size).unwrap_or(0));
        got.body
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| StoreError::Transient {
                store: "stream",
                source: Box::new(e),
            })?;
        Ok(bytes)
    }

    /// HeadObject, with a missing object as `None`.
    async fn try_head(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<Option<ObjectMeta>, StoreError> {
        match self.head(bucket, key).await {
            Ok(meta) => Ok(Some(meta)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every object under `prefix`, following continuation tokens.
    async fn list_all(
        &self,
        bucket: &BucketName,
        prefix: Option<&str>,
    ) -> Result<Vec<ObjectSummary>, StoreError> {
        let mut all = Vec::new();
        let mut continuation = None;
        loop {
            let request = ListRequest {
                prefix: prefix.map(str::to_owned),
                continuation,
                max_keys: 1000,
            };
            let page = self.list(bucket, request).await?;
            all.extend(page.objects);
            match page.next {
                Some(next) => continuation = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// Sets one tag, keeping the others. Read-modify-write: concurrent writers of
    /// *different* tags on one object can lose an update, as on S3.
    async fn merge_tag(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tag: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        let mut tags = self.get_tags(bucket, key).await?;
        if tags.get(tag) == Some(value) {
            return Ok(());
        }
        tags.insert(tag, value)
            .map_err(|e: TagError| StoreError::InvalidArgument(e.to_string()))?;
        self.put_tags(bucket, key, tags).await
    }
}

impl<T: PhotoStore + ?Sized> PhotoStoreExt for T {}

/// Writes an object of unknown length through a multipart upload, holding at most one
/// part in memory. Call [`finish`](Self::finish) to make it visible, or
/// [`abort`](Self::abort); dropping it leaves the upload for the store to clean up.
pub struct MultipartWriter<'a, S: PhotoStore + ?Sized> {
    store: &'a S,
    bucket: BucketName,
    key: ObjectKey,
    upload: UploadId,
    part_size: usize,
    buffer: Vec<u8>,
    parts: Vec<CompletedPart>,
    written: u64,
}

impl<'a, S: PhotoStore + ?Sized> MultipartWriter<'a, S> {
    /// Starts an upload whose parts are `part_size` bytes (≥ the store's minimum).
    pub async fn start(
        store: &'a S,
        bucket: BucketName,
        key: ObjectKey,
        options: PutOptions,
        part_size: usize,
    ) -> Result<Self, StoreError> {
        if part_size == 0 {
            return Err(StoreError::InvalidArgument(
                "part size must be positive".into(),
            ));
        }
        let upload = store.create_multipart(&bucket, &key, options).await?;
        Ok(Self {
            store,
            bucket,
            key,
            upload,
            part_size,
            buffer: Vec::with_capacity(part_size),
            parts: Vec::new(),
            written: 0,
        })
    }

    /// Bytes accepted so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Appends bytes, uploading each full part as it fills.
    pub async fn write(&mut self, mut data: &[u8]) -> Result<(), StoreError> {
        self.written += data.len() as u64;
        while !data.is_empty() {
            let room = self.part_size - self.buffer.len();
            let take = room.min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == self.part_size {
                self.flush_part().await?;
            }
        }
        Ok(())
    }

    async fn flush_part(&mut self) -> Result<(), StoreError> {
        let number = self.parts.len() as u32 + 1;
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(self.part_size));
        let part = self
            .store
            .upload_part(
                &self.bucket,
                &self.key,
                &self.upload,
                number,
                PutSource::Bytes(bytes),
            )
            .await?;
        self.parts.push(part);
        Ok(())
    }

    /// Uploads the last part and completes the upload; aborts it if completion fails.
    pub async fn finish(mut self) -> Result<PutResult, StoreError> {
        if !self.buffer.is_empty() || self.parts.is_empty() {
            self.flush_part().await?;
        }
        let done = self
            .store
            .complete_multipart(&self.bucket, &self.key, &self.upload, &self.parts)
            .await;
        if done.is_err() {
            let _ = self
                .store
                .abort_multipart(&self.bucket, &self.key, &self.upload)
                .await;
        }
        done
    }

    /// Abandons the upload; nothing becomes visible.
    pub async fn abort(self) -> Result<(), StoreError> {
        self.store
            .abort_multipart(&self.bucket, &self.key, &self.upload)
            .await
    }
}

//! The one-machine object store with S3's rules: buckets as directories, metadata in
//! SQLite, atomic writes, streamed reads, tags, storage classes, a cold directory for
//! archived bytes, restores that complete after a tier's delay on an injectable clock,
//! and an object-created event for every write, committed in the same transaction as
//! the object's metadata (see `crate::outbox`).

mod archive;
mod expire;
mod files;
mod multipart;
mod object_file;
mod objects;
pub mod restore_model;
#[cfg(test)]
mod restore_upgrade_tests;
pub(crate) mod rows;

use crate::db::{Db, is_busy};
use crate::outbox::{self, Outbox};
use async_trait::async_trait;
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::store::*;
use pam_core::{ArchiveStatus, BucketName, ObjectKey, StorageClass};
use restore_model::RestoreDelays;
use std::path::Path;
use std::sync::Arc;

pub use expire::ExpiryReport;

/// How a [`LocalStore`] behaves.
#[derive(Debug, Clone)]
pub struct LocalStoreConfig {
    /// How long restores take per tier.
    pub restore_delays: RestoreDelays,
    /// Smallest multipart part but the last (S3: 5 MiB).
    pub min_part_size: u64,
    /// The time source for restores and timestamps.
    pub clock: Arc<dyn Clock>,
}

impl Default for LocalStoreConfig {
    fn default() -> Self {
        Self {
            restore_delays: RestoreDelays::local_defaults(),
            min_part_size: MIN_PART_SIZE,
            clock: Arc::new(SystemClock),
        }
    }
}

/// The filesystem + SQLite object store. Cheap to clone; clones share everything.
#[derive(Debug, Clone)]
pub struct LocalStore {
    layout: files::Layout,
    db: Db,
    config: LocalStoreConfig,
    outbox: Outbox,
}

pub(crate) fn io_error(e: std::io::Error) -> StoreError {
    StoreError::Backend {
        store: "local-store",
        source: Box::new(e),
    }
}

pub(crate) fn db_error(e: rusqlite::Error) -> StoreError {
    if is_busy(&e) {
        StoreError::Transient {
            store: "local-store",
            source: Box::new(e),
        }
    } else {
        StoreError::Backend {
            store: "local-store",
            source: Box::new(e),
        }
    }
}

impl LocalStore {
    /// Opens (creating) a store rooted at `root`.
    pub async fn open(root: &Path, config: LocalStoreConfig) -> Result<Self, StoreError> {
        let layout = files::Layout::new(root);
        for dir in ["buckets", "cold", "uploads", "tmp"] {
            tokio::fs::create_dir_all(root.join(dir))
                .await
                .map_err(io_error)?;
        }
        let db_path = layout.db_path();
        let schema = format!("{}{}", rows::SCHEMA, outbox::SCHEMA);
        let db = tokio::task::spawn_blocking(move || Db::open(&db_path, "local-store", &schema))
            .await
            .map_err(|e| io_error(std::io::Error::other(e)))?
            .map_err(db_error)?;
        let outbox = Outbox::new(db.clone(), config.clock.clone());
        let store = Self {
            layout,
            db,
            config,
            outbox,
        };
        store.sweep_temp_files().await;
        Ok(store)
    }

    /// Creates a bucket (idempotent).
    pub async fn create_bucket(&self, bucket: &BucketName) -> Result<(), StoreError> {
        let dir = self.layout.bucket_dir(bucket);
        tokio::fs::create_dir_all(&dir).await.map_err(io_error)
    }

    /// The store's outbox of object-created events.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.config.clock.now()
    }

    async fn require_bucket(&self, bucket: &BucketName) -> Result<(), StoreError> {
        if self.layout.bucket_exists(bucket).await {
            Ok(())
        } else {
            Err(StoreError::NoSuchBucket(bucket.clone()))
        }
    }

    /// Removes temp files left by writes that crashed (older than an hour, so a write
    /// in progress in another process sharing the directory is left alone).
    async fn sweep_temp_files(&self) {
        let Ok(mut dir) = tokio::fs::read_dir(self.layout.tmp_dir()).await else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        while let Ok(Some(entry)) = dir.next_entry().await {
            let old = entry
                .metadata()
                .await
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
            if old {
                tracing::info!(file = %entry.path().display(), "removing an abandoned temp file");
                let _ = tokio::fs::remove_file(entry.path()).await;
            }
        }
    }
}

#[async_trait]
impl PhotoStore for LocalStore {
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
        let row = self.load_row(bucket, key).await?;
        Ok(row.meta(self.now()))
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
        Ok(self.load_row(bucket, key).await?.tags)
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
        self.create_upload(bucket, key, options).await
    }

    async fn upload_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        data: PutSource,
    ) -> Result<CompletedPart, StoreError> {
        self.put_part(bucket, key, upload, part_number, data).await
    }

    async fn complete_multipart(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> Result<PutResult, StoreError> {
        self.complete_upload(bucket, key, upload, parts).await
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

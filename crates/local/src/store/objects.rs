//! Put, get, head, delete, list and tags for the local store. Every write follows one
//! path: bytes to a temp file, fsync, rename to a fresh blob, then ONE SQLite
//! transaction that swaps the metadata row and records the object-created event.

use super::files::{Location, hex};
use super::rows::ObjectRow;
use super::{LocalStore, db_error};
use crate::outbox;
use pam_core::ports::store::*;
use pam_core::{BucketName, ObjectKey};
use rusqlite::TransactionBehavior;
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

pub(super) fn validate_options(options: &PutOptions) -> Result<(), StoreError> {
    for (k, v) in &options.metadata {
        let key_ok = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !key_ok {
            return Err(StoreError::InvalidArgument(format!(
                "metadata key {k:?} must be lowercase ASCII letters, digits, '-' or '_'"
            )));
        }
        if !v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(StoreError::InvalidArgument(format!(
                "metadata {k:?} must be printable ASCII (percent-encode other text)"
            )));
        }
    }
    let total: usize = options
        .metadata
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    if total > 2048 {
        return Err(StoreError::InvalidArgument(
            "user metadata is larger than S3's 2 KB".into(),
        ));
    }
    Ok(())
}

/// Why a write happened, as S3 names it in the event's `reason`.
#[derive(Debug, Clone, Copy)]
pub(super) enum WriteReason {
    Put,
    Multipart,
}

impl WriteReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Put => "PutObject",
            Self::Multipart => "CompleteMultipartUpload",
        }
    }
}

impl LocalStore {
    pub(super) async fn load_row(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<ObjectRow, StoreError> {
        self.require_bucket(bucket).await?;
        let (b, k) = (bucket.clone(), key.clone());
        self.db
            .call(move |conn| ObjectRow::load(conn, &b, &k))
            .await
            .map_err(db_error)?
            .ok_or_else(|| StoreError::NotFound {
                bucket: bucket.clone(),
                key: key.clone(),
            })
    }

    pub(super) async fn put_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        source: PutSource,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        self.require_bucket(bucket).await?;
        validate_options(&options)?;
        let written = self.layout.write_temp(source).await?;
        let etag = format!("\"{}\"", hex(&written.md5));
        self.install_version(
            bucket,
            key,
            written.path,
            written.size,
            etag,
            options,
            WriteReason::Put,
        )
        .await
    }

    /// Installs a finished temp file as the new version of `key` and commits its
    /// metadata together with the object-created event.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn install_version(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        temp: PathBuf,
        size: u64,
        etag: String,
        options: PutOptions,
        reason: WriteReason,
    ) -> Result<PutResult, StoreError> {
        let location = if options.storage_class.is_archival() {
            Location::Cold
        } else {
            Location::Hot
        };
        let blob = uuid::Uuid::new_v4().simple().to_string();
        let dest = self.layout.blob(bucket, location, &blob);
        if let Err(e) = self.layout.install(&temp, &dest).await {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(e);
        }
        let now = self.now();
        let row = ObjectRow {
            key: key.clone(),
            blob: blob.clone(),
            location,
            size,
            etag: etag.clone(),
            last_modified: now,
            content_type: options.content_type,
            metadata: options.metadata,
            tags: options.tags,
            state: super::restore_model::StoredState {
                class: options.storage_class,
                archive: None,
                restore: None,
            },
        };
        let (b, create_only) = (bucket.clone(), options.if_none_match);
        let committed = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let old = ObjectRow::load(&tx, &b, &row.key)?;
                if create_only && old.is_some() {
                    return Ok(Err(()));
                }
                row.save(&tx, &b)?;
                outbox::record_created(
                    &tx,
                    &b,
                    &row.key,
                    row.size,
                    &row.etag,
                    reason.as_str(),
                    now,
                )?;
                tx.commit()?;
                Ok(Ok(old.map(|o| o.blob)))
            })
            .await
            .map_err(db_error);
        match committed {
            Ok(Ok(old)) => {
                if let Some(old) = old {
                    self.layout.remove_blob(bucket, &old).await;
                }
                self.outbox.wake();
                tracing::debug!(%bucket, %key, size, "object written");
                Ok(PutResult { etag, size })
            }
            Ok(Err(())) => {
                self.layout.remove_blob(bucket, &blob).await;
                Err(StoreError::AlreadyExists {
                    bucket: bucket.clone(),
                    key: key.clone(),
                })
            }
            Err(e) => {
                self.layout.remove_blob(bucket, &blob).await;
                Err(e)
            }
        }
    }

    pub(super) async fn get_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: GetOptions,
    ) -> Result<GetResult, StoreError> {
        // A concurrent overwrite may delete the blob between reading the row and opening
        // the file; the new row then names the new blob, so read the row again.
        for attempt in 0.. {
            let row = self.load_row(bucket, key).await?;
            let now = self.now();
            row.ensure_readable(now)?;
            let range = match options.range {
                None => 0..row.size,
                Some(r) => r
                    .resolve(row.size)
                    .ok_or(StoreError::InvalidRange { size: row.size })?,
            };
            let mut file = match self.layout.open_blob(bucket, row.location, &row.blob).await {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempt < 3 => continue,
                Err(e) => return Err(super::io_error(e)),
            };
            file.seek(std::io::SeekFrom::Start(range.start))
                .await
                .map_err(super::io_error)?;
            let body: ByteStream = Box::pin(file.take(range.end - range.start));
            return Ok(GetResult {
                meta: row.meta(now),
                range,
                body,
            });
        }
        unreachable!("the loop returns")
    }

    pub(super) async fn delete_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<(), StoreError> {
        self.require_bucket(bucket).await?;
        let (b, k) = (bucket.clone(), key.clone());
        let old = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let old = ObjectRow::load(&tx, &b, &k)?;
                tx.execute(
                    "DELETE FROM objects WHERE bucket = ?1 AND key = ?2",
                    [b.as_str(), k.as_str()],
                )?;
                tx.commit()?;
                Ok(old)
            })
            .await
            .map_err(db_error)?;
        if let Some(old) = old {
            self.layout.remove_blob(bucket, &old.blob).await;
        }
        Ok(())
    }

    pub(super) async fn list_objects(
        &self,
        bucket: &BucketName,
        request: ListRequest,
    ) -> Result<ListPage, StoreError> {
        self.require_bucket(bucket).await?;
        if !(1..=1000).contains(&request.max_keys) {
            return Err(StoreError::InvalidArgument(
                "max_keys must be 1 to 1000".into(),
            ));
        }
        let b = bucket.clone();
        let prefix = request.prefix.unwrap_or_default();
        let after = request.continuation.unwrap_or_default();
        let limit = request.max_keys;
        let mut rows = self
            .db
            .call(move |conn| ObjectRow::page(conn, &b, &prefix, &after, limit + 1))
            .await
            .map_err(db_error)?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|r| r.key.to_string())
        } else {
            None
        };
        let objects = rows
            .into_iter()
            .map(|r| ObjectSummary {
                key: r.key,
                size: r.size,
                etag: r.etag,
                last_modified: r.last_modified,
                storage_class: r.state.class,
            })
            .collect();
        Ok(ListPage { objects, next })
    }

    pub(super) async fn put_object_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tags: Tags,
    ) -> Result<(), StoreError> {
        self.require_bucket(bucket).await?;
        let (b, k) = (bucket.clone(), key.clone());
        let found = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let Some(mut row) = ObjectRow::load(&tx, &b, &k)? else {
                    return Ok(false);
                };
                row.tags = tags;
                row.save(&tx, &b)?;
                tx.commit()?;
                Ok(true)
            })
            .await
            .map_err(db_error)?;
        if found {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                bucket: bucket.clone(),
                key: key.clone(),
            })
        }
    }
}

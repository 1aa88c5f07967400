//! Multipart uploads for the local store, with S3's rules: parts 1..=10000 in any
//! order, replaced on re-upload; completion checks order, etags and the minimum part
//! size, then concatenates the parts into one blob through the same atomic install
//! (and outbox event) as a plain put. The etag is S3's `md5(part md5s)-N`.

use super::files::hex;
use super::objects::WriteReason;
use super::rows::ts;
use super::{LocalStore, db_error, io_error};
use md5::{Digest, Md5};
use pam_core::ports::store::*;
use pam_core::{BucketName, ObjectKey, StorageClass};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use tokio::io::AsyncWriteExt;

fn options_to_json(options: &PutOptions) -> String {
    let tags: Vec<(&str, &str)> = options.tags.iter().collect();
    serde_json::json!({
        "content_type": options.content_type,
        "metadata": options.metadata,
        "storage_class": options.storage_class.as_str(),
        "tags": tags,
        "if_none_match": options.if_none_match,
    })
    .to_string()
}

fn options_from_json(text: &str) -> Result<PutOptions, StoreError> {
    #[derive(serde::Deserialize)]
    struct Stored {
        content_type: Option<String>,
        metadata: Metadata,
        storage_class: String,
        tags: Vec<(String, String)>,
        if_none_match: bool,
    }
    let corrupt = |e: String| StoreError::Backend {
        store: "local-store",
        source: format!("corrupt upload options: {e}").into(),
    };
    let s: Stored = serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
    Ok(PutOptions {
        content_type: s.content_type,
        metadata: s.metadata,
        storage_class: s
            .storage_class
            .parse::<StorageClass>()
            .map_err(|e| corrupt(e.to_string()))?,
        tags: Tags::from_pairs(s.tags).map_err(|e| corrupt(e.to_string()))?,
        if_none_match: s.if_none_match,
    })
}

struct PartRow {
    number: u32,
    etag: String,
    size: u64,
    blob: String,
}

impl LocalStore {
    /// The upload's stored options, if it exists for this bucket and key.
    async fn upload_options(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<PutOptions, StoreError> {
        let (b, k, id) = (bucket.clone(), key.clone(), upload.0.clone());
        let text = self
            .db
            .call(move |conn| {
                conn.query_row(
                    "SELECT options FROM uploads WHERE upload_id = ?1 AND bucket = ?2 AND key = ?3",
                    params![id, b.as_str(), k.as_str()],
                    |r| r.get::<_, String>(0),
                )
                .optional()
            })
            .await
            .map_err(db_error)?;
        let text = text.ok_or_else(|| StoreError::NoSuchUpload {
            upload_id: upload.0.clone(),
        })?;
        options_from_json(&text)
    }

    pub(super) async fn create_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: PutOptions,
    ) -> Result<UploadId, StoreError> {
        self.require_bucket(bucket).await?;
        super::objects::validate_options(&options)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        tokio::fs::create_dir_all(self.layout.upload_dir(&id))
            .await
            .map_err(io_error)?;
        let (b, k, i, json, now) = (
            bucket.clone(),
            key.clone(),
            id.clone(),
            options_to_json(&options),
            ts(self.now()),
        );
        self.db
            .call(move |conn| {
                conn.execute(
                    "INSERT INTO uploads (upload_id, bucket, key, options, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![i, b.as_str(), k.as_str(), json, now],
                )
            })
            .await
            .map_err(db_error)?;
        Ok(UploadId(id))
    }

    pub(super) async fn put_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        data: PutSource,
    ) -> Result<CompletedPart, StoreError> {
        if !(1..=MAX_PART_NUMBER).contains(&part_number) {
            return Err(StoreError::InvalidArgument(format!(
                "part number {part_number} is outside 1..={MAX_PART_NUMBER}"
            )));
        }
        self.upload_options(bucket, key, upload).await?;
        let written = self.layout.write_temp(data).await?;
        let blob = uuid::Uuid::new_v4().simple().to_string();
        let dest = self.layout.upload_dir(&upload.0).join(&blob);
        if let Err(e) = self.layout.install(&written.path, &dest).await {
            let _ = tokio::fs::remove_file(&written.path).await;
            return Err(e);
        }
        let etag = format!("\"{}\"", hex(&written.md5));
        let (id, e, size, bl) = (upload.0.clone(), etag.clone(), written.size, blob.clone());
        let replaced = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let exists: Option<i64> = tx
                    .query_row("SELECT 1 FROM uploads WHERE upload_id = ?1", [&id], |r| r.get(0))
                    .optional()?;
                if exists.is_none() {
                    return Ok(None);
                }
                let old: Option<String> = tx
                    .query_row(
                        "SELECT blob FROM parts WHERE upload_id = ?1 AND part_number = ?2",
                        params![id, part_number],
                        |r| r.get(0),
                    )
                    .optional()?;
                tx.execute(
                    "INSERT OR REPLACE INTO parts (upload_id, part_number, etag, size, blob) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, part_number, e, size as i64, bl],
                )?;
                tx.commit()?;
                Ok(Some(old))
            })
            .await
            .map_err(db_error)?;
        match replaced {
            None => {
                let _ = tokio::fs::remove_file(&dest).await;
                Err(StoreError::NoSuchUpload {
                    upload_id: upload.0.clone(),
                })
            }
            Some(old) => {
                if let Some(old) = old {
                    let _ =
                        tokio::fs::remove_file(self.layout.upload_dir(&upload.0).join(old)).await;
                }
                Ok(CompletedPart { part_number, etag })
            }
        }
    }

    async fn stored_parts(&self, upload: &UploadId) -> Result<Vec<PartRow>, StoreError> {
        let id = upload.0.clone();
        self.db
            .call(move |conn| {
                let mut stmt = conn.prepare(
                    "SELECT part_number, etag, size, blob FROM parts WHERE upload_id = ?1",
                )?;
                let rows = stmt.query_map([&id], |r| {
                    Ok(PartRow {
                        number: r.get(0)?,
                        etag: r.get(1)?,
                        size: r.get::<_, i64>(2)? as u64,
                        blob: r.get(3)?,
                    })
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .await
            .map_err(db_error)
    }

    pub(super) async fn complete_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> Result<PutResult, StoreError> {
        let options = self.upload_options(bucket, key, upload).await?;
        if parts.is_empty() {
            return Err(StoreError::InvalidArgument(
                "a multipart upload needs at least one part".into(),
            ));
        }
        if parts
            .windows(2)
            .any(|w| w[0].part_number >= w[1].part_number)
        {
            return Err(StoreError::InvalidArgument(
                "InvalidPartOrder: parts must be in ascending order".into(),
            ));
        }
        let stored = self.stored_parts(upload).await?;
        let mut chosen = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate() {
            let found = stored
                .iter()
                .find(|s| s.number == part.part_number && s.etag == part.etag)
                .ok_or_else(|| {
                    StoreError::InvalidArgument(format!(
                        "InvalidPart: part {} with etag {} was not uploaded",
                        part.part_number, part.etag
                    ))
                })?;
            if i + 1 < parts.len() && found.size < self.config.min_part_size {
                return Err(StoreError::EntityTooSmall {
                    part_number: part.part_number,
                    size: found.size,
                    minimum: self.config.min_part_size,
                });
            }
            chosen.push(found);
        }

        let temp = self
            .layout
            .tmp_dir()
            .join(uuid::Uuid::new_v4().simple().to_string());
        let concatenated = self.concatenate(upload, &chosen, &temp).await;
        let (size, etag) = match concatenated {
            Ok(done) => done,
            Err(e) => {
                let _ = tokio::fs::remove_file(&temp).await;
                return Err(e);
            }
        };
        let result = self
            .install_version(
                bucket,
                key,
                temp,
                size,
                etag,
                options,
                WriteReason::Multipart,
            )
            .await?;
        self.forget_upload(upload).await?;
        Ok(result)
    }

    async fn concatenate(
        &self,
        upload: &UploadId,
        parts: &[&PartRow],
        temp: &std::path::Path,
    ) -> Result<(u64, String), StoreError> {
        let mut out = tokio::fs::File::create(temp).await.map_err(io_error)?;
        let mut md5s = Md5::new();
        let mut size = 0;
        for part in parts {
            let path = self.layout.upload_dir(&upload.0).join(&part.blob);
            let mut file = tokio::fs::File::open(&path).await.map_err(io_error)?;
            size += tokio::io::copy(&mut file, &mut out)
                .await
                .map_err(io_error)?;
            let hexed = part.etag.trim_matches('"');
            let raw: Vec<u8> = (0..hexed.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(hexed.get(i..i + 2)?, 16).ok())
                .collect();
            md5s.update(&raw);
        }
        out.flush().await.map_err(io_error)?;
        out.sync_all().await.map_err(io_error)?;
        Ok((
            size,
            format!("\"{}-{}\"", hex(&md5s.finalize()), parts.len()),
        ))
    }

    async fn forget_upload(&self, upload: &UploadId) -> Result<bool, StoreError> {
        let id = upload.0.clone();
        let deleted = self
            .db
            .call(move |conn| conn.execute("DELETE FROM uploads WHERE upload_id = ?1", [&id]))
            .await
            .map_err(db_error)?;
        let _ = tokio::fs::remove_dir_all(self.layout.upload_dir(&upload.0)).await;
        Ok(deleted > 0)
    }

    pub(super) async fn abort_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<(), StoreError> {
        self.upload_options(bucket, key, upload).await?;
        if self.forget_upload(upload).await? {
            Ok(())
        } else {
            Err(StoreError::NoSuchUpload {
                upload_id: upload.0.clone(),
            })
        }
    }
}

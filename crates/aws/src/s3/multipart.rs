//! Multipart uploads on S3: the port's create / upload part / complete / abort, and the
//! streamed puts built on them (a large file sent part by part from disk; a reader of
//! unknown length, one part in memory at a time). A failed streamed put aborts its
//! upload so no parts are left behind.

use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart as S3Part};
use pam_core::ports::store::{
    ByteStream as Reader, CompletedPart, MAX_PART_NUMBER, MIN_PART_SIZE, PutOptions, PutResult,
    PutSource, StoreError, UploadId,
};
use pam_core::{BucketName, ObjectKey};
use std::path::Path;

use super::S3Store;
use super::convert;
use super::error::{Failure, Target, store_err};
use super::objects::{check_put_class, conditional_err, fill};

fn bad_source(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::InvalidArgument(format!("cannot read put source {}: {e}", path.display()))
}

impl S3Store {
    pub(super) async fn create_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: &PutOptions,
    ) -> Result<UploadId, StoreError> {
        check_put_class(options)?;
        let out = self
            .client
            .create_multipart_upload()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .set_content_type(options.content_type.clone())
            .set_metadata(Some(options.metadata.clone().into_iter().collect()))
            .storage_class(convert::to_s3_class(options.storage_class))
            .set_tagging(convert::tagging_header(&options.tags))
            .send()
            .await
            .map_err(|e| store_err(e, Target::object(bucket, key)))?;
        let id = out.upload_id().unwrap_or_default();
        if id.is_empty() {
            return Err(StoreError::Backend {
                store: super::error::STORE,
                source: "CreateMultipartUpload answered without an upload id".into(),
            });
        }
        Ok(UploadId(id.to_owned()))
    }

    pub(super) async fn upload_one_part(
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
        let (body, size) = match data {
            PutSource::Bytes(bytes) => {
                let size = bytes.len() as u64;
                (ByteStream::from(bytes), size)
            }
            PutSource::File(path) => {
                let size = tokio::fs::metadata(&path)
                    .await
                    .map_err(|e| bad_source(&path, e))?
                    .len();
                let body = ByteStream::from_path(&path)
                    .await
                    .map_err(|e| bad_source(&path, e))?;
                (body, size)
            }
            PutSource::Reader(mut reader) => {
                // A part needs its length up front; one part is the unit held in memory.
                let mut bytes = Vec::new();
                fill(&mut reader, &mut bytes, usize::MAX).await?;
                let size = bytes.len() as u64;
                (ByteStream::from(bytes), size)
            }
        };
        self.send_part(bucket, key, upload, part_number, body, size)
            .await
    }

    async fn send_part(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        part_number: u32,
        body: ByteStream,
        size: u64,
    ) -> Result<CompletedPart, StoreError> {
        let out = self
            .client
            .upload_part()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .upload_id(&upload.0)
            .part_number(part_number as i32)
            .content_length(size as i64)
            .body(body)
            .send()
            .await;
        let out = match out {
            Ok(out) => out,
            Err(e) => {
                let err = store_err(e, Target::upload(bucket, key, &upload.0));
                return Err(self.explain_part_failure(bucket, key, upload, err).await);
            }
        };
        Ok(CompletedPart {
            part_number,
            etag: out.e_tag().unwrap_or_default().to_owned(),
        })
    }

    /// A part sent to an upload that was completed or aborted must be `NoSuchUpload`;
    /// some S3 implementations (moto) fail such a part with a bare 500, so an
    /// unnamed failure is checked with ListParts before it is reported.
    async fn explain_part_failure(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        err: StoreError,
    ) -> StoreError {
        if !matches!(
            err,
            StoreError::Transient { .. } | StoreError::Backend { .. }
        ) {
            return err;
        }
        let listed = self
            .client
            .list_parts()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .upload_id(&upload.0)
            .max_parts(1)
            .send()
            .await;
        match listed {
            Err(e) => match store_err(e, Target::upload(bucket, key, &upload.0)) {
                gone @ StoreError::NoSuchUpload { .. } => gone,
                _ => err,
            },
            Ok(_) => err,
        }
    }

    pub(super) async fn complete_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
        if_none_match: bool,
    ) -> Result<PutResult, StoreError> {
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
                "parts must be listed in ascending part number order".into(),
            ));
        }
        let list = parts
            .iter()
            .map(|p| {
                S3Part::builder()
                    .part_number(p.part_number as i32)
                    .e_tag(&p.etag)
                    .build()
            })
            .collect();
        let sent = self
            .client
            .complete_multipart_upload()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .upload_id(&upload.0)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(list))
                    .build(),
            )
            .set_if_none_match(if_none_match.then(|| "*".to_owned()))
            .send()
            .await;
        let out = match sent {
            Ok(out) => out,
            Err(e) => {
                let failure = Failure::from_sdk(e);
                if failure.code() == "EntityTooSmall" {
                    return Err(self.too_small(bucket, key, upload, parts).await);
                }
                if if_none_match {
                    return Err(conditional_err(failure, bucket, key));
                }
                return Err(failure.into_store(Target::upload(bucket, key, &upload.0)));
            }
        };
        let etag = out.e_tag().unwrap_or_default().to_owned();
        let size = self.head_object(bucket, key).await?.size;
        Ok(PutResult { etag, size })
    }

    /// S3's EntityTooSmall names no part; ListParts finds the first undersized one.
    async fn too_small(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: &[CompletedPart],
    ) -> StoreError {
        let listed = self
            .client
            .list_parts()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .upload_id(&upload.0)
            .send()
            .await;
        let last = parts.last().map(|p| p.part_number);
        let found = listed.ok().and_then(|out| {
            out.parts().iter().find_map(|p| {
                let number = p.part_number()? as u32;
                let size = p.size()?.max(0) as u64;
                let used = parts.iter().any(|c| c.part_number == number);
                (used && Some(number) != last && size < MIN_PART_SIZE).then_some((number, size))
            })
        });
        let (part_number, size) = found.unwrap_or((parts[0].part_number, 0));
        StoreError::EntityTooSmall {
            part_number,
            size,
            minimum: MIN_PART_SIZE,
        }
    }

    pub(super) async fn abort_upload(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
    ) -> Result<(), StoreError> {
        self.client
            .abort_multipart_upload()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .upload_id(&upload.0)
            .send()
            .await
            .map_err(|e| store_err(e, Target::upload(bucket, key, &upload.0)))?;
        Ok(())
    }

    /// Completes `upload` with `parts`, or aborts it when the parts failed.
    async fn finish_or_abort(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        upload: &UploadId,
        parts: Result<Vec<CompletedPart>, StoreError>,
        if_none_match: bool,
    ) -> Result<PutResult, StoreError> {
        let done = match parts {
            Ok(parts) => {
                self.complete_upload(bucket, key, upload, &parts, if_none_match)
                    .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = &done {
            if let Err(abort) = self.abort_upload(bucket, key, upload).await {
                tracing::warn!(%bucket, %key, error = %abort, "could not abort a failed upload");
            }
            tracing::debug!(%bucket, %key, error = %e, "streamed multipart put failed");
        }
        done
    }

    /// Sends a file of `size` bytes in parts read straight from disk.
    pub(super) async fn put_file_in_parts(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        path: &Path,
        size: u64,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        let upload = self.create_upload(bucket, key, &options).await?;
        let part_size = self.multipart.part_size;
        let parts = async {
            let mut parts = Vec::new();
            let mut offset = 0;
            while offset < size {
                let length = part_size.min(size - offset);
                let body = ByteStream::read_from()
                    .path(path)
                    .offset(offset)
                    .length(Length::Exact(length))
                    .build()
                    .await
                    .map_err(|e| bad_source(path, e))?;
                let number = parts.len() as u32 + 1;
                parts.push(
                    self.send_part(bucket, key, &upload, number, body, length)
                        .await?,
                );
                offset += length;
            }
            Ok(parts)
        }
        .await;
        self.finish_or_abort(bucket, key, &upload, parts, options.if_none_match)
            .await
    }

    /// Sends a reader in parts; `first` is its first (full) part, already read.
    pub(super) async fn put_reader_in_parts(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        first: Vec<u8>,
        mut reader: Reader,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        let upload = self.create_upload(bucket, key, &options).await?;
        let part_size = self.multipart.part_size as usize;
        let parts = async {
            let mut parts = Vec::new();
            let mut chunk = first;
            while !chunk.is_empty() {
                let number = parts.len() as u32 + 1;
                if number > MAX_PART_NUMBER {
                    return Err(StoreError::InvalidArgument(format!(
                        "the source exceeds {MAX_PART_NUMBER} parts of {part_size} bytes"
                    )));
                }
                let size = chunk.len() as u64;
                let part = self
                    .send_part(bucket, key, &upload, number, ByteStream::from(chunk), size)
                    .await?;
                parts.push(part);
                chunk = Vec::with_capacity(part_size);
                fill(&mut reader, &mut chunk, part_size).await?;
            }
            Ok(parts)
        }
        .await;
        self.finish_or_abort(bucket, key, &upload, parts, options.if_none_match)
            .await
    }
}

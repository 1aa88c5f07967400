//! The everyday object operations on S3: streamed puts (one request, or a multipart
//! upload when the source is large or of unknown length), ranged GETs handed out as an
//! `AsyncRead`, HeadObject, DeleteObject, ListObjectsV2 and object tagging.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Tag, Tagging};
use pam_core::ports::store::{
    GetOptions, GetResult, ListPage, ListRequest, ObjectMeta, ObjectSummary, PutOptions, PutResult,
    PutSource, StoreError, Tags,
};
use pam_core::{BucketName, ObjectKey};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::S3Store;
use super::convert::{self, RawMeta};
use super::error::{Failure, STORE, Target, build_err, store_err};

/// Reads from `reader` until `buf` holds `limit` bytes or the reader ends.
pub(super) async fn fill(
    reader: &mut (dyn AsyncRead + Send + Unpin),
    buf: &mut Vec<u8>,
    limit: usize,
) -> Result<(), StoreError> {
    while buf.len() < limit {
        let want = (limit - buf.len()).min(256 * 1024);
        let start = buf.len();
        buf.resize(start + want, 0);
        let n = reader.read(&mut buf[start..]).await.map_err(|e| {
            buf.truncate(start);
            StoreError::Backend {
                store: STORE,
                source: format!("reading the put source: {e}").into(),
            }
        })?;
        buf.truncate(start + n);
        if n == 0 {
            break;
        }
    }
    Ok(())
}

pub(super) fn check_put_class(options: &PutOptions) -> Result<(), StoreError> {
    if options.storage_class.is_archival() {
        return Err(StoreError::InvalidArgument(format!(
            "objects are written to a non-archival class and moved later; {} is not accepted on put",
            options.storage_class
        )));
    }
    Ok(())
}

impl S3Store {
    pub(super) async fn put_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        source: PutSource,
        options: PutOptions,
    ) -> Result<PutResult, StoreError> {
        check_put_class(&options)?;
        match source {
            PutSource::Bytes(bytes) => {
                let size = bytes.len() as u64;
                self.put_single(bucket, key, ByteStream::from(bytes), size, &options)
                    .await
            }
            PutSource::File(path) => {
                let size = tokio::fs::metadata(&path)
                    .await
                    .map_err(|e| {
                        StoreError::InvalidArgument(format!(
                            "cannot read put source {}: {e}",
                            path.display()
                        ))
                    })?
                    .len();
                if size > self.multipart.threshold {
                    return self
                        .put_file_in_parts(bucket, key, &path, size, options)
                        .await;
                }
                let body = ByteStream::read_from()
                    .path(&path)
                    .build()
                    .await
                    .map_err(|e| {
                        StoreError::InvalidArgument(format!(
                            "cannot read put source {}: {e}",
                            path.display()
                        ))
                    })?;
                self.put_single(bucket, key, body, size, &options).await
            }
            PutSource::Reader(mut reader) => {
                let part = self.multipart.part_size as usize;
                let mut first = Vec::with_capacity(part.min(1024 * 1024));
                fill(&mut reader, &mut first, part).await?;
                if first.len() < part {
                    let size = first.len() as u64;
                    return self
                        .put_single(bucket, key, ByteStream::from(first), size, &options)
                        .await;
                }
                self.put_reader_in_parts(bucket, key, first, reader, options)
                    .await
            }
        }
    }

    async fn put_single(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        body: ByteStream,
        size: u64,
        options: &PutOptions,
    ) -> Result<PutResult, StoreError> {
        let out = self
            .client
            .put_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .body(body)
            .content_length(size as i64)
            .set_content_type(options.content_type.clone())
            .set_metadata(Some(options.metadata.clone().into_iter().collect()))
            .storage_class(convert::to_s3_class(options.storage_class))
            .set_tagging(convert::tagging_header(&options.tags))
            .set_if_none_match(options.if_none_match.then(|| "*".to_owned()))
            .send()
            .await
            .map_err(|e| conditional_err(Failure::from_sdk(e), bucket, key))?;
        Ok(PutResult {
            etag: out.e_tag().unwrap_or_default().to_owned(),
            size,
        })
    }

    pub(super) async fn get_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        options: GetOptions,
    ) -> Result<GetResult, StoreError> {
        let sent = self
            .client
            .get_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .set_range(options.range.map(convert::range_header))
            .send()
            .await;
        let out = match sent {
            Ok(out) => out,
            Err(e) => {
                let failure = Failure::from_sdk(e);
                if failure.code() == "InvalidRange" {
                    let size = self.head_object(bucket, key).await?.size;
                    return Err(StoreError::InvalidRange { size });
                }
                return Err(failure.into_store(Target::object(bucket, key)));
            }
        };
        let length = out.content_length().unwrap_or(0).max(0) as u64;
        let (range, total) = out
            .content_range()
            .and_then(convert::parse_content_range)
            .unwrap_or((0..length, length));
        let meta = RawMeta {
            size: Some(total as i64),
            etag: out.e_tag(),
            last_modified: out.last_modified(),
            storage_class: out.storage_class(),
            archive_status: None,
            restore: out.restore(),
            content_type: out.content_type(),
            metadata: out.metadata(),
        }
        .into_meta(key)?;
        Ok(GetResult {
            meta,
            range,
            body: Box::pin(out.body.into_async_read()),
        })
    }

    pub(super) async fn head_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<ObjectMeta, StoreError> {
        let out = self
            .client
            .head_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| store_err(e, Target::object(bucket, key)))?;
        RawMeta {
            size: out.content_length(),
            etag: out.e_tag(),
            last_modified: out.last_modified(),
            storage_class: out.storage_class(),
            archive_status: out.archive_status(),
            restore: out.restore(),
            content_type: out.content_type(),
            metadata: out.metadata(),
        }
        .into_meta(key)
    }

    pub(super) async fn delete_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<(), StoreError> {
        match self
            .client
            .delete_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match store_err(e, Target::object(bucket, key)) {
                StoreError::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }

    pub(super) async fn list_objects(
        &self,
        bucket: &BucketName,
        request: ListRequest,
    ) -> Result<ListPage, StoreError> {
        if !(1..=1000).contains(&request.max_keys) {
            return Err(StoreError::InvalidArgument(format!(
                "a list page holds 1 to 1000 keys, not {}",
                request.max_keys
            )));
        }
        let out = self
            .client
            .list_objects_v2()
            .bucket(bucket.as_str())
            .set_prefix(request.prefix)
            .set_continuation_token(request.continuation)
            .max_keys(request.max_keys as i32)
            .send()
            .await
            .map_err(|e| store_err(e, Target::bucket(bucket)))?;
        let objects = out
            .contents()
            .iter()
            .map(|o| {
                let key = ObjectKey::parse(o.key().unwrap_or_default()).map_err(|e| {
                    StoreError::Backend {
                        store: STORE,
                        source: format!("S3 listed a key PAM refuses: {e}").into(),
                    }
                })?;
                Ok(ObjectSummary {
                    key,
                    size: o.size().unwrap_or(0).max(0) as u64,
                    etag: o.e_tag().unwrap_or_default().to_owned(),
                    last_modified: convert::to_chrono(o.last_modified()),
                    storage_class: convert::storage_class(o.storage_class().map(|c| c.as_str()))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let next = out
            .next_continuation_token()
            .filter(|_| out.is_truncated() == Some(true))
            .map(str::to_owned);
        Ok(ListPage { objects, next })
    }

    pub(super) async fn get_object_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<Tags, StoreError> {
        let out = self
            .client
            .get_object_tagging()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| store_err(e, Target::object(bucket, key)))?;
        convert::tags_from_s3(out.tag_set())
    }

    pub(super) async fn put_object_tags(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        tags: Tags,
    ) -> Result<(), StoreError> {
        let set = tags
            .iter()
            .map(|(k, v)| {
                Tag::builder()
                    .key(k)
                    .value(v)
                    .build()
                    .map_err(|e| build_err("a tag", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let tagging = Tagging::builder()
            .set_tag_set(Some(set))
            .build()
            .map_err(|e| build_err("a tag set", e))?;
        self.client
            .put_object_tagging()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .tagging(tagging)
            .send()
            .await
            .map_err(|e| store_err(e, Target::object(bucket, key)))?;
        Ok(())
    }
}

/// A failed conditional write (`If-None-Match: *`) means the key is taken.
pub(super) fn conditional_err(
    failure: Failure,
    bucket: &BucketName,
    key: &ObjectKey,
) -> StoreError {
    if failure.code() == "PreconditionFailed" || failure.status == Some(412) {
        return StoreError::AlreadyExists {
            bucket: bucket.clone(),
            key: key.clone(),
        };
    }
    failure.into_store(Target::object(bucket, key))
}

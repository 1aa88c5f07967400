//! Conversions between S3's wire values and the domain's: storage classes, archive
//! status, the `x-amz-restore` header, timestamps, byte ranges and tag sets.

use aws_sdk_s3::primitives::DateTime as SdkDateTime;
use aws_sdk_s3::types as s3;
use chrono::{DateTime, Utc};
use pam_core::ports::store::{ByteRange, ObjectMeta, StoreError, Tags};
use pam_core::{ArchiveStatus, ObjectKey, RestoreState, StorageClass};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;

use super::error::STORE;

/// Characters left as they are in a query-string component (RFC 3986 unreserved).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The same, keeping `/` (for `x-amz-copy-source`).
const PATH: &AsciiSet = &QUERY.remove(b'/');

fn backend(message: String) -> StoreError {
    StoreError::Backend {
        store: STORE,
        source: message.into(),
    }
}

pub(crate) fn to_chrono(at: Option<&SdkDateTime>) -> DateTime<Utc> {
    at.and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
        .unwrap_or_default()
}

/// S3 omits the storage class for STANDARD objects.
pub(crate) fn storage_class(class: Option<&str>) -> Result<StorageClass, StoreError> {
    match class {
        None => Ok(StorageClass::Standard),
        Some(name) => name
            .parse()
            .map_err(|e| backend(format!("S3 reported a storage class PAM does not use: {e}"))),
    }
}

pub(crate) fn to_s3_class(class: StorageClass) -> s3::StorageClass {
    s3::StorageClass::from(class.as_str())
}

pub(crate) fn archive_status(
    status: Option<&s3::ArchiveStatus>,
) -> Result<Option<ArchiveStatus>, StoreError> {
    status
        .map(|s| {
            s.as_str()
                .parse()
                .map_err(|e| backend(format!("S3 reported {e}")))
        })
        .transpose()
}

pub(crate) fn restore_state(header: Option<&str>) -> Result<Option<RestoreState>, StoreError> {
    header
        .map(|h| RestoreState::parse_header(h).map_err(|e| backend(e.to_string())))
        .transpose()
}

/// The fields HeadObject and GetObject share, gathered into the port's `ObjectMeta`.
pub(crate) struct RawMeta<'a> {
    pub size: Option<i64>,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a SdkDateTime>,
    pub storage_class: Option<&'a s3::StorageClass>,
    pub archive_status: Option<&'a s3::ArchiveStatus>,
    pub restore: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub metadata: Option<&'a HashMap<String, String>>,
}

impl RawMeta<'_> {
    pub fn into_meta(self, key: &ObjectKey) -> Result<ObjectMeta, StoreError> {
        Ok(ObjectMeta {
            key: key.clone(),
            size: self.size.unwrap_or(0).max(0) as u64,
            etag: self.etag.unwrap_or_default().to_owned(),
            last_modified: to_chrono(self.last_modified),
            storage_class: storage_class(self.storage_class.map(|c| c.as_str()))?,
            archive_status: archive_status(self.archive_status)?,
            restore: restore_state(self.restore)?,
            content_type: self.content_type.map(str::to_owned),
            metadata: self
                .metadata
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        })
    }
}

/// The `Range` header value.
pub(crate) fn range_header(range: ByteRange) -> String {
    match range {
        ByteRange::FromTo(start, end) => format!("bytes={start}-{end}"),
        ByteRange::From(start) => format!("bytes={start}-"),
        ByteRange::Suffix(n) => format!("bytes=-{n}"),
    }
}

/// Parses `Content-Range: bytes 100-199/10000` into `(100..200, 10000)`.
pub(crate) fn parse_content_range(value: &str) -> Option<(std::ops::Range<u64>, u64)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let (start, end): (u64, u64) = (start.parse().ok()?, end.parse().ok()?);
    Some((start..end.checked_add(1)?, total.parse().ok()?))
}

/// The `x-amz-tagging` value: a URL-encoded query string.
pub(crate) fn tagging_header(tags: &Tags) -> Option<String> {
    (!tags.is_empty()).then(|| {
        tags.iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(k, QUERY),
                    utf8_percent_encode(v, QUERY)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// `x-amz-copy-source` for a copy of `bucket/key`.
pub(crate) fn copy_source(bucket: &str, key: &str) -> String {
    format!("{bucket}/{}", utf8_percent_encode(key, PATH))
}

pub(crate) fn tags_from_s3(set: &[s3::Tag]) -> Result<Tags, StoreError> {
    Tags::from_pairs(set.iter().map(|t| (t.key(), t.value())))
        .map_err(|e| backend(format!("S3 returned a tag set PAM refuses: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parses() {
        assert_eq!(
            parse_content_range("bytes 100-199/10000"),
            Some((100..200, 10_000))
        );
        assert_eq!(parse_content_range("bytes */10000"), None);
        assert_eq!(parse_content_range("nonsense"), None);
    }

    #[test]
    fn tagging_and_copy_source_are_encoded() {
        let tags = Tags::from_pairs([("pam:indexed", "true"), ("a b", "c&d")]).unwrap();
        assert_eq!(
            tagging_header(&tags).unwrap(),
            "a%20b=c%26d&pam%3Aindexed=true"
        );
        assert_eq!(tagging_header(&Tags::new()), None);
        assert_eq!(
            copy_source("b", "photos/a b+c.jpg"),
            "b/photos/a%20b%2Bc.jpg"
        );
    }

    #[test]
    fn storage_class_defaults_to_standard() {
        assert_eq!(storage_class(None).unwrap(), StorageClass::Standard);
        assert_eq!(
            storage_class(Some("DEEP_ARCHIVE")).unwrap(),
            StorageClass::DeepArchive
        );
        assert!(storage_class(Some("ONEZONE_IA")).is_err());
    }
}

//! The values that go in and out of a [`PhotoStore`](super::PhotoStore): what to put
//! and how, what HeadObject reports, byte ranges, list pages, restores, multipart parts.

use crate::domain::{ArchiveStatus, ObjectKey, RestoreState, RestoreTier, StorageClass};
use chrono::{DateTime, Utc};
use std::{collections::BTreeMap, fmt, path::PathBuf, pin::Pin};
use tokio::io::AsyncRead;

use super::tags::Tags;

/// A stream of object bytes.
pub type ByteStream = Pin<Box<dyn AsyncRead + Send>>;

/// Where the bytes of a put come from. Files and readers are streamed, never loaded whole.
pub enum PutSource {
    /// Bytes already in memory (small objects, multipart parts).
    Bytes(Vec<u8>),
    /// A file on the local disk.
    File(PathBuf),
    /// Any async reader.
    Reader(ByteStream),
}

impl fmt::Debug for PutSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Self::File(p) => write!(f, "File({})", p.display()),
            Self::Reader(_) => f.write_str("Reader(..)"),
        }
    }
}

impl From<Vec<u8>> for PutSource {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Bytes(bytes)
    }
}

/// User metadata (`x-amz-meta-*`). Keys are lowercase ASCII; values must be
/// printable ASCII because S3 carries them as HTTP headers (percent-encode the rest).
pub type Metadata = BTreeMap<String, String>;

/// How to put an object.
#[derive(Debug, Clone)]
pub struct PutOptions {
    /// `Content-Type`; `None` leaves it to the store (`binary/octet-stream` on S3).
    pub content_type: Option<String>,
    /// User metadata.
    pub metadata: Metadata,
    /// Storage class to write into (only non-archival classes are accepted on put).
    pub storage_class: StorageClass,
    /// Tags to set together with the object.
    pub tags: Tags,
    /// `If-None-Match: *`: fail with `AlreadyExists` instead of overwriting.
    pub if_none_match: bool,
}

impl Default for PutOptions {
    fn default() -> Self {
        Self {
            content_type: None,
            metadata: Metadata::new(),
            storage_class: StorageClass::Standard,
            tags: Tags::default(),
            if_none_match: false,
        }
    }
}

/// What a successful put produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutResult {
    /// The entity tag, quoted as S3 returns it.
    pub etag: String,
    /// Bytes written.
    pub size: u64,
}

/// What HeadObject reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectMeta {
    /// The object's key.
    pub key: ObjectKey,
    /// Size in bytes.
    pub size: u64,
    /// The entity tag, quoted.
    pub etag: String,
    /// When the object was last written.
    pub last_modified: DateTime<Utc>,
    /// Its storage class.
    pub storage_class: StorageClass,
    /// For INTELLIGENT_TIERING objects in an archive tier: which one.
    pub archive_status: Option<ArchiveStatus>,
    /// The `x-amz-restore` state, if a restore was ever requested and is still relevant.
    pub restore: Option<RestoreState>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// User metadata.
    pub metadata: Metadata,
}

impl ObjectMeta {
    /// Whether a GET would succeed now, by S3's rules: GLACIER / DEEP_ARCHIVE objects need
    /// a finished restore; Intelligent-Tiering objects must not sit in an archive tier.
    pub fn is_readable(&self) -> bool {
        if self.storage_class.is_archival() {
            matches!(self.restore, Some(RestoreState::Restored { .. }))
        } else {
            self.archive_status.is_none()
        }
    }

    /// Whether the object is archived (needs or needed a restore to be read).
    pub fn is_archived(&self) -> bool {
        self.storage_class.is_archival() || self.archive_status.is_some()
    }
}

/// An HTTP-style byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=start-end`, both inclusive.
    FromTo(u64, u64),
    /// `bytes=start-`.
    From(u64),
    /// `bytes=-n`: the last `n` bytes.
    Suffix(u64),
}

impl ByteRange {
    /// Resolves the range against an object of `size` bytes into a half-open range.
    /// `None` when it is unsatisfiable (S3's `InvalidRange`).
    pub fn resolve(self, size: u64) -> Option<std::ops::Range<u64>> {
        let (start, end) = match self {
            Self::FromTo(s, e) if s <= e => (s, e.saturating_add(1).min(size)),
            Self::FromTo(..) => return None,
            Self::From(s) => (s, size),
            Self::Suffix(0) => return None,
            Self::Suffix(n) => (size.saturating_sub(n), size),
        };
        (start < end).then_some(start..end)
    }
}

/// How to GET an object.
#[derive(Debug, Clone, Default)]
pub struct GetOptions {
    /// Only these bytes.
    pub range: Option<ByteRange>,
}

/// A GET's answer: the metadata, the byte range delivered and the bytes as a stream.
pub struct GetResult {
    /// HeadObject's view of the object.
    pub meta: ObjectMeta,
    /// Which bytes `body` yields (half-open).
    pub range: std::ops::Range<u64>,
    /// The bytes.
    pub body: ByteStream,
}

impl fmt::Debug for GetResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetResult")
            .field("meta", &self.meta)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

/// One ListObjectsV2 request.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// Only keys starting with this.
    pub prefix: Option<String>,
    /// The `next` token of the previous page.
    pub continuation: Option<String>,
    /// Page size, 1..=1000 (S3's maximum).
    pub max_keys: u32,
}

impl Default for ListRequest {
    fn default() -> Self {
        Self {
            prefix: None,
            continuation: None,
            max_keys: 1000,
        }
    }
}

/// One listed object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectSummary {
    /// Its key.
    pub key: ObjectKey,
    /// Size in bytes.
    pub size: u64,
    /// Entity tag, quoted.
    pub etag: String,
    /// Last write.
    pub last_modified: DateTime<Utc>,
    /// Storage class.
    pub storage_class: StorageClass,
}

/// A page of a listing, keys in ascending UTF-8 byte order.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// The objects.
    pub objects: Vec<ObjectSummary>,
    /// Pass as `continuation` to get the next page; `None` on the last page.
    pub next: Option<String>,
}

/// A RestoreObject request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreRequest {
    /// Retrieval tier.
    pub tier: RestoreTier,
    /// Days the restored copy lives: required for GLACIER / DEEP_ARCHIVE, refused for
    /// Intelligent-Tiering archive tiers (as S3 does).
    pub days: Option<u32>,
}

/// How a RestoreObject request was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreOutcome {
    /// A restore started (S3 answers 202 Accepted).
    Started,
    /// The object is already restored; the copy's expiry was set from now (S3: 200 OK).
    AlreadyRestored,
}

/// A multipart upload's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UploadId(pub String);

/// A part that was uploaded; hand all of them to `complete_multipart`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedPart {
    /// 1..=10000.
    pub part_number: u32,
    /// The part's entity tag.
    pub etag: String,
}

/// S3's smallest part (all but the last), 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// S3's largest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_like_http() {
        assert_eq!(ByteRange::FromTo(0, 9).resolve(100), Some(0..10));
        assert_eq!(ByteRange::FromTo(90, 200).resolve(100), Some(90..100));
        assert_eq!(ByteRange::From(95).resolve(100), Some(95..100));
        assert_eq!(ByteRange::Suffix(10).resolve(100), Some(90..100));
        assert_eq!(ByteRange::Suffix(500).resolve(100), Some(0..100));
        assert_eq!(ByteRange::From(100).resolve(100), None);
        assert_eq!(ByteRange::FromTo(5, 4).resolve(100), None);
        assert_eq!(ByteRange::Suffix(0).resolve(100), None);
    }
}

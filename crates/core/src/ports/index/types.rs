//! The values a [`LabelIndex`](super::LabelIndex) records and answers with.

use crate::domain::{Label, PhotoKey, Sha256};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A photo as recorded at import: identity by content, plus what bundles need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRecord {
    /// Where it is stored.
    pub key: PhotoKey,
    /// The file name the person gave it (for bundle entry names).
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes: the photo's identity.
    pub sha256: Sha256,
    /// CRC-32 (IEEE) of the bytes, as zip needs it.
    pub crc32: u32,
}

/// How `record_photo` took a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "key", rename_all = "snake_case")]
pub enum Recorded {
    /// A new photo.
    New,
    /// This key was already recorded with these bytes (a redelivery).
    AlreadyRecorded,
    /// The same bytes are already recorded under another key: one photo, not two.
    DuplicateOf(PhotoKey),
}

/// One label on one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoLabel {
    /// The label.
    pub name: Label,
    /// Confidence, 0..=100 as Rekognition reports it.
    pub confidence: f32,
    /// Its parents in the label hierarchy.
    pub parents: Vec<Label>,
}

/// How `index_labels` took a photo's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indexed {
    /// The labels were counted now.
    Newly,
    /// The photo was already indexed; nothing changed (idempotent redelivery).
    Already,
}

/// A label and the number of distinct photos carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCount {
    /// The label.
    pub name: Label,
    /// Distinct photos with it.
    pub count: u64,
}

/// A page request: `after` is the previous page's `next`.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// Continuation token.
    pub after: Option<String>,
    /// Items per page, 1..=1000.
    pub limit: u32,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        Self { after: None, limit }
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// Items, in key order.
    pub items: Vec<T>,
    /// Token for the next page; `None` on the last.
    pub next: Option<String>,
}

/// A photo with its labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoEntry {
    /// What was recorded at import.
    pub record: PhotoRecord,
    /// When its labels were indexed; `None` while labelling has not finished.
    pub indexed_at: Option<DateTime<Utc>>,
    /// Its labels, highest confidence first.
    pub labels: Vec<PhotoLabel>,
}

/// A photo that could not be labelled, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineRecord {
    /// The photo's key.
    pub key: PhotoKey,
    /// The stable error name (`Pam.NotAJpeg`…).
    pub error: String,
    /// A human explanation.
    pub reason: String,
    /// When it was quarantined.
    pub at: DateTime<Utc>,
}

//! How steps name objects in their payloads: by bucket and key, never by bytes (a
//! Step Functions payload is limited to 256 KB).

use pam_core::{BucketName, PhotoKey};
use serde::{Deserialize, Serialize};

/// A photo in a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Bucket.
    pub bucket: BucketName,
    /// Key under `photos/`.
    pub key: PhotoKey,
}

/// The object tag Archive sets once a photo's labels are counted.
pub const INDEXED_TAG: &str = "pam:indexed";
/// The object tag Quarantine sets, with the error name as its value.
pub const QUARANTINED_TAG: &str = "pam:quarantined";

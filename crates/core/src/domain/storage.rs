//! Storage classes and Intelligent-Tiering archive tiers, spelled as S3 spells them.
//! Which of them make an object unreadable until restored is decided here, once, so
//! every adapter and step agrees.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// An S3 storage class PAM uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StorageClass {
    /// Hot storage.
    Standard,
    /// Moves between access tiers by itself; its archive tiers need a restore.
    IntelligentTiering,
    /// S3 Glacier Flexible Retrieval: always needs a restore to read.
    Glacier,
    /// S3 Glacier Deep Archive: always needs a restore to read; no Expedited tier.
    DeepArchive,
}

/// The Intelligent-Tiering archive tier an object sits in (`x-amz-archive-status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ArchiveStatus {
    /// Archive Access tier (restore in minutes to hours).
    ArchiveAccess,
    /// Deep Archive Access tier (restore in hours; no Expedited).
    DeepArchiveAccess,
}

/// An unknown storage class or archive status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}")]
pub struct StorageNameError {
    what: &'static str,
    name: String,
}

impl StorageClass {
    /// The S3 name, e.g. `INTELLIGENT_TIERING`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "STANDARD",
            Self::IntelligentTiering => "INTELLIGENT_TIERING",
            Self::Glacier => "GLACIER",
            Self::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    /// Whether objects of this class always need a restore before a GET.
    pub fn is_archival(self) -> bool {
        matches!(self, Self::Glacier | Self::DeepArchive)
    }
}

impl ArchiveStatus {
    /// The S3 name, e.g. `ARCHIVE_ACCESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ArchiveAccess => "ARCHIVE_ACCESS",
            Self::DeepArchiveAccess => "DEEP_ARCHIVE_ACCESS",
        }
    }
}

impl FromStr for StorageClass {
    type Err = StorageNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "STANDARD" => Self::Standard,
            "INTELLIGENT_TIERING" => Self::IntelligentTiering,
            "GLACIER" => Self::Glacier,
            "DEEP_ARCHIVE" => Self::DeepArchive,
            _ => {
                return Err(StorageNameError {
                    what: "storage class",
                    name: s.to_owned(),
                });
            }
        })
    }
}

impl FromStr for ArchiveStatus {
    type Err = StorageNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "ARCHIVE_ACCESS" => Self::ArchiveAccess,
            "DEEP_ARCHIVE_ACCESS" => Self::DeepArchiveAccess,
            _ => {
                return Err(StorageNameError {
                    what: "archive status",
                    name: s.to_owned(),
                });
            }
        })
    }
}

impl fmt::Display for StorageClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ArchiveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the Archive step sends a labelled photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ColdTarget {
    /// Leave it in STANDARD (no archiving).
    Standard,
    /// GLACIER storage class.
    Glacier,
    /// DEEP_ARCHIVE storage class.
    DeepArchive,
    /// INTELLIGENT_TIERING, and (where the store can force it) its Archive Access tier.
    IntelligentTieringArchiveAccess,
    /// INTELLIGENT_TIERING, and (where the store can force it) its Deep Archive Access tier.
    IntelligentTieringDeepArchiveAccess,
}

impl ColdTarget {
    /// The storage class this target puts the object in.
    pub fn storage_class(self) -> StorageClass {
        match self {
            Self::Standard => StorageClass::Standard,
            Self::Glacier => StorageClass::Glacier,
            Self::DeepArchive => StorageClass::DeepArchive,
            Self::IntelligentTieringArchiveAccess | Self::IntelligentTieringDeepArchiveAccess => {
                StorageClass::IntelligentTiering
            }
        }
    }

    /// The Intelligent-Tiering archive tier this target asks for, if any.
    pub fn archive_status(self) -> Option<ArchiveStatus> {
        match self {
            Self::IntelligentTieringArchiveAccess => Some(ArchiveStatus::ArchiveAccess),
            Self::IntelligentTieringDeepArchiveAccess => Some(ArchiveStatus::DeepArchiveAccess),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for class in [
            StorageClass::Standard,
            StorageClass::IntelligentTiering,
            StorageClass::Glacier,
            StorageClass::DeepArchive,
        ] {
            assert_eq!(class.as_str().parse::<StorageClass>().unwrap(), class);
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
        }
        for status in [
            ArchiveStatus::ArchiveAccess,
            ArchiveStatus::DeepArchiveAccess,
        ] {
            assert_eq!(status.as_str().parse::<ArchiveStatus>().unwrap(), status);
        }
        assert!("glacier".parse::<StorageClass>().is_err());
    }

    #[test]
    fn archival_classes() {
        assert!(StorageClass::Glacier.is_archival());
        assert!(!StorageClass::IntelligentTiering.is_archival());
        assert_eq!(
            ColdTarget::IntelligentTieringArchiveAccess.storage_class(),
            StorageClass::IntelligentTiering
        );
    }
}

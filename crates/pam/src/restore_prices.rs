//! What restoring archived photos costs on AWS, at the published S3 prices, so
//! `pam download --dry-run` can show the person the price of each tier before anything
//! is restored. One table, one place to update.
//!
//! Source: Amazon S3 pricing, "Requests & data retrievals" (US East, N. Virginia), as
//! summarised by AWS's Knowledge Center article "s3-manage-data-retrieval" and the S3
//! user guide page "restoring-objects-retrieval-options" (Bulk and, for
//! Intelligent-Tiering, Standard retrievals are free). Read on 2026-11-27.
//! Prices are per GB retrieved plus per 1,000 restore requests (one request per photo).

use pam_core::{ArchiveStatus, RestoreTier, StorageClass};

/// One row: where the photo is archived and the tier that restores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// USD per GB retrieved (AWS bills binary gigabytes, 2^30 bytes).
    pub per_gb: f64,
    /// USD per 1,000 restore requests.
    pub per_1000_requests: f64,
}

/// Where an archived photo sits, as far as retrieval prices go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArchivedIn {
    /// S3 Glacier Flexible Retrieval (storage class GLACIER).
    Glacier,
    /// S3 Glacier Deep Archive.
    DeepArchive,
    /// Intelligent-Tiering Archive Access tier.
    ItArchive,
    /// Intelligent-Tiering Deep Archive Access tier.
    ItDeepArchive,
}

impl ArchivedIn {
    /// The archive an object's storage class and archive status put it in (`None`:
    /// not archived).
    pub fn of(class: StorageClass, status: Option<ArchiveStatus>) -> Option<Self> {
        match (class, status) {
            (StorageClass::Glacier, _) => Some(Self::Glacier),
            (StorageClass::DeepArchive, _) => Some(Self::DeepArchive),
            (_, Some(ArchiveStatus::ArchiveAccess)) => Some(Self::ItArchive),
            (_, Some(ArchiveStatus::DeepArchiveAccess)) => Some(Self::ItDeepArchive),
            _ => None,
        }
    }

    /// How `pam download --dry-run` names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Glacier => "GLACIER",
            Self::DeepArchive => "DEEP_ARCHIVE",
            Self::ItArchive => "INTELLIGENT_TIERING/ARCHIVE_ACCESS",
            Self::ItDeepArchive => "INTELLIGENT_TIERING/DEEP_ARCHIVE_ACCESS",
        }
    }

    /// Whether it is a deep archive (slower; no Expedited tier).
    pub fn is_deep(self) -> bool {
        matches!(self, Self::DeepArchive | Self::ItDeepArchive)
    }

    /// The tier a restore really uses: the deep archives refuse Expedited, so the
    /// download steps fall back to Standard there.
    pub fn effective_tier(self, tier: RestoreTier) -> RestoreTier {
        if self.is_deep() && tier == RestoreTier::Expedited {
            RestoreTier::Standard
        } else {
            tier
        }
    }

    /// The published price of restoring from here at `tier` (after the fallback).
    pub fn price(self, tier: RestoreTier) -> Price {
        let p = |per_gb, per_1000_requests| Price {
            per_gb,
            per_1000_requests,
        };
        match (self, self.effective_tier(tier)) {
            (Self::Glacier, RestoreTier::Expedited) => p(0.03, 10.00),
            (Self::Glacier, RestoreTier::Standard) => p(0.01, 0.05),
            (Self::Glacier, RestoreTier::Bulk) => p(0.0, 0.0),
            (Self::DeepArchive, RestoreTier::Standard) => p(0.02, 0.10),
            (Self::DeepArchive, RestoreTier::Bulk) => p(0.0025, 0.025),
            (Self::ItArchive, RestoreTier::Expedited) => p(0.03, 10.00),
            // Standard and Bulk restores from Intelligent-Tiering are free.
            (Self::ItArchive | Self::ItDeepArchive, _) => p(0.0, 0.0),
            (Self::DeepArchive, RestoreTier::Expedited) => {
                unreachable!("effective_tier never keeps Expedited for a deep archive")
            }
        }
    }

    /// USD for restoring `photos` photos of `bytes` bytes in total from here at `tier`.
    pub fn cost(self, tier: RestoreTier, photos: u64, bytes: u64) -> f64 {
        let price = self.price(tier);
        let gb = bytes as f64 / (1u64 << 30) as f64;
        gb * price.per_gb + photos as f64 / 1000.0 * price.per_1000_requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knowledge_center_example_adds_up() {
        // 15,000,000 objects, 100 TB (102,400 GB) from Glacier Flexible Retrieval:
        // Standard $750 requests + $1,024 data = $1,774.
        let cost = ArchivedIn::Glacier.cost(RestoreTier::Standard, 15_000_000, 102_400 << 30);
        assert!((cost - 1774.0).abs() < 0.01, "{cost}");
        let expedited = ArchivedIn::Glacier.cost(RestoreTier::Expedited, 15_000_000, 102_400 << 30);
        assert!(
            (expedited - (150_000.0 + 3072.0)).abs() < 0.01,
            "{expedited}"
        );
    }

    #[test]
    fn deep_archives_fall_back_from_expedited_and_bulk_is_free_where_aws_says() {
        assert_eq!(
            ArchivedIn::DeepArchive.effective_tier(RestoreTier::Expedited),
            RestoreTier::Standard
        );
        assert_eq!(
            ArchivedIn::DeepArchive.price(RestoreTier::Expedited),
            ArchivedIn::DeepArchive.price(RestoreTier::Standard)
        );
        assert_eq!(
            ArchivedIn::Glacier.cost(RestoreTier::Bulk, 1000, 1 << 40),
            0.0
        );
        assert_eq!(
            ArchivedIn::ItArchive.cost(RestoreTier::Standard, 1000, 1 << 40),
            0.0
        );
        assert_eq!(
            ArchivedIn::of(
                StorageClass::IntelligentTiering,
                Some(ArchiveStatus::ArchiveAccess)
            ),
            Some(ArchivedIn::ItArchive)
        );
        assert_eq!(ArchivedIn::of(StorageClass::Standard, None), None);
    }
}

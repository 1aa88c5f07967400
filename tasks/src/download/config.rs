//! What the download steps need to know besides their ports: which buckets, how many
//! restores per invocation, how long to wait between restore polls and for how many
//! rounds, how big bundle parts and upload parts are, and how long links live. Two
//! presets: [`DownloadConfig::local`] (short waits, so a journey on one machine is
//! visible) and [`DownloadConfig::aws_like`] (the real restore times).

use pam_core::{BucketName, RestoreTier};
use std::path::PathBuf;
use std::time::Duration;

/// When to poll a tier's restores, and for how long at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierPoll {
    /// Seconds between two CheckRestores rounds.
    pub poll_seconds: u64,
    /// Longest total wait before the job fails with `Pam.RestoreTimeout`.
    pub max_wait_seconds: u64,
}

impl TierPoll {
    /// How many poll rounds fit in the longest wait (at least one).
    pub fn rounds(&self) -> u32 {
        let poll = self.poll_seconds.max(1);
        u32::try_from(self.max_wait_seconds.div_ceil(poll).max(1)).unwrap_or(u32::MAX)
    }
}

/// Poll timing per restore tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestorePolling {
    /// Expedited.
    pub expedited: TierPoll,
    /// Standard.
    pub standard: TierPoll,
    /// Bulk.
    pub bulk: TierPoll,
}

impl RestorePolling {
    /// Short waits matching the local store's default restore delays (2 s to 60 s).
    pub fn local() -> Self {
        let tier = |poll_seconds, max_wait_seconds| TierPoll {
            poll_seconds,
            max_wait_seconds,
        };
        Self {
            expedited: tier(2, 600),
            standard: tier(5, 1800),
            bulk: tier(15, 3600),
        }
    }

    /// AWS's published restore times: Expedited polled every minute, Standard every
    /// hour, Bulk every 6 hours; waits bounded a little above the slowest case
    /// (Deep Archive Standard 12 h, Bulk 48 h).
    pub fn aws_like() -> Self {
        let tier = |poll_seconds, max_wait_seconds| TierPoll {
            poll_seconds,
            max_wait_seconds,
        };
        Self {
            expedited: tier(60, 6 * 3600),
            standard: tier(3600, 24 * 3600),
            bulk: tier(6 * 3600, 72 * 3600),
        }
    }

    /// The timing of `tier`.
    pub fn of(&self, tier: RestoreTier) -> TierPoll {
        match tier {
            RestoreTier::Expedited => self.expedited,
            RestoreTier::Standard => self.standard,
            RestoreTier::Bulk => self.bulk,
        }
    }
}

/// The download steps' settings.
#[derive(Debug, Clone)]
pub struct DownloadConfig {
    /// Where the photos are.
    pub photos_bucket: BucketName,
    /// Where manifests and bundles go (objects there expire).
    pub working_bucket: BucketName,
    /// Photos per StartRestores invocation.
    pub restore_page_size: u32,
    /// Days a restored GLACIER / DEEP_ARCHIVE copy lives (Intelligent-Tiering takes none).
    pub restore_days: u32,
    /// Poll timing per tier.
    pub polling: RestorePolling,
    /// HEAD / restore requests in flight at once.
    pub concurrency: usize,
    /// Largest bundle part (a zip) in bytes; `None`: one zip however large.
    pub max_bundle_part_size: Option<u64>,
    /// Size of one multipart-upload part (memory use of BuildBundle is about twice this).
    pub upload_part_size: usize,
    /// Where `manifest.csv` is spooled while a bundle is written (system temp if `None`).
    pub spool_dir: Option<PathBuf>,
    /// Link lifetime when the request names none.
    pub default_link_ttl: Duration,
}

/// Default link lifetime: 24 hours.
pub const DEFAULT_LINK_TTL: Duration = Duration::from_secs(24 * 3600);

impl DownloadConfig {
    /// Settings for one machine: short polls, 4 GiB bundle parts, 8 MiB upload parts.
    pub fn local(photos_bucket: BucketName, working_bucket: BucketName) -> Self {
        Self {
            photos_bucket,
            working_bucket,
            restore_page_size: 500,
            restore_days: 2,
            polling: RestorePolling::local(),
            concurrency: 16,
            max_bundle_part_size: Some(4 << 30),
            upload_part_size: 8 << 20,
            spool_dir: None,
            default_link_ttl: DEFAULT_LINK_TTL,
        }
    }

    /// The same with AWS's restore times.
    pub fn aws_like(photos_bucket: BucketName, working_bucket: BucketName) -> Self {
        Self {
            polling: RestorePolling::aws_like(),
            concurrency: 32,
            ..Self::local(photos_bucket, working_bucket)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_cover_the_longest_wait() {
        let p = RestorePolling::aws_like();
        assert_eq!(p.of(RestoreTier::Expedited).rounds(), 360);
        assert_eq!(p.of(RestoreTier::Bulk).rounds(), 12);
        let odd = TierPoll {
            poll_seconds: 7,
            max_wait_seconds: 50,
        };
        assert_eq!(odd.rounds(), 8);
        let zero = TierPoll {
            poll_seconds: 0,
            max_wait_seconds: 0,
        };
        assert_eq!(zero.rounds(), 1);
    }
}

//! What StartRestores and CheckRestores share: the restore progress that travels in
//! the state (`$.restore`), and how one archived photo's restore is requested. A
//! photo in a deep archive (DEEP_ARCHIVE, Deep Archive Access) cannot be restored at
//! Expedited: it is asked at Standard instead, counted in `fallbacks`, and the polls
//! then follow the Standard timing.

use crate::download::config::DownloadConfig;
use crate::download::manifest::ManifestLine;
use crate::error::StepError;
use pam_core::RestoreTier;
use pam_core::ports::store::{PhotoStore, RestoreOutcome, RestoreRequest, StoreError};
use serde::{Deserialize, Serialize};

/// The restore loop's state: StartRestores' and CheckRestores' output and input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreProgress {
    /// Byte offset in the manifest where StartRestores continues; `null` when every
    /// restore has been requested.
    #[serde(default)]
    pub cursor: Option<u64>,
    /// Archived photos whose restore is not finished.
    #[serde(default)]
    pub pending: u64,
    /// Archived photos readable now.
    #[serde(default)]
    pub restored: u64,
    /// Restores this job started.
    #[serde(default)]
    pub started: u64,
    /// Deep-archive photos asked at Standard because Expedited is impossible for them.
    #[serde(default)]
    pub fallbacks: u64,
    /// The slowest tier in use; CheckRestores re-asks restores at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<RestoreTier>,
    /// Seconds the workflow waits before the next CheckRestores.
    #[serde(default)]
    pub poll_seconds: u64,
    /// Poll rounds left before the job fails with `Pam.RestoreTimeout`.
    #[serde(default)]
    pub rounds_left: u32,
    /// A note for people (e.g. the Expedited fallback), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RestoreProgress {
    /// Sets the tier in use and the poll timing that follows from it.
    pub fn set_timing(&mut self, requested: RestoreTier, config: &DownloadConfig) {
        let tier = if self.fallbacks > 0 && requested == RestoreTier::Expedited {
            RestoreTier::Standard
        } else {
            requested
        };
        let timing = config.polling.of(tier);
        self.tier = Some(tier);
        self.poll_seconds = timing.poll_seconds;
        self.rounds_left = timing.rounds();
        self.note = (self.fallbacks > 0).then(|| {
            format!(
                "{} photo(s) in a deep archive cannot be restored at Expedited; they are restored at Standard",
                self.fallbacks
            )
        });
    }
}

/// How one restore request went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A restore is running (started now or before).
    Pending {
        /// Whether this call started it.
        started: bool,
        /// Whether it was asked at Standard instead of Expedited.
        fallback: bool,
    },
    /// The photo is readable already.
    Readable,
}

/// Asks a restore of `line` at `tier` (Standard for deep archives asked Expedited).
/// Already running or already restored are answers, not errors.
pub async fn ask(
    store: &dyn PhotoStore,
    config: &DownloadConfig,
    line: &ManifestLine,
    tier: RestoreTier,
) -> Result<Asked, StepError> {
    let mut fallback = tier == RestoreTier::Expedited && line.is_deep();
    let mut tier = if fallback {
        RestoreTier::Standard
    } else {
        tier
    };
    let days = line
        .storage_class
        .is_archival()
        .then_some(config.restore_days);
    let key = line.key.as_object_key();
    loop {
        let request = RestoreRequest { tier, days };
        return match store.restore(&config.photos_bucket, key, request).await {
            Ok(RestoreOutcome::Started) => Ok(Asked::Pending {
                started: true,
                fallback,
            }),
            Ok(RestoreOutcome::AlreadyRestored) => Ok(Asked::Readable),
            Err(StoreError::RestoreAlreadyInProgress { .. }) => Ok(Asked::Pending {
                started: false,
                fallback,
            }),
            // Not archived (any more): Intelligent-Tiering moved it back to a hot tier.
            Err(StoreError::InvalidObjectState { .. }) => Ok(Asked::Readable),
            // A store that knows better than our class check refuses Expedited.
            Err(StoreError::InvalidArgument(reason)) if tier == RestoreTier::Expedited => {
                tracing::info!(key = %line.key, %reason, "Expedited refused; asking Standard");
                tier = RestoreTier::Standard;
                fallback = true;
                continue;
            }
            Err(StoreError::NotFound { .. }) => Err(StepError::NotFound(format!(
                "photo {} was deleted after the download started",
                line.key
            ))),
            Err(e) => Err(e.into()),
        };
    }
}

//! CheckRestores: one poll round. HEADs every archived photo of the manifest (the
//! manifest streamed, requests bounded in flight) and counts those still restoring,
//! so a round costs the workflow O(1) state transitions whatever the photo count.
//! A photo that is neither readable nor restoring (its restored copy expired, or a
//! request was lost) is asked again. Decrements `rounds_left`.

use crate::download::config::DownloadConfig;
use crate::download::manifest::{ManifestLine, ManifestReader, ManifestRef};
use crate::download::progress;
use crate::download::restores::{Asked, RestoreProgress, ask};
use crate::error::StepError;
use futures::{FutureExt, TryStreamExt, future};
use pam_core::ports::jobs::{JobLog, JobStage};
use pam_core::ports::store::PhotoStore;
use pam_core::{JobId, RestoreState, RestoreTier};
use serde::Deserialize;

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The manifest.
    pub manifest: ManifestRef,
    /// The previous round's progress.
    pub restore: RestoreProgress,
}

/// The step's output.
pub type Output = RestoreProgress;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Readable,
    Restoring,
}

async fn check(
    store: &dyn PhotoStore,
    config: &DownloadConfig,
    line: ManifestLine,
    tier: RestoreTier,
) -> Result<State, StepError> {
    let meta = store
        .head(&config.photos_bucket, line.key.as_object_key())
        .await
        .map_err(|e| match e {
            pam_core::ports::store::StoreError::NotFound { .. } => StepError::NotFound(format!(
                "photo {} was deleted after the download started",
                line.key
            )),
            other => other.into(),
        })?;
    if meta.is_readable() {
        return Ok(State::Readable);
    }
    if meta.restore == Some(RestoreState::Ongoing) {
        return Ok(State::Restoring);
    }
    tracing::info!(key = %line.key, "archived photo is not restoring; asking again");
    Ok(match ask(store, config, &line, tier).await? {
        Asked::Readable => State::Readable,
        Asked::Pending { .. } => State::Restoring,
    })
}

/// Runs one CheckRestores round.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let tier = input.restore.tier.unwrap_or(RestoreTier::Standard);
    let reader = ManifestReader::open(store, &input.manifest, 0).await?;
    let (pending, restored) = reader
        .into_stream()
        .try_filter(|line| future::ready(line.archived))
        .map_ok(|line| check(store, config, line, tier).boxed())
        .try_buffered(config.concurrency.max(1))
        .try_fold((0u64, 0u64), |(pending, restored), state| {
            future::ready(Ok(match state {
                State::Restoring => (pending + 1, restored),
                State::Readable => (pending, restored + 1),
            }))
        })
        .await?;
    let mut progress = input.restore;
    progress.cursor = None;
    progress.pending = pending;
    progress.restored = restored;
    progress.rounds_left = progress.rounds_left.saturating_sub(1);
    progress::counts(jobs, job, Some(JobStage::Restoring), |c| {
        c.restored = restored
    })
    .await?;
    tracing::info!(job_id = %job, pending, restored, rounds_left = progress.rounds_left, "restores checked");
    Ok(progress)
}

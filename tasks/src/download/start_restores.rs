//! StartRestores: RestoreObject for one page of the manifest's archived photos (from
//! `restore.cursor`, at most `restore_page_size` restore requests), at the job's tier. The workflow
//! calls it again while the returned cursor is not null, then waits `poll_seconds`
//! before the first CheckRestores. Requests are idempotent: a restore already running
//! or finished is counted, not an error, so a retried page counts the same.

use crate::download::config::DownloadConfig;
use crate::download::manifest::{ManifestReader, ManifestRef};
use crate::download::progress;
use crate::download::restores::{Asked, RestoreProgress, ask};
use crate::error::StepError;
use futures::{FutureExt, StreamExt, TryStreamExt};
use pam_core::ports::jobs::{JobLog, JobStage};
use pam_core::ports::store::PhotoStore;
use pam_core::{JobId, RestoreTier};
use serde::Deserialize;

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The manifest.
    pub manifest: ManifestRef,
    /// Requested tier.
    pub tier: RestoreTier,
    /// Progress so far (`{"cursor": null}` on the first page).
    #[serde(default)]
    pub restore: RestoreProgress,
}

/// The step's output.
pub type Output = RestoreProgress;

/// Runs StartRestores on one page.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let mut progress = input.restore;
    let from = progress.cursor.unwrap_or(0);
    if from == 0 {
        progress = RestoreProgress::default();
    }
    let mut reader = ManifestReader::open(store, &input.manifest, from).await?;
    let total = reader.total();
    let mut page = Vec::new();
    let mut end = from;
    while page.len() < config.restore_page_size.max(1) as usize {
        match reader.next().await? {
            Some((line, after)) => {
                end = after;
                if line.archived {
                    page.push(line);
                }
            }
            None => {
                end = total;
                break;
            }
        }
    }
    drop(reader);
    let requested = page.len();
    let tier = input.tier;
    let answers: Vec<Asked> = futures::stream::iter(page)
        .map(move |line| async move { ask(store, config, &line, tier).await }.boxed())
        .buffered(config.concurrency.max(1))
        .try_collect()
        .await?;
    for asked in answers {
        match asked {
            Asked::Pending { started, fallback } => {
                progress.pending += 1;
                progress.started += u64::from(started);
                progress.fallbacks += u64::from(fallback);
            }
            Asked::Readable => progress.restored += 1,
        }
    }
    progress.cursor = (end < total).then_some(end);
    progress.set_timing(input.tier, config);
    let restored = progress.restored;
    progress::counts(jobs, job, Some(JobStage::Restoring), |c| {
        c.restored = restored
    })
    .await?;
    tracing::info!(
        job_id = %job,
        page = requested,
        pending = progress.pending,
        fallbacks = progress.fallbacks,
        more = progress.cursor.is_some(),
        "restores requested"
    );
    Ok(progress)
}

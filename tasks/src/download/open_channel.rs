//! OpenChannel: opens the job's sealed address with the job's key and creates the
//! job's notification channel (an SNS topic with the address subscribed, or a local
//! channel). First in the workflow, so an email confirmation arrives while restores
//! run. Idempotent: the notifier returns the same channel for the same job.

use crate::error::StepError;
use pam_core::ports::keys::JobKeys;
use pam_core::ports::notify::{ChannelId, Notifier};
use pam_core::{JobId, SealedTarget};
use serde::{Deserialize, Serialize};

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The address, sealed with the job's key.
    pub notify: SealedTarget,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The channel.
    pub channel_id: ChannelId,
}

/// Runs OpenChannel.
pub async fn step(
    input: Input,
    keys: &dyn JobKeys,
    notifier: &dyn Notifier,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let key = keys
        .get(job)
        .await?
        .ok_or_else(|| StepError::KeyErased(job.to_string()))?;
    let target = key
        .open(job, &input.notify)
        .map_err(|e| StepError::InvalidInput(format!("notify: {e} (job {job})")))?;
    let channel_id = notifier.open(job, &target).await?;
    tracing::info!(job_id = %job, channel = %channel_id, kind = target.kind(), "notification channel open");
    Ok(Output { channel_id })
}

//! CloseChannel: deletes the job's channel (and the address with it) and erases the
//! job's sealing key, which makes the sealed address in the execution's input
//! unreadable for good (crypto-shredding). Always runs, also when OpenChannel failed
//! (no channel: only the key is erased). Idempotent. The workflow passes it the whole
//! state: when a failure was caught and the job is not final yet (Notify itself
//! failed, or no channel existed to tell the person), the job is recorded failed.

use crate::download::notify::{Caught, Channel, explain};
use crate::error::StepError;
use pam_core::JobId;
use pam_core::ports::jobs::{JobLog, JobStage, JobUpdate};
use pam_core::ports::keys::JobKeys;
use pam_core::ports::notify::Notifier;
use serde::{Deserialize, Serialize};

/// The step's input (other fields of the state are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The channel, if OpenChannel made one.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The failure, if one was caught.
    #[serde(default)]
    pub failure: Option<Caught>,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Whether a channel was closed.
    pub closed: bool,
    /// The job's stage afterwards.
    pub stage: JobStage,
}

/// Runs CloseChannel.
pub async fn step(
    input: Input,
    notifier: &dyn Notifier,
    keys: &dyn JobKeys,
    jobs: &dyn JobLog,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    // Close first, but erase the key whatever happens: the sealed address must die.
    let closed = match &input.channel {
        Some(channel) => notifier.close(&channel.channel_id).await.map(|()| true),
        None => Ok(false),
    };
    keys.erase(job).await?;
    let closed = closed?;
    let record = match jobs.get(job).await? {
        Some(record) if !record.stage.is_final() => {
            let failure = explain(input.failure.as_ref());
            let update = JobUpdate {
                stage: Some(JobStage::Failed),
                error: Some(failure),
                ..JobUpdate::default()
            };
            jobs.update(job, update).await?
        }
        Some(record) => record,
        None => {
            return Err(StepError::NotFound(format!(
                "download job {job} is not recorded (its key and channel were closed anyway)"
            )));
        }
    };
    tracing::info!(job_id = %job, closed, stage = ?record.stage, "channel closed, job key erased");
    Ok(Output {
        closed,
        stage: record.stage,
    })
}

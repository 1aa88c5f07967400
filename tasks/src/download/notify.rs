//! Notify: tells the person the outcome on the job's channel — the links (each on a
//! line of its own, so no mail client breaks them), when they expire and how many
//! photos they hold; or, on `"failed"`, a short explanation. It checks first that
//! the channel will deliver (`Pam.ChannelNotConfirmed` until an SNS email subscription
//! is confirmed; the workflow retries it), and records the stage ready / failed.
//! A rerun after the message went out (the job log says so) sends nothing again.

use crate::download::presign;
use crate::download::progress;
use crate::error::StepError;
use pam_core::JobId;
use pam_core::ports::jobs::{JobFailure, JobLog, JobStage, JobUpdate};
use pam_core::ports::notify::{ChannelId, Message, Notifier, Subscription};
use serde::{Deserialize, Serialize};

/// Which message to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The bundle is ready: send the links.
    Ready,
    /// The job failed: say so.
    Failed,
}

/// The channel as OpenChannel left it in the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// The channel.
    pub channel_id: ChannelId,
}

/// A failure as a state machine's Catch records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caught {
    /// Error name.
    #[serde(rename = "Error")]
    pub error: String,
    /// Cause text.
    #[serde(rename = "Cause", default)]
    pub cause: Option<String>,
}

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The channel (absent if OpenChannel failed).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Ready or failed.
    pub outcome: Outcome,
    /// Presign's output, for `ready`.
    #[serde(default)]
    pub link: Option<presign::Output>,
    /// The failure, for `failed`.
    #[serde(default)]
    pub failure: Option<Caught>,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// What was announced.
    pub outcome: Outcome,
    /// Whether a message went out now (false: already sent, or no channel).
    pub sent: bool,
}

const CAUSE_CHARS: usize = 300;

/// The explanation people read, and what the job log keeps.
pub fn explain(failure: Option<&Caught>) -> JobFailure {
    let code = failure.map_or("Pam.Internal", |f| f.error.as_str());
    let plain = match code {
        "Pam.NoPhotos" => "No photo carries the labels you chose, so there is nothing to download.",
        "Pam.RestoreTimeout" => {
            "Some archived photos were still being restored after the longest wait we allow."
        }
        "Pam.ObjectArchived" => "A photo went back to the archive before the bundle was made.",
        "Pam.ChannelNotConfirmed" => "The notification subscription was never confirmed.",
        "Pam.KeyErased" | "Pam.AddressRefused" => "We could not reach the address you gave.",
        _ => "Something went wrong while preparing your download.",
    };
    let cause: String = failure
        .and_then(|f| f.cause.as_deref())
        .unwrap_or("")
        .chars()
        .take(CAUSE_CHARS)
        .collect();
    let message = if cause.is_empty() {
        plain.to_owned()
    } else {
        format!("{plain} ({cause})")
    };
    JobFailure {
        code: code.to_owned(),
        message,
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The message announcing the links.
pub fn ready_message(link: &presign::Output) -> Message {
    let files = link.links.len();
    let mut body = format!(
        "Your photos are ready: {} photo(s), {}, in {} zip file{}.\n\n",
        link.photos,
        megabytes(link.size),
        files,
        if files == 1 { "" } else { "s" }
    );
    body.push_str(&format!(
        "The link{} below work{} until {} UTC.\n\n",
        if files == 1 { "" } else { "s" },
        if files == 1 { "s" } else { "" },
        link.expires_at.format("%Y-%m-%d %H:%M")
    ));
    for (i, l) in link.links.iter().enumerate() {
        if files > 1 {
            body.push_str(&format!(
                "Part {} of {files} ({}):\n",
                i + 1,
                megabytes(l.size)
            ));
        }
        body.push_str(&l.url);
        body.push_str("\n\n");
    }
    Message {
        subject: "Your PAM photos are ready".into(),
        body,
    }
}

fn failed_message(failure: &JobFailure) -> Message {
    Message {
        subject: "Your PAM download failed".into(),
        body: format!(
            "Sorry: your download could not be prepared.\n\n{}\n\nError code: {}\n",
            failure.message, failure.code
        ),
    }
}

/// Runs Notify.
pub async fn step(
    input: Input,
    notifier: &dyn Notifier,
    jobs: &dyn JobLog,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let record = progress::record(jobs, job).await?;
    let done = match input.outcome {
        Outcome::Ready => record.stage == JobStage::Ready,
        Outcome::Failed => record.stage == JobStage::Failed,
    };
    let unsent = Output {
        outcome: input.outcome,
        sent: false,
    };
    if done {
        tracing::info!(job_id = %job, "already notified; not sending again");
        return Ok(unsent);
    }
    let (message, update) = match input.outcome {
        Outcome::Ready => {
            let link = input.link.as_ref().ok_or_else(|| {
                StepError::InvalidInput("link: a \"ready\" notice needs Presign's output".into())
            })?;
            let update = JobUpdate {
                stage: Some(JobStage::Ready),
                ..JobUpdate::default()
            };
            (ready_message(link), update)
        }
        Outcome::Failed => {
            let failure = explain(input.failure.as_ref());
            let update = JobUpdate {
                stage: Some(JobStage::Failed),
                error: Some(failure.clone()),
                ..JobUpdate::default()
            };
            (failed_message(&failure), update)
        }
    };
    let Some(channel) = input.channel else {
        if input.outcome == Outcome::Ready {
            return Err(StepError::InvalidInput(
                "channel: a \"ready\" notice needs OpenChannel's channel".into(),
            ));
        }
        jobs.update(job, update).await?;
        return Ok(unsent);
    };
    if notifier.subscription(&channel.channel_id).await? == Subscription::PendingConfirmation {
        return Err(StepError::ChannelNotConfirmed(
            channel.channel_id.to_string(),
        ));
    }
    notifier.publish(&channel.channel_id, &message).await?;
    jobs.update(job, update).await?;
    tracing::info!(job_id = %job, outcome = ?input.outcome, channel = %channel.channel_id, "person notified");
    Ok(Output {
        outcome: input.outcome,
        sent: true,
    })
}

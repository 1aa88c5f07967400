//! The job log port: what `GET /downloads/{id}` and `pam jobs` show — a download job's
//! stage, counts, bundle link and error. Steps write it as they go (a DynamoDB item on
//! AWS, a SQLite row locally). It never holds the address.

use crate::domain::{JobId, Label, MatchMode, RestoreTier};
use crate::ports::index::{Page, PageRequest};
use crate::ports::store::BoxError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a job is. Ordered: a job only moves forward (a redelivered step cannot move it
/// back), except that any stage can become `Failed` and `Failed`/`Ready` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStage {
    /// Accepted; the execution has not reached ResolveManifest.
    Queued,
    /// Finding the matching photos.
    Resolving,
    /// Waiting for archived photos to be restored.
    Restoring,
    /// Writing the zip.
    Bundling,
    /// Sending the link.
    Notifying,
    /// The link was sent.
    Ready,
    /// The job failed; `error` says why.
    Failed,
}

impl JobStage {
    /// Whether no further change is allowed.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Ready | Self::Failed)
    }
}

/// Progress counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCounts {
    /// Photos matching the labels.
    pub matched: u64,
    /// Of those, archived when the job started.
    pub archived: u64,
    /// Of the archived ones, restored so far.
    pub restored: u64,
    /// Photos written into the bundle.
    pub zipped: u64,
}

/// One part of a finished bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundlePart {
    /// Object key in the working bucket.
    pub key: String,
    /// Bytes.
    pub size: u64,
    /// Presigned link (once presigned).
    pub url: Option<String>,
}

/// A finished bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleInfo {
    /// Total bytes over all parts.
    pub size: u64,
    /// The parts, in order (one unless the bundle was split).
    pub parts: Vec<BundlePart>,
    /// When the links stop working.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why a job failed, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFailure {
    /// Stable error name (`Pam.RestoreTimeout`…).
    pub code: String,
    /// Human explanation (never the address).
    pub message: String,
}

/// A download job as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRecord {
    /// The id (also the execution's name).
    pub job_id: JobId,
    /// Requested labels.
    pub labels: Vec<Label>,
    /// Any / all.
    pub match_mode: MatchMode,
    /// Restore tier.
    pub tier: RestoreTier,
    /// `"email"` or `"phone"`: how the person will be told (not the address).
    pub notify_kind: String,
    /// Stage.
    pub stage: JobStage,
    /// Counts.
    pub counts: JobCounts,
    /// The bundle, once built.
    pub bundle: Option<BundleInfo>,
    /// The failure, when `stage` is `Failed`.
    pub error: Option<JobFailure>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A change to a job. `None` fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobUpdate {
    /// New stage (ignored when it would move the job backwards or out of a final stage).
    pub stage: Option<JobStage>,
    /// New counts (replaces the recorded ones).
    pub counts: Option<JobCounts>,
    /// The bundle.
    pub bundle: Option<BundleInfo>,
    /// The failure.
    pub error: Option<JobFailure>,
}

/// What went wrong in a [`JobLog`] call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JobError {
    /// No such job.
    #[error("no download job {0}")]
    NotFound(JobId),
    /// `create` with an id already used for a different request.
    #[error("download job {0} already exists with a different request")]
    Conflict(JobId),
    /// A malformed request (bad page token…).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Worth retrying.
    #[error("transient failure in {log}: {source}")]
    Transient {
        /// The log.
        log: &'static str,
        /// Cause.
        source: BoxError,
    },
    /// Any other failure.
    #[error("{log} failed: {source}")]
    Backend {
        /// The log.
        log: &'static str,
        /// Cause.
        source: BoxError,
    },
}

/// Download jobs' progress.
///
/// # Contract
/// - `create` of an existing id with the same labels/match/tier/kind returns `Ok` and
///   changes nothing (a retried request); with a different request it is `Conflict`.
/// - `update` applies fields atomically and returns the record after the change; a stage
///   never moves backwards and `Ready`/`Failed` are final (later stage changes ignored,
///   other fields of a final job ignored too). Unknown id is `NotFound`.
/// - `list` pages newest first.
#[async_trait]
pub trait JobLog: Send + Sync + std::fmt::Debug {
    /// Records a new job (stage `Queued`).
    async fn create(&self, record: &JobRecord) -> Result<(), JobError>;
    /// Changes a job.
    async fn update(&self, job: &JobId, update: JobUpdate) -> Result<JobRecord, JobError>;
    /// One job.
    async fn get(&self, job: &JobId) -> Result<Option<JobRecord>, JobError>;
    /// Jobs, newest first.
    async fn list(&self, page: PageRequest) -> Result<Page<JobRecord>, JobError>;
}

impl JobRecord {
    /// Applies `update` under the contract's rules (adapters share this logic).
    pub fn apply(&mut self, update: JobUpdate, now: DateTime<Utc>) {
        if self.stage.is_final() {
            return;
        }
        if let Some(stage) = update.stage
            && (stage == JobStage::Failed || stage > self.stage)
        {
            self.stage = stage;
        }
        if let Some(counts) = update.counts {
            self.counts = counts;
        }
        if update.bundle.is_some() {
            self.bundle = update.bundle;
        }
        if update.error.is_some() {
            self.error = update.error;
        }
        self.updated_at = now;
    }

    /// Whether `other` is the same request (for `create`'s idempotency).
    pub fn same_request(&self, other: &JobRecord) -> bool {
        self.job_id == other.job_id
            && self.labels == other.labels
            && self.match_mode == other.match_mode
            && self.tier == other.tier
            && self.notify_kind == other.notify_kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> JobRecord {
        JobRecord {
            job_id: JobId::parse("j1").unwrap(),
            labels: vec![Label::parse("Mountain").unwrap()],
            match_mode: MatchMode::Any,
            tier: RestoreTier::Expedited,
            notify_kind: "email".into(),
            stage: JobStage::Queued,
            counts: JobCounts::default(),
            bundle: None,
            error: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn stages_only_move_forward_and_final_is_final() {
        let mut r = record();
        let now = Utc::now();
        r.apply(
            JobUpdate {
                stage: Some(JobStage::Bundling),
                ..Default::default()
            },
            now,
        );
        r.apply(
            JobUpdate {
                stage: Some(JobStage::Restoring),
                ..Default::default()
            },
            now,
        );
        assert_eq!(r.stage, JobStage::Bundling);
        r.apply(
            JobUpdate {
                stage: Some(JobStage::Failed),
                error: Some(JobFailure {
                    code: "Pam.X".into(),
                    message: "x".into(),
                }),
                ..Default::default()
            },
            now,
        );
        assert_eq!(r.stage, JobStage::Failed);
        r.apply(
            JobUpdate {
                stage: Some(JobStage::Ready),
                counts: Some(JobCounts {
                    matched: 9,
                    ..Default::default()
                }),
                ..Default::default()
            },
            now,
        );
        assert_eq!(r.stage, JobStage::Failed);
        assert_eq!(r.counts.matched, 0);
        assert!(r.same_request(&record()));
    }
}

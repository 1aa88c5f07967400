//! Starting a download job and reading its status — the one implementation behind
//! `pam download` / `pam jobs` and `POST /downloads` / `GET /downloads/{id}` of
//! `pam serve`, so the CLI's JSON and the API's show the same thing.
//!
//! [`start`] checks the labels exist, runs `pam_tasks::download::prepare` (job key,
//! sealed address, job record) and starts an execution of `download.asl.json` NAMED by
//! the job id: in this process when it runs the engine, else queued in the execution
//! store for whichever process runs it (`pam serve` picks queued executions up within
//! a second; otherwise the next engine-running command does). Both are idempotent: a
//! second start of the same job id finds the first execution.

use crate::world::World;
use pam_asl::ExecutionStatus;
use pam_asl::store::{ExecutionRecord, StoreError as ExecStoreError};
use pam_core::JobId;
use pam_core::ports::LabelIndex;
use pam_core::ports::jobs::{JobError, JobRecord};
use pam_tasks::StepError;
use pam_tasks::download::{DownloadRequest, prepare};
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// The download state machine, compiled into the binary (the same file CDK deploys).
pub const DOWNLOAD_ASL: &str = include_str!("../../../statemachines/download.asl.json");
/// The state machine name download executions are recorded under.
pub const DOWNLOAD_MACHINE: &str = "download";

/// Why a download could not be started or looked up.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The request is invalid (a 400; `pam download` exits 2). Names the field.
    #[error("{0}")]
    Invalid(String),
    /// Labels no photo carries.
    #[error("unknown label{}: {}; `pam labels` lists the labels photos carry", if .0.len() > 1 { "s" } else { "" }, .0.join(", "))]
    UnknownLabels(Vec<String>),
    /// Preparing the job failed for another reason.
    #[error("cannot prepare the download: {0}")]
    Prepare(StepError),
    /// The job log failed.
    #[error(transparent)]
    Jobs(#[from] JobError),
    /// The label index failed.
    #[error(transparent)]
    Index(#[from] pam_core::ports::IndexError),
    /// The engine refused the execution.
    #[error(transparent)]
    Engine(#[from] pam_asl::EngineError),
    /// The execution store failed.
    #[error(transparent)]
    Executions(#[from] ExecStoreError),
}

impl DownloadError {
    /// Whether the caller's input is at fault (HTTP 400, exit code 2).
    pub fn is_bad_request(&self) -> bool {
        matches!(self, Self::Invalid(_) | Self::UnknownLabels(_))
    }
}

impl From<StepError> for DownloadError {
    fn from(e: StepError) -> Self {
        match e {
            StepError::InvalidInput(why) => Self::Invalid(why),
            other => Self::Prepare(other),
        }
    }
}

/// One bundle part as shown to people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartView {
    /// Key in the working bucket.
    pub key: String,
    /// Bytes.
    pub size: u64,
    /// The presigned link.
    pub url: Option<String>,
    /// The part's file on this machine (while it exists).
    pub path: Option<PathBuf>,
}

/// The finished bundle: `url`/`path` are the first part's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleView {
    /// Link to the first part.
    pub url: Option<String>,
    /// The first part's file on this machine.
    pub path: Option<PathBuf>,
    /// Total bytes.
    pub size: u64,
    /// When the links stop working (RFC 3339).
    pub expires_at: Option<String>,
    /// Every part, in order.
    pub parts: Vec<PartView>,
}

/// What `pam jobs --json`, `pam download --json` and `GET /downloads/{id}` show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobStatus {
    /// The job id (also its execution's name).
    pub job_id: String,
    /// The stage (`queued` … `ready` / `failed`).
    pub status: String,
    /// The same, under the API's name.
    pub stage: String,
    /// Photos matched (0 until resolved).
    pub photos: u64,
    /// matched, archived, restored, zipped.
    pub counts: pam_core::ports::jobs::JobCounts,
    /// The bundle once built.
    pub bundle: Option<BundleView>,
    /// Why it failed.
    pub error: Option<pam_core::ports::jobs::JobFailure>,
    /// Requested labels.
    pub labels: Vec<String>,
    /// `any` / `all`.
    #[serde(rename = "match")]
    pub match_mode: String,
    /// Restore tier.
    pub tier: String,
    /// `email` / `phone` (never the address).
    pub notify: String,
    /// The execution's status (`RUNNING`…), `null` if none was started.
    pub execution_status: Option<String>,
    /// The execution's ARN.
    pub execution_arn: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// The ARN of the download execution named `job`.
pub fn execution_arn(job: &JobId) -> String {
    format!("arn:aws:states:local:000000000000:execution:{DOWNLOAD_MACHINE}:{job}")
}

/// Starts a new job (fresh id) for `req`; see [`start_as`].
pub async fn start(world: &World, req: &DownloadRequest) -> Result<JobRecord, DownloadError> {
    start_as(world, &JobId::generate(), req).await
}

/// Starts (or finds, when retried) the job `job` for `req`: labels checked, job
/// prepared, execution named by the job id started or queued.
pub async fn start_as(
    world: &World,
    job: &JobId,
    req: &DownloadRequest,
) -> Result<JobRecord, DownloadError> {
    check_labels(world, req).await?;
    let prepared = prepare(
        req,
        job,
        world.downloads.keys.as_ref(),
        world.downloads.jobs.as_ref(),
        world.downloads.clock.as_ref(),
    )
    .await?;
    launch(world, job, prepared.execution_input)?;
    Ok(prepared.record)
}

/// Labels no indexed photo carries, with a hint when only the case differs.
async fn check_labels(world: &World, req: &DownloadRequest) -> Result<(), DownloadError> {
    let known = world.index.label_counts().await?;
    let mut unknown = Vec::new();
    for label in &req.labels {
        if known.iter().any(|k| &k.name == label) {
            continue;
        }
        let near = known
            .iter()
            .find(|k| k.name.as_str().eq_ignore_ascii_case(label.as_str()));
        unknown.push(match near {
            Some(k) => format!("{:?} (did you mean {:?}?)", label.as_str(), k.name.as_str()),
            None => format!("{:?}", label.as_str()),
        });
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(DownloadError::UnknownLabels(unknown))
    }
}

/// Starts the execution here when this process runs the engine, else queues it.
fn launch(world: &World, job: &JobId, input: Value) -> Result<(), DownloadError> {
    let definition: Value =
        serde_json::from_str(DOWNLOAD_ASL).expect("the built-in state machine is JSON");
    if world.runs_engine() {
        return match world
            .engine
            .start(DOWNLOAD_MACHINE, Some(job.as_str()), &definition, input)
        {
            Ok(_) => Ok(()),
            Err(pam_asl::EngineError::Store(ExecStoreError::AlreadyExists(_))) => {
                // Queued or started before (a retry): make sure it runs here.
                let _ = world.engine.resume_all()?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        };
    }
    let record = ExecutionRecord {
        execution_arn: execution_arn(job),
        name: job.to_string(),
        state_machine: DOWNLOAD_MACHINE.to_owned(),
        definition,
        input,
        status: ExecutionStatus::Running,
        output: None,
        error: None,
        cause: None,
        start_date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        stop_date: None,
    };
    match world.executions.insert(&record) {
        Ok(()) | Err(ExecStoreError::AlreadyExists(_)) => {
            tracing::info!(job_id = %job, "download execution queued for the engine-running process");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The job's status, `None` if there is no such job.
pub async fn status(world: &World, job: &JobId) -> Result<Option<JobStatus>, DownloadError> {
    let Some(record) = world.downloads.jobs.get(job).await? else {
        return Ok(None);
    };
    let arn = execution_arn(job);
    let execution = match world.executions.get(&arn) {
        Ok(r) => Some(r.status.as_str().to_owned()),
        Err(ExecStoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let bundle = match &record.bundle {
        None => None,
        Some(b) => {
            let mut parts = Vec::with_capacity(b.parts.len());
            for p in &b.parts {
                parts.push(PartView {
                    key: p.key.clone(),
                    size: p.size,
                    url: p.url.clone(),
                    path: world.working_file(&p.key).await,
                });
            }
            Some(BundleView {
                url: parts.first().and_then(|p| p.url.clone()),
                path: parts.first().and_then(|p| p.path.clone()),
                size: b.size,
                expires_at: b.expires_at.map(rfc3339),
                parts,
            })
        }
    };
    let stage = serde_json::to_value(record.stage)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Ok(Some(JobStatus {
        job_id: record.job_id.to_string(),
        status: stage.clone(),
        stage,
        photos: record.counts.matched,
        counts: record.counts,
        bundle,
        error: record.error.clone(),
        labels: record
            .labels
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect(),
        match_mode: record.match_mode.to_string(),
        tier: record.tier.as_str().to_owned(),
        notify: record.notify_kind.clone(),
        execution_status: execution,
        execution_arn: arn,
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
    }))
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

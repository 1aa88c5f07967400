//! Writing a job's progress to the [`JobLog`]: stage moves and count changes. Counts
//! are replaced as a whole by the port, so a change reads the record first; steps of
//! one job run one at a time, and the log itself never moves a stage backwards.

use crate::error::StepError;
use pam_core::JobId;
use pam_core::ports::jobs::{JobCounts, JobLog, JobRecord, JobStage, JobUpdate};

/// The job's record; a missing job is a clear error (its execution was not prepared).
pub async fn record(jobs: &dyn JobLog, job: &JobId) -> Result<JobRecord, StepError> {
    jobs.get(job).await?.ok_or_else(|| {
        StepError::NotFound(format!(
            "download job {job} is not recorded (start downloads through prepare)"
        ))
    })
}

/// Moves the job to `stage` (ignored by the log if it would go backwards).
pub async fn stage(
    jobs: &dyn JobLog,
    job: &JobId,
    stage: JobStage,
) -> Result<JobRecord, StepError> {
    Ok(jobs
        .update(
            job,
            JobUpdate {
                stage: Some(stage),
                ..JobUpdate::default()
            },
        )
        .await?)
}

/// Changes the counts with `change`, and the stage if given.
pub async fn counts(
    jobs: &dyn JobLog,
    job: &JobId,
    stage: Option<JobStage>,
    change: impl FnOnce(&mut JobCounts),
) -> Result<JobRecord, StepError> {
    let mut counts = record(jobs, job).await?.counts;
    change(&mut counts);
    Ok(jobs
        .update(
            job,
            JobUpdate {
                stage,
                counts: Some(counts),
                ..JobUpdate::default()
            },
        )
        .await?)
}

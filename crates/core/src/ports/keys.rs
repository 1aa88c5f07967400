//! The job-key port: where each download job's sealing key lives while the job runs
//! (SQLite with `secure_delete` locally, a DynamoDB item on AWS). Erasing the key is
//! what makes the sealed address in the execution's history unreadable for good.

use crate::domain::{JobId, JobKey};
use crate::ports::store::BoxError;
use async_trait::async_trait;

/// What went wrong in a [`JobKeys`] call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeysError {
    /// Worth retrying.
    #[error("transient failure in {store}: {source}")]
    Transient {
        /// The key store.
        store: &'static str,
        /// Cause.
        source: BoxError,
    },
    /// Any other failure.
    #[error("{store} failed: {source}")]
    Backend {
        /// The key store.
        store: &'static str,
        /// Cause.
        source: BoxError,
    },
}

/// Per-job sealing keys.
///
/// # Contract
/// - `create` is idempotent: a second call for the same job returns the key made first
///   (a retried API request must not orphan a sealed address), also under concurrency.
/// - `get` after `erase` is `None`; `erase` of an unknown or erased job is `Ok`.
/// - An erased key is gone from storage, not just marked deleted.
#[async_trait]
pub trait JobKeys: Send + Sync + std::fmt::Debug {
    /// The job's key, made on first call.
    async fn create(&self, job: &JobId) -> Result<JobKey, KeysError>;
    /// The job's key, if it exists and was not erased.
    async fn get(&self, job: &JobId) -> Result<Option<JobKey>, KeysError>;
    /// Destroys the job's key.
    async fn erase(&self, job: &JobId) -> Result<(), KeysError>;
}

//! Presign: a GET link for every part of the bundle, valid `expires_in_seconds`
//! (24 h when not given, 7 days at most), recorded with the bundle in the job log so
//! `GET /downloads/{id}` and `pam jobs` show them. Rerunning makes fresh links.

use crate::download::build_bundle;
use crate::download::config::DownloadConfig;
use crate::error::StepError;
use chrono::{DateTime, Utc};
use pam_core::JobId;
use pam_core::ports::jobs::{BundleInfo, BundlePart, JobLog, JobStage, JobUpdate};
use pam_core::ports::presign::{MAX_PRESIGN, PresignMethod, PresignRequest, Presigner};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// BuildBundle's output.
    pub bundle: build_bundle::Output,
    /// Link lifetime in seconds (default from the config).
    #[serde(default)]
    pub expires_in_seconds: Option<u64>,
}

/// One link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The part's key.
    pub key: String,
    /// Its size.
    pub size: u64,
    /// The presigned GET URL.
    pub url: String,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// One link per part, in order.
    pub links: Vec<Link>,
    /// When they stop working.
    pub expires_at: DateTime<Utc>,
    /// Total bytes.
    pub size: u64,
    /// Photos in the bundle.
    pub photos: u64,
}

/// Runs Presign.
pub async fn step(
    input: Input,
    presigner: &dyn Presigner,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let ttl = input
        .expires_in_seconds
        .map_or(config.default_link_ttl, Duration::from_secs);
    if ttl < Duration::from_secs(1) || ttl > MAX_PRESIGN {
        return Err(StepError::InvalidInput(format!(
            "expires_in_seconds: {} is outside 1 to {} (7 days)",
            ttl.as_secs(),
            MAX_PRESIGN.as_secs()
        )));
    }
    if input.bundle.parts.is_empty() {
        return Err(StepError::InvalidInput("bundle: it has no parts".into()));
    }
    let mut links = Vec::with_capacity(input.bundle.parts.len());
    let mut expires_at = None;
    for part in &input.bundle.parts {
        let request = PresignRequest::new(
            PresignMethod::Get,
            input.bundle.bucket.clone(),
            part.key.clone(),
            ttl,
        )?;
        let signed = presigner.presign(&request).await?;
        expires_at = Some(expires_at.map_or(signed.expires_at, |at: DateTime<Utc>| {
            at.min(signed.expires_at)
        }));
        links.push(Link {
            key: part.key.to_string(),
            size: part.size,
            url: signed.url,
        });
    }
    let expires_at = expires_at.expect("at least one part");
    let info = BundleInfo {
        size: input.bundle.size,
        parts: links
            .iter()
            .map(|l| BundlePart {
                key: l.key.clone(),
                size: l.size,
                url: Some(l.url.clone()),
            })
            .collect(),
        expires_at: Some(expires_at),
    };
    jobs.update(
        job,
        JobUpdate {
            stage: Some(JobStage::Notifying),
            bundle: Some(info),
            ..JobUpdate::default()
        },
    )
    .await?;
    tracing::info!(job_id = %job, links = links.len(), %expires_at, "bundle links presigned");
    Ok(Output {
        links,
        expires_at,
        size: input.bundle.size,
        photos: input.bundle.photos,
    })
}

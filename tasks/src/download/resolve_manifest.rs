//! ResolveManifest: the photos carrying the job's labels (any / all), each looked up
//! in the index (file name, size, checksums, labels) and HEADed in the store (storage
//! class, archived?), written as the job's manifest. Only the manifest's reference and
//! totals travel on. The index is paged and the manifest streamed, so memory does not
//! grow with the number of photos. Rerunning rewrites the same manifest atomically.
//! No matching photo fails with `Pam.NoPhotos`, which the workflow tells the person.

use crate::download::config::DownloadConfig;
use crate::download::manifest::{ManifestLine, ManifestRef, ManifestWriter, manifest_key};
use crate::download::progress;
use crate::error::StepError;
use futures::{FutureExt, StreamExt, TryStreamExt};
use pam_core::ports::index::{LabelIndex, PageRequest};
use pam_core::ports::jobs::{JobLog, JobStage};
use pam_core::ports::store::{PhotoStore, StoreError};
use pam_core::{JobId, Label, MatchMode, PhotoKey};
use serde::Deserialize;

/// Photo keys asked of the index per page.
const INDEX_PAGE: u32 = 500;

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The labels.
    pub labels: Vec<Label>,
    /// Any / all.
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
}

/// The step's output: the manifest by reference.
pub type Output = ManifestRef;

/// One photo's manifest line, or `None` when it vanished since it was indexed.
async fn line_for(
    key: PhotoKey,
    store: &dyn PhotoStore,
    index: &dyn LabelIndex,
    config: &DownloadConfig,
) -> Result<Option<ManifestLine>, StepError> {
    let Some(entry) = index.photo(&key).await? else {
        tracing::warn!(%key, "matched photo has no index record; left out");
        return Ok(None);
    };
    let meta = match store.head(&config.photos_bucket, key.as_object_key()).await {
        Ok(meta) => meta,
        Err(StoreError::NotFound { .. }) => {
            tracing::warn!(%key, "matched photo is no longer stored; left out");
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Some(ManifestLine {
        file_name: entry.record.file_name,
        size: entry.record.size,
        sha256: entry.record.sha256,
        crc32: entry.record.crc32,
        labels: entry.labels.into_iter().map(|l| l.name).collect(),
        storage_class: meta.storage_class,
        archive_status: meta.archive_status,
        archived: meta.is_archived(),
        last_modified: meta.last_modified,
        key,
    }))
}

fn describe(labels: &[Label], mode: MatchMode) -> String {
    let names: Vec<&str> = labels.iter().map(Label::as_str).collect();
    let how = match mode {
        MatchMode::Any => "any of",
        MatchMode::All => "all of",
    };
    format!(
        "no stored photo carries {how} the labels {}",
        names.join(", ")
    )
}

/// Runs ResolveManifest.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    index: &dyn LabelIndex,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    if input.labels.is_empty() {
        return Err(StepError::InvalidInput(
            "labels: name at least one label".into(),
        ));
    }
    progress::stage(jobs, job, JobStage::Resolving).await?;
    let key = manifest_key(job);
    let mut writer = ManifestWriter::start(
        store,
        config.working_bucket.clone(),
        key.clone(),
        config.upload_part_size,
    )
    .await?;
    let written = write_lines(&input, store, index, config, &mut writer).await;
    if let Err(e) = written {
        writer.abort().await;
        return Err(e);
    }
    if writer.photos() == 0 {
        writer.abort().await;
        return Err(StepError::NoPhotos(describe(
            &input.labels,
            input.match_mode,
        )));
    }
    let (_, photos, bytes, archived) = writer.finish().await?;
    progress::counts(jobs, job, None, |c| {
        c.matched = photos;
        c.archived = archived;
        c.restored = 0;
        c.zipped = 0;
    })
    .await?;
    tracing::info!(job_id = %job, photos, bytes, archived, "manifest written");
    Ok(ManifestRef {
        bucket: config.working_bucket.clone(),
        key,
        photos,
        bytes,
        archived,
    })
}

async fn write_lines(
    input: &Input,
    store: &dyn PhotoStore,
    index: &dyn LabelIndex,
    config: &DownloadConfig,
    writer: &mut ManifestWriter<'_>,
) -> Result<(), StepError> {
    let mut after = None;
    loop {
        let page = index
            .photos_matching(
                &input.labels,
                input.match_mode,
                PageRequest {
                    after: after.take(),
                    limit: INDEX_PAGE,
                },
            )
            .await?;
        let mut lines = futures::stream::iter(page.items)
            .map(|key| line_for(key, store, index, config).boxed())
            .buffered(config.concurrency.max(1));
        while let Some(line) = lines.try_next().await? {
            if let Some(line) = line {
                writer.push(&line).await?;
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}

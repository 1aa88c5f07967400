//! BuildBundle: streams every photo of the manifest into a stored zip (zip64 when
//! needed, `manifest.csv` inside) with `pam_bundle`, each part written through a
//! multipart upload into the working bucket ([`StoreParts`]): nothing is visible
//! until a part is complete, and memory stays constant whatever the bundle's size.
//!
//! Retries: a completed bundle leaves a marker (`bundles/<job>/bundle.json`, written
//! last, naming the manifest's entity tag and the parts); a rerun that finds a marker
//! matching the manifest and parts of the recorded sizes returns them untouched.
//! Otherwise it rebuilds under the same keys, which replaces any earlier parts
//! atomically. A failed build aborts its open upload.

use crate::download::config::DownloadConfig;
use crate::download::manifest::{ManifestLine, ManifestReader, ManifestRef};
use crate::download::progress;
use crate::download::store_parts::{OpenUpload, StoreParts};
use crate::error::StepError;
use pam_bundle::{BundleError, BundleOptions, BundleWriter, ModTime, PhotoMeta, Sha256Digest};
use pam_core::ports::jobs::{JobLog, JobStage};
use pam_core::ports::store::{GetOptions, PhotoStore, PhotoStoreExt, StoreError};
use pam_core::{BucketName, JobId, ObjectKey};
use serde::{Deserialize, Serialize};

/// JobLog's `zipped` count is written every this many photos.
const PROGRESS_EVERY: u64 = 200;

/// The step's input.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// The job.
    pub job_id: JobId,
    /// The manifest.
    pub manifest: ManifestRef,
}

/// One part of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltPart {
    /// Key in the working bucket.
    pub key: ObjectKey,
    /// Bytes.
    pub size: u64,
}

/// The step's output: the bundle by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Working bucket.
    pub bucket: BucketName,
    /// The parts, in order.
    pub parts: Vec<BuiltPart>,
    /// Total bytes.
    pub size: u64,
    /// Photos in the bundle.
    pub photos: u64,
}

/// The completion marker's content.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    manifest_etag: String,
    bundle: Output,
}

fn marker_key(job: &JobId) -> ObjectKey {
    ObjectKey::parse(format!("bundles/{job}/bundle.json")).expect("job ids make valid keys")
}

/// The bundle a previous run completed for this very manifest, if its parts are intact.
async fn completed(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    job: &JobId,
    manifest_etag: &str,
) -> Result<Option<Output>, StepError> {
    let key = marker_key(job);
    if store.try_head(bucket, &key).await?.is_none() {
        return Ok(None);
    }
    let bytes = store.get_bytes(bucket, &key).await?;
    let Ok(marker) = serde_json::from_slice::<Marker>(&bytes) else {
        return Ok(None);
    };
    if marker.manifest_etag != manifest_etag {
        return Ok(None);
    }
    for part in &marker.bundle.parts {
        match store.try_head(bucket, &part.key).await? {
            Some(meta) if meta.size == part.size => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(marker.bundle))
}

/// Maps a bundle-writer failure, finding a store error under I/O errors.
fn bundle_error(e: BundleError) -> StepError {
    let text = e.to_string();
    let store_transient = |io: &std::io::Error| {
        io.get_ref()
            .and_then(|inner| inner.downcast_ref::<StoreError>())
            .is_none_or(StoreError::is_transient)
    };
    match &e {
        BundleError::SizeMismatch { .. }
        | BundleError::TooLong { .. }
        | BundleError::CrcMismatch { .. } => {
            StepError::Conflict(format!("a photo changed since it was imported: {text}"))
        }
        BundleError::Read { source, .. } if store_transient(source) => StepError::Transient(text),
        BundleError::Write(source) | BundleError::Part { source, .. }
            if store_transient(source) =>
        {
            StepError::Transient(text)
        }
        _ => StepError::Internal(text),
    }
}

fn photo_meta(line: &ManifestLine) -> Result<PhotoMeta, StepError> {
    let sha = Sha256Digest::parse(line.sha256.as_str()).map_err(bundle_error)?;
    // `;` separates labels in manifest.csv.
    let labels = line.labels.iter().map(|l| l.as_str().replace(';', ","));
    Ok(
        PhotoMeta::new(line.file_name.clone(), line.size, line.crc32, sha)
            .with_labels(labels)
            .map_err(bundle_error)?
            .with_modified(ModTime::from_unix(line.last_modified.timestamp())),
    )
}

/// Whether the bundle will need more than one part (then every part is numbered).
fn needs_split(manifest: &ManifestRef, config: &DownloadConfig) -> bool {
    let Some(max) = config.max_bundle_part_size else {
        return false;
    };
    // Per photo: local + central headers with zip64 extras, a manifest row; generous.
    let overhead = manifest.photos * 1024 + (1 << 20);
    manifest.bytes + overhead > max
}

/// Runs BuildBundle.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let bucket = &config.working_bucket;
    progress::stage(jobs, job, JobStage::Bundling).await?;
    let manifest_meta = store
        .head(&input.manifest.bucket, &input.manifest.key)
        .await?;
    if let Some(done) = completed(store, bucket, job, &manifest_meta.etag).await? {
        tracing::info!(job_id = %job, parts = done.parts.len(), "bundle already complete");
        return Ok(done);
    }
    let parts = StoreParts::new(
        store,
        bucket.clone(),
        job.clone(),
        needs_split(&input.manifest, config),
        config.upload_part_size,
    );
    let open = parts.open_upload();
    let built = write(&input, store, jobs, config, parts).await;
    let output = match built {
        Ok(output) => output,
        Err(e) => {
            abort_open(store, bucket, &open).await;
            return Err(e);
        }
    };
    let marker = Marker {
        manifest_etag: manifest_meta.etag,
        bundle: output.clone(),
    };
    let bytes = serde_json::to_vec(&marker).map_err(|e| StepError::Internal(e.to_string()))?;
    store.put_bytes(bucket, &marker_key(job), bytes).await?;
    let zipped = output.photos;
    progress::counts(jobs, job, None, |c| c.zipped = zipped).await?;
    tracing::info!(job_id = %job, parts = output.parts.len(), size = output.size, photos = output.photos, "bundle built");
    Ok(output)
}

async fn abort_open(store: &dyn PhotoStore, bucket: &BucketName, open: &OpenUpload) {
    let taken = open.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some((key, upload)) = taken
        && let Err(e) = store.abort_multipart(bucket, &key, &upload).await
    {
        tracing::warn!(%key, error = %e, "aborting a failed bundle part's upload failed");
    }
}

async fn write(
    input: &Input,
    store: &dyn PhotoStore,
    jobs: &dyn JobLog,
    config: &DownloadConfig,
    parts: StoreParts<'_>,
) -> Result<Output, StepError> {
    let job = &input.job_id;
    let options = BundleOptions {
        max_part_size: config.max_bundle_part_size,
        spool_dir: config.spool_dir.clone(),
        ..BundleOptions::default()
    };
    let mut writer = BundleWriter::new(parts, options).map_err(bundle_error)?;
    let mut reader = ManifestReader::open(store, &input.manifest, 0).await?;
    let mut photos = 0u64;
    while let Some((line, _)) = reader.next().await? {
        let meta = photo_meta(&line)?;
        let got = store
            .get(
                &config.photos_bucket,
                line.key.as_object_key(),
                GetOptions::default(),
            )
            .await
            .map_err(|e| match e {
                StoreError::InvalidObjectState { .. } => StepError::ObjectArchived(format!(
                    "photo {} is archived (not restored, or its restored copy expired): {e}",
                    line.key
                )),
                StoreError::NotFound { .. } => StepError::NotFound(format!(
                    "photo {} was deleted after the download started",
                    line.key
                )),
                other => other.into(),
            })?;
        writer.add(&meta, got.body).await.map_err(bundle_error)?;
        photos += 1;
        if photos.is_multiple_of(PROGRESS_EVERY) {
            progress::counts(jobs, job, None, |c| c.zipped = photos).await?;
        }
    }
    let (summaries, parts) = writer.finish().await.map_err(bundle_error)?;
    if summaries.len() != parts.done.len() {
        return Err(StepError::Internal(format!(
            "{} parts written but {} uploaded",
            summaries.len(),
            parts.done.len()
        )));
    }
    let built: Vec<BuiltPart> = parts
        .done
        .iter()
        .map(|p| BuiltPart {
            key: p.key.clone(),
            size: p.size,
        })
        .collect();
    Ok(Output {
        bucket: config.working_bucket.clone(),
        size: built.iter().map(|p| p.size).sum(),
        parts: built,
        photos,
    })
}

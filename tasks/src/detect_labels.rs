//! DetectLabels: checks the object is a JPEG by content and asks the labeler for its
//! labels (Rekognition's output shape). A redelivered event for a photo that was
//! already labelled and archived is answered without reading it.

use crate::error::StepError;
use crate::jpeg::check_jpeg;
use crate::object_ref::{INDEXED_TAG, PhotoRef};
use pam_core::ports::labeler::{DetectLabelsRequest, DetectedLabel, Labeler};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, StoreError};
use serde::{Deserialize, Serialize};

/// Limits for DetectLabels.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest object accepted (Rekognition takes up to 15 MB from S3).
    pub max_bytes: u64,
    /// At most this many labels.
    pub max_labels: u32,
    /// Labels below this confidence are dropped.
    pub min_confidence: f32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_bytes: 15 * 1024 * 1024,
            max_labels: 25,
            min_confidence: 50.0,
        }
    }
}

/// The step's input: the photo.
pub type Input = PhotoRef;

/// The step's output: the photo, its labels, and whether it was already done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// The photo.
    #[serde(flatten)]
    pub photo: PhotoRef,
    /// Rekognition-shaped labels (`Name`, `Confidence`, `Parents`).
    #[serde(rename = "Labels")]
    pub labels: Vec<DetectedLabel>,
    /// The model that produced them.
    #[serde(rename = "LabelModelVersion")]
    pub label_model_version: String,
    /// True when the photo was already indexed (a redelivered event); no labels then.
    #[serde(default)]
    pub already_indexed: bool,
}

async fn already_indexed(store: &dyn PhotoStore, photo: &PhotoRef) -> Result<bool, StepError> {
    let tags = store
        .get_tags(&photo.bucket, photo.key.as_object_key())
        .await?;
    Ok(tags.get(INDEXED_TAG) == Some("true"))
}

fn skipped(photo: PhotoRef) -> Output {
    Output {
        photo,
        labels: Vec::new(),
        label_model_version: String::new(),
        already_indexed: true,
    }
}

/// Runs DetectLabels.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    labeler: &dyn Labeler,
    config: &Config,
) -> Result<Output, StepError> {
    let key = input.key.as_object_key();
    let head = store.head(&input.bucket, key).await?;
    if !head.is_readable() {
        if already_indexed(store, &input).await? {
            return Ok(skipped(input));
        }
        return Err(StepError::ObjectArchived(format!(
            "{key} is archived and was never labelled"
        )));
    }
    if head.size > config.max_bytes {
        return Err(StepError::TooLarge {
            key: key.to_string(),
            size: head.size,
            max: config.max_bytes,
        });
    }
    let bytes = match store.get_bytes(&input.bucket, key).await {
        Ok(bytes) => bytes,
        // Archived between HEAD and GET: by a concurrent delivery that finished.
        Err(StoreError::InvalidObjectState { .. }) if already_indexed(store, &input).await? => {
            return Ok(skipped(input));
        }
        Err(e) => return Err(e.into()),
    };
    check_jpeg(&bytes).map_err(|reason| StepError::NotAJpeg {
        key: key.to_string(),
        reason,
    })?;
    drop(bytes);
    let request = DetectLabelsRequest {
        bucket: input.bucket.clone(),
        key: key.clone(),
        max_labels: Some(config.max_labels),
        min_confidence: Some(config.min_confidence),
    };
    let detected = match labeler.detect_labels(&request).await {
        Ok(detected) => detected,
        // The labeler reads the object again: a concurrent delivery may have finished
        // and archived it since our GET. That is success, not a failure to quarantine.
        Err(_) if already_indexed(store, &input).await.unwrap_or(false) => {
            return Ok(skipped(input));
        }
        Err(e) => return Err(StepError::from_labeler(key.as_str(), e)),
    };
    tracing::info!(%key, labels = detected.labels.len(), "labels detected");
    Ok(Output {
        photo: input,
        labels: detected.labels,
        label_model_version: detected.label_model_version,
        already_indexed: false,
    })
}

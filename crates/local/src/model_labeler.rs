//! The `Labeler` port on one machine: reads the object from the photo store and runs
//! the on-device classifier (`pam-labeler`) on the blocking pool, answering in
//! Rekognition's DetectLabels shape with MinConfidence / MaxLabels applied.

use async_trait::async_trait;
use pam_core::Label;
use pam_core::ports::labeler::{
    DetectLabelsOutput, DetectLabelsRequest, DetectedLabel, LabelParent, Labeler, LabelerError,
};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, StoreError};
use std::sync::Arc;

/// Largest image accepted, as Rekognition does for S3 objects.
pub const MAX_IMAGE_BYTES: u64 = 15 * 1024 * 1024;

/// `Labeler` over the store and the on-device model.
#[derive(Debug, Clone)]
pub struct ModelLabeler {
    store: Arc<dyn PhotoStore>,
    model: Arc<pam_labeler::Labeler>,
    version: String,
}

impl ModelLabeler {
    /// Wraps a loaded model; `version` is reported as `LabelModelVersion`.
    pub fn new(
        store: Arc<dyn PhotoStore>,
        model: Arc<pam_labeler::Labeler>,
        version: impl Into<String>,
    ) -> Self {
        Self {
            store,
            model,
            version: version.into(),
        }
    }
}

fn label(name: &str) -> Result<Label, LabelerError> {
    Label::parse(name)
        .map_err(|e| LabelerError::Backend(format!("model produced label {name:?}: {e}").into()))
}

#[async_trait]
impl Labeler for ModelLabeler {
    async fn detect_labels(
        &self,
        request: &DetectLabelsRequest,
    ) -> Result<DetectLabelsOutput, LabelerError> {
        let (bucket, key) = (&request.bucket, &request.key);
        let head = self.store.head(bucket, key).await.map_err(|e| match e {
            StoreError::NotFound { .. } => LabelerError::NotFound {
                bucket: bucket.clone(),
                key: key.clone(),
            },
            other => LabelerError::Backend(Box::new(other)),
        })?;
        if head.size > MAX_IMAGE_BYTES {
            return Err(LabelerError::ImageTooLarge {
                size: head.size,
                max: MAX_IMAGE_BYTES,
            });
        }
        let bytes = self
            .store
            .get_bytes(bucket, key)
            .await
            .map_err(|e| match e {
                StoreError::InvalidObjectState { reason, .. } => {
                    LabelerError::InvalidObjectState(reason)
                }
                StoreError::NotFound { .. } => LabelerError::NotFound {
                    bucket: bucket.clone(),
                    key: key.clone(),
                },
                StoreError::Transient { .. } => LabelerError::Transient(Box::new(e)),
                other => LabelerError::Backend(Box::new(other)),
            })?;
        let model = self.model.clone();
        let detection = tokio::task::spawn_blocking(move || model.detect(&bytes))
            .await
            .map_err(|e| LabelerError::Backend(Box::new(e)))?
            .map_err(|e| match e {
                pam_labeler::LabelerError::NotJpeg
                | pam_labeler::LabelerError::CorruptJpeg { .. }
                | pam_labeler::LabelerError::UnsupportedJpeg { .. } => {
                    LabelerError::InvalidImage(e.to_string())
                }
                other => LabelerError::Backend(Box::new(other)),
            })?;
        let min = request.min_confidence.unwrap_or(0.0);
        let max = request.max_labels.map_or(usize::MAX, |m| m as usize);
        let mut labels = Vec::new();
        for found in detection
            .labels
            .iter()
            .filter(|l| l.confidence >= min)
            .take(max)
        {
            labels.push(DetectedLabel {
                name: label(&found.name)?,
                confidence: found.confidence.clamp(0.0, 100.0),
                parents: found
                    .parents
                    .iter()
                    .map(|p| label(p).map(|name| LabelParent { name }))
                    .collect::<Result<_, _>>()?,
            });
        }
        tracing::debug!(%key, labels = labels.len(), decode = ?detection.timings.decode, infer = ?detection.timings.infer, "model labelled");
        Ok(DetectLabelsOutput {
            labels,
            label_model_version: self.version.clone(),
        })
    }
}

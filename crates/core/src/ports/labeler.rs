//! The labeler port: DetectLabels on a stored object, in Rekognition's output shape
//! (`Labels[{Name, Confidence, Parents[{Name}]}]`, `LabelModelVersion`), so the step
//! code and the state payloads are the same on AWS and on one machine.

use crate::domain::{BucketName, Label, ObjectKey};
use crate::ports::store::BoxError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// DetectLabels' request: the image by reference, never its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectLabelsRequest {
    /// Bucket of the image.
    pub bucket: BucketName,
    /// Key of the image.
    pub key: ObjectKey,
    /// At most this many labels (Rekognition `MaxLabels`).
    pub max_labels: Option<u32>,
    /// Only labels at or above this confidence, 0..=100 (`MinConfidence`).
    pub min_confidence: Option<f32>,
}

/// A label's parent, as Rekognition nests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LabelParent {
    /// Parent label name.
    pub name: Label,
}

/// One detected label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DetectedLabel {
    /// Label name.
    pub name: Label,
    /// Confidence, 0..=100.
    pub confidence: f32,
    /// Parents in the label hierarchy.
    #[serde(default)]
    pub parents: Vec<LabelParent>,
}

/// DetectLabels' answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DetectLabelsOutput {
    /// Labels, highest confidence first.
    pub labels: Vec<DetectedLabel>,
    /// Which model produced them.
    pub label_model_version: String,
}

/// What went wrong in a [`Labeler`] call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LabelerError {
    /// The object does not exist.
    #[error("image {bucket}/{key} not found")]
    NotFound {
        /// Bucket.
        bucket: BucketName,
        /// Key.
        key: ObjectKey,
    },
    /// Not an image the labeler can decode (Rekognition `InvalidImageFormatException`).
    #[error("invalid image: {0}")]
    InvalidImage(String),
    /// Too large to analyse (Rekognition `ImageTooLargeException`).
    #[error("image is {size} bytes; the labeler accepts at most {max}")]
    ImageTooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The object is archived and not restored.
    #[error("image not readable: {0}")]
    InvalidObjectState(String),
    /// Worth retrying (throttling, timeouts).
    #[error("transient labeler failure: {0}")]
    Transient(BoxError),
    /// Any other failure.
    #[error("labeler failed: {0}")]
    Backend(BoxError),
}

/// Detects labels in a stored image.
///
/// # Contract
/// - Labels are sorted by confidence, highest first, names unique, confidences in
///   0..=100, each at or above `min_confidence`, at most `max_labels` of them.
/// - Parents of a returned label are themselves labels in the hierarchy, not
///   necessarily returned as labels.
/// - The same bytes give the same labels (for one model version).
/// - A missing object is `NotFound`; undecodable content is `InvalidImage`.
#[async_trait]
pub trait Labeler: Send + Sync + std::fmt::Debug {
    /// Runs detection on the object named by `request`.
    async fn detect_labels(
        &self,
        request: &DetectLabelsRequest,
    ) -> Result<DetectLabelsOutput, LabelerError>;
}

//! [`RekognitionLabeler`]: the `Labeler` port on Amazon Rekognition DetectLabels,
//! reading the image by S3 reference (never its bytes), in the port's output shape.
//!
//! Rekognition answers `InvalidS3ObjectException` both for a missing object and for one
//! it cannot read (archived), and `ImageTooLargeException` without a size; a HeadObject
//! on the image turns those into the port's precise `NotFound`, `InvalidObjectState`
//! and `ImageTooLarge { size }`.

use async_trait::async_trait;
use aws_sdk_rekognition::error::ProvideErrorMetadata;
use aws_sdk_rekognition::operation::detect_labels::DetectLabelsError;
use aws_sdk_rekognition::types::{Image, S3Object};
use pam_core::Label;
use pam_core::ports::labeler::{
    DetectLabelsOutput, DetectLabelsRequest, DetectedLabel, LabelParent, Labeler, LabelerError,
};
use pam_core::ports::store::{PhotoStore, StoreError};
use std::collections::HashSet;

use crate::S3Store;

/// Rekognition's limit for an image read from S3: 15 MiB.
pub const MAX_S3_IMAGE_BYTES: u64 = 15 * 1024 * 1024;

/// DetectLabels on Rekognition.
#[derive(Debug, Clone)]
pub struct RekognitionLabeler {
    client: aws_sdk_rekognition::Client,
    store: S3Store,
}

impl RekognitionLabeler {
    /// A labeler over `client`; `store` explains Rekognition's vaguer errors.
    pub fn new(client: aws_sdk_rekognition::Client, store: S3Store) -> Self {
        Self { client, store }
    }

    async fn explain_unreadable(
        &self,
        request: &DetectLabelsRequest,
        text: String,
    ) -> LabelerError {
        match self.store.head(&request.bucket, &request.key).await {
            Err(StoreError::NotFound { .. } | StoreError::NoSuchBucket(_)) => {
                LabelerError::NotFound {
                    bucket: request.bucket.clone(),
                    key: request.key.clone(),
                }
            }
            Ok(meta) if !meta.is_readable() => LabelerError::InvalidObjectState(format!(
                "{} is archived ({}) and not restored",
                request.key, meta.storage_class
            )),
            Ok(meta) if meta.size > MAX_S3_IMAGE_BYTES => LabelerError::ImageTooLarge {
                size: meta.size,
                max: MAX_S3_IMAGE_BYTES,
            },
            _ => LabelerError::Backend(text.into()),
        }
    }
}

/// Rekognition's labels, checked and put in the port's order: highest confidence
/// first, names unique, at least `min_confidence`, at most `max_labels`.
fn to_output(
    out: &aws_sdk_rekognition::operation::detect_labels::DetectLabelsOutput,
    request: &DetectLabelsRequest,
) -> Result<DetectLabelsOutput, LabelerError> {
    let bad = |what: String| LabelerError::Backend(format!("Rekognition answered {what}").into());
    let mut labels = out
        .labels()
        .iter()
        .map(|l| {
            let name = Label::parse(l.name().unwrap_or_default())
                .map_err(|e| bad(format!("an unusable label name: {e}")))?;
            let confidence = l.confidence().unwrap_or(0.0).clamp(0.0, 100.0);
            let parents = l
                .parents()
                .iter()
                .filter_map(|p| p.name())
                .map(|p| {
                    Label::parse(p)
                        .map(|name| LabelParent { name })
                        .map_err(|e| bad(format!("an unusable parent name: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DetectedLabel {
                name,
                confidence,
                parents,
            })
        })
        .collect::<Result<Vec<_>, LabelerError>>()?;
    labels.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut seen = HashSet::new();
    labels.retain(|l| seen.insert(l.name.clone()));
    if let Some(min) = request.min_confidence {
        labels.retain(|l| l.confidence >= min);
    }
    if let Some(max) = request.max_labels {
        labels.truncate(max as usize);
    }
    Ok(DetectLabelsOutput {
        labels,
        label_model_version: out.label_model_version().unwrap_or("unknown").to_owned(),
    })
}

#[async_trait]
impl Labeler for RekognitionLabeler {
    async fn detect_labels(
        &self,
        request: &DetectLabelsRequest,
    ) -> Result<DetectLabelsOutput, LabelerError> {
        if let Some(min) = request.min_confidence
            && !(0.0..=100.0).contains(&min)
        {
            return Err(LabelerError::Backend(
                format!("min_confidence {min} is outside 0..=100").into(),
            ));
        }
        let image = Image::builder()
            .s3_object(
                S3Object::builder()
                    .bucket(request.bucket.as_str())
                    .name(request.key.as_str())
                    .build(),
            )
            .build();
        let sent = self
            .client
            .detect_labels()
            .image(image)
            .set_max_labels(request.max_labels.map(|m| m.min(i32::MAX as u32) as i32))
            .set_min_confidence(request.min_confidence)
            .send()
            .await;
        let out = match sent {
            Ok(out) => out,
            Err(err) => {
                let text = format!(
                    "{}: {}",
                    err.code().unwrap_or("error"),
                    err.message().unwrap_or("no message")
                );
                return Err(match err.as_service_error() {
                    Some(DetectLabelsError::InvalidS3ObjectException(_))
                    | Some(DetectLabelsError::ImageTooLargeException(_)) => {
                        self.explain_unreadable(request, text).await
                    }
                    Some(DetectLabelsError::InvalidImageFormatException(_)) => {
                        LabelerError::InvalidImage(text)
                    }
                    Some(
                        DetectLabelsError::ThrottlingException(_)
                        | DetectLabelsError::ProvisionedThroughputExceededException(_)
                        | DetectLabelsError::InternalServerError(_),
                    ) => LabelerError::Transient(Box::new(err)),
                    Some(_) => LabelerError::Backend(Box::new(err)),
                    None => LabelerError::Transient(Box::new(err)),
                });
            }
        };
        let output = to_output(&out, request)?;
        tracing::debug!(key = %request.key, labels = output.labels.len(), "labels detected");
        Ok(output)
    }
}

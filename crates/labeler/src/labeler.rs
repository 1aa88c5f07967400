//! `Labeler`: JPEG bytes in, Rekognition-style labels out (the shape of DetectLabels:
//! name, confidence 0..100, parents), with the time spent decoding and inferring.

use crate::LabelerError;
use crate::backend::{self, Engine, Model};
use crate::preprocess::{MIN_DECODED_SIDE, jpeg_to_input_at};
use crate::table::LabelTable;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, Instant};

/// One detected label, as Rekognition DetectLabels reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectedLabel {
    /// Label name, e.g. "Mountain".
    pub name: String,
    /// Confidence in percent, 0..=100.
    pub confidence: f32,
    /// Parent labels, nearest first, e.g. ["Landscape", "Nature", "Outdoors"].
    pub parents: Vec<String>,
}

/// Where the time of one detection went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// JPEG decoding (at reduced scale) and resizing to the network input.
    pub decode: Duration,
    /// Running the network and aggregating labels.
    pub infer: Duration,
}

/// The result of labelling one photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Labels at or above their threshold, most confident first.
    pub labels: Vec<DetectedLabel>,
    /// Time spent per stage.
    pub timings: Timings,
}

/// A loaded classifier plus the label table. `Send + Sync`: load once, share with every
/// worker thread (e.g. in an `Arc`).
pub struct Labeler {
    model: Box<dyn Model>,
    table: LabelTable,
    min_decoded_side: u32,
}

impl std::fmt::Debug for Labeler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Labeler")
            .field("labels", &self.table.labels().len())
            .finish()
    }
}

impl Labeler {
    /// Load the ONNX model at `model_path` (see `scripts/fetch-model.sh`) with tract.
    pub fn load(model_path: &Path) -> Result<Labeler, LabelerError> {
        Self::load_with(model_path, &Engine::Tract)
    }

    /// Load the model with a chosen inference engine.
    pub fn load_with(model_path: &Path, engine: &Engine) -> Result<Labeler, LabelerError> {
        let table = LabelTable::builtin()?;
        let model = backend::load(model_path, engine)?;
        tracing::debug!(model = %model_path.display(), ?engine, "labeller loaded");
        Ok(Labeler {
            model,
            table,
            min_decoded_side: MIN_DECODED_SIDE,
        })
    }

    /// Decode JPEGs at the smallest DCT scale whose both sides are ≥ `side` (default
    /// [`MIN_DECODED_SIDE`]): smaller is faster, larger is closer to a full-size decode.
    pub fn with_min_decoded_side(mut self, side: u32) -> Self {
        self.min_decoded_side = side.max(1);
        self
    }

    /// The label table this labeller reports with.
    pub fn table(&self) -> &LabelTable {
        &self.table
    }

    /// Label one JPEG photo.
    pub fn detect(&self, jpeg: &[u8]) -> Result<Detection, LabelerError> {
        let started = Instant::now();
        let input = jpeg_to_input_at(jpeg, self.min_decoded_side)?;
        let decoded = Instant::now();
        let probabilities = self.model.infer(input)?;
        let labels = self
            .table
            .aggregate(&probabilities)
            .into_iter()
            .map(|(info, confidence)| DetectedLabel {
                name: info.name.clone(),
                confidence,
                parents: info.parents.clone(),
            })
            .collect();
        let timings = Timings {
            decode: decoded - started,
            infer: decoded.elapsed(),
        };
        Ok(Detection { labels, timings })
    }

    /// The `n` most probable ImageNet classes of a photo (diagnostics and tests).
    pub fn top_classes(&self, jpeg: &[u8], n: usize) -> Result<Vec<(String, f32)>, LabelerError> {
        self.top_classes_of_input(jpeg_to_input_at(jpeg, self.min_decoded_side)?, n)
    }

    /// The `n` most probable ImageNet classes of a prepared input (3×224×224 planar f32,
    /// as [`jpeg_to_input_at`] makes it).
    pub fn top_classes_of_input(
        &self,
        input: Vec<f32>,
        n: usize,
    ) -> Result<Vec<(String, f32)>, LabelerError> {
        let probabilities = self.model.infer(input)?;
        let mut ranked: Vec<(usize, f32)> = probabilities.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(ranked
            .into_iter()
            .take(n)
            .map(|(i, p)| (self.table.class_name(i).unwrap_or("?").to_owned(), p))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labeler_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Labeler>();
    }

    #[test]
    fn missing_model_is_named() {
        let err = Labeler::load(Path::new("/nonexistent/model.onnx")).unwrap_err();
        assert!(matches!(err, LabelerError::ModelMissing { .. }), "{err}");
        assert!(err.to_string().contains("/nonexistent/model.onnx"));
    }

    #[test]
    fn garbage_model_is_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.onnx");
        std::fs::write(&path, b"not a model").unwrap();
        let err = Labeler::load(&path).unwrap_err();
        assert!(matches!(err, LabelerError::ModelInvalid { .. }), "{err}");
    }
}

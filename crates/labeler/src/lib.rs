//! On-device image labeller: an EfficientNet-Lite0 ImageNet classifier (ONNX, run with
//! pure-Rust `tract`, or onnxruntime behind the `ort` feature) plus a checked-in table that
//! turns the 1000 ImageNet classes into Rekognition-style labels with parents.
//!
//! ```no_run
//! # fn main() -> Result<(), pam_labeler::LabelerError> {
//! let labeler = pam_labeler::Labeler::load(std::path::Path::new(".cache/models/efficientnet-lite0.onnx"))?;
//! let detection = labeler.detect(&std::fs::read("photo.jpg").unwrap())?;
//! for label in &detection.labels {
//!     println!("{} {:.1}% {:?}", label.name, label.confidence, label.parents);
//! }
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - `labeler.rs`: [`Labeler`], [`Detection`], [`DetectedLabel`], [`Timings`].
//! - `preprocess.rs`: JPEG decoding at reduced DCT scale, resize to 224×224.
//! - `backend.rs` (+ `backend_ort.rs`): the inference engines.
//! - `table.rs` + `data/*.tsv`: the label table and the aggregation of class probabilities.
//! - `error.rs`: [`LabelerError`].
#![warn(missing_docs)]

mod backend;
mod error;
mod labeler;
mod preprocess;
mod table;

pub use backend::Engine;
pub use error::LabelerError;
pub use labeler::{DetectedLabel, Detection, Labeler, Timings};
pub use preprocess::{INPUT_SIDE, MIN_DECODED_SIDE, jpeg_to_input, jpeg_to_input_at};
pub use table::{CLASS_COUNT, LabelInfo, LabelTable};

/// Where `scripts/fetch-model.sh` puts the model, relative to the repository root.
pub const DEFAULT_MODEL_PATH: &str = ".cache/models/efficientnet-lite0.onnx";

//! The labeller's one error type: every variant names what went wrong and with what, so a
//! caller (the DetectLabels step, `pam import`) can quarantine a photo with a clear reason.

use std::path::PathBuf;

/// Why loading the model or labelling a photo failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LabelerError {
    /// The model file does not exist (run `scripts/fetch-model.sh`).
    #[error("model file {path} not found (run scripts/fetch-model.sh to create it)")]
    ModelMissing {
        /// Where the model was expected.
        path: PathBuf,
    },
    /// The model file exists but cannot be loaded or does not have the expected shape.
    #[error("model file {path} is not a usable classifier: {reason}")]
    ModelInvalid {
        /// The model file.
        path: PathBuf,
        /// What the inference engine or our shape check said.
        reason: String,
    },
    /// The bytes are not a JPEG at all (wrong signature).
    #[error("not a JPEG image (the data does not start with the JPEG signature FF D8 FF)")]
    NotJpeg,
    /// The bytes start like a JPEG but cannot be decoded.
    #[error("corrupt JPEG: {reason}")]
    CorruptJpeg {
        /// What the decoder reported.
        reason: String,
    },
    /// A valid JPEG we do not handle (e.g. zero-sized, unsupported colour format).
    #[error("unsupported JPEG: {reason}")]
    UnsupportedJpeg {
        /// What is unsupported.
        reason: String,
    },
    /// Running the network failed.
    #[error("inference failed: {reason}")]
    Inference {
        /// What the inference engine reported.
        reason: String,
    },
    /// The built-in label table is malformed (a build-time bug, caught by tests).
    #[error("label table {file}, line {line}: {reason}")]
    LabelTable {
        /// Which table file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The optional onnxruntime backend could not be initialised.
    #[error("onnxruntime backend unavailable: {reason}")]
    Backend {
        /// What went wrong (e.g. the shared library was not found).
        reason: String,
    },
}

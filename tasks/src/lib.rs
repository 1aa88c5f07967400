//! The PAM steps: one module per Step Functions Task, each an ordinary
//! `async fn step(input, ports…) -> Result<Output, StepError>` over serde structs.
//! Steps pass photos by reference (bucket + key), never bytes, and never know whether
//! they run in a Lambda or in the embedded engine.
//!
//! # Layout
//! - [`read_event`], [`detect_labels`], [`index_labels`], [`archive`], [`quarantine`]: the
//!   labelling steps.
//! - [`download`]: the download steps, [`download::DownloadSteps`] and [`download::prepare`].
//! - [`error`]: [`StepError`] and its stable names (`Pam.NotAJpeg`…) for Retry/Catch.
//! - [`invoke`]: call a step by name with JSON; `${XFunctionArn}` → step name.
//! - [`jpeg`]: the content check; [`object_ref`]: payload shapes and tag names.
#![warn(missing_docs)]

pub mod archive;
pub mod detect_labels;
pub mod download;
pub mod error;
pub mod index_labels;
pub mod invoke;
pub mod jpeg;
pub mod object_ref;
pub mod quarantine;
pub mod read_event;

pub use error::{ERROR_NAMES, StepError};
pub use invoke::{LABELLING_STEPS, LabellingSteps, binary_name, step_for_resource};
pub use object_ref::PhotoRef;

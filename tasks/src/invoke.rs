//! Calling a step by name with JSON, as a state machine does: the embedded engine maps
//! a Task's `Resource` (`${DetectLabelsFunctionArn}`) to a step name and calls
//! [`LabellingSteps::invoke`]; a Lambda binary does the same for its one step.

use crate::error::StepError;
use crate::{archive, detect_labels, index_labels, quarantine, read_event};
use pam_core::clock::Clock;
use pam_core::ports::{LabelIndex, Labeler, PhotoStore};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

/// The step names of the labelling workflow.
pub const LABELLING_STEPS: &[&str] = &[
    "ReadEvent",
    "DetectLabels",
    "IndexLabels",
    "Archive",
    "Quarantine",
];

/// `${DetectLabelsFunctionArn}` → `DetectLabels`; anything else → `None`.
pub fn step_for_resource(resource: &str) -> Option<&str> {
    resource.strip_prefix("${")?.strip_suffix("FunctionArn}")
}

/// `DetectLabels` → `detect-labels`, the Lambda binary's name.
pub fn binary_name(step: &str) -> String {
    let mut out = String::with_capacity(step.len() + 4);
    for (i, c) in step.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn parse<T: DeserializeOwned>(step: &str, input: Value) -> Result<T, StepError> {
    serde_json::from_value(input).map_err(|e| StepError::InvalidInput(format!("{step}: {e}")))
}

fn render<T: Serialize>(output: T) -> Result<Value, StepError> {
    serde_json::to_value(output).map_err(|e| StepError::Internal(e.to_string()))
}

/// The ports and settings the labelling steps run with.
#[derive(Debug, Clone)]
pub struct LabellingSteps {
    /// Photo store.
    pub store: Arc<dyn PhotoStore>,
    /// Label index.
    pub index: Arc<dyn LabelIndex>,
    /// Labeler.
    pub labeler: Arc<dyn Labeler>,
    /// Clock.
    pub clock: Arc<dyn Clock>,
    /// DetectLabels limits.
    pub detect: detect_labels::Config,
    /// Archive policy.
    pub archive: archive::Config,
}

impl LabellingSteps {
    /// Runs the step called `step` on a JSON input.
    pub async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
        match step {
            "ReadEvent" => {
                render(read_event::step(parse(step, input)?, self.store.as_ref()).await?)
            }
            "DetectLabels" => render(
                detect_labels::step(
                    parse(step, input)?,
                    self.store.as_ref(),
                    self.labeler.as_ref(),
                    &self.detect,
                )
                .await?,
            ),
            "IndexLabels" => render(
                index_labels::step(
                    parse(step, input)?,
                    self.store.as_ref(),
                    self.index.as_ref(),
                )
                .await?,
            ),
            "Archive" => render(
                archive::step(
                    parse(step, input)?,
                    self.store.as_ref(),
                    self.clock.as_ref(),
                    &self.archive,
                )
                .await?,
            ),
            "Quarantine" => render(
                quarantine::step(
                    parse(step, input)?,
                    self.store.as_ref(),
                    self.index.as_ref(),
                    self.clock.as_ref(),
                )
                .await?,
            ),
            other => Err(StepError::InvalidInput(format!(
                "no labelling step is called {other:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_and_binaries() {
        assert_eq!(
            step_for_resource("${DetectLabelsFunctionArn}"),
            Some("DetectLabels")
        );
        assert_eq!(step_for_resource("arn:aws:lambda:x"), None);
        assert_eq!(binary_name("DetectLabels"), "detect-labels");
        assert_eq!(binary_name("Archive"), "archive");
        assert_eq!(binary_name("ReadEvent"), "read-event");
    }
}

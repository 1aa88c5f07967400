//! The step Lambdas' handler: an ordinary async fn from the invocation's JSON payload to
//! the step's JSON output. A [`StepError`] becomes the invocation error whose
//! `errorType` is the step error's stable name (`Pam.NotAJpeg`…), which is what the
//! state machines' Retry/Catch `ErrorEquals` match on AWS.

use async_trait::async_trait;
use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use pam_tasks::download::DownloadSteps;
use pam_tasks::{LabellingSteps, StepError};
use serde_json::Value;
use std::sync::Arc;

/// Runs a step by name (the labelling or the download steps).
#[async_trait]
pub trait Steps: Send + Sync + 'static {
    /// Runs `step` on `input`.
    async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError>;
}

#[async_trait]
impl Steps for LabellingSteps {
    async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
        LabellingSteps::invoke(self, step, input).await
    }
}

#[async_trait]
impl Steps for DownloadSteps {
    async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
        DownloadSteps::invoke(self, step, input).await
    }
}

/// A failed step, as Lambda reports it.
#[derive(Debug)]
pub struct StepFailure(pub StepError);

impl From<StepFailure> for Diagnostic {
    fn from(failure: StepFailure) -> Self {
        Diagnostic {
            error_type: failure.0.error_name().to_owned(),
            error_message: failure.0.to_string(),
        }
    }
}

/// Handles one invocation of `step`.
pub async fn handle(
    steps: &dyn Steps,
    step: &str,
    event: LambdaEvent<Value>,
) -> Result<Value, StepFailure> {
    let request = event.context.request_id.clone();
    match steps.invoke(step, event.payload).await {
        Ok(output) => {
            tracing::info!(step, %request, "step succeeded");
            Ok(output)
        }
        Err(e) => {
            tracing::warn!(step, %request, error = e.error_name(), cause = %e, "step failed");
            Err(StepFailure(e))
        }
    }
}

/// Serves `step` through the Lambda Runtime API until the environment is shut down.
pub async fn run(steps: impl Steps, step: &'static str) -> Result<(), lambda_runtime::Error> {
    let steps: Arc<dyn Steps> = Arc::new(steps);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let steps = steps.clone();
        async move { handle(steps.as_ref(), step, event).await }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_runtime::Context;
    use serde_json::json;

    #[derive(Debug)]
    struct Echo;

    #[async_trait]
    impl Steps for Echo {
        async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
            match input.get("fail") {
                Some(_) => Err(StepError::NotAJpeg {
                    key: "photos/a.jpg".into(),
                    reason: format!("{step} says no"),
                }),
                None => Ok(json!({"step": step, "input": input})),
            }
        }
    }

    #[tokio::test]
    async fn step_errors_become_named_invocation_errors() {
        let ok = handle(
            &Echo,
            "Archive",
            LambdaEvent::new(json!({"a": 1}), Context::default()),
        )
        .await
        .unwrap();
        assert_eq!(ok, json!({"step": "Archive", "input": {"a": 1}}));
        let failed = handle(
            &Echo,
            "Archive",
            LambdaEvent::new(json!({"fail": true}), Context::default()),
        )
        .await
        .unwrap_err();
        let diagnostic = Diagnostic::from(failed);
        assert_eq!(diagnostic.error_type, "Pam.NotAJpeg");
        assert!(diagnostic.error_message.contains("Archive says no"));
    }
}

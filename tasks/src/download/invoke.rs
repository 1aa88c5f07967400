//! Calling a download step by name with JSON, as the embedded engine and the Lambda
//! binaries do (`${BuildBundleFunctionArn}` → `BuildBundle`). Each call runs inside a
//! tracing span carrying the step and the job id (never the address).

use crate::download::{
    DownloadConfig, build_bundle, check_restores, close_channel, notify, open_channel, presign,
    resolve_manifest, start_restores,
};
use crate::error::StepError;
use pam_core::clock::Clock;
use pam_core::ports::{JobKeys, JobLog, LabelIndex, Notifier, PhotoStore, Presigner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use tracing::Instrument;

/// The step names of the download workflow.
pub const DOWNLOAD_STEPS: &[&str] = &[
    "OpenChannel",
    "ResolveManifest",
    "StartRestores",
    "CheckRestores",
    "BuildBundle",
    "Presign",
    "Notify",
    "CloseChannel",
];

fn parse<T: DeserializeOwned>(step: &str, input: Value) -> Result<T, StepError> {
    serde_json::from_value(input).map_err(|e| StepError::InvalidInput(format!("{step}: {e}")))
}

fn render<T: Serialize>(output: T) -> Result<Value, StepError> {
    serde_json::to_value(output).map_err(|e| StepError::Internal(e.to_string()))
}

/// The ports and settings the download steps run with.
#[derive(Debug, Clone)]
pub struct DownloadSteps {
    /// Photo store (photos and working bucket).
    pub store: Arc<dyn PhotoStore>,
    /// Label index.
    pub index: Arc<dyn LabelIndex>,
    /// Job log.
    pub jobs: Arc<dyn JobLog>,
    /// Job sealing keys.
    pub keys: Arc<dyn JobKeys>,
    /// Notification channels.
    pub notifier: Arc<dyn Notifier>,
    /// Link signer.
    pub presigner: Arc<dyn Presigner>,
    /// Clock.
    pub clock: Arc<dyn Clock>,
    /// Settings.
    pub config: DownloadConfig,
}

impl DownloadSteps {
    /// Runs the step called `step` on a JSON input.
    pub async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
        let job_id = input
            .get("job_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let span = tracing::info_span!("download_step", step, job_id = %job_id);
        let result = self.run(step, input).instrument(span.clone()).await;
        if let Err(e) = &result {
            span.in_scope(|| tracing::warn!(error = e.error_name(), cause = %e, "step failed"));
        }
        result
    }

    async fn run(&self, step: &str, input: Value) -> Result<Value, StepError> {
        let store = self.store.as_ref();
        let jobs = self.jobs.as_ref();
        let config = &self.config;
        match step {
            "OpenChannel" => render(
                open_channel::step(
                    parse(step, input)?,
                    self.keys.as_ref(),
                    self.notifier.as_ref(),
                )
                .await?,
            ),
            "ResolveManifest" => render(
                resolve_manifest::step(
                    parse(step, input)?,
                    store,
                    self.index.as_ref(),
                    jobs,
                    config,
                )
                .await?,
            ),
            "StartRestores" => {
                render(start_restores::step(parse(step, input)?, store, jobs, config).await?)
            }
            "CheckRestores" => {
                render(check_restores::step(parse(step, input)?, store, jobs, config).await?)
            }
            "BuildBundle" => {
                render(build_bundle::step(parse(step, input)?, store, jobs, config).await?)
            }
            "Presign" => render(
                presign::step(parse(step, input)?, self.presigner.as_ref(), jobs, config).await?,
            ),
            "Notify" => {
                render(notify::step(parse(step, input)?, self.notifier.as_ref(), jobs).await?)
            }
            "CloseChannel" => render(
                close_channel::step(
                    parse(step, input)?,
                    self.notifier.as_ref(),
                    self.keys.as_ref(),
                    jobs,
                )
                .await?,
            ),
            other => Err(StepError::InvalidInput(format!(
                "no download step is called {other:?}"
            ))),
        }
    }
}

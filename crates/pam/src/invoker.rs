//! How the embedded engine reaches the steps: a Task's `Resource`
//! (`${DetectLabelsFunctionArn}`, `${BuildBundleFunctionArn}`) names the step, which
//! runs in-process with the local ports — the Lambda binary `detect-labels` runs the
//! very same function on AWS. One invoker serves both state machines: labelling and
//! download step names do not overlap.
//! Also the lazily loaded model behind the `Labeler` port, so commands that find no
//! labelling to do never pay for loading it.

use crate::world::WorldError;
use async_trait::async_trait;
use pam_asl::{StatesError, TaskContext, TaskInvoker};
use pam_core::ports::PhotoStore;
use pam_core::ports::labeler::{DetectLabelsOutput, DetectLabelsRequest, Labeler, LabelerError};
use pam_local::ModelLabeler;
use pam_tasks::download::{DOWNLOAD_STEPS, DownloadSteps};
use pam_tasks::{LABELLING_STEPS, LabellingSteps, StepError, binary_name, step_for_resource};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{OnceCell, Semaphore};

/// Runs `${XFunctionArn}` Task resources as the in-process step `X`.
pub struct StepInvoker {
    labelling: LabellingSteps,
    download: DownloadSteps,
}

impl StepInvoker {
    /// An invoker over the labelling and download steps and their ports.
    pub fn new(labelling: LabellingSteps, download: DownloadSteps) -> Self {
        Self {
            labelling,
            download,
        }
    }

    async fn run(&self, step: &str, input: Value) -> Result<Value, StepError> {
        if LABELLING_STEPS.contains(&step) {
            return self.labelling.invoke(step, input).await;
        }
        self.download.invoke(step, input).await
    }
}

#[async_trait]
impl TaskInvoker for StepInvoker {
    async fn invoke(
        &self,
        resource: &str,
        input: Value,
        ctx: &TaskContext,
    ) -> Result<Value, StatesError> {
        let step = step_for_resource(resource)
            .filter(|s| LABELLING_STEPS.contains(s) || DOWNLOAD_STEPS.contains(s))
            .ok_or_else(|| {
                StatesError::new(
                    "States.TaskFailed",
                    format!(
                        "no local step for resource {resource}; known: {}, {}",
                        LABELLING_STEPS.join(", "),
                        DOWNLOAD_STEPS.join(", ")
                    ),
                )
            })?;
        tracing::debug!(step, lambda = %binary_name(step), execution = %ctx.execution_name, attempt = ctx.retry_count, "invoking step");
        self.run(step, input).await.map_err(|e| {
            tracing::info!(step, execution = %ctx.execution_name, error = e.error_name(), cause = %e, "step failed");
            StatesError::new(e.error_name(), e.to_string())
        })
    }
}

/// The on-device model behind the `Labeler` port, loaded on first use, with at most one
/// inference per core at a time (executions run concurrently; more inferences than
/// cores would only thrash).
#[derive(Debug)]
pub struct LazyLabeler {
    store: Arc<dyn PhotoStore>,
    path: PathBuf,
    loaded: OnceCell<ModelLabeler>,
    cores: Semaphore,
}

impl LazyLabeler {
    /// A labeler that will load the model at `path`.
    pub fn new(store: Arc<dyn PhotoStore>, path: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            store,
            path,
            loaded: OnceCell::new(),
            cores: Semaphore::new(cores),
        }
    }

    /// Loads the model (once) and returns it.
    pub async fn load(&self) -> Result<&ModelLabeler, WorldError> {
        self.loaded
            .get_or_try_init(|| async {
                if !self.path.is_file() {
                    return Err(WorldError::ModelMissing(self.path.clone()));
                }
                let path = self.path.clone();
                let model = tokio::task::spawn_blocking(move || pam_labeler::Labeler::load(&path))
                    .await
                    .expect("model loading does not panic")
                    .map_err(|source| WorldError::Model {
                        path: self.path.clone(),
                        source,
                    })?;
                let version = format!("efficientnet-lite0/{}", env!("CARGO_PKG_VERSION"));
                Ok(ModelLabeler::new(
                    self.store.clone(),
                    Arc::new(model),
                    version,
                ))
            })
            .await
    }
}

#[async_trait]
impl Labeler for LazyLabeler {
    async fn detect_labels(
        &self,
        request: &DetectLabelsRequest,
    ) -> Result<DetectLabelsOutput, LabelerError> {
        // A missing model is a failure worth retrying once it is fetched, not a verdict
        // on the photo.
        let model = self
            .load()
            .await
            .map_err(|e| LabelerError::Transient(Box::new(e)))?;
        let _core = self
            .cores
            .acquire()
            .await
            .map_err(|e| LabelerError::Backend(Box::new(e)))?;
        model.detect_labels(request).await
    }
}

//! Quarantine: where the labelling state machine's Catch sends a photo that failed.
//! Records the error name and cause in the index (latest wins) and tags the object,
//! so a failure is visible and nothing is half-counted.

use crate::error::StepError;
use crate::object_ref::{PhotoRef, QUARANTINED_TAG};
use pam_core::clock::Clock;
use pam_core::ports::index::{LabelIndex, QuarantineRecord};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, StoreError};
use serde::{Deserialize, Serialize};

/// What a Catch with `ResultPath: "$.error"` puts in the state: `{"Error","Cause"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtError {
    /// The error name (`Pam.NotAJpeg`, `States.Timeout`…).
    #[serde(rename = "Error")]
    pub error: String,
    /// The explanation.
    #[serde(rename = "Cause", default)]
    pub cause: String,
}

/// The step's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// The photo.
    #[serde(flatten)]
    pub photo: PhotoRef,
    /// The state that failed (the ASL's `failed_step`), if given.
    #[serde(default)]
    pub failed_step: Option<String>,
    /// The caught error.
    pub error: CaughtError,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The photo.
    #[serde(flatten)]
    pub photo: PhotoRef,
    /// The error it was quarantined for.
    pub quarantined: String,
}

/// Runs Quarantine.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    index: &dyn LabelIndex,
    clock: &dyn Clock,
) -> Result<Output, StepError> {
    let record = QuarantineRecord {
        key: input.photo.key.clone(),
        error: input.error.error.clone(),
        reason: match &input.failed_step {
            Some(step) => format!("{step} failed: {}", input.error.cause),
            None => input.error.cause.clone(),
        },
        at: clock.now(),
    };
    index.quarantine(&record).await?;
    let tagged = store
        .merge_tag(
            &input.photo.bucket,
            input.photo.key.as_object_key(),
            QUARANTINED_TAG,
            &input.error.error,
        )
        .await;
    match tagged {
        // The object may be gone (deleted, or never existed): the record still stands.
        Ok(()) | Err(StoreError::NotFound { .. }) => {}
        Err(StoreError::InvalidArgument(reason)) => {
            tracing::warn!(key = %input.photo.key, %reason, "quarantine tag not set");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Output {
        photo: input.photo,
        quarantined: input.error.error,
    })
}

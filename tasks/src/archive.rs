//! Archive: tags the photo `pam:indexed=true` and lets it go cold (GLACIER, DEEP_ARCHIVE
//! or an Intelligent-Tiering archive tier, configurable). Idempotent: an object already
//! where it should be is left alone, so redeliveries are harmless.

use crate::error::StepError;
use crate::object_ref::{INDEXED_TAG, PhotoRef};
use pam_core::ColdTarget;
use pam_core::clock::Clock;
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, StoreError};
use pam_core::{ArchiveStatus, StorageClass};
use serde::{Deserialize, Serialize};

/// Where and when photos go cold.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The cold storage target.
    pub target: ColdTarget,
    /// Photos younger than this stay hot for now (zero: archive at once, the local
    /// default, so the restore journey is visible).
    pub min_age: chrono::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            target: ColdTarget::Glacier,
            min_age: chrono::Duration::zero(),
        }
    }
}

/// The step's input: the photo (other fields of the state are ignored).
pub type Input = PhotoRef;

/// The step's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The photo.
    #[serde(flatten)]
    pub photo: PhotoRef,
    /// Its storage class now.
    pub storage_class: StorageClass,
    /// Its Intelligent-Tiering archive tier now, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub archive_status: Option<ArchiveStatus>,
    /// Whether this call moved it.
    pub moved: bool,
}

/// Runs Archive.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    clock: &dyn Clock,
    config: &Config,
) -> Result<Output, StepError> {
    let key = input.key.as_object_key();
    store
        .merge_tag(&input.bucket, key, INDEXED_TAG, "true")
        .await?;
    let head = store.head(&input.bucket, key).await?;
    let class = config.target.storage_class();
    let wanted_tier = config.target.archive_status();
    let in_place = head.storage_class == class
        && (wanted_tier.is_none() || head.archive_status == wanted_tier);
    let young = clock.now() - head.last_modified < config.min_age;
    if in_place || young || head.is_archived() {
        return Ok(Output {
            photo: input,
            storage_class: head.storage_class,
            archive_status: head.archive_status,
            moved: false,
        });
    }
    let meta = match store
        .transition(&input.bucket, key, class, wanted_tier)
        .await
    {
        Ok(meta) => meta,
        // A concurrent delivery archived it between our HEAD and our transition.
        Err(StoreError::InvalidObjectState { .. }) => {
            let now = store.head(&input.bucket, key).await?;
            if !now.is_archived() {
                return Err(StepError::ObjectArchived(format!(
                    "{key} cannot be archived now"
                )));
            }
            return Ok(Output {
                photo: input,
                storage_class: now.storage_class,
                archive_status: now.archive_status,
                moved: false,
            });
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(%key, class = %meta.storage_class, "photo archived");
    Ok(Output {
        photo: input,
        storage_class: meta.storage_class,
        archive_status: meta.archive_status,
        moved: true,
    })
}

//! Storage-class transitions (hot ↔ cold directory) and RestoreObject for the local
//! store. The decisions come from `restore_model`; this file persists them.

use super::files::Location;
use super::restore_model::{RestoreRefusal, StoredState, request_restore};
use super::rows::ObjectRow;
use super::{LocalStore, db_error};
use pam_core::ports::store::{ObjectMeta, RestoreOutcome, RestoreRequest, StoreError};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, StorageClass};
use rusqlite::TransactionBehavior;

impl LocalStore {
    /// Saves `row` if the object still has the blob it had when read; a concurrent
    /// overwrite in between is reported as transient so the caller retries.
    async fn save_if_unchanged(&self, bucket: &BucketName, row: ObjectRow, expected_blob: String) -> Result<(), StoreError> {
        let b = bucket.clone();
        let key = row.key.clone();
        let saved = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let current = ObjectRow::load(&tx, &b, &row.key)?;
                if current.map(|c| c.blob) != Some(expected_blob) {
                    return Ok(false);
                }
                row.save(&tx, &b)?;
                tx.commit()?;
                Ok(true)
            })
            .await
            .map_err(db_error)?;
        if saved {
            Ok(())
        } else {
            Err(StoreError::Transient {
                store: "local-store",
                source: format!("{key} was overwritten or deleted during the operation").into(),
            })
        }
    }

    pub(super) async fn transition_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        class: StorageClass,
        archive: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError> {
        if archive.is_some() && class != StorageClass::IntelligentTiering {
            return Err(StoreError::InvalidArgument(format!(
                "an archive tier applies only to INTELLIGENT_TIERING, not {class}"
            )));
        }
        let mut row = self.load_row(bucket, key).await?;
        let now = self.now();
        row.ensure_readable(now)?;
        let target = if class.is_archival() || archive.is_some() {
            Location::Cold
        } else {
            Location::Hot
        };
        self.layout
            .move_blob(bucket, &row.blob, row.location, target)
            .await?;
        let blob = row.blob.clone();
        row.location = target;
        row.state = StoredState {
            class,
            archive,
            restore: None,
        };
        let meta = row.meta(now);
        self.save_if_unchanged(bucket, row, blob).await?;
        tracing::debug!(%bucket, %key, %class, ?archive, "storage class changed");
        Ok(meta)
    }

    pub(super) async fn restore_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        request: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError> {
        let mut row = self.load_row(bucket, key).await?;
        let now = self.now();
        let (record, outcome) =
            request_restore(&row.state, request, &self.config.restore_delays, now).map_err(|refusal| match refusal {
                RestoreRefusal::NotArchived(_) => StoreError::InvalidObjectState {
                    key: key.clone(),
                    reason: format!("restore is not allowed: {refusal}"),
                },
                RestoreRefusal::InProgress => StoreError::RestoreAlreadyInProgress { key: key.clone() },
                other => StoreError::InvalidArgument(other.to_string()),
            })?;
        row.state.restore = Some(record);
        let blob = row.blob.clone();
        self.save_if_unchanged(bucket, row, blob).await?;
        tracing::debug!(%bucket, %key, tier = %request.tier, ready_at = %record.ready_at, ?outcome, "restore requested");
        Ok(outcome)
    }
}

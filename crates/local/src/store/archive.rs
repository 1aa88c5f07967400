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
    /// Saves `row`'s storage state if the object still has the blob it had when read; a
    /// concurrent overwrite in between is reported as transient so the caller retries.
    async fn save_if_unchanged(
        &self,
        bucket: &BucketName,
        row: ObjectRow,
        expected_blob: String,
    ) -> Result<(), StoreError> {
        let b = bucket.clone();
        let key = row.key.clone();
        let saved = self
            .db
            .call(move |conn| row.save_state(conn, &b, &expected_blob))
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
        self.require_bucket(bucket).await?;
        let (b, k, now, delays) = (
            bucket.clone(),
            key.clone(),
            self.now(),
            self.config.restore_delays,
        );
        // One IMMEDIATE transaction: of two concurrent requests, one starts the restore
        // and the other sees it in progress, as on S3.
        let decided = self
            .db
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let Some(mut row) = ObjectRow::load(&tx, &b, &k)? else {
                    return Ok(Err(None));
                };
                match request_restore(&row.state, request, &delays, now) {
                    Err(refusal) => Ok(Err(Some(refusal))),
                    Ok((record, outcome)) => {
                        row.state.restore = Some(record);
                        let blob = row.blob.clone();
                        row.save_state(&tx, &b, &blob)?;
                        tx.commit()?;
                        Ok(Ok((record, outcome)))
                    }
                }
            })
            .await
            .map_err(db_error)?;
        let (record, outcome) = decided.map_err(|refused| match refused {
            None => StoreError::NotFound {
                bucket: bucket.clone(),
                key: key.clone(),
            },
            Some(refusal @ RestoreRefusal::NotArchived(_)) => StoreError::InvalidObjectState {
                key: key.clone(),
                reason: format!("restore is not allowed: {refusal}"),
            },
            Some(RestoreRefusal::InProgress) => {
                StoreError::RestoreAlreadyInProgress { key: key.clone() }
            }
            Some(other) => StoreError::InvalidArgument(other.to_string()),
        })?;
        tracing::debug!(%bucket, %key, tier = %request.tier, ready_at = %record.ready_at, ?outcome, "restore requested");
        Ok(outcome)
    }
}

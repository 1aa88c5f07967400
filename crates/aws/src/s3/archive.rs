//! Archival storage on S3: moving an object between storage classes (a copy onto
//! itself) and RestoreObject with the request each class needs: GLACIER and
//! DEEP_ARCHIVE take `Days` (how long the restored copy lives) and a tier;
//! Intelligent-Tiering archive tiers take a tier and no `Days` (the object simply moves
//! back to the Frequent Access tier). The object is read with HeadObject first, so a
//! wrong request is refused with a precise reason before S3 is asked, and so the
//! outcome (started, or already restored and extended) is known.

use aws_sdk_s3::types::{GlacierJobParameters, RestoreRequest as S3Restore, Tier};
use pam_core::ports::store::{ObjectMeta, RestoreOutcome, RestoreRequest, StoreError};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, RestoreState, RestoreTier, StorageClass};

use super::S3Store;
use super::convert;
use super::error::{Failure, Target, build_err};

/// Checks a restore request against the object's state; `Ok(days)` to send.
fn plan(meta: &ObjectMeta, request: RestoreRequest) -> Result<Option<i32>, StoreError> {
    let key = &meta.key;
    let invalid = |reason: String| StoreError::InvalidObjectState {
        key: key.clone(),
        reason,
    };
    let deep = match (meta.storage_class, meta.archive_status) {
        (StorageClass::Glacier | StorageClass::DeepArchive, _) => {
            let days = request.days.ok_or_else(|| {
                StoreError::InvalidArgument(format!(
                    "restoring a {} object needs Days (how long the restored copy lives)",
                    meta.storage_class
                ))
            })?;
            if days == 0 || days > i32::MAX as u32 {
                return Err(StoreError::InvalidArgument(format!(
                    "restore Days must be at least 1, not {days}"
                )));
            }
            if meta.restore == Some(RestoreState::Ongoing) {
                return Err(StoreError::RestoreAlreadyInProgress { key: key.clone() });
            }
            meta.storage_class == StorageClass::DeepArchive
        }
        (StorageClass::IntelligentTiering, Some(status)) => {
            if let Some(days) = request.days {
                return Err(StoreError::InvalidArgument(format!(
                    "an Intelligent-Tiering {status} restore takes no Days (got {days}): \
                     the object returns to the Frequent Access tier"
                )));
            }
            if meta.restore == Some(RestoreState::Ongoing) {
                return Err(StoreError::RestoreAlreadyInProgress { key: key.clone() });
            }
            status == ArchiveStatus::DeepArchiveAccess
        }
        (class, _) => {
            return Err(invalid(format!(
                "a {class} object outside an archive tier has nothing to restore"
            )));
        }
    };
    if deep && request.tier == RestoreTier::Expedited {
        return Err(StoreError::InvalidArgument(format!(
            "the Expedited tier is not available for {} objects",
            meta.archive_status
                .map(|s| s.as_str())
                .unwrap_or(meta.storage_class.as_str())
        )));
    }
    Ok(request.days.map(|d| d as i32))
}

impl S3Store {
    pub(super) async fn restore_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        request: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError> {
        let meta = self.head_object(bucket, key).await?;
        let days = plan(&meta, request)?;
        let job = GlacierJobParameters::builder()
            .tier(Tier::from(request.tier.as_str()))
            .build()
            .map_err(|e| build_err("GlacierJobParameters", e))?;
        let restore = S3Restore::builder()
            .set_days(days)
            .glacier_job_parameters(job)
            .build();
        self.client
            .restore_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .restore_request(restore)
            .send()
            .await
            .map_err(|e| Failure::from_sdk(e).into_store(Target::object(bucket, key)))?;
        tracing::debug!(%bucket, %key, tier = %request.tier, ?days, "restore requested");
        Ok(match meta.restore {
            Some(RestoreState::Restored { .. }) => RestoreOutcome::AlreadyRestored,
            _ => RestoreOutcome::Started,
        })
    }

    pub(super) async fn transition_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        class: StorageClass,
        archive: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError> {
        if let Some(status) = archive
            && class != StorageClass::IntelligentTiering
        {
            return Err(StoreError::InvalidArgument(format!(
                "the archive tier {status} exists only in INTELLIGENT_TIERING, not {class}"
            )));
        }
        let meta = self.head_object(bucket, key).await?;
        if !meta.is_readable() {
            return Err(StoreError::InvalidObjectState {
                key: key.clone(),
                reason: format!(
                    "a {} object must be restored before it can change class",
                    meta.archive_status
                        .map(|s| s.as_str())
                        .unwrap_or(meta.storage_class.as_str())
                ),
            });
        }
        if meta.storage_class == class {
            // S3 refuses a copy onto itself that changes nothing; the archive tier of
            // Intelligent-Tiering follows the bucket's configuration, not a request.
            return Ok(meta);
        }
        self.client
            .copy_object()
            .bucket(bucket.as_str())
            .key(key.as_str())
            .copy_source(convert::copy_source(bucket.as_str(), key.as_str()))
            .storage_class(convert::to_s3_class(class))
            .send()
            .await
            .map_err(|e| Failure::from_sdk(e).into_store(Target::object(bucket, key)))?;
        tracing::debug!(%bucket, %key, %class, "storage class changed");
        self.head_object(bucket, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn meta(class: StorageClass, archive: Option<ArchiveStatus>) -> ObjectMeta {
        ObjectMeta {
            key: ObjectKey::parse("photos/a.jpg").unwrap(),
            size: 1,
            etag: "\"e\"".into(),
            last_modified: Utc::now(),
            storage_class: class,
            archive_status: archive,
            restore: None,
            content_type: None,
            metadata: Default::default(),
        }
    }

    fn req(tier: RestoreTier, days: Option<u32>) -> RestoreRequest {
        RestoreRequest { tier, days }
    }

    #[test]
    fn glacier_needs_days_and_it_refuses_them() {
        let glacier = meta(StorageClass::Glacier, None);
        assert!(matches!(
            plan(&glacier, req(RestoreTier::Bulk, None)),
            Err(StoreError::InvalidArgument(_))
        ));
        assert_eq!(
            plan(&glacier, req(RestoreTier::Bulk, Some(3))).unwrap(),
            Some(3)
        );
        let it = meta(
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::ArchiveAccess),
        );
        assert!(matches!(
            plan(&it, req(RestoreTier::Standard, Some(1))),
            Err(StoreError::InvalidArgument(_))
        ));
        assert_eq!(plan(&it, req(RestoreTier::Expedited, None)).unwrap(), None);
    }

    #[test]
    fn deep_tiers_refuse_expedited() {
        let deep = meta(StorageClass::DeepArchive, None);
        assert!(matches!(
            plan(&deep, req(RestoreTier::Expedited, Some(1))),
            Err(StoreError::InvalidArgument(_))
        ));
        let it_deep = meta(
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::DeepArchiveAccess),
        );
        assert!(matches!(
            plan(&it_deep, req(RestoreTier::Expedited, None)),
            Err(StoreError::InvalidArgument(_))
        ));
        assert_eq!(plan(&it_deep, req(RestoreTier::Bulk, None)).unwrap(), None);
    }

    #[test]
    fn hot_objects_and_running_restores_are_refused() {
        for class in [StorageClass::Standard, StorageClass::IntelligentTiering] {
            assert!(matches!(
                plan(&meta(class, None), req(RestoreTier::Standard, Some(1))),
                Err(StoreError::InvalidObjectState { .. })
            ));
        }
        let mut running = meta(StorageClass::Glacier, None);
        running.restore = Some(RestoreState::Ongoing);
        assert!(matches!(
            plan(&running, req(RestoreTier::Standard, Some(1))),
            Err(StoreError::RestoreAlreadyInProgress { .. })
        ));
    }
}

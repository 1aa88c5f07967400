//! Conformance scenarios for archival storage: transitions, GETs refused while archived,
//! RestoreObject's rules per class and tier, and the `x-amz-restore` state over time.

use crate::domain::{
    ArchiveStatus, BucketName, ObjectKey, RestoreState, RestoreTier, StorageClass,
};
use crate::ports::store::{
    GetOptions, PhotoStore, PhotoStoreExt, RestoreOutcome, RestoreRequest, StoreError,
};
use chrono::Duration;

use super::{TimeTravel, test_bytes};

/// What a store can show of archive behaviour.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveCaps {
    /// Time that makes an Expedited restore finish.
    pub expedited_delay: Duration,
    /// Time that makes a Standard restore finish.
    pub standard_delay: Duration,
    /// HEAD shows `ongoing-request="true"` before time passes.
    pub reports_ongoing: bool,
    /// `transition(.., INTELLIGENT_TIERING, Some(tier))` really archives the object.
    pub forces_it_archive: bool,
    /// Letting the restore's days pass makes the object unreadable again.
    pub expiry_observable: bool,
}

async fn expect_invalid_state(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    k: &ObjectKey,
    when: &str,
) {
    match store.get(bucket, k, GetOptions::default()).await {
        Err(StoreError::InvalidObjectState { .. }) => {}
        other => panic!("GET {when} must be InvalidObjectState, got {other:?}"),
    }
}

/// GLACIER: unreadable until restored, Days required, restore in progress refused,
/// readable after the tier's delay, expiry reported, unreadable again after it.
pub async fn glacier_restore_cycle(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    time: &dyn TimeTravel,
    caps: ArchiveCaps,
) {
    let k = ObjectKey::parse("conformance/archive/glacier.bin").unwrap();
    let bytes = test_bytes(4096, 4);
    store.put_bytes(bucket, &k, bytes.clone()).await.unwrap();

    let not_archived = RestoreRequest {
        tier: RestoreTier::Standard,
        days: Some(1),
    };
    match store.restore(bucket, &k, not_archived).await {
        Err(StoreError::InvalidObjectState { .. }) => {}
        other => panic!("restoring a STANDARD object must be InvalidObjectState, got {other:?}"),
    }

    let meta = store
        .transition(bucket, &k, StorageClass::Glacier, None)
        .await
        .expect("transition to GLACIER");
    assert_eq!(meta.storage_class, StorageClass::Glacier);
    let head = store.head(bucket, &k).await.unwrap();
    assert_eq!(head.storage_class, StorageClass::Glacier);
    assert!(head.is_archived() && !head.is_readable() && head.restore.is_none());
    assert_eq!(
        head.size, 4096,
        "HEAD of an archived object still reports its size"
    );
    expect_invalid_state(store, bucket, &k, "of an archived GLACIER object").await;
    match store
        .transition(bucket, &k, StorageClass::Standard, None)
        .await
    {
        Err(StoreError::InvalidObjectState { .. }) => {}
        other => panic!("moving an unrestored GLACIER object must fail, got {other:?}"),
    }

    let no_days = RestoreRequest {
        tier: RestoreTier::Expedited,
        days: None,
    };
    match store.restore(bucket, &k, no_days).await {
        Err(StoreError::InvalidArgument(_)) => {}
        other => panic!("a GLACIER restore without Days must be InvalidArgument, got {other:?}"),
    }
    let request = RestoreRequest {
        tier: RestoreTier::Expedited,
        days: Some(2),
    };
    assert_eq!(
        store.restore(bucket, &k, request).await.unwrap(),
        RestoreOutcome::Started
    );
    if caps.reports_ongoing {
        let head = store.head(bucket, &k).await.unwrap();
        assert_eq!(
            head.restore,
            Some(RestoreState::Ongoing),
            "HEAD reports ongoing-request"
        );
        expect_invalid_state(store, bucket, &k, "while the restore runs").await;
        match store.restore(bucket, &k, request).await {
            Err(StoreError::RestoreAlreadyInProgress { .. }) => {}
            other => panic!("a second restore must be RestoreAlreadyInProgress, got {other:?}"),
        }
    }

    time.advance(caps.expedited_delay).await;
    let head = store.head(bucket, &k).await.unwrap();
    match head.restore {
        Some(RestoreState::Restored { expiry: Some(_) }) => {}
        other => {
            panic!("after the delay HEAD must report a restored copy with expiry, got {other:?}")
        }
    }
    assert_eq!(
        head.storage_class,
        StorageClass::Glacier,
        "a restore does not change the class"
    );
    assert!(head.is_readable());
    assert_eq!(
        store.get_bytes(bucket, &k).await.unwrap(),
        bytes,
        "the restored bytes"
    );
    assert_eq!(
        store.restore(bucket, &k, request).await.unwrap(),
        RestoreOutcome::AlreadyRestored,
        "restoring a restored object extends it"
    );

    if caps.expiry_observable {
        time.advance(Duration::days(4)).await;
        let head = store.head(bucket, &k).await.unwrap();
        assert_eq!(
            head.restore, None,
            "an expired restore is no longer reported"
        );
        expect_invalid_state(store, bucket, &k, "after the restored copy expired").await;
    }
    store.delete(bucket, &k).await.unwrap();
}

/// DEEP_ARCHIVE refuses Expedited and accepts Standard.
pub async fn deep_archive_refuses_expedited(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    time: &dyn TimeTravel,
    caps: ArchiveCaps,
) {
    let k = ObjectKey::parse("conformance/archive/deep.bin").unwrap();
    store.put_bytes(bucket, &k, b"deep".to_vec()).await.unwrap();
    store
        .transition(bucket, &k, StorageClass::DeepArchive, None)
        .await
        .unwrap();
    expect_invalid_state(store, bucket, &k, "of a DEEP_ARCHIVE object").await;
    let expedited = RestoreRequest {
        tier: RestoreTier::Expedited,
        days: Some(1),
    };
    match store.restore(bucket, &k, expedited).await {
        Err(StoreError::InvalidArgument(_)) => {}
        other => panic!("Expedited from DEEP_ARCHIVE must be InvalidArgument, got {other:?}"),
    }
    let standard = RestoreRequest {
        tier: RestoreTier::Standard,
        days: Some(1),
    };
    assert_eq!(
        store.restore(bucket, &k, standard).await.unwrap(),
        RestoreOutcome::Started
    );
    time.advance(caps.standard_delay).await;
    assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"deep");
    store.delete(bucket, &k).await.unwrap();
}

/// Intelligent-Tiering archive tiers: HEAD reports the archive status, GET fails, a
/// restore refuses Days, and afterwards the object is back in a readable tier with no
/// expiry. Only when the store can force the tier (`caps.forces_it_archive`).
pub async fn intelligent_tiering_archive(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    time: &dyn TimeTravel,
    caps: ArchiveCaps,
) {
    let k = ObjectKey::parse("conformance/archive/it.bin").unwrap();
    store
        .put_bytes(bucket, &k, b"tiering".to_vec())
        .await
        .unwrap();
    match store
        .transition(
            bucket,
            &k,
            StorageClass::Glacier,
            Some(ArchiveStatus::ArchiveAccess),
        )
        .await
    {
        Err(StoreError::InvalidArgument(_)) => {}
        other => {
            panic!("an archive tier outside INTELLIGENT_TIERING must be refused, got {other:?}")
        }
    }
    let meta = store
        .transition(
            bucket,
            &k,
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::ArchiveAccess),
        )
        .await
        .expect("transition to INTELLIGENT_TIERING");
    assert_eq!(meta.storage_class, StorageClass::IntelligentTiering);
    if !caps.forces_it_archive {
        assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"tiering");
        store.delete(bucket, &k).await.unwrap();
        return;
    }
    let head = store.head(bucket, &k).await.unwrap();
    assert_eq!(head.archive_status, Some(ArchiveStatus::ArchiveAccess));
    assert!(!head.is_readable());
    expect_invalid_state(store, bucket, &k, "in the Archive Access tier").await;
    let with_days = RestoreRequest {
        tier: RestoreTier::Standard,
        days: Some(1),
    };
    match store.restore(bucket, &k, with_days).await {
        Err(StoreError::InvalidArgument(_)) => {}
        other => panic!("Days for an Intelligent-Tiering restore must be refused, got {other:?}"),
    }
    let request = RestoreRequest {
        tier: RestoreTier::Standard,
        days: None,
    };
    assert_eq!(
        store.restore(bucket, &k, request).await.unwrap(),
        RestoreOutcome::Started
    );
    time.advance(caps.standard_delay).await;
    let head = store.head(bucket, &k).await.unwrap();
    assert_eq!(
        head.archive_status, None,
        "restored objects leave the archive tier"
    );
    assert_eq!(head.restore, Some(RestoreState::Restored { expiry: None }));
    assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"tiering");
    store.delete(bucket, &k).await.unwrap();
}

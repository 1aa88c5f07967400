//! Archive classes and restores on moto. moto finishes restores at once unless its
//! state manager is told to report `ongoing-request="true"` for the next reads of a
//! restored key; these tests use that to see a restore run, be refused while running,
//! and be waited for by polling HeadObject, the way the download workflow waits.
//! The timing setting is global to the server, so these tests hold a lock.

use async_trait::async_trait;
use pam_aws::S3Store;
use pam_core::conformance::{self, ArchiveCaps, TimeTravel};
use pam_core::ports::store::{
    PhotoStore, PhotoStoreExt, RestoreOutcome, RestoreRequest, StoreError,
};
use pam_core::{BucketName, ObjectKey, RestoreState, RestoreTier, StorageClass};

use crate::helpers::{Moto, restore_timing_lock};

/// Reads moto counts as "time": HEAD every object in the bucket until none reports an
/// ongoing restore — the same polling the download workflow's CheckRestores does.
struct PollUntilRestored {
    store: S3Store,
    bucket: BucketName,
}

/// HEADs `key` until its restore is no longer ongoing; returns how many HEADs saw it
/// ongoing.
async fn wait_restored(store: &S3Store, bucket: &BucketName, key: &ObjectKey) -> u32 {
    let mut ongoing = 0;
    loop {
        let head = store.head(bucket, key).await.expect("head while waiting");
        if head.restore != Some(RestoreState::Ongoing) {
            return ongoing;
        }
        ongoing += 1;
        assert!(ongoing < 50, "restore of {key} never finished");
    }
}

#[async_trait]
impl TimeTravel for PollUntilRestored {
    async fn advance(&self, _by: chrono::Duration) {
        for object in self.store.list_all(&self.bucket, None).await.unwrap() {
            wait_restored(&self.store, &self.bucket, &object.key).await;
        }
    }
}

const MOTO_CAPS: ArchiveCaps = ArchiveCaps {
    expedited_delay: chrono::Duration::zero(),
    standard_delay: chrono::Duration::zero(),
    reports_ongoing: true,
    forces_it_archive: false,
    expiry_observable: false,
};

/// moto's "manual" progression count: a restore then reports ongoing for the next
/// few reads (3 reads at 5, measured with moto 5.2.5; at 8 the first reads already say
/// "restored", as the count starts at the key's creation), enough to see it refused while
/// it runs; the polling in `PollUntilRestored` does not depend on the number.
const ONGOING_READS: u32 = 5;

/// Puts moto's restore timing back to "immediate" however the test ends.
struct ResetTiming<'a>(&'a Moto);

impl Drop for ResetTiming<'_> {
    fn drop(&mut self) {
        let endpoint = self.0.endpoint.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let body =
                    r#"{"model_name":"s3::keyrestore","transition":{"progression":"immediate"}}"#;
                let url = format!("{endpoint}/moto-api/state-manager/set-transition");
                crate::helpers::http("POST", &url, body.as_bytes()).await;
            });
        })
        .join()
        .unwrap();
    }
}

#[tokio::test]
async fn conformance_archive_scenarios() {
    let moto = crate::moto!();
    let _serial = restore_timing_lock().lock().await;
    let _reset = ResetTiming(&moto);
    moto.set_restore_progression(Some(ONGOING_READS)).await;
    let store = moto.store();
    let bucket = moto.fresh_bucket().await;
    let time = PollUntilRestored {
        store: store.clone(),
        bucket: bucket.clone(),
    };
    conformance::glacier_restore_cycle(&store, &bucket, &time, MOTO_CAPS).await;
    conformance::deep_archive_refuses_expedited(&store, &bucket, &time, MOTO_CAPS).await;
    // moto does not emulate Intelligent-Tiering archive tiers: the scenario checks the
    // class change and the refusals it can (see `wire.rs` for the archive-tier requests).
    conformance::intelligent_tiering_archive(&store, &bucket, &time, MOTO_CAPS).await;
}

#[tokio::test]
async fn many_restores_are_waited_for_by_polling() {
    let moto = crate::moto!();
    let _serial = restore_timing_lock().lock().await;
    let _reset = ResetTiming(&moto);
    moto.set_restore_progression(Some(ONGOING_READS)).await;
    let store = moto.store();
    let bucket = moto.fresh_bucket().await;
    let mut keys = Vec::new();
    for i in 0..6 {
        let key = ObjectKey::parse(format!("photos/p{i}.jpg")).unwrap();
        store
            .put_bytes(&bucket, &key, format!("photo {i}").into_bytes())
            .await
            .unwrap();
        let class = if i % 2 == 0 {
            StorageClass::Glacier
        } else {
            StorageClass::DeepArchive
        };
        store.transition(&bucket, &key, class, None).await.unwrap();
        keys.push(key);
    }
    for key in &keys {
        let request = RestoreRequest {
            tier: RestoreTier::Bulk,
            days: Some(1),
        };
        assert_eq!(
            store.restore(&bucket, key, request).await.unwrap(),
            RestoreOutcome::Started
        );
    }
    for (i, key) in keys.iter().enumerate() {
        let seen_ongoing = wait_restored(&store, &bucket, key).await;
        assert!(seen_ongoing >= 1, "the restore of {key} was seen running");
        let head = store.head(&bucket, key).await.unwrap();
        assert!(
            matches!(
                head.restore,
                Some(RestoreState::Restored { expiry: Some(_) })
            ),
            "{:?}",
            head.restore
        );
        assert!(head.is_readable() && head.is_archived());
        assert_eq!(
            store.get_bytes(&bucket, key).await.unwrap(),
            format!("photo {i}").into_bytes()
        );
    }
}

#[tokio::test]
async fn restored_objects_can_be_moved_back_to_standard() {
    let moto = crate::moto!();
    let _serial = restore_timing_lock().lock().await;
    moto.set_restore_progression(None).await;
    let store = moto.store();
    let bucket = moto.fresh_bucket().await;
    let key = ObjectKey::parse("photos/back.jpg").unwrap();
    store
        .put_bytes(&bucket, &key, b"back".to_vec())
        .await
        .unwrap();
    store
        .transition(&bucket, &key, StorageClass::Glacier, None)
        .await
        .unwrap();
    let refused = store
        .transition(&bucket, &key, StorageClass::Standard, None)
        .await;
    assert!(
        matches!(refused, Err(StoreError::InvalidObjectState { .. })),
        "{refused:?}"
    );
    let request = RestoreRequest {
        tier: RestoreTier::Standard,
        days: Some(1),
    };
    store.restore(&bucket, &key, request).await.unwrap();
    let back = store
        .transition(&bucket, &key, StorageClass::Standard, None)
        .await
        .expect("a restored copy can be copied back to STANDARD");
    assert_eq!(back.storage_class, StorageClass::Standard);
    assert_eq!(
        back.restore, None,
        "a fresh STANDARD object has no restore state"
    );
    assert_eq!(store.get_bytes(&bucket, &key).await.unwrap(), b"back");
}

//! Runs every `pam_core::conformance` scenario against the local adapters, each on a
//! fresh tempdir, with a manual clock standing in for time.

use async_trait::async_trait;
use chrono::{Duration, TimeZone, Utc};
use pam_core::BucketName;
use pam_core::clock::ManualClock;
use pam_core::conformance::{self as c, ArchiveCaps, TimeTravel};
use pam_core::ports::{JobKeys, JobLog, LabelIndex};
use pam_local::{
    LocalStore, LocalStoreConfig, RestoreDelays, SqliteIndex, SqliteJobKeys, SqliteJobLog,
};
use std::sync::Arc;

struct Fixture {
    _dir: tempfile::TempDir,
    store: LocalStore,
    bucket: BucketName,
    clock: Arc<ManualClock>,
    scratch: std::path::PathBuf,
}

/// A small minimum part size keeps the multipart scenarios fast; the 5 MiB rule
/// itself is the same code path with a different number.
const TEST_MIN_PART: u64 = 64 * 1024;

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap(),
    ));
    let config = LocalStoreConfig {
        restore_delays: RestoreDelays::local_defaults(),
        min_part_size: TEST_MIN_PART,
        clock: clock.clone(),
    };
    let store = LocalStore::open(&dir.path().join("store"), config)
        .await
        .unwrap();
    let bucket = BucketName::parse("pam-photos").unwrap();
    store.create_bucket(&bucket).await.unwrap();
    let scratch = dir.path().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    Fixture {
        _dir: dir,
        store,
        bucket,
        clock,
        scratch,
    }
}

struct Clocked(Arc<ManualClock>);

#[async_trait]
impl TimeTravel for Clocked {
    async fn advance(&self, by: Duration) {
        self.0.advance(by);
    }
}

fn caps() -> ArchiveCaps {
    let d = RestoreDelays::local_defaults();
    ArchiveCaps {
        expedited_delay: d.flexible.expedited,
        standard_delay: d.deep.standard,
        reports_ongoing: true,
        forces_it_archive: true,
        expiry_observable: true,
    }
}

#[tokio::test]
async fn store_basic_operations() {
    let f = fixture().await;
    c::put_get_head_delete(&f.store, &f.bucket).await;
    c::conditional_put(&f.store, &f.bucket).await;
    c::put_streamed_sources(&f.store, &f.bucket, &f.scratch).await;
    c::list_paginates(&f.store, &f.bucket).await;
    c::tags_replace_and_merge(&f.store, &f.bucket).await;
}

#[tokio::test]
async fn store_multipart() {
    let f = fixture().await;
    c::multipart_round_trip(&f.store, &f.bucket, TEST_MIN_PART as usize, TEST_MIN_PART).await;
    c::multipart_rules(&f.store, &f.bucket, TEST_MIN_PART).await;
}

#[tokio::test]
async fn store_multipart_with_s3_part_size() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(dir.path(), LocalStoreConfig::default())
        .await
        .unwrap();
    let bucket = BucketName::parse("pam-work").unwrap();
    store.create_bucket(&bucket).await.unwrap();
    let min = pam_core::ports::store::MIN_PART_SIZE;
    c::multipart_round_trip(&store, &bucket, min as usize, min).await;
    c::multipart_rules(&store, &bucket, min).await;
}

#[tokio::test]
async fn store_archive_and_restore() {
    let f = fixture().await;
    let time = Clocked(f.clock.clone());
    c::glacier_restore_cycle(&f.store, &f.bucket, &time, caps()).await;
    c::deep_archive_refuses_expedited(&f.store, &f.bucket, &time, caps()).await;
    c::intelligent_tiering_archive(&f.store, &f.bucket, &time, caps()).await;
}

async fn index() -> (tempfile::TempDir, SqliteIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SqliteIndex::open(&dir.path().join("index.sqlite"))
        .await
        .unwrap();
    (dir, index)
}

#[tokio::test]
async fn index_scenarios() {
    let (_d, i) = index().await;
    c::record_photo_dedups(&i).await;
    let (_d, i) = index().await;
    c::index_labels_counts_once(&i).await;
    let (_d, i) = index().await;
    c::photos_matching_any_all(&i).await;
    let (_d, i) = index().await;
    c::quarantine_keeps_latest(&i).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn index_concurrent_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let mut handles: Vec<Arc<dyn LabelIndex>> = Vec::new();
    for _ in 0..4 {
        handles.push(Arc::new(SqliteIndex::open(&path).await.unwrap()));
    }
    c::index_labels_concurrently(&handles).await;
}

async fn job_log(dir: &tempfile::TempDir) -> SqliteJobLog {
    SqliteJobLog::open(&dir.path().join("jobs.sqlite"))
        .await
        .unwrap()
}

#[tokio::test]
async fn job_log_scenarios() {
    let d = tempfile::tempdir().unwrap();
    c::job_create_is_idempotent(&job_log(&d).await).await;
    let d = tempfile::tempdir().unwrap();
    c::job_update_rules(&job_log(&d).await).await;
    let d = tempfile::tempdir().unwrap();
    c::job_list_newest_first(&job_log(&d).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn job_log_concurrent_connections() {
    let d = tempfile::tempdir().unwrap();
    let mut handles: Vec<Arc<dyn JobLog>> = Vec::new();
    for _ in 0..4 {
        handles.push(Arc::new(job_log(&d).await));
    }
    c::job_updates_concurrently(&handles).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn job_keys_scenarios() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("keys.sqlite");
    let keys = SqliteJobKeys::open(&path).await.unwrap();
    c::keys_create_get_erase(&keys).await;
    let mut handles: Vec<Arc<dyn JobKeys>> = Vec::new();
    for _ in 0..4 {
        handles.push(Arc::new(SqliteJobKeys::open(&path).await.unwrap()));
    }
    c::keys_create_concurrently(&handles).await;
}

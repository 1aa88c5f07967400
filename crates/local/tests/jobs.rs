//! `SqliteJobLog` beyond the shared scenarios: records survive a reopen, `updated_at`
//! comes from the log's clock, and a row this version cannot read is a named error,
//! not a panic.

use chrono::{Duration, TimeZone, Utc};
use pam_core::clock::{Clock, ManualClock};
use pam_core::conformance::{job_epoch, job_record};
use pam_core::ports::JobLog;
use pam_core::ports::jobs::{JobError, JobStage, JobUpdate};
use pam_local::SqliteJobLog;
use std::sync::Arc;

#[tokio::test]
async fn records_survive_reopen_and_take_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 2, 1, 10, 0, 0).unwrap(),
    ));
    let r = job_record("durable-job", job_epoch());
    {
        let log = SqliteJobLog::open_with_clock(&path, clock.clone())
            .await
            .unwrap();
        log.create(&r).await.unwrap();
        clock.advance(Duration::seconds(42));
        let after = log
            .update(
                &r.job_id,
                JobUpdate {
                    stage: Some(JobStage::Resolving),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(after.updated_at, clock.now());
    }
    let log = SqliteJobLog::open(&path).await.unwrap();
    let back = log.get(&r.job_id).await.unwrap().unwrap();
    assert_eq!(back.stage, JobStage::Resolving);
    assert_eq!(back.created_at, r.created_at);
    assert_eq!(back.updated_at, clock.now());
}

#[tokio::test]
async fn unreadable_row_is_a_backend_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite");
    let log = SqliteJobLog::open(&path).await.unwrap();
    let r = job_record("mangled", job_epoch());
    log.create(&r).await.unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute("UPDATE jobs SET record = '{\"stage\":1}'", [])
            .unwrap();
    }
    let err = log.get(&r.job_id).await.unwrap_err();
    assert!(matches!(err, JobError::Backend { .. }), "{err:?}");
    assert!(err.to_string().contains("sqlite-jobs"), "{err}");
    let listed = log
        .list(pam_core::ports::index::PageRequest::first(10))
        .await;
    assert!(matches!(listed, Err(JobError::Backend { .. })));
}

//! Conformance scenarios for `JobLog`: idempotent create (conflict on a different
//! request), the update rules (forward only, final is final) applied atomically also
//! when several handles race, and newest-first paging. Each scenario expects an empty
//! job log of its own.

use crate::domain::{JobId, Label, MatchMode, RestoreTier};
use crate::ports::index::PageRequest;
use crate::ports::jobs::{
    BundleInfo, BundlePart, JobCounts, JobError, JobFailure, JobLog, JobRecord, JobStage, JobUpdate,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;

/// A fixed instant the scenarios count from (whole seconds, so any store keeps it exactly).
pub fn job_epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap()
}

/// A queued job `id` asking for "Mountain" at the Expedited tier, created at `created_at`.
pub fn job_record(id: &str, created_at: DateTime<Utc>) -> JobRecord {
    JobRecord {
        job_id: JobId::parse(id).unwrap(),
        labels: vec![Label::parse("Mountain").unwrap()],
        match_mode: MatchMode::Any,
        tier: RestoreTier::Expedited,
        notify_kind: "email".into(),
        stage: JobStage::Queued,
        counts: JobCounts::default(),
        bundle: None,
        error: None,
        created_at,
        updated_at: created_at,
    }
}

fn stage(stage: JobStage) -> JobUpdate {
    JobUpdate {
        stage: Some(stage),
        ..Default::default()
    }
}

/// `get` of an unknown job is `None`; `create` is idempotent for the same request and
/// `Conflict` for a different one; a repeated create does not reset a job's progress.
pub async fn job_create_is_idempotent(log: &dyn JobLog) {
    let r = job_record("conf-create", job_epoch());
    assert!(log.get(&r.job_id).await.unwrap().is_none(), "unknown job");
    log.create(&r).await.expect("create");
    assert_eq!(log.get(&r.job_id).await.unwrap().as_ref(), Some(&r));

    log.update(&r.job_id, stage(JobStage::Restoring))
        .await
        .expect("update");
    let mut retried = r.clone();
    retried.created_at = job_epoch() + Duration::seconds(5);
    log.create(&retried)
        .await
        .expect("a retried create of the same request is Ok");
    let now = log.get(&r.job_id).await.unwrap().unwrap();
    assert_eq!(
        now.stage,
        JobStage::Restoring,
        "a repeated create must not reset the job"
    );
    assert_eq!(
        now.created_at, r.created_at,
        "the first create's time stays"
    );

    let mut other_labels = r.clone();
    other_labels.labels = vec![Label::parse("Beach").unwrap()];
    let mut other_tier = r.clone();
    other_tier.tier = RestoreTier::Bulk;
    let mut other_match = r.clone();
    other_match.match_mode = MatchMode::All;
    let mut other_kind = r.clone();
    other_kind.notify_kind = "phone".into();
    for (what, other) in [
        ("labels", other_labels),
        ("tier", other_tier),
        ("match", other_match),
        ("notify kind", other_kind),
    ] {
        match log.create(&other).await {
            Err(JobError::Conflict(id)) => assert_eq!(id, r.job_id),
            got => panic!("create with different {what} must be Conflict, got {got:?}"),
        }
    }
}

/// Stages only move forward, `Failed` can come from any stage, final stages are final
/// (and freeze the other fields), counts are replaced, `update` returns what `get` sees,
/// and an unknown job is `NotFound`.
pub async fn job_update_rules(log: &dyn JobLog) {
    let unknown = JobId::parse("conf-no-such-job").unwrap();
    match log.update(&unknown, stage(JobStage::Resolving)).await {
        Err(JobError::NotFound(id)) => assert_eq!(id, unknown),
        got => panic!("update of an unknown job must be NotFound, got {got:?}"),
    }

    let r = job_record("conf-update", job_epoch());
    log.create(&r).await.unwrap();
    let after = log
        .update(&r.job_id, stage(JobStage::Bundling))
        .await
        .unwrap();
    assert_eq!(after.stage, JobStage::Bundling);
    let back = log
        .update(&r.job_id, stage(JobStage::Restoring))
        .await
        .unwrap();
    assert_eq!(
        back.stage,
        JobStage::Bundling,
        "a stage never moves backwards"
    );

    let counts = JobCounts {
        matched: 12,
        archived: 5,
        restored: 5,
        zipped: 7,
    };
    let bundle = BundleInfo {
        size: 123_456,
        parts: vec![BundlePart {
            key: "bundles/conf-update/pam-conf-update.zip".into(),
            size: 123_456,
            url: Some("http://127.0.0.1:8080/links/working/bundles/x.zip?X-Pam-Expires=1".into()),
        }],
        expires_at: Some(job_epoch() + Duration::days(1)),
    };
    let ready = log
        .update(
            &r.job_id,
            JobUpdate {
                stage: Some(JobStage::Ready),
                counts: Some(counts),
                bundle: Some(bundle.clone()),
                error: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (ready.stage, ready.counts, ready.bundle.as_ref()),
        (JobStage::Ready, counts, Some(&bundle))
    );
    assert_eq!(log.get(&r.job_id).await.unwrap().as_ref(), Some(&ready));
    assert_eq!(ready.labels, r.labels, "untouched fields stay");

    let frozen = log
        .update(
            &r.job_id,
            JobUpdate {
                stage: Some(JobStage::Failed),
                counts: Some(JobCounts::default()),
                error: Some(JobFailure {
                    code: "Pam.Late".into(),
                    message: "too late".into(),
                }),
                bundle: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(frozen, ready, "a Ready job is final: nothing changes");

    let f = job_record("conf-update-fail", job_epoch());
    log.create(&f).await.unwrap();
    log.update(&f.job_id, stage(JobStage::Restoring))
        .await
        .unwrap();
    let failure = JobFailure {
        code: "Pam.RestoreTimeout".into(),
        message: "restores did not finish in time".into(),
    };
    let failed = log
        .update(
            &f.job_id,
            JobUpdate {
                stage: Some(JobStage::Failed),
                error: Some(failure.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (failed.stage, failed.error.as_ref()),
        (JobStage::Failed, Some(&failure))
    );
    let late = log.update(&f.job_id, stage(JobStage::Ready)).await.unwrap();
    assert_eq!(late.stage, JobStage::Failed, "Failed is final");
}

/// `list` pages newest first (ties broken consistently) with opaque tokens, every job
/// exactly once; a bad token or page size is `InvalidArgument`.
pub async fn job_list_newest_first(log: &dyn JobLog) {
    let empty = log.list(PageRequest::first(10)).await.unwrap();
    assert!(empty.items.is_empty() && empty.next.is_none(), "empty log");

    let mut made = Vec::new();
    for i in 0..7 {
        // Two jobs share a creation time: the order must still be total.
        let at = job_epoch() + Duration::minutes(i.min(5));
        let r = job_record(&format!("conf-list-{i}"), at);
        log.create(&r).await.unwrap();
        made.push(r);
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    let mut pages = 0;
    loop {
        let got = log.list(page.clone()).await.unwrap();
        assert!(got.items.len() <= 3, "page larger than asked");
        pages += 1;
        seen.extend(got.items);
        match got.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(seen.len(), made.len(), "every job exactly once: {seen:#?}");
    for pair in seen.windows(2) {
        assert!(
            pair[0].created_at >= pair[1].created_at,
            "newest first: {} before {}",
            pair[0].job_id,
            pair[1].job_id
        );
    }
    let mut ids: Vec<_> = seen.iter().map(|r| r.job_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), made.len(), "no job twice");
    assert_eq!(seen[0].job_id.as_str(), "conf-list-6");

    for bad in [PageRequest::first(0), PageRequest::first(1001)] {
        assert!(
            matches!(log.list(bad).await, Err(JobError::InvalidArgument(_))),
            "page size outside 1..=1000"
        );
    }
    let forged = PageRequest {
        after: Some("not a token".into()),
        limit: 3,
    };
    assert!(
        matches!(log.list(forged).await, Err(JobError::InvalidArgument(_))),
        "a token the log did not issue"
    );
}

/// Several handles (connections, processes, clients) create the same job at once and
/// race stage updates: every create is `Ok`, and no update is lost — the job ends at the
/// furthest stage any of them reached.
pub async fn job_updates_concurrently(handles: &[Arc<dyn JobLog>]) {
    assert!(!handles.is_empty());
    let r = job_record("conf-race", job_epoch());
    let mut tasks = tokio::task::JoinSet::new();
    for h in handles {
        let (h, r) = (h.clone(), r.clone());
        tasks.spawn(async move { h.create(&r).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().expect("concurrent create of the same job");
    }
    let stages = [
        JobStage::Resolving,
        JobStage::Restoring,
        JobStage::Bundling,
        JobStage::Notifying,
    ];
    for i in 0..40usize {
        let h = handles[i % handles.len()].clone();
        let (id, s) = (r.job_id.clone(), stages[(i * 7) % stages.len()]);
        tasks.spawn(async move { h.update(&id, stage(s)).await.map(|_| ()) });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().expect("concurrent update");
    }
    let end = handles[0].get(&r.job_id).await.unwrap().unwrap();
    assert_eq!(
        end.stage,
        JobStage::Notifying,
        "an update was lost: a stale read overwrote a later stage"
    );
}

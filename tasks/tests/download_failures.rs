//! The download steps when things go wrong: bad inputs name the problem, an empty
//! match fails clearly and tells the person, a crash or failure in the middle of
//! BuildBundle leaves no visible bundle and a rerun succeeds, and CloseChannel tears
//! down even without a channel.

mod download_common;

use download_common::faulty::{Faulty, faulty, with_store};
use download_common::*;
use pam_core::ports::jobs::JobStage;
use pam_core::ports::store::PhotoStoreExt;
use pam_core::{JobId, MatchMode, RestoreTier, StorageClass};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

fn cats(n: u32) -> Vec<Photo> {
    (0..n)
        .map(|i| {
            photo(
                &format!("cat{i}.jpg"),
                200 + i,
                &["Cat"],
                StorageClass::Standard,
            )
        })
        .collect()
}

async fn resolved(w: &World, job: &str) -> Value {
    let req = w.request(&["Cat"], MatchMode::Any, RestoreTier::Standard);
    w.prepare(job, &req).await;
    w.invoke(
        "ResolveManifest",
        json!({"job_id": job, "labels": ["Cat"], "match": "any"}),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn bad_inputs_name_the_problem() {
    let mut w = World::new(|_| {}).await;
    w.import(&cats(1)).await;
    let req = w.request(&["Cat"], MatchMode::Any, RestoreTier::Standard);
    let input = w.prepare("job-bad", &req).await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("Nope", json!({}), "Pam.InvalidInput", "Nope"),
        (
            "ResolveManifest",
            json!({"job_id": "job-bad", "match": "any"}),
            "Pam.InvalidInput",
            "labels",
        ),
        (
            "ResolveManifest",
            json!({"job_id": "job bad", "labels": ["Cat"], "match": "any"}),
            "Pam.InvalidInput",
            "job id",
        ),
        (
            "ResolveManifest",
            json!({"job_id": "job-bad", "labels": ["Cat"], "match": "some"}),
            "Pam.InvalidInput",
            "some",
        ),
        (
            "ResolveManifest",
            json!({"job_id": "nobody", "labels": ["Cat"], "match": "any"}),
            "Pam.NotFound",
            "nobody",
        ),
        (
            "StartRestores",
            json!({"job_id": "job-bad", "manifest": {"bucket": "working", "key": "manifests/job-bad.jsonl", "photos": 1, "bytes": 1, "archived": 0}, "tier": "Fast"}),
            "Pam.InvalidInput",
            "Fast",
        ),
        (
            "CheckRestores",
            json!({"job_id": "job-bad", "manifest": {"bucket": "working", "key": "manifests/job-bad.jsonl", "photos": 1, "bytes": 1, "archived": 0}, "restore": {}}),
            "Pam.NotFound",
            "manifests/job-bad.jsonl",
        ),
        (
            "Presign",
            json!({"job_id": "job-bad", "bundle": {"bucket": "working", "parts": [{"key": "bundles/x.zip", "size": 1}], "size": 1, "photos": 1}, "expires_in_seconds": 604_801}),
            "Pam.InvalidInput",
            "expires_in_seconds",
        ),
        (
            "Notify",
            json!({"job_id": "job-bad", "channel": {"channel_id": "c"}, "outcome": "ready"}),
            "Pam.InvalidInput",
            "link",
        ),
        (
            "Notify",
            json!({"job_id": "job-bad", "outcome": "maybe"}),
            "Pam.InvalidInput",
            "maybe",
        ),
        (
            "OpenChannel",
            json!({"job_id": "job-bad", "notify": {"kind": "email", "sealed": "AAAA"}}),
            "Pam.InvalidInput",
            "notify",
        ),
    ];
    for (step, input, name, mentions) in cases {
        let err = w.invoke(step, input).await.unwrap_err();
        assert_eq!(err.error_name(), name, "{step}: {err}");
        assert!(
            err.to_string().contains(mentions),
            "{step}: {err} should mention {mentions}"
        );
    }
    // A sealed address moved to another job does not open, and says nothing of it.
    let other = w.prepare("job-other", &req).await;
    let err = w
        .invoke(
            "OpenChannel",
            json!({"job_id": "job-bad", "notify": other["notify"]}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.error_name(), "Pam.InvalidInput");
    assert!(!err.to_string().contains(ADDRESS));
    assert!(
        w.invoke(
            "OpenChannel",
            json!({"job_id": "job-bad", "notify": input["notify"]})
        )
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn an_empty_match_fails_clearly_and_the_person_is_told() {
    let mut w = World::new(|_| {}).await;
    w.import(&cats(2)).await;
    let req = w.request(&["Cat", "Unicorn"], MatchMode::All, RestoreTier::Standard);
    let input = w.prepare("job-none", &req).await;
    let channel = w
        .invoke(
            "OpenChannel",
            json!({"job_id": "job-none", "notify": input["notify"]}),
        )
        .await
        .unwrap();
    let err = w
        .invoke(
            "ResolveManifest",
            json!({"job_id": "job-none", "labels": ["Cat", "Unicorn"], "match": "all"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.error_name(), "Pam.NoPhotos");
    assert!(
        err.to_string().contains("all of the labels Cat, Unicorn"),
        "{err}"
    );
    assert!(
        w.store
            .list_all(&w.working, Some("manifests/"))
            .await
            .unwrap()
            .is_empty()
    );
    // NotifyFailure, then CloseChannel with the whole state.
    let failure = json!({"Error": err.error_name(), "Cause": err.to_string()});
    let state = json!({"job_id": "job-none", "channel": channel, "failure": failure});
    let n = w
        .invoke("Notify", json!({"job_id": "job-none", "channel": state["channel"], "outcome": "failed", "failure": failure}))
        .await
        .unwrap();
    assert_eq!(n["sent"], true);
    let outbox = w.outbox();
    assert_eq!(outbox.len(), 1);
    assert!(
        outbox[0].contains("No photo carries the labels you chose"),
        "{}",
        outbox[0]
    );
    assert!(outbox[0].contains("Pam.NoPhotos"));
    let closed = w.invoke("CloseChannel", state).await.unwrap();
    assert_eq!(closed["stage"], "failed");
    let record = w
        .steps
        .jobs
        .get(&JobId::parse("job-none").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.stage, JobStage::Failed);
    assert_eq!(record.error.unwrap().code, "Pam.NoPhotos");
    assert!(w.files_containing(ADDRESS).is_empty());
}

#[tokio::test]
async fn close_channel_without_a_channel_still_erases_the_key_and_records_the_failure() {
    let w = World::new(|_| {}).await;
    let req = w.request(&["Cat"], MatchMode::Any, RestoreTier::Standard);
    let input = w.prepare("job-noch", &req).await;
    let state = json!({"job_id": "job-noch", "notify": input["notify"], "failure": {"Error": "Pam.AddressRefused", "Cause": "refused"}});
    let closed = w.invoke("CloseChannel", state.clone()).await.unwrap();
    assert_eq!(closed, json!({"closed": false, "stage": "failed"}));
    assert!(w.invoke("CloseChannel", state).await.is_ok(), "idempotent");
    let err = w
        .invoke(
            "OpenChannel",
            json!({"job_id": "job-noch", "notify": input["notify"]}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.error_name(), "Pam.KeyErased");
}

async fn assert_rerun_builds_the_whole_bundle(w: &World, job: &str, manifest: &Value) {
    let built = w
        .invoke("BuildBundle", json!({"job_id": job, "manifest": manifest}))
        .await
        .unwrap();
    let key = built["parts"][0]["key"].as_str().unwrap().to_owned();
    let entries = zip_entries(&w.working_object(&key).await);
    assert_eq!(entries.len(), w.originals.len() + 1);
    for (name, bytes) in w.originals.values() {
        assert_eq!(&entries[name], bytes, "{name}");
    }
}

#[tokio::test]
async fn a_failure_mid_bundle_leaves_nothing_visible_and_a_rerun_succeeds() {
    let mut w = World::new(|_| {}).await;
    w.import(&cats(6)).await;
    let manifest = resolved(&w, "job-fail").await;
    let fourth = w.originals.keys().nth(3).unwrap().clone();
    let broken = with_store(
        &w,
        Faulty {
            fail_get: Some(fourth),
            ..faulty(&w)
        },
    );
    let err = broken
        .invoke(
            "BuildBundle",
            json!({"job_id": "job-fail", "manifest": manifest}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.error_name(), "Pam.Transient", "{err}");
    assert!(
        w.bundle_keys().await.is_empty(),
        "{:?}",
        w.bundle_keys().await
    );
    // A failure at the very end (completing the upload) is as invisible.
    let at_end = faulty(&w);
    at_end.fail_complete.store(true, Ordering::SeqCst);
    let end = with_store(&w, at_end)
        .invoke(
            "BuildBundle",
            json!({"job_id": "job-fail", "manifest": manifest}),
        )
        .await
        .unwrap_err();
    assert_eq!(end.error_name(), "Pam.Transient", "{end}");
    assert!(
        w.bundle_keys().await.is_empty(),
        "{:?}",
        w.bundle_keys().await
    );
    assert_rerun_builds_the_whole_bundle(&w, "job-fail", &manifest).await;
}

#[tokio::test]
async fn a_crash_mid_bundle_leaves_nothing_visible_and_a_rerun_succeeds() {
    let mut w = World::new(|_| {}).await;
    w.import(&cats(6)).await;
    let manifest = resolved(&w, "job-crash").await;
    let fifth = w.originals.keys().nth(4).unwrap().clone();
    let hanging = with_store(
        &w,
        Faulty {
            hang_get: Some(fifth),
            ..faulty(&w)
        },
    );
    // The process "dies" while the fifth photo is read: the future is dropped.
    let run = hanging.invoke(
        "BuildBundle",
        json!({"job_id": "job-crash", "manifest": manifest}),
    );
    let timed_out = tokio::time::timeout(std::time::Duration::from_millis(500), run).await;
    assert!(timed_out.is_err(), "the build should have hung");
    assert!(
        w.bundle_keys().await.is_empty(),
        "{:?}",
        w.bundle_keys().await
    );
    let record = w
        .steps
        .jobs
        .get(&JobId::parse("job-crash").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.stage, JobStage::Bundling);
    assert_rerun_builds_the_whole_bundle(&w, "job-crash", &manifest).await;
}

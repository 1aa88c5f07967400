//! The download steps on real local adapters and real (small) JPEGs, called by name
//! as the state machine calls them: the whole sequence, the restore loop on a manual
//! clock, the Expedited fallback for deep archives, retries of every step, bundles
//! split into parts, and the address never appearing anywhere.

mod download_common;

use download_common::*;
use pam_core::ports::jobs::JobStage;
use pam_core::{JobId, MatchMode, RestoreTier, StorageClass};
use serde_json::{Value, json};

fn library() -> Vec<Photo> {
    vec![
        photo("beach.jpg", 1, &["Beach", "Sea"], StorageClass::Glacier),
        photo("Beach.JPG", 2, &["Beach"], StorageClass::Glacier),
        photo("mountain.jpg", 3, &["Mountain"], StorageClass::Glacier),
        photo("dune.jpg", 4, &["Beach", "Desert"], StorageClass::Standard),
        photo(
            "Café du port.jpg",
            5,
            &["Sea", "Harbour; old"],
            StorageClass::DeepArchive,
        ),
    ]
}

#[tokio::test]
async fn the_whole_sequence_gives_a_byte_identical_bundle_and_never_the_address() {
    let logs = LogCapture::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let mut w = World::new(|_| {}).await;
    w.import(&library()).await;
    let req = w.request(&["Beach", "Sea"], MatchMode::Any, RestoreTier::Expedited);
    let input = w.prepare("job-1", &req).await;
    assert!(!input.to_string().contains(ADDRESS));
    let state = w.run(input).await;

    // 4 photos match (mountain does not); 3 archived, one of them deep.
    assert_eq!(state["manifest"]["photos"], 4);
    assert_eq!(state["manifest"]["archived"], 3);
    assert_eq!(state["restore"]["fallbacks"], 1);
    assert_eq!(state["restore"]["tier"], "Standard");
    assert!(
        state["restore"]["note"]
            .as_str()
            .unwrap()
            .contains("Standard")
    );
    assert_eq!(state["bundle"]["photos"], 4);
    assert_eq!(state["notified"]["sent"], true);

    let parts = state["bundle"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["key"], "bundles/job-1/pam-job-1.zip");
    let zip = w.working_object("bundles/job-1/pam-job-1.zip").await;
    let entries = zip_entries(&zip);
    assert_eq!(
        entries.len(),
        5,
        "4 photos + manifest.csv: {:?}",
        entries.keys()
    );
    // Names from the original file names, made unique case-insensitively.
    for (entry, original) in [
        ("beach.jpg", "beach.jpg"),
        ("Beach (2).JPG", "Beach.JPG"),
        ("dune.jpg", "dune.jpg"),
        ("Café du port.jpg", "Café du port.jpg"),
    ] {
        let bytes = &w.originals.values().find(|(n, _)| n == original).unwrap().1;
        assert_eq!(&entries[entry], bytes, "{entry}");
    }
    let csv = String::from_utf8(entries["manifest.csv"].clone()).unwrap();
    assert!(csv.contains("Harbour, old"), "{csv}");
    assert!(csv.contains("beach.jpg"), "{csv}");
    let path = w.dir.path().join("bundle.zip");
    std::fs::write(&path, &zip).unwrap();
    if let Some(py) = python_entries(&path) {
        assert_eq!(py, entries);
    }

    // The job log: ready, counts, links.
    let job = JobId::parse("job-1").unwrap();
    let record = w.steps.jobs.get(&job).await.unwrap().unwrap();
    assert_eq!(record.stage, JobStage::Ready);
    assert_eq!(record.counts.matched, 4);
    assert_eq!(record.counts.archived, 3);
    assert_eq!(record.counts.restored, 3);
    assert_eq!(record.counts.zipped, 4);
    let bundle = record.bundle.unwrap();
    assert_eq!(bundle.parts.len(), 1);
    let url = bundle.parts[0].url.clone().unwrap();
    assert!(
        url.contains("/links/working/bundles/job-1/pam-job-1.zip"),
        "{url}"
    );
    assert_eq!(
        bundle.expires_at.unwrap(),
        start_time() + chrono::Duration::seconds(24 * 3600) + elapsed(&w)
    );

    // One message, the link on a line of its own, the count, no address.
    let outbox = w.outbox();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert!(outbox[0].lines().any(|l| l.trim() == url), "{}", outbox[0]);
    assert!(outbox[0].contains("4 photo(s)"));
    assert!(!outbox[0].contains(ADDRESS));

    // The key is erased: the sealed address in the execution input is dead.
    let reopen = w
        .invoke(
            "OpenChannel",
            json!({"job_id": "job-1", "notify": state["notify"]}),
        )
        .await;
    assert_eq!(reopen.unwrap_err().error_name(), "Pam.KeyErased");

    // The address is nowhere: outputs, job log, files, logs.
    assert!(!state.to_string().contains(ADDRESS));
    assert!(
        w.files_containing(ADDRESS).is_empty(),
        "{:?}",
        w.files_containing(ADDRESS)
    );
    assert!(w.files_containing("zelda").is_empty());
    let logged = logs.text();
    assert!(logged.contains("job-1"), "spans carry the job id");
    assert!(
        !logged.contains(ADDRESS) && !logged.contains("zelda"),
        "{logged}"
    );
}

fn elapsed(w: &World) -> chrono::Duration {
    use pam_core::clock::Clock;
    w.clock.now() - start_time()
}

#[tokio::test]
async fn the_restore_loop_waits_for_archived_photos_and_bounds_its_rounds() {
    let mut w = World::new(|c| c.restore_page_size = 2).await;
    w.import(&library()).await;
    let req = w.request(&["Beach"], MatchMode::Any, RestoreTier::Expedited);
    let input = w.prepare("job-loop", &req).await;
    let manifest = w
        .invoke(
            "ResolveManifest",
            json!({"job_id": "job-loop", "labels": ["Beach"], "match": "any"}),
        )
        .await
        .unwrap();
    assert_eq!(manifest["photos"], 3);
    assert_eq!(manifest["archived"], 2);
    assert_eq!(manifest["key"], "manifests/job-loop.jsonl");
    // Pages of two restores: both archived photos are on the first page, the second
    // page only finds the hot one and ends the paging.
    let start = |restore: Value| {
        let input = json!({"job_id": "job-loop", "manifest": manifest.clone(), "tier": input["tier"].clone(), "restore": restore});
        w.invoke("StartRestores", input)
    };
    let page1 = start(json!({"cursor": null})).await.unwrap();
    assert!(page1["cursor"].is_u64(), "{page1}");
    let page2 = start(page1.clone()).await.unwrap();
    assert!(page2["cursor"].is_null(), "{page2}");
    assert_eq!(page2["pending"], 2);
    assert_eq!(page2["started"], 2);
    assert_eq!(page2["tier"], "Expedited");
    assert_eq!(page2["poll_seconds"], 2);
    let rounds = page2["rounds_left"].as_u64().unwrap();
    assert_eq!(rounds, 300);
    // Retrying a page counts the same and starts nothing new.
    let again = start(page1.clone()).await.unwrap();
    assert_eq!(again, page2.clone());
    let first_again = start(json!({"cursor": null})).await.unwrap();
    assert_eq!(first_again["started"], 0);
    assert_eq!(first_again["pending"], 2);

    let check = |restore: Value| {
        w.invoke(
            "CheckRestores",
            json!({"job_id": "job-loop", "manifest": manifest.clone(), "restore": restore}),
        )
    };
    // Before the Expedited delay (2 s locally): still pending.
    let round1 = check(page2.clone()).await.unwrap();
    assert_eq!(round1["pending"], 2);
    assert_eq!(round1["rounds_left"].as_u64().unwrap(), rounds - 1);
    let job = JobId::parse("job-loop").unwrap();
    let record = w.steps.jobs.get(&job).await.unwrap().unwrap();
    assert_eq!(record.stage, JobStage::Restoring);
    assert_eq!(record.counts.restored, 0);
    w.clock.advance(chrono::Duration::seconds(3));
    let round2 = check(round1).await.unwrap();
    assert_eq!(round2["pending"], 0);
    assert_eq!(round2["restored"], 2);
    assert_eq!(round2["rounds_left"].as_u64().unwrap(), rounds - 2);
    let record = w.steps.jobs.get(&job).await.unwrap().unwrap();
    assert_eq!(record.counts.restored, 2);
    assert_eq!(record.counts.archived, 2);
    // The bound: rounds_left never goes below zero.
    let mut last = round2;
    last["rounds_left"] = json!(0);
    assert_eq!(check(last).await.unwrap()["rounds_left"], 0);
}

#[tokio::test]
async fn an_expired_restored_copy_is_asked_again_and_bundling_an_archived_photo_is_named() {
    let mut w = World::new(|c| c.restore_days = 1).await;
    w.import(&[photo("a.jpg", 9, &["Dog"], StorageClass::Glacier)])
        .await;
    let req = w.request(&["Dog"], MatchMode::All, RestoreTier::Bulk);
    w.prepare("job-exp", &req).await;
    let manifest = w
        .invoke(
            "ResolveManifest",
            json!({"job_id": "job-exp", "labels": ["Dog"], "match": "all"}),
        )
        .await
        .unwrap();
    // Bundling before the restore finished: a clear, named error, and nothing visible.
    let early = w
        .invoke(
            "BuildBundle",
            json!({"job_id": "job-exp", "manifest": manifest}),
        )
        .await;
    let err = early.unwrap_err();
    assert_eq!(err.error_name(), "Pam.ObjectArchived", "{err}");
    assert!(err.to_string().contains("photos/0000-a.jpg"), "{err}");
    assert!(w.bundle_keys().await.is_empty());

    let restore = w
        .invoke("StartRestores", json!({"job_id": "job-exp", "manifest": manifest, "tier": "Bulk", "restore": {"cursor": null}}))
        .await
        .unwrap();
    assert_eq!(restore["poll_seconds"], 15);
    w.clock.advance(chrono::Duration::seconds(60));
    let done = w
        .invoke(
            "CheckRestores",
            json!({"job_id": "job-exp", "manifest": manifest, "restore": restore}),
        )
        .await
        .unwrap();
    assert_eq!(done["pending"], 0);
    // Two days later the restored copy is gone: the next round asks again.
    w.clock.advance(chrono::Duration::days(2));
    let again = w
        .invoke(
            "CheckRestores",
            json!({"job_id": "job-exp", "manifest": manifest, "restore": done}),
        )
        .await
        .unwrap();
    assert_eq!(again["pending"], 1, "{again}");
}

#[tokio::test]
async fn every_step_twice_gives_the_same_result_and_no_duplicates() {
    let mut w = World::new(|_| {}).await;
    w.import(&library()).await;
    let req = w.request(&["Sea"], MatchMode::Any, RestoreTier::Standard);
    let input = w.prepare("job-2", &req).await;
    // prepare is idempotent: the same input, sealed the same way.
    assert_eq!(w.prepare("job-2", &req).await, input);
    let state = w.run(input.clone()).await;
    let ids = |s: &Value| s["channel"]["channel_id"].clone();
    // Bundle: a rerun finds the completed bundle (same parts, nothing rewritten).
    let before = w.bundle_keys().await;
    let again = w
        .invoke(
            "BuildBundle",
            json!({"job_id": "job-2", "manifest": state["manifest"]}),
        )
        .await
        .unwrap();
    assert_eq!(again, state["bundle"]);
    assert_eq!(w.bundle_keys().await, before);
    assert_eq!(
        before.iter().filter(|k| k.ends_with(".zip")).count(),
        1,
        "{before:?}"
    );
    // Manifest: rewritten identically.
    let manifest_bytes = w.working_object("manifests/job-2.jsonl").await;
    let m2 = w
        .invoke(
            "ResolveManifest",
            json!({"job_id": "job-2", "labels": ["Sea"], "match": "any"}),
        )
        .await
        .unwrap();
    assert_eq!(m2, state["manifest"]);
    assert_eq!(
        w.working_object("manifests/job-2.jsonl").await,
        manifest_bytes
    );
    // Notify again: the job log says it was sent; no second message.
    let n2 = w
        .invoke("Notify", json!({"job_id": "job-2", "channel": state["channel"], "outcome": "ready", "link": state["link"]}))
        .await
        .unwrap();
    assert_eq!(n2["sent"], false);
    assert_eq!(w.outbox().len(), 1);
    // Close again: fine, stage stays ready.
    let c2 = w.invoke("CloseChannel", state.clone()).await.unwrap();
    assert_eq!(c2["stage"], "ready");
    assert!(ids(&state).is_string());
    // Presign again: fresh links, same parts.
    let p2 = w
        .invoke(
            "Presign",
            json!({"job_id": "job-2", "bundle": state["bundle"], "expires_in_seconds": 3600}),
        )
        .await
        .unwrap();
    assert_eq!(p2["links"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_large_bundle_is_split_into_numbered_parts_holding_every_photo_once() {
    let mut w = World::new(|c| c.max_bundle_part_size = Some(12_000)).await;
    let photos: Vec<Photo> = (0..8)
        .map(|i| {
            photo(
                &format!("p{i}.jpg"),
                100 + i,
                &["Cat"],
                StorageClass::Standard,
            )
        })
        .collect();
    w.import(&photos).await;
    let req = w.request(&["Cat"], MatchMode::Any, RestoreTier::Standard);
    let input = w.prepare("job-split", &req).await;
    let state = w.run(input).await;
    let parts = state["bundle"]["parts"].as_array().unwrap();
    assert!(parts.len() > 1, "{parts:?}");
    let mut seen = std::collections::BTreeMap::new();
    for (i, part) in parts.iter().enumerate() {
        let key = part["key"].as_str().unwrap();
        assert_eq!(
            key,
            format!("bundles/job-split/pam-job-split-part{}.zip", i + 1)
        );
        let zip = w.working_object(key).await;
        assert_eq!(zip.len() as u64, part["size"].as_u64().unwrap());
        for (name, bytes) in zip_entries(&zip) {
            if name != "manifest.csv" {
                assert!(seen.insert(name, bytes).is_none());
            }
        }
    }
    assert_eq!(seen.len(), 8);
    for (name, bytes) in w.originals.values() {
        assert_eq!(&seen[name], bytes);
    }
    let links = state["link"]["links"].as_array().unwrap();
    assert_eq!(links.len(), parts.len());
    let message = &w.outbox()[0];
    for l in links {
        assert!(
            message
                .lines()
                .any(|line| line.trim() == l["url"].as_str().unwrap())
        );
    }
}

/// Collects formatted log lines.
#[derive(Clone, Default)]
struct LogCapture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl LogCapture {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        let sink = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

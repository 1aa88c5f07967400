//! The labelling steps under at-least-once delivery: every object-created event from
//! the local outbox is run through DetectLabels → IndexLabels → Archive (Catch →
//! Quarantine) three times, concurrently, and each label's count must equal the number
//! of distinct photos carrying it. A tiny deterministic labeler stands in for the model.

use async_trait::async_trait;
use pam_core::clock::SystemClock;
use pam_core::ports::index::PageRequest;
use pam_core::ports::labeler::{
    DetectLabelsOutput, DetectLabelsRequest, DetectedLabel, LabelParent,
};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, PutOptions, PutSource, StoreError};
use pam_core::ports::{LabelIndex, Labeler, LabelerError};
use pam_core::{BucketName, Label, ObjectKey, Sha256, StorageClass};
use pam_local::{LabellingRule, LocalStore, LocalStoreConfig, SqliteIndex};
use pam_tasks::LabellingSteps;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Labels decided by the bytes' SHA-256: one of three scenes, its parent, and "Photo".
fn labels_for(bytes: &[u8]) -> Vec<(&'static str, Option<&'static str>)> {
    let scene = match Sha256::of(bytes).as_str().as_bytes()[0] % 3 {
        0 => ("Mountain", Some("Nature")),
        1 => ("Beach", Some("Nature")),
        _ => ("Castle", Some("Building")),
    };
    vec![("Photo", None), scene, (scene.1.unwrap(), None)]
}

#[derive(Debug)]
struct TestLabeler(LocalStore);

#[async_trait]
impl Labeler for TestLabeler {
    async fn detect_labels(
        &self,
        request: &DetectLabelsRequest,
    ) -> Result<DetectLabelsOutput, LabelerError> {
        let bytes = self
            .0
            .get_bytes(&request.bucket, &request.key)
            .await
            .map_err(|e| match e {
                StoreError::InvalidObjectState { reason, .. } => {
                    LabelerError::InvalidObjectState(reason)
                }
                other => LabelerError::Backend(Box::new(other)),
            })?;
        if pam_tasks::jpeg::check_jpeg(&bytes).is_err() {
            return Err(LabelerError::InvalidImage("not a JPEG".into()));
        }
        let labels = labels_for(&bytes)
            .into_iter()
            .map(|(name, parent)| DetectedLabel {
                name: Label::parse(name).unwrap(),
                confidence: 90.0,
                parents: parent
                    .map(|p| LabelParent {
                        name: Label::parse(p).unwrap(),
                    })
                    .into_iter()
                    .collect(),
            })
            .collect();
        Ok(DetectLabelsOutput {
            labels,
            label_model_version: "test-1".into(),
        })
    }
}

fn jpeg(seed: u8) -> Vec<u8> {
    let (w, h) = (16u16, 12u16);
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h) * 3)
        .map(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed))
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// The state machine's flow, as the ASL expresses it: the three steps, Catch → Quarantine.
async fn run_labelling(steps: &LabellingSteps, bucket: &str, key: &str) -> String {
    let input = json!({ "bucket": bucket, "key": key });
    let result = async {
        let detected = steps.invoke("DetectLabels", input.clone()).await?;
        let indexed = steps.invoke("IndexLabels", detected).await?;
        steps.invoke("Archive", indexed).await
    }
    .await;
    match result {
        Ok(_) => "ok".into(),
        Err(e) => {
            let caught = json!({ "bucket": bucket, "key": key, "failed_step": "DetectLabels", "error": { "Error": e.error_name(), "Cause": e.to_string() } });
            steps
                .invoke("Quarantine", caught)
                .await
                .expect("quarantine");
            format!("{}: {e}", e.error_name())
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_event_three_times_concurrently_counts_each_photo_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(&dir.path().join("store"), LocalStoreConfig::default())
        .await
        .unwrap();
    let bucket = BucketName::parse("pam-photos").unwrap();
    store.create_bucket(&bucket).await.unwrap();
    let index = SqliteIndex::open(&dir.path().join("index.sqlite"))
        .await
        .unwrap();
    let steps = LabellingSteps {
        store: Arc::new(store.clone()),
        index: Arc::new(index.clone()),
        labeler: Arc::new(TestLabeler(store.clone())),
        clock: Arc::new(SystemClock),
        detect: Default::default(),
        archive: Default::default(),
    };

    let mut distinct = Vec::new();
    for i in 0..12u8 {
        let bytes = jpeg(i * 7 + 3);
        let key = ObjectKey::parse(format!("photos/p{i:02}.jpg")).unwrap();
        store.put_bytes(&bucket, &key, bytes.clone()).await.unwrap();
        distinct.push(bytes);
    }
    let mut options = PutOptions::default();
    options
        .metadata
        .insert("file-name".into(), "Copie%20de%20p00.JPEG".into());
    let copy = ObjectKey::parse("photos/copy-of-p00.JPEG").unwrap();
    store
        .put(
            &bucket,
            &copy,
            PutSource::Bytes(distinct[0].clone()),
            options,
        )
        .await
        .unwrap();
    let bad = ObjectKey::parse("photos/bad.jpg").unwrap();
    store
        .put_bytes(&bucket, &bad, b"this is text, not a photo".to_vec())
        .await
        .unwrap();
    for other in ["notes/readme.jpg", "photos/readme.txt"] {
        store
            .put_bytes(&bucket, &ObjectKey::parse(other).unwrap(), b"x".to_vec())
            .await
            .unwrap();
    }

    let rule = LabellingRule::photos();
    let events = store.outbox().events(0, 1000).await.unwrap();
    assert_eq!(events.len(), 16, "one durable event per write");
    let matching: Vec<_> = events.into_iter().filter(|e| rule.matches(e)).collect();
    assert_eq!(
        matching.len(),
        14,
        "12 photos, the copy (.JPEG) and bad.jpg match the rule"
    );

    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..3 {
        for event in &matching {
            let (steps, bucket, key) = (
                steps.clone(),
                event.bucket.to_string(),
                event.key.to_string(),
            );
            runs.spawn(async move { (key.clone(), run_labelling(&steps, &bucket, &key).await) });
        }
    }
    let mut outcomes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    while let Some(done) = runs.join_next().await {
        let (key, outcome) = done.unwrap();
        outcomes.entry(key).or_default().push(outcome);
    }
    for (key, results) in &outcomes {
        let expected = if key == "photos/bad.jpg" {
            "Pam.NotAJpeg"
        } else {
            "ok"
        };
        assert!(
            results
                .iter()
                .all(|r| r.split(':').next() == Some(expected)),
            "{key}: {results:?}"
        );
    }

    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for bytes in &distinct {
        for (name, _) in labels_for(bytes) {
            *expected.entry(name.to_owned()).or_default() += 1;
        }
    }
    let counted: BTreeMap<String, u64> = index
        .label_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.name.to_string(), c.count))
        .collect();
    assert_eq!(
        counted, expected,
        "each label counts its distinct photos exactly once"
    );
    assert_eq!(counted["Photo"], 12);

    let photos = index.list_photos(PageRequest::first(100)).await.unwrap();
    assert_eq!(
        photos.items.len(),
        12,
        "the copy is the same photo, not a 13th"
    );
    assert!(photos.items.iter().all(|p| p.indexed_at.is_some()));

    for i in 0..12 {
        let key = ObjectKey::parse(format!("photos/p{i:02}.jpg")).unwrap();
        let head = store.head(&bucket, &key).await.unwrap();
        let ok = head.storage_class == StorageClass::Glacier;
        // The copy may have been recorded first, making p00 the duplicate: both archive.
        assert!(ok, "{key} went cold");
        assert_eq!(
            store
                .get_tags(&bucket, &key)
                .await
                .unwrap()
                .get("pam:indexed"),
            Some("true")
        );
    }
    let quarantined = index.quarantined(PageRequest::first(10)).await.unwrap();
    assert_eq!(quarantined.items.len(), 1);
    assert_eq!(quarantined.items[0].key.as_str(), "photos/bad.jpg");
    assert_eq!(quarantined.items[0].error, "Pam.NotAJpeg");
    assert!(
        quarantined.items[0]
            .reason
            .starts_with("DetectLabels failed: "),
        "{}",
        quarantined.items[0].reason
    );
    let tags = store.get_tags(&bucket, &bad).await.unwrap();
    assert_eq!(tags.get("pam:quarantined"), Some("Pam.NotAJpeg"));
}

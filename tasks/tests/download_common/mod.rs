//! Shared by the download tests: a world of real local adapters on a temp dir
//! (LocalStore, SqliteIndex, SqliteJobLog, SqliteJobKeys, the outbox LocalNotifier,
//! LocalPresigner) on one manual clock, photos imported and archived, the workflow
//! driven step by step through `DownloadSteps::invoke`, and a zip reader to check
//! bundles byte for byte (plus Python's zipfile when python3 is there).
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use pam_core::clock::{Clock, ManualClock};
use pam_core::ports::index::{LabelIndex, PhotoLabel, PhotoRecord};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, PutOptions, PutSource};
use pam_core::{
    BucketName, JobId, Label, MatchMode, NotifyTarget, PhotoKey, RestoreTier, Sha256, StorageClass,
};
use pam_local::{
    LocalNotifier, LocalPresigner, LocalStore, LocalStoreConfig, NotifyConfig, SqliteIndex,
    SqliteJobKeys, SqliteJobLog,
};
use pam_tasks::StepError;
use pam_tasks::download::{DownloadConfig, DownloadRequest, DownloadSteps, prepare};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod faulty;
mod zip;
#[allow(unused_imports)]
pub use zip::{python_entries, zip_entries};

/// The address every test uses; it must never appear anywhere.
pub const ADDRESS: &str = "zelda.secret-person@example.org";

pub fn start_time() -> DateTime<Utc> {
    "2026-03-01T10:00:00Z".parse().unwrap()
}

/// A small JPEG whose bytes depend on `seed`.
pub fn jpeg(seed: u32, w: u16, h: u16) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h) * 3)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

pub struct World {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub store: LocalStore,
    pub index: SqliteIndex,
    pub steps: DownloadSteps,
    pub photos: BucketName,
    pub working: BucketName,
    /// key → (file name, bytes)
    pub originals: BTreeMap<String, (String, Vec<u8>)>,
}

/// A photo to import: file name, bytes, labels, where it goes cold.
pub struct Photo {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub labels: Vec<&'static str>,
    pub class: StorageClass,
}

pub fn photo(file_name: &str, seed: u32, labels: &[&'static str], class: StorageClass) -> Photo {
    Photo {
        file_name: file_name.into(),
        bytes: jpeg(seed, 96, 64),
        labels: labels.to_vec(),
        class,
    }
}

impl World {
    /// Real local adapters; small multipart parts (4 KiB) so bundles span many parts.
    pub async fn new(tweak: impl FnOnce(&mut DownloadConfig)) -> Self {
        Self::build(None, tweak).await
    }

    /// The same on another clock (e.g. the ASL engine's virtual one); `clock` then
    /// does not drive the adapters.
    pub async fn on_clock(time: Arc<dyn Clock>, tweak: impl FnOnce(&mut DownloadConfig)) -> Self {
        Self::build(Some(time), tweak).await
    }

    async fn build(time: Option<Arc<dyn Clock>>, tweak: impl FnOnce(&mut DownloadConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(start_time()));
        let dyn_clock: Arc<dyn Clock> = time.unwrap_or_else(|| clock.clone());
        let store = LocalStore::open(
            &dir.path().join("store"),
            LocalStoreConfig {
                min_part_size: 1024,
                clock: dyn_clock.clone(),
                ..LocalStoreConfig::default()
            },
        )
        .await
        .unwrap();
        let photos = BucketName::parse("photos").unwrap();
        let working = BucketName::parse("working").unwrap();
        store.create_bucket(&photos).await.unwrap();
        store.create_bucket(&working).await.unwrap();
        let index = SqliteIndex::open(&dir.path().join("index.sqlite"))
            .await
            .unwrap();
        let keys = Arc::new(
            SqliteJobKeys::open(&dir.path().join("keys.sqlite"))
                .await
                .unwrap(),
        );
        let jobs =
            SqliteJobLog::open_with_clock(&dir.path().join("jobs.sqlite"), dyn_clock.clone())
                .await
                .unwrap();
        let notifier = LocalNotifier::open_with_clock(
            NotifyConfig::outbox_only(dir.path()),
            &dir.path().join("channels.sqlite"),
            keys.clone(),
            dyn_clock.clone(),
        )
        .await
        .unwrap();
        let presigner = LocalPresigner::open_with_clock(
            dir.path(),
            url::Url::parse("http://127.0.0.1:8080").unwrap(),
            dyn_clock.clone(),
        )
        .unwrap();
        let mut config = DownloadConfig::local(photos.clone(), working.clone());
        config.upload_part_size = 4096;
        config.concurrency = 4;
        config.spool_dir = Some(dir.path().join("spool"));
        std::fs::create_dir_all(dir.path().join("spool")).unwrap();
        tweak(&mut config);
        let steps = DownloadSteps {
            store: Arc::new(store.clone()),
            index: Arc::new(index.clone()),
            jobs: Arc::new(jobs),
            keys,
            notifier: Arc::new(notifier),
            presigner: Arc::new(presigner),
            clock: dyn_clock,
            config,
        };
        Self {
            dir,
            clock,
            store,
            index,
            steps,
            photos,
            working,
            originals: BTreeMap::new(),
        }
    }

    /// Stores, records, labels and archives photos as the labelling workflow would.
    pub async fn import(&mut self, photos: &[Photo]) {
        for (i, p) in photos.iter().enumerate() {
            let key = PhotoKey::parse(format!("photos/{i:04}-{}", p.file_name.replace('/', "_")))
                .unwrap();
            let options = PutOptions {
                content_type: Some("image/jpeg".into()),
                ..PutOptions::default()
            };
            self.store
                .put(
                    &self.photos,
                    key.as_object_key(),
                    PutSource::Bytes(p.bytes.clone()),
                    options,
                )
                .await
                .unwrap();
            let record = PhotoRecord {
                key: key.clone(),
                file_name: p.file_name.clone(),
                size: p.bytes.len() as u64,
                sha256: Sha256::of(&p.bytes),
                crc32: crc32fast::hash(&p.bytes),
            };
            self.index.record_photo(&record).await.unwrap();
            let labels: Vec<PhotoLabel> = p
                .labels
                .iter()
                .map(|l| PhotoLabel {
                    name: Label::parse(*l).unwrap(),
                    confidence: 90.0,
                    parents: vec![],
                })
                .collect();
            self.index.index_labels(&key, &labels).await.unwrap();
            if p.class != StorageClass::Standard {
                self.store
                    .transition(&self.photos, key.as_object_key(), p.class, None)
                    .await
                    .unwrap();
            }
            self.originals
                .insert(key.to_string(), (p.file_name.clone(), p.bytes.clone()));
        }
    }

    pub fn request(&self, labels: &[&str], mode: MatchMode, tier: RestoreTier) -> DownloadRequest {
        DownloadRequest::new(
            labels.iter().map(|l| Label::parse(*l).unwrap()).collect(),
            mode,
            NotifyTarget::email(ADDRESS).unwrap(),
            tier,
            std::time::Duration::from_secs(24 * 3600),
        )
        .unwrap()
    }

    /// Prepares a job and returns its execution input.
    pub async fn prepare(&self, job: &str, req: &DownloadRequest) -> Value {
        let job = JobId::parse(job).unwrap();
        let s = &self.steps;
        prepare(
            req,
            &job,
            s.keys.as_ref(),
            s.jobs.as_ref(),
            s.clock.as_ref(),
        )
        .await
        .unwrap()
        .execution_input
    }

    pub async fn invoke(&self, step: &str, input: Value) -> Result<Value, StepError> {
        self.steps.invoke(step, input).await
    }

    /// Runs the workflow as the ASL does (without the engine), advancing the manual
    /// clock by each Wait; returns the final state.
    pub async fn run(&self, mut state: Value) -> Value {
        let out = self
            .invoke(
                "OpenChannel",
                json!({"job_id": state["job_id"], "notify": state["notify"]}),
            )
            .await
            .unwrap();
        state["channel"] = json!({"channel_id": out["channel_id"]});
        let manifest = self
            .invoke("ResolveManifest", json!({"job_id": state["job_id"], "labels": state["labels"], "match": state["match"]}))
            .await
            .unwrap();
        state["manifest"] = manifest;
        state["restore"] = json!({"cursor": null});
        loop {
            let r = self
                .invoke("StartRestores", json!({"job_id": state["job_id"], "manifest": state["manifest"], "tier": state["tier"], "restore": state["restore"]}))
                .await
                .unwrap();
            state["restore"] = r;
            if state["restore"]["cursor"].is_null() {
                break;
            }
        }
        while state["restore"]["pending"] != 0 {
            assert!(
                state["restore"]["rounds_left"].as_u64().unwrap() > 0,
                "restores timed out"
            );
            let wait = state["restore"]["poll_seconds"].as_i64().unwrap();
            self.clock.advance(Duration::seconds(wait));
            state["restore"] = self
                .invoke("CheckRestores", json!({"job_id": state["job_id"], "manifest": state["manifest"], "restore": state["restore"]}))
                .await
                .unwrap();
        }
        state["bundle"] = self
            .invoke(
                "BuildBundle",
                json!({"job_id": state["job_id"], "manifest": state["manifest"]}),
            )
            .await
            .unwrap();
        state["link"] = self
            .invoke("Presign", json!({"job_id": state["job_id"], "bundle": state["bundle"], "expires_in_seconds": state["link_ttl_seconds"]}))
            .await
            .unwrap();
        state["notified"] = self
            .invoke("Notify", json!({"job_id": state["job_id"], "channel": state["channel"], "outcome": "ready", "link": state["link"]}))
            .await
            .unwrap();
        self.invoke("CloseChannel", state.clone()).await.unwrap();
        state
    }

    /// The bytes of an object in the working bucket.
    pub async fn working_object(&self, key: &str) -> Vec<u8> {
        let key = pam_core::ObjectKey::parse(key).unwrap();
        self.store.get_bytes(&self.working, &key).await.unwrap()
    }

    /// Keys under `bundles/` in the working bucket.
    pub async fn bundle_keys(&self) -> Vec<String> {
        self.store
            .list_all(&self.working, Some("bundles/"))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.key.to_string())
            .collect()
    }

    /// Every file under the data dir that contains `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        walk(self.dir.path(), needle.as_bytes(), &mut hits);
        hits
    }

    /// The messages in the outbox.
    pub fn outbox(&self) -> Vec<String> {
        let dir = self.dir.path().join("outbox");
        let mut out: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

fn walk(dir: &Path, needle: &[u8], hits: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, needle, hits);
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            hits.push(path);
        }
    }
}

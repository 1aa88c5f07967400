//! The `index` stage of `pam bench labelling`: what IndexLabels does after detection —
//! SHA-256 and CRC-32 of the photo's bytes, `record_photo`, then `index_labels` with the
//! labels DetectLabels would keep (≥ 50 % confidence, at most 25) — on the real SQLite
//! label index in a temporary directory. Each benchmark image counts as a new photo (the
//! run reuses a few source images, so the image number is hashed in after the bytes;
//! otherwise the index would rightly answer "duplicate" and skip the counting).

use anyhow::{Context, Result};
use pam_core::ports::LabelIndex;
use pam_core::ports::index::{PhotoLabel, PhotoRecord};
use pam_core::{Label, PhotoKey, Sha256};
use pam_local::SqliteIndex;
use sha2::Digest;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// DetectLabels' defaults (`pam_tasks::detect_labels::Config`).
const MIN_CONFIDENCE: f32 = 50.0;
const MAX_LABELS: usize = 25;

/// A label index to time indexing against; callable from any worker thread.
pub struct IndexStage {
    runtime: tokio::runtime::Runtime,
    index: SqliteIndex,
    next: AtomicU64,
    _dir: tempfile::TempDir,
}

impl IndexStage {
    /// A fresh index in a temporary directory.
    pub fn new() -> Result<Self> {
        let dir = tempfile::tempdir().context("temp dir for the bench index")?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .context("tokio runtime")?;
        let index = runtime
            .block_on(SqliteIndex::open(&dir.path().join("index.sqlite")))
            .context("opening the bench index")?;
        Ok(Self {
            runtime,
            index,
            next: AtomicU64::new(0),
            _dir: dir,
        })
    }

    /// Fingerprints and indexes one photo with `labels`; returns the time it took.
    pub fn index(&self, jpeg: &[u8], labels: &[pam_labeler::DetectedLabel]) -> Result<Duration> {
        let started = Instant::now();
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut sha = sha2::Sha256::new();
        sha.update(jpeg);
        sha.update(n.to_le_bytes());
        let record = PhotoRecord {
            key: PhotoKey::parse(format!("photos/bench-{n}.jpg"))?,
            file_name: format!("bench-{n}.jpg"),
            size: jpeg.len() as u64,
            sha256: Sha256::from_digest(sha.finalize().into()),
            crc32: crc32fast::hash(jpeg),
        };
        let labels: Vec<PhotoLabel> = labels
            .iter()
            .filter(|l| l.confidence >= MIN_CONFIDENCE)
            .take(MAX_LABELS)
            .map(|l| {
                Ok(PhotoLabel {
                    name: Label::parse(&l.name)?,
                    confidence: l.confidence,
                    parents: l
                        .parents
                        .iter()
                        .map(Label::parse)
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_>>()?;
        self.runtime.block_on(async {
            self.index.record_photo(&record).await?;
            self.index.index_labels(&record.key, &labels).await
        })?;
        Ok(started.elapsed())
    }
}

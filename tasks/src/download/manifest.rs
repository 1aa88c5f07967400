//! The manifest: the photos of one download as JSON lines in the working bucket
//! (`manifests/<job_id>.jsonl`), one photo a line with everything the later steps need
//! (file name, size, checksums, labels, storage class). Steps pass only a
//! [`ManifestRef`] to it (a Step Functions payload is limited to 256 KB). It is written
//! through a multipart upload (one part in memory) and read as a stream, optionally
//! from a byte offset, so no step's memory grows with the number of photos.

use crate::error::StepError;
use chrono::{DateTime, Utc};
use pam_core::ports::store::{
    ByteRange, GetOptions, MultipartWriter, PhotoStore, PutOptions, PutResult, StoreError,
};
use pam_core::{
    ArchiveStatus, BucketName, JobId, Label, ObjectKey, PhotoKey, Sha256, StorageClass,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};

/// Where a job's manifest lives in the working bucket.
pub fn manifest_key(job: &JobId) -> ObjectKey {
    ObjectKey::parse(format!("manifests/{job}.jsonl")).expect("job ids make valid keys")
}

/// A manifest by reference, with its totals: ResolveManifest's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRef {
    /// Working bucket.
    pub bucket: BucketName,
    /// `manifests/<job_id>.jsonl`.
    pub key: ObjectKey,
    /// Photos listed.
    pub photos: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// How many were archived when resolved.
    pub archived: u64,
}

/// One photo of the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestLine {
    /// The photo.
    pub key: PhotoKey,
    /// Its original file name (the bundle entry is named after it).
    pub file_name: String,
    /// Size recorded at import.
    pub size: u64,
    /// SHA-256 recorded at import.
    pub sha256: Sha256,
    /// CRC-32 recorded at import.
    pub crc32: u32,
    /// All its labels (for `manifest.csv`).
    pub labels: Vec<Label>,
    /// Storage class when resolved.
    pub storage_class: StorageClass,
    /// Intelligent-Tiering archive tier when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_status: Option<ArchiveStatus>,
    /// Whether it needed a restore when resolved.
    pub archived: bool,
    /// When the object was last written (the zip entry's time).
    pub last_modified: DateTime<Utc>,
}

impl ManifestLine {
    /// Whether the photo sits in a deep archive (no Expedited restores there).
    pub fn is_deep(&self) -> bool {
        self.storage_class == StorageClass::DeepArchive
            || self.archive_status == Some(ArchiveStatus::DeepArchiveAccess)
    }
}

fn io_err(e: std::io::Error) -> StoreError {
    StoreError::Transient {
        store: "stream",
        source: Box::new(e),
    }
}

/// Writes a manifest line by line through a multipart upload; visible only on finish.
pub struct ManifestWriter<'a> {
    upload: MultipartWriter<'a, dyn PhotoStore + 'a>,
    line: Vec<u8>,
    photos: u64,
    bytes: u64,
    archived: u64,
}

impl<'a> ManifestWriter<'a> {
    /// Starts the upload of `key` in `bucket`.
    pub async fn start(
        store: &'a (dyn PhotoStore + 'a),
        bucket: BucketName,
        key: ObjectKey,
        part_size: usize,
    ) -> Result<Self, StepError> {
        let options = PutOptions {
            content_type: Some("application/x-ndjson".into()),
            ..PutOptions::default()
        };
        let upload = MultipartWriter::start(store, bucket, key, options, part_size).await?;
        Ok(Self {
            upload,
            line: Vec::with_capacity(512),
            photos: 0,
            bytes: 0,
            archived: 0,
        })
    }

    /// Appends one photo.
    pub async fn push(&mut self, line: &ManifestLine) -> Result<(), StepError> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, line)
            .map_err(|e| StepError::Internal(format!("manifest line: {e}")))?;
        self.line.push(b'\n');
        self.upload.write(&self.line).await?;
        self.photos += 1;
        self.bytes += line.size;
        self.archived += u64::from(line.archived);
        Ok(())
    }

    /// Photos written so far.
    pub fn photos(&self) -> u64 {
        self.photos
    }

    /// Completes the upload; returns the totals (bucket/key left for the caller).
    pub async fn finish(self) -> Result<(PutResult, u64, u64, u64), StepError> {
        let put = self.upload.finish().await?;
        Ok((put, self.photos, self.bytes, self.archived))
    }

    /// Abandons the upload.
    pub async fn abort(self) {
        if let Err(e) = self.upload.abort().await {
            tracing::warn!(error = %e, "aborting the manifest upload failed");
        }
    }
}

/// Reads a manifest as a stream of lines, each with the byte offset just after it.
pub struct ManifestReader {
    lines: BufReader<pam_core::ports::store::ByteStream>,
    offset: u64,
    buf: String,
    key: ObjectKey,
    total: u64,
}

impl ManifestReader {
    /// Opens `manifest` at byte `from` (0 for the start; a line boundary otherwise).
    pub async fn open(
        store: &dyn PhotoStore,
        manifest: &ManifestRef,
        from: u64,
    ) -> Result<Self, StepError> {
        let options = GetOptions {
            range: (from > 0).then_some(ByteRange::From(from)),
        };
        let got = match store.get(&manifest.bucket, &manifest.key, options).await {
            Ok(got) => got,
            Err(StoreError::InvalidRange { .. }) => {
                return Err(StepError::InvalidInput(format!(
                    "cursor {from} lies beyond the end of manifest {}",
                    manifest.key
                )));
            }
            Err(StoreError::NotFound { .. }) => {
                return Err(StepError::NotFound(format!(
                    "manifest {}/{} is gone (working-area objects expire; start a new download)",
                    manifest.bucket, manifest.key
                )));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Self {
            lines: BufReader::with_capacity(64 * 1024, got.body),
            offset: from,
            buf: String::with_capacity(512),
            key: manifest.key.clone(),
            total: got.meta.size,
        })
    }

    /// The manifest's whole size in bytes.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Every remaining photo as a stream.
    pub fn into_stream(
        self,
    ) -> impl futures::Stream<Item = Result<ManifestLine, StepError>> + Send {
        futures::stream::try_unfold(self, |mut reader| async move {
            let next = reader.next().await?;
            Ok::<_, StepError>(next.map(|(line, _)| (line, reader)))
        })
    }

    /// The next photo and the offset after its line; `None` at the end.
    pub async fn next(&mut self) -> Result<Option<(ManifestLine, u64)>, StepError> {
        loop {
            self.buf.clear();
            let n = self.lines.read_line(&mut self.buf).await.map_err(io_err)?;
            if n == 0 {
                return Ok(None);
            }
            self.offset += n as u64;
            if self.buf.trim().is_empty() {
                continue;
            }
            let line: ManifestLine = serde_json::from_str(&self.buf).map_err(|e| {
                StepError::Internal(format!(
                    "manifest {} is corrupt before byte {}: {e}",
                    self.key, self.offset
                ))
            })?;
            return Ok(Some((line, self.offset)));
        }
    }
}

//! The store's directories and its one way of writing bytes: stream into a temp file
//! (hashing as it goes), fsync, then rename into place and fsync the directory. A
//! reader can therefore only ever find complete files.
//!
//! ```text
//! <root>/meta.sqlite                 object metadata, uploads, outbox
//! <root>/buckets/<bucket>/           a bucket exists iff its directory does
//! <root>/buckets/<bucket>/<blob>     hot bytes, one file per object version
//! <root>/cold/<bucket>/<blob>        archived bytes
//! <root>/uploads/<upload id>/<n>     multipart parts
//! <root>/tmp/                        writes in progress
//! ```
//! Blob names are random ids, not keys: S3 keys like `a` and `a/b` cannot collide,
//! and an overwrite never touches the bytes a concurrent reader has open.

use md5::{Digest, Md5};
use pam_core::BucketName;
use pam_core::ports::store::{ByteStream, PutSource, StoreError};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::io_error;

/// Where the bytes of an object live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// `buckets/<bucket>/`.
    Hot,
    /// `cold/<bucket>/`.
    Cold,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hot => "hot",
            Self::Cold => "cold",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "cold" { Self::Cold } else { Self::Hot }
    }
}

/// The directory layout under one root.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

/// A file written to the temp directory, with what was learnt while writing it.
pub struct Written {
    pub path: PathBuf,
    pub size: u64,
    pub md5: [u8; 16],
}

impl Layout {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join("meta.sqlite")
    }

    pub fn bucket_dir(&self, bucket: &BucketName) -> PathBuf {
        self.root.join("buckets").join(bucket.as_str())
    }

    pub fn blob(&self, bucket: &BucketName, location: Location, blob: &str) -> PathBuf {
        match location {
            Location::Hot => self.bucket_dir(bucket).join(blob),
            Location::Cold => self.root.join("cold").join(bucket.as_str()).join(blob),
        }
    }

    pub fn upload_dir(&self, upload_id: &str) -> PathBuf {
        self.root.join("uploads").join(upload_id)
    }

    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    pub async fn bucket_exists(&self, bucket: &BucketName) -> bool {
        tokio::fs::metadata(self.bucket_dir(bucket))
            .await
            .is_ok_and(|m| m.is_dir())
    }

    /// Streams `source` into a new temp file, fsyncs it, and reports its size and MD5.
    pub async fn write_temp(&self, source: PutSource) -> Result<Written, StoreError> {
        let path = self
            .tmp_dir()
            .join(uuid::Uuid::new_v4().simple().to_string());
        let result = write_hashed(&path, source).await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&path).await;
        }
        let (size, md5) = result?;
        Ok(Written { path, size, md5 })
    }

    /// Renames a finished temp file to `dest` and makes the rename durable.
    pub async fn install(&self, temp: &Path, dest: &Path) -> Result<(), StoreError> {
        let parent = dest.parent().expect("blob paths have a parent");
        tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
        tokio::fs::rename(temp, dest).await.map_err(io_error)?;
        sync_dir(parent).await
    }

    /// Moves a blob between hot and cold (same filesystem, so a rename).
    pub async fn move_blob(
        &self,
        bucket: &BucketName,
        blob: &str,
        from: Location,
        to: Location,
    ) -> Result<(), StoreError> {
        if from == to {
            return Ok(());
        }
        let (src, dest) = (self.blob(bucket, from, blob), self.blob(bucket, to, blob));
        match self.install(&src, &dest).await {
            // A concurrent transition of the same object moved it already.
            Err(_) if !exists(&src).await && exists(&dest).await => Ok(()),
            other => other,
        }
    }

    /// Opens a blob for reading, looking in the other location too (a crash between a
    /// hot/cold rename and its metadata commit leaves the file on the other side).
    pub async fn open_blob(
        &self,
        bucket: &BucketName,
        location: Location,
        blob: &str,
    ) -> std::io::Result<tokio::fs::File> {
        match tokio::fs::File::open(self.blob(bucket, location, blob)).await {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let other = match location {
                    Location::Hot => Location::Cold,
                    Location::Cold => Location::Hot,
                };
                tokio::fs::File::open(self.blob(bucket, other, blob)).await
            }
            other => other,
        }
    }

    /// Deletes a blob wherever it is; missing files are fine.
    pub async fn remove_blob(&self, bucket: &BucketName, blob: &str) {
        for location in [Location::Hot, Location::Cold] {
            let _ = tokio::fs::remove_file(self.blob(bucket, location, blob)).await;
        }
    }
}

async fn write_hashed(path: &Path, source: PutSource) -> Result<(u64, [u8; 16]), StoreError> {
    let mut reader: ByteStream = match source {
        PutSource::Bytes(bytes) => Box::pin(std::io::Cursor::new(bytes)),
        PutSource::File(p) => Box::pin(tokio::fs::File::open(&p).await.map_err(|e| {
            StoreError::InvalidArgument(format!("cannot read source file {}: {e}", p.display()))
        })?),
        PutSource::Reader(r) => r,
    };
    let mut file = tokio::fs::File::create(path).await.map_err(io_error)?;
    let mut hasher = Md5::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buf).await.map_err(io_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).await.map_err(io_error)?;
        size += n as u64;
    }
    file.flush().await.map_err(io_error)?;
    file.sync_all().await.map_err(io_error)?;
    Ok((size, hasher.finalize().into()))
}

async fn exists(path: &Path) -> bool {
    tokio::fs::try_exists(path).await.unwrap_or(false)
}

async fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(&dir)?.sync_all())
        .await
        .map_err(|e| io_error(std::io::Error::other(e)))?
        .map_err(io_error)
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

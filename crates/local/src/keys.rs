//! Per-job sealing keys on SQLite (`keys.sqlite` in the data directory). Erasing a key
//! is what makes a sealed address unreadable for good (crypto-shredding), so erasure
//! must reach the disk: `secure_delete` zeroes the deleted row's bytes in the page,
//! and because the database runs in WAL mode — where the page as it was when the key
//! was written may still sit in the `-wal` file — every erase ends with a
//! `wal_checkpoint(TRUNCATE)`, which copies the zeroed page home and empties the WAL.
//! (What the filesystem keeps of freed blocks is beyond SQLite's reach.)

use crate::db::{Db, is_busy};
use async_trait::async_trait;
use pam_core::ports::keys::{JobKeys, KeysError};
use pam_core::{JobId, JobKey};
use rusqlite::{OptionalExtension, params};
use std::path::Path;

const STORE: &str = "sqlite-keys";

const SCHEMA: &str = "
PRAGMA secure_delete = ON;
CREATE TABLE IF NOT EXISTS job_keys (
    job_id     TEXT PRIMARY KEY,
    key        BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
";

/// `JobKeys` on a SQLite file with `secure_delete`. Clone it, or open the file again
/// (another process too), to share it.
#[derive(Debug, Clone)]
pub struct SqliteJobKeys {
    db: Db,
}

/// Failures that are not SQLite's own.
#[derive(Debug, thiserror::Error)]
enum KeyStoreError {
    #[error("stored key of job {job} is unusable: {source}")]
    BadKey {
        job: String,
        source: pam_core::SealError,
    },
    #[error(
        "key of job {0} deleted, but the WAL could not be emptied yet (a reader holds it); retry the erase"
    )]
    CheckpointBusy(String),
}

fn db_error(e: rusqlite::Error) -> KeysError {
    if is_busy(&e) {
        KeysError::Transient {
            store: STORE,
            source: Box::new(e),
        }
    } else {
        KeysError::Backend {
            store: STORE,
            source: Box::new(e),
        }
    }
}

fn to_key(job: &str, bytes: Vec<u8>) -> Result<JobKey, KeysError> {
    JobKey::from_bytes(&bytes).map_err(|source| KeysError::Backend {
        store: STORE,
        source: Box::new(KeyStoreError::BadKey {
            job: job.to_owned(),
            source,
        }),
    })
}

impl SqliteJobKeys {
    /// Opens (creating) the key store at `path`.
    pub async fn open(path: &Path) -> Result<Self, KeysError> {
        let path = path.to_path_buf();
        let db = tokio::task::spawn_blocking(move || Db::open(&path, STORE, SCHEMA))
            .await
            .map_err(|e| KeysError::Backend {
                store: STORE,
                source: Box::new(e),
            })?
            .map_err(db_error)?;
        Ok(Self { db })
    }
}

#[async_trait]
impl JobKeys for SqliteJobKeys {
    async fn create(&self, job: &JobId) -> Result<JobKey, KeysError> {
        let id = job.clone();
        let fresh = JobKey::generate();
        // INSERT OR IGNORE then SELECT: whichever racer inserted first, all read its key.
        let bytes: Vec<u8> = self
            .db
            .call(move |c| {
                c.execute(
                    "INSERT OR IGNORE INTO job_keys (job_id, key) VALUES (?1, ?2)",
                    params![id.as_str(), fresh.as_bytes().as_slice()],
                )?;
                c.query_row(
                    "SELECT key FROM job_keys WHERE job_id = ?1",
                    [id.as_str()],
                    |r| r.get(0),
                )
            })
            .await
            .map_err(db_error)?;
        to_key(job.as_str(), bytes)
    }

    async fn get(&self, job: &JobId) -> Result<Option<JobKey>, KeysError> {
        let id = job.clone();
        let bytes: Option<Vec<u8>> = self
            .db
            .call(move |c| {
                c.query_row(
                    "SELECT key FROM job_keys WHERE job_id = ?1",
                    [id.as_str()],
                    |r| r.get(0),
                )
                .optional()
            })
            .await
            .map_err(db_error)?;
        bytes.map(|b| to_key(job.as_str(), b)).transpose()
    }

    async fn erase(&self, job: &JobId) -> Result<(), KeysError> {
        let id = job.clone();
        let (deleted, busy) = self
            .db
            .call(move |c| {
                let deleted = c.execute("DELETE FROM job_keys WHERE job_id = ?1", [id.as_str()])?;
                // (busy, wal frames, checkpointed frames); busy = 1 when a reader kept
                // the checkpoint from finishing.
                let busy: i64 = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
                Ok((deleted, busy))
            })
            .await
            .map_err(db_error)?;
        if busy != 0 {
            return Err(KeysError::Transient {
                store: STORE,
                source: Box::new(KeyStoreError::CheckpointBusy(job.to_string())),
            });
        }
        tracing::debug!(%job, deleted, "job key erased");
        Ok(())
    }
}

//! The channel rows: one per open job, holding the address sealed with the job's key
//! (so erasing the key shreds it even if a crash left the row) and a message counter
//! for outbox file names. `secure_delete` and a WAL checkpoint after each close keep
//! a closed channel's bytes out of the files, as for the keys themselves.

use crate::db::Db;
use pam_core::{JobId, SealedTarget};
use rusqlite::{OptionalExtension, params};
use std::path::Path;

pub(crate) const NAME: &str = "sqlite-channels";

const SCHEMA: &str = "
PRAGMA secure_delete = ON;
CREATE TABLE IF NOT EXISTS channels (
    job_id   TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    sealed   TEXT NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0
) STRICT;
";

/// The channel table.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    db: Db,
}

impl Channels {
    pub(crate) async fn open(path: &Path) -> rusqlite::Result<Self> {
        let path = path.to_path_buf();
        let db = tokio::task::spawn_blocking(move || Db::open(&path, NAME, SCHEMA))
            .await
            .expect("opening the channel table panicked")?;
        Ok(Self { db })
    }

    /// Inserts the channel unless the job has one; returns the kind stored (the first
    /// open's).
    pub(crate) async fn insert(
        &self,
        job: &JobId,
        sealed: SealedTarget,
    ) -> rusqlite::Result<String> {
        let job = job.clone();
        self.db
            .call(move |c| {
                c.execute(
                    "INSERT OR IGNORE INTO channels (job_id, kind, sealed) VALUES (?1, ?2, ?3)",
                    params![job.as_str(), sealed.kind, sealed.sealed],
                )?;
                c.query_row(
                    "SELECT kind FROM channels WHERE job_id = ?1",
                    [job.as_str()],
                    |r| r.get(0),
                )
            })
            .await
    }

    /// The sealed address and the next message number, counting this message.
    pub(crate) async fn next_message(
        &self,
        job: &JobId,
    ) -> rusqlite::Result<Option<(SealedTarget, u64)>> {
        let job = job.clone();
        self.db
            .call(move |c| {
                c.query_row(
                    "UPDATE channels SET messages = messages + 1 WHERE job_id = ?1
                     RETURNING kind, sealed, messages",
                    [job.as_str()],
                    |r| {
                        Ok((
                            SealedTarget {
                                kind: r.get(0)?,
                                sealed: r.get(1)?,
                            },
                            r.get::<_, i64>(2)? as u64,
                        ))
                    },
                )
                .optional()
            })
            .await
    }

    /// Whether the job's channel is open.
    pub(crate) async fn exists(&self, job: &JobId) -> rusqlite::Result<bool> {
        let job = job.clone();
        self.db
            .call(move |c| {
                c.query_row(
                    "SELECT 1 FROM channels WHERE job_id = ?1",
                    [job.as_str()],
                    |_| Ok(()),
                )
                .optional()
                .map(|o| o.is_some())
            })
            .await
    }

    /// Deletes the row and empties the WAL; `false` when a reader kept the checkpoint
    /// from finishing.
    pub(crate) async fn delete(&self, job: &JobId) -> rusqlite::Result<bool> {
        let job = job.clone();
        self.db
            .call(move |c| {
                c.execute("DELETE FROM channels WHERE job_id = ?1", [job.as_str()])?;
                let busy: i64 = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
                Ok(busy == 0)
            })
            .await
    }
}

//! The durable outbox of object-created events. The store inserts each event in the
//! same SQLite transaction as the object's metadata, so a crash between "bytes written"
//! and "event sent" cannot lose the event. A dispatcher hands pending events to the
//! labelling rule's handler (in `pam`: start a labelling execution) and marks an event
//! delivered only after the handler succeeded: delivery is at least once, as S3 →
//! EventBridge is, so handlers must be idempotent (the steps are).

use crate::db::Db;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use pam_core::clock::Clock;
use pam_core::ports::store::BoxError;
use pam_core::{BucketName, ObjectKey, PHOTO_PREFIX};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Notify;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    reason TEXT NOT NULL,
    event_time TEXT NOT NULL,
    delivered_at TEXT,
    outcome TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (delivered_at, id);
";

/// Records an object-created event inside the caller's transaction.
pub(crate) fn record_created(
    conn: &Connection,
    bucket: &BucketName,
    key: &ObjectKey,
    size: u64,
    etag: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO outbox (bucket, key, size, etag, reason, event_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![bucket.as_str(), key.as_str(), size as i64, etag, reason, crate::store_ts(at)],
    )?;
    Ok(())
}

/// An S3 "Object Created" event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectCreated {
    /// The outbox's sequence number (S3's `sequencer` plays this part).
    pub id: i64,
    /// Bucket.
    pub bucket: BucketName,
    /// Key (never URL-encoded here).
    pub key: ObjectKey,
    /// Size in bytes.
    pub size: u64,
    /// Entity tag, quoted.
    pub etag: String,
    /// `PutObject` or `CompleteMultipartUpload`.
    pub reason: String,
    /// When the object was written.
    pub time: DateTime<Utc>,
}

impl ObjectCreated {
    /// The event as EventBridge delivers S3's "Object Created" (the labelling rule's input).
    pub fn to_eventbridge(&self) -> serde_json::Value {
        serde_json::json!({
            "version": "0",
            "id": format!("local-{}", self.id),
            "detail-type": "Object Created",
            "source": "aws.s3",
            "time": self.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "resources": [format!("arn:aws:s3:::{}", self.bucket)],
            "detail": {
                "version": "0",
                "bucket": { "name": self.bucket.as_str() },
                "object": {
                    "key": self.key.as_str(),
                    "size": self.size,
                    "etag": self.etag.trim_matches('"'),
                    "sequencer": format!("{:016X}", self.id),
                },
                "reason": self.reason,
            }
        })
    }
}

/// Which events start labelling: keys under `photos/` ending in `.jpg` / `.jpeg` in any
/// letter case (content is checked by the DetectLabels step, not here).
#[derive(Debug, Clone)]
pub struct LabellingRule {
    bucket: Option<BucketName>,
}

impl LabellingRule {
    /// The rule for photos in any bucket.
    pub fn photos() -> Self {
        Self { bucket: None }
    }

    /// The rule for photos in one bucket.
    pub fn for_bucket(bucket: BucketName) -> Self {
        Self {
            bucket: Some(bucket),
        }
    }

    /// Whether `event` starts labelling.
    pub fn matches(&self, event: &ObjectCreated) -> bool {
        if self.bucket.as_ref().is_some_and(|b| *b != event.bucket) {
            return false;
        }
        let key = event.key.as_str();
        let lower = key.to_ascii_lowercase();
        key.starts_with(PHOTO_PREFIX) && (lower.ends_with(".jpg") || lower.ends_with(".jpeg"))
    }
}

/// What the rule does with a matching event (in `pam`: start a labelling execution).
#[async_trait]
pub trait EventHandler: Send + Sync {
    /// Handles one event; an error leaves it pending for a later retry.
    async fn handle(&self, event: &ObjectCreated) -> Result<(), BoxError>;
}

/// The outbox failed (its database).
#[derive(Debug, thiserror::Error)]
#[error("outbox database failed: {0}")]
pub struct OutboxError(#[from] rusqlite::Error);

/// What one dispatch round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Handed to the handler, which succeeded.
    pub delivered: usize,
    /// Matched no rule; marked done.
    pub skipped: usize,
    /// The handler failed; retried later.
    pub failed: usize,
}

/// Handle on the outbox; clones share it.
#[derive(Debug, Clone)]
pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
}

const BATCH: u32 = 100;
/// Longest wait between retries of a failing event.
pub const MAX_BACKOFF: Duration = Duration::minutes(5);

impl Outbox {
    pub(crate) fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            clock,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Wakes a running dispatcher (the store calls this after each commit).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Events not yet delivered whose retry time has come, oldest first.
    pub async fn due(&self, limit: u32) -> Result<Vec<ObjectCreated>, OutboxError> {
        let now = crate::store_ts(self.clock.now());
        self.query(
            "SELECT id, bucket, key, size, etag, reason, event_time FROM outbox WHERE delivered_at IS NULL \
             AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY id LIMIT ?2",
            vec![now.into(), i64::from(limit).into()],
        )
        .await
    }

    /// All events after `after_id`, delivered or not, oldest first.
    pub async fn events(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<ObjectCreated>, OutboxError> {
        self.query(
            "SELECT id, bucket, key, size, etag, reason, event_time FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2",
            vec![after_id.into(), i64::from(limit).into()],
        )
        .await
    }

    async fn query(
        &self,
        sql: &'static str,
        args: Vec<rusqlite::types::Value>,
    ) -> Result<Vec<ObjectCreated>, OutboxError> {
        self.db
            .call(move |conn| {
                let mut stmt = conn.prepare_cached(sql)?;
                let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                    let conv = |e: String| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    };
                    Ok(ObjectCreated {
                        id: r.get(0)?,
                        bucket: BucketName::parse(r.get::<_, String>(1)?)
                            .map_err(|e| conv(e.to_string()))?,
                        key: ObjectKey::parse(r.get::<_, String>(2)?)
                            .map_err(|e| conv(e.to_string()))?,
                        size: r.get::<_, i64>(3)? as u64,
                        etag: r.get(4)?,
                        reason: r.get(5)?,
                        time: crate::parse_store_ts(&r.get::<_, String>(6)?)?,
                    })
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .await
            .map_err(OutboxError)
    }

    /// Number of events not yet delivered.
    pub async fn pending_count(&self) -> Result<u64, OutboxError> {
        self.db
            .call(|conn| {
                conn.query_row(
                    "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
            .await
            .map(|n| n as u64)
            .map_err(OutboxError)
    }

    async fn mark_delivered(&self, id: i64, outcome: &'static str) -> Result<(), OutboxError> {
        let now = crate::store_ts(self.clock.now());
        self.db
            .call(move |conn| {
                conn.execute(
                    "UPDATE outbox SET delivered_at = ?1, outcome = ?2, attempts = attempts + 1 WHERE id = ?3",
                    params![now, outcome, id],
                )
            })
            .await?;
        Ok(())
    }

    async fn mark_failed(&self, id: i64, error: String) -> Result<(), OutboxError> {
        let now = self.clock.now();
        self.db
            .call(move |conn| {
                let attempts: i64 = conn.query_row("SELECT attempts FROM outbox WHERE id = ?1", [id], |r| r.get(0))?;
                let backoff = Duration::seconds(1i64 << attempts.clamp(0, 20)).min(MAX_BACKOFF);
                conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2 WHERE id = ?3",
                    params![error, crate::store_ts(now + backoff), id],
                )
            })
            .await?;
        Ok(())
    }

    /// Delivers every due event once: matching ones to `handler`, the rest skipped.
    pub async fn dispatch_due(
        &self,
        rule: &LabellingRule,
        handler: &dyn EventHandler,
    ) -> Result<DispatchReport, OutboxError> {
        let mut report = DispatchReport::default();
        loop {
            let batch = self.due(BATCH).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            let mut progressed = false;
            for event in batch {
                if !rule.matches(&event) {
                    self.mark_delivered(event.id, "no rule matched").await?;
                    report.skipped += 1;
                    progressed = true;
                    continue;
                }
                match handler.handle(&event).await {
                    Ok(()) => {
                        self.mark_delivered(event.id, "handled").await?;
                        report.delivered += 1;
                        progressed = true;
                    }
                    Err(e) => {
                        tracing::warn!(event = event.id, key = %event.key, error = %e, "event handler failed; will retry");
                        self.mark_failed(event.id, e.to_string()).await?;
                        report.failed += 1;
                    }
                }
            }
            if !progressed {
                return Ok(report);
            }
        }
    }

    /// Dispatches until `shutdown` resolves: after each write, and every `poll` for retries.
    pub async fn run(
        &self,
        rule: LabellingRule,
        handler: Arc<dyn EventHandler>,
        poll: std::time::Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), OutboxError> {
        tokio::pin!(shutdown);
        loop {
            self.dispatch_due(&rule, handler.as_ref()).await?;
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}

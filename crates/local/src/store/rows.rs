//! The `objects` table: its schema, one row as a Rust value, and the conversion of a
//! row into what HeadObject reports at a given moment (through the restore model).

use chrono::{DateTime, SecondsFormat, Utc};
use pam_core::ports::store::{Metadata, ObjectMeta, StoreError, Tags};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, RestoreTier, StorageClass};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::files::Location;
use super::restore_model::{self, Effective, RestoreRecord, StoredState};

/// Tables of the store's database (the outbox's table is in `crate::outbox`).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    blob TEXT NOT NULL,
    location TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    content_type TEXT,
    metadata TEXT NOT NULL,
    tags TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    archive_status TEXT,
    restore_tier TEXT,
    restore_requested_at TEXT,
    restore_ready_at TEXT,
    restore_days INTEGER,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    options TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    upload_id TEXT NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    etag TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
";

/// Timestamps are stored as fixed-width RFC 3339 so they sort as text.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn bad<E: std::error::Error + Send + Sync + 'static>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// One object as stored.
#[derive(Debug, Clone)]
pub struct ObjectRow {
    pub key: ObjectKey,
    pub blob: String,
    pub location: Location,
    pub size: u64,
    pub etag: String,
    pub last_modified: DateTime<Utc>,
    pub content_type: Option<String>,
    pub metadata: Metadata,
    pub tags: Tags,
    pub state: StoredState,
}

const COLUMNS: &str = "key, blob, location, size, etag, last_modified, content_type, metadata, \
    tags, storage_class, archive_status, restore_tier, restore_requested_at, restore_ready_at, restore_days";

impl ObjectRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let key: String = row.get(0)?;
        let tags: Vec<(String, String)> =
            serde_json::from_str(&row.get::<_, String>(8)?).map_err(bad)?;
        let restore = match row.get::<_, Option<String>>(11)? {
            None => None,
            Some(tier) => Some(RestoreRecord {
                tier: tier.parse::<RestoreTier>().map_err(bad)?,
                requested_at: parse_ts(&row.get::<_, String>(12)?)?,
                ready_at: parse_ts(&row.get::<_, String>(13)?)?,
                days: row.get(14)?,
            }),
        };
        Ok(Self {
            key: ObjectKey::parse(key).map_err(bad)?,
            blob: row.get(1)?,
            location: Location::parse(&row.get::<_, String>(2)?),
            size: row.get::<_, i64>(3)? as u64,
            etag: row.get(4)?,
            last_modified: parse_ts(&row.get::<_, String>(5)?)?,
            content_type: row.get(6)?,
            metadata: serde_json::from_str(&row.get::<_, String>(7)?).map_err(bad)?,
            tags: Tags::from_pairs(tags).map_err(bad)?,
            state: StoredState {
                class: row
                    .get::<_, String>(9)?
                    .parse::<StorageClass>()
                    .map_err(bad)?,
                archive: match row.get::<_, Option<String>>(10)? {
                    Some(a) => Some(a.parse::<ArchiveStatus>().map_err(bad)?),
                    None => None,
                },
                restore,
            },
        })
    }

    /// Reads one object.
    pub fn load(
        conn: &Connection,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> rusqlite::Result<Option<Self>> {
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM objects WHERE bucket = ?1 AND key = ?2"),
            params![bucket.as_str(), key.as_str()],
            Self::from_row,
        )
        .optional()
    }

    /// Objects of `bucket` after `after` with `prefix`, in key order.
    pub fn page(
        conn: &Connection,
        bucket: &BucketName,
        prefix: &str,
        after: &str,
        limit: u32,
    ) -> rusqlite::Result<Vec<Self>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM objects WHERE bucket = ?1 AND key > ?2 \
             AND substr(key, 1, length(?3)) = ?3 ORDER BY key LIMIT ?4"
        ))?;
        let rows = stmt.query_map(
            params![bucket.as_str(), after, prefix, limit],
            Self::from_row,
        )?;
        rows.collect()
    }

    /// Inserts or replaces the row.
    pub fn save(&self, conn: &Connection, bucket: &BucketName) -> rusqlite::Result<()> {
        let tags: Vec<(&str, &str)> = self.tags.iter().collect();
        let r = self.state.restore;
        conn.execute(
            &format!("INSERT OR REPLACE INTO objects (bucket, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
            params![
                bucket.as_str(),
                self.key.as_str(),
                self.blob,
                self.location.as_str(),
                self.size as i64,
                self.etag,
                ts(self.last_modified),
                self.content_type,
                serde_json::to_string(&self.metadata).map_err(bad)?,
                serde_json::to_string(&tags).map_err(bad)?,
                self.state.class.as_str(),
                self.state.archive.map(ArchiveStatus::as_str),
                r.map(|r| r.tier.as_str()),
                r.map(|r| ts(r.requested_at)),
                r.map(|r| ts(r.ready_at)),
                r.and_then(|r| r.days),
            ],
        )?;
        Ok(())
    }

    /// Updates only the storage state (location, class, archive tier, restore) if the
    /// object still has blob `expected_blob`, so concurrent tag writes are not undone.
    /// Returns whether a row was updated.
    pub fn save_state(
        &self,
        conn: &Connection,
        bucket: &BucketName,
        expected_blob: &str,
    ) -> rusqlite::Result<bool> {
        let r = self.state.restore;
        let changed = conn.execute(
            "UPDATE objects SET location = ?1, storage_class = ?2, archive_status = ?3, restore_tier = ?4, \
             restore_requested_at = ?5, restore_ready_at = ?6, restore_days = ?7 \
             WHERE bucket = ?8 AND key = ?9 AND blob = ?10",
            params![
                self.location.as_str(),
                self.state.class.as_str(),
                self.state.archive.map(ArchiveStatus::as_str),
                r.map(|r| r.tier.as_str()),
                r.map(|r| ts(r.requested_at)),
                r.map(|r| ts(r.ready_at)),
                r.and_then(|r| r.days),
                bucket.as_str(),
                self.key.as_str(),
                expected_blob,
            ],
        )?;
        Ok(changed == 1)
    }

    /// The state at `now`.
    pub fn effective(&self, now: DateTime<Utc>) -> Effective {
        restore_model::effective(&self.state, now)
    }

    /// HeadObject's view at `now`.
    pub fn meta(&self, now: DateTime<Utc>) -> ObjectMeta {
        let seen = self.effective(now);
        ObjectMeta {
            key: self.key.clone(),
            size: self.size,
            etag: self.etag.clone(),
            last_modified: self.last_modified,
            storage_class: self.state.class,
            archive_status: seen.archive,
            restore: seen.restore,
            content_type: self.content_type.clone(),
            metadata: self.metadata.clone(),
        }
    }

    /// `InvalidObjectState` unless a GET would succeed at `now`.
    pub fn ensure_readable(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let seen = self.effective(now);
        if seen.readable {
            return Ok(());
        }
        let state = match seen.archive {
            Some(tier) => format!("INTELLIGENT_TIERING in the {tier} tier"),
            None => self.state.class.to_string(),
        };
        let restore = match seen.restore {
            Some(pam_core::RestoreState::Ongoing) => "a restore is in progress",
            _ => "it is not restored",
        };
        Err(StoreError::InvalidObjectState {
            key: self.key.clone(),
            reason: format!("the object is archived ({state}) and {restore}"),
        })
    }
}

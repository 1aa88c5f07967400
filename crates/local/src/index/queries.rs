//! The label index's SQL, as plain synchronous functions over a connection; the
//! async `LabelIndex` impl runs them on the blocking pool.

use crate::{parse_store_ts, store_ts};
use chrono::{DateTime, Utc};
use pam_core::ports::index::{
    Indexed, LabelCount, PhotoEntry, PhotoLabel, PhotoRecord, QuarantineRecord, Recorded,
};
use pam_core::{Label, MatchMode, PhotoKey, Sha256};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};
use std::collections::BTreeMap;

/// A query's outcome that is not a database failure.
pub enum Refusal {
    NotFound,
    AlreadyExists(String),
}

fn conv<E: std::fmt::Display>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
}

pub fn record_photo(
    conn: &mut Connection,
    r: &PhotoRecord,
    now: DateTime<Utc>,
) -> rusqlite::Result<Result<Recorded, Refusal>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let same_key: Option<String> = tx
        .query_row(
            "SELECT sha256 FROM photos WHERE key = ?1",
            [r.key.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(sha) = same_key {
        return Ok(if sha == r.sha256.as_str() {
            Ok(Recorded::AlreadyRecorded)
        } else {
            Err(Refusal::AlreadyExists(sha))
        });
    }
    let same_bytes: Option<String> = tx
        .query_row(
            "SELECT key FROM photos WHERE sha256 = ?1",
            [r.sha256.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(existing) = same_bytes {
        return Ok(Ok(Recorded::DuplicateOf(
            PhotoKey::parse(existing).map_err(conv)?,
        )));
    }
    tx.execute(
        "INSERT INTO photos (key, file_name, size, sha256, crc32, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.key.as_str(), r.file_name, r.size as i64, r.sha256.as_str(), r.crc32, store_ts(now)],
    )?;
    tx.commit()?;
    Ok(Ok(Recorded::New))
}

pub fn index_labels(
    conn: &mut Connection,
    key: &PhotoKey,
    labels: &[PhotoLabel],
    now: DateTime<Utc>,
) -> rusqlite::Result<Result<Indexed, Refusal>> {
    // One entry per name, keeping the highest confidence.
    let mut unique: BTreeMap<&str, &PhotoLabel> = BTreeMap::new();
    for l in labels {
        let keep = unique
            .get(l.name.as_str())
            .is_none_or(|k| k.confidence < l.confidence);
        if keep {
            unique.insert(l.name.as_str(), l);
        }
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let indexed: Option<Option<String>> = tx
        .query_row(
            "SELECT indexed_at FROM photos WHERE key = ?1",
            [key.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    match indexed {
        None => return Ok(Err(Refusal::NotFound)),
        Some(Some(_)) => return Ok(Ok(Indexed::Already)),
        Some(None) => {}
    }
    for (name, l) in &unique {
        let parents = serde_json::to_string(&l.parents).map_err(conv)?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO photo_labels (key, label, confidence, parents) VALUES (?1, ?2, ?3, ?4)",
            params![key.as_str(), name, f64::from(l.confidence), parents],
        )?;
        if inserted == 1 {
            tx.execute(
                "INSERT INTO label_counts (label, count) VALUES (?1, 1) \
                 ON CONFLICT (label) DO UPDATE SET count = count + 1",
                [name],
            )?;
        }
    }
    tx.execute(
        "UPDATE photos SET indexed_at = ?1 WHERE key = ?2",
        params![store_ts(now), key.as_str()],
    )?;
    tx.commit()?;
    Ok(Ok(Indexed::Newly))
}

pub fn label_counts(conn: &Connection) -> rusqlite::Result<Vec<LabelCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT label, count FROM label_counts WHERE count > 0 ORDER BY count DESC, label",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(LabelCount {
            name: Label::parse(row.get::<_, String>(0)?).map_err(conv)?,
            count: row.get::<_, i64>(1)? as u64,
        })
    })?;
    rows.collect()
}

pub fn photos_matching(
    conn: &Connection,
    labels: &[Label],
    mode: MatchMode,
    after: &str,
    limit: u32,
) -> rusqlite::Result<Vec<PhotoKey>> {
    let mut names: Vec<&str> = labels.iter().map(Label::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let marks = vec!["?"; names.len()].join(", ");
    let n = names.len();
    let sql = match mode {
        MatchMode::Any => format!(
            "SELECT DISTINCT key FROM photo_labels WHERE label IN ({marks}) AND key > ?{} ORDER BY key LIMIT ?{}",
            n + 1,
            n + 2
        ),
        MatchMode::All => format!(
            "SELECT key FROM photo_labels WHERE label IN ({marks}) AND key > ?{} GROUP BY key \
             HAVING COUNT(*) = {n} ORDER BY key LIMIT ?{}",
            n + 1,
            n + 2
        ),
    };
    let mut args: Vec<rusqlite::types::Value> =
        names.iter().map(|s| (*s).to_owned().into()).collect();
    args.push(after.to_owned().into());
    args.push(i64::from(limit).into());
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |row| {
        PhotoKey::parse(row.get::<_, String>(0)?).map_err(conv)
    })?;
    rows.collect()
}

fn photo_from_row(row: &Row<'_>) -> rusqlite::Result<(PhotoRecord, Option<DateTime<Utc>>)> {
    let indexed_at: Option<String> = row.get(6)?;
    Ok((
        PhotoRecord {
            key: PhotoKey::parse(row.get::<_, String>(0)?).map_err(conv)?,
            file_name: row.get(1)?,
            size: row.get::<_, i64>(2)? as u64,
            sha256: Sha256::parse(row.get::<_, String>(3)?).map_err(conv)?,
            crc32: row.get(4)?,
        },
        indexed_at.as_deref().map(parse_store_ts).transpose()?,
    ))
}

fn labels_of(conn: &Connection, key: &str) -> rusqlite::Result<Vec<PhotoLabel>> {
    let mut stmt = conn.prepare_cached(
        "SELECT label, confidence, parents FROM photo_labels WHERE key = ?1 ORDER BY confidence DESC, label",
    )?;
    let rows = stmt.query_map([key], |row| {
        Ok(PhotoLabel {
            name: Label::parse(row.get::<_, String>(0)?).map_err(conv)?,
            confidence: row.get::<_, f64>(1)? as f32,
            parents: serde_json::from_str(&row.get::<_, String>(2)?).map_err(conv)?,
        })
    })?;
    rows.collect()
}

const PHOTO_COLUMNS: &str = "key, file_name, size, sha256, crc32, recorded_at, indexed_at";

pub fn photo(conn: &Connection, key: &PhotoKey) -> rusqlite::Result<Option<PhotoEntry>> {
    let found = conn
        .query_row(
            &format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE key = ?1"),
            [key.as_str()],
            photo_from_row,
        )
        .optional()?;
    let Some((record, indexed_at)) = found else {
        return Ok(None);
    };
    let labels = labels_of(conn, record.key.as_str())?;
    Ok(Some(PhotoEntry {
        record,
        indexed_at,
        labels,
    }))
}

pub fn list_photos(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> rusqlite::Result<Vec<PhotoEntry>> {
    // One read transaction, so a page is a consistent snapshot under concurrent writers.
    let tx = conn.transaction()?;
    let photos = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE key > ?1 ORDER BY key LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit], photo_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut entries = Vec::with_capacity(photos.len());
    for (record, indexed_at) in photos {
        let labels = labels_of(&tx, record.key.as_str())?;
        entries.push(PhotoEntry {
            record,
            indexed_at,
            labels,
        });
    }
    tx.commit()?;
    Ok(entries)
}

pub fn quarantine(conn: &Connection, r: &QuarantineRecord) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO quarantine (key, error, reason, at) VALUES (?1, ?2, ?3, ?4)",
        params![r.key.as_str(), r.error, r.reason, store_ts(r.at)],
    )?;
    Ok(())
}

pub fn quarantined(
    conn: &Connection,
    after: &str,
    limit: u32,
) -> rusqlite::Result<Vec<QuarantineRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, error, reason, at FROM quarantine WHERE key > ?1 ORDER BY key LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit], |row| {
        Ok(QuarantineRecord {
            key: PhotoKey::parse(row.get::<_, String>(0)?).map_err(conv)?,
            error: row.get(1)?,
            reason: row.get(2)?,
            at: parse_store_ts(&row.get::<_, String>(3)?)?,
        })
    })?;
    rows.collect()
}

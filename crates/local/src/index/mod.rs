//! The label index on SQLite (WAL, busy timeout), safe for several connections and
//! processes at once: every write is one IMMEDIATE transaction, so a photo's labels are
//! counted exactly once however many deliveries race.

mod queries;
mod schema;

use crate::db::{Db, is_busy};
use async_trait::async_trait;
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::index::*;
use pam_core::{Label, MatchMode, PhotoKey};
use queries::Refusal;
use std::path::Path;
use std::sync::Arc;

/// `LabelIndex` on a SQLite file. Each value holds one connection; open several (or
/// clone one) to share the file.
#[derive(Debug, Clone)]
pub struct SqliteIndex {
    db: Db,
    clock: Arc<dyn Clock>,
}

fn db_error(e: rusqlite::Error) -> IndexError {
    if is_busy(&e) {
        IndexError::Transient {
            index: "sqlite-index",
            source: Box::new(e),
        }
    } else {
        IndexError::Backend {
            index: "sqlite-index",
            source: Box::new(e),
        }
    }
}

/// Checks a page request; returns the key to continue after and the page size.
fn page_bounds(page: &PageRequest) -> Result<(String, u32), IndexError> {
    if !(1..=1000).contains(&page.limit) {
        return Err(IndexError::InvalidArgument(format!(
            "page size {} is outside 1..=1000",
            page.limit
        )));
    }
    let after = match &page.after {
        None => String::new(),
        Some(token) => PhotoKey::parse(token.as_str())
            .map_err(|_| {
                IndexError::InvalidArgument(format!(
                    "page token {token:?} is not one this index issued"
                ))
            })?
            .to_string(),
    };
    Ok((after, page.limit))
}

fn paged<T>(mut items: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Page<T> {
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next }
}

impl SqliteIndex {
    /// Opens (creating) the index at `path`.
    pub async fn open(path: &Path) -> Result<Self, IndexError> {
        Self::open_with_clock(path, Arc::new(SystemClock)).await
    }

    /// Opens the index with a clock for its timestamps.
    pub async fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, IndexError> {
        let path = path.to_path_buf();
        let db =
            tokio::task::spawn_blocking(move || Db::open(&path, "sqlite-index", schema::SCHEMA))
                .await
                .map_err(|e| IndexError::Backend {
                    index: "sqlite-index",
                    source: Box::new(e),
                })?
                .map_err(db_error)?;
        Ok(Self { db, clock })
    }
}

#[async_trait]
impl LabelIndex for SqliteIndex {
    async fn record_photo(&self, record: &PhotoRecord) -> Result<Recorded, IndexError> {
        let (r, now) = (record.clone(), self.clock.now());
        match self
            .db
            .call(move |c| queries::record_photo(c, &r, now))
            .await
            .map_err(db_error)?
        {
            Ok(outcome) => Ok(outcome),
            Err(Refusal::AlreadyExists(existing)) => Err(IndexError::AlreadyExists {
                key: record.key.clone(),
                existing,
            }),
            Err(Refusal::NotFound) => Err(IndexError::NotFound(record.key.clone())),
        }
    }

    async fn index_labels(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Indexed, IndexError> {
        let (k, l, now) = (key.clone(), labels.to_vec(), self.clock.now());
        match self
            .db
            .call(move |c| queries::index_labels(c, &k, &l, now))
            .await
            .map_err(db_error)?
        {
            Ok(outcome) => {
                tracing::debug!(%key, ?outcome, labels = labels.len(), "labels indexed");
                Ok(outcome)
            }
            Err(Refusal::NotFound) => Err(IndexError::NotFound(key.clone())),
            Err(Refusal::AlreadyExists(existing)) => Err(IndexError::AlreadyExists {
                key: key.clone(),
                existing,
            }),
        }
    }

    async fn label_counts(&self) -> Result<Vec<LabelCount>, IndexError> {
        self.db
            .call(|c| queries::label_counts(c))
            .await
            .map_err(db_error)
    }

    async fn photos_matching(
        &self,
        labels: &[Label],
        mode: MatchMode,
        page: PageRequest,
    ) -> Result<Page<PhotoKey>, IndexError> {
        if labels.is_empty() {
            return Err(IndexError::InvalidArgument(
                "at least one label is needed".into(),
            ));
        }
        let (after, limit) = page_bounds(&page)?;
        let wanted = labels.to_vec();
        let keys = self
            .db
            .call(move |c| queries::photos_matching(c, &wanted, mode, &after, limit + 1))
            .await
            .map_err(db_error)?;
        Ok(paged(keys, limit, |k| k.to_string()))
    }

    async fn photo(&self, key: &PhotoKey) -> Result<Option<PhotoEntry>, IndexError> {
        let k = key.clone();
        self.db
            .call(move |c| queries::photo(c, &k))
            .await
            .map_err(db_error)
    }

    async fn list_photos(&self, page: PageRequest) -> Result<Page<PhotoEntry>, IndexError> {
        let (after, limit) = page_bounds(&page)?;
        let entries = self
            .db
            .call(move |c| queries::list_photos(c, &after, limit + 1))
            .await
            .map_err(db_error)?;
        Ok(paged(entries, limit, |e| e.record.key.to_string()))
    }

    async fn quarantine(&self, record: &QuarantineRecord) -> Result<(), IndexError> {
        let r = record.clone();
        tracing::info!(key = %record.key, error = %record.error, "photo quarantined");
        self.db
            .call(move |c| queries::quarantine(c, &r))
            .await
            .map_err(db_error)
    }

    async fn quarantined(&self, page: PageRequest) -> Result<Page<QuarantineRecord>, IndexError> {
        let (after, limit) = page_bounds(&page)?;
        let records = self
            .db
            .call(move |c| queries::quarantined(c, &after, limit + 1))
            .await
            .map_err(db_error)?;
        Ok(paged(records, limit, |r| r.key.to_string()))
    }
}

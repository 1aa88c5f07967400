//! The download job log on SQLite: one row per job holding the [`JobRecord`] as JSON,
//! in its own file (`jobs.sqlite` in the data directory) so that it can be opened by
//! `pam serve`, `pam jobs` and the steps at once. Every change is one IMMEDIATE
//! transaction (read, [`JobRecord::apply`], write), so two steps racing on the same job
//! never lose an update and a redelivered step never moves a job backwards.

use crate::db::{Db, is_busy};
use async_trait::async_trait;
use pam_core::JobId;
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::index::{Page, PageRequest};
use pam_core::ports::jobs::{JobError, JobLog, JobRecord, JobUpdate};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::Arc;

const LOG: &str = "sqlite-jobs";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    job_id     TEXT PRIMARY KEY,
    created_us INTEGER NOT NULL,
    record     TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS jobs_newest ON jobs (created_us DESC, job_id DESC);
";

/// `JobLog` on a SQLite file. Clone it, or open the file again, to share it.
#[derive(Debug, Clone)]
pub struct SqliteJobLog {
    db: Db,
    clock: Arc<dyn Clock>,
}

/// Why a stored row could not be used (a row another version wrote, or corruption).
#[derive(Debug, thiserror::Error)]
#[error("job {job} has an unreadable record: {source}")]
struct BadRow {
    job: String,
    source: serde_json::Error,
}

fn db_error(e: rusqlite::Error) -> JobError {
    if is_busy(&e) {
        JobError::Transient {
            log: LOG,
            source: Box::new(e),
        }
    } else {
        JobError::Backend {
            log: LOG,
            source: Box::new(e),
        }
    }
}

/// What a transaction decided, before it becomes a `JobError`.
enum Outcome<T> {
    Done(T),
    NotFound,
    Conflict,
    BadRow(BadRow),
}

fn read(c: &Connection, job: &str) -> rusqlite::Result<Option<Result<JobRecord, BadRow>>> {
    let text: Option<String> = c
        .query_row("SELECT record FROM jobs WHERE job_id = ?1", [job], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.map(|t| decode(job, &t)))
}

fn decode(job: &str, text: &str) -> Result<JobRecord, BadRow> {
    serde_json::from_str(text).map_err(|source| BadRow {
        job: job.to_owned(),
        source,
    })
}

fn encode(record: &JobRecord) -> String {
    serde_json::to_string(record).expect("a JobRecord always serialises")
}

/// The page token: the last item's creation time and id. Opaque to callers.
fn token(record: &JobRecord) -> String {
    format!("{}~{}", record.created_at.timestamp_micros(), record.job_id)
}

fn parse_token(token: &str) -> Result<(i64, String), JobError> {
    let bad =
        || JobError::InvalidArgument(format!("page token {token:?} is not one this log issued"));
    let (us, id) = token.split_once('~').ok_or_else(bad)?;
    let us: i64 = us.parse().map_err(|_| bad())?;
    let id = JobId::parse(id).map_err(|_| bad())?;
    Ok((us, id.as_str().to_owned()))
}

impl SqliteJobLog {
    /// Opens (creating) the job log at `path`, timestamping updates with the system clock.
    pub async fn open(path: &Path) -> Result<Self, JobError> {
        Self::open_with_clock(path, Arc::new(SystemClock)).await
    }

    /// Opens the job log with a clock for `updated_at`.
    pub async fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, JobError> {
        let path = path.to_path_buf();
        let db = tokio::task::spawn_blocking(move || Db::open(&path, LOG, SCHEMA))
            .await
            .map_err(|e| JobError::Backend {
                log: LOG,
                source: Box::new(e),
            })?
            .map_err(db_error)?;
        Ok(Self { db, clock })
    }

    fn finish<T>(&self, job: &JobId, outcome: Outcome<T>) -> Result<T, JobError> {
        match outcome {
            Outcome::Done(v) => Ok(v),
            Outcome::NotFound => Err(JobError::NotFound(job.clone())),
            Outcome::Conflict => Err(JobError::Conflict(job.clone())),
            Outcome::BadRow(bad) => Err(JobError::Backend {
                log: LOG,
                source: Box::new(bad),
            }),
        }
    }
}

#[async_trait]
impl JobLog for SqliteJobLog {
    async fn create(&self, record: &JobRecord) -> Result<(), JobError> {
        let r = record.clone();
        let outcome = self
            .db
            .call(move |c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let outcome = match read(&tx, r.job_id.as_str())? {
                    Some(Ok(existing)) if existing.same_request(&r) => Outcome::Done(false),
                    Some(Ok(_)) => Outcome::Conflict,
                    Some(Err(bad)) => Outcome::BadRow(bad),
                    None => {
                        tx.execute(
                            "INSERT INTO jobs (job_id, created_us, record) VALUES (?1, ?2, ?3)",
                            params![
                                r.job_id.as_str(),
                                r.created_at.timestamp_micros(),
                                encode(&r)
                            ],
                        )?;
                        Outcome::Done(true)
                    }
                };
                tx.commit()?;
                Ok(outcome)
            })
            .await
            .map_err(db_error)?;
        let created = self.finish(&record.job_id, outcome)?;
        tracing::debug!(job = %record.job_id, created, "download job recorded");
        Ok(())
    }

    async fn update(&self, job: &JobId, update: JobUpdate) -> Result<JobRecord, JobError> {
        let (id, now) = (job.clone(), self.clock.now());
        let outcome = self
            .db
            .call(move |c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let outcome = match read(&tx, id.as_str())? {
                    None => Outcome::NotFound,
                    Some(Err(bad)) => Outcome::BadRow(bad),
                    Some(Ok(mut record)) => {
                        if !record.stage.is_final() {
                            record.apply(update, now);
                            tx.execute(
                                "UPDATE jobs SET record = ?2 WHERE job_id = ?1",
                                params![id.as_str(), encode(&record)],
                            )?;
                        }
                        Outcome::Done(record)
                    }
                };
                tx.commit()?;
                Ok(outcome)
            })
            .await
            .map_err(db_error)?;
        let record = self.finish(job, outcome)?;
        tracing::debug!(%job, stage = ?record.stage, "download job updated");
        Ok(record)
    }

    async fn get(&self, job: &JobId) -> Result<Option<JobRecord>, JobError> {
        let id = job.clone();
        let found = self
            .db
            .call(move |c| read(c, id.as_str()))
            .await
            .map_err(db_error)?;
        match found {
            None => Ok(None),
            Some(Ok(record)) => Ok(Some(record)),
            Some(Err(bad)) => self.finish(job, Outcome::BadRow(bad)),
        }
    }

    async fn list(&self, page: PageRequest) -> Result<Page<JobRecord>, JobError> {
        if !(1..=1000).contains(&page.limit) {
            return Err(JobError::InvalidArgument(format!(
                "page size {} is outside 1..=1000",
                page.limit
            )));
        }
        let after = page.after.as_deref().map(parse_token).transpose()?;
        let limit = page.limit;
        let rows: Vec<(String, String)> = self
            .db
            .call(move |c| {
                // No token: start above every real creation time.
                let (us, id) = after.unwrap_or((i64::MAX, String::new()));
                let mut stmt = c.prepare_cached(
                    "SELECT job_id, record FROM jobs
                     WHERE (created_us, job_id) < (?1, ?2)
                     ORDER BY created_us DESC, job_id DESC LIMIT ?3",
                )?;
                let rows = stmt
                    .query_map(params![us, id, i64::from(limit) + 1], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .await
            .map_err(db_error)?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, text) in rows {
            items.push(decode(&id, &text).map_err(|bad| JobError::Backend {
                log: LOG,
                source: Box::new(bad),
            })?);
        }
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(token)
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_strangers() {
        assert_eq!(
            parse_token("1700000000000000~job-1").unwrap(),
            (1_700_000_000_000_000, "job-1".to_owned())
        );
        for bad in ["", "job-1", "x~job-1", "12~", "12~a b", "12"] {
            assert!(
                matches!(parse_token(bad), Err(JobError::InvalidArgument(_))),
                "{bad:?} accepted"
            );
        }
    }
}

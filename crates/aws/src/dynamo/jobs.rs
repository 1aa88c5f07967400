//! [`DynamoJobLog`]: the `JobLog` port on the PAM table.
//!
//! | item | `pk` | `sk` | other attributes | `gsi1pk` / `gsi1sk` |
//! |---|---|---|---|---|
//! | job | `JOB#<id>` | `JOB` | `record` (the `JobRecord` as JSON), `version` (N), `ttl` | `JOBS` / `<created_at>#<id>` |
//!
//! - `create` is a conditional put (`attribute_not_exists(pk)`); when the item exists the
//!   stored request is compared (`JobRecord::same_request`): the same one is `Ok`, another
//!   is `Conflict`.
//! - `update` reads the item consistently, applies the change with `JobRecord::apply`
//!   (the shared rules: stages only move forward, final stays final) and writes it back
//!   on condition that `version` is still the one read; a concurrent writer makes it
//!   read again. So two steps updating one job never lose each other's change.
//! - `list` queries `gsi1` newest first, following `LastEvaluatedKey`.
//! - Job items expire ([`JOB_RETENTION_DAYS`]) through the table's TTL attribute `ttl`.

use async_trait::async_trait;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::Utc;
use pam_core::JobId;
use pam_core::ports::index::{Page, PageRequest};
use pam_core::ports::jobs::{JobError, JobLog, JobRecord, JobUpdate};

use super::items::{self, GSI, GSI_PK, GSI_SK, Item, n, s};
use crate::sdk_error::is_transient;

const LOG: &str = "dynamodb";
/// GSI partition holding every job, by creation time.
const ALL_JOBS: &str = "JOBS";
/// How long a job's record stays readable after it was created.
pub const JOB_RETENTION_DAYS: i64 = 30;
/// How often an update lost to a concurrent one is tried again.
const UPDATE_ATTEMPTS: u32 = 50;

fn job_err<E>(err: SdkError<E, HttpResponse>) -> JobError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if is_transient(&err) {
        JobError::Transient {
            log: LOG,
            source: Box::new(err),
        }
    } else {
        JobError::Backend {
            log: LOG,
            source: Box::new(err),
        }
    }
}

fn corrupt(what: impl std::fmt::Display) -> JobError {
    JobError::Backend {
        log: LOG,
        source: format!("unexpected job item: {what}").into(),
    }
}

fn job_key(job: &JobId) -> Item {
    items::key(format!("JOB#{job}"), "JOB")
}

fn is_condition_failure<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

/// The download job log on a DynamoDB table (see the module documentation).
#[derive(Debug, Clone)]
pub struct DynamoJobLog {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoJobLog {
    /// A job log on `table` (created by [`create_table`](super::create_table) or CDK).
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn item(record: &JobRecord, version: u64) -> Result<Item, JobError> {
        let json = serde_json::to_string(record).map_err(corrupt)?;
        let expires = record.created_at.timestamp() + JOB_RETENTION_DAYS * 86_400;
        let mut item = job_key(&record.job_id);
        item.extend([
            ("record".to_owned(), s(json)),
            ("version".to_owned(), n(version)),
            ("ttl".to_owned(), n(expires)),
            (GSI_PK.to_owned(), s(ALL_JOBS)),
            (
                GSI_SK.to_owned(),
                s(format!(
                    "{}#{}",
                    record.created_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
                    record.job_id
                )),
            ),
        ]);
        Ok(item)
    }

    fn parse(item: &Item) -> Result<(JobRecord, u64), JobError> {
        let Some(AttributeValue::S(json)) = item.get("record") else {
            return Err(corrupt("no record attribute"));
        };
        let record: JobRecord = serde_json::from_str(json).map_err(corrupt)?;
        let version = match item.get("version") {
            Some(AttributeValue::N(v)) => v.parse().map_err(|_| corrupt("version"))?,
            _ => return Err(corrupt("no version attribute")),
        };
        Ok((record, version))
    }

    async fn read(&self, job: &JobId) -> Result<Option<(JobRecord, u64)>, JobError> {
        let got = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(job_key(job)))
            .consistent_read(true)
            .send()
            .await
            .map_err(job_err)?;
        got.item().map(Self::parse).transpose()
    }
}

#[async_trait]
impl JobLog for DynamoJobLog {
    async fn create(&self, record: &JobRecord) -> Result<(), JobError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(Self::item(record, 1)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => match self.read(&record.job_id).await? {
                Some((stored, _)) if stored.same_request(record) => Ok(()),
                Some(_) => Err(JobError::Conflict(record.job_id.clone())),
                // Created and expired between the two calls: vanishingly rare; say so.
                None => Err(JobError::Transient {
                    log: LOG,
                    source: "the job item vanished while being created".into(),
                }),
            },
            Err(e) => Err(job_err(e)),
        }
    }

    async fn update(&self, job: &JobId, update: JobUpdate) -> Result<JobRecord, JobError> {
        for attempt in 0..UPDATE_ATTEMPTS {
            let (mut record, version) = self
                .read(job)
                .await?
                .ok_or_else(|| JobError::NotFound(job.clone()))?;
            let before = record.clone();
            record.apply(update.clone(), Utc::now());
            if record.stage.is_final() && before.stage.is_final() {
                // A final job ignores every change: nothing to write.
                return Ok(before);
            }
            let put = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(Self::item(&record, version + 1)?))
                .condition_expression("version = :v")
                .expression_attribute_values(":v", n(version))
                .send()
                .await;
            match put {
                Ok(_) => return Ok(record),
                Err(e) if is_condition_failure(&e) => {
                    tracing::debug!(%job, attempt, "job changed concurrently; reading again");
                    let pause = 5 * u64::from(attempt + 1)
                        + u64::from(Utc::now().timestamp_subsec_micros() % 10);
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                Err(e) => return Err(job_err(e)),
            }
        }
        Err(JobError::Transient {
            log: LOG,
            source: format!("job {job} kept changing during {UPDATE_ATTEMPTS} attempts").into(),
        })
    }

    async fn get(&self, job: &JobId) -> Result<Option<JobRecord>, JobError> {
        Ok(self.read(job).await?.map(|(record, _)| record))
    }

    async fn list(&self, page: PageRequest) -> Result<Page<JobRecord>, JobError> {
        let (after, limit) =
            items::page_bounds(&page).map_err(|e| JobError::InvalidArgument(e.to_string()))?;
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        let mut last_sort = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI)
                .scan_index_forward(false)
                .expression_attribute_values(":p", s(ALL_JOBS))
                .limit((limit - out.len() + 1).min(100) as i32)
                .set_exclusive_start_key(start.take());
            query = if after.is_empty() {
                query.key_condition_expression("gsi1pk = :p")
            } else {
                query
                    .key_condition_expression("gsi1pk = :p AND gsi1sk < :a")
                    .expression_attribute_values(":a", s(after.clone()))
            };
            let answer = query.send().await.map_err(job_err)?;
            for item in answer.items() {
                if out.len() == limit {
                    // One more exists: the page continues after the last one kept.
                    let next = last_sort.take().map(|k: String| items::encode_token(&k));
                    return Ok(Page { items: out, next });
                }
                let (record, _) = Self::parse(item)?;
                let Some(AttributeValue::S(sort)) = item.get(GSI_SK) else {
                    return Err(corrupt("no gsi1sk"));
                };
                last_sort = Some(sort.clone());
                out.push(record);
            }
            match answer.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => {
                    return Ok(Page {
                        items: out,
                        next: None,
                    });
                }
            }
        }
    }
}

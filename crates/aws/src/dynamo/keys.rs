//! [`DynamoJobKeys`]: the `JobKeys` port on the PAM table — one item per running job,
//! `pk` `JOBKEY#<id>`, `sk` `KEY`, the 32-byte key as a binary attribute `key`.
//!
//! - `create` is a conditional put (`attribute_not_exists(pk)`); if another call won the
//!   race its key is read back consistently and returned, so every caller seals with the
//!   same key.
//! - `erase` is DeleteItem: the item is gone, not marked. Backups of the table (PITR)
//!   keep deleted items for their retention window; that window is part of the
//!   crypto-shredding promise and is documented with the table in CDK.
//! - A key also expires by TTL ([`KEY_RETENTION_DAYS`]), a backstop for a job whose
//!   CloseChannel never ran; DynamoDB deletes expired items within days, so `get` also
//!   treats an expired key as gone.

use async_trait::async_trait;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::Utc;
use pam_core::ports::keys::{JobKeys, KeysError};
use pam_core::{JobId, JobKey};

use super::items::{self, Item, n};
use crate::sdk_error::is_transient;

const STORE: &str = "dynamodb";
/// How long an unerased key may live (longer than any download job runs).
pub const KEY_RETENTION_DAYS: i64 = 14;

fn keys_err<E>(err: SdkError<E, HttpResponse>) -> KeysError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if is_transient(&err) {
        KeysError::Transient {
            store: STORE,
            source: Box::new(err),
        }
    } else {
        KeysError::Backend {
            store: STORE,
            source: Box::new(err),
        }
    }
}

fn key_item(job: &JobId) -> Item {
    items::key(format!("JOBKEY#{job}"), "KEY")
}

/// Per-job sealing keys on a DynamoDB table.
#[derive(Debug, Clone)]
pub struct DynamoJobKeys {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoJobKeys {
    /// Job keys on `table`.
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn parse(item: &Item) -> Result<Option<JobKey>, KeysError> {
        if let Some(AttributeValue::N(ttl)) = item.get("ttl")
            && ttl
                .parse::<i64>()
                .is_ok_and(|t| t <= Utc::now().timestamp())
        {
            return Ok(None);
        }
        let Some(AttributeValue::B(bytes)) = item.get("key") else {
            return Err(KeysError::Backend {
                store: STORE,
                source: "job key item without a binary `key`".into(),
            });
        };
        JobKey::from_bytes(bytes.as_ref())
            .map(Some)
            .map_err(|e| KeysError::Backend {
                store: STORE,
                source: Box::new(e),
            })
    }
}

#[async_trait]
impl JobKeys for DynamoJobKeys {
    async fn create(&self, job: &JobId) -> Result<JobKey, KeysError> {
        let fresh = JobKey::generate();
        let mut item = key_item(job);
        item.insert(
            "key".into(),
            AttributeValue::B(Blob::new(fresh.as_bytes().to_vec())),
        );
        item.insert(
            "ttl".into(),
            n(Utc::now().timestamp() + KEY_RETENTION_DAYS * 86_400),
        );
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match put {
            Ok(_) => Ok(fresh),
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                self.get(job).await?.ok_or_else(|| KeysError::Backend {
                    store: STORE,
                    source: format!("the key of job {job} exists but has expired").into(),
                })
            }
            Err(e) => Err(keys_err(e)),
        }
    }

    async fn get(&self, job: &JobId) -> Result<Option<JobKey>, KeysError> {
        let got = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_item(job)))
            .consistent_read(true)
            .send()
            .await
            .map_err(keys_err)?;
        match got.item() {
            Some(item) => Self::parse(item),
            None => Ok(None),
        }
    }

    async fn erase(&self, job: &JobId) -> Result<(), KeysError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_item(job)))
            .send()
            .await
            .map_err(keys_err)?;
        Ok(())
    }
}

//! The writes of the label index: recording a photo (content dedupe), indexing its
//! labels (counted once, in one transaction), membership items, quarantine records.
//! Transactions cancelled by a concurrent one (`TransactionConflict`) are retried; a
//! failed condition is read back and answered as the port's contract says.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, PutRequest, TransactWriteItem, Update, WriteRequest};
use chrono::Utc;
use pam_core::ports::index::{
    IndexError, Indexed, PhotoLabel, PhotoRecord, QuarantineRecord, Recorded,
};
use pam_core::{Label, PhotoKey};
use std::collections::HashMap;
use std::time::Duration;

use super::error::{INDEX, build_err, index_err};
use super::items::{self, ALL_LABELS, GSI_PK, GSI_SK, Item, n, s};
use super::{DynamoIndex, MAX_LABELS};

/// How often a transaction cancelled by a concurrent one is tried again.
const CONFLICT_ATTEMPTS: u32 = 10;

/// Why a transaction did not commit.
enum Cancelled {
    /// A condition failed (the state was not what the write expected).
    Condition,
    /// Another transaction touched the same items; try again.
    Conflict,
}

fn cancelled(
    err: SdkError<TransactWriteItemsError, HttpResponse>,
) -> Result<Cancelled, IndexError> {
    if let Some(TransactWriteItemsError::TransactionCanceledException(e)) = err.as_service_error() {
        let codes: Vec<&str> = e
            .cancellation_reasons()
            .iter()
            .filter_map(|r| r.code())
            .collect();
        if codes.contains(&"ConditionalCheckFailed") {
            return Ok(Cancelled::Condition);
        }
        if codes.is_empty() || codes.contains(&"TransactionConflict") {
            return Ok(Cancelled::Conflict);
        }
    }
    if err.code() == Some("TransactionInProgressException") {
        return Ok(Cancelled::Conflict);
    }
    Err(index_err(err))
}

async fn backoff(attempt: u32) {
    let jitter = u64::from(Utc::now().timestamp_subsec_micros() % 20);
    tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt) + jitter)).await;
}

/// A photo's labels with duplicates merged (highest confidence kept), highest first.
fn merged(labels: &[PhotoLabel]) -> Vec<PhotoLabel> {
    let mut by_name: HashMap<&Label, &PhotoLabel> = HashMap::new();
    for label in labels {
        let keep = by_name
            .get(&label.name)
            .is_none_or(|old| label.confidence > old.confidence);
        if keep {
            by_name.insert(&label.name, label);
        }
    }
    let mut out: Vec<PhotoLabel> = by_name.into_values().cloned().collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

impl DynamoIndex {
    fn put(&self, item: Item) -> Result<TransactWriteItem, IndexError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|e| build_err("a conditional put", e))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub(super) async fn get_item(&self, key: Item) -> Result<Option<Item>, IndexError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(index_err)?;
        Ok(out.item)
    }

    pub(super) async fn record(&self, record: &PhotoRecord) -> Result<Recorded, IndexError> {
        let mut sha_item = items::sha_key(&record.sha256);
        sha_item.insert("photo_key".into(), s(record.key.as_str()));
        for attempt in 1..=CONFLICT_ATTEMPTS {
            let sent = self
                .client
                .transact_write_items()
                .transact_items(self.put(sha_item.clone())?)
                .transact_items(self.put(items::photo_item(record))?)
                .send()
                .await;
            let Err(err) = sent else {
                return Ok(Recorded::New);
            };
            if let Cancelled::Conflict = cancelled(err)? {
                backoff(attempt).await;
                continue;
            }
            if let Some(photo) = self.get_item(items::photo_key(&record.key)).await? {
                let existing = items::get_s(&photo, "sha256")?;
                return if existing == record.sha256.as_str() {
                    Ok(Recorded::AlreadyRecorded)
                } else {
                    Err(IndexError::AlreadyExists {
                        key: record.key.clone(),
                        existing: existing.to_owned(),
                    })
                };
            }
            if let Some(sha) = self.get_item(items::sha_key(&record.sha256)).await? {
                let owner = items::parse_photo_key(items::get_s(&sha, "photo_key")?)?;
                if owner != record.key {
                    return Ok(Recorded::DuplicateOf(owner));
                }
            }
            // Both items vanished between the write and the reads: try again.
            backoff(attempt).await;
        }
        Err(IndexError::Transient {
            index: INDEX,
            source: format!(
                "recording {} kept conflicting with concurrent writes",
                record.key
            )
            .into(),
        })
    }

    fn count_once(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Vec<TransactWriteItem>, IndexError> {
        let mark = Update::builder()
            .table_name(&self.table)
            .set_key(Some(items::photo_key(key)))
            .update_expression("SET indexed_at = :now, labels = :labels")
            .condition_expression("attribute_exists(pk) AND attribute_not_exists(indexed_at)")
            .expression_attribute_values(":now", s(Utc::now().to_rfc3339()))
            .expression_attribute_values(":labels", items::labels_value(labels))
            .build()
            .map_err(|e| build_err("the indexed marker", e))?;
        let mut writes = vec![TransactWriteItem::builder().update(mark).build()];
        for label in labels {
            let counter = Update::builder()
                .table_name(&self.table)
                .set_key(Some(items::counter_key(&label.name)))
                .update_expression("ADD photos :one SET label = :name, #gpk = :all, #gsk = :name")
                .expression_attribute_names("#gpk", GSI_PK)
                .expression_attribute_names("#gsk", GSI_SK)
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":name", s(label.name.as_str()))
                .expression_attribute_values(":all", s(ALL_LABELS))
                .build()
                .map_err(|e| build_err("a label counter", e))?;
            writes.push(TransactWriteItem::builder().update(counter).build());
        }
        Ok(writes)
    }

    pub(super) async fn index(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Indexed, IndexError> {
        let labels = merged(labels);
        if labels.len() > MAX_LABELS {
            return Err(IndexError::InvalidArgument(format!(
                "{} distinct labels for {key}; at most {MAX_LABELS} are indexed per photo",
                labels.len()
            )));
        }
        for attempt in 1..=CONFLICT_ATTEMPTS {
            let sent = self
                .client
                .transact_write_items()
                .set_transact_items(Some(self.count_once(key, &labels)?))
                .send()
                .await;
            let Err(err) = sent else {
                self.write_members(key, &labels).await?;
                tracing::debug!(%key, labels = labels.len(), "labels counted");
                return Ok(Indexed::Newly);
            };
            if let Cancelled::Conflict = cancelled(err)? {
                backoff(attempt).await;
                continue;
            }
            let Some(photo) = self.get_item(items::photo_key(key)).await? else {
                return Err(IndexError::NotFound(key.clone()));
            };
            if photo.contains_key("indexed_at") {
                // Redelivery: the first indexing stands; heal its member items.
                self.write_members(key, &items::labels_from(&photo)?)
                    .await?;
                return Ok(Indexed::Already);
            }
            backoff(attempt).await;
        }
        Err(IndexError::Transient {
            index: INDEX,
            source: format!("indexing {key} kept conflicting with concurrent writes").into(),
        })
    }

    /// Puts one member item per label (idempotent), 25 per BatchWriteItem.
    async fn write_members(&self, key: &PhotoKey, labels: &[PhotoLabel]) -> Result<(), IndexError> {
        for chunk in labels.chunks(25) {
            let mut requests = chunk
                .iter()
                .map(|l| {
                    let put = PutRequest::builder()
                        .set_item(Some(items::member_item(&l.name, key)))
                        .build()
                        .map_err(|e| build_err("a member item", e))?;
                    Ok(WriteRequest::builder().put_request(put).build())
                })
                .collect::<Result<Vec<_>, IndexError>>()?;
            for attempt in 1..=CONFLICT_ATTEMPTS {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, requests)
                    .send()
                    .await
                    .map_err(index_err)?;
                requests = out
                    .unprocessed_items
                    .and_then(|mut m| m.remove(&self.table))
                    .unwrap_or_default();
                if requests.is_empty() {
                    break;
                }
                if attempt == CONFLICT_ATTEMPTS {
                    return Err(IndexError::Transient {
                        index: INDEX,
                        source: format!("member items of {key} stayed unprocessed").into(),
                    });
                }
                backoff(attempt).await;
            }
        }
        Ok(())
    }

    pub(super) async fn put_quarantine(&self, record: &QuarantineRecord) -> Result<(), IndexError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(items::quarantine_item(record)))
            .send()
            .await
            .map_err(index_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_merge_keeping_the_highest_confidence() {
        let label = |name: &str, confidence| PhotoLabel {
            name: Label::parse(name).unwrap(),
            confidence,
            parents: vec![],
        };
        let out = merged(&[
            label("Mountain", 80.0),
            label("Nature", 85.0),
            label("Mountain", 90.0),
        ]);
        let got: Vec<(&str, f32)> = out
            .iter()
            .map(|l| (l.name.as_str(), l.confidence))
            .collect();
        assert_eq!(got, [("Mountain", 90.0), ("Nature", 85.0)]);
    }
}

//! `DynamoJobLog` and `DynamoJobKeys` on moto: the JobLog and JobKeys conformance
//! scenarios on a fresh table (several independently built clients for the concurrent
//! ones), then what is specific to DynamoDB: the TTL attribute and that an erased key's
//! item is gone from the table, not marked.

use aws_sdk_dynamodb::types::AttributeValue;
use pam_aws::{DynamoJobKeys, DynamoJobLog};
use pam_core::JobId;
use pam_core::conformance;
use pam_core::ports::{JobKeys, JobLog};
use std::sync::Arc;

#[tokio::test]
async fn conformance_job_create_is_idempotent() {
    let moto = crate::moto!();
    conformance::job_create_is_idempotent(&moto.fresh_jobs().await.0).await;
}

#[tokio::test]
async fn conformance_job_update_rules() {
    let moto = crate::moto!();
    conformance::job_update_rules(&moto.fresh_jobs().await.0).await;
}

#[tokio::test]
async fn conformance_job_list_newest_first() {
    let moto = crate::moto!();
    conformance::job_list_newest_first(&moto.fresh_jobs().await.0).await;
}

#[tokio::test]
async fn conformance_job_updates_concurrently() {
    let moto = crate::moto!();
    let (_, table) = moto.fresh_jobs().await;
    let mut handles: Vec<Arc<dyn JobLog>> = Vec::new();
    for _ in 0..3 {
        let sdk = moto.settings.load().await;
        handles.push(Arc::new(DynamoJobLog::new(
            aws_sdk_dynamodb::Client::new(&sdk),
            &table,
        )));
    }
    conformance::job_updates_concurrently(&handles).await;
}

#[tokio::test]
async fn conformance_keys_create_get_erase() {
    let moto = crate::moto!();
    let (_, table) = moto.fresh_jobs().await;
    let keys = DynamoJobKeys::new(aws_sdk_dynamodb::Client::new(&moto.sdk), &table);
    conformance::keys_create_get_erase(&keys).await;
}

#[tokio::test]
async fn conformance_keys_create_concurrently() {
    let moto = crate::moto!();
    let (_, table) = moto.fresh_jobs().await;
    let mut handles: Vec<Arc<dyn JobKeys>> = Vec::new();
    for _ in 0..3 {
        let sdk = moto.settings.load().await;
        handles.push(Arc::new(DynamoJobKeys::new(
            aws_sdk_dynamodb::Client::new(&sdk),
            &table,
        )));
    }
    conformance::keys_create_concurrently(&handles).await;
}

#[tokio::test]
async fn erased_keys_leave_the_table_and_items_carry_a_ttl() {
    let moto = crate::moto!();
    let (log, table) = moto.fresh_jobs().await;
    let client = aws_sdk_dynamodb::Client::new(&moto.sdk);
    let keys = DynamoJobKeys::new(client.clone(), &table);
    let job = JobId::parse("ttl-job").unwrap();
    keys.create(&job).await.unwrap();
    log.create(&conformance::job_record("ttl-job", chrono::Utc::now()))
        .await
        .unwrap();

    let scan = || async {
        client
            .scan()
            .table_name(&table)
            .consistent_read(true)
            .send()
            .await
            .unwrap()
            .items()
            .to_vec()
    };
    let items = scan().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let now = chrono::Utc::now().timestamp();
    for item in &items {
        let Some(AttributeValue::N(ttl)) = item.get("ttl") else {
            panic!("no numeric ttl on {item:?}");
        };
        let ttl: i64 = ttl.parse().unwrap();
        assert!(ttl > now + 86_400 && ttl < now + 40 * 86_400, "ttl {ttl}");
    }
    keys.erase(&job).await.unwrap();
    let left = scan().await;
    assert_eq!(
        left.len(),
        1,
        "the key item is deleted, not marked: {left:?}"
    );
    assert!(!left[0].contains_key("key"));
}

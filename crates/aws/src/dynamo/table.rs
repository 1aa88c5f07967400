//! Creates the PAM table with the key schema and index the module documentation
//! describes. CDK declares the same table in production; this is for tests, emulators
//! and first-time setup, and is idempotent.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TableStatus,
};
use pam_core::ports::index::IndexError;
use std::time::Duration;

use super::error::{build_err, index_err};
use super::items::{GSI, GSI_PK, GSI_SK, PK, SK};

fn key_element(name: &str, kind: KeyType) -> Result<KeySchemaElement, IndexError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .map_err(|e| build_err("a key schema element", e))
}

/// Creates `table` unless it exists, and waits until it is ACTIVE.
pub async fn create_table(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<(), IndexError> {
    let attributes = [PK, SK, GSI_PK, GSI_SK]
        .into_iter()
        .map(|name| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| build_err("an attribute definition", e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let gsi = GlobalSecondaryIndex::builder()
        .index_name(GSI)
        .key_schema(key_element(GSI_PK, KeyType::Hash)?)
        .key_schema(key_element(GSI_SK, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| build_err("the GSI", e))?;
    let created = client
        .create_table()
        .table_name(table)
        .set_attribute_definitions(Some(attributes))
        .key_schema(key_element(PK, KeyType::Hash)?)
        .key_schema(key_element(SK, KeyType::Range)?)
        .global_secondary_indexes(gsi)
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await;
    if let Err(e) = created {
        let exists = e
            .as_service_error()
            .is_some_and(|s| s.is_resource_in_use_exception());
        if !exists {
            return Err(index_err(e));
        }
    }
    for _ in 0..120 {
        let described = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(index_err)?;
        if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(IndexError::Transient {
        index: super::error::INDEX,
        source: format!("table {table} did not become ACTIVE within a minute").into(),
    })
}

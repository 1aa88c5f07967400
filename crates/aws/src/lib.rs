//! PAM's ports implemented on AWS with the official SDK (aws-sdk-s3, -dynamodb,
//! -rekognition): the same contracts the one-machine adapters keep, checked by the same
//! conformance scenarios (against moto in tests).
//!
//! # Layout
//! - `config.rs`: [`AwsSettings`]: endpoint override, region, path-style S3, and the
//!   shared `SdkConfig` (rustls on ring).
//! - `s3/`: [`S3Store`] (`PhotoStore`): objects, archive classes and restores,
//!   multipart, streamed bodies, error mapping.
//! - `presign.rs`: [`S3Presigner`] (`Presigner`) signing with a [`LongTermKey`], and
//!   why links are not signed with a Lambda's session credentials.
//! - `dynamo/`: [`DynamoIndex`] (`LabelIndex`): the table design, counted-once
//!   transactions, membership items, paginated queries.
//! - `dynamo/jobs.rs`, `dynamo/keys.rs`: [`DynamoJobLog`] (`JobLog`) and
//!   [`DynamoJobKeys`] (`JobKeys`) in the same table (TTL attribute `ttl`).
//! - `rekognition.rs`: [`RekognitionLabeler`] (`Labeler`).
//! - `sns.rs`: [`SnsNotifier`] (`Notifier`): one topic per download job.
//! - `sfn/`: [`SfnExecutions`]: start (idempotent, named), describe, list, history.
//! - `secrets.rs`: the presign key from Secrets Manager.
//! - `sdk_error.rs`: which SDK failures are transient, for every service alike.
#![warn(missing_docs)]

mod config;
pub mod dynamo;
pub mod presign;
pub mod rekognition;
pub mod s3;
mod sdk_error;
pub mod secrets;
pub mod sfn;
pub mod sns;

pub use config::AwsSettings;
pub use dynamo::{DynamoIndex, DynamoJobKeys, DynamoJobLog};
pub use presign::{KeyError, LongTermKey, S3Presigner};
pub use rekognition::RekognitionLabeler;
pub use s3::{MultipartSettings, S3Store};
pub use secrets::{SecretError, load_presign_key};
pub use sfn::{ExecutionInfo, SfnError, SfnExecutions};
pub use sns::SnsNotifier;

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
//! - `rekognition.rs`: [`RekognitionLabeler`] (`Labeler`).
#![warn(missing_docs)]

mod config;
pub mod dynamo;
pub mod presign;
pub mod rekognition;
pub mod s3;

pub use config::AwsSettings;
pub use dynamo::DynamoIndex;
pub use presign::{KeyError, LongTermKey, S3Presigner};
pub use rekognition::RekognitionLabeler;
pub use s3::{MultipartSettings, S3Store};

//! The Lambda binaries as processes (through the Lambda Runtime API, served by
//! cargo-lambda's emulator) and PAM's state machines on a second ASL engine, moto's,
//! with our binaries as their Task states against moto's S3, DynamoDB, SNS and Secrets
//! Manager. See `harness.rs` for the setup and what must be running.
//!
//! moto's Rekognition answers one fixed label for every image ("Mobile Phone", parent
//! "Phone"), so the index is seeded by labelling real JPEGs through the labelling state
//! machine and the download asks for that label.

mod api;
mod download;
mod harness;
mod labelling;
mod runtime;

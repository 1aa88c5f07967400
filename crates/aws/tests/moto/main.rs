//! The AWS adapters against moto (an AWS wire-protocol server on 127.0.0.1): the same
//! port conformance scenarios the local adapters pass, plus the adapter's own
//! features. Needs `PAM_AWS_ENDPOINT` (see `scripts/moto.sh`); without it every test
//! says loudly that it skipped (`PAM_AWS_REQUIRE=1` turns a skip into a failure).
//! Each test makes its own bucket or table, so they run in parallel.
//!
//! What moto 5.2.5 does not emulate, and how it is covered instead:
//! - Intelligent-Tiering archive tiers and their restores: `wire.rs` scripts S3's
//!   answers on 127.0.0.1 and checks what the adapter parses and sends.
//! - Restore timing: restores finish at once unless moto's state manager delays them;
//!   `archive.rs` uses that to see a restore run and waits by polling HeadObject.
//!   Expiry of a restored copy cannot be observed (`expiry_observable: false`).
//! - `RestoreAlreadyInProgress`: moto never answers it; the adapter decides it from
//!   HeadObject before asking, which `archive.rs` checks.
//! - UploadPart to an aborted upload: moto fails with a bare 500; the adapter then asks
//!   ListParts, so the scenario sees `NoSuchUpload` as on S3.
//! - Concurrent DynamoDB transactions: moto's rollback discards concurrent commits, so
//!   the concurrency scenario runs its interleavings one call at a time (`index.rs`).
//! - Presigned URLs are not validated by moto: tampering and expiry are tested on the
//!   local presigner; here the URL's shape and lifetime are checked and it is used.
//! - Rekognition answers one fixed label ("Mobile Phone", parent "Phone").

mod archive;
mod helpers;
mod index;
mod jobs;
mod labeler;
mod notify;
mod presign;
mod sfn;
mod store;
mod wire;

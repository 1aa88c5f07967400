//! Port conformance scenarios. Every adapter's tests call every scenario here against
//! a real instance (local: a tempdir; AWS: moto), so both worlds keep one contract.
//! Capability differences are arguments, never skipped scenarios.
//!
//! **Warning:** store scenarios create and delete objects under `conformance/` in the
//! bucket they are given; index and job-log scenarios expect an empty index / log of
//! their own; key scenarios use job ids starting `conf-keys`.
//! Scenarios panic with a message naming the broken rule.

mod index;
mod jobs;
mod keys;
mod store;
mod store_archive;
mod store_multipart;

pub use index::*;
pub use jobs::*;
pub use keys::*;
pub use store::*;
pub use store_archive::*;
pub use store_multipart::*;

use async_trait::async_trait;

/// Makes time pass for a store under test (a manual clock locally; on AWS emulators,
/// whatever makes a pending restore finish).
#[async_trait]
pub trait TimeTravel: Send + Sync {
    /// Lets `by` pass.
    async fn advance(&self, by: chrono::Duration);
}

/// Deterministic test bytes of length `len` (not all zero, different per `seed`).
pub fn test_bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0] ^ seed)
        .collect()
}

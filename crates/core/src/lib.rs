//! PAM's domain: values that are valid by construction, and the ports (traits) that
//! the AWS and the one-machine adapters implement. The steps in `pam-tasks` are
//! written against these ports only, so they never know which world they run in.
//!
//! # Layout
//! - [`domain`]: one newtype per file (`PhotoKey`, `BucketName`, `Label`, `Sha256`,
//!   `StorageClass`, `RestoreTier`, `JobId`, `NotifyTarget`, `MatchMode`…).
//! - [`ports`]: `PhotoStore` (+ `PhotoStoreExt`), `LabelIndex`, `Labeler`, `Presigner`,
//!   and for downloads `Notifier` (per-job channel), `JobKeys` (sealing keys), `JobLog`.
//! - [`clock`]: time as a port, so tests move time instead of sleeping.
//! - `conformance` (feature `conformance`): the scenarios every adapter must pass.
#![warn(missing_docs)]

pub mod clock;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod domain;
pub mod ports;

pub use domain::*;

//! PAM's ports implemented on one machine: a filesystem object store that keeps S3's
//! rules, a durable outbox of object-created events, a SQLite label index, and (feature
//! `model`) the on-device labeller behind the `Labeler` port.
//!
//! # Layout
//! - `store/`: [`LocalStore`] (`objects.rs` put/get/list/tags, `archive.rs`
//!   transitions and restores, `multipart.rs`, `restore_model.rs` the pure restore
//!   state model, `files.rs` the directory layout and atomic writes, `rows.rs` SQLite).
//! - `outbox.rs`: [`Outbox`], [`LabellingRule`], [`EventHandler`].
//! - `index/`: [`SqliteIndex`].
//! - `model_labeler.rs` (feature `model`): [`ModelLabeler`], the `Labeler` port on `pam-labeler`.
//! - `db.rs`: the SQLite connection wrapper shared by all of them.
#![warn(missing_docs)]

pub mod accounts;
mod db;
pub mod index;
#[cfg(feature = "model")]
pub mod model_labeler;
pub mod outbox;
pub mod store;

pub use index::SqliteIndex;
#[cfg(feature = "model")]
pub use model_labeler::ModelLabeler;
pub use outbox::{DispatchReport, EventHandler, LabellingRule, ObjectCreated, Outbox, OutboxError};
pub use store::restore_model::{RestoreDelays, TierDelays};
pub use store::{LocalStore, LocalStoreConfig};

pub(crate) use store::rows::{parse_ts as parse_store_ts, ts as store_ts};

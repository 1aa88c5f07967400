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
//! - `jobs.rs`: [`SqliteJobLog`], download jobs' progress (`jobs.sqlite`).
//! - `keys.rs`: [`SqliteJobKeys`], per-job sealing keys with secure erase (`keys.sqlite`).
//! - `notify/`: [`LocalNotifier`] (SMTP, SMS webhook or outbox folder; sealed channel rows).
//! - `presign/`: [`LocalPresigner`], HMAC-signed links and their check ([`LinkError`]).
//! - `db.rs`: the SQLite connection wrapper shared by all of them.
#![warn(missing_docs)]

pub mod accounts;
mod db;
pub mod index;
pub mod jobs;
pub mod keys;
#[cfg(feature = "model")]
pub mod model_labeler;
pub mod notify;
pub mod outbox;
pub mod presign;
pub mod store;

pub use index::SqliteIndex;
pub use jobs::SqliteJobLog;
pub use keys::SqliteJobKeys;
#[cfg(feature = "model")]
pub use model_labeler::ModelLabeler;
pub use notify::{LocalNotifier, NotifyConfig, SmtpConfig};
pub use outbox::{DispatchReport, EventHandler, LabellingRule, ObjectCreated, Outbox, OutboxError};
pub use presign::{LinkError, LocalPresigner};
pub use store::restore_model::{RestoreDelays, TierDelays};
pub use store::{LocalStore, LocalStoreConfig};

pub(crate) use store::rows::{parse_ts as parse_store_ts, ts as store_ts};

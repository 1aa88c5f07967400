//! The download workflow's steps (`statemachines/download.asl.json`): open the job's
//! notification channel, resolve the matching photos into a manifest, restore the
//! archived ones (paged requests, then a bounded poll loop), stream them into a zip in
//! the working bucket, presign links, notify, and always close the channel. Large data
//! moves by reference (the manifest and bundle objects); the address travels only
//! sealed with a per-job key that CloseChannel erases.
//!
//! # Layout
//! - [`request`]: [`DownloadRequest`], [`DownloadBody`] and [`prepare`] (starting a job).
//! - [`config`]: [`DownloadConfig`] (buckets, restore paging and polling, part sizes).
//! - one module per step: [`open_channel`], [`resolve_manifest`], [`start_restores`],
//!   [`check_restores`], [`build_bundle`], [`presign`], [`notify`], [`close_channel`].
//! - [`manifest`] (JSON lines by reference), [`restores`] (shared restore logic),
//!   [`store_parts`] (bundle parts as multipart uploads), [`progress`] (job log writes).
//! - [`invoke`]: [`DownloadSteps`], call a step by name; [`DOWNLOAD_STEPS`].

pub mod build_bundle;
pub mod check_restores;
pub mod close_channel;
pub mod config;
pub mod invoke;
pub mod manifest;
pub mod notify;
pub mod open_channel;
pub mod presign;
pub mod progress;
pub mod request;
pub mod resolve_manifest;
pub mod restores;
pub mod start_restores;
pub mod store_parts;

pub use config::{DEFAULT_LINK_TTL, DownloadConfig, RestorePolling, TierPoll};
pub use invoke::{DOWNLOAD_STEPS, DownloadSteps};
pub use manifest::ManifestRef;
pub use request::{DownloadBody, DownloadRequest, MAX_LABELS, Prepared, prepare};
pub use restores::RestoreProgress;

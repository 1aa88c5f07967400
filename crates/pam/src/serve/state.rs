//! What every handler shares: the opened local world, the accounts, the token keys, the
//! link signer and the server's limits. Cheap to clone (everything behind `Arc`).

use super::auth::Tokens;
use crate::world::World;
use pam_local::accounts::Accounts;
use pam_local::presign::LocalPresigner;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Limits and addresses `pam serve` runs with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest photo accepted (bytes).
    pub max_upload: u64,
    /// Uploads larger than this use multipart (bytes).
    pub multipart_over: u64,
    /// Part size of multipart uploads (bytes, at least the store's 5 MiB minimum).
    pub part_size: u64,
    /// How long an upload URL works.
    pub upload_ttl: Duration,
    /// Largest JSON body accepted (bytes).
    pub max_json: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload: 200 * 1024 * 1024,
            multipart_over: 16 * 1024 * 1024,
            part_size: 8 * 1024 * 1024,
            upload_ttl: Duration::from_secs(3600),
            max_json: 64 * 1024,
        }
    }
}

/// The handlers' shared state.
#[derive(Clone)]
pub struct AppState {
    /// Store, index, engine.
    pub world: Arc<World>,
    /// Local accounts.
    pub accounts: Accounts,
    /// ID tokens and part grants.
    pub tokens: Arc<Tokens>,
    /// Presigned links.
    pub links: Arc<LocalPresigner>,
    /// Limits.
    pub limits: Limits,
    /// Where uploads are spooled and checked before they enter the store.
    pub spool_dir: PathBuf,
    /// Where the local notifier writes messages it could not send.
    pub outbox_dir: PathBuf,
    /// The base URL browsers reach this server at (links and part URLs start with it).
    pub public_url: url::Url,
}

impl axum::extract::FromRef<AppState> for Arc<Tokens> {
    fn from_ref(state: &AppState) -> Self {
        state.tokens.clone()
    }
}

//! The download side of the local world: the job log, the per-job sealing keys, the
//! notifier (SMTP / SMS webhook / outbox folder from `PAM_SMTP_URL`, `PAM_SMTP_FROM`,
//! `PAM_SMS_WEBHOOK`), the link signer (`PAM_PUBLIC_URL`) and the download steps'
//! settings. Files in the data directory: `jobs.sqlite`, `keys.sqlite`,
//! `channels.sqlite`, `secrets/presign.key`, `outbox/`.

use crate::world::WorldError;
use pam_core::BucketName;
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::jobs::JobLog;
use pam_core::ports::keys::JobKeys;
use pam_local::{LocalNotifier, LocalPresigner, NotifyConfig, SqliteJobKeys, SqliteJobLog};
use pam_tasks::download::DownloadConfig;
use std::path::Path;
use std::sync::Arc;

/// The download ports of one data directory.
#[derive(Debug, Clone)]
pub struct DownloadPorts {
    /// Jobs' progress.
    pub jobs: Arc<dyn JobLog>,
    /// Sealing keys.
    pub keys: Arc<dyn JobKeys>,
    /// Per-job channels.
    pub notifier: Arc<LocalNotifier>,
    /// Link signer (also verifies links for `pam serve`).
    pub presigner: Arc<LocalPresigner>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// The steps' settings.
    pub config: DownloadConfig,
}

impl DownloadPorts {
    /// Opens them in `dir`; `aws_like` picks AWS's restore polling.
    pub async fn open(
        dir: &Path,
        photos: BucketName,
        working: BucketName,
        aws_like: bool,
    ) -> Result<Self, WorldError> {
        let jobs_path = dir.join("jobs.sqlite");
        let jobs =
            SqliteJobLog::open(&jobs_path)
                .await
                .map_err(|source| WorldError::Downloads {
                    what: "job log",
                    path: jobs_path,
                    source: Box::new(source),
                })?;
        let keys_path = dir.join("keys.sqlite");
        let keys: Arc<dyn JobKeys> =
            Arc::new(SqliteJobKeys::open(&keys_path).await.map_err(|source| {
                WorldError::Downloads {
                    what: "job keys",
                    path: keys_path,
                    source: Box::new(source),
                }
            })?);
        let notify_config =
            NotifyConfig::from_env(dir).map_err(|e| WorldError::Config(e.to_string()))?;
        let channels_path = dir.join("channels.sqlite");
        let notifier = LocalNotifier::open(notify_config, &channels_path, keys.clone())
            .await
            .map_err(|source| WorldError::Downloads {
                what: "notifier",
                path: channels_path,
                source: Box::new(source),
            })?;
        let base = LocalPresigner::public_url_from_env()
            .map_err(|e| WorldError::Config(format!("PAM_PUBLIC_URL: {e}")))?;
        let presigner =
            LocalPresigner::open(dir, base).map_err(|source| WorldError::Downloads {
                what: "link signer",
                path: LocalPresigner::secret_path(dir),
                source: Box::new(source),
            })?;
        let mut config = if aws_like {
            DownloadConfig::aws_like(photos, working)
        } else {
            DownloadConfig::local(photos, working)
        };
        let spool = dir.join("tmp");
        std::fs::create_dir_all(&spool).map_err(|source| WorldError::DataDir {
            path: spool.clone(),
            source,
        })?;
        config.spool_dir = Some(spool);
        Ok(Self {
            jobs: Arc::new(jobs),
            keys,
            notifier: Arc::new(notifier),
            presigner: Arc::new(presigner),
            clock: Arc::new(SystemClock),
            config,
        })
    }
}

//! What the engine-running process does besides running executions: pick up
//! executions other processes queued (`pam download` without `--wait` while `pam
//! serve` runs), deliver object-created events, and expire the working area — a
//! bundle is deleted once its links have expired (the local stand-in for the working
//! bucket's lifecycle rule), and anything older than the longest possible link
//! (7 days) goes too, e.g. what a killed BuildBundle left as an unfinished upload.

use crate::world::{World, WorldError};
use pam_core::ObjectKey;
use pam_core::ports::PhotoStore;
use pam_core::ports::index::PageRequest;
use pam_core::ports::store::{ListRequest, PhotoStoreExt, StoreError};
use std::time::Duration;

/// The longest a link may live (the presigner's limit) plus an hour of grace.
const WORKING_AREA_MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::hours(7 * 24 + 1);
/// How often [`World::run_engine`] expires the working area.
const EXPIRE_EVERY: Duration = Duration::from_secs(60);
/// How often [`World::run_engine`] looks for queued executions and events.
const PUMP_EVERY: Duration = Duration::from_secs(1);

impl World {
    /// Deletes the bundles (and manifests) of jobs whose links have expired, and
    /// anything in `bundles/` or `manifests/` older than the longest link. Returns how
    /// many objects were deleted. Runs only in the engine-running process.
    pub async fn expire_working_area(&self) -> Result<usize, WorldError> {
        if !self.runs_engine() {
            return Ok(0);
        }
        let now = chrono::Utc::now();
        let mut deleted = 0;
        let mut page = PageRequest::first(100);
        loop {
            let got = self
                .downloads
                .jobs
                .list(page.clone())
                .await
                .map_err(|e| WorldError::Config(format!("job log: {e}")))?;
            for job in &got.items {
                let Some(bundle) = &job.bundle else { continue };
                if bundle.expires_at.is_none_or(|at| at > now) {
                    continue;
                }
                // The parts, BuildBundle's completion marker, the manifest.
                let mut keys = self
                    .working_keys(&format!("bundles/{}/", job.job_id))
                    .await?;
                keys.extend(bundle.parts.iter().map(|p| p.key.clone()));
                keys.push(format!("manifests/{}.jsonl", job.job_id));
                keys.sort();
                keys.dedup();
                for key in keys {
                    deleted += usize::from(self.delete_working(&key).await?);
                }
            }
            match got.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        for prefix in ["bundles/", "manifests/"] {
            let report = self
                .store
                .expire_older_than(&self.working, prefix, WORKING_AREA_MAX_AGE)
                .await
                .map_err(|source| WorldError::Store {
                    path: self.dir.join("store"),
                    source,
                })?;
            deleted += report.deleted.len();
        }
        if deleted > 0 {
            tracing::info!(deleted, "expired working-area objects");
        }
        Ok(deleted)
    }

    /// Keys under `prefix` in the working bucket.
    async fn working_keys(&self, prefix: &str) -> Result<Vec<String>, WorldError> {
        let mut keys = Vec::new();
        let mut request = ListRequest {
            prefix: Some(prefix.to_owned()),
            ..ListRequest::default()
        };
        loop {
            let page = self
                .store
                .list(&self.working, request.clone())
                .await
                .map_err(|source| WorldError::Store {
                    path: self.dir.join("store"),
                    source,
                })?;
            keys.extend(page.objects.into_iter().map(|o| o.key.as_str().to_owned()));
            match page.next {
                Some(next) => request.continuation = Some(next),
                None => return Ok(keys),
            }
        }
    }

    /// Deletes one working-area object; `false` when it was gone already.
    async fn delete_working(&self, key: &str) -> Result<bool, WorldError> {
        let Ok(key) = ObjectKey::parse(key.to_owned()) else {
            return Ok(false);
        };
        match self.store.try_head(&self.working, &key).await {
            Ok(None) => return Ok(false),
            Ok(Some(_)) => {}
            Err(source) => {
                return Err(WorldError::Store {
                    path: self.dir.join("store"),
                    source,
                });
            }
        }
        match self.store.delete(&self.working, &key).await {
            Ok(()) | Err(StoreError::NotFound { .. }) => Ok(true),
            Err(source) => Err(WorldError::Store {
                path: self.dir.join("store"),
                source,
            }),
        }
    }

    /// One round of the engine-running process's chores: starts executions other
    /// processes queued (and any left RUNNING) and delivers due object-created events.
    pub async fn pump(&self) -> Result<(), WorldError> {
        self.resume();
        self.dispatch().await
    }

    /// Runs the chores until `shutdown` resolves: [`pump`](Self::pump) every second,
    /// [`expire_working_area`](Self::expire_working_area) every minute (and at once).
    /// For `pam serve`; executions themselves run on the engine's own tasks.
    pub async fn run_engine(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut pump = tokio::time::interval(PUMP_EVERY);
        let mut expire = tokio::time::interval(EXPIRE_EVERY);
        loop {
            tokio::select! {
                _ = &mut shutdown => return,
                _ = pump.tick() => {
                    if let Err(e) = self.pump().await {
                        tracing::warn!(error = %e, "engine chores failed; retrying");
                    }
                }
                _ = expire.tick() => {
                    if let Err(e) = self.expire_working_area().await {
                        tracing::warn!(error = %e, "working-area expiry failed; retrying");
                    }
                }
            }
        }
    }
}

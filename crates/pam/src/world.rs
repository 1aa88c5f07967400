//! The local world: everything the `pam` commands share, opened from one data
//! directory. The object store (buckets `photos` and `working`), the label index, the
//! ASL engine with its durable store, the step invoker and the outbox rule that starts
//! one labelling execution per object-created event.
//!
//! Only one process at a time runs the engine on a data directory ([`EngineLock`]):
//! [`World::open`] takes the lock (and fails naming its holder's pid);
//! [`World::open_read_only`] does not, and refuses to run anything — listings,
//! `pam jobs`, `pam executions` and queueing a download work that way while
//! `pam serve` runs the engine.
//!
//! Data directory (`--data-dir`, else `PAM_DATA_DIR`, else `$XDG_DATA_HOME/pam`, else
//! `~/.local/share/pam`): `store/` (objects, cold directory, outbox), `index.sqlite`,
//! `executions.sqlite`, `engine.lock`.

use crate::engine_lock::{EngineLock, LockError};
use crate::invoker::{LazyLabeler, StepInvoker};
use crate::rule::StartLabelling;
use crate::world_downloads::DownloadPorts;
use pam_asl::Engine;
use pam_core::BucketName;
use pam_core::clock::SystemClock;
use pam_local::{LabellingRule, LocalStore, LocalStoreConfig, SqliteIndex};
use pam_tasks::LabellingSteps;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::world_config::WorldArgs;

/// The labelling state machine, compiled into the binary (the same file CDK deploys).
pub const LABELLING_ASL: &str = include_str!("../../../statemachines/labelling.asl.json");
/// The state machine name labelling executions are recorded under.
pub const LABELLING_MACHINE: &str = "labelling";
/// DetectLabels' floor locally: the labeller's own per-label thresholds start at 15 %.
pub const LOCAL_MIN_CONFIDENCE: f32 = 15.0;
/// Where photos live.
pub const PHOTOS_BUCKET: &str = "photos";
/// Where bundles and manifests live.
pub const WORKING_BUCKET: &str = "working";
/// The execution store's file in the data directory.
pub const EXECUTIONS_FILE: &str = "executions.sqlite";
/// How many delivery rounds `dispatch` tries before leaving failing events pending.
const DISPATCH_ROUNDS: usize = 10;

/// Why the local world could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// No data directory could be chosen.
    #[error("no data directory: pass --data-dir or set PAM_DATA_DIR (HOME is not set either)")]
    NoDataDir,
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The model file is missing.
    #[error(
        "model file {0} not found: run scripts/fetch-model.sh, or pass --model / set PAM_MODEL"
    )]
    ModelMissing(PathBuf),
    /// The model could not be loaded.
    #[error("cannot load model {path}: {source}")]
    Model {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: pam_labeler::LabelerError,
    },
    /// The object store failed.
    #[error("object store in {path}: {source}")]
    Store {
        /// Its root.
        path: PathBuf,
        /// Cause.
        source: pam_core::ports::StoreError,
    },
    /// The label index failed.
    #[error("label index {path}: {source}")]
    Index {
        /// Its file.
        path: PathBuf,
        /// Cause.
        source: pam_core::ports::IndexError,
    },
    /// The execution store failed.
    #[error("execution store {path}: {source}")]
    Executions {
        /// Its file.
        path: PathBuf,
        /// Cause.
        source: pam_asl::store::StoreError,
    },
    /// The outbox database failed.
    #[error(transparent)]
    Outbox(#[from] pam_local::OutboxError),
    /// The engine refused a call.
    #[error(transparent)]
    Engine(#[from] pam_asl::EngineError),
    /// Another process runs the engine on this data directory.
    #[error(transparent)]
    Locked(#[from] LockError),
    /// A download port could not be opened.
    #[error("{what} in {path}: {source}")]
    Downloads {
        /// Which port.
        what: &'static str,
        /// Its file.
        path: PathBuf,
        /// Cause.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A setting from the environment is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// A command that runs the engine was asked of a world opened read-only.
    #[error("this process does not run the engine on {0} (another pam process does)")]
    ReadOnly(PathBuf),
}

/// The opened local world.
pub struct World {
    /// The data directory.
    pub dir: PathBuf,
    /// Photo store.
    pub store: LocalStore,
    /// Label index.
    pub index: SqliteIndex,
    /// The engine running labelling and download executions (only when this process
    /// holds the engine lock; see [`World::runs_engine`]).
    pub engine: Arc<Engine>,
    /// The execution store, for queueing executions and reading them without the engine.
    pub executions: Arc<pam_asl::store::Store>,
    /// The outbox rule's handler (starts executions, remembers which).
    pub rule: Arc<StartLabelling>,
    /// The photos bucket.
    pub photos: BucketName,
    /// The working bucket (manifests, bundles).
    pub working: BucketName,
    /// The options it was opened with.
    pub args: WorldArgs,
    /// Job log, keys, notifier, link signer and the download steps' settings.
    pub downloads: DownloadPorts,
    labeler: Arc<LazyLabeler>,
    lock: Option<EngineLock>,
}

fn bucket(name: &str) -> BucketName {
    BucketName::parse(name).expect("the built-in bucket names are valid")
}

/// Whether the world may run the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Take the engine lock (fail if another process holds it).
    RunEngine,
    /// Take the engine lock if it is free, else open read-only.
    RunEngineIfFree,
    /// Never run the engine.
    ReadOnly,
}

impl World {
    /// Opens (creating) the world in the data directory, running the engine: fails with
    /// [`WorldError::Locked`] while another process runs it. The model is loaded when
    /// first needed, or now by [`World::require_model`].
    pub async fn open(args: &WorldArgs) -> Result<Self, WorldError> {
        Self::open_with(args, Access::RunEngine).await
    }

    /// Opens the world without running the engine: reads, and queues executions for
    /// whichever process runs it.
    pub async fn open_read_only(args: &WorldArgs) -> Result<Self, WorldError> {
        Self::open_with(args, Access::ReadOnly).await
    }

    /// Whether this process holds the engine lock (may start and resume executions).
    pub fn runs_engine(&self) -> bool {
        self.lock.is_some()
    }

    fn require_engine(&self) -> Result<(), WorldError> {
        match self.lock {
            Some(_) => Ok(()),
            None => Err(WorldError::ReadOnly(self.dir.clone())),
        }
    }

    /// Opens the world with the given access.
    pub async fn open_with(args: &WorldArgs, access: Access) -> Result<Self, WorldError> {
        let dir = args.data_dir()?;
        std::fs::create_dir_all(&dir).map_err(|source| WorldError::DataDir {
            path: dir.clone(),
            source,
        })?;
        let lock = match access {
            Access::RunEngine => Some(EngineLock::acquire(&dir)?),
            Access::RunEngineIfFree => match EngineLock::acquire(&dir) {
                Ok(lock) => Some(lock),
                Err(LockError::Held { holder, .. }) => {
                    tracing::info!(%holder, "another process runs the engine; reading only");
                    None
                }
                Err(e) => return Err(e.into()),
            },
            Access::ReadOnly => None,
        };
        let store_root = dir.join("store");
        let slow_parts = crate::slow_parts::part_delay();
        let mut store_config = LocalStoreConfig {
            restore_delays: args.restore_delays.delays(),
            ..LocalStoreConfig::default()
        };
        if slow_parts.is_some() {
            store_config.min_part_size = crate::slow_parts::SLOW_PART_SIZE as u64;
        }
        let store = LocalStore::open(&store_root, store_config)
            .await
            .map_err(|source| WorldError::Store {
                path: store_root.clone(),
                source,
            })?;
        let photos = bucket(PHOTOS_BUCKET);
        let working = bucket(WORKING_BUCKET);
        for b in [&photos, &working] {
            store
                .create_bucket(b)
                .await
                .map_err(|source| WorldError::Store {
                    path: store_root.clone(),
                    source,
                })?;
        }
        let index_path = dir.join("index.sqlite");
        let index = SqliteIndex::open(&index_path)
            .await
            .map_err(|source| WorldError::Index {
                path: index_path,
                source,
            })?;
        let downloads = DownloadPorts::open(
            &dir,
            photos.clone(),
            working.clone(),
            args.restore_delays.is_aws(),
        )
        .await?;
        let labeler = Arc::new(LazyLabeler::new(Arc::new(store.clone()), args.model_path()));
        let steps = LabellingSteps {
            store: Arc::new(store.clone()),
            index: Arc::new(index.clone()),
            labeler: labeler.clone(),
            clock: Arc::new(SystemClock),
            // The on-device labeller applies its own per-label thresholds (15–40 %,
            // calibrated for summed class probabilities); Rekognition's 50 % floor on
            // top of them left about half of Debian's sample photos with no label.
            detect: pam_tasks::detect_labels::Config {
                min_confidence: LOCAL_MIN_CONFIDENCE,
                ..Default::default()
            },
            archive: pam_tasks::archive::Config {
                min_age: args.cold_after.0,
                ..Default::default()
            },
        };
        let exec_path = dir.join(EXECUTIONS_FILE);
        let open_exec = || {
            pam_asl::store::Store::open(&exec_path).map_err(|source| WorldError::Executions {
                path: exec_path.clone(),
                source,
            })
        };
        let exec_store = open_exec()?;
        let executions = Arc::new(open_exec()?);
        let mut download_config = downloads.config.clone();
        let download_store: Arc<dyn pam_core::ports::PhotoStore> = match slow_parts {
            None => Arc::new(store.clone()),
            Some(delay) => {
                tracing::warn!(
                    ?delay,
                    "test knob {}: slow bundle parts",
                    crate::slow_parts::PART_DELAY_ENV
                );
                download_config.upload_part_size = crate::slow_parts::SLOW_PART_SIZE;
                Arc::new(crate::slow_parts::SlowParts::new(
                    Arc::new(store.clone()),
                    delay,
                ))
            }
        };
        let download_steps = pam_tasks::download::DownloadSteps {
            store: download_store,
            index: Arc::new(index.clone()),
            jobs: downloads.jobs.clone(),
            keys: downloads.keys.clone(),
            notifier: downloads.notifier.clone(),
            presigner: downloads.presigner.clone(),
            clock: downloads.clock.clone(),
            config: download_config,
        };
        let invoker = Arc::new(StepInvoker::new(steps, download_steps));
        let engine = Engine::new(exec_store, Arc::new(pam_asl::SystemClock), invoker);
        let definition: Value =
            serde_json::from_str(LABELLING_ASL).expect("the built-in state machine is JSON");
        let rule = Arc::new(StartLabelling::new(engine.clone(), definition));
        let world = Self {
            dir,
            store,
            index,
            engine,
            executions,
            rule,
            photos,
            working,
            args: args.clone(),
            downloads,
            labeler,
            lock,
        };
        // Bundles whose links expired go as soon as an engine-running process opens.
        if let Err(e) = world.expire_working_area().await {
            tracing::warn!(error = %e, "could not expire the working area");
        }
        Ok(world)
    }

    /// The file of an object in the working bucket (a bundle part), if it exists.
    pub async fn working_file(&self, key: &str) -> Option<PathBuf> {
        let key = pam_core::ObjectKey::parse(key.to_owned()).ok()?;
        self.store.object_file(&self.working, &key).await.ok()
    }

    /// Loads the model now, so a missing file is an error before any work starts.
    pub async fn require_model(&self) -> Result<(), WorldError> {
        self.labeler.load().await.map(|_| ())
    }

    /// Whether anything is left to do: undelivered events or RUNNING executions.
    pub async fn has_pending_work(&self) -> Result<bool, WorldError> {
        let events = self.store.outbox().pending_count().await?;
        let running = self
            .engine
            .list()?
            .iter()
            .any(|r| r.status == pam_asl::ExecutionStatus::Running);
        Ok(events > 0 || running)
    }

    /// Finishes what earlier (perhaps killed) processes left: resumes RUNNING executions,
    /// delivers every due event, and waits for all the executions this started.
    pub async fn settle(&self) -> Result<(), WorldError> {
        self.require_engine()?;
        self.resume();
        self.dispatch().await?;
        self.rule.wait_all(|_| {}).await;
        Ok(())
    }

    /// Resumes executions a previous process left RUNNING; they are waited for with the
    /// ones this process starts.
    pub fn resume(&self) {
        if self.lock.is_none() {
            tracing::debug!("not resuming executions: another process runs the engine");
            return;
        }
        match self.engine.resume_all() {
            Ok(arns) => self.rule.remember(arns),
            Err(e) => tracing::warn!(error = %e, "could not resume executions"),
        }
    }

    /// Delivers due events until none is left (a failing one waits for its backoff).
    pub async fn dispatch(&self) -> Result<(), WorldError> {
        self.require_engine()?;
        let rule = LabellingRule::for_bucket(self.photos.clone());
        for _ in 0..DISPATCH_ROUNDS {
            let report = self
                .store
                .outbox()
                .dispatch_due(&rule, self.rule.as_ref())
                .await?;
            if report.failed == 0 || self.store.outbox().pending_count().await? == 0 {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        // Events whose handler keeps failing stay in the outbox for the next command.
        tracing::warn!("some object-created events could not be delivered; they stay pending");
        Ok(())
    }
}

/// Logs to stderr: warnings by default, more with `RUST_LOG` (e.g. `RUST_LOG=info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

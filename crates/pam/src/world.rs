//! The local world: everything `pam import`, `pam labels` and `pam photos` share, opened
//! from one data directory. The object store (buckets `photos` and `working`), the
//! label index, the ASL engine with its durable store, the step invoker and the outbox
//! rule that starts one labelling execution per object-created event.
//!
//! Data directory (`--data-dir`, else `PAM_DATA_DIR`, else `$XDG_DATA_HOME/pam`, else
//! `~/.local/share/pam`):
//! `store/` (objects, cold directory, outbox), `index.sqlite`, `executions.sqlite`.

use crate::invoker::{LazyLabeler, StepInvoker};
use crate::rule::StartLabelling;
use clap::Args;
use pam_asl::Engine;
use pam_core::BucketName;
use pam_core::clock::SystemClock;
use pam_local::{LabellingRule, LocalStore, LocalStoreConfig, SqliteIndex};
use pam_tasks::LabellingSteps;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The labelling state machine, compiled into the binary (the same file CDK deploys).
pub const LABELLING_ASL: &str = include_str!("../../../statemachines/labelling.asl.json");
/// The state machine name executions are recorded under.
pub const LABELLING_MACHINE: &str = "labelling";
/// DetectLabels' floor locally: the labeller's own per-label thresholds start at 15 %.
pub const LOCAL_MIN_CONFIDENCE: f32 = 15.0;
/// Where photos live.
pub const PHOTOS_BUCKET: &str = "photos";
/// Where bundles and manifests live.
pub const WORKING_BUCKET: &str = "working";
/// How many delivery rounds `dispatch` tries before leaving failing events pending.
const DISPATCH_ROUNDS: usize = 10;
/// The model file, relative to the repository (scripts/fetch-model.sh writes it).
const MODEL_IN_REPO: &str = ".cache/models/efficientnet-lite0.onnx";

/// Options every command that opens the local world takes.
#[derive(Args, Debug, Clone)]
pub struct WorldArgs {
    /// The data directory (default `$XDG_DATA_HOME/pam`, else `~/.local/share/pam`).
    #[arg(long, env = "PAM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// The EfficientNet-Lite0 ONNX model (default `.cache/models/efficientnet-lite0.onnx`
    /// in the working directory, else in the repository pam was built from).
    #[arg(long, env = "PAM_MODEL")]
    pub model: Option<PathBuf>,
}

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
}

impl WorldArgs {
    /// The data directory these options name.
    pub fn data_dir(&self) -> Result<PathBuf, WorldError> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            return Ok(PathBuf::from(xdg).join("pam"));
        }
        let home = std::env::var_os("HOME").filter(|v| !v.is_empty());
        home.map(|h| PathBuf::from(h).join(".local/share/pam"))
            .ok_or(WorldError::NoDataDir)
    }

    /// The model file these options name.
    pub fn model_path(&self) -> PathBuf {
        if let Some(model) = &self.model {
            return model.clone();
        }
        let here = PathBuf::from(MODEL_IN_REPO);
        if here.is_file() {
            return here;
        }
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(MODEL_IN_REPO)
    }
}

/// The opened local world.
pub struct World {
    /// Photo store.
    pub store: LocalStore,
    /// Label index.
    pub index: SqliteIndex,
    /// The engine running labelling executions.
    pub engine: Arc<Engine>,
    /// The outbox rule's handler (starts executions, remembers which).
    pub rule: Arc<StartLabelling>,
    /// The photos bucket.
    pub photos: BucketName,
    labeler: Arc<LazyLabeler>,
}

fn bucket(name: &str) -> BucketName {
    BucketName::parse(name).expect("the built-in bucket names are valid")
}

impl World {
    /// Opens (creating) the world in the data directory. The model is loaded when first
    /// needed, or now by [`World::require_model`].
    pub async fn open(args: &WorldArgs) -> Result<Self, WorldError> {
        let dir = args.data_dir()?;
        std::fs::create_dir_all(&dir).map_err(|source| WorldError::DataDir {
            path: dir.clone(),
            source,
        })?;
        let store_root = dir.join("store");
        let store = LocalStore::open(&store_root, LocalStoreConfig::default())
            .await
            .map_err(|source| WorldError::Store {
                path: store_root.clone(),
                source,
            })?;
        let photos = bucket(PHOTOS_BUCKET);
        for b in [&photos, &bucket(WORKING_BUCKET)] {
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
            archive: Default::default(),
        };
        let exec_path = dir.join("executions.sqlite");
        let exec_store =
            pam_asl::store::Store::open(&exec_path).map_err(|source| WorldError::Executions {
                path: exec_path,
                source,
            })?;
        let invoker = Arc::new(StepInvoker::new(steps));
        let engine = Engine::new(exec_store, Arc::new(pam_asl::SystemClock), invoker);
        let definition: Value =
            serde_json::from_str(LABELLING_ASL).expect("the built-in state machine is JSON");
        let rule = Arc::new(StartLabelling::new(engine.clone(), definition));
        Ok(Self {
            store,
            index,
            engine,
            rule,
            photos,
            labeler,
        })
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
        self.resume();
        self.dispatch().await?;
        self.rule.wait_all(|_| {}).await;
        Ok(())
    }

    /// Resumes executions a previous process left RUNNING; they are waited for with the
    /// ones this process starts.
    pub fn resume(&self) {
        match self.engine.resume_all() {
            Ok(arns) => self.rule.remember(arns),
            Err(e) => tracing::warn!(error = %e, "could not resume executions"),
        }
    }

    /// Delivers due events until none is left (a failing one waits for its backoff).
    pub async fn dispatch(&self) -> Result<(), WorldError> {
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

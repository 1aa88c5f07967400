//! onnxruntime backend (cargo feature `ort`): the library is loaded at run time from a
//! path (`load-dynamic`), e.g. the `libonnxruntime.so` inside the PyPI onnxruntime wheel.
//!
//! `ort::Session::run` needs `&mut Session`, so a pool of sessions (one per concurrent
//! caller) sits behind mutexes; a caller takes the first free one.

use super::Model;
use crate::LabelerError;
use crate::preprocess::INPUT_SIDE;
use crate::table::CLASS_COUNT;
use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// onnxruntime allows one environment per process; the first dylib path wins.
static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

fn environment(dylib: &Path) -> Result<&'static Environment, LabelerError> {
    ENVIRONMENT
        .get_or_init(|| {
            if !dylib.is_file() {
                return Err(format!("shared library {} not found", dylib.display()));
            }
            ort::init_from(dylib)
                .map_err(|e| format!("loading {}: {e}", dylib.display()))?
                .with_name("pam-labeler")
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|reason| LabelerError::Backend {
            reason: reason.clone(),
        })
}

/// A pool of onnxruntime sessions over one model, each single-threaded.
pub struct OrtModel {
    sessions: Vec<Mutex<Session>>,
}

impl OrtModel {
    /// Load `model` with `sessions` sessions, using the onnxruntime library at `dylib`.
    pub(crate) fn load(model: &Path, dylib: &Path, sessions: usize) -> Result<Self, LabelerError> {
        let env = environment(dylib)?;
        let invalid = |reason: String| LabelerError::ModelInvalid {
            path: model.to_owned(),
            reason,
        };
        let mut pool = Vec::new();
        for _ in 0..sessions.max(1) {
            let session = Session::builder(env)
                .and_then(|b| Ok(b.with_optimization_level(GraphOptimizationLevel::All)?))
                .and_then(|b| Ok(b.with_intra_threads(1)?))
                .and_then(|mut b| b.commit_from_file(model))
                .map_err(|e| invalid(e.to_string()))?;
            pool.push(Mutex::new(session));
        }
        let model_ok = Self { sessions: pool };
        let out = model_ok.infer(vec![0.0; 3 * (INPUT_SIDE * INPUT_SIDE) as usize])?;
        if out.len() != CLASS_COUNT {
            return Err(invalid(format!(
                "expected {CLASS_COUNT} outputs, got {}",
                out.len()
            )));
        }
        Ok(model_ok)
    }
}

impl Model for OrtModel {
    fn infer(&self, input: Vec<f32>) -> Result<Vec<f32>, LabelerError> {
        let failed = |e: ort::Error| LabelerError::Inference {
            reason: e.to_string(),
        };
        let side = i64::from(INPUT_SIDE);
        let tensor = Tensor::from_array(([1i64, 3, side, side], input)).map_err(failed)?;
        // Take a free session if there is one, else wait for the first.
        let mut guard = self
            .sessions
            .iter()
            .find_map(|m| m.try_lock().ok())
            .map_or_else(|| self.sessions[0].lock(), Ok)
            .map_err(|_| LabelerError::Inference {
                reason: "session poisoned".to_owned(),
            })?;
        let outputs = guard.run(ort::inputs!["image" => tensor]).map_err(failed)?;
        let (_, probs) = outputs["probabilities"]
            .try_extract_tensor::<f32>()
            .map_err(failed)?;
        Ok(probs.to_vec())
    }
}

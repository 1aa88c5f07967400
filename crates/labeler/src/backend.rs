//! Inference engines behind one small trait: pure-Rust `tract` (default, nothing to
//! deploy beside the model) and, behind the `ort` cargo feature, onnxruntime loaded at run
//! time from a shared library (faster, but a ~20 MB native library to ship).

use crate::LabelerError;
use crate::preprocess::INPUT_SIDE;
use crate::table::CLASS_COUNT;
use std::path::Path;
use std::sync::Arc;
use tract_onnx::prelude::*;

#[cfg(feature = "ort")]
#[path = "backend_ort.rs"]
mod backend_ort;
#[cfg(feature = "ort")]
pub use backend_ort::OrtModel;

/// Which inference engine to run the model with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// Pure-Rust tract (the default).
    Tract,
    /// onnxruntime through `ort`, loading the shared library at `dylib`; `sessions` is the
    /// number of sessions kept (one per concurrent caller, e.g. one per worker thread).
    #[cfg(feature = "ort")]
    Ort {
        /// Path to `libonnxruntime.so`.
        dylib: std::path::PathBuf,
        /// Sessions in the pool.
        sessions: usize,
    },
}

/// A loaded classifier: 3×224×224 planar f32 in, 1000 probabilities out.
pub(crate) trait Model: Send + Sync {
    fn infer(&self, input: Vec<f32>) -> Result<Vec<f32>, LabelerError>;
}

pub(crate) fn load(path: &Path, engine: &Engine) -> Result<Box<dyn Model>, LabelerError> {
    if !path.is_file() {
        return Err(LabelerError::ModelMissing {
            path: path.to_owned(),
        });
    }
    match engine {
        Engine::Tract => Ok(Box::new(TractModel::load(path)?)),
        #[cfg(feature = "ort")]
        Engine::Ort { dylib, sessions } => Ok(Box::new(OrtModel::load(path, dylib, *sessions)?)),
    }
}

/// The tract plan; `SimplePlan::run` takes `&self` and builds per-call state, so one plan
/// is shared by every thread.
struct TractModel {
    plan: Arc<TypedRunnableModel>,
}

impl TractModel {
    fn load(path: &Path) -> Result<Self, LabelerError> {
        let invalid = |e: TractError| LabelerError::ModelInvalid {
            path: path.to_owned(),
            reason: format!("{e:#}"),
        };
        let side = INPUT_SIDE as usize;
        let plan = tract_onnx::onnx()
            .model_for_path(path)
            .and_then(|m| m.with_input_fact(0, f32::fact([1, 3, side, side]).into()))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(invalid)?;
        let model = Self { plan };
        // Shape check: run once on a blank image (also warms the plan up).
        let out = model.infer(vec![0.0; 3 * side * side])?;
        if out.len() != CLASS_COUNT {
            return Err(LabelerError::ModelInvalid {
                path: path.to_owned(),
                reason: format!("expected {CLASS_COUNT} outputs, got {}", out.len()),
            });
        }
        Ok(model)
    }
}

impl Model for TractModel {
    fn infer(&self, input: Vec<f32>) -> Result<Vec<f32>, LabelerError> {
        let failed = |e: TractError| LabelerError::Inference {
            reason: format!("{e:#}"),
        };
        let side = INPUT_SIDE as usize;
        let tensor = Tensor::from_shape(&[1, 3, side, side], &input).map_err(failed)?;
        let outputs = self.plan.run(tvec!(tensor.into())).map_err(failed)?;
        let probs = outputs[0].to_plain_array_view::<f32>().map_err(failed)?;
        Ok(probs.iter().copied().collect())
    }
}

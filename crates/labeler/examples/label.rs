//! Label JPEG files from the command line and show where the time went; a quick way to
//! try the model on your own photos without the rest of PAM.
//!
//! `cargo run --release -p pam-labeler --example label -- PHOTO.jpg…`
//! (`PAM_MODEL` overrides the model path; with `--features ort`, `PAM_ORT_DYLIB=…/libonnxruntime.so`
//! switches to onnxruntime.)

use pam_labeler::{Engine, Labeler};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let model = std::env::var_os("PAM_MODEL").map_or_else(
        || PathBuf::from(pam_labeler::DEFAULT_MODEL_PATH),
        PathBuf::from,
    );
    let engine = match std::env::var_os("PAM_ORT_DYLIB") {
        #[cfg(feature = "ort")]
        Some(dylib) => Engine::Ort {
            dylib: dylib.into(),
            sessions: 1,
        },
        #[cfg(not(feature = "ort"))]
        Some(_) => {
            eprintln!("PAM_ORT_DYLIB set but built without --features ort");
            return ExitCode::FAILURE;
        }
        None => Engine::Tract,
    };
    let labeler = match Labeler::load_with(&model, &engine) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let result = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| labeler.detect(&bytes).map_err(|e| e.to_string()));
        match result {
            Ok(d) => {
                let labels: Vec<String> = d
                    .labels
                    .iter()
                    .map(|l| format!("{} {:.0}%", l.name, l.confidence))
                    .collect();
                println!(
                    "{path}: decode {:.1} ms, infer {:.1} ms: {}",
                    d.timings.decode.as_secs_f64() * 1e3,
                    d.timings.infer.as_secs_f64() * 1e3,
                    labels.join(", ")
                );
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

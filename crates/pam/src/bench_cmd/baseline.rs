//! The Python baseline: a venv at `.cache/venv-bench` with Pillow, onnxruntime and numpy
//! (created on first use), running `tools/bench/baseline.py` on the same model and photos.
//! The same venv provides `libonnxruntime.so` for our optional `ort` engine.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCRIPT: &str = include_str!("../../../../tools/bench/baseline.py");
const PACKAGES: [&str; 3] = ["pillow==13.0.0", "onnxruntime==1.32.0", "numpy==2.4.6"];

/// Timings the baseline reports.
pub struct BaselineRun {
    pub images: usize,
    pub seconds: f64,
    /// CPU time (user + system, all threads) of the timed loop.
    pub cpu_s: f64,
    pub decode_s: f64,
    pub infer_s: f64,
}

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Create the venv and install the packages unless already done; returns its python.
pub fn ensure_venv(venv: &Path) -> Result<PathBuf> {
    let python = venv.join("bin/python");
    let stamp = venv.join(".pam-bench-ready");
    if stamp.is_file() && python.is_file() {
        return Ok(python);
    }
    eprintln!(
        "creating {} (pip install {})",
        venv.display(),
        PACKAGES.join(" ")
    );
    run(Command::new("python3").arg("-m").arg("venv").arg(venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES))?;
    std::fs::write(&stamp, PACKAGES.join("\n"))?;
    Ok(python)
}

/// `libonnxruntime.so*` inside the venv's onnxruntime package (used by the `ort` engine).
#[cfg(feature = "ort")]
pub fn onnxruntime_dylib(python: &Path) -> Result<PathBuf> {
    let dir = run(Command::new(python).args([
        "-c",
        "import onnxruntime, os; print(os.path.join(os.path.dirname(onnxruntime.__file__), 'capi'))",
    ]))?;
    let dir = PathBuf::from(dir.trim());
    let mut libs: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libonnxruntime.so"))
        })
        .collect();
    libs.sort();
    libs.pop()
        .with_context(|| format!("no libonnxruntime.so in {}", dir.display()))
}

/// Run the baseline on `count` images cycling through `photos`.
pub fn measure(
    python: &Path,
    model: &Path,
    photos: &[PathBuf],
    count: usize,
) -> Result<BaselineRun> {
    let script = std::env::temp_dir().join(format!("pam-bench-baseline-{}.py", std::process::id()));
    std::fs::write(&script, SCRIPT)?;
    let out = run(Command::new(python)
        .arg(&script)
        .arg(model)
        .arg(count.to_string())
        .args(photos));
    let _ = std::fs::remove_file(&script);
    let line = out?;
    let v: Value = serde_json::from_str(line.trim()).context("baseline output is not JSON")?;
    let num = |k: &str| {
        v[k].as_f64()
            .with_context(|| format!("baseline output lacks {k}"))
    };
    Ok(BaselineRun {
        images: num("images")? as usize,
        seconds: num("seconds")?,
        cpu_s: num("cpu_s")?,
        decode_s: num("decode_s")?,
        infer_s: num("infer_s")?,
    })
}

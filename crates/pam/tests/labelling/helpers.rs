//! Shared helpers: find the real assets (or skip loudly), run the real `pam` binary on a
//! temp data directory, and check the index's counts against its photos.

use serde_json::Value;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// One labelling test at a time: they are CPU-bound and the machine has two cores.
pub static SERIAL: Mutex<()> = Mutex::new(());

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The model and photo folders, or `None` (skipped, loudly) when they are missing and
/// PAM_REQUIRE_ASSETS is not 1 (then missing assets fail the test).
pub fn assets(test: &str) -> Option<(PathBuf, PathBuf)> {
    let model = repo().join(".cache/models/efficientnet-lite0.onnx");
    let photos = repo().join(".cache/photos");
    let missing: Vec<String> = [
        (&model, "scripts/fetch-model.sh"),
        (&photos, "scripts/fetch-photos.sh"),
    ]
    .iter()
    .filter(|(p, _)| !p.exists())
    .map(|(p, script)| format!("{} (run {script})", p.display()))
    .collect();
    if missing.is_empty() {
        return Some((model, photos));
    }
    let message = format!("{test}: missing {}", missing.join(", "));
    if std::env::var("PAM_REQUIRE_ASSETS").as_deref() == Ok("1") {
        panic!("{message}; PAM_REQUIRE_ASSETS=1 forbids skipping");
    }
    eprintln!("SKIPPED {message}");
    None
}

/// A data directory plus the model, for running `pam`.
pub struct Pam {
    pub data: tempfile::TempDir,
    pub model: PathBuf,
}

impl Pam {
    pub fn new(model: PathBuf) -> Self {
        Self {
            data: tempfile::tempdir().expect("temp dir"),
            model,
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pam"));
        cmd.args(args)
            .env("PAM_DATA_DIR", self.data.path())
            .env("PAM_MODEL", &self.model);
        cmd
    }

    /// Runs `pam ARGS`, requires success, and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.command(args).output().expect("pam runs");
        check(&out, args);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "pam {args:?} printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

pub fn check(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "pam {args:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `dir` (recursively).
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The distinct contents (SHA-256 hex) of `paths`.
pub fn distinct(paths: &[PathBuf]) -> BTreeSet<String> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).expect("readable photo");
            sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect()
}

/// Checks that `pam labels` counts equal the number of distinct photos per label in
/// `pam photos`, that no photo is listed twice, that each went cold and is tagged
/// indexed; returns the photos (by SHA-256) and the label counts.
pub fn consistent(pam: &Pam) -> (BTreeMap<String, Value>, Vec<(String, u64)>) {
    let photos = pam.json(&["photos", "--json"]);
    let labels = pam.json(&["labels", "--json"]);
    let mut by_sha = BTreeMap::new();
    let mut per_label: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for photo in photos["photos"].as_array().expect("photos array") {
        let sha = photo["sha256"].as_str().expect("sha256").to_owned();
        assert_eq!(photo["storage_class"], "GLACIER", "{photo}");
        assert_eq!(photo["tags"]["pam:indexed"], "true", "{photo}");
        for label in photo["labels"].as_array().expect("labels") {
            let name = label["name"].as_str().expect("name").to_owned();
            per_label.entry(name).or_default().insert(sha.clone());
        }
        assert!(
            by_sha.insert(sha, photo.clone()).is_none(),
            "a photo is listed twice: {photo}"
        );
    }
    let counts: Vec<(String, u64)> = labels["labels"]
        .as_array()
        .expect("labels array")
        .iter()
        .map(|l| {
            (
                l["name"].as_str().expect("name").to_owned(),
                l["count"].as_u64().expect("count"),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> = per_label
        .iter()
        .map(|(k, v)| (k.clone(), v.len() as u64))
        .collect();
    let got: BTreeMap<String, u64> = counts.iter().cloned().collect();
    assert_eq!(got, expected, "label counts differ from the photos' labels");
    assert!(
        counts.windows(2).all(|w| w[0].1 >= w[1].1),
        "labels are not highest count first: {counts:?}"
    );
    (by_sha, counts)
}

/// Copies every photo under `from` into `to` (same relative paths).
pub fn copy_tree(from: &Path, to: &Path) {
    for file in files(from) {
        let dest = to.join(file.strip_prefix(from).expect("under from"));
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&file, &dest).expect("copy");
    }
}

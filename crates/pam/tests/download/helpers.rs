//! Shared helpers: find the assets (model, photos, Python with aiosmtpd, unzip) or
//! skip loudly, run the real `pam` binary on a temp data directory, a real SMTP server
//! on 127.0.0.1, and checks on bundles and on where the address could leak.

use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One download test at a time: they label photos and time restores on two cores.
pub static SERIAL: Mutex<()> = Mutex::new(());

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn skip_or_fail(test: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return false;
    }
    let message = format!("{test}: missing {}", missing.join(", "));
    if std::env::var("PAM_REQUIRE_ASSETS").as_deref() == Ok("1") {
        panic!("{message}; PAM_REQUIRE_ASSETS=1 forbids skipping");
    }
    eprintln!("SKIPPED {message}");
    true
}

/// What the tests need from outside the repository's code.
pub struct Assets {
    pub model: PathBuf,
    pub photos: PathBuf,
    pub python: PathBuf,
}

/// The model, the photos, Python with aiosmtpd and `unzip`, or `None` (skipped,
/// loudly) when one is missing and PAM_REQUIRE_ASSETS is not 1.
pub fn assets(test: &str) -> Option<Assets> {
    let model = repo().join(".cache/models/efficientnet-lite0.onnx");
    let photos = repo().join(".cache/photos");
    let python = std::env::var_os("PAM_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".cache/venv-test/bin/python"));
    let mut missing = Vec::new();
    for (path, script) in [
        (&model, "scripts/fetch-model.sh"),
        (&photos, "scripts/fetch-photos.sh"),
    ] {
        if !path.exists() {
            missing.push(format!("{} (run {script})", path.display()));
        }
    }
    let has_aiosmtpd = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_aiosmtpd {
        missing.push(format!(
            "Python with aiosmtpd at {} (run scripts/ci/smtp.sh, or set PAM_TEST_PYTHON)",
            python.display()
        ));
    }
    if Command::new("unzip").arg("-v").output().is_err() {
        missing.push("unzip (apt-get install unzip)".into());
    }
    if skip_or_fail(test, &missing) {
        return None;
    }
    Some(Assets {
        model,
        photos,
        python,
    })
}

/// A data directory plus the environment every `pam` run gets.
pub struct Pam {
    pub data: tempfile::TempDir,
    pub env: Vec<(String, String)>,
}

impl Pam {
    pub fn new(model: &Path) -> Self {
        Self {
            data: tempfile::tempdir().expect("temp dir"),
            env: vec![("PAM_MODEL".into(), model.display().to_string())],
        }
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.env.push((key.into(), value.into()));
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pam"));
        cmd.args(args)
            .env("PAM_DATA_DIR", self.data.path())
            .env_remove("PAM_SMTP_URL")
            .env_remove("PAM_SMS_WEBHOOK")
            .env_remove("PAM_RESTORE_DELAYS")
            .env_remove("PAM_TEST_PART_DELAY_MS");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("pam runs")
    }

    /// Runs `pam ARGS`, requires success, and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        check(&out, args);
        parse(&out, args)
    }
}

pub fn parse(out: &Output, args: &[&str]) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "pam {args:?} printed no JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
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
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
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

pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The photos under `dir` by content (SHA-256 hex → bytes).
pub fn originals(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable photo");
            (sha256_hex(&bytes), bytes)
        })
        .collect()
}

/// Copies every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for file in files(from) {
        let dest = to.join(file.strip_prefix(from).expect("under from"));
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&file, &dest).expect("copy");
    }
}

/// `unzip -t` passes on `zip`, and its entries (but `manifest.csv`) extracted are
/// byte-identical to photos in `originals`; returns how many photos it held.
pub fn check_zip(zip: &Path, originals: &BTreeMap<String, Vec<u8>>) -> usize {
    let test = Command::new("unzip").arg("-t").arg(zip).output().unwrap();
    assert!(
        test.status.success(),
        "unzip -t {}: {}",
        zip.display(),
        String::from_utf8_lossy(&test.stdout)
    );
    let out = tempfile::tempdir().unwrap();
    let x = Command::new("unzip")
        .args(["-q", "-o"])
        .arg(zip)
        .arg("-d")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(x.status.success(), "{}", String::from_utf8_lossy(&x.stderr));
    let mut photos = 0;
    let mut saw_manifest = false;
    for file in files(out.path()) {
        let name = file.strip_prefix(out.path()).unwrap().display().to_string();
        if name == "manifest.csv" {
            saw_manifest = true;
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        let sha = sha256_hex(&bytes);
        let original = originals
            .get(&sha)
            .unwrap_or_else(|| panic!("{name} in the bundle matches no original photo"));
        assert_eq!(&bytes, original, "{name} differs from its original");
        photos += 1;
    }
    assert!(saw_manifest, "no manifest.csv in {}", zip.display());
    photos
}

/// Asserts that `needle` occurs in no file under `dir` (SQLite files and their
/// -wal/-shm included).
pub fn assert_nowhere_under(dir: &Path, needle: &str) {
    for file in files(dir) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{} holds the address",
            file.display()
        );
    }
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1; killed when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub folder: tempfile::TempDir,
    child: Child,
}

impl SmtpServer {
    pub fn start(python: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let folder = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/download/smtp_server.py");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(port.to_string())
            .arg(folder.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "SMTP server did not start");
        Self {
            port,
            folder,
            child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The decoded bodies received so far, with the raw message's recipients line.
    pub fn messages(&self) -> Vec<(String, String)> {
        files(self.folder.path())
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".body.txt"))
            .map(|body| {
                let raw = PathBuf::from(body.to_string_lossy().replace(".body.txt", ".eml"));
                let rcpt = std::fs::read_to_string(&raw)
                    .unwrap_or_default()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                (rcpt, std::fs::read_to_string(&body).unwrap())
            })
            .collect()
    }

    /// Waits up to `limit` for at least `n` messages.
    pub fn wait_for(&self, n: usize, limit: Duration) -> Vec<(String, String)> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n || start.elapsed() > limit {
                return got;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Imports `dir` and returns the label carried by the most photos, with its count.
pub fn import_and_pick_label(pam: &Pam, dir: &Path) -> (String, u64) {
    let report = pam.json(&["import", "--json", dir.to_str().unwrap()]);
    assert!(report["imported"].as_u64().unwrap() > 0, "{report}");
    let photos = pam.json(&["photos", "--json"]);
    for p in photos["photos"].as_array().unwrap() {
        assert_eq!(p["storage_class"], "GLACIER", "photos go cold: {p}");
    }
    let labels = pam.json(&["labels", "--json"]);
    let top = &labels["labels"][0];
    (
        top["name"].as_str().expect("a label").to_owned(),
        top["count"].as_u64().unwrap(),
    )
}

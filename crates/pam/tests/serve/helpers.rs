//! The harness: start the real `pam serve` on a free port with a temp data directory,
//! read the first user's password and the URL it prints, talk to it with typed helpers,
//! and stop it with SIGTERM (checking it exits cleanly).

#![allow(dead_code)]

use reqwest::{Client, Method, Response};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn model_path() -> PathBuf {
    repo().join(".cache/models/efficientnet-lite0.onnx")
}

/// Skips (returns false, loudly) when `what` is missing, unless `flag`=1 demands it.
pub fn require(test: &str, missing: &[String], flag: &str) -> bool {
    if missing.is_empty() {
        return true;
    }
    let message = format!("{test}: missing {}", missing.join(", "));
    if std::env::var(flag).as_deref() == Ok("1") {
        panic!("{message}; {flag}=1 forbids skipping");
    }
    eprintln!("SKIPPED {message}");
    false
}

/// Three real photos from .cache/photos (scripts/fetch-photos.sh), largest first, distinct.
pub fn real_photos(n: usize) -> Vec<PathBuf> {
    let dir = repo().join(".cache/photos");
    let mut all = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("jpg") || x.eq_ignore_ascii_case("jpeg"))
            {
                all.push(p);
            }
        }
    }
    all.sort();
    let mut seen = std::collections::BTreeSet::new();
    all.into_iter()
        .filter(|p| std::fs::read(p).map(|b| seen.insert(b)).unwrap_or(false))
        .take(n)
        .collect()
}

/// A minimal web app folder for tests that do not need the real build.
pub fn stub_ui() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>PAM</title><p>stub app</p>",
    )
    .unwrap();
    dir
}

/// A running `pam serve`.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub data: PathBuf,
    _data_dir: Option<tempfile::TempDir>,
    pub admin_password: Option<String>,
    pub client: Client,
    pub stdout: mpsc::Receiver<String>,
}

pub struct Options {
    pub ui: PathBuf,
    pub data: Option<PathBuf>,
    pub extra: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl Server {
    pub fn start(ui: &Path) -> Self {
        Self::start_with(Options {
            ui: ui.to_owned(),
            data: None,
            extra: vec![],
            env: vec![],
        })
    }

    pub fn start_with(opts: Options) -> Self {
        let (data, keep) = match opts.data {
            Some(d) => (d, None),
            None => {
                let t = tempfile::tempdir().expect("temp dir");
                (t.path().to_owned(), Some(t))
            }
        };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pam"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--ui"])
            .arg(&opts.ui)
            .args(&opts.extra)
            .env("PAM_DATA_DIR", &data)
            .env("PAM_MODEL", model_path())
            .env_remove("PAM_PUBLIC_URL")
            .env_remove("PAM_SMTP_URL")
            .env_remove("PAM_SMS_WEBHOOK")
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("pam serve starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut password = None;
        let deadline = Instant::now() + Duration::from_secs(120);
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(p) = line.split("with password: ").nth(1) {
                        password = Some(p.trim().to_owned());
                    }
                    if let Some(u) = line.strip_prefix("pam serve: listening on ") {
                        break u.trim().to_owned();
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let status = child.wait().ok();
                    panic!(
                        "pam serve did not print its URL (exit: {status:?}); run with TEST_LOG=1 to see its log"
                    );
                }
            }
        };
        Self {
            child,
            url,
            data,
            _data_dir: keep,
            admin_password: password,
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            stdout: rx,
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn login(&self, user: &str, password: &str) -> Response {
        self.client
            .post(self.at("/auth/login"))
            .json(&json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Signs in as the first user and returns the ID token.
    pub async fn token(&self) -> String {
        let pw = self
            .admin_password
            .clone()
            .expect("the first start printed a password");
        let r = self.login("admin", &pw).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        body["id_token"].as_str().unwrap().to_owned()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method, self.at(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    /// SIGTERM, then waits; returns whether it exited 0 within `limit`.
    pub fn stop(&mut self, limit: Duration) -> bool {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Asserts the API's error shape and returns its code.
pub fn error_code(status: u16, body: &Value) -> String {
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("HTTP {status} without the error shape: {body}"));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "HTTP {status} error without a message: {body}"
    );
    code.to_owned()
}

/// Polls `f` every 500 ms until it returns Some, or panics after `limit` naming `what`.
pub async fn until<T, F, Fut>(what: &str, limit: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

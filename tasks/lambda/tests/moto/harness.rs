//! The Lambda world on one machine: moto (S3, DynamoDB, SNS, Secrets Manager, Rekognition,
//! Step Functions with its ASL engine) behind `scripts/moto.sh`'s proxy, and
//! `cargo lambda watch --only-lambda-apis` as the Lambda Runtime API, serving our step and
//! API binaries — the very debug binaries `cargo test` built (`CARGO_BIN_EXE_*`), started
//! as processes that poll the Runtime API as they would on Lambda. The proxy sends moto's
//! Lambda invocations to this emulator.
//!
//! Without `PAM_AWS_ENDPOINT`, `PAM_MOTO_PROXY` and `PAM_CARGO_LAMBDA` (set by
//! `eval "$(scripts/ci/lambda.sh)"`) the tests skip loudly; `PAM_AWS_REQUIRE=1` makes that
//! a failure.

use aws_config::SdkConfig;
use pam_aws::AwsSettings;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The proxy routes all of moto's Lambda calls to one emulator: state-machine tests
/// take turns.
pub fn proxy_lock() -> &'static tokio::sync::Mutex<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

/// Every binary of the package, by name.
pub fn binary(name: &str) -> &'static str {
    match name {
        "read-event" => env!("CARGO_BIN_EXE_read-event"),
        "detect-labels" => env!("CARGO_BIN_EXE_detect-labels"),
        "index-labels" => env!("CARGO_BIN_EXE_index-labels"),
        "archive" => env!("CARGO_BIN_EXE_archive"),
        "quarantine" => env!("CARGO_BIN_EXE_quarantine"),
        "api-labels" => env!("CARGO_BIN_EXE_api-labels"),
        "api-uploads" => env!("CARGO_BIN_EXE_api-uploads"),
        "api-executions" => env!("CARGO_BIN_EXE_api-executions"),
        "api-downloads" => env!("CARGO_BIN_EXE_api-downloads"),
        "open-channel" => env!("CARGO_BIN_EXE_open-channel"),
        "resolve-manifest" => env!("CARGO_BIN_EXE_resolve-manifest"),
        "start-restores" => env!("CARGO_BIN_EXE_start-restores"),
        "check-restores" => env!("CARGO_BIN_EXE_check-restores"),
        "build-bundle" => env!("CARGO_BIN_EXE_build-bundle"),
        "presign" => env!("CARGO_BIN_EXE_presign"),
        "notify" => env!("CARGO_BIN_EXE_notify"),
        "close-channel" => env!("CARGO_BIN_EXE_close-channel"),
        other => panic!("no binary {other}"),
    }
}

/// What the tests need from the environment, or `None` (after a loud skip notice).
pub struct World {
    /// moto's endpoint.
    pub endpoint: String,
    /// The proxy moto's Step Functions engine calls Lambda through.
    pub proxy: String,
    /// The cargo-lambda executable.
    pub cargo_lambda: String,
    /// SDK settings for moto.
    pub settings: AwsSettings,
    /// SDK config for moto.
    pub sdk: SdkConfig,
}

/// Returns the `World`, or skips the test.
#[macro_export]
macro_rules! world {
    () => {
        match $crate::harness::World::from_env(module_path!()).await {
            Some(world) => world,
            None => return,
        }
    };
}

impl World {
    pub async fn from_env(test: &str) -> Option<Self> {
        let get = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let (endpoint, proxy, cargo_lambda) = match (
            get("PAM_AWS_ENDPOINT"),
            get("PAM_MOTO_PROXY"),
            get("PAM_CARGO_LAMBDA"),
        ) {
            (Some(e), Some(p), Some(c)) => (e, p, c),
            _ => {
                let message = format!(
                    "PAM_AWS_ENDPOINT, PAM_MOTO_PROXY or PAM_CARGO_LAMBDA is not set: {test} \
                     needs moto, its proxy and cargo-lambda (run `eval \"$(scripts/ci/lambda.sh)\"`)"
                );
                let required = std::env::var("PAM_AWS_REQUIRE").is_ok_and(|v| v == "1");
                assert!(
                    !required,
                    "{message} and PAM_AWS_REQUIRE=1 forbids skipping"
                );
                let _ = writeln!(std::io::stderr(), "\n!!!!! SKIPPED: {message} !!!!!\n");
                return None;
            }
        };
        let settings = AwsSettings::emulator(endpoint.clone());
        let sdk = settings.load().await;
        Some(Self {
            endpoint,
            proxy,
            cargo_lambda,
            settings,
            sdk,
        })
    }

    /// A name unique to this run.
    pub fn unique(prefix: &str) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        format!("{prefix}-{}", &id[..12])
    }

    /// Environment every function process gets: moto as the endpoint, dummy
    /// credentials, and `vars`.
    pub fn function_env(&self, vars: &[(&str, String)]) -> BTreeMap<String, String> {
        let mut env: BTreeMap<String, String> = [
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("RUST_LOG", "info".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        env.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        env
    }

    /// Sends moto's Lambda invocations to `emulator`.
    pub async fn route_lambda_to(&self, emulator: &Emulator) {
        let url = format!("{}/__pam_proxy/lambda", self.proxy);
        let (status, _) = http("PUT", &url, &[], emulator.base().as_bytes()).await;
        assert_eq!(status, 200, "proxy registration");
    }

    /// Makes moto execute state machines (its ASL engine), Lambda without Docker.
    pub async fn execute_state_machines(&self) {
        let body = serde_json::json!({
            "stepfunctions": {"execute_state_machine": true},
            "lambda": {"use_docker": false}
        });
        let url = format!("{}/moto-api/config", self.endpoint);
        let (status, text) = http("POST", &url, &[], body.to_string().as_bytes()).await;
        assert!(
            status < 300,
            "moto config: {}",
            String::from_utf8_lossy(&text)
        );
    }
}

/// `cargo lambda watch --only-lambda-apis` and the function processes polling it.
pub struct Emulator {
    port: u16,
    watch: Child,
    functions: Vec<(String, Child)>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Emulator {
    /// Starts the Runtime API emulator (it builds nothing in this mode).
    pub async fn start(world: &World) -> Self {
        let port = free_port();
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let log =
            std::fs::File::create(std::env::temp_dir().join(format!("cargo-lambda-{port}.log")))
                .unwrap();
        let watch = Command::new(&world.cargo_lambda)
            .args([
                "lambda",
                "watch",
                "--only-lambda-apis",
                "-A",
                "127.0.0.1",
                "-P",
            ])
            .arg(port.to_string())
            .args(["--manifest-path", manifest])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("cargo lambda watch starts");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "emulator did not listen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            port,
            watch,
            functions: Vec::new(),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts binary `name` as a function polling the Runtime API, with `env`.
    pub fn function(&mut self, name: &str, env: &BTreeMap<String, String>) {
        let log = std::fs::File::create(
            std::env::temp_dir().join(format!("pam-lambda-{}-{name}.log", self.port)),
        )
        .unwrap();
        let child = Command::new(binary(name))
            .env_clear()
            .envs(env)
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "AWS_LAMBDA_RUNTIME_API",
                format!("http://127.0.0.1:{}/.rt/{name}", self.port),
            )
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        self.functions.push((name.to_owned(), child));
    }

    /// The log of function `name`.
    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(
            std::env::temp_dir().join(format!("pam-lambda-{}-{name}.log", self.port)),
        )
        .unwrap_or_default()
    }

    /// Invokes `name` as Lambda's Invoke API would (through the emulator): the status
    /// (200, or 500 for a function error) and the JSON answer.
    pub async fn invoke(&self, name: &str, payload: &Value) -> (u16, Value) {
        let url = format!("{}/2015-03-31/functions/{name}/invocations", self.base());
        let (status, body) = http("POST", &url, &[], payload.to_string().as_bytes()).await;
        let value = serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
        (status, value)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        for (_, child) in &mut self.functions {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = self.watch.kill();
        let _ = self.watch.wait();
    }
}

/// One HTTP/1.0 request; returns status and body.
pub async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let status = String::from_utf8_lossy(&answer[..split])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    (status, answer[split + 4..].to_vec())
}

//! Test plumbing: the moto endpoint from `PAM_AWS_ENDPOINT` (skipping loudly without
//! it), fresh buckets and tables per test so tests run in parallel, moto's control API
//! for restore timing, and a tiny HTTP/1.0 client for presigned URLs.

use aws_config::SdkConfig;
use pam_aws::{AwsSettings, DynamoIndex, DynamoJobLog, S3Store};
use pam_core::BucketName;
use std::io::Write;
use std::sync::OnceLock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

/// A moto server and an SDK configuration pointing at it.
pub struct Moto {
    pub endpoint: String,
    pub settings: AwsSettings,
    pub sdk: SdkConfig,
}

/// Returns the `Moto` for this test, or skips it (loudly) when no endpoint is set.
#[macro_export]
macro_rules! moto {
    () => {
        match $crate::helpers::Moto::from_env(module_path!(), line!()).await {
            Some(moto) => moto,
            None => return,
        }
    };
}

fn unique(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &id[..20])
}

impl Moto {
    pub async fn from_env(test: &str, line: u32) -> Option<Self> {
        let endpoint = std::env::var("PAM_AWS_ENDPOINT")
            .ok()
            .filter(|e| !e.trim().is_empty());
        let Some(endpoint) = endpoint else {
            let required = std::env::var("PAM_AWS_REQUIRE").is_ok_and(|v| v == "1");
            let message = format!(
                "PAM_AWS_ENDPOINT is not set: the AWS adapter test at {test}:{line} needs moto \
                 (run `eval \"$(scripts/moto.sh start)\"` first)"
            );
            assert!(
                !required,
                "{message} and PAM_AWS_REQUIRE=1 forbids skipping"
            );
            // Straight to the stderr handle: the test harness captures eprintln!.
            let _ = writeln!(std::io::stderr(), "\n!!!!! SKIPPED: {message} !!!!!\n");
            return None;
        };
        let settings = AwsSettings::emulator(endpoint.clone());
        let sdk = settings.load().await;
        Some(Self {
            endpoint,
            settings,
            sdk,
        })
    }

    pub fn s3_client(&self) -> aws_sdk_s3::Client {
        self.settings.s3_client(&self.sdk)
    }

    pub fn store(&self) -> S3Store {
        S3Store::new(self.s3_client())
    }

    /// A new, empty bucket.
    pub async fn fresh_bucket(&self) -> BucketName {
        let name = unique("pam-test");
        self.s3_client()
            .create_bucket()
            .bucket(&name)
            .send()
            .await
            .expect("create bucket");
        BucketName::parse(name).expect("bucket name")
    }

    /// A new, empty index table, and a second client config for more handles on it.
    pub async fn fresh_index(&self) -> DynamoIndex {
        let table = unique("pam-index");
        let client = aws_sdk_dynamodb::Client::new(&self.sdk);
        pam_aws::dynamo::create_table(&client, &table)
            .await
            .expect("create table");
        DynamoIndex::new(client, table)
    }

    /// A new, empty PAM table with a job log on it, and the table's name.
    pub async fn fresh_jobs(&self) -> (DynamoJobLog, String) {
        let table = unique("pam-jobs");
        let client = aws_sdk_dynamodb::Client::new(&self.sdk);
        pam_aws::dynamo::create_table(&client, &table)
            .await
            .expect("create table");
        (DynamoJobLog::new(client, &table), table)
    }

    /// A query-protocol call to moto's SQS (no SQS SDK needed for two calls); the
    /// Authorization header only names the service, moto does not check signatures.
    async fn sqs(&self, params: &[(&str, &str)]) -> String {
        let body: String = params
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, \
                 SignedHeaders=host, Signature=0",
            ),
        ];
        let (status, answer) = http_with(
            "POST",
            &format!("{}/", self.endpoint),
            &headers,
            body.as_bytes(),
        )
        .await;
        let text = String::from_utf8_lossy(&answer).into_owned();
        assert_eq!(status, 200, "SQS {params:?}: {text}");
        text
    }

    /// A new SQS queue subscribed to `topic_arn`; returns the queue URL.
    pub async fn sqs_subscriber(&self, topic_arn: &str) -> String {
        let name = unique("pam-inbox");
        let created = self
            .sqs(&[
                ("Action", "CreateQueue"),
                ("QueueName", &name),
                ("Version", "2012-11-05"),
            ])
            .await;
        let url = between(&created, "<QueueUrl>", "</QueueUrl>").expect("QueueUrl");
        aws_sdk_sns::Client::new(&self.sdk)
            .subscribe()
            .topic_arn(topic_arn)
            .protocol("sqs")
            .endpoint(format!("arn:aws:sqs:us-east-1:123456789012:{name}"))
            .send()
            .await
            .expect("subscribe the queue");
        url
    }

    /// The SNS messages (their `Message` field) waiting in `queue_url`.
    pub async fn sqs_messages(&self, queue_url: &str) -> Vec<String> {
        let answer = self
            .sqs(&[
                ("Action", "ReceiveMessage"),
                ("QueueUrl", queue_url),
                ("MaxNumberOfMessages", "10"),
                ("WaitTimeSeconds", "1"),
                ("Version", "2012-11-05"),
            ])
            .await;
        let mut out = Vec::new();
        let mut rest = answer.as_str();
        while let Some(start) = rest.find("<Body>") {
            let after = &rest[start + 6..];
            let end = after.find("</Body>").expect("</Body>");
            let body = xml_unescape(&after[..end]);
            let envelope: serde_json::Value = serde_json::from_str(&body).expect("SNS envelope");
            out.push(envelope["Message"].as_str().unwrap_or_default().to_owned());
            rest = &after[end..];
        }
        out
    }

    /// Another handle on `index`'s table through a separately built client.
    pub async fn another_handle(&self, index: &DynamoIndex) -> DynamoIndex {
        let sdk = self.settings.load().await;
        DynamoIndex::new(aws_sdk_dynamodb::Client::new(&sdk), index.table())
    }

    /// Makes moto run state machine definitions (its ASL engine) instead of recording
    /// executions as forever RUNNING, and Lambda tasks without Docker. Global to the
    /// server; idempotent.
    pub async fn execute_state_machines(&self) {
        let body = serde_json::json!({
            "stepfunctions": {"execute_state_machine": true},
            "lambda": {"use_docker": false}
        });
        let url = format!("{}/moto-api/config", self.endpoint);
        let (status, text) = http("POST", &url, body.to_string().as_bytes()).await;
        assert!(
            status < 300,
            "moto config: {}",
            String::from_utf8_lossy(&text)
        );
    }

    /// moto's restore timing: `None` makes restores finish at once; `Some(n)` makes a
    /// restored key report `ongoing-request="true"` for about `n` reads after the first.
    pub async fn set_restore_progression(&self, times: Option<u32>) {
        let transition = match times {
            None => serde_json::json!({"progression": "immediate"}),
            Some(n) => serde_json::json!({"progression": "manual", "times": n}),
        };
        let body = serde_json::json!({"model_name": "s3::keyrestore", "transition": transition});
        let url = format!("{}/moto-api/state-manager/set-transition", self.endpoint);
        let (status, text) = http("POST", &url, body.to_string().as_bytes()).await;
        assert_eq!(
            status,
            201,
            "set-transition: {}",
            String::from_utf8_lossy(&text)
        );
    }
}

/// moto's restore timing is global to the server: tests that change it hold this.
pub fn restore_timing_lock() -> &'static Mutex<()> {
    static LOCK: OnceLock<Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| Mutex::new(()))
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(xml_unescape(&text[start..end]))
}

fn xml_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#xD;", "\r")
        .replace("&amp;", "&")
}

/// One HTTP/1.0 request to `http://host:port/path?query` (no chunked answers to
/// decode); returns the status and the body.
pub async fn http(method: &str, url: &str, body: &[u8]) -> (u16, Vec<u8>) {
    http_with(method, url, &[], body).await
}

/// [`http`] with extra request headers.
pub async fn http_with(
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
    let status_line = String::from_utf8_lossy(&answer[..split]).to_string();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    (status, answer[split + 4..].to_vec())
}

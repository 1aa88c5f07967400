//! The binaries as processes against the Lambda Runtime API, without moto where it is not
//! needed: a start without configuration is reported through `/runtime/init/error`
//! (checked on a recording Runtime API, since the emulator answers init errors loosely),
//! and a malformed event gets an invocation error naming the problem.

use crate::harness::{Emulator, binary};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Reads one HTTP request (head and Content-Length body) from `stream`.
async fn read_request(stream: &mut tokio::net::TcpStream) -> (String, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed mid-request");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
            return (head, body);
        }
    }
}

#[tokio::test]
async fn a_start_without_configuration_reports_an_init_error_and_exits() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = listener.local_addr().unwrap().to_string();
    let mut child = Command::new(binary("index-labels"))
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", &api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "index-labels")
        .env("AWS_REGION", "us-east-1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut stream, _) = tokio::time::timeout(Duration::from_secs(30), listener.accept())
        .await
        .expect("the binary calls the Runtime API")
        .unwrap();
    let (head, body) = read_request(&mut stream).await;
    stream
        .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n")
        .await
        .unwrap();
    drop(stream);
    assert!(
        head.starts_with("POST /2018-06-01/runtime/init/error HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("lambda-runtime-function-error-type: runtime.configerror"),
        "{head}"
    );
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["errorType"], "Runtime.ConfigError");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("PAM_TABLE"),
        "names the variable: {message}"
    );
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(!status.success(), "exits non-zero: {status:?}");
}

#[tokio::test]
async fn a_malformed_event_is_an_invocation_error_naming_the_problem() {
    let world = crate::world!();
    let mut emulator = Emulator::start(&world).await;
    let env = world.function_env(&[("PAM_TABLE", World::unique("unused"))]);
    emulator.function("detect-labels", &env);
    let (status, answer) = emulator
        .invoke("detect-labels", &serde_json::json!({"bucket": "photos"}))
        .await;
    assert_eq!(status, 500, "{answer}");
    assert_eq!(answer["errorType"], "Pam.InvalidInput", "{answer}");
    let message = answer["errorMessage"].as_str().unwrap();
    assert!(message.contains("missing field `key`"), "{message}");
}

use crate::harness::World;

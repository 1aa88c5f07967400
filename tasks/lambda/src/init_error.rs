//! Reporting a failed start through the Lambda Runtime API. `lambda_runtime` reports
//! init errors only for its SnapStart hooks, so a binary whose configuration is missing
//! makes the documented call itself: `POST
//! http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/init/error` with the
//! `Lambda-Runtime-Function-Error-Type` header and a JSON body
//! `{"errorMessage","errorType"}`, then exits non-zero. Lambda then fails the
//! invocation with that message instead of a silent crash.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The `errorType` of a configuration failure.
pub const CONFIG_ERROR_TYPE: &str = "Runtime.ConfigError";

/// Splits `AWS_LAMBDA_RUNTIME_API` into `host:port` and a path prefix. Lambda sets a
/// bare `host:port`; emulators (cargo-lambda) may add a scheme and a path.
pub fn runtime_api_parts(api: &str) -> (&str, &str) {
    let rest = api
        .strip_prefix("http://")
        .unwrap_or(api)
        .trim_end_matches('/');
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    }
}

/// Posts the init error to the Runtime API at `api` (the `AWS_LAMBDA_RUNTIME_API`
/// value); returns the HTTP status it answered.
pub async fn post_init_error(api: &str, error_type: &str, message: &str) -> std::io::Result<u16> {
    let (host, prefix) = runtime_api_parts(api);
    let body = json!({"errorMessage": message, "errorType": error_type}).to_string();
    let request = format!(
        "POST {prefix}/2018-06-01/runtime/init/error HTTP/1.1\r\nHost: {host}\r\n\
         Lambda-Runtime-Function-Error-Type: {error_type}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(host).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let head = String::from_utf8_lossy(&answer);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no HTTP status in {head:?}")))
}

/// Reports `err` as an init error (when running under a Runtime API) and exits 1.
pub async fn exit_with_init_error(err: &dyn std::fmt::Display) -> ! {
    let message = err.to_string();
    tracing::error!(error = %message, "cannot start");
    match std::env::var("AWS_LAMBDA_RUNTIME_API") {
        Ok(api) => match post_init_error(&api, CONFIG_ERROR_TYPE, &message).await {
            Ok(status) => tracing::info!(status, "init error reported to the Runtime API"),
            Err(e) => tracing::error!(error = %e, "could not report the init error"),
        },
        Err(_) => eprintln!("cannot start: {message} (no AWS_LAMBDA_RUNTIME_API to report to)"),
    }
    std::process::exit(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_api_addresses() {
        assert_eq!(runtime_api_parts("127.0.0.1:9001"), ("127.0.0.1:9001", ""));
        assert_eq!(
            runtime_api_parts("http://127.0.0.1:9000/.rt/detect-labels/"),
            ("127.0.0.1:9000", "/.rt/detect-labels")
        );
    }
}

//! Error shapes, body limits, the public routes, the first user, `pam user` and
//! graceful shutdown.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;
use std::io::{Read, Write};
use std::time::Duration;

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let ui = stub_ui();
    let server = Server::start(ui.path());
    let token = server.token().await;
    let t = Some(token.as_str());
    let cases: Vec<(Method, &str, Option<serde_json::Value>, u16, &str)> = vec![
        (Method::GET, "/no/such/route", None, 404, "not_found"),
        (Method::POST, "/labels", None, 405, "method_not_allowed"),
        (
            Method::GET,
            "/downloads/no-such-job",
            None,
            404,
            "not_found",
        ),
        (
            Method::GET,
            "/executions/arn%3Anope/history",
            None,
            404,
            "not_found",
        ),
        (
            Method::POST,
            "/uploads",
            Some(json!({"file_name": "a.png", "size": 10, "content_type": "image/png"})),
            415,
            "unsupported_type",
        ),
        (
            Method::POST,
            "/uploads",
            Some(json!({"file_name": "a.jpg", "size": 0, "content_type": "image/jpeg"})),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            "/uploads",
            Some(json!({"file_name": "a.jpg", "size": 1u64 << 40, "content_type": "image/jpeg"})),
            413,
            "too_large",
        ),
        (
            Method::POST,
            "/uploads",
            Some(json!({"file_name": "a.jpg"})),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            "/downloads",
            Some(json!({"labels": [], "match": "any", "notify": {"email": "x@example.com"}})),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            "/downloads",
            Some(json!({"labels": ["Dog"], "match": "any", "notify": {"email": "not an address"}})),
            400,
            "bad_request",
        ),
    ];
    for (method, path, body, want, code) in cases {
        let (status, reply) = server.call(method.clone(), path, t, body).await;
        assert_eq!(status, want, "{method} {path}: {reply}");
        assert_eq!(error_code(status, &reply), code, "{method} {path}");
    }
    // Malformed JSON and an oversized body.
    let r = server
        .client
        .post(server.at("/auth/login"))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    error_code(400, &r.json().await.unwrap());
    let big = format!(
        "{{\"username\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(200_000)
    );
    let r = server
        .client
        .post(server.at("/auth/login"))
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(error_code(413, &r.json().await.unwrap()), "too_large");
    // The app itself and its configuration are public.
    let (status, config) = server.call(Method::GET, "/config.json", None, None).await;
    assert_eq!(
        (status, config["auth"]["mode"].as_str()),
        (200, Some("local"))
    );
    let page = server.client.get(server.at("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("stub app"));
}

#[tokio::test]
async fn first_user_once_and_pam_user_add() {
    let ui = stub_ui();
    let data = tempfile::tempdir().unwrap();
    let opts = || Options {
        ui: ui.path().to_owned(),
        data: Some(data.path().to_owned()),
        extra: vec![],
        env: vec![],
    };
    let mut first = Server::start_with(opts());
    assert!(first.admin_password.is_some());
    assert!(
        first.stop(Duration::from_secs(20)),
        "SIGTERM stops pam serve cleanly"
    );

    let pam = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pam"))
            .args(args)
            .env("PAM_DATA_DIR", data.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = pam(
        &[
            "user",
            "add",
            "ana",
            "--email",
            "ana@example.com",
            "--password-stdin",
        ],
        "ana's long pass\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = pam(
        &[
            "user",
            "add",
            "ana",
            "--email",
            "ana@example.com",
            "--password-stdin",
        ],
        "ana's long pass\n",
    );
    assert_eq!(out.status.code(), Some(2), "a second ana is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = pam(&["user", "add", "bo", "--email", "not-an-address"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("email"));
    let out = pam(&["user", "add", "cy", "--email", "cy@example.com"], "");
    assert!(out.status.success());
    let generated = String::from_utf8_lossy(&out.stdout);
    let cy_password = generated
        .split("password: ")
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    let out = pam(&["user", "list"], "");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("ana") && listed.contains("admin") && !listed.contains("example.com"),
        "{listed}"
    );

    let second = Server::start_with(opts());
    assert!(
        second.admin_password.is_none(),
        "the password is printed only on the first start"
    );
    assert_eq!(second.login("ana", "ana's long pass").await.status(), 200);
    assert_eq!(second.login("cy", &cy_password).await.status(), 200);
    let r = second.login("ana", "wrong").await;
    assert_eq!(r.status(), 401);
    // The email is in the token (the account's own), never in the server's files as text
    // outside the accounts database.
    let body: serde_json::Value = second
        .login("ana", "ana's long pass")
        .await
        .json()
        .await
        .unwrap();
    let token = body["id_token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    assert!(!payload.is_empty());
}

#[tokio::test]
async fn shutdown_finishes_in_flight_requests() {
    let ui = stub_ui();
    let mut server = Server::start(ui.path());
    let token = server.token().await;
    let addr = server.url.trim_start_matches("http://").to_owned();
    // A request whose body is still arriving when SIGTERM comes.
    let body = json!({"username": "admin", "password": server.admin_password.clone().unwrap()})
        .to_string();
    let mut sock = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        sock,
        "POST /auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    sock.write_all(&body.as_bytes()[..5]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    std::thread::sleep(Duration::from_millis(300));
    // New connections are no longer accepted…
    assert!(
        std::net::TcpStream::connect(&addr).is_err()
            || server
                .client
                .get(server.at("/labels"))
                .bearer_auth(&token)
                .send()
                .await
                .is_err(),
        "the listener closed"
    );
    // …but the one in flight completes.
    sock.write_all(&body.as_bytes()[5..]).unwrap();
    let mut reply = String::new();
    sock.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        server.stop(Duration::from_secs(20)),
        "exits 0 after SIGTERM"
    );
}

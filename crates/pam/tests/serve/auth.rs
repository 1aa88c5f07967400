//! Every route refuses a missing, forged or expired token; public and signed routes do
//! not ask for one; sign-in issues Cognito-shaped ID tokens.

use crate::helpers::*;
use jsonwebtoken::{EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

/// Every (method, concrete path, needs token) in the served OpenAPI document.
async fn operations(server: &Server) -> Vec<(Method, String, bool)> {
    let (status, doc) = server.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, 200);
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            let secured = op["security"]
                .as_array()
                .expect("every operation states its security")
                .iter()
                .any(|s| s.get("bearer").is_some());
            let concrete = path
                .replace("{bucket}", "working")
                .replace("{key}", "bundles/x/y.zip")
                .replace(
                    "{arn}",
                    "arn%3Aaws%3Astates%3Alocal%3A0%3Aexecution%3Alabelling%3Ax",
                )
                .replace(['{', '}'], "");
            out.push((method.to_uppercase().parse().unwrap(), concrete, secured));
        }
    }
    assert!(out.len() >= 15, "the document lists every route: {out:?}");
    out
}

/// A token's claims, unchecked.
fn claims_of(token: &str) -> Value {
    let mut v = jsonwebtoken::Validation::default();
    v.insecure_disable_signature_validation();
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, &jsonwebtoken::DecodingKey::from_secret(b""), &v)
        .unwrap()
        .claims
}

/// A token signed with the server's own key but expired an hour ago.
fn expired_token(server: &Server, valid: &str) -> String {
    let key = std::fs::read(server.data.join("secrets/jwt.key")).expect("jwt.key");
    let claims = claims_of(valid);
    let mut claims = claims.as_object().unwrap().clone();
    let now = chrono::Utc::now().timestamp();
    claims.insert("iat".into(), json!(now - 7200));
    claims.insert("exp".into(), json!(now - 3600));
    jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(&key)).unwrap()
}

/// The same claims signed with another key.
fn forged_token(valid: &str) -> String {
    let claims = claims_of(valid);
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&[1u8; 32]),
    )
    .unwrap()
}

#[tokio::test]
async fn every_route_refuses_missing_forged_and_expired_tokens() {
    let ui = stub_ui();
    let server = Server::start(ui.path());
    let valid = server.token().await;
    let bad = [
        ("no token", None, "unauthorized"),
        ("forged", Some(forged_token(&valid)), "invalid_token"),
        (
            "expired",
            Some(expired_token(&server, &valid)),
            "token_expired",
        ),
        ("garbage", Some("not.a.jwt".to_owned()), "invalid_token"),
    ];
    let ops = operations(&server).await;
    let body = Some(json!({}));
    for (method, path, secured) in &ops {
        for (what, token, code) in &bad {
            let (status, reply) = server
                .call(method.clone(), path, token.as_deref(), body.clone())
                .await;
            if *secured {
                assert_eq!(status, 401, "{method} {path} with {what}: {reply}");
                assert_eq!(
                    error_code(status, &reply),
                    *code,
                    "{method} {path} with {what}"
                );
            } else {
                assert_ne!(
                    status, 401,
                    "{method} {path} is public or signed, yet refused {what}: {reply}"
                );
            }
        }
        // A valid token gets past authentication (the handler may still refuse the dummy input).
        let (status, reply) = server
            .call(method.clone(), path, Some(&valid), body.clone())
            .await;
        assert_ne!(
            status, 401,
            "{method} {path} refused a valid token: {reply}"
        );
        if status >= 400 {
            error_code(status, &reply);
        }
    }
    // Signed routes without their signature are refused with 403, not served.
    for (method, path, secured) in &ops {
        if !*secured && (path.starts_with("/links/") || path.contains("/parts/")) {
            let (status, reply) = server.call(method.clone(), path, Some(&valid), None).await;
            assert_eq!(status, 403, "{method} {path} unsigned: {reply}");
            error_code(status, &reply);
        }
    }
    // The bearer scheme is required.
    let r = server
        .client
        .get(server.at("/labels"))
        .header("Authorization", format!("Basic {valid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn sign_in_issues_cognito_shaped_id_tokens() {
    let ui = stub_ui();
    let server = Server::start(ui.path());
    let pw = server
        .admin_password
        .clone()
        .expect("first start prints the password");
    let (status, reply) = server
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "admin", "password": pw})),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["expires_in"], 3600);
    let token = reply["id_token"].as_str().unwrap();
    let claims = claims_of(token);
    for field in [
        "sub",
        "cognito:username",
        "exp",
        "iat",
        "iss",
        "aud",
        "token_use",
    ] {
        assert!(
            claims.get(field).is_some(),
            "claim {field} missing: {claims}"
        );
    }
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["cognito:username"], "admin");
    assert_eq!(claims["iss"], server.url.as_str());

    for (body, want_status, want_code) in [
        (
            json!({"username": "admin", "password": "wrong password"}),
            401,
            "bad_credentials",
        ),
        (
            json!({"username": "nobody", "password": pw}),
            401,
            "bad_credentials",
        ),
        (json!({"username": "admin"}), 400, "bad_request"),
        (
            json!({"username": "admin", "password": pw, "extra": 1}),
            400,
            "bad_request",
        ),
    ] {
        let (status, reply) = server
            .call(Method::POST, "/auth/login", None, Some(body.clone()))
            .await;
        assert_eq!(status, want_status, "{body}: {reply}");
        assert_eq!(error_code(status, &reply), want_code, "{body}");
    }
}

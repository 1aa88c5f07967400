//! What moto cannot emulate, checked on the wire: Intelligent-Tiering archive tiers.
//! A scripted S3 endpoint on 127.0.0.1 answers HeadObject as S3 does for an object in
//! the Archive Access / Deep Archive Access tier (and during and after its restore),
//! refuses GET with S3's InvalidObjectState error, and records the RestoreObject
//! request, so the test sees exactly what the adapter parses and sends. Needs no moto.

use pam_aws::{AwsSettings, S3Store};
use pam_core::ports::store::{GetOptions, PhotoStore, RestoreOutcome, RestoreRequest, StoreError};
use pam_core::{ArchiveStatus, BucketName, ObjectKey, RestoreState, RestoreTier, StorageClass};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The scripted object's state, and what the adapter sent.
#[derive(Default)]
struct Script {
    /// `x-amz-archive-status` while archived.
    tier: &'static str,
    /// Restore requested: HEADs left that report it ongoing.
    ongoing_heads: Option<u32>,
    restored: bool,
    restore_bodies: Vec<String>,
}

fn head_response(script: &mut Script) -> String {
    let mut headers = String::from(
        "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nETag: \"abc\"\r\n\
         Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n\
         x-amz-storage-class: INTELLIGENT_TIERING\r\n",
    );
    match script.ongoing_heads {
        _ if script.restored => headers.push_str("x-amz-restore: ongoing-request=\"false\"\r\n"),
        Some(0) => {
            script.restored = true;
            headers.push_str("x-amz-restore: ongoing-request=\"false\"\r\n");
        }
        Some(n) => {
            script.ongoing_heads = Some(n - 1);
            headers.push_str("x-amz-restore: ongoing-request=\"true\"\r\n");
            headers.push_str(&format!("x-amz-archive-status: {}\r\n", script.tier));
        }
        None => headers.push_str(&format!("x-amz-archive-status: {}\r\n", script.tier)),
    }
    headers + "Connection: close\r\n\r\n"
}

fn respond(script: &mut Script, method: &str, target: &str, body: String) -> String {
    match method {
        "HEAD" => head_response(script),
        "POST" if target.contains("restore") => {
            script.restore_bodies.push(body);
            script.ongoing_heads = Some(2);
            "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into()
        }
        "GET" if !script.restored => {
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidObjectState</Code>\
                       <Message>The operation is not valid for the object's access tier</Message>\
                       <StorageClass>INTELLIGENT_TIERING</StorageClass><AccessTier>ARCHIVE_ACCESS</AccessTier></Error>";
            format!(
                "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                xml.len()
            )
        }
        "GET" => "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nETag: \"abc\"\r\n\
                  x-amz-storage-class: INTELLIGENT_TIERING\r\nConnection: close\r\n\r\ntiering"
            .into(),
        _ => {
            "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into()
        }
    }
}

/// Serves the script until the test ends; returns the endpoint.
async fn serve(script: Arc<Mutex<Script>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let script = script.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                let (head_end, length) = loop {
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (end + 4, length);
                    }
                };
                while request.len() < head_end + length {
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&buf[..n]);
                }
                let text = String::from_utf8_lossy(&request[..head_end]).to_string();
                let mut first = text.lines().next().unwrap_or("").split_whitespace();
                let (method, target) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
                let body = String::from_utf8_lossy(&request[head_end..]).to_string();
                let answer = respond(&mut script.lock().unwrap(), method, target, body);
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    endpoint
}

async fn scripted_store(tier: &'static str) -> (S3Store, Arc<Mutex<Script>>) {
    let script = Arc::new(Mutex::new(Script {
        tier,
        ..Script::default()
    }));
    let settings = AwsSettings::emulator(serve(script.clone()).await);
    let sdk = settings.load().await;
    (S3Store::new(settings.s3_client(&sdk)), script)
}

#[tokio::test]
async fn archive_access_restore_takes_no_days_and_leaves_no_expiry() {
    let (store, script) = scripted_store("ARCHIVE_ACCESS").await;
    let bucket = BucketName::parse("photos-bucket").unwrap();
    let key = ObjectKey::parse("photos/cold.jpg").unwrap();

    let head = store.head(&bucket, &key).await.unwrap();
    assert_eq!(head.storage_class, StorageClass::IntelligentTiering);
    assert_eq!(head.archive_status, Some(ArchiveStatus::ArchiveAccess));
    assert!(head.is_archived() && !head.is_readable());
    let got = store.get(&bucket, &key, GetOptions::default()).await;
    assert!(
        matches!(got, Err(StoreError::InvalidObjectState { .. })),
        "{got:?}"
    );

    let with_days = RestoreRequest {
        tier: RestoreTier::Standard,
        days: Some(1),
    };
    let got = store.restore(&bucket, &key, with_days).await;
    assert!(
        matches!(got, Err(StoreError::InvalidArgument(_))),
        "{got:?}"
    );
    assert!(
        script.lock().unwrap().restore_bodies.is_empty(),
        "refused before sending"
    );

    let request = RestoreRequest {
        tier: RestoreTier::Expedited,
        days: None,
    };
    assert_eq!(
        store.restore(&bucket, &key, request).await.unwrap(),
        RestoreOutcome::Started
    );
    let sent = script.lock().unwrap().restore_bodies.clone();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("<Tier>Expedited</Tier>"), "{}", sent[0]);
    assert!(
        !sent[0].contains("<Days>"),
        "no Days for Intelligent-Tiering: {}",
        sent[0]
    );

    let head = store.head(&bucket, &key).await.unwrap();
    assert_eq!(head.restore, Some(RestoreState::Ongoing));
    let again = store.restore(&bucket, &key, request).await;
    assert!(
        matches!(again, Err(StoreError::RestoreAlreadyInProgress { .. })),
        "{again:?}"
    );
    let head = store.head(&bucket, &key).await.unwrap();
    assert_eq!(head.restore, Some(RestoreState::Restored { expiry: None }));
    assert_eq!(head.archive_status, None, "back in a readable tier");
    assert!(head.is_readable());
}

#[tokio::test]
async fn deep_archive_access_refuses_expedited() {
    let (store, script) = scripted_store("DEEP_ARCHIVE_ACCESS").await;
    let bucket = BucketName::parse("photos-bucket").unwrap();
    let key = ObjectKey::parse("photos/colder.jpg").unwrap();
    let head = store.head(&bucket, &key).await.unwrap();
    assert_eq!(head.archive_status, Some(ArchiveStatus::DeepArchiveAccess));
    let expedited = RestoreRequest {
        tier: RestoreTier::Expedited,
        days: None,
    };
    let got = store.restore(&bucket, &key, expedited).await;
    assert!(
        matches!(got, Err(StoreError::InvalidArgument(_))),
        "{got:?}"
    );
    let bulk = RestoreRequest {
        tier: RestoreTier::Bulk,
        days: None,
    };
    assert_eq!(
        store.restore(&bucket, &key, bulk).await.unwrap(),
        RestoreOutcome::Started
    );
    let sent = script.lock().unwrap().restore_bodies.clone();
    assert!(sent[0].contains("<Tier>Bulk</Tier>") && !sent[0].contains("<Days>"));
}

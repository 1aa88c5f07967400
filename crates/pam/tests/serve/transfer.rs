//! Presigned links (Range, tampering, expiry) and uploads (single PUT, multipart with
//! part grants, abort), checked against the server's store opened from the test.

use crate::helpers::*;
use pam_core::ports::presign::{PresignMethod, PresignRequest, Presigner};
use pam_core::ports::store::{PhotoStore, PhotoStoreExt};
use pam_core::{BucketName, ObjectKey};
use pam_local::presign::LocalPresigner;
use pam_local::{LocalStore, LocalStoreConfig};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

/// A small but real JPEG (the first of the sample photos, or a generated one).
fn a_jpeg() -> Vec<u8> {
    if let Some(p) = real_photos(1).first() {
        return std::fs::read(p).unwrap();
    }
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Opens the server's store and link signer from the test (as a second process would).
async fn store_and_signer(server: &Server) -> (LocalStore, LocalPresigner) {
    let store = LocalStore::open(&server.data.join("store"), LocalStoreConfig::default())
        .await
        .unwrap();
    let signer = LocalPresigner::open(&server.data, url::Url::parse(&server.url).unwrap()).unwrap();
    (store, signer)
}

#[tokio::test]
async fn links_serve_ranges_and_refuse_tampering_and_expiry() {
    let ui = stub_ui();
    let server = Server::start(ui.path());
    let (store, signer) = store_and_signer(&server).await;
    let working = BucketName::parse("working").unwrap();
    let key = ObjectKey::parse("bundles/test/pam-test.zip").unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    store
        .put_bytes(&working, &key, bytes.clone())
        .await
        .unwrap();
    let req = PresignRequest::new(
        PresignMethod::Get,
        working.clone(),
        key.clone(),
        Duration::from_secs(600),
    )
    .unwrap();
    let link = signer.presign(&req).await.unwrap().url;

    let whole = server.client.get(&link).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert!(
        whole.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());

    for (range, want, expect_range) in [
        ("bytes=0-9", &bytes[0..10], "bytes 0-9/100000"),
        ("bytes=99990-", &bytes[99_990..], "bytes 99990-99999/100000"),
        ("bytes=-5", &bytes[99_995..], "bytes 99995-99999/100000"),
        (
            "bytes=50000-50000",
            &bytes[50_000..50_001],
            "bytes 50000-50000/100000",
        ),
    ] {
        let r = server
            .client
            .get(&link)
            .header("Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 206, "{range}");
        assert_eq!(r.headers()["content-range"], expect_range, "{range}");
        assert_eq!(r.bytes().await.unwrap().as_ref(), want, "{range}");
    }
    let r = server
        .client
        .get(&link)
        .header("Range", "bytes=200000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(r.headers()["content-range"], "bytes */100000");
    let head = server.client.head(&link).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], "100000");

    // Tampering with any part of the link is refused.
    let tampered = [
        link.replace("pam-test.zip", "pam-test2.zip"),
        link.replace("/links/working/", "/links/photos/"),
        link.replace("X-Pam-Method=GET", "X-Pam-Method=PUT"),
        {
            let exp = link
                .split("X-Pam-Expires=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            let later = exp.parse::<i64>().unwrap() + 60;
            link.replace(
                &format!("X-Pam-Expires={exp}"),
                &format!("X-Pam-Expires={later}"),
            )
        },
        {
            let sig = link.split("X-Pam-Signature=").nth(1).unwrap();
            let first = if sig.starts_with('0') { '1' } else { '0' };
            let flipped = format!("{first}{}", &sig[1..]);
            link.replace(sig, &flipped)
        },
        link.split('?').next().unwrap().to_owned(),
    ];
    for bad in &tampered {
        let r = server.client.get(bad).send().await.unwrap();
        let status = r.status().as_u16();
        assert_eq!(status, 403, "{bad}");
        error_code(status, &r.json().await.unwrap());
    }
    // A GET link does not allow PUT.
    let r = server.client.put(&link).body("x").send().await.unwrap();
    assert_eq!(r.status(), 403);
    // An expired link is refused.
    let short =
        PresignRequest::new(PresignMethod::Get, working, key, Duration::from_secs(1)).unwrap();
    let short = signer.presign(&short).await.unwrap().url;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = server.client.get(&short).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(403, &r.json().await.unwrap()), "link_expired");
}

#[tokio::test]
async fn uploads_single_and_multipart_store_checked_jpegs() {
    let ui = stub_ui();
    let server = Server::start_with(Options {
        ui: ui.path().to_owned(),
        data: None,
        extra: vec![
            "--multipart-over-bytes".into(),
            "4096".into(),
            "--max-upload-bytes".into(),
            "30000000".into(),
        ],
        env: vec![],
    });
    let token = server.token().await;
    let t = Some(token.as_str());
    let jpeg = a_jpeg();
    assert!(
        jpeg.len() > 4096,
        "the sample photo is larger than the multipart threshold"
    );

    // A small file: one presigned PUT. Non-JPEG bytes are refused and nothing is stored.
    let (status, plan) = server
        .call(
            Method::POST,
            "/uploads",
            t,
            Some(json!({"file_name": "tiny.jpg", "size": 3000, "content_type": "image/jpeg"})),
        )
        .await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["method"], "PUT");
    assert!(plan["key"].as_str().unwrap().starts_with("photos/"));
    let url = plan["url"].as_str().unwrap();
    assert!(url.starts_with(&server.url), "{url}");
    let r = server
        .client
        .put(url)
        .header("Content-Type", "image/jpeg")
        .body(b"GIF89a not a jpeg".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(error_code(415, &r.json().await.unwrap()), "not_jpeg");
    let mut truncated = vec![0xFF, 0xD8, 0xFF, 0xE0];
    truncated.extend_from_slice(&[0u8; 64]);
    let r = server.client.put(url).body(truncated).send().await.unwrap();
    assert_eq!(r.status(), 415, "a JPEG signature alone is not enough");
    let (store, _) = store_and_signer(&server).await;
    let photos = BucketName::parse("photos").unwrap();
    let r = server
        .client
        .put(url)
        .header("Content-Type", "image/jpeg")
        .body(jpeg.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("etag"));
    let small_key = ObjectKey::parse(plan["key"].as_str().unwrap()).unwrap();
    assert!(small_key.as_str().ends_with("/tiny.jpg"));
    assert!(store.try_head(&photos, &small_key).await.unwrap().is_some());

    // The big-file path: a multipart plan; parts PUT without a token, then complete.
    let (status, plan) = server
        .call(Method::POST, "/uploads", t, Some(json!({"file_name": "big photo.jpg", "size": jpeg.len(), "content_type": "image/jpeg"})))
        .await;
    assert_eq!(status, 200, "{plan}");
    let mp = &plan["multipart"];
    let part_size = mp["part_size"].as_u64().unwrap() as usize;
    let parts = mp["parts"].as_array().unwrap();
    assert_eq!(parts.len(), jpeg.len().div_ceil(part_size));
    let mut done = Vec::new();
    for p in parts {
        let n = p["part_number"].as_u64().unwrap() as usize;
        let chunk = jpeg[(n - 1) * part_size..(n * part_size).min(jpeg.len())].to_vec();
        let url = p["url"].as_str().unwrap();
        // A grant is for one part only.
        let other = url.replace(&format!("/parts/{n}?"), &format!("/parts/{}?", n + 1));
        let r = server
            .client
            .put(&other)
            .body(chunk.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = server.client.put(url).body(chunk).send().await.unwrap();
        assert_eq!(r.status(), 200);
        done.push(json!({"part_number": n, "etag": r.headers()["etag"].to_str().unwrap()}));
    }
    let complete = mp["complete_url"].as_str().unwrap();
    let (status, reply) = server
        .call(Method::POST, complete, None, Some(json!({"parts": done})))
        .await;
    assert_eq!(status, 401, "complete needs the token: {reply}");
    let (status, reply) = server
        .call(Method::POST, complete, t, Some(json!({"parts": done})))
        .await;
    assert_eq!(status, 200, "{reply}");
    let key = ObjectKey::parse(plan["key"].as_str().unwrap()).unwrap();
    assert!(key.as_str().ends_with("/big_photo.jpg"), "{key}");
    let stored = store.head(&photos, &key).await.unwrap();
    assert_eq!(stored.size, jpeg.len() as u64);

    // Abort of another plan; its parts are gone and completing it fails.
    let (_, plan) = server
        .call(
            Method::POST,
            "/uploads",
            t,
            Some(json!({"file_name": "c.jpg", "size": jpeg.len(), "content_type": "image/jpeg"})),
        )
        .await;
    let mp = &plan["multipart"];
    let (status, _) = server
        .call(Method::DELETE, mp["abort_url"].as_str().unwrap(), t, None)
        .await;
    assert_eq!(status, 204);
    let (status, reply) = server
        .call(
            Method::POST,
            mp["complete_url"].as_str().unwrap(),
            t,
            Some(json!({"parts": [{"part_number": 1, "etag": "\"x\""}]})),
        )
        .await;
    assert_eq!(status, 404, "{reply}");
    assert_eq!(error_code(status, &reply), "NoSuchUpload");
}

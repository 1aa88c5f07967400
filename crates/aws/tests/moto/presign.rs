//! `S3Presigner` on moto: URLs signed with the long-term key carry a 24 h expiry and
//! no session token, and they work for GET and PUT. (moto does not check signatures;
//! tampering and expiry are tested against the local presigner.)

use pam_aws::{LongTermKey, S3Presigner};
use pam_core::ObjectKey;
use pam_core::ports::presign::{PresignMethod, PresignRequest, Presigner};
use pam_core::ports::store::PhotoStoreExt;
use std::time::Duration;

use crate::helpers::http;

const DAY: Duration = Duration::from_secs(24 * 3600);

#[tokio::test]
async fn links_live_a_day_and_work() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let store = moto.store();
    let key = ObjectKey::parse("bundles/job 1/photos.zip").unwrap();
    store
        .put_bytes(&bucket, &key, b"zip bytes".to_vec())
        .await
        .unwrap();

    let signing_key = LongTermKey::new("AKIAPAMPRESIGNTEST", "not-a-real-secret").unwrap();
    let presigner = S3Presigner::new(&moto.sdk, signing_key, true);
    let before = chrono::Utc::now();
    let get = presigner
        .presign(
            &PresignRequest::new(PresignMethod::Get, bucket.clone(), key.clone(), DAY).unwrap(),
        )
        .await
        .unwrap();
    assert!(get.url.contains("X-Amz-Expires=86400"), "{}", get.url);
    assert!(
        get.url.contains("X-Amz-Credential=AKIAPAMPRESIGNTEST%2F"),
        "{}",
        get.url
    );
    assert!(
        !get.url.contains("X-Amz-Security-Token"),
        "no session token: {}",
        get.url
    );
    assert!(
        get.url.starts_with(&format!("{}/{bucket}/", moto.endpoint)),
        "path style: {}",
        get.url
    );
    let lifetime = get.expires_at - before;
    assert!(
        (lifetime - chrono::Duration::hours(24)).num_seconds().abs() < 5,
        "expires in 24 h: {lifetime}"
    );
    let (status, body) = http("GET", &get.url, b"").await;
    assert_eq!(status, 200);
    assert_eq!(body, b"zip bytes");

    let upload = ObjectKey::parse("uploads/new photo.jpg").unwrap();
    let put = presigner
        .presign(
            &PresignRequest::new(PresignMethod::Put, bucket.clone(), upload.clone(), DAY).unwrap(),
        )
        .await
        .unwrap();
    assert!(
        !put.url.to_ascii_lowercase().contains("checksum"),
        "a presigned PUT carries no checksum of an empty body: {}",
        put.url
    );
    let (status, _) = http("PUT", &put.url, b"jpeg bytes").await;
    assert_eq!(status, 200);
    assert_eq!(
        store.get_bytes(&bucket, &upload).await.unwrap(),
        b"jpeg bytes"
    );
}

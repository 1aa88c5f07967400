//! `LocalPresigner`: the link format of the contract, and `verify` refusing every kind
//! of tampering, expiry (exactly at the expiry instant too), the wrong method, missing
//! parameters — with the 7-day maximum and a secret that persists across reopen.

use chrono::{DateTime, Duration, TimeZone, Utc};
use pam_core::clock::{Clock, ManualClock};
use pam_core::ports::presign::{MAX_PRESIGN, PresignMethod, PresignRequest, Presigner};
use pam_core::{BucketName, ObjectKey};
use pam_local::{LinkError, LocalPresigner};
use std::collections::HashMap;
use std::sync::Arc;
use url::Url;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

struct Link {
    bucket: String,
    key: String,
    query: HashMap<String, String>,
}

/// Splits a presigned URL the way a server would see it.
fn parse(url: &str) -> Link {
    let u = Url::parse(url).unwrap();
    let (bucket, key) = LocalPresigner::link_target(u.path()).unwrap();
    let query = u.query_pairs().into_owned().collect();
    Link { bucket, key, query }
}

async fn presigner(dir: &std::path::Path) -> (LocalPresigner, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(t0()));
    let p = LocalPresigner::open_with_clock(
        dir,
        Url::parse("http://127.0.0.1:8080").unwrap(),
        clock.clone(),
    )
    .unwrap();
    (p, clock)
}

fn request(method: PresignMethod, key: &str, secs: u64) -> PresignRequest {
    PresignRequest::new(
        method,
        BucketName::parse("working").unwrap(),
        ObjectKey::parse(key).unwrap(),
        std::time::Duration::from_secs(secs),
    )
    .unwrap()
}

#[tokio::test]
async fn link_has_the_contract_shape_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = presigner(dir.path()).await;
    let key = "bundles/job-1/pam-job 1 (été).zip";
    let signed = p
        .presign(&request(PresignMethod::Get, key, 86_400))
        .await
        .unwrap();
    assert_eq!(signed.expires_at, t0() + Duration::days(1));
    assert!(
        signed
            .url
            .starts_with("http://127.0.0.1:8080/links/working/bundles/job-1/pam-job%201%20%28"),
        "{}",
        signed.url
    );
    let link = parse(&signed.url);
    assert_eq!((link.bucket.as_str(), link.key.as_str()), ("working", key));
    assert_eq!(link.query["X-Pam-Method"], "GET");
    assert_eq!(
        link.query["X-Pam-Expires"],
        (t0() + Duration::days(1)).timestamp().to_string()
    );
    assert_eq!(link.query["X-Pam-Signature"].len(), 64);
    let ok = |method: &str, at| p.verify(method, &link.bucket, &link.key, &link.query, at);
    assert_eq!(ok("GET", t0()), Ok(()));
    assert_eq!(ok("HEAD", t0()), Ok(()), "HEAD rides on a GET link");
    assert!(matches!(
        ok("PUT", t0()),
        Err(LinkError::WrongMethod { .. })
    ));
    assert_eq!(ok("GET", signed.expires_at - Duration::seconds(1)), Ok(()));
    assert_eq!(
        ok("GET", signed.expires_at),
        Err(LinkError::Expired(signed.expires_at)),
        "refused exactly at the expiry"
    );
    assert!(matches!(
        ok("GET", signed.expires_at + Duration::days(3)),
        Err(LinkError::Expired(_))
    ));
}

#[tokio::test]
async fn tampering_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = presigner(dir.path()).await;
    let signed = p
        .presign(&request(PresignMethod::Get, "bundles/j/pam-j.zip", 3600))
        .await
        .unwrap();
    let link = parse(&signed.url);
    let check = |bucket: &str, key: &str, q: &HashMap<String, String>| {
        p.verify("GET", bucket, key, q, t0())
    };
    assert_eq!(check(&link.bucket, &link.key, &link.query), Ok(()));
    assert_eq!(
        check("photos", &link.key, &link.query),
        Err(LinkError::BadSignature)
    );
    assert_eq!(
        check(&link.bucket, "bundles/j/pam-j.zip2", &link.query),
        Err(LinkError::BadSignature)
    );
    assert_eq!(
        check(&link.bucket, "bundles/other/pam-j.zip", &link.query),
        Err(LinkError::BadSignature)
    );
    let edit = |name: &str, value: &str| {
        let mut q = link.query.clone();
        q.insert(name.into(), value.into());
        q
    };
    let later = (t0() + Duration::hours(2)).timestamp().to_string();
    assert_eq!(
        check(&link.bucket, &link.key, &edit("X-Pam-Expires", &later)),
        Err(LinkError::BadSignature),
        "a longer life is not for the asking"
    );
    assert_eq!(
        p.verify(
            "PUT",
            &link.bucket,
            &link.key,
            &edit("X-Pam-Method", "PUT"),
            t0()
        ),
        Err(LinkError::BadSignature)
    );
    let mut sig = link.query["X-Pam-Signature"].clone();
    let flipped = if sig.ends_with('0') { "1" } else { "0" };
    sig.replace_range(63..64, flipped);
    assert_eq!(
        check(&link.bucket, &link.key, &edit("X-Pam-Signature", &sig)),
        Err(LinkError::BadSignature)
    );
    assert_eq!(
        check(&link.bucket, &link.key, &edit("X-Pam-Signature", "zz")),
        Err(LinkError::Malformed("X-Pam-Signature"))
    );
    assert_eq!(
        check(&link.bucket, &link.key, &edit("X-Pam-Expires", "soon")),
        Err(LinkError::Malformed("X-Pam-Expires"))
    );
    assert_eq!(
        check(&link.bucket, &link.key, &edit("X-Pam-Method", "DELETE")),
        Err(LinkError::Malformed("X-Pam-Method"))
    );
    for name in ["X-Pam-Method", "X-Pam-Expires", "X-Pam-Signature"] {
        let mut q = link.query.clone();
        q.remove(name);
        assert_eq!(
            check(&link.bucket, &link.key, &q),
            Err(LinkError::Missing(match name {
                "X-Pam-Method" => "X-Pam-Method",
                "X-Pam-Expires" => "X-Pam-Expires",
                _ => "X-Pam-Signature",
            }))
        );
    }
    let other_dir = tempfile::tempdir().unwrap();
    let (stranger, _) = presigner(other_dir.path()).await;
    assert_eq!(
        stranger.verify("GET", &link.bucket, &link.key, &link.query, t0()),
        Err(LinkError::BadSignature),
        "another installation's secret does not sign for us"
    );
}

#[tokio::test]
async fn seven_days_at_most_and_the_secret_persists() {
    let dir = tempfile::tempdir().unwrap();
    let (p, clock) = presigner(dir.path()).await;
    let week = MAX_PRESIGN.as_secs();
    assert!(
        PresignRequest::new(
            PresignMethod::Get,
            BucketName::parse("working").unwrap(),
            ObjectKey::parse("a.zip").unwrap(),
            MAX_PRESIGN + std::time::Duration::from_secs(1),
        )
        .is_err()
    );
    // Presigned at a fractional second: the link still lives the whole week.
    clock.advance(Duration::milliseconds(400));
    let signed = p
        .presign(&request(PresignMethod::Put, "uploads/a.jpg", week))
        .await
        .unwrap();
    assert!(signed.expires_at - clock.now() >= Duration::seconds(week as i64));
    let link = parse(&signed.url);
    let (reopened, _) = presigner(dir.path()).await;
    let at = signed.expires_at - Duration::seconds(1);
    assert_eq!(
        reopened.verify("PUT", &link.bucket, &link.key, &link.query, at),
        Ok(()),
        "links outlive a restart"
    );
    assert_eq!(
        reopened.verify(
            "PUT",
            &link.bucket,
            &link.key,
            &link.query,
            signed.expires_at
        ),
        Err(LinkError::Expired(signed.expires_at))
    );
    // A link claiming more than 7 days is refused even before checking the clock.
    assert!(matches!(
        reopened.verify(
            "PUT",
            &link.bucket,
            &link.key,
            &link.query,
            t0() - Duration::days(1)
        ),
        Err(LinkError::TooLong)
    ));
}

#[test]
fn link_paths_decode_and_refuse_strangers() {
    assert_eq!(
        LocalPresigner::link_target("/links/working/a%20b/c.zip").unwrap(),
        ("working".to_owned(), "a b/c.zip".to_owned())
    );
    for bad in [
        "/other/working/x",
        "/links/working",
        "/links//x",
        "/links/working/",
    ] {
        assert_eq!(
            LocalPresigner::link_target(bad),
            Err(LinkError::NotALink),
            "{bad}"
        );
    }
}

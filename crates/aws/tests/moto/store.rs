//! `S3Store` on moto: the basic and multipart conformance scenarios, then what only
//! the S3 adapter has: streamed multipart puts from readers and large files, keys that
//! need encoding, and the error mapping.

use pam_aws::{MultipartSettings, S3Store};
use pam_core::conformance;
use pam_core::ports::store::{
    GetOptions, MIN_PART_SIZE, PhotoStore, PhotoStoreExt, PutOptions, PutSource, StoreError,
};
use pam_core::{BucketName, ObjectKey, StorageClass};

#[tokio::test]
async fn conformance_put_get_head_delete() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    conformance::put_get_head_delete(&moto.store(), &bucket).await;
}

#[tokio::test]
async fn conformance_conditional_put() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    conformance::conditional_put(&moto.store(), &bucket).await;
}

#[tokio::test]
async fn conformance_put_streamed_sources() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let scratch = tempfile::tempdir().unwrap();
    conformance::put_streamed_sources(&moto.store(), &bucket, scratch.path()).await;
}

#[tokio::test]
async fn conformance_list_paginates() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    conformance::list_paginates(&moto.store(), &bucket).await;
}

#[tokio::test]
async fn conformance_tags_replace_and_merge() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    conformance::tags_replace_and_merge(&moto.store(), &bucket).await;
}

#[tokio::test]
async fn conformance_multipart_round_trip() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let part = MIN_PART_SIZE as usize;
    conformance::multipart_round_trip(&moto.store(), &bucket, part, MIN_PART_SIZE).await;
}

#[tokio::test]
async fn conformance_multipart_rules() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    conformance::multipart_rules(&moto.store(), &bucket, MIN_PART_SIZE).await;
}

fn small_parts(moto: &crate::helpers::Moto) -> S3Store {
    let settings = MultipartSettings::new(MIN_PART_SIZE, MIN_PART_SIZE).unwrap();
    S3Store::with_multipart(moto.s3_client(), settings)
}

#[tokio::test]
async fn a_long_reader_goes_up_in_parts() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let store = small_parts(&moto);
    let key = ObjectKey::parse("bundles/from-reader.zip").unwrap();
    let bytes = conformance::test_bytes(2 * MIN_PART_SIZE as usize + 1234, 7);
    let put = store
        .put(
            &bucket,
            &key,
            PutSource::Reader(Box::pin(std::io::Cursor::new(bytes.clone()))),
            PutOptions {
                content_type: Some("application/zip".into()),
                ..PutOptions::default()
            },
        )
        .await
        .expect("streamed put");
    assert_eq!(put.size, bytes.len() as u64);
    assert!(put.etag.ends_with("-3\""), "three parts: {}", put.etag);
    let head = store.head(&bucket, &key).await.unwrap();
    assert_eq!(head.content_type.as_deref(), Some("application/zip"));
    assert_eq!(store.get_bytes(&bucket, &key).await.unwrap(), bytes);

    // A reader shorter than one part is a single PUT.
    let short = ObjectKey::parse("bundles/short.zip").unwrap();
    let put = store
        .put(
            &bucket,
            &short,
            PutSource::Reader(Box::pin(std::io::Cursor::new(b"short".to_vec()))),
            PutOptions::default(),
        )
        .await
        .unwrap();
    assert!(!put.etag.contains('-'), "single put etag: {}", put.etag);
}

#[tokio::test]
async fn a_large_file_goes_up_in_parts_from_disk() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let store = small_parts(&moto);
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("big.bin");
    let bytes = conformance::test_bytes(MIN_PART_SIZE as usize + 99, 9);
    std::fs::write(&path, &bytes).unwrap();
    let key = ObjectKey::parse("bundles/from-file.bin").unwrap();
    let put = store
        .put(&bucket, &key, PutSource::File(path), PutOptions::default())
        .await
        .unwrap();
    assert_eq!(put.size, bytes.len() as u64);
    assert!(put.etag.ends_with("-2\""), "two parts: {}", put.etag);
    assert_eq!(store.get_bytes(&bucket, &key).await.unwrap(), bytes);

    // The conditional create holds for multipart puts too.
    let again = store
        .put(
            &bucket,
            &key,
            PutSource::Bytes(vec![0; MIN_PART_SIZE as usize + 1]),
            PutOptions {
                if_none_match: true,
                ..PutOptions::default()
            },
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists { .. })),
        "{again:?}"
    );
}

#[tokio::test]
async fn keys_that_need_encoding_survive_every_operation() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let store = moto.store();
    let key = ObjectKey::parse("photos/Ferien 2024/Straße+Strand (1) ä.JPG").unwrap();
    store
        .put_bytes(&bucket, &key, b"jpeg".to_vec())
        .await
        .unwrap();
    let listed = store
        .list_all(&bucket, Some("photos/Ferien 2024/"))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key, key, "listing returns the decoded key");
    store
        .merge_tag(&bucket, &key, "pam:indexed", "true")
        .await
        .unwrap();
    let moved = store
        .transition(&bucket, &key, StorageClass::IntelligentTiering, None)
        .await
        .expect("copy onto itself with an encoded copy source");
    assert_eq!(moved.storage_class, StorageClass::IntelligentTiering);
    assert_eq!(
        store
            .get_tags(&bucket, &key)
            .await
            .unwrap()
            .get("pam:indexed"),
        Some("true"),
        "a class change keeps the tags"
    );
    assert_eq!(store.get_bytes(&bucket, &key).await.unwrap(), b"jpeg");
}

#[tokio::test]
async fn errors_are_named() {
    let moto = crate::moto!();
    let store = moto.store();
    let missing = BucketName::parse("pam-test-no-such-bucket-here").unwrap();
    let key = ObjectKey::parse("photos/a.jpg").unwrap();
    let got = store.put_bytes(&missing, &key, b"x".to_vec()).await;
    assert!(matches!(got, Err(StoreError::NoSuchBucket(_))), "{got:?}");
    let got = store.get(&missing, &key, GetOptions::default()).await;
    assert!(matches!(got, Err(StoreError::NoSuchBucket(_))), "{got:?}");

    let bucket = moto.fresh_bucket().await;
    let archival_put = store
        .put(
            &bucket,
            &key,
            PutSource::Bytes(b"x".to_vec()),
            PutOptions {
                storage_class: StorageClass::Glacier,
                ..PutOptions::default()
            },
        )
        .await;
    assert!(
        matches!(archival_put, Err(StoreError::InvalidArgument(_))),
        "{archival_put:?}"
    );
    let got = store.get_tags(&bucket, &key).await;
    assert!(matches!(got, Err(StoreError::NotFound { .. })), "{got:?}");
    let missing_file = store
        .put(
            &bucket,
            &key,
            PutSource::File("/nonexistent/pam/file.jpg".into()),
            PutOptions::default(),
        )
        .await;
    assert!(
        matches!(missing_file, Err(StoreError::InvalidArgument(ref m)) if m.contains("/nonexistent/pam/file.jpg")),
        "{missing_file:?}"
    );
}

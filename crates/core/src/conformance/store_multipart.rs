//! Conformance scenarios for multipart uploads and the constant-memory writer built on
//! them: nothing is visible before completion, small parts are refused, aborts clean up.

use crate::domain::{BucketName, ObjectKey};
use crate::ports::store::{
    CompletedPart, MultipartWriter, PhotoStore, PhotoStoreExt, PutOptions, PutSource, StoreError,
};

use super::test_bytes;

/// A writer with `part_size`-byte parts (≥ the store's minimum, `min_part_size`)
/// produces the exact bytes, an `-N` multipart etag, and nothing before `finish`.
pub async fn multipart_round_trip(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    part_size: usize,
    min_part_size: u64,
) {
    assert!(
        part_size as u64 >= min_part_size,
        "scenario needs parts of at least the minimum"
    );
    let k = ObjectKey::parse("conformance/multipart/big.bin").unwrap();
    let bytes = test_bytes(part_size * 2 + part_size / 2, 3);

    let mut writer = MultipartWriter::start(
        store,
        bucket.clone(),
        k.clone(),
        PutOptions::default(),
        part_size,
    )
    .await
    .expect("start multipart");
    for chunk in bytes.chunks(64 * 1024 + 3) {
        writer.write(chunk).await.expect("write chunk");
    }
    assert!(
        store.try_head(bucket, &k).await.unwrap().is_none(),
        "an unfinished upload is invisible"
    );
    let done = writer.finish().await.expect("complete multipart");
    assert_eq!(done.size, bytes.len() as u64);
    assert!(
        done.etag.ends_with("-3\""),
        "multipart etag names its 3 parts: {}",
        done.etag
    );
    assert_eq!(
        store.get_bytes(bucket, &k).await.unwrap(),
        bytes,
        "bytes survive the parts"
    );
    assert_eq!(store.head(bucket, &k).await.unwrap().etag, done.etag);
    store.delete(bucket, &k).await.unwrap();
}

/// Completing with a too-small part other than the last is `EntityTooSmall`; an
/// aborted upload is gone (`NoSuchUpload`) and left no object.
pub async fn multipart_rules(store: &dyn PhotoStore, bucket: &BucketName, min_part_size: u64) {
    let k = ObjectKey::parse("conformance/multipart/small.bin").unwrap();
    let upload = store
        .create_multipart(bucket, &k, PutOptions::default())
        .await
        .expect("create");
    let mut parts = Vec::new();
    for n in 1..=2u32 {
        let part = store
            .upload_part(bucket, &k, &upload, n, PutSource::Bytes(vec![n as u8; 10]))
            .await
            .expect("upload small part");
        parts.push(part);
    }
    if min_part_size > 10 {
        match store.complete_multipart(bucket, &k, &upload, &parts).await {
            Err(StoreError::EntityTooSmall { part_number: 1, .. }) => {}
            other => panic!("a 10-byte first part must be EntityTooSmall, got {other:?}"),
        }
    }
    let bogus = [CompletedPart {
        part_number: 1,
        etag: "\"not-the-etag\"".into(),
    }];
    match store.complete_multipart(bucket, &k, &upload, &bogus).await {
        Err(StoreError::InvalidArgument(_)) => {}
        other => panic!("a wrong part etag must be InvalidArgument (InvalidPart), got {other:?}"),
    }
    store
        .abort_multipart(bucket, &k, &upload)
        .await
        .expect("abort");
    match store
        .upload_part(bucket, &k, &upload, 3, PutSource::Bytes(vec![0; 10]))
        .await
    {
        Err(StoreError::NoSuchUpload { .. }) => {}
        other => panic!("a part for an aborted upload must be NoSuchUpload, got {other:?}"),
    }
    assert!(
        store.try_head(bucket, &k).await.unwrap().is_none(),
        "abort leaves no object"
    );

    let single = store
        .create_multipart(bucket, &k, PutOptions::default())
        .await
        .unwrap();
    let only = store
        .upload_part(bucket, &k, &single, 1, PutSource::Bytes(b"tiny".to_vec()))
        .await
        .unwrap();
    store
        .complete_multipart(bucket, &k, &single, &[only])
        .await
        .expect("a single small part is the last part, so it is allowed");
    assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"tiny");
    store.delete(bucket, &k).await.unwrap();
}

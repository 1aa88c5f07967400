//! Conformance scenarios for the basic `PhotoStore` operations: put/get/head/delete,
//! ranges, conditional puts, streamed sources, listing and tags.

use crate::domain::{BucketName, ObjectKey, StorageClass};
use crate::ports::store::{
    ByteRange, GetOptions, ListRequest, PhotoStore, PhotoStoreExt, PutOptions, PutSource,
    StoreError, Tags,
};
use tokio::io::AsyncReadExt;

use super::test_bytes;

fn key(name: &str) -> ObjectKey {
    ObjectKey::parse(format!("conformance/{name}")).expect("test key")
}

/// Put, head, get (whole and ranged), overwrite, delete, and the errors around them.
pub async fn put_get_head_delete(store: &dyn PhotoStore, bucket: &BucketName) {
    let k = key("basic/a.bin");
    let bytes = test_bytes(10_000, 1);
    let mut options = PutOptions {
        content_type: Some("image/jpeg".into()),
        ..PutOptions::default()
    };
    options.metadata.insert("file-name".into(), "a.jpg".into());
    let put = store
        .put(bucket, &k, PutSource::Bytes(bytes.clone()), options)
        .await
        .expect("put");
    assert_eq!(put.size, 10_000, "put reports the size written");
    assert!(
        put.etag.starts_with('"') && put.etag.ends_with('"'),
        "etag is quoted: {}",
        put.etag
    );

    let head = store.head(bucket, &k).await.expect("head");
    assert_eq!(head.size, 10_000);
    assert_eq!(head.etag, put.etag, "head and put agree on the etag");
    assert_eq!(head.storage_class, StorageClass::Standard);
    assert_eq!(head.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        head.metadata.get("file-name").map(String::as_str),
        Some("a.jpg")
    );
    assert!(head.is_readable() && !head.is_archived() && head.restore.is_none());

    assert_eq!(store.get_bytes(bucket, &k).await.expect("get"), bytes);

    let ranged = GetOptions {
        range: Some(ByteRange::FromTo(100, 199)),
    };
    let mut got = store.get(bucket, &k, ranged).await.expect("ranged get");
    assert_eq!(got.range, 100..200);
    let mut part = Vec::new();
    got.body.read_to_end(&mut part).await.expect("read range");
    assert_eq!(part, &bytes[100..200], "a range yields exactly its bytes");

    let beyond = GetOptions {
        range: Some(ByteRange::From(10_000)),
    };
    match store.get(bucket, &k, beyond).await {
        Err(StoreError::InvalidRange { size: 10_000 }) => {}
        other => panic!("a range past the end must be InvalidRange, got {other:?}"),
    }

    let replaced = store
        .put_bytes(bucket, &k, b"new".to_vec())
        .await
        .expect("overwrite");
    assert_ne!(replaced.etag, put.etag, "new content, new etag");
    assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"new");

    store.delete(bucket, &k).await.expect("delete");
    match store.head(bucket, &k).await {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("head after delete must be NotFound, got {other:?}"),
    }
    match store.get(bucket, &k, GetOptions::default()).await {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("get after delete must be NotFound, got {other:?}"),
    }
    store
        .delete(bucket, &k)
        .await
        .expect("deleting a missing key succeeds");
    assert!(store.try_head(bucket, &k).await.unwrap().is_none());
}

/// `if_none_match` refuses to overwrite and leaves the first object intact.
pub async fn conditional_put(store: &dyn PhotoStore, bucket: &BucketName) {
    let k = key("conditional/once.bin");
    let create = || PutOptions {
        if_none_match: true,
        ..PutOptions::default()
    };
    store
        .put(bucket, &k, PutSource::Bytes(b"first".to_vec()), create())
        .await
        .expect("first conditional put");
    match store
        .put(bucket, &k, PutSource::Bytes(b"second".to_vec()), create())
        .await
    {
        Err(StoreError::AlreadyExists { .. }) => {}
        other => panic!("second conditional put must be AlreadyExists, got {other:?}"),
    }
    assert_eq!(store.get_bytes(bucket, &k).await.unwrap(), b"first");
    store.delete(bucket, &k).await.unwrap();
}

/// Puts from a file and from a reader store exactly the source's bytes.
pub async fn put_streamed_sources(
    store: &dyn PhotoStore,
    bucket: &BucketName,
    scratch: &std::path::Path,
) {
    let bytes = test_bytes(3 * 1024 * 1024 + 17, 2);
    let path = scratch.join("conformance-source.bin");
    tokio::fs::write(&path, &bytes)
        .await
        .expect("write scratch file");

    let from_file = key("stream/file.bin");
    let put = store
        .put(
            bucket,
            &from_file,
            PutSource::File(path),
            PutOptions::default(),
        )
        .await
        .expect("put from file");
    assert_eq!(put.size, bytes.len() as u64);
    assert_eq!(store.get_bytes(bucket, &from_file).await.unwrap(), bytes);

    let from_reader = key("stream/reader.bin");
    let reader = Box::pin(std::io::Cursor::new(bytes.clone()));
    store
        .put(
            bucket,
            &from_reader,
            PutSource::Reader(reader),
            PutOptions::default(),
        )
        .await
        .expect("put from reader");
    assert_eq!(store.get_bytes(bucket, &from_reader).await.unwrap(), bytes);

    for k in [from_file, from_reader] {
        store.delete(bucket, &k).await.unwrap();
    }
}

/// Listing is ordered by key, honours the prefix and pages with continuation tokens.
pub async fn list_paginates(store: &dyn PhotoStore, bucket: &BucketName) {
    let names = ["b", "a", "c/1", "c/2", "d", "e", "f"];
    for name in names {
        store
            .put_bytes(
                bucket,
                &key(&format!("list/{name}")),
                name.as_bytes().to_vec(),
            )
            .await
            .expect("put for list");
    }
    store
        .put_bytes(bucket, &key("listx/outside"), b"x".to_vec())
        .await
        .unwrap();

    let mut seen = Vec::new();
    let mut continuation = None;
    let mut pages = 0;
    loop {
        let request = ListRequest {
            prefix: Some("conformance/list/".into()),
            continuation,
            max_keys: 3,
        };
        let page = store.list(bucket, request).await.expect("list page");
        assert!(page.objects.len() <= 3, "a page holds at most max_keys");
        pages += 1;
        seen.extend(page.objects.into_iter().map(|o| o.key.to_string()));
        match page.next {
            Some(next) => continuation = Some(next),
            None => break,
        }
    }
    let mut expected: Vec<String> = names
        .iter()
        .map(|n| format!("conformance/list/{n}"))
        .collect();
    expected.sort();
    assert_eq!(seen, expected, "every key under the prefix, once, in order");
    assert_eq!(pages, 3, "7 keys at 3 per page is 3 pages");

    let all = store
        .list_all(bucket, Some("conformance/list/c/"))
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].size, 3, "summaries carry sizes");

    for name in names {
        store
            .delete(bucket, &key(&format!("list/{name}")))
            .await
            .unwrap();
    }
    store.delete(bucket, &key("listx/outside")).await.unwrap();
}

/// Tags set at put, replaced whole by `put_tags`, merged by `merge_tag`.
pub async fn tags_replace_and_merge(store: &dyn PhotoStore, bucket: &BucketName) {
    let k = key("tags/t.bin");
    let options = PutOptions {
        tags: Tags::from_pairs([("origin", "import")]).unwrap(),
        ..PutOptions::default()
    };
    store
        .put(bucket, &k, PutSource::Bytes(b"t".to_vec()), options)
        .await
        .unwrap();
    assert_eq!(
        store.get_tags(bucket, &k).await.unwrap().get("origin"),
        Some("import")
    );

    store
        .put_tags(bucket, &k, Tags::from_pairs([("a", "1")]).unwrap())
        .await
        .unwrap();
    let tags = store.get_tags(bucket, &k).await.unwrap();
    assert_eq!(tags.get("origin"), None, "put_tags replaces the whole set");
    assert_eq!(tags.get("a"), Some("1"));

    store
        .merge_tag(bucket, &k, "pam:indexed", "true")
        .await
        .unwrap();
    let tags = store.get_tags(bucket, &k).await.unwrap();
    assert_eq!(
        (tags.get("a"), tags.get("pam:indexed")),
        (Some("1"), Some("true"))
    );

    store.delete(bucket, &k).await.unwrap();
    match store.get_tags(bucket, &k).await {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("tags of a missing object must be NotFound, got {other:?}"),
    }
}

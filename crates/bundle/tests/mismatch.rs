//! A photo that changed between import and bundling (shorter, longer, same size but
//! other bytes) fails with the named error, the writer refuses to go on, and the
//! part being written never appears under its final name.

mod common;

use common::*;
use pam_bundle::{BundleError, BundleOptions, BundleWriter, FileParts};

async fn bundle_with_changed_photo(actual: &[u8]) -> (BundleError, tempfile::TempDir) {
    let good = fixture("good.jpg", noise(2000, 1), &["A"]);
    let declared = fixture("changed.jpg", noise(1000, 2), &["B"]);
    let dir = tempfile::tempdir().unwrap();
    let mut writer =
        BundleWriter::new(FileParts::new(dir.path(), "b"), BundleOptions::default()).unwrap();
    writer.add(&good.meta, good.bytes.as_slice()).await.unwrap();
    let err = writer.add(&declared.meta, actual).await.unwrap_err();
    // Spent: no further photo, no finish.
    assert!(matches!(
        writer.add(&good.meta, good.bytes.as_slice()).await,
        Err(BundleError::Poisoned)
    ));
    assert!(matches!(writer.finish().await, Err(BundleError::Poisoned)));
    (err, dir)
}

fn assert_nothing_published(dir: &tempfile::TempDir) {
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[tokio::test]
async fn shorter_photo_is_a_size_mismatch() {
    let (err, dir) = bundle_with_changed_photo(&noise(1000, 2)[..999]).await;
    match err {
        BundleError::SizeMismatch {
            name,
            declared: 1000,
            actual: 999,
        } => assert_eq!(name, "changed.jpg"),
        other => panic!("{other:?}"),
    }
    assert_nothing_published(&dir);
}

#[tokio::test]
async fn longer_photo_is_too_long() {
    let mut longer = noise(1000, 2);
    longer.push(0);
    let (err, dir) = bundle_with_changed_photo(&longer).await;
    assert!(
        matches!(err, BundleError::TooLong { declared: 1000, .. }),
        "{err:?}"
    );
    assert_nothing_published(&dir);
}

#[tokio::test]
async fn same_size_other_bytes_is_a_crc_mismatch() {
    let mut other = noise(1000, 2);
    other[500] ^= 1;
    let (err, dir) = bundle_with_changed_photo(&other).await;
    let want = crc32(&noise(1000, 2));
    match err {
        BundleError::CrcMismatch {
            declared, actual, ..
        } => {
            assert_eq!(declared, want);
            assert_eq!(actual, crc32(&other));
        }
        other => panic!("{other:?}"),
    }
    assert!(err_message_names_photo(&BundleError::CrcMismatch {
        name: "x.jpg".into(),
        declared: 1,
        actual: 2
    }));
    assert_nothing_published(&dir);
}

fn err_message_names_photo(err: &BundleError) -> bool {
    err.to_string().contains("x.jpg") && err.to_string().contains("CRC-32")
}

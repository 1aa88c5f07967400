//! A bundle with awkward names (duplicates, case collisions, paths, Unicode, control
//! characters, an empty photo, a photo called manifest.csv) opens in unzip, bsdtar
//! (file and pipe), Python zipfile, stream-unzip and Java ZipInputStream, and every
//! entry comes out byte-identical with a manifest row that matches it.

mod common;

use common::*;

#[tokio::test]
async fn every_reader_gets_every_byte_back() {
    let fixtures = vec![
        fixture("beach.jpg", noise(300_000, 1), &["Beach", "Sea"]),
        fixture("Beach.JPG", noise(1_200_000, 2), &["Sea, \"calm\""]),
        fixture("holiday/beach.jpg", noise(10, 3), &[]),
        fixture("C:\\fakepath\\..\\nul.jpeg", noise(777, 4), &["Mountain"]),
        fixture("../../etc/passwd", noise(64, 5), &["x"]),
        fixture(".hidden\n.jpg", noise(5000, 6), &["Dog"]),
        fixture("日本の海 🌊.jpg", noise(4096, 7), &["Ocean"]),
        fixture("manifest.csv", noise(100, 8), &["Text"]),
        fixture("empty.jpg", Vec::new(), &[]),
        fixture(&"long".repeat(100), noise(33, 9), &[]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let built = build(dir.path(), &fixtures, None).await;
    assert_eq!(built.paths.len(), 1);
    let names: Vec<&String> = built.expected[0].keys().collect();
    for want in [
        "beach.jpg",
        "Beach (2).JPG",
        "beach (3).jpg",
        "_nul.jpeg",
        "passwd",
        "hidden.jpg",
        "日本の海 🌊.jpg",
        "manifest (2).csv",
        "empty.jpg",
    ] {
        assert!(
            names.iter().any(|n| *n == want),
            "{want} missing from {names:?}"
        );
    }
    let zip_size = std::fs::metadata(&built.paths[0]).unwrap().len();
    assert_eq!(zip_size, built.parts[0].size);
    check_with_all_readers(&built.paths[0], &built.expected[0], &built.manifest[0]);
}

#[tokio::test]
async fn an_empty_bundle_is_a_zip_with_only_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let built = build(dir.path(), &[], None).await;
    assert_eq!(built.parts.len(), 1);
    assert_eq!(built.parts[0].photos, 0);
    check_with_all_readers(&built.paths[0], &Default::default(), &[]);
}

//! Splitting: with a maximum part size, every part stays within it, is a complete zip
//! with its own manifest.csv of exactly its photos, names stay unique across parts,
//! and a photo larger than the maximum gets a part of its own.

mod common;

use common::*;
use pam_bundle::{BundleError, BundleOptions, BundleWriter, FileParts};

#[tokio::test]
async fn parts_stay_under_the_maximum_and_each_is_complete() {
    // 12 photos of 30–60 kB (duplicate names across parts) with a 150 kB maximum.
    let fixtures: Vec<Fixture> = (0..12)
        .map(|i| {
            fixture(
                if i % 3 == 0 { "dup.jpg" } else { "p.jpg" },
                noise(30_000 + 2_500 * i, i as u64),
                &["L"],
            )
        })
        .collect();
    let max = 150_000;
    let dir = tempfile::tempdir().unwrap();
    let built = build(dir.path(), &fixtures, Some(max)).await;
    assert!(built.parts.len() >= 4, "{:?}", built.parts);
    let mut all_names = std::collections::HashSet::new();
    for (i, part) in built.parts.iter().enumerate() {
        assert_eq!(part.part as usize, i + 1);
        assert!(
            part.size <= max,
            "part {} is {} bytes",
            part.part,
            part.size
        );
        assert_eq!(std::fs::metadata(&built.paths[i]).unwrap().len(), part.size);
        assert_eq!(part.photos as usize, built.expected[i].len());
        for name in built.expected[i].keys() {
            assert!(all_names.insert(name.to_lowercase()), "{name} in two parts");
        }
        // A full part could not have taken the next photo.
        if i + 1 < built.parts.len() {
            let next_len = built.expected[i + 1].values().next().unwrap().len() as u64;
            assert!(
                part.size + next_len > max - 1000,
                "part {} closed early",
                part.part
            );
        }
    }
    assert_eq!(all_names.len(), fixtures.len());
    for i in 0..built.parts.len() {
        assert_eq!(
            built.paths[i].file_name().unwrap().to_str().unwrap(),
            format!("bundle-{}.zip", i + 1)
        );
    }
    // Every part opens in every reader (two parts are enough to show it).
    for i in [0, built.parts.len() - 1] {
        check_with_all_readers(&built.paths[i], &built.expected[i], &built.manifest[i]);
    }
}

#[tokio::test]
async fn a_photo_over_the_maximum_gets_its_own_part() {
    let fixtures = vec![
        fixture("a.jpg", noise(1_000, 1), &[]),
        fixture("huge.jpg", noise(20_000, 2), &[]),
        fixture("b.jpg", noise(1_000, 3), &[]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let built = build(dir.path(), &fixtures, Some(8_192)).await;
    let photos: Vec<u64> = built.parts.iter().map(|p| p.photos).collect();
    assert_eq!(photos, [1, 1, 1]);
    assert!(built.expected[1].contains_key("huge.jpg"));
    check_with_all_readers(&built.paths[1], &built.expected[1], &built.manifest[1]);
}

#[test]
fn a_tiny_maximum_is_refused() {
    let opts = BundleOptions {
        max_part_size: Some(100),
        ..BundleOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        BundleWriter::new(FileParts::new(dir.path(), "x"), opts),
        Err(BundleError::PartSizeTooSmall(100))
    ));
}

//! Labels for real photos from Debian packages (scripts/fetch-photos.sh) with the real
//! model (scripts/fetch-model.sh). Without them the tests skip LOUDLY; with
//! PAM_REQUIRE_ASSETS=1 (CI) a missing asset fails instead.

use pam_labeler::{Detection, Labeler, LabelerError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn assets_missing(what: &str) -> bool {
    let msg = format!(
        "\n!!!!!!!!!! SKIPPED: {what} missing; run scripts/fetch-photos.sh and scripts/fetch-model.sh !!!!!!!!!!\n"
    );
    if std::env::var("PAM_REQUIRE_ASSETS").as_deref() == Ok("1") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
    true
}

fn labeler() -> Option<Arc<Labeler>> {
    static LABELER: OnceLock<Option<Arc<Labeler>>> = OnceLock::new();
    LABELER
        .get_or_init(|| {
            let path = repo_root().join(pam_labeler::DEFAULT_MODEL_PATH);
            match Labeler::load(&path) {
                Ok(l) => Some(Arc::new(l)),
                Err(LabelerError::ModelMissing { .. }) => None,
                Err(e) => panic!("model exists but does not load: {e}"),
            }
        })
        .clone()
}

fn photo(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(repo_root().join(".cache/photos").join(rel)).ok()
}

/// Detect labels of a photo; None when assets are absent (after a loud message).
fn detect(rel: &str) -> Option<Detection> {
    let Some(labeler) = labeler() else {
        assets_missing("model .cache/models/efficientnet-lite0.onnx");
        return None;
    };
    let Some(bytes) = photo(rel) else {
        assets_missing(&format!("photo .cache/photos/{rel}"));
        return None;
    };
    let detection = labeler.detect(&bytes).expect("real photo labels");
    let names: Vec<String> = detection
        .labels
        .iter()
        .map(|l| format!("{} {:.0}", l.name, l.confidence))
        .collect();
    eprintln!("{rel}: {names:?} {:?}", detection.timings);
    Some(detection)
}

fn has(d: &Detection, name: &str) -> bool {
    d.labels.iter().any(|l| l.name == name)
}

#[test]
fn ladybird_is_an_insect_and_an_animal() {
    let Some(d) = detect("mate-backgrounds/LadyBird.jpg") else {
        return;
    };
    assert_eq!(d.labels[0].name, "Animal", "{:?}", d.labels);
    for name in ["Ladybug", "Insect", "Invertebrate", "Animal"] {
        assert!(has(&d, name), "{name} missing from {:?}", d.labels);
    }
    let ladybug = d.labels.iter().find(|l| l.name == "Ladybug").unwrap();
    assert!(ladybug.confidence > 80.0 && ladybug.parents.contains(&"Insect".to_owned()));
}

#[test]
fn castle_is_a_building() {
    let Some(d) = detect("palapeli-data/castle-maintenon.jpg") else {
        return;
    };
    for name in ["Castle", "Building", "Architecture"] {
        assert!(has(&d, name), "{name} missing from {:?}", d.labels);
    }
}

#[test]
fn beach_is_a_shore() {
    let Some(d) = detect("scratch/Nature/beach-malibu.jpg") else {
        return;
    };
    for name in ["Beach", "Shore", "Water", "Nature", "Outdoors"] {
        assert!(has(&d, name), "{name} missing from {:?}", d.labels);
    }
}

#[test]
fn hill_is_a_landscape_and_bee_an_insect() {
    let Some(d) = detect("scratch/Nature/hill.jpg") else {
        return;
    };
    assert!(
        has(&d, "Landscape") && has(&d, "Outdoors"),
        "{:?}",
        d.labels
    );
    let Some(d) = detect("palapeli-data/european-honey-bee.jpg") else {
        return;
    };
    assert!(has(&d, "Bee") && has(&d, "Insect"), "{:?}", d.labels);
}

#[test]
fn truncated_photo_is_reported_corrupt() {
    let Some(labeler) = labeler() else {
        assets_missing("model");
        return;
    };
    let Some(bytes) = photo("palapeli-data/castle-maintenon.jpg") else {
        assets_missing("photo");
        return;
    };
    let err = labeler.detect(&bytes[..300]).unwrap_err();
    assert!(matches!(err, LabelerError::CorruptJpeg { .. }), "{err}");
    let err = labeler.detect(b"GIF89a....").unwrap_err();
    assert!(matches!(err, LabelerError::NotJpeg), "{err}");
}

#[test]
fn one_labeler_serves_several_threads_with_identical_results() {
    let Some(labeler) = labeler() else {
        assets_missing("model");
        return;
    };
    let Some(bytes) = photo("mate-backgrounds/LadyBird.jpg") else {
        assets_missing("photo");
        return;
    };
    let bytes = Arc::new(bytes);
    let expected = labeler.detect(&bytes).unwrap().labels;
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (labeler, bytes) = (labeler.clone(), bytes.clone());
            std::thread::spawn(move || labeler.detect(&bytes).unwrap().labels)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

/// Every JPEG under `dir`, sorted.
fn jpegs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            jpegs_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
        {
            out.push(path);
        }
    }
    out.sort();
}

/// What a smaller decode floor costs (see `preprocess.rs`): decoding at ≥ 192 px (e.g.
/// 1/4 scale for 1024×768) instead of ≥ 224 (1/2 scale) keeps the top class of every real
/// photo as found; on their 1024×768 bench copies (when `pam bench labelling` has made
/// them) it keeps every confident (≥ 30 %) top class, and agrees with a full-size decode
/// on at least 85 % of them.
#[test]
fn smaller_dct_scale_keeps_confident_top_classes() {
    let Some(labeler) = labeler() else {
        assets_missing("model");
        return;
    };
    let mut originals = Vec::new();
    jpegs_under(&repo_root().join(".cache/photos"), &mut originals);
    if originals.is_empty() {
        assets_missing("photos under .cache/photos");
        return;
    }
    let mut copies = Vec::new();
    jpegs_under(&repo_root().join(".cache/bench/1024x768"), &mut copies);
    let top = |bytes: &[u8], side| {
        let input = pam_labeler::jpeg_to_input_at(bytes, side).unwrap();
        labeler.top_classes_of_input(input, 3).unwrap()
    };
    let (small, reference) = (192, pam_labeler::INPUT_SIDE);
    for path in &originals {
        let bytes = std::fs::read(path).unwrap();
        let (r, s) = (top(&bytes, reference), top(&bytes, small));
        assert_eq!(r[0].0, s[0].0, "{}: {r:?} -> {s:?}", path.display());
    }
    let (mut kept, mut small_full, mut reference_full) = (0, 0, 0);
    for path in &copies {
        let bytes = std::fs::read(path).unwrap();
        let (r, s, f) = (
            top(&bytes, reference),
            top(&bytes, small),
            top(&bytes, u32::MAX),
        );
        kept += usize::from(r[0].0 == s[0].0);
        small_full += usize::from(s[0].0 == f[0].0);
        reference_full += usize::from(r[0].0 == f[0].0);
        if r[0].1 >= 0.3 {
            assert_eq!(r[0].0, s[0].0, "{}: {r:?} -> {s:?}", path.display());
        } else if r[0].0 != s[0].0 {
            eprintln!("{}: {r:?} -> {s:?} (full size: {f:?})", path.display());
        }
    }
    eprintln!(
        "{} originals: top class kept; {} bench copies: kept {kept}, same as full-size decode: \
         {small_full} at ≥{small} px, {reference_full} at ≥{reference} px",
        originals.len(),
        copies.len()
    );
    assert!(
        small_full * 100 >= copies.len() * 85,
        "{small_full}/{}",
        copies.len()
    );
}

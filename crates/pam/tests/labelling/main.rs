//! Labelling on one machine, end to end, through the real `pam` binary: real photos
//! from Debian packages in, labels out; every event delivered three times at once;
//! a `kill -9` in the middle of an import. In every case each label's count must equal
//! the number of distinct photos carrying it, and every photo must end cold and tagged.
//! Needs `.cache/models` and `.cache/photos` (scripts/fetch-model.sh, fetch-photos.sh):
//! without them the tests skip loudly, unless PAM_REQUIRE_ASSETS=1.

mod helpers;

use helpers::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn labels_of(photo: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for label in photo["labels"].as_array().into_iter().flatten() {
        names.push(label["name"].as_str().unwrap_or("").to_owned());
        for parent in label["parents"].as_array().into_iter().flatten() {
            names.push(parent.as_str().unwrap_or("").to_owned());
        }
    }
    names
}

fn photo_named<'a>(photos: &'a BTreeMap<String, Value>, file: &str) -> &'a Value {
    photos
        .values()
        .find(|p| p["file_name"] == file)
        .unwrap_or_else(|| panic!("no photo named {file}"))
}

fn assert_carries(photos: &BTreeMap<String, Value>, file: &str, any_of: &[&str]) {
    let names = labels_of(photo_named(photos, file));
    assert!(
        any_of.iter().any(|want| names.iter().any(|n| n == want)),
        "{file} carries {names:?}, none of {any_of:?}"
    );
}

/// Writes the label table (for the README) where PAM_LABEL_TABLE_OUT says, if set.
fn write_table(counts: &[(String, u64)], photos: &BTreeMap<String, Value>) {
    let Ok(path) = std::env::var("PAM_LABEL_TABLE_OUT") else {
        return;
    };
    let unlabelled = photos.values().filter(|p| labels_of(p).is_empty()).count();
    let mut text = format!(
        "Labels of {} photos (mate-backgrounds nature/, palapeli-data, scratch \
         backgrounds) after `pam import`, as `pam labels` lists them. {unlabelled} of \
         them got no label above the labeller's per-label thresholds.\n\n\
         | label | photos |\n|---|---:|\n",
        photos.len()
    );
    for (name, count) in counts {
        text.push_str(&format!("| {name} | {count} |\n"));
    }
    std::fs::write(&path, text).expect("label table written");
}

#[test]
fn imports_real_photos_labels_each_once_and_rejects_non_jpegs() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some((model, photos)) = assets("imports_real_photos") else {
        return;
    };
    let input = tempfile::tempdir().unwrap();
    copy_tree(&photos, input.path());
    let jpegs = files(input.path());
    let distinct_photos = distinct(&jpegs).len();
    // Not JPEGs, whatever their names say.
    let png = input.path().join("diagram.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let text = input.path().join("holiday.jpg");
    std::fs::write(&text, "dear diary, today we went to the beach\n").unwrap();

    let pam = Pam::new(model);
    let path = input.path().to_str().unwrap();
    let report = pam.json(&["import", "--json", path]);
    assert_eq!(report["imported"], distinct_photos, "{report}");
    assert_eq!(
        report["duplicates"],
        jpegs.len() - distinct_photos,
        "{report}"
    );
    let rejected: BTreeMap<String, String> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(rejected.len(), 2, "{report}");
    let reason = |p: &Path| rejected[p.to_str().unwrap()].clone();
    assert!(reason(&png).contains("89 50 4E"), "{}", reason(&png));
    assert!(reason(&text).contains("not a JPEG"), "{}", reason(&text));

    let (photos, counts) = consistent(&pam);
    assert_eq!(photos.len(), distinct_photos);
    assert_carries(&photos, "LadyBird.jpg", &["Insect", "Animal"]);
    assert_carries(&photos, "castle-maintenon.jpg", &["Building", "Castle"]);
    assert_carries(&photos, "beach-malibu.jpg", &["Beach", "Shore", "Coast"]);
    write_table(&counts, &photos);

    // The same folder again adds nothing.
    let again = pam.json(&["import", "--json", path]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["duplicates"], jpegs.len(), "{again}");
    let (photos_after, counts_after) = consistent(&pam);
    assert_eq!(photos_after.len(), photos.len());
    assert_eq!(counts_after, counts);
}

#[test]
fn every_event_delivered_three_times_at_once_counts_once() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some((model, photos)) = assets("three_deliveries") else {
        return;
    };
    let input = tempfile::tempdir().unwrap();
    copy_tree(&photos.join("palapeli-data"), input.path());
    copy_tree(&photos.join("mate-backgrounds"), &input.path().join("mate"));
    let jpegs = files(input.path());
    let pam = Pam::new(model);
    let report = pam.json(&[
        "import",
        "--json",
        "--deliveries",
        "3",
        input.path().to_str().unwrap(),
    ]);
    assert_eq!(report["imported"], distinct(&jpegs).len(), "{report}");
    let (photos, counts) = consistent(&pam);
    assert_eq!(photos.len(), distinct(&jpegs).len());
    assert!(!counts.is_empty());
    // Three executions per event really ran.
    let store = pam.data.path().join("executions.sqlite");
    let list = pam
        .command(&["asl", "list", "--store", store.to_str().unwrap()])
        .output()
        .unwrap();
    check(&list, &["asl", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    let succeeded = listed
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|r| r["status"] == "SUCCEEDED")
        .count();
    assert_eq!(succeeded, 3 * photos.len(), "{listed}");
}

#[test]
fn kill_9_during_import_loses_nothing_and_counts_nothing_twice() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some((model, photos)) = assets("kill_9") else {
        return;
    };
    let input = tempfile::tempdir().unwrap();
    copy_tree(&photos, input.path());
    let jpegs = files(input.path());
    let expected = distinct(&jpegs).len();
    let pam = Pam::new(model);
    let path = input.path().to_str().unwrap();
    let store_db = pam.data.path().join("store");
    // Kill at a few points: while storing, while labelling.
    for delay_ms in [700u64, 1500, 2500] {
        let mut child = pam.command(&["import", "--json", path]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(store_db.exists(), "pam never opened its data directory");
        if finished {
            break;
        }
        // A listing after the crash finishes what was pending (outbox and executions).
        let labels = pam.json(&["labels", "--json"]);
        assert!(labels["labels"].is_array());
        consistent(&pam);
    }
    let report = pam.json(&["import", "--json", path]);
    assert_eq!(
        report["imported"].as_u64().unwrap() + report["duplicates"].as_u64().unwrap(),
        jpegs.len() as u64,
        "{report}"
    );
    let (photos, _) = consistent(&pam);
    assert_eq!(photos.len(), expected, "photos lost or doubled");
}

#[test]
fn no_wait_leaves_events_in_the_outbox_for_the_next_command() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some((model, photos)) = assets("no_wait") else {
        return;
    };
    let input = photos.join("palapeli-data");
    let expected = distinct(&files(&input)).len();
    // A model path that does not exist: --no-wait must not need the model.
    let pam = Pam::new(pam_data_missing_model());
    let report = pam.json(&["import", "--json", "--no-wait", input.to_str().unwrap()]);
    assert_eq!(report["imported"], expected, "{report}");
    // Without the model, a listing with pending work says which file is missing.
    let out = pam.command(&["labels", "--json"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("scripts/fetch-model.sh"), "{stderr}");
    // With it, the listing labels what was pending first.
    let pam = Pam { model, ..pam };
    let (listed, _) = consistent(&pam);
    assert_eq!(listed.len(), expected);
}

fn pam_data_missing_model() -> std::path::PathBuf {
    std::env::temp_dir().join("pam-no-such-model.onnx")
}

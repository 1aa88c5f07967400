//! `kill -9` of `pam download --wait` during the restore wait and during BuildBundle:
//! after a restart (`pam jobs ID --wait`) the job completes, and a watcher polling the
//! working bucket's rows the whole time never sees a bundle object that is not a
//! complete zip (bundles appear only when whole).

use crate::helpers::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The first job's stage as `pam jobs --json` shows it (read-only, beside the engine).
fn first_job(pam: &Pam) -> Option<Value> {
    let jobs = pam.json(&["jobs", "--json"]);
    jobs["jobs"].as_array().and_then(|a| a.first().cloned())
}

fn wait_for_stage(pam: &Pam, child: &mut Child, stage: &str, limit: Duration) -> Value {
    let start = Instant::now();
    loop {
        if let Some(job) = first_job(pam)
            && job["stage"] == stage
        {
            return job;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "pam download ended before reaching {stage}"
        );
        assert!(start.elapsed() < limit, "no job reached {stage}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every bundle row ever seen in the store's metadata: key → (size, copy of its blob
/// taken the moment it was first seen).
type Seen = BTreeMap<String, (u64, PathBuf)>;

/// Polls the store's `objects` table for `bundles/…` rows until stopped; copies each
/// new row's blob at once, so a partial object would be caught as it was.
fn watch_bundles(
    data: &Path,
    stop: Arc<AtomicBool>,
    copies: PathBuf,
) -> std::thread::JoinHandle<Seen> {
    let db = data.join("store/meta.sqlite");
    let blobs = data.join("store/buckets/working");
    std::thread::spawn(move || {
        let mut seen = Seen::new();
        while !stop.load(Ordering::Relaxed) {
            if let Ok(conn) = rusqlite::Connection::open_with_flags(
                &db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            ) {
                let _ = conn.busy_timeout(Duration::from_secs(2));
                let rows: Vec<(String, u64, String)> = conn
                    .prepare(
                        "SELECT key, size, blob FROM objects \
                         WHERE bucket = 'working' AND key LIKE 'bundles/%.zip'",
                    )
                    .and_then(|mut s| {
                        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                            .collect()
                    })
                    .unwrap_or_default();
                for (key, size, blob) in rows {
                    if seen.contains_key(&key) {
                        continue;
                    }
                    let copy = copies.join(format!("seen-{}.zip", seen.len()));
                    if std::fs::copy(blobs.join(&blob), &copy).is_ok() {
                        seen.insert(key, (size, copy));
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        seen
    })
}

fn spawn_download(pam: &Pam, label: &str) -> Child {
    pam.command(&[
        "download",
        "--label",
        label,
        "--tier",
        "Expedited",
        "--email",
        "kill.test@example.com",
        "--wait",
        "--json",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .expect("pam starts")
}

/// Checks the finished job's bundle and every bundle object the watcher saw.
fn check_result(job: &Value, photos_dir: &Path, seen: Seen) {
    let originals = originals(photos_dir);
    let zip = PathBuf::from(job["bundle"]["path"].as_str().unwrap());
    assert_eq!(
        check_zip(&zip, &originals) as u64,
        job["photos"].as_u64().unwrap()
    );
    assert!(!seen.is_empty(), "the watcher never saw the bundle");
    for (key, (size, copy)) in &seen {
        assert_eq!(
            std::fs::metadata(copy).unwrap().len(),
            *size,
            "{key} was visible with fewer bytes than its row says"
        );
        check_zip(copy, &originals);
    }
}

#[test]
fn kill_9_during_the_restore_wait_then_the_job_completes() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(assets) = assets("kill_during_restore_wait") else {
        return;
    };
    let mut pam = Pam::new(&assets.model);
    pam.set("PAM_RESTORE_DELAYS", "8s");
    let input = tempfile::tempdir().unwrap();
    copy_tree(&assets.photos.join("palapeli-data"), input.path());
    let (label, _) = import_and_pick_label(&pam, input.path());

    let copies = tempfile::tempdir().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_bundles(pam.data.path(), stop.clone(), copies.path().to_owned());
    let mut child = spawn_download(&pam, &label);
    let job = wait_for_stage(&pam, &mut child, "restoring", Duration::from_secs(60));
    let job_id = job["job_id"].as_str().unwrap().to_owned();

    // While it runs the engine, a second engine-running command is refused by name.
    let second = pam.run(&["jobs", &job_id, "--wait"]);
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains(&format!("pid {}", child.id())), "{stderr}");

    std::thread::sleep(Duration::from_secs(1));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let after = pam.json(&["jobs", &job_id, "--json"]);
    assert_eq!(after["stage"], "restoring", "{after}");
    assert_eq!(after["execution_status"], "RUNNING", "{after}");

    let restarted = Instant::now();
    restart_and_check_with_watcher(&pam, &job_id, input.path(), stop, watcher);
    eprintln!(
        "restart after the kill finished the job in {:?}",
        restarted.elapsed()
    );
}

fn restart_and_check_with_watcher(
    pam: &Pam,
    job_id: &str,
    photos: &Path,
    stop: Arc<AtomicBool>,
    watcher: std::thread::JoinHandle<Seen>,
) {
    let job = pam.json(&["jobs", job_id, "--wait", "--json"]);
    assert_eq!(job["status"], "ready", "{job}");
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let seen = watcher.join().unwrap();
    check_result(&job, photos, seen);
}

#[test]
fn kill_9_during_build_bundle_leaves_no_partial_bundle_and_the_job_completes() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(assets) = assets("kill_during_build_bundle") else {
        return;
    };
    let mut pam = Pam::new(&assets.model);
    pam.set("PAM_RESTORE_DELAYS", "1s");
    // 256 KiB parts, each 300 ms slower: BuildBundle over ~7 MB lasts ~8 s.
    pam.set("PAM_TEST_PART_DELAY_MS", "300");
    let input = tempfile::tempdir().unwrap();
    copy_tree(&assets.photos.join("mate-backgrounds"), input.path());
    let (label, _) = import_and_pick_label(&pam, input.path());

    let copies = tempfile::tempdir().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_bundles(pam.data.path(), stop.clone(), copies.path().to_owned());
    let mut child = spawn_download(&pam, &label);
    let job = wait_for_stage(&pam, &mut child, "bundling", Duration::from_secs(60));
    let job_id = job["job_id"].as_str().unwrap().to_owned();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "BuildBundle finished before the kill; the test knob did not slow it"
    );
    child.kill().unwrap(); // SIGKILL, mid-upload
    child.wait().unwrap();
    let after = pam.json(&["jobs", &job_id, "--json"]);
    assert_eq!(after["stage"], "bundling", "{after}");
    assert!(after["bundle"].is_null(), "{after}");

    restart_and_check_with_watcher(&pam, &job_id, input.path(), stop, watcher);
}

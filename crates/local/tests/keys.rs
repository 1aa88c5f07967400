//! `SqliteJobKeys` beyond the shared scenarios: an erased key's bytes are gone from
//! every file of the database (main file, `-wal`, `-shm`), not merely unreachable, and
//! keys survive a reopen until erased.

use pam_core::JobId;
use pam_core::ports::JobKeys;
use pam_local::SqliteJobKeys;
use std::path::Path;

/// Whether any file under `dir` contains `needle`.
fn found_in(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}

#[tokio::test]
async fn erased_key_bytes_leave_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.sqlite");
    let keys = SqliteJobKeys::open(&path).await.unwrap();
    // A second connection that stays open, as `pam serve` and a step would have.
    let other = SqliteJobKeys::open(&path).await.unwrap();
    let job = JobId::parse("shred-me").unwrap();
    let keep = JobId::parse("keep-me").unwrap();
    let key = keys.create(&job).await.unwrap();
    let kept = keys.create(&keep).await.unwrap();
    assert_eq!(other.get(&job).await.unwrap().as_ref(), Some(&key));

    let before = found_in(dir.path(), key.as_bytes());
    assert!(
        !before.is_empty(),
        "the key should be on disk before erase (else this test proves nothing)"
    );
    other.erase(&job).await.unwrap();
    let after = found_in(dir.path(), key.as_bytes());
    assert!(after.is_empty(), "erased key bytes still in {after:?}");
    assert!(!found_in(dir.path(), kept.as_bytes()).is_empty());
    assert_eq!(keys.get(&keep).await.unwrap().as_ref(), Some(&kept));
    assert!(keys.get(&job).await.unwrap().is_none());
}

#[tokio::test]
async fn keys_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.sqlite");
    let job = JobId::parse("durable").unwrap();
    let key = {
        let keys = SqliteJobKeys::open(&path).await.unwrap();
        keys.create(&job).await.unwrap()
    };
    let keys = SqliteJobKeys::open(&path).await.unwrap();
    assert_eq!(keys.get(&job).await.unwrap(), Some(key));
}

//! Conformance scenarios for `JobKeys`: one key per job however often (and however
//! concurrently) it is created, and an erased key is gone for good. That the bytes left
//! the storage medium too is adapter-specific and tested by each adapter.

use crate::domain::{JobId, NotifyTarget};
use crate::ports::keys::JobKeys;
use std::sync::Arc;

/// create → same key on every create and get; keys differ per job; erase makes `get`
/// `None` and a sealed address unopenable with whatever `create` gives next; erase of
/// an erased or unknown job is `Ok`.
pub async fn keys_create_get_erase(keys: &dyn JobKeys) {
    let job = JobId::parse("conf-keys-1").unwrap();
    let other = JobId::parse("conf-keys-2").unwrap();
    assert!(
        keys.get(&job).await.unwrap().is_none(),
        "no key before create"
    );

    let k = keys.create(&job).await.expect("create");
    assert_eq!(keys.create(&job).await.unwrap(), k, "create is idempotent");
    assert_eq!(keys.get(&job).await.unwrap().as_ref(), Some(&k));
    let k2 = keys.create(&other).await.unwrap();
    assert_ne!(k, k2, "each job has its own key");

    let target = NotifyTarget::email("conformance@example.com").unwrap();
    let sealed = k.seal(&job, &target);
    assert_eq!(
        keys.get(&job).await.unwrap().unwrap().open(&job, &sealed),
        Ok(target)
    );

    keys.erase(&job).await.expect("erase");
    assert!(
        keys.get(&job).await.unwrap().is_none(),
        "erased key still readable"
    );
    keys.erase(&job).await.expect("erasing twice is Ok");
    keys.erase(&JobId::parse("conf-keys-never").unwrap())
        .await
        .expect("erasing an unknown job is Ok");
    assert_eq!(
        keys.get(&other).await.unwrap().as_ref(),
        Some(&k2),
        "erase touches only its job"
    );

    let after = keys.create(&job).await.unwrap();
    assert_ne!(after, k, "the erased key must not come back");
    assert!(
        after.open(&job, &sealed).is_err(),
        "an address sealed before the erase stays sealed"
    );
    keys.erase(&job).await.unwrap();
    keys.erase(&other).await.unwrap();
}

/// Many concurrent creates over several handles agree on one key per job.
pub async fn keys_create_concurrently(handles: &[Arc<dyn JobKeys>]) {
    assert!(!handles.is_empty());
    let jobs: Vec<JobId> = (0..3)
        .map(|i| JobId::parse(format!("conf-keys-race-{i}")).unwrap())
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..8 {
        for (j, job) in jobs.iter().enumerate() {
            let (h, job) = (handles[(round + j) % handles.len()].clone(), job.clone());
            tasks.spawn(async move { (job.clone(), h.create(&job).await) });
        }
    }
    let mut first: Vec<(JobId, crate::domain::JobKey)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (job, key) = done.unwrap();
        let key = key.expect("concurrent create");
        match first.iter().find(|(j, _)| *j == job) {
            Some((_, k)) => assert_eq!(*k, key, "two keys were handed out for {job}"),
            None => first.push((job, key)),
        }
    }
    for (job, key) in &first {
        assert_eq!(handles[0].get(job).await.unwrap().as_ref(), Some(key));
        handles[0].erase(job).await.unwrap();
    }
}

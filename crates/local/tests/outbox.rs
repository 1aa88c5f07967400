//! The durable outbox: events are committed with the object, survive a crash before
//! dispatch, reach the handler only for keys the labelling rule matches, and are
//! marked delivered only after the handler succeeded (failures retry with backoff).

use async_trait::async_trait;
use chrono::{Duration, TimeZone, Utc};
use pam_core::clock::ManualClock;
use pam_core::ports::store::{BoxError, PhotoStoreExt};
use pam_core::{BucketName, ObjectKey};
use pam_local::{
    DispatchReport, EventHandler, LabellingRule, LocalStore, LocalStoreConfig, ObjectCreated,
};
use std::sync::{Arc, Mutex};

struct Recorder {
    seen: Mutex<Vec<String>>,
    fail_once: Mutex<Option<String>>,
}

#[async_trait]
impl EventHandler for Recorder {
    async fn handle(&self, event: &ObjectCreated) -> Result<(), BoxError> {
        let mut fail = self.fail_once.lock().unwrap();
        if fail.as_deref() == Some(event.key.as_str()) {
            *fail = None;
            return Err("engine unavailable".into());
        }
        self.seen.lock().unwrap().push(event.key.to_string());
        Ok(())
    }
}

fn config(clock: Arc<ManualClock>) -> LocalStoreConfig {
    LocalStoreConfig {
        clock,
        ..LocalStoreConfig::default()
    }
}

#[tokio::test]
async fn events_survive_a_restart_and_are_delivered_at_least_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap(),
    ));
    let bucket = BucketName::parse("pam-photos").unwrap();
    {
        let store = LocalStore::open(dir.path(), config(clock.clone()))
            .await
            .unwrap();
        store.create_bucket(&bucket).await.unwrap();
        for key in [
            "photos/a.jpg",
            "photos/B.JPEG",
            "photos/c.Jpg",
            "photos/d.png",
            "other/e.jpg",
            "photos/f.jpg",
        ] {
            store
                .put_bytes(&bucket, &ObjectKey::parse(key).unwrap(), b"x".to_vec())
                .await
                .unwrap();
        }
        // Dropped without dispatching: the "crash".
    }
    let store = LocalStore::open(dir.path(), config(clock.clone()))
        .await
        .unwrap();
    assert_eq!(
        store.outbox().pending_count().await.unwrap(),
        6,
        "nothing was lost"
    );

    let handler = Recorder {
        seen: Mutex::new(vec![]),
        fail_once: Mutex::new(Some("photos/c.Jpg".into())),
    };
    let rule = LabellingRule::photos();
    let first = store.outbox().dispatch_due(&rule, &handler).await.unwrap();
    assert_eq!(
        first,
        DispatchReport {
            delivered: 3,
            skipped: 2,
            failed: 1
        }
    );
    assert_eq!(
        store.outbox().pending_count().await.unwrap(),
        1,
        "the failed event stays pending"
    );
    let early = store.outbox().dispatch_due(&rule, &handler).await.unwrap();
    assert_eq!(
        early,
        DispatchReport::default(),
        "not retried before its backoff"
    );

    clock.advance(Duration::seconds(2));
    let retry = store.outbox().dispatch_due(&rule, &handler).await.unwrap();
    assert_eq!(retry.delivered, 1);
    assert_eq!(store.outbox().pending_count().await.unwrap(), 0);
    let seen = handler.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "photos/a.jpg",
            "photos/B.JPEG",
            "photos/f.jpg",
            "photos/c.Jpg"
        ]
    );
}

#[tokio::test]
async fn events_have_eventbridge_shape_and_run_wakes_on_writes() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(dir.path(), LocalStoreConfig::default())
        .await
        .unwrap();
    let bucket = BucketName::parse("pam-photos").unwrap();
    store.create_bucket(&bucket).await.unwrap();

    let handler = Arc::new(Recorder {
        seen: Mutex::new(vec![]),
        fail_once: Mutex::new(None),
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let outbox = store.outbox().clone();
    let runner = {
        let handler: Arc<dyn EventHandler> = handler.clone();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            outbox
                .run(
                    LabellingRule::for_bucket(BucketName::parse("pam-photos").unwrap()),
                    handler,
                    std::time::Duration::from_secs(60),
                    shutdown,
                )
                .await
        })
    };
    let key = ObjectKey::parse("photos/Beach Day.jpg").unwrap();
    store
        .put_bytes(&bucket, &key, b"jpeg".to_vec())
        .await
        .unwrap();
    for _ in 0..200 {
        if !handler.seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        handler.seen.lock().unwrap().clone(),
        ["photos/Beach Day.jpg"],
        "a write wakes the dispatcher"
    );
    stop.send(()).unwrap();
    runner.await.unwrap().unwrap();

    let event = &store.outbox().events(0, 10).await.unwrap()[0];
    let eb = event.to_eventbridge();
    assert_eq!(eb["detail-type"], "Object Created");
    assert_eq!(eb["source"], "aws.s3");
    assert_eq!(eb["detail"]["bucket"]["name"], "pam-photos");
    assert_eq!(eb["detail"]["object"]["key"], "photos/Beach Day.jpg");
    assert_eq!(eb["detail"]["object"]["size"], 4);
    assert_eq!(eb["detail"]["reason"], "PutObject");
}

//! Conformance scenarios for `LabelIndex`: one photo per content, labels counted once
//! (also under concurrent redelivery), matching any/all with pagination, quarantine.
//! Each scenario expects an empty index of its own.

use crate::domain::{Label, MatchMode, PhotoKey, Sha256};
use crate::ports::index::{
    IndexError, Indexed, LabelIndex, PageRequest, PhotoLabel, PhotoRecord, QuarantineRecord,
    Recorded,
};
use std::sync::Arc;

/// A record for `name` whose content is identified by `content`.
pub fn photo(name: &str, content: &str) -> PhotoRecord {
    PhotoRecord {
        key: PhotoKey::parse(format!("photos/{name}")).unwrap(),
        file_name: name.to_owned(),
        size: content.len() as u64,
        sha256: Sha256::of(content.as_bytes()),
        crc32: content.len() as u32,
    }
}

/// Labels with made-up confidences and no parents.
pub fn labels(names: &[&str]) -> Vec<PhotoLabel> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| PhotoLabel {
            name: Label::parse(n).unwrap(),
            confidence: 90.0 - i as f32,
            parents: vec![],
        })
        .collect()
}

async fn counts(index: &dyn LabelIndex) -> Vec<(String, u64)> {
    let counts = index.label_counts().await.expect("label counts");
    counts
        .into_iter()
        .map(|c| (c.name.to_string(), c.count))
        .collect()
}

/// New, AlreadyRecorded, DuplicateOf and AlreadyExists.
pub async fn record_photo_dedups(index: &dyn LabelIndex) {
    let a = photo("a.jpg", "bytes-a");
    assert_eq!(index.record_photo(&a).await.unwrap(), Recorded::New);
    assert_eq!(
        index.record_photo(&a).await.unwrap(),
        Recorded::AlreadyRecorded
    );
    let same_bytes = photo("copy-of-a.jpg", "bytes-a");
    assert_eq!(
        index.record_photo(&same_bytes).await.unwrap(),
        Recorded::DuplicateOf(a.key.clone()),
        "the same bytes under another key are one photo"
    );
    let overwritten = photo("a.jpg", "other-bytes");
    match index.record_photo(&overwritten).await {
        Err(IndexError::AlreadyExists { .. }) => {}
        other => panic!("same key, other bytes must be AlreadyExists, got {other:?}"),
    }
    let listed = index.list_photos(PageRequest::first(100)).await.unwrap();
    assert_eq!(listed.items.len(), 1, "a duplicate is not a second photo");
    assert_eq!(listed.items[0].record, a);
    assert_eq!(listed.items[0].indexed_at, None, "not labelled yet");
}

/// Labels are counted once per photo, however often they are indexed.
pub async fn index_labels_counts_once(index: &dyn LabelIndex) {
    let unknown = PhotoKey::parse("photos/never-recorded.jpg").unwrap();
    match index.index_labels(&unknown, &labels(&["Cat"])).await {
        Err(IndexError::NotFound(_)) => {}
        other => panic!("indexing an unrecorded photo must be NotFound, got {other:?}"),
    }
    let p1 = photo("1.jpg", "one");
    let p2 = photo("2.jpg", "two");
    let p3 = photo("3.jpg", "three");
    for p in [&p1, &p2, &p3] {
        index.record_photo(p).await.unwrap();
    }
    let first = index
        .index_labels(&p1.key, &labels(&["Mountain", "Nature", "Mountain"]))
        .await
        .unwrap();
    assert_eq!(first, Indexed::Newly);
    for _ in 0..3 {
        let again = index
            .index_labels(&p1.key, &labels(&["Mountain", "Nature"]))
            .await;
        assert_eq!(
            again.unwrap(),
            Indexed::Already,
            "redelivery changes nothing"
        );
    }
    let other = index
        .index_labels(&p1.key, &labels(&["Cat"]))
        .await
        .unwrap();
    assert_eq!(other, Indexed::Already, "the first indexing stands");
    index
        .index_labels(&p2.key, &labels(&["Nature", "Beach"]))
        .await
        .unwrap();
    index
        .index_labels(&p3.key, &labels(&["Beach", "Nature"]))
        .await
        .unwrap();
    assert_eq!(
        counts(index).await,
        vec![
            ("Nature".into(), 3),
            ("Beach".into(), 2),
            ("Mountain".into(), 1)
        ],
        "highest count first, ties by name, each photo once"
    );
    let entry = index.photo(&p1.key).await.unwrap().expect("photo 1");
    assert!(entry.indexed_at.is_some());
    let names: Vec<&str> = entry.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["Mountain", "Nature"],
        "labels by confidence, duplicates merged"
    );
    assert!(index.photo(&unknown).await.unwrap().is_none());
}

/// The same photos indexed many times at once, through several handles (connections,
/// clients, processes) on one index, are each counted once.
pub async fn index_labels_concurrently(handles: &[Arc<dyn LabelIndex>]) {
    assert!(!handles.is_empty());
    let photos: Vec<PhotoRecord> = (0..20)
        .map(|i| photo(&format!("c{i:02}.jpg"), &format!("c{i}")))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..3 {
        for (i, p) in photos.iter().enumerate() {
            let index = handles[(i + round) % handles.len()].clone();
            let p = p.clone();
            let names: Vec<&'static str> = if i % 2 == 0 {
                vec!["Even", "All"]
            } else {
                vec!["Odd", "All"]
            };
            tasks.spawn(async move {
                index.record_photo(&p).await.expect("record");
                index
                    .index_labels(&p.key, &labels(&names))
                    .await
                    .expect("index")
            });
        }
    }
    let mut newly = 0;
    while let Some(done) = tasks.join_next().await {
        if done.expect("task") == Indexed::Newly {
            newly += 1;
        }
    }
    assert_eq!(newly, 20, "each photo is newly indexed exactly once");
    assert_eq!(
        counts(handles[0].as_ref()).await,
        vec![("All".into(), 20), ("Even".into(), 10), ("Odd".into(), 10)]
    );
}

/// Any / all matching, paginated in key order.
pub async fn photos_matching_any_all(index: &dyn LabelIndex) {
    let sets: [(&str, &[&str]); 5] = [
        ("m1.jpg", &["Mountain", "Snow"]),
        ("m2.jpg", &["Mountain"]),
        ("m3.jpg", &["Snow"]),
        ("m4.jpg", &["Mountain", "Snow", "Lake"]),
        ("m5.jpg", &["Beach"]),
    ];
    for (name, names) in sets {
        let p = photo(name, name);
        index.record_photo(&p).await.unwrap();
        index.index_labels(&p.key, &labels(names)).await.unwrap();
    }
    let wanted = [
        Label::parse("Mountain").unwrap(),
        Label::parse("Snow").unwrap(),
    ];
    let wanted = &wanted;
    let collect = |mode| async move {
        let mut keys = Vec::new();
        let mut after = None;
        loop {
            let page = index
                .photos_matching(wanted, mode, PageRequest { after, limit: 2 })
                .await
                .expect("matching page");
            assert!(page.items.len() <= 2);
            keys.extend(
                page.items
                    .iter()
                    .map(|k| k.as_str().trim_start_matches("photos/").to_owned()),
            );
            match page.next {
                Some(next) => after = Some(next),
                None => return keys,
            }
        }
    };
    assert_eq!(
        collect(MatchMode::Any).await,
        ["m1.jpg", "m2.jpg", "m3.jpg", "m4.jpg"]
    );
    assert_eq!(collect(MatchMode::All).await, ["m1.jpg", "m4.jpg"]);
    match index
        .photos_matching(&[], MatchMode::Any, PageRequest::first(10))
        .await
    {
        Err(IndexError::InvalidArgument(_)) => {}
        other => panic!("an empty label list must be InvalidArgument, got {other:?}"),
    }
    let nothing = [Label::parse("Volcano").unwrap()];
    let page = index
        .photos_matching(&nothing, MatchMode::All, PageRequest::first(10))
        .await
        .unwrap();
    assert!(page.items.is_empty() && page.next.is_none());

    let mut listed = Vec::new();
    let mut after = None;
    loop {
        let page = index
            .list_photos(PageRequest { after, limit: 2 })
            .await
            .unwrap();
        listed.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(listed.len(), 5, "every photo listed once across pages");
    assert_eq!(
        listed[3].labels.len(),
        3,
        "photos are listed with their labels"
    );
}

/// Quarantine keeps the latest record per key and lists them.
pub async fn quarantine_keeps_latest(index: &dyn LabelIndex) {
    let key = PhotoKey::parse("photos/broken.jpg").unwrap();
    let at = chrono::Utc::now();
    for reason in ["first", "second"] {
        let record = QuarantineRecord {
            key: key.clone(),
            error: "Pam.NotAJpeg".into(),
            reason: reason.into(),
            at,
        };
        index.quarantine(&record).await.unwrap();
    }
    let page = index.quarantined(PageRequest::first(10)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].reason, "second");
    assert_eq!(page.items[0].error, "Pam.NotAJpeg");
}

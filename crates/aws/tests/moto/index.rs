//! `DynamoIndex` on moto: every `LabelIndex` conformance scenario on a fresh table,
//! concurrency through several independently built clients, then the adapter's own
//! limits and its pagination across Query responses.

use async_trait::async_trait;
use pam_aws::DynamoIndex;
use pam_aws::dynamo::MAX_LABELS;
use pam_core::conformance::{self, labels, photo};
use pam_core::ports::index::{
    IndexError, Indexed, LabelCount, LabelIndex, Page, PageRequest, PhotoEntry, PhotoLabel,
    PhotoRecord, QuarantineRecord, Recorded,
};
use pam_core::{Label, MatchMode, PhotoKey};
use std::sync::Arc;
use tokio::sync::Mutex;

#[tokio::test]
async fn conformance_record_photo_dedups() {
    let moto = crate::moto!();
    conformance::record_photo_dedups(&moto.fresh_index().await).await;
}

#[tokio::test]
async fn conformance_index_labels_counts_once() {
    let moto = crate::moto!();
    conformance::index_labels_counts_once(&moto.fresh_index().await).await;
}

/// Passes calls to an index one at a time (across all handles sharing the lock).
///
/// moto's TransactWriteItems is not atomic under concurrent requests: it rolls a
/// failed transaction back by restoring a deep copy of the table taken before it ran,
/// which discards whatever other requests committed meanwhile (moto 5.2.5,
/// `dynamodb/models/__init__.py`, `transact_write_items`). Real DynamoDB transactions
/// are serializable. So on moto the concurrency scenario keeps its interleaving
/// (three rounds of redeliveries in random order through three clients) but each
/// call runs alone; the adapter's conflict handling (`TransactionCanceled` with
/// `TransactionConflict` → retry) is exercised by DynamoDB itself.
#[derive(Debug)]
struct OneAtATime {
    index: DynamoIndex,
    lock: Arc<Mutex<()>>,
}

#[async_trait]
impl LabelIndex for OneAtATime {
    async fn record_photo(&self, record: &PhotoRecord) -> Result<Recorded, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.record_photo(record).await
    }
    async fn index_labels(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Indexed, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.index_labels(key, labels).await
    }
    async fn label_counts(&self) -> Result<Vec<LabelCount>, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.label_counts().await
    }
    async fn photos_matching(
        &self,
        labels: &[Label],
        mode: MatchMode,
        page: PageRequest,
    ) -> Result<Page<PhotoKey>, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.photos_matching(labels, mode, page).await
    }
    async fn photo(&self, key: &PhotoKey) -> Result<Option<PhotoEntry>, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.photo(key).await
    }
    async fn list_photos(&self, page: PageRequest) -> Result<Page<PhotoEntry>, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.list_photos(page).await
    }
    async fn quarantine(&self, record: &QuarantineRecord) -> Result<(), IndexError> {
        let _turn = self.lock.lock().await;
        self.index.quarantine(record).await
    }
    async fn quarantined(&self, page: PageRequest) -> Result<Page<QuarantineRecord>, IndexError> {
        let _turn = self.lock.lock().await;
        self.index.quarantined(page).await
    }
}

#[tokio::test]
async fn conformance_index_labels_concurrently() {
    let moto = crate::moto!();
    let index = moto.fresh_index().await;
    let lock = Arc::new(Mutex::new(()));
    let mut handles: Vec<Arc<dyn LabelIndex>> = Vec::new();
    for i in 0..3 {
        let index = if i == 0 {
            index.clone()
        } else {
            moto.another_handle(&index).await
        };
        handles.push(Arc::new(OneAtATime {
            index,
            lock: lock.clone(),
        }));
    }
    conformance::index_labels_concurrently(&handles).await;
}

#[tokio::test]
async fn conformance_photos_matching_any_all() {
    let moto = crate::moto!();
    conformance::photos_matching_any_all(&moto.fresh_index().await).await;
}

#[tokio::test]
async fn conformance_quarantine_keeps_latest() {
    let moto = crate::moto!();
    conformance::quarantine_keeps_latest(&moto.fresh_index().await).await;
}

#[tokio::test]
async fn results_span_several_query_responses() {
    let moto = crate::moto!();
    let index = moto.fresh_index().await;
    // 130 photos: more than one Query response (100 items) for each listing.
    for i in 0..130 {
        let p = photo(&format!("p{i:03}.jpg"), &format!("content {i}"));
        index.record_photo(&p).await.unwrap();
        let names: Vec<&str> = if i % 2 == 0 {
            vec!["All", "Even"]
        } else {
            vec!["All"]
        };
        index.index_labels(&p.key, &labels(&names)).await.unwrap();
    }
    let all = [Label::parse("All").unwrap()];
    let page = index
        .photos_matching(&all, MatchMode::Any, PageRequest::first(1000))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 130);
    assert!(page.items.windows(2).all(|w| w[0] < w[1]), "ascending keys");
    assert!(page.next.is_none());

    let both = [Label::parse("Even").unwrap(), Label::parse("All").unwrap()];
    let mut matched = Vec::new();
    let mut after = None;
    loop {
        let page = index
            .photos_matching(&both, MatchMode::All, PageRequest { after, limit: 40 })
            .await
            .unwrap();
        matched.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(matched.len(), 65, "every even photo once, across pages");

    let listed = index.list_photos(PageRequest::first(1000)).await.unwrap();
    assert_eq!(listed.items.len(), 130);

    // 120 distinct labels: the counts need more than one Query response too.
    for (i, chunk) in (0..120).collect::<Vec<_>>().chunks(60).enumerate() {
        let p = photo(&format!("many{i}.jpg"), &format!("many {i}"));
        index.record_photo(&p).await.unwrap();
        let names: Vec<String> = chunk.iter().map(|n| format!("Label {n:03}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        index.index_labels(&p.key, &labels(&names)).await.unwrap();
    }
    let counts = index.label_counts().await.unwrap();
    assert_eq!(counts.len(), 122);
    assert_eq!((counts[0].name.as_str(), counts[0].count), ("All", 130));
    assert_eq!((counts[1].name.as_str(), counts[1].count), ("Even", 65));
}

#[tokio::test]
async fn limits_and_bad_input_are_refused_by_name() {
    let moto = crate::moto!();
    let index = moto.fresh_index().await;
    let p = photo("big.jpg", "big");
    index.record_photo(&p).await.unwrap();
    let names: Vec<String> = (0..=MAX_LABELS).map(|n| format!("L{n}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let too_many = index.index_labels(&p.key, &labels(&names)).await;
    assert!(
        matches!(too_many, Err(IndexError::InvalidArgument(ref m)) if m.contains("at most")),
        "{too_many:?}"
    );
    let entry = index.photo(&p.key).await.unwrap().unwrap();
    assert_eq!(entry.indexed_at, None, "a refused call indexes nothing");
    let fits = &names[..MAX_LABELS];
    assert_eq!(
        index.index_labels(&p.key, &labels(fits)).await.unwrap(),
        Indexed::Newly,
        "{MAX_LABELS} labels fit one transaction"
    );

    let forged = PageRequest {
        after: Some("not-a-token".into()),
        limit: 10,
    };
    let got = index.list_photos(forged).await;
    assert!(
        matches!(got, Err(IndexError::InvalidArgument(_))),
        "{got:?}"
    );
    let got = index.list_photos(PageRequest::first(0)).await;
    assert!(
        matches!(got, Err(IndexError::InvalidArgument(_))),
        "{got:?}"
    );
}

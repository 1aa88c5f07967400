//! [`DynamoIndex`]: the `LabelIndex` port on one DynamoDB table.
//!
//! # Table design
//! Key: partition `pk` (S), sort `sk` (S). One global secondary index `gsi1` with
//! partition `gsi1pk` (S), sort `gsi1sk` (S), projection ALL. On-demand billing.
//!
//! | item | `pk` | `sk` | other attributes | `gsi1pk` / `gsi1sk` |
//! |---|---|---|---|---|
//! | photo | `PHOTO#<key>` | `PHOTO` | `photo_key`, `file_name`, `size`, `sha256`, `crc32`; once indexed `indexed_at` and `labels` (list of `{name, confidence, parents}`) | `PHOTOS` / `<key>` |
//! | content | `SHA#<sha256>` | `SHA` | `photo_key`: the one photo with these bytes | — |
//! | label counter | `LABEL#<name>` | `#COUNT` | `label`, `photos` (N, distinct photos) | `LABELS` / `<name>` |
//! | label member | `LABEL#<name>` | `PHOTO#<key>` | `photo_key` | — |
//! | quarantine | `QUARANTINE#<key>` | `QUARANTINE` | `photo_key`, `error`, `reason`, `at` | `QUARANTINE` / `<key>` |
//! | download job | `JOB#<id>` | `JOB` | see [`DynamoJobLog`] | `JOBS` / `<created_at>#<id>` |
//! | job key | `JOBKEY#<id>` | `KEY` | see [`DynamoJobKeys`] | — |
//!
//! - **Content dedupe**: `record_photo` is one TransactWriteItems putting the content
//!   item and the photo item, each with `attribute_not_exists(pk)`; when it is
//!   cancelled, consistent reads of both say which rule applied.
//! - **Counted once**: `index_labels` is one TransactWriteItems: an Update of the photo
//!   item setting `indexed_at` and `labels` on condition `attribute_exists(pk) AND
//!   attribute_not_exists(indexed_at)`, plus `ADD photos :1` on each label's counter.
//!   Retries and concurrent deliveries fail the condition and change nothing, so a
//!   photo's labels are counted once, all or none. At most [`MAX_LABELS`] distinct labels
//!   fit one transaction (100 items).
//! - **Membership as items**: after counting, one member item per label (idempotent
//!   puts, written from the labels stored on the photo item, again on every redelivery
//!   so a crash between the two steps heals). No growing sets: an item stays small
//!   whatever the number of photos (the 400 KB item limit).
//! - **Paginated**: every Query follows `LastEvaluatedKey`; pages continue after the
//!   last key returned (`sk > :after`), so tokens survive deletions.
//! - Matching *any* label merges the labels' member ranges; *all* walks the member
//!   range of the rarest label and checks the others with BatchGetItem.
//! - Listings on `gsi1` (photos, labels, quarantine) are eventually consistent, as every
//!   GSI read is; a single photo (`photo`) is read consistently.

mod error;
mod items;
mod jobs;
mod keys;
mod read;
mod table;
mod write;

pub use jobs::{DynamoJobLog, JOB_RETENTION_DAYS};
pub use keys::{DynamoJobKeys, KEY_RETENTION_DAYS};
pub use table::create_table;

use async_trait::async_trait;
use pam_core::ports::index::{
    IndexError, Indexed, LabelCount, LabelIndex, Page, PageRequest, PhotoEntry, PhotoLabel,
    PhotoRecord, QuarantineRecord, Recorded,
};
use pam_core::{Label, MatchMode, PhotoKey};

/// The most distinct labels one photo can be indexed with (one transaction).
pub const MAX_LABELS: usize = 99;

/// The label index on a DynamoDB table laid out as the module documentation says.
#[derive(Debug, Clone)]
pub struct DynamoIndex {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoIndex {
    /// An index over `table`, which must exist (see [`create_table`]).
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }
}

#[async_trait]
impl LabelIndex for DynamoIndex {
    async fn record_photo(&self, record: &PhotoRecord) -> Result<Recorded, IndexError> {
        self.record(record).await
    }

    async fn index_labels(
        &self,
        key: &PhotoKey,
        labels: &[PhotoLabel],
    ) -> Result<Indexed, IndexError> {
        self.index(key, labels).await
    }

    async fn label_counts(&self) -> Result<Vec<LabelCount>, IndexError> {
        self.counts().await
    }

    async fn photos_matching(
        &self,
        labels: &[Label],
        mode: MatchMode,
        page: PageRequest,
    ) -> Result<Page<PhotoKey>, IndexError> {
        self.matching(labels, mode, page).await
    }

    async fn photo(&self, key: &PhotoKey) -> Result<Option<PhotoEntry>, IndexError> {
        self.get_photo(key).await
    }

    async fn list_photos(&self, page: PageRequest) -> Result<Page<PhotoEntry>, IndexError> {
        self.photos_page(page).await
    }

    async fn quarantine(&self, record: &QuarantineRecord) -> Result<(), IndexError> {
        self.put_quarantine(record).await
    }

    async fn quarantined(&self, page: PageRequest) -> Result<Page<QuarantineRecord>, IndexError> {
        self.quarantine_page(page).await
    }
}

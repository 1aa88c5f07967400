//! Working-area expiry, the local stand-in for the working bucket's S3 lifecycle rule:
//! objects under a prefix older than an age are deleted, and multipart uploads begun
//! under it that long ago are aborted (a BuildBundle killed mid-upload leaves one).
//! `pam` runs it periodically over `bundles/` and `manifests/` with an age no shorter
//! than the longest link it hands out, so a bundle never outlives its links by much
//! and never dies before them.

use super::rows::ts;
use super::{LocalStore, db_error};
use chrono::Duration;
use pam_core::ports::store::{ListRequest, PhotoStore, StoreError, UploadId};
use pam_core::{BucketName, ObjectKey};

/// What one expiry pass removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    /// Objects deleted.
    pub deleted: Vec<ObjectKey>,
    /// Multipart uploads aborted.
    pub aborted_uploads: usize,
}

impl LocalStore {
    /// Deletes every object under `prefix` in `bucket` last written at least `age` ago
    /// (by the store's clock), and aborts multipart uploads under `prefix` begun that
    /// long ago.
    pub async fn expire_older_than(
        &self,
        bucket: &BucketName,
        prefix: &str,
        age: Duration,
    ) -> Result<ExpiryReport, StoreError> {
        if age < Duration::zero() {
            return Err(StoreError::InvalidArgument(format!(
                "an expiry age cannot be negative ({age})"
            )));
        }
        self.require_bucket(bucket).await?;
        let cutoff = self.now() - age;
        let mut report = ExpiryReport::default();
        let mut request = ListRequest {
            prefix: Some(prefix.to_owned()),
            ..ListRequest::default()
        };
        let mut old = Vec::new();
        loop {
            let page = self.list(bucket, request.clone()).await?;
            old.extend(
                page.objects
                    .into_iter()
                    .filter(|o| o.last_modified <= cutoff)
                    .map(|o| o.key),
            );
            match page.next {
                Some(next) => request.continuation = Some(next),
                None => break,
            }
        }
        for key in old {
            self.delete(bucket, &key).await?;
            tracing::info!(%bucket, %key, "expired from the working area");
            report.deleted.push(key);
        }

        let (b, p, cut) = (bucket.as_str().to_owned(), prefix.to_owned(), ts(cutoff));
        let uploads: Vec<(String, String)> = self
            .db
            .call(move |c| {
                let mut stmt = c.prepare(
                    "SELECT upload_id, key FROM uploads WHERE bucket = ?1
                     AND substr(key, 1, length(?2)) = ?2 AND created_at <= ?3",
                )?;
                let rows = stmt
                    .query_map(rusqlite::params![b, p, cut], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .await
            .map_err(db_error)?;
        for (upload, key) in uploads {
            let Ok(key) = ObjectKey::parse(key) else {
                continue;
            };
            match self.abort_upload(bucket, &key, &UploadId(upload)).await {
                Ok(()) | Err(StoreError::NoSuchUpload { .. }) => {
                    tracing::info!(%bucket, %key, "abandoned multipart upload aborted");
                    report.aborted_uploads += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::LocalStoreConfig;
    use chrono::TimeZone;
    use pam_core::clock::ManualClock;
    use pam_core::ports::store::{PutOptions, PutSource};
    use std::sync::Arc;

    #[tokio::test]
    async fn old_bundles_and_abandoned_uploads_go_new_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(
            chrono::Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap(),
        ));
        let config = LocalStoreConfig {
            clock: clock.clone(),
            ..LocalStoreConfig::default()
        };
        let store = LocalStore::open(dir.path(), config).await.unwrap();
        let working = BucketName::parse("working").unwrap();
        store.create_bucket(&working).await.unwrap();
        let put = |key: &'static str| {
            let store = store.clone();
            let working = working.clone();
            async move {
                let key = ObjectKey::parse(key).unwrap();
                let source = PutSource::Bytes(b"zip".to_vec());
                store
                    .put(&working, &key, source, PutOptions::default())
                    .await
                    .unwrap();
            }
        };
        put("bundles/old/pam-old.zip").await;
        put("keep/old.txt").await;
        let abandoned = ObjectKey::parse("bundles/crashed/pam-crashed.zip").unwrap();
        store
            .create_multipart(&working, &abandoned, PutOptions::default())
            .await
            .unwrap();
        clock.advance(Duration::hours(23));
        put("bundles/new/pam-new.zip").await;
        clock.advance(Duration::hours(1));

        let report = store
            .expire_older_than(&working, "bundles/", Duration::hours(24))
            .await
            .unwrap();
        assert_eq!(
            report.deleted,
            vec![ObjectKey::parse("bundles/old/pam-old.zip").unwrap()]
        );
        assert_eq!(report.aborted_uploads, 1);
        let left: Vec<String> = store
            .list(&working, ListRequest::default())
            .await
            .unwrap()
            .objects
            .into_iter()
            .map(|o| o.key.to_string())
            .collect();
        assert_eq!(left, vec!["bundles/new/pam-new.zip", "keep/old.txt"]);
        let again = store
            .expire_older_than(&working, "bundles/", Duration::hours(24))
            .await
            .unwrap();
        assert_eq!(
            again,
            ExpiryReport::default(),
            "a second pass finds nothing"
        );
        assert!(
            store
                .expire_older_than(&working, "bundles/", Duration::hours(-1))
                .await
                .is_err()
        );
    }
}

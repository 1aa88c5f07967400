//! A store that fails (or hangs) where a test says, around the real LocalStore: for
//! crashes and failures in the middle of BuildBundle.

use super::World;
use async_trait::async_trait;
use pam_core::ports::store::*;
use pam_core::{ArchiveStatus, BucketName, ObjectKey};
use pam_local::LocalStore;
use pam_tasks::download::DownloadSteps;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A store that fails (or hangs) the GET of one photo, or the completion of uploads.
#[derive(Debug)]
pub struct Faulty {
    pub inner: LocalStore,
    pub fail_get: Option<String>,
    pub hang_get: Option<String>,
    pub fail_complete: AtomicBool,
}

fn transient(what: &str) -> StoreError {
    StoreError::Transient {
        store: "faulty",
        source: what.to_owned().into(),
    }
}

#[async_trait]
impl PhotoStore for Faulty {
    async fn put(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        s: PutSource,
        o: PutOptions,
    ) -> Result<PutResult, StoreError> {
        self.inner.put(b, k, s, o).await
    }
    async fn get(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        o: GetOptions,
    ) -> Result<GetResult, StoreError> {
        if self.fail_get.as_deref() == Some(k.as_str()) {
            return Err(transient("injected GET failure"));
        }
        if self.hang_get.as_deref() == Some(k.as_str()) {
            std::future::pending::<()>().await;
        }
        self.inner.get(b, k, o).await
    }
    async fn head(&self, b: &BucketName, k: &ObjectKey) -> Result<ObjectMeta, StoreError> {
        self.inner.head(b, k).await
    }
    async fn delete(&self, b: &BucketName, k: &ObjectKey) -> Result<(), StoreError> {
        self.inner.delete(b, k).await
    }
    async fn list(&self, b: &BucketName, r: ListRequest) -> Result<ListPage, StoreError> {
        self.inner.list(b, r).await
    }
    async fn get_tags(&self, b: &BucketName, k: &ObjectKey) -> Result<Tags, StoreError> {
        self.inner.get_tags(b, k).await
    }
    async fn put_tags(&self, b: &BucketName, k: &ObjectKey, t: Tags) -> Result<(), StoreError> {
        self.inner.put_tags(b, k, t).await
    }
    async fn transition(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        c: pam_core::StorageClass,
        a: Option<ArchiveStatus>,
    ) -> Result<ObjectMeta, StoreError> {
        self.inner.transition(b, k, c, a).await
    }
    async fn restore(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        r: RestoreRequest,
    ) -> Result<RestoreOutcome, StoreError> {
        self.inner.restore(b, k, r).await
    }
    async fn create_multipart(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        o: PutOptions,
    ) -> Result<UploadId, StoreError> {
        self.inner.create_multipart(b, k, o).await
    }
    async fn upload_part(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        u: &UploadId,
        n: u32,
        d: PutSource,
    ) -> Result<CompletedPart, StoreError> {
        self.inner.upload_part(b, k, u, n, d).await
    }
    async fn complete_multipart(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        u: &UploadId,
        p: &[CompletedPart],
    ) -> Result<PutResult, StoreError> {
        if self.fail_complete.load(Ordering::SeqCst) && k.as_str().ends_with(".zip") {
            return Err(transient("injected completion failure"));
        }
        self.inner.complete_multipart(b, k, u, p).await
    }
    async fn abort_multipart(
        &self,
        b: &BucketName,
        k: &ObjectKey,
        u: &UploadId,
    ) -> Result<(), StoreError> {
        self.inner.abort_multipart(b, k, u).await
    }
}

pub fn with_store(w: &World, store: Faulty) -> DownloadSteps {
    DownloadSteps {
        store: Arc::new(store),
        ..w.steps.clone()
    }
}

pub fn faulty(w: &World) -> Faulty {
    Faulty {
        inner: w.store.clone(),
        fail_get: None,
        hang_get: None,
        fail_complete: AtomicBool::new(false),
    }
}

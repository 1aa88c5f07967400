//! Bundle parts written straight into the working bucket: each part is one multipart
//! upload, completed only once the part is a whole zip, so no partial bundle is ever
//! visible (S3's completion is atomic; so is the local store's). [`PartUpload`] is the
//! `AsyncWrite` the zip writer writes into: it fills one buffer of `part_size` bytes
//! while the previous one uploads, so memory is about two upload parts whatever the
//! bundle's size.

use pam_bundle::PartSinks;
use pam_core::ports::store::{
    CompletedPart, PhotoStore, PutOptions, PutSource, StoreError, UploadId,
};
use pam_core::{BucketName, JobId, ObjectKey};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use tokio::io::AsyncWrite;

type PartFuture<'a> = Pin<Box<dyn Future<Output = Result<CompletedPart, StoreError>> + Send + 'a>>;

/// The key of part `part` of `job`'s bundle: `bundles/<job>/pam-<job>.zip` for a
/// bundle of one part, `bundles/<job>/pam-<job>-part<N>.zip` when it is split. (Should
/// a bundle expected to fit one part split after all, its later parts are numbered.)
pub fn part_key(job: &JobId, part: u32, split: bool) -> ObjectKey {
    let name = if split || part > 1 {
        format!("bundles/{job}/pam-{job}-part{part}.zip")
    } else {
        format!("bundles/{job}/pam-{job}.zip")
    };
    ObjectKey::parse(name).expect("job ids make valid keys")
}

/// The upload that is open, so a failed build can abort it.
pub type OpenUpload = Arc<Mutex<Option<(ObjectKey, UploadId)>>>;

/// A finished part in the working bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPart {
    /// Its key.
    pub key: ObjectKey,
    /// Its size.
    pub size: u64,
}

/// [`PartSinks`] over a store's multipart uploads.
pub struct StoreParts<'a> {
    store: &'a dyn PhotoStore,
    bucket: BucketName,
    job: JobId,
    split: bool,
    part_size: usize,
    open: OpenUpload,
    /// Parts completed, in order.
    pub done: Vec<StoredPart>,
}

impl<'a> StoreParts<'a> {
    /// Parts of `job`'s bundle in `bucket`, uploaded in parts of `part_size` bytes.
    pub fn new(
        store: &'a dyn PhotoStore,
        bucket: BucketName,
        job: JobId,
        split: bool,
        part_size: usize,
    ) -> Self {
        Self {
            store,
            bucket,
            job,
            split,
            part_size: part_size.max(1),
            open: OpenUpload::default(),
            done: Vec::new(),
        }
    }

    /// A handle on the open upload (to abort it after a failure).
    pub fn open_upload(&self) -> OpenUpload {
        self.open.clone()
    }
}

impl<'a> PartSinks for StoreParts<'a> {
    type Sink = PartUpload<'a>;

    async fn open(&mut self, part: u32) -> io::Result<PartUpload<'a>> {
        let key = part_key(&self.job, part, self.split);
        let options = PutOptions {
            content_type: Some("application/zip".into()),
            ..PutOptions::default()
        };
        let upload = self
            .store
            .create_multipart(&self.bucket, &key, options)
            .await
            .map_err(io::Error::other)?;
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = Some((key.clone(), upload.clone()));
        Ok(PartUpload {
            store: self.store,
            bucket: self.bucket.clone(),
            key,
            upload,
            part_size: self.part_size,
            buffer: Vec::with_capacity(self.part_size),
            parts: Vec::new(),
            in_flight: None,
            written: 0,
        })
    }

    async fn close(&mut self, _part: u32, sink: PartUpload<'a>) -> io::Result<()> {
        let key = sink.key.clone();
        let size = sink.complete().await.map_err(io::Error::other)?;
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = None;
        tracing::info!(%key, size, "bundle part complete");
        self.done.push(StoredPart { key, size });
        Ok(())
    }
}

/// One part's multipart upload as an `AsyncWrite`.
pub struct PartUpload<'a> {
    store: &'a dyn PhotoStore,
    bucket: BucketName,
    key: ObjectKey,
    upload: UploadId,
    part_size: usize,
    buffer: Vec<u8>,
    parts: Vec<CompletedPart>,
    in_flight: Option<PartFuture<'a>>,
    written: u64,
}

impl<'a> PartUpload<'a> {
    fn upload(&self, bytes: Vec<u8>) -> PartFuture<'a> {
        let store = self.store;
        let (bucket, key, upload) = (self.bucket.clone(), self.key.clone(), self.upload.clone());
        let number = self.parts.len() as u32 + 1;
        Box::pin(async move {
            store
                .upload_part(&bucket, &key, &upload, number, PutSource::Bytes(bytes))
                .await
        })
    }

    /// Drives the upload in flight; `Ready` once none is.
    fn poll_in_flight(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(fut) = self.in_flight.as_mut() {
            let part = ready!(fut.as_mut().poll(cx)).map_err(io::Error::other)?;
            self.parts.push(part);
            self.in_flight = None;
        }
        Poll::Ready(Ok(()))
    }

    /// Uploads what is buffered as the last part and completes the upload.
    async fn complete(mut self) -> Result<u64, StoreError> {
        if let Some(fut) = self.in_flight.take() {
            self.parts.push(fut.await?);
        }
        if !self.buffer.is_empty() || self.parts.is_empty() {
            let bytes = std::mem::take(&mut self.buffer);
            let part = self.upload(bytes).await?;
            self.parts.push(part);
        }
        self.store
            .complete_multipart(&self.bucket, &self.key, &self.upload, &self.parts)
            .await?;
        Ok(self.written)
    }
}

impl AsyncWrite for PartUpload<'_> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.buffer.len() == this.part_size {
            // The buffer is full: it can go once the previous part is up.
            ready!(this.poll_in_flight(cx))?;
            let bytes = std::mem::replace(&mut this.buffer, Vec::with_capacity(this.part_size));
            this.in_flight = Some(this.upload(bytes));
        }
        // Let the upload in flight progress while we take more bytes.
        if let Poll::Ready(Err(e)) = this.poll_in_flight(cx) {
            return Poll::Ready(Err(e));
        }
        let take = (this.part_size - this.buffer.len()).min(buf.len());
        this.buffer.extend_from_slice(&buf[..take]);
        this.written += take as u64;
        Poll::Ready(Ok(take))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_in_flight(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_in_flight(cx)
    }
}

//! Request bodies that become objects are first streamed to a private temporary file
//! under the data directory: memory stays constant whatever the size, the size limit is
//! enforced as bytes arrive (a lying or absent Content-Length changes nothing), the JPEG
//! signature is checked on the first bytes, and only a complete, checked file reaches
//! the store — so no half-written or non-photo object ever emits an event.

use super::error::ApiError;
use super::state::AppState;
use axum::body::Body;
use axum::http::StatusCode;
use futures_util::StreamExt;
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

use pam_tasks::jpeg::JPEG_MAGIC;

/// Why a body was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// More bytes than allowed.
    #[error("the upload is larger than the {0}-byte limit")]
    TooLarge(u64),
    /// No bytes at all.
    #[error("the upload is empty")]
    Empty,
    /// Does not start with the JPEG signature.
    #[error("not a JPEG: the content does not start with the JPEG signature FF D8 FF")]
    NotJpeg,
    /// The client went away or the body broke.
    #[error("the upload was interrupted: {0}")]
    Body(String),
    /// The spool file could not be written.
    #[error("spooling the upload: {0}")]
    Io(#[from] std::io::Error),
}

impl SpoolError {
    /// The API error for this failure.
    pub fn into_api(self) -> ApiError {
        match self {
            Self::TooLarge(_) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", self.to_string())
            }
            Self::Empty => ApiError::bad_request(self.to_string()),
            Self::NotJpeg => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_jpeg",
                self.to_string(),
            ),
            Self::Body(_) => ApiError::bad_request(self.to_string()),
            Self::Io(e) => ApiError::internal("spooling the upload", e),
        }
    }
}

/// Streams `body` into a temporary file (deleted when dropped) of at most `limit` bytes;
/// with `jpeg`, the first bytes must be the JPEG signature.
pub async fn spool_body(
    state: &AppState,
    body: Body,
    limit: u64,
    jpeg: bool,
) -> Result<NamedTempFile, SpoolError> {
    std::fs::create_dir_all(&state.spool_dir)?;
    let temp = NamedTempFile::new_in(&state.spool_dir)?;
    let mut file = tokio::fs::File::from_std(temp.reopen()?);
    let mut stream = body.into_data_stream();
    let mut written: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(3);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| SpoolError::Body(e.to_string()))?;
        written += chunk.len() as u64;
        if written > limit {
            return Err(SpoolError::TooLarge(limit));
        }
        if jpeg && head.len() < JPEG_MAGIC.len() {
            let take = (JPEG_MAGIC.len() - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if !JPEG_MAGIC.starts_with(&head) {
                return Err(SpoolError::NotJpeg);
            }
        }
        file.write_all(&chunk).await?;
    }
    if written == 0 {
        return Err(SpoolError::Empty);
    }
    if jpeg && head.len() < JPEG_MAGIC.len() {
        return Err(SpoolError::NotJpeg);
    }
    file.flush().await?;
    file.sync_all().await?;
    Ok(temp)
}

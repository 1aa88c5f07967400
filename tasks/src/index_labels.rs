//! IndexLabels: records the photo's size, SHA-256 and CRC-32 (read as a stream) and
//! counts its labels in the index, idempotently: a redelivered event, a concurrent
//! duplicate execution, or the same bytes under another key change no count.

use crate::detect_labels;
use crate::error::StepError;
use crate::object_ref::{INDEXED_TAG, PhotoRef};
use pam_core::ports::index::{Indexed, LabelIndex, PhotoLabel, PhotoRecord, Recorded};
use pam_core::ports::store::{GetOptions, PhotoStore, StoreError};
use pam_core::{Label, PhotoKey, Sha256};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use tokio::io::AsyncReadExt;

/// The user-metadata entry holding the original file name (percent-encoded UTF-8).
pub const FILE_NAME_METADATA: &str = "file-name";

/// The step's input is DetectLabels' output.
pub type Input = detect_labels::Output;

/// What happened to the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Its labels were counted now.
    Indexed,
    /// It had been counted before (redelivery).
    AlreadyIndexed,
    /// Its bytes are another photo's; counted once, under that photo.
    Duplicate,
}

/// The step's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// The photo.
    #[serde(flatten)]
    pub photo: PhotoRef,
    /// What happened.
    pub outcome: Outcome,
    /// The photo these bytes were first recorded as, for duplicates.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub duplicate_of: Option<PhotoKey>,
    /// Number of labels counted now.
    pub labels: usize,
}

/// Percent-decodes `%XX` sequences; returns the input unchanged if that is not UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Size, SHA-256 and CRC-32 of the object, read as a stream; plus its file name.
async fn fingerprint(store: &dyn PhotoStore, photo: &PhotoRef) -> Result<PhotoRecord, StoreError> {
    let mut got = store
        .get(
            &photo.bucket,
            photo.key.as_object_key(),
            GetOptions::default(),
        )
        .await?;
    let mut sha = sha2::Sha256::new();
    let mut crc = crc32fast::Hasher::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = got
            .body
            .read(&mut buf)
            .await
            .map_err(|e| StoreError::Transient {
                store: "stream",
                source: Box::new(e),
            })?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        crc.update(&buf[..n]);
        size += n as u64;
    }
    let file_name = got
        .meta
        .metadata
        .get(FILE_NAME_METADATA)
        .map(|n| percent_decode(n))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| photo.key.as_object_key().file_name().to_owned());
    Ok(PhotoRecord {
        key: photo.key.clone(),
        file_name,
        size,
        sha256: Sha256::from_digest(sha.finalize().into()),
        crc32: crc.finalize(),
    })
}

/// Whether Archive already tagged the photo as handled.
async fn handled(store: &dyn PhotoStore, photo: &PhotoRef) -> Result<bool, StepError> {
    let tags = store
        .get_tags(&photo.bucket, photo.key.as_object_key())
        .await?;
    Ok(tags.get(INDEXED_TAG) == Some("true"))
}

fn already(photo: PhotoRef) -> Output {
    Output {
        photo,
        outcome: Outcome::AlreadyIndexed,
        duplicate_of: None,
        labels: 0,
    }
}

/// Runs IndexLabels.
pub async fn step(
    input: Input,
    store: &dyn PhotoStore,
    index: &dyn LabelIndex,
) -> Result<Output, StepError> {
    let photo = input.photo;
    let indexed = |entry: Option<pam_core::ports::index::PhotoEntry>| {
        entry.is_some_and(|e| e.indexed_at.is_some())
    };
    if input.already_indexed || indexed(index.photo(&photo.key).await?) {
        return Ok(already(photo));
    }
    let record = match fingerprint(store, &photo).await {
        Ok(record) => record,
        // Archived since DetectLabels: only a finished concurrent delivery does that
        // (Archive tags the photo after IndexLabels handled it, duplicates included).
        Err(StoreError::InvalidObjectState { .. }) if handled(store, &photo).await? => {
            return Ok(already(photo));
        }
        Err(e) => return Err(e.into()),
    };
    match index.record_photo(&record).await? {
        Recorded::DuplicateOf(original) => {
            tracing::info!(key = %photo.key, original = %original, "same bytes as an existing photo");
            return Ok(Output {
                photo,
                outcome: Outcome::Duplicate,
                duplicate_of: Some(original),
                labels: 0,
            });
        }
        Recorded::New | Recorded::AlreadyRecorded => {}
    }
    let labels: Vec<PhotoLabel> = input
        .labels
        .iter()
        .map(|l| PhotoLabel {
            name: l.name.clone(),
            confidence: l.confidence,
            parents: l
                .parents
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<Label>>(),
        })
        .collect();
    let outcome = match index.index_labels(&photo.key, &labels).await? {
        Indexed::Newly => Outcome::Indexed,
        Indexed::Already => Outcome::AlreadyIndexed,
    };
    let counted = if outcome == Outcome::Indexed {
        labels.len()
    } else {
        0
    };
    Ok(Output {
        photo,
        outcome,
        duplicate_of: None,
        labels: counted,
    })
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_file_names() {
        assert_eq!(
            percent_decode("Caf%C3%A9%20du%20port.jpg"),
            "Café du port.jpg"
        );
        assert_eq!(percent_decode("100%.jpg"), "100%.jpg");
        assert_eq!(percent_decode("%FF.jpg"), "%FF.jpg");
    }
}

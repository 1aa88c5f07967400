//! ReadEvent: turns the bucket and key of an S3 "Object Created" event (EventBridge
//! shape, also what the local outbox emits) into the photo reference the labelling
//! steps take.
//!
//! # Keys in S3 events are URL-encoded
//! S3 event notifications carry the key form-URL-encoded (`red flower.jpg` arrives as
//! `red+flower.jpg`). The EventBridge variant's documentation does not say so either
//! way, but AWS's own event libraries (Powertools for Python's
//! `S3EventBridgeNotificationObject.key`) decode it with `unquote_plus`, so this step
//! decodes too: `+` → space, then `%XX` escapes. The decoded key is checked with a
//! HEAD; if it does not exist but the key as sent does (the local outbox sends keys
//! unencoded), that one is used, so a literal `+` or `%` in a key works in both worlds.
//!
//! Only `.jpg` / `.jpeg` files, in any letter case, are photos; anything else fails
//! with `Pam.NotAJpeg` before any step reads it. DetectLabels still checks the content.

use crate::error::StepError;
use crate::object_ref::PhotoRef;
use pam_core::ports::store::{PhotoStore, StoreError};
use pam_core::{BucketName, PhotoKey};
use serde::{Deserialize, Serialize};

/// The step's input: the event's bucket name and (encoded) key.
#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    /// `detail.bucket.name` and `detail.object.key`, as sent.
    pub photo: RawRef,
}

/// Bucket and key exactly as the event carried them.
#[derive(Debug, Clone, Deserialize)]
pub struct RawRef {
    /// Bucket name.
    pub bucket: String,
    /// Object key, possibly URL-encoded.
    pub key: String,
}

/// The step's output: the photo, ready for DetectLabels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The photo.
    pub photo: PhotoRef,
}

/// Form-URL-decodes an S3 event key: `+` is a space, `%XX` a byte; the result must be
/// UTF-8. `None` when the text is not a valid encoding.
pub fn decode_event_key(raw: &str) -> Option<String> {
    let spaced = raw.replace('+', " ");
    let bytes = spaced.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = spaced.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a file name ends in `.jpg` or `.jpeg`, in any letter case.
pub fn has_jpeg_extension(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.ends_with(".jpg") || lower.ends_with(".jpeg")
}

fn photo_key(text: &str) -> Result<PhotoKey, StepError> {
    let key = PhotoKey::parse(text)
        .map_err(|e| StepError::InvalidInput(format!("event key {text:?}: {e}")))?;
    if !has_jpeg_extension(text) {
        return Err(StepError::NotAJpeg {
            key: text.to_owned(),
            reason: "the file name does not end in .jpg or .jpeg".into(),
        });
    }
    Ok(key)
}

/// Runs ReadEvent.
pub async fn step(input: Input, store: &dyn PhotoStore) -> Result<Output, StepError> {
    let bucket = BucketName::parse(&input.photo.bucket).map_err(|e| {
        StepError::InvalidInput(format!("event bucket {:?}: {e}", input.photo.bucket))
    })?;
    let raw = input.photo.key;
    let mut candidates = Vec::with_capacity(2);
    if let Some(decoded) = decode_event_key(&raw) {
        candidates.push(decoded);
    }
    if !candidates.contains(&raw) {
        candidates.push(raw.clone());
    }
    let mut first_error = None;
    for text in &candidates {
        let key = match photo_key(text) {
            Ok(key) => key,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        match store.head(&bucket, key.as_object_key()).await {
            Ok(_) => {
                return Ok(Output {
                    photo: PhotoRef { bucket, key },
                });
            }
            Err(StoreError::NotFound { .. }) => {
                first_error.get_or_insert(StepError::NotFound(format!("{bucket}/{text}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(first_error.unwrap_or_else(|| StepError::InvalidInput(format!("event key {raw:?}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_form_decoded() {
        assert_eq!(
            decode_event_key("photos/red+flower%281%29.JPG").as_deref(),
            Some("photos/red flower(1).JPG")
        );
        assert_eq!(
            decode_event_key("photos/c%2B%2B.jpeg").as_deref(),
            Some("photos/c++.jpeg")
        );
        assert_eq!(
            decode_event_key("photos/caf%C3%A9.jpg").as_deref(),
            Some("photos/café.jpg")
        );
        assert_eq!(decode_event_key("photos/100%.jpg"), None);
        assert_eq!(decode_event_key("photos/%FF.jpg"), None);
    }

    #[test]
    fn jpeg_extensions_in_any_case() {
        for ok in ["a.jpg", "a.JPG", "a.Jpeg", "a.JPEG"] {
            assert!(has_jpeg_extension(ok), "{ok}");
        }
        for bad in ["a.png", "a.jpg.txt", "jpg", "a.jpe"] {
            assert!(!has_jpeg_extension(bad), "{bad}");
        }
    }
}

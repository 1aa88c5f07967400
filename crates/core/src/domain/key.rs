//! Object keys. `ObjectKey` follows S3's key rules (so every adapter can store what any
//! other accepts) plus two of our own: no `..` segments and no control characters, which
//! keeps keys safe for file names, logs and zip entries. `PhotoKey` is an `ObjectKey`
//! under `photos/`, the prefix the labelling rule listens on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest key S3 accepts, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// The prefix under which photos live; object-created events there start labelling.
pub const PHOTO_PREFIX: &str = "photos/";

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The key is empty.
    #[error("object key is empty")]
    Empty,
    /// The key is longer than S3 allows.
    #[error("object key is {0} bytes; S3 allows at most {MAX_KEY_BYTES}")]
    TooLong(usize),
    /// The key contains a `..` segment.
    #[error("object key {0:?} contains a '..' segment")]
    DotDotSegment(String),
    /// The key contains a control character.
    #[error("object key contains control character U+{0:04X}")]
    ControlCharacter(u32),
    /// A photo key must live under `photos/`.
    #[error("photo key {0:?} is not under {PHOTO_PREFIX:?}")]
    NotAPhotoKey(String),
}

/// A validated S3 object key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Validates `key` against S3's rules and ours.
    pub fn parse(key: impl Into<String>) -> Result<Self, KeyError> {
        let key = key.into();
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(KeyError::TooLong(key.len()));
        }
        if let Some(c) = key.chars().find(|c| c.is_control()) {
            return Err(KeyError::ControlCharacter(c as u32));
        }
        if key.split('/').any(|segment| segment == "..") {
            return Err(KeyError::DotDotSegment(key));
        }
        Ok(Self(key))
    }

    /// The key as S3 sees it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last path segment (what a person would call the file name).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// Whether the key starts with `prefix`.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }
}

impl TryFrom<String> for ObjectKey {
    type Error = KeyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<ObjectKey> for String {
    fn from(key: ObjectKey) -> Self {
        key.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// An object key under `photos/` with something after the prefix.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoKey(ObjectKey);

impl PhotoKey {
    /// Validates `key` as an object key under `photos/`.
    pub fn parse(key: impl Into<String>) -> Result<Self, KeyError> {
        Self::try_from(ObjectKey::parse(key)?)
    }

    /// The key as S3 sees it.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The same key as a plain object key, for store calls.
    pub fn as_object_key(&self) -> &ObjectKey {
        &self.0
    }
}

impl TryFrom<ObjectKey> for PhotoKey {
    type Error = KeyError;
    fn try_from(key: ObjectKey) -> Result<Self, Self::Error> {
        if key.as_str().len() > PHOTO_PREFIX.len() && key.has_prefix(PHOTO_PREFIX) {
            Ok(Self(key))
        } else {
            Err(KeyError::NotAPhotoKey(key.0))
        }
    }
}

impl TryFrom<String> for PhotoKey {
    type Error = KeyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<PhotoKey> for String {
    fn from(key: PhotoKey) -> Self {
        key.0.0
    }
}

impl AsRef<ObjectKey> for PhotoKey {
    fn as_ref(&self) -> &ObjectKey {
        &self.0
    }
}

impl fmt::Display for PhotoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for PhotoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_keys() {
        let key = ObjectKey::parse("photos/2024/Beach Day.JPG").unwrap();
        assert_eq!(key.file_name(), "Beach Day.JPG");
        assert!(PhotoKey::parse("photos/a.jpg").is_ok());
        assert!(ObjectKey::parse("a/./b").is_ok(), "S3 allows '.' segments");
        assert!(ObjectKey::parse("naïve/ünïcödé.jpg").is_ok());
    }

    #[test]
    fn refuses_bad_keys_with_a_named_reason() {
        assert_eq!(ObjectKey::parse(""), Err(KeyError::Empty));
        assert!(matches!(
            ObjectKey::parse("a/../b"),
            Err(KeyError::DotDotSegment(_))
        ));
        assert!(matches!(
            ObjectKey::parse(".."),
            Err(KeyError::DotDotSegment(_))
        ));
        assert!(
            ObjectKey::parse("a..b/c..").is_ok(),
            "only whole '..' segments are refused"
        );
        assert_eq!(
            ObjectKey::parse("a\u{0}b"),
            Err(KeyError::ControlCharacter(0))
        );
        assert!(matches!(
            PhotoKey::parse("bundles/x.zip"),
            Err(KeyError::NotAPhotoKey(_))
        ));
        assert!(matches!(
            PhotoKey::parse("photos/"),
            Err(KeyError::NotAPhotoKey(_))
        ));
        assert!(matches!(
            PhotoKey::parse("Photos/a.jpg"),
            Err(KeyError::NotAPhotoKey(_))
        ));
    }

    #[test]
    fn length_is_counted_in_utf8_bytes() {
        let at_limit = format!("photos/{}", "a".repeat(MAX_KEY_BYTES - 7));
        assert!(PhotoKey::parse(at_limit).is_ok());
        // 'é' is two bytes: 512 of them make 1024 bytes, one more 'a' is too many.
        let two_byte = format!("{}a", "é".repeat(512));
        assert_eq!(ObjectKey::parse(two_byte), Err(KeyError::TooLong(1025)));
    }

    #[test]
    fn serde_validates() {
        let key: PhotoKey = serde_json::from_str("\"photos/x.jpg\"").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"photos/x.jpg\"");
        assert!(serde_json::from_str::<PhotoKey>("\"x.jpg\"").is_err());
        assert!(serde_json::from_str::<ObjectKey>("\"a/../b\"").is_err());
    }
}

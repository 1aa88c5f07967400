//! Object tags with S3's limits (at most 10; key 1–128 characters, value ≤ 256), so a
//! tag set the local store accepts is one S3 accepts too.

use std::collections::BTreeMap;

/// The most tags S3 allows on one object.
pub const MAX_TAGS: usize = 10;

/// Why a tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// More than [`MAX_TAGS`] tags.
    #[error("an object can carry at most {MAX_TAGS} tags")]
    TooMany,
    /// Key empty or longer than 128 characters.
    #[error("tag key {0:?} must be 1 to 128 characters")]
    BadKey(String),
    /// Value longer than 256 characters.
    #[error("value of tag {0:?} is longer than 256 characters")]
    BadValue(String),
}

/// A validated tag set, ordered by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(BTreeMap<String, String>);

impl Tags {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a set from pairs, validating each.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, TagError> {
        let mut tags = Self::new();
        for (k, v) in pairs {
            tags.insert(k, v)?;
        }
        Ok(tags)
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), TagError> {
        let (key, value) = (key.into(), value.into());
        if key.is_empty() || key.chars().count() > 128 {
            return Err(TagError::BadKey(key));
        }
        if value.chars().count() > 256 {
            return Err(TagError::BadValue(key));
        }
        if !self.0.contains_key(&key) && self.0.len() == MAX_TAGS {
            return Err(TagError::TooMany);
        }
        self.0.insert(key, value);
        Ok(())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// All tags, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_s3_limits() {
        let mut tags = Tags::new();
        for i in 0..MAX_TAGS {
            tags.insert(format!("k{i}"), "v").unwrap();
        }
        assert_eq!(tags.insert("k0", "replaced"), Ok(()));
        assert_eq!(tags.insert("k99", "v"), Err(TagError::TooMany));
        assert!(matches!(
            Tags::new().insert("", "v"),
            Err(TagError::BadKey(_))
        ));
        assert!(matches!(
            Tags::new().insert("k", "v".repeat(257)),
            Err(TagError::BadValue(_))
        ));
        assert_eq!(tags.get("k0"), Some("replaced"));
    }
}

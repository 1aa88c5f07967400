//! Bucket names, checked against S3's general-purpose bucket naming rules so that a
//! name that works locally also works on AWS.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a bucket name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid bucket name {name:?}: {reason}")]
pub struct BucketNameError {
    name: String,
    reason: &'static str,
}

/// A validated S3 bucket name.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BucketName(String);

impl BucketName {
    /// Validates `name`: 3–63 characters of `a-z 0-9 . -`, starting and ending with a
    /// letter or digit, no `..`, not shaped like an IP address, no reserved prefix/suffix.
    pub fn parse(name: impl Into<String>) -> Result<Self, BucketNameError> {
        let name = name.into();
        let fail = |reason| {
            Err(BucketNameError {
                name: name.clone(),
                reason,
            })
        };
        if !(3..=63).contains(&name.len()) {
            return fail("must be 3 to 63 characters long");
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            return fail("only lowercase letters, digits, '.' and '-' are allowed");
        }
        let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        if !edge_ok(name.as_bytes()[0]) || !edge_ok(name.as_bytes()[name.len() - 1]) {
            return fail("must start and end with a letter or digit");
        }
        if name.contains("..") {
            return fail("must not contain '..'");
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            return fail("must not look like an IP address");
        }
        if name.starts_with("xn--") || name.starts_with("sthree-") {
            return fail("uses a prefix S3 reserves");
        }
        if name.ends_with("-s3alias") || name.ends_with("--ol-s3") {
            return fail("uses a suffix S3 reserves");
        }
        Ok(Self(name))
    }

    /// The name as S3 sees it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BucketName {
    type Error = BucketNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<BucketName> for String {
    fn from(name: BucketName) -> Self {
        name.0
    }
}

impl fmt::Display for BucketName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BucketName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_names() {
        for name in ["pam-photos", "abc", "my.bucket.1", &"a".repeat(63)] {
            assert!(BucketName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_invalid_names() {
        for name in [
            "ab",
            &"a".repeat(64),
            "Photos",
            "-abc",
            "abc-",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            "abc-s3alias",
            "under_score",
        ] {
            assert!(BucketName::parse(name).is_err(), "{name}");
        }
        let err = BucketName::parse("UPPER").unwrap_err();
        assert!(err.to_string().contains("lowercase"), "{err}");
    }
}

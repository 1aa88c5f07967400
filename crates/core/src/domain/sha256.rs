//! SHA-256 digests as lowercase hex: how photos are identified by content (the same
//! bytes imported twice are one photo) and how bundle manifests prove integrity.

use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::fmt;

/// Why a digest string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 hex digest ({0}); expected 64 hex digits")]
pub struct Sha256Error(&'static str);

/// A SHA-256 digest, held as 64 lowercase hex digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256(String);

impl Sha256 {
    /// Parses 64 hex digits (either case; stored lowercase).
    pub fn parse(hex: impl AsRef<str>) -> Result<Self, Sha256Error> {
        let hex = hex.as_ref();
        if hex.len() != 64 {
            return Err(Sha256Error("wrong length"));
        }
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Sha256Error("non-hex character"));
        }
        Ok(Self(hex.to_ascii_lowercase()))
    }

    /// Wraps a finished digest.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        use fmt::Write;
        let mut hex = String::with_capacity(64);
        for byte in digest {
            let _ = write!(hex, "{byte:02x}");
        }
        Self(hex)
    }

    /// Digest of `bytes` (for small inputs; stream large ones through `sha2::Sha256`).
    pub fn of(bytes: &[u8]) -> Self {
        Self::from_digest(sha2::Sha256::digest(bytes).into())
    }

    /// The lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256 {
    type Error = Sha256Error;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Sha256> for String {
    fn from(digest: Sha256) -> Self {
        digest.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_known_input() {
        assert_eq!(
            Sha256::of(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn parses_and_normalises() {
        let upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
        assert_eq!(Sha256::parse(upper).unwrap(), Sha256::of(b"abc"));
        assert!(Sha256::parse("abc").is_err());
        assert!(Sha256::parse("g".repeat(64)).is_err());
    }
}

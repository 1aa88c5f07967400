//! What the caller knows about a photo before its bytes are read: size, CRC-32 and
//! SHA-256 recorded at import, labels, modification time. Knowing size and CRC up
//! front is what lets every local header carry them (no data descriptor).

use crate::error::{BundleError, Result};
use std::fmt;

/// A SHA-256 digest, held as 64 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sha256Digest(String);

impl Sha256Digest {
    /// Accepts 64 hex digits in either case.
    pub fn parse(hex: &str) -> Result<Self> {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(hex.to_ascii_lowercase()))
        } else {
            Err(BundleError::InvalidSha256(hex.to_owned()))
        }
    }

    /// From the 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The 64 lower-case hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A modification time in MS-DOS form (local-time-less, 2-second steps, 1980–2107),
/// which is what every zip reader shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModTime {
    pub(crate) date: u16,
    pub(crate) time: u16,
}

impl ModTime {
    /// 1980-01-01 00:00:00, the earliest time a zip can carry.
    pub const DOS_EPOCH: Self = Self {
        date: (1 << 5) | 1,
        time: 0,
    };

    /// From seconds since 1970 (UTC), clamped to the range a zip can carry.
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if y < 1980 {
            return Self::DOS_EPOCH;
        }
        if y > 2107 {
            return Self {
                date: (127 << 9) | (12 << 5) | 31,
                time: (23 << 11) | (59 << 5) | 29,
            };
        }
        let (h, min, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
        Self {
            date: (((y - 1980) as u16) << 9) | ((m as u16) << 5) | d as u16,
            time: ((h as u16) << 11) | ((min as u16) << 5) | (s as u16 / 2),
        }
    }
}

impl Default for ModTime {
    fn default() -> Self {
        Self::DOS_EPOCH
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Everything about one photo except its bytes.
#[derive(Debug, Clone)]
pub struct PhotoMeta {
    pub(crate) original_name: String,
    pub(crate) size: u64,
    pub(crate) crc32: u32,
    pub(crate) sha256: Sha256Digest,
    pub(crate) labels: Vec<String>,
    pub(crate) modified: ModTime,
}

impl PhotoMeta {
    /// A photo as recorded at import; its entry name is made from `original_name`.
    pub fn new(
        original_name: impl Into<String>,
        size: u64,
        crc32: u32,
        sha256: Sha256Digest,
    ) -> Self {
        Self {
            original_name: original_name.into(),
            size,
            crc32,
            sha256,
            labels: Vec::new(),
            modified: ModTime::DOS_EPOCH,
        }
    }

    /// Sets the labels listed in `manifest.csv`. They are joined with `;` there, so a
    /// label may not contain `;`, a control character, or be empty.
    pub fn with_labels<I, S>(mut self, labels: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.labels.clear();
        for label in labels {
            let label = label.into();
            let reason = if label.trim().is_empty() {
                Some("is empty")
            } else if label.contains(';') {
                Some("contains ';', the manifest's label separator")
            } else if label.chars().any(char::is_control) {
                Some("contains a control character")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(BundleError::InvalidLabel { label, reason });
            }
            self.labels.push(label);
        }
        Ok(self)
    }

    /// Sets the entry's modification time.
    pub fn with_modified(mut self, modified: ModTime) -> Self {
        self.modified = modified;
        self
    }

    /// Size in bytes recorded at import.
    pub fn size(&self) -> u64 {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_time_from_unix() {
        // 2024-02-29 13:45:58 UTC
        let t = ModTime::from_unix(1_709_214_358);
        assert_eq!(t.date, (44 << 9) | (2 << 5) | 29);
        assert_eq!(t.time, (13 << 11) | (45 << 5) | 29);
        assert_eq!(ModTime::from_unix(0), ModTime::DOS_EPOCH);
    }

    #[test]
    fn sha_and_labels_validate() {
        assert!(Sha256Digest::parse(&"A".repeat(64)).is_ok());
        assert!(matches!(
            Sha256Digest::parse("abc"),
            Err(BundleError::InvalidSha256(_))
        ));
        let sha = Sha256Digest::from_bytes([0xab; 32]);
        assert_eq!(sha.as_str(), "ab".repeat(32));
        let meta = PhotoMeta::new("a.jpg", 1, 0, sha);
        assert!(meta.clone().with_labels(["Beach", "Sea, \"calm\""]).is_ok());
        for bad in ["a;b", "", "x\ny"] {
            assert!(matches!(
                meta.clone().with_labels([bad]),
                Err(BundleError::InvalidLabel { .. })
            ));
        }
    }
}

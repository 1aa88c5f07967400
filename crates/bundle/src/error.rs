//! The one error type of the bundle writer. Callers branch on it: a changed photo
//! (`SizeMismatch`, `TooLong`, `CrcMismatch`) is worth a retry after re-reading the
//! photo's record; an I/O failure of the sink is not the photo's fault.

use std::io;

/// Everything that can go wrong while writing a bundle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The entry's reader ended before the size declared for it (the photo shrank).
    #[error("entry {name:?}: declared {declared} bytes but its reader ended after {actual}")]
    SizeMismatch {
        /// Entry name in the bundle.
        name: String,
        /// Size recorded at import.
        declared: u64,
        /// Bytes the reader gave.
        actual: u64,
    },
    /// The entry's reader gave more bytes than declared (the photo grew).
    #[error("entry {name:?}: reader gave more than the {declared} bytes declared")]
    TooLong {
        /// Entry name in the bundle.
        name: String,
        /// Size recorded at import.
        declared: u64,
    },
    /// The bytes streamed do not have the CRC-32 recorded at import (the photo changed).
    #[error(
        "entry {name:?}: CRC-32 {actual:08x} of the bytes read differs from {declared:08x} recorded"
    )]
    CrcMismatch {
        /// Entry name in the bundle.
        name: String,
        /// CRC-32 recorded at import.
        declared: u32,
        /// CRC-32 of the bytes actually read.
        actual: u32,
    },
    /// Reading an entry's bytes failed.
    #[error("reading entry {name:?}: {source}")]
    Read {
        /// Entry name in the bundle.
        name: String,
        /// The reader's error.
        source: io::Error,
    },
    /// Writing to the bundle's sink failed.
    #[error("writing the bundle: {0}")]
    Write(#[source] io::Error),
    /// Opening or closing a part's sink failed.
    #[error("part {part}: {source}")]
    Part {
        /// 1-based part number.
        part: u32,
        /// The factory's error.
        source: io::Error,
    },
    /// The manifest's scratch file failed.
    #[error("manifest.csv scratch file: {0}")]
    Manifest(#[source] io::Error),
    /// A label cannot go in `manifest.csv` as given.
    #[error("label {label:?}: {reason}")]
    InvalidLabel {
        /// The label as given.
        label: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A SHA-256 digest was not 64 hex digits.
    #[error("sha256 {0:?} is not 64 hexadecimal digits")]
    InvalidSha256(String),
    /// An entry name that was meant to be safe already is not.
    #[error("entry name {name:?} is not safe: {reason}")]
    UnsafeName {
        /// The name as given.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A maximum part size too small to hold even the zip's fixed records.
    #[error("maximum part size {0} is below the minimum of {min}", min = crate::MIN_PART_SIZE)]
    PartSizeTooSmall(u64),
    /// A previous error left the zip incomplete; the writer refuses further use.
    #[error("the bundle writer failed earlier; its output is incomplete and must be discarded")]
    Poisoned,
}

/// Result alias for the crate.
pub type Result<T, E = BundleError> = std::result::Result<T, E>;

//! Photo bundles as zip files, streamed with constant memory.
//!
//! A bundle is one or more zips of STORED entries (JPEG does not deflate), each with
//! a `manifest.csv` (name, sha256, size, labels) of the photos it holds. Every
//! photo's size and CRC-32 are known before its bytes are read (recorded at import),
//! so each local header carries them and no data descriptor is written: streaming
//! readers (Java's `ZipInputStream`, `stream-unzip`) read the entries as well as
//! central-directory readers do. Sizes and offsets that do not fit 32 bits get zip64
//! extra fields and a zip64 end of central directory. The bytes streamed are checked
//! against the declared size and CRC-32; a photo that changed under us fails with a
//! named error instead of a zip whose headers lie.
//!
//! Why not `async_zip` (0.0.18/0.0.19): its `write_entry_stream` always sets the
//! data-descriptor flag and writes a descriptor with 4-byte sizes even for zip64
//! entries (streaming readers reject them), and has no way to pass a known size and
//! CRC; `write_entry_whole` takes the whole entry as a `&[u8]`, i.e. buffered in
//! memory. The records needed here are few and documented in PKWARE's APPNOTE, so
//! this crate writes them itself (the record encoding is ~200 lines).
//!
//! Memory: a 512 KiB copy buffer (plus a page and 256 bytes so the data stays
//! page-aligned with the local header just before it) and a 64 KiB manifest write
//! buffer, plus what grows per entry: the encoded central directory record (46 bytes
//! plus the name, plus up to 28 for zip64, kept until the part is finished) and 16 bytes of
//! name-uniqueness hash: about 100 bytes an entry for typical names, ~0.7 MB for
//! 7,000 photos. The manifest rows go to a temporary file, not memory. Measured by
//! `pam bench bundle`: peak RSS 4–6 MiB for a 1 GiB bundle of ~7,000 photos.
//!
//! # Layout
//! - [`name`]: safe, unique entry names from original file names.
//! - [`meta`]: what is known of a photo before reading it ([`PhotoMeta`]).
//! - `record`: byte encoding of the zip records.
//! - [`zip`]: [`ZipWriter`], one zip over any `AsyncWrite`; entries from an
//!   `AsyncRead` ([`ZipWriter::add_entry`]) or pushed ([`ZipWriter::begin_entry`]).
//! - `manifest`: `manifest.csv` spooled to a temporary file.
//! - [`bundle`]: [`BundleWriter`], photos into numbered parts with manifests.
//! - [`parts`]: [`FileParts`], parts as files published by rename.
#![warn(missing_docs)]

pub mod bundle;
mod error;
mod manifest;
pub mod meta;
pub mod name;
pub mod parts;
mod record;
pub mod zip;

pub use bundle::{AddedPhoto, BundleOptions, BundleWriter, MIN_PART_SIZE, PartSinks, PartSummary};
pub use error::{BundleError, Result};
pub use manifest::MANIFEST_NAME;
pub use meta::{ModTime, PhotoMeta, Sha256Digest};
pub use name::{EntryName, MAX_NAME_BYTES, NameSet};
pub use parts::FileParts;
pub use zip::{EntryHeader, ZipWriter};

//! `manifest.csv`: one row per photo in a part (name, sha256, size, labels), spooled
//! to an anonymous temporary file as entries are written, with its size and CRC-32
//! kept as rows are appended, so the manifest entry too has its header known up
//! front and memory does not grow with the number of rows.

use crate::error::{BundleError, Result};
use crate::meta::{ModTime, PhotoMeta};
use crate::name::EntryName;
use crate::zip::EntryHeader;
use std::io::SeekFrom;
use std::path::Path;
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};

/// The manifest's entry name.
pub const MANIFEST_NAME: &str = "manifest.csv";
const HEADER_ROW: [&str; 4] = ["name", "sha256", "size", "labels"];

/// Encodes rows as RFC 4180 CSV (quoted only where needed, CRLF line ends).
struct RowEncoder {
    builder: csv::WriterBuilder,
}

impl RowEncoder {
    fn new() -> Self {
        let mut builder = csv::WriterBuilder::new();
        builder.terminator(csv::Terminator::CRLF);
        Self { builder }
    }

    /// The bytes of one row.
    fn encode(&mut self, fields: [&str; 4]) -> Vec<u8> {
        let mut csv = self.builder.from_writer(Vec::with_capacity(256));
        // Writing to a Vec cannot fail.
        csv.write_record(fields).expect("csv into memory");
        csv.into_inner().expect("csv into memory")
    }
}

/// The manifest of one part while it is being written.
pub(crate) struct ManifestSpool {
    file: BufWriter<tokio::fs::File>,
    hasher: crc32fast::Hasher,
    len: u64,
    encoder: RowEncoder,
}

impl ManifestSpool {
    /// A spool in `dir` (the system temporary folder when `None`), holding the header row.
    pub(crate) async fn create(dir: Option<&Path>) -> Result<Self> {
        let file = match dir {
            Some(dir) => tempfile::tempfile_in(dir),
            None => tempfile::tempfile(),
        }
        .map_err(BundleError::Manifest)?;
        let mut spool = Self {
            file: BufWriter::with_capacity(64 * 1024, tokio::fs::File::from_std(file)),
            hasher: crc32fast::Hasher::new(),
            len: 0,
            encoder: RowEncoder::new(),
        };
        let header = spool.encoder.encode(HEADER_ROW);
        spool.append(&header).await?;
        Ok(spool)
    }

    /// The row `photo` would add, stored under `name`.
    pub(crate) fn row(&mut self, name: &EntryName, photo: &PhotoMeta) -> Vec<u8> {
        let size = photo.size.to_string();
        let labels = photo.labels.join(";");
        self.encoder
            .encode([name.as_str(), photo.sha256.as_str(), &size, &labels])
    }

    /// Appends an encoded row.
    pub(crate) async fn append(&mut self, row: &[u8]) -> Result<()> {
        self.file
            .write_all(row)
            .await
            .map_err(BundleError::Manifest)?;
        self.hasher.update(row);
        self.len += row.len() as u64;
        Ok(())
    }

    /// Bytes so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The entry header and a reader over the finished manifest.
    pub(crate) async fn finish(
        mut self,
        modified: ModTime,
    ) -> Result<(EntryHeader, tokio::fs::File)> {
        self.file.flush().await.map_err(BundleError::Manifest)?;
        let mut file = self.file.into_inner();
        file.seek(SeekFrom::Start(0))
            .await
            .map_err(BundleError::Manifest)?;
        let header = EntryHeader {
            size: self.len,
            crc32: self.hasher.finalize(),
            modified,
        };
        Ok((header, file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Sha256Digest;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn rows_are_quoted_and_size_and_crc_match_the_bytes() {
        let mut spool = ManifestSpool::create(None).await.unwrap();
        let sha = Sha256Digest::from_bytes([1; 32]);
        let photo = PhotoMeta::new("x", 12, 0, sha.clone())
            .with_labels(["Sea, \"calm\"", "Beach"])
            .unwrap();
        let name = EntryName::parse("a, b.jpg").unwrap();
        let row = spool.row(&name, &photo);
        spool.append(&row).await.unwrap();
        let (header, mut file) = spool.finish(ModTime::DOS_EPOCH).await.unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).await.unwrap();
        let want = format!(
            "name,sha256,size,labels\r\n\"a, b.jpg\",{sha},12,\"Sea, \"\"calm\"\";Beach\"\r\n"
        );
        assert_eq!(text, want);
        assert_eq!(header.size, want.len() as u64);
        assert_eq!(header.crc32, crc32fast::hash(want.as_bytes()));
    }
}

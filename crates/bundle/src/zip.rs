//! [`ZipWriter`]: one zip over any `AsyncWrite`, entries streamed in order.
//!
//! Each entry is written as local header (with the real size and CRC-32, given up
//! front) followed by the bytes, copied through one fixed buffer while their CRC-32
//! is computed; a reader that ends early, runs long or yields another CRC fails the
//! entry with a named error and poisons the writer, so a zip whose headers lie is
//! never finished. Memory: the buffer, plus the central directory, kept encoded
//! (46 bytes + name per entry, + up to 28 for zip64) until [`ZipWriter::finish`].

use crate::error::{BundleError, Result};
use crate::meta::ModTime;
use crate::name::EntryName;
use crate::record::{self, EntryRecord};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Copy buffer size: large enough that per-read overheads vanish next to the copy.
const COPY_BUF: usize = 512 * 1024;

/// What one entry is declared to be before its bytes are read.
#[derive(Debug, Clone, Copy)]
pub struct EntryHeader {
    /// Size in bytes.
    pub size: u64,
    /// CRC-32 (IEEE) of the bytes.
    pub crc32: u32,
    /// Modification time shown by readers.
    pub modified: ModTime,
}

/// A streaming zip writer of STORED entries (see the module doc).
pub struct ZipWriter<W> {
    sink: W,
    /// Bytes written to the sink so far.
    offset: u64,
    central: Vec<u8>,
    entries: u64,
    buf: Box<[u8]>,
    poisoned: bool,
}

impl<W: AsyncWrite + Unpin> ZipWriter<W> {
    /// A writer whose zip starts at the sink's current position.
    pub fn new(sink: W) -> Self {
        Self {
            sink,
            offset: 0,
            central: Vec::new(),
            entries: 0,
            buf: vec![0; COPY_BUF].into_boxed_slice(),
            poisoned: false,
        }
    }

    /// Bytes written so far (local headers and entry data).
    pub fn bytes_written(&self) -> u64 {
        self.offset
    }

    /// Bytes the central directory will take, as of now.
    pub fn central_len(&self) -> u64 {
        self.central.len() as u64
    }

    /// Entries written so far.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Writes one entry: its local header, then exactly `header.size` bytes of
    /// `reader`, checked against `header.crc32`. On a mismatch nothing more can be
    /// written: the sink holds an incomplete zip that the caller must discard.
    pub async fn add_entry<R: AsyncRead + Unpin>(
        &mut self,
        name: &EntryName,
        header: EntryHeader,
        reader: R,
    ) -> Result<()> {
        if self.poisoned {
            return Err(BundleError::Poisoned);
        }
        self.poisoned = true;
        let rec = EntryRecord {
            name: name.as_str(),
            size: header.size,
            crc32: header.crc32,
            modified: header.modified,
            offset: self.offset,
        };
        let mut local = Vec::with_capacity(record::local_header_len(rec.name, rec.size) as usize);
        record::local_header(&mut local, &rec);
        self.sink
            .write_all(&local)
            .await
            .map_err(BundleError::Write)?;
        copy_verified(&mut self.sink, &mut self.buf, name.as_str(), header, reader).await?;
        self.offset += local.len() as u64 + header.size;
        record::central_header(&mut self.central, &rec);
        self.entries += 1;
        self.poisoned = false;
        tracing::trace!(name = rec.name, size = rec.size, "zip entry written");
        Ok(())
    }

    /// Writes the central directory and end records, flushes and shuts the sink down;
    /// returns the sink and the zip's total size.
    pub async fn finish(mut self) -> Result<(W, u64)> {
        if self.poisoned {
            return Err(BundleError::Poisoned);
        }
        let cd_offset = self.offset;
        let cd_size = self.central.len() as u64;
        let end = record::end_records(self.entries, cd_offset, cd_size);
        self.sink
            .write_all(&self.central)
            .await
            .map_err(BundleError::Write)?;
        self.sink
            .write_all(&end)
            .await
            .map_err(BundleError::Write)?;
        self.sink.flush().await.map_err(BundleError::Write)?;
        self.sink.shutdown().await.map_err(BundleError::Write)?;
        Ok((self.sink, cd_offset + cd_size + end.len() as u64))
    }
}

/// Copies exactly `header.size` bytes from `reader` to `sink`, then checks that the
/// reader has nothing more and that the CRC-32 matches.
async fn copy_verified<W, R>(
    sink: &mut W,
    buf: &mut [u8],
    name: &str,
    header: EntryHeader,
    mut reader: R,
) -> Result<()>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    let read_err = |source| BundleError::Read {
        name: name.to_owned(),
        source,
    };
    let mut hasher = crc32fast::Hasher::new();
    let mut remaining = header.size;
    while remaining > 0 {
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = reader.read(&mut buf[..want]).await.map_err(read_err)?;
        if n == 0 {
            return Err(BundleError::SizeMismatch {
                name: name.to_owned(),
                declared: header.size,
                actual: header.size - remaining,
            });
        }
        hasher.update(&buf[..n]);
        sink.write_all(&buf[..n])
            .await
            .map_err(BundleError::Write)?;
        remaining -= n as u64;
    }
    if reader.read(&mut buf[..1]).await.map_err(read_err)? != 0 {
        return Err(BundleError::TooLong {
            name: name.to_owned(),
            declared: header.size,
        });
    }
    let actual = hasher.finalize();
    if actual != header.crc32 {
        return Err(BundleError::CrcMismatch {
            name: name.to_owned(),
            declared: header.crc32,
            actual,
        });
    }
    Ok(())
}

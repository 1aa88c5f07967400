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
use std::io::{self, IoSlice};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Copy buffer size: large enough that per-read overheads vanish next to the copy.
const COPY_BUF: usize = 512 * 1024;
/// Room before the data in the copy buffer for a local header, so the header rides
/// with the first chunk while the data itself stays page-aligned (the kernel copies
/// into and out of an aligned buffer measurably faster).
const HEAD_ROOM: usize = 256;
const PAGE: usize = 4096;
const _: () = assert!(record::LOCAL_FIXED as usize + crate::name::MAX_NAME_BYTES + 20 <= HEAD_ROOM);

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
    /// Where the window `HEAD_ROOM + COPY_BUF` whose data part is page-aligned starts in `buf`.
    window: usize,
    poisoned: bool,
}

impl<W: AsyncWrite + Unpin> ZipWriter<W> {
    /// A writer whose zip starts at the sink's current position.
    pub fn new(sink: W) -> Self {
        let buf = vec![0; PAGE + HEAD_ROOM + COPY_BUF].into_boxed_slice();
        let addr = buf.as_ptr() as usize;
        let window = (addr + HEAD_ROOM).next_multiple_of(PAGE) - HEAD_ROOM - addr;
        Self {
            sink,
            offset: 0,
            central: Vec::new(),
            entries: 0,
            buf,
            window,
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
        mut reader: R,
    ) -> Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        let at = self.window;
        let mut entry = self.begin_entry(name, header)?;
        let window = &mut buf[at..at + HEAD_ROOM + COPY_BUF];
        let result = match fill_from(&mut entry, window, &mut reader).await {
            Ok(()) => entry.finish().await,
            Err(e) => Err(e),
        };
        self.buf = buf;
        result
    }

    /// Starts an entry whose bytes the caller pushes with [`EntryWriter::write`];
    /// the same checks apply at [`EntryWriter::finish`]. An entry writer dropped
    /// unfinished leaves this writer spent.
    pub fn begin_entry(
        &mut self,
        name: &EntryName,
        header: EntryHeader,
    ) -> Result<EntryWriter<'_, W>> {
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
        let mut head = Vec::with_capacity(record::local_header_len(rec.name, rec.size) as usize);
        record::local_header(&mut head, &rec);
        let mut central = Vec::new();
        record::central_header(&mut central, &rec);
        Ok(EntryWriter {
            zip: self,
            name: name.as_str().to_owned(),
            header,
            head,
            central,
            remaining: header.size,
            hasher: crc32fast::Hasher::new(),
        })
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

/// Reads the entry's declared bytes through `buf` into `entry`, the local header
/// riding with the first chunk (one write, not two), then checks the reader is done.
async fn fill_from<W, R>(
    entry: &mut EntryWriter<'_, W>,
    buf: &mut [u8],
    reader: &mut R,
) -> Result<()>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    if entry.head.len() > HEAD_ROOM {
        entry.write(&[]).await?; // cannot happen with a bounded EntryName; stay correct anyway
    }
    let head = std::mem::take(&mut entry.head);
    let mut start = HEAD_ROOM - head.len();
    buf[start..HEAD_ROOM].copy_from_slice(&head);
    let (mut filled, mut skip) = (HEAD_ROOM, head.len());
    let name = entry.name.clone();
    let read_err = |source| BundleError::Read {
        name: name.clone(),
        source,
    };
    loop {
        let unread = entry.remaining - (filled - HEAD_ROOM) as u64;
        if unread == 0 {
            break;
        }
        if filled == buf.len() {
            entry.write_data(&buf[start..filled], skip).await?;
            (start, filled, skip) = (HEAD_ROOM, HEAD_ROOM, 0);
            continue;
        }
        let room = unread.min((buf.len() - filled) as u64) as usize;
        let n = reader
            .read(&mut buf[filled..filled + room])
            .await
            .map_err(read_err)?;
        if n == 0 {
            return Err(BundleError::SizeMismatch {
                name: entry.name.clone(),
                declared: entry.header.size,
                actual: entry.header.size - unread,
            });
        }
        filled += n;
    }
    let mut probe = [0u8; 1];
    if reader.read(&mut probe).await.map_err(read_err)? != 0 {
        return Err(entry.too_long());
    }
    entry.write_data(&buf[start..filled], skip).await
}

/// One entry being written by pushing its bytes (see [`ZipWriter::begin_entry`]).
pub struct EntryWriter<'a, W> {
    zip: &'a mut ZipWriter<W>,
    name: String,
    header: EntryHeader,
    /// The local header, until it is written.
    head: Vec<u8>,
    central: Vec<u8>,
    remaining: u64,
    hasher: crc32fast::Hasher,
}

impl<W: AsyncWrite + Unpin> EntryWriter<'_, W> {
    /// Appends `chunk` to the entry's bytes.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        if self.head.is_empty() {
            return self.write_data(chunk, 0).await;
        }
        if chunk.len() as u64 > self.remaining {
            return Err(self.too_long());
        }
        // The local header goes out with the first chunk (one writev where the sink can).
        let head = std::mem::take(&mut self.head);
        self.hasher.update(chunk);
        let mut slices = [IoSlice::new(&head), IoSlice::new(chunk)];
        let mut pending = &mut slices[..];
        while !pending.is_empty() {
            let n = self
                .zip
                .sink
                .write_vectored(pending)
                .await
                .map_err(BundleError::Write)?;
            if n == 0 {
                return Err(BundleError::Write(io::ErrorKind::WriteZero.into()));
            }
            IoSlice::advance_slices(&mut pending, n);
        }
        self.zip.offset += (head.len() + chunk.len()) as u64;
        self.remaining -= chunk.len() as u64;
        Ok(())
    }

    /// Writes `bytes`, of which the first `skip` are header, not entry data.
    async fn write_data(&mut self, bytes: &[u8], skip: usize) -> Result<()> {
        let data = &bytes[skip..];
        if data.len() as u64 > self.remaining {
            return Err(self.too_long());
        }
        self.hasher.update(data);
        self.zip
            .sink
            .write_all(bytes)
            .await
            .map_err(BundleError::Write)?;
        self.zip.offset += bytes.len() as u64;
        self.remaining -= data.len() as u64;
        Ok(())
    }

    fn too_long(&self) -> BundleError {
        BundleError::TooLong {
            name: self.name.clone(),
            declared: self.header.size,
        }
    }

    /// Ends the entry: every declared byte must have come, with the declared CRC-32.
    pub async fn finish(mut self) -> Result<()> {
        if !self.head.is_empty() {
            self.write(&[]).await?;
        }
        if self.remaining > 0 {
            return Err(BundleError::SizeMismatch {
                name: self.name,
                declared: self.header.size,
                actual: self.header.size - self.remaining,
            });
        }
        let actual = self.hasher.clone().finalize();
        if actual != self.header.crc32 {
            return Err(BundleError::CrcMismatch {
                name: self.name,
                declared: self.header.crc32,
                actual,
            });
        }
        self.zip.central.extend_from_slice(&self.central);
        self.zip.entries += 1;
        self.zip.poisoned = false;
        tracing::trace!(
            name = self.name,
            size = self.header.size,
            "zip entry written"
        );
        Ok(())
    }
}

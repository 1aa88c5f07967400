//! [`BundleWriter`]: photos in, one or more complete zips out, each with its own
//! `manifest.csv`. When a maximum part size is set, a photo that would push the
//! current part past it (counting the central directory, the manifest and the end
//! records it will need) starts a new part; a photo larger than the maximum on its
//! own gets a part of its own, over the limit, with a warning, since an entry cannot
//! be split. The caller's [`PartSinks`] opens each part's sink (and may publish it on
//! close), so only one part is open at a time and memory stays constant.
//!
//! Names are unique across the whole bundle, not just within a part.

use crate::error::{BundleError, Result};
use crate::manifest::{MANIFEST_NAME, ManifestSpool};
use crate::meta::{ModTime, PhotoMeta};
use crate::name::{EntryName, NameSet};
use crate::record;
use crate::zip::{EntryHeader, ZipWriter};
use std::future::Future;
use std::io;
use std::path::PathBuf;
use tokio::io::{AsyncRead, AsyncWrite};

/// Slice size in which [`BundleWriter::add_bytes`] checksums and writes a photo.
const BYTES_CHUNK: usize = 256 * 1024;

/// Smallest maximum part size accepted: room for the fixed records and a manifest.
pub const MIN_PART_SIZE: u64 = 4096;

/// Where the parts of a bundle go.
pub trait PartSinks {
    /// One part's sink.
    type Sink: AsyncWrite + Unpin + Send;

    /// Opens the sink for part `part` (1-based, in order).
    fn open(&mut self, part: u32) -> impl Future<Output = io::Result<Self::Sink>> + Send;

    /// Called with the sink once part `part` is a complete, flushed zip: the place to
    /// sync and publish it. The default just drops it.
    fn close(
        &mut self,
        part: u32,
        sink: Self::Sink,
    ) -> impl Future<Output = io::Result<()>> + Send {
        let _ = (part, sink);
        std::future::ready(Ok(()))
    }
}

/// Settings of a [`BundleWriter`].
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// Largest size of one part in bytes; `None` writes a single zip however large.
    pub max_part_size: Option<u64>,
    /// Folder for the manifest's scratch file (the system temporary folder if `None`).
    pub spool_dir: Option<PathBuf>,
    /// Modification time given to `manifest.csv`.
    pub manifest_modified: ModTime,
}

/// Where a photo went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedPhoto {
    /// 1-based part number.
    pub part: u32,
    /// Its entry name (also its `name` in `manifest.csv`).
    pub name: EntryName,
}

/// One finished part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSummary {
    /// 1-based part number.
    pub part: u32,
    /// Size of the zip in bytes.
    pub size: u64,
    /// Photos in it (`manifest.csv` not counted).
    pub photos: u64,
}

/// Where an entry's bytes come from.
enum Source<'a, R> {
    Reader(R),
    Bytes(&'a [u8]),
}

struct OpenPart<W> {
    part: u32,
    zip: ZipWriter<W>,
    manifest: ManifestSpool,
    photos: u64,
}

impl<W: AsyncWrite + Unpin> OpenPart<W> {
    /// The part's final size if a photo of `size` bytes named `name`, with a
    /// manifest row of `row_len` bytes, were added (an upper bound).
    fn size_with(&self, name: &EntryName, size: u64, row_len: u64) -> u64 {
        let manifest_len = self.manifest.len() + row_len;
        let photo = record::local_header_len(name.as_str(), size)
            + size
            + record::CENTRAL_FIXED
            + name.as_str().len() as u64
            + record::ZIP64_EXTRA_MAX;
        let manifest = record::local_header_len(MANIFEST_NAME, manifest_len)
            + manifest_len
            + record::CENTRAL_FIXED
            + MANIFEST_NAME.len() as u64
            + record::ZIP64_EXTRA_MAX;
        self.zip.bytes_written() + self.zip.central_len() + photo + manifest + record::END_MAX
    }
}

/// Writes photos into one or more zips (see the module doc).
pub struct BundleWriter<P: PartSinks> {
    sinks: P,
    options: BundleOptions,
    names: NameSet,
    manifest_name: EntryName,
    current: Option<OpenPart<P::Sink>>,
    finished: Vec<PartSummary>,
    poisoned: bool,
}

impl<P: PartSinks> BundleWriter<P> {
    /// A writer that opens its first part on the first photo (or at finish).
    pub fn new(sinks: P, options: BundleOptions) -> Result<Self> {
        if let Some(max) = options.max_part_size
            && max < MIN_PART_SIZE
        {
            return Err(BundleError::PartSizeTooSmall(max));
        }
        let manifest_name = EntryName::parse(MANIFEST_NAME)?;
        let mut names = NameSet::new();
        names.reserve(&manifest_name);
        Ok(Self {
            sinks,
            options,
            names,
            manifest_name,
            current: None,
            finished: Vec::new(),
            poisoned: false,
        })
    }

    /// Streams one photo into the bundle. `reader` must yield exactly the size and
    /// CRC-32 in `photo`; if not, the error names the mismatch and the writer is
    /// spent (the part being written is incomplete and must be discarded).
    pub async fn add<R: AsyncRead + Unpin>(
        &mut self,
        photo: &PhotoMeta,
        reader: R,
    ) -> Result<AddedPhoto> {
        self.add_from(photo, Source::Reader(reader)).await
    }

    /// Like [`BundleWriter::add`], from bytes already in memory or mapped (e.g. a
    /// memory-mapped file): written straight from `bytes`, without the copy through
    /// the writer's buffer.
    pub async fn add_bytes(&mut self, photo: &PhotoMeta, bytes: &[u8]) -> Result<AddedPhoto> {
        self.add_from(photo, Source::<&[u8]>::Bytes(bytes)).await
    }

    async fn add_from<R: AsyncRead + Unpin>(
        &mut self,
        photo: &PhotoMeta,
        source: Source<'_, R>,
    ) -> Result<AddedPhoto> {
        if self.poisoned {
            return Err(BundleError::Poisoned);
        }
        self.poisoned = true;
        let name = self.names.assign(&photo.original_name);
        let mut part = match self.current.take() {
            Some(part) => part,
            None => self.open_part().await?,
        };
        let mut row = part.manifest.row(&name, photo);
        if let Some(max) = self.options.max_part_size {
            let projected = part.size_with(&name, photo.size, row.len() as u64);
            if projected > max && part.photos > 0 {
                self.close_part(part).await?;
                part = self.open_part().await?;
                row = part.manifest.row(&name, photo);
            } else if projected > max {
                tracing::warn!(
                    part = part.part,
                    size = photo.size,
                    max,
                    "photo alone exceeds the maximum part size"
                );
            }
        }
        let header = EntryHeader {
            size: photo.size,
            crc32: photo.crc32,
            modified: photo.modified,
        };
        match source {
            Source::Reader(reader) => part.zip.add_entry(&name, header, reader).await?,
            Source::Bytes(bytes) => {
                let mut entry = part.zip.begin_entry(&name, header)?;
                // In cache-sized slices: each is checksummed, then written while it is
                // still in the CPU cache, instead of the whole photo read twice from RAM.
                for chunk in bytes.chunks(BYTES_CHUNK) {
                    entry.write(chunk).await?;
                }
                entry.finish().await?;
            }
        }
        part.manifest.append(&row).await?;
        part.photos += 1;
        let added = AddedPhoto {
            part: part.part,
            name,
        };
        self.current = Some(part);
        self.poisoned = false;
        Ok(added)
    }

    /// Finishes the last part (an empty bundle is one zip holding only the manifest)
    /// and returns every part's summary, with the sinks' owner.
    pub async fn finish(mut self) -> Result<(Vec<PartSummary>, P)> {
        if self.poisoned {
            return Err(BundleError::Poisoned);
        }
        let part = match self.current.take() {
            Some(part) => Some(part),
            None if self.finished.is_empty() => Some(self.open_part().await?),
            None => None,
        };
        if let Some(part) = part {
            self.close_part(part).await?;
        }
        Ok((self.finished, self.sinks))
    }

    async fn open_part(&mut self) -> Result<OpenPart<P::Sink>> {
        let part = self.finished.len() as u32 + 1;
        let sink = self
            .sinks
            .open(part)
            .await
            .map_err(|source| BundleError::Part { part, source })?;
        let manifest = ManifestSpool::create(self.options.spool_dir.as_deref()).await?;
        tracing::debug!(part, "bundle part opened");
        Ok(OpenPart {
            part,
            zip: ZipWriter::new(sink),
            manifest,
            photos: 0,
        })
    }

    async fn close_part(&mut self, mut part: OpenPart<P::Sink>) -> Result<()> {
        let (header, file) = part.manifest.finish(self.options.manifest_modified).await?;
        part.zip
            .add_entry(&self.manifest_name, header, file)
            .await?;
        let (sink, size) = part.zip.finish().await?;
        let number = part.part;
        self.sinks
            .close(number, sink)
            .await
            .map_err(|source| BundleError::Part {
                part: number,
                source,
            })?;
        tracing::debug!(
            part = number,
            size,
            photos = part.photos,
            "bundle part finished"
        );
        self.finished.push(PartSummary {
            part: number,
            size,
            photos: part.photos,
        });
        Ok(())
    }
}

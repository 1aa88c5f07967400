//! The child half of `pam bench bundle`: streams the photo list into one zip in a
//! process of its own, so its peak RSS is the bundle's alone, and reports it.

use super::Via;
use super::list::parse_line;
use anyhow::{Context, Result};
use pam_bundle::{BundleOptions, BundleWriter, PartSinks, PhotoMeta, Sha256Digest};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// The one-file sink of the child: no rename, no fsync, like `cat > file`.
struct OneFile(PathBuf, Via);

impl PartSinks for OneFile {
    type Sink = Box<dyn tokio::io::AsyncWrite + Unpin + Send>;

    async fn open(&mut self, _part: u32) -> std::io::Result<Self::Sink> {
        Ok(match self.1 {
            Via::Direct | Via::Mmap => Box::new(Direct(std::fs::File::create(&self.0)?)),
            Via::Tokio => Box::new(tokio::fs::File::create(&self.0).await?),
        })
    }
}

/// Plain blocking file I/O behind the async traits. The child's runtime runs
/// nothing else, so a read or write of the page cache done in place costs what `cat`'s does,
/// where `tokio::fs` would hand each one to a pool thread and back.
struct Direct<F>(F);

impl<F: Read + Unpin> tokio::io::AsyncRead for Direct<F> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = self.0.read(buf.initialize_unfilled())?;
        buf.advance(n);
        std::task::Poll::Ready(Ok(()))
    }
}

impl<F: Write + Unpin> tokio::io::AsyncWrite for Direct<F> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(self.0.write(buf))
    }
    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(self.0.write_vectored(bufs))
    }
    fn is_write_vectored(&self) -> bool {
        true
    }
    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.0.flush())
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// The child: streams the list (read line by line, never held whole) into one zip,
/// then prints `vm_hwm_kib=…`.
pub(super) fn run_child(list: &Path, out: &Path, via: Via) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut writer =
            BundleWriter::new(OneFile(out.to_path_buf(), via), BundleOptions::default())?;
        for line in BufReader::new(std::fs::File::open(list)?).lines() {
            let l = parse_line(&line?)?;
            let meta = PhotoMeta::new(l.name, l.size, l.crc32, Sha256Digest::parse(&l.sha256)?)
                .with_labels(["Bench"])?;
            match via {
                Via::Tokio => {
                    writer
                        .add(&meta, tokio::fs::File::open(&l.path).await?)
                        .await?
                }
                Via::Direct => {
                    writer
                        .add(&meta, Direct(std::fs::File::open(&l.path)?))
                        .await?
                }
                Via::Mmap => {
                    let file = std::fs::File::open(&l.path)?;
                    // SAFETY: the bench's photos are not modified while it runs; a file
                    // truncated under the mapping would fault rather than give wrong bytes.
                    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
                    writer.add_bytes(&meta, &map).await?
                }
            };
        }
        writer.finish().await?;
        anyhow::Ok(())
    })?;
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .context("no VmHWM in /proc/self/status")?;
    println!("vm_hwm_kib={hwm}");
    Ok(())
}

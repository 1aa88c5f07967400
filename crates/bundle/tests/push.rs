//! The push side: entries written chunk by chunk ([`ZipWriter::begin_entry`]) or
//! from bytes in memory ([`BundleWriter::add_bytes`]) read back byte-identical, and
//! get the same size and CRC checks as entries read from an `AsyncRead`.

mod common;

use common::*;
use pam_bundle::{
    BundleError, BundleOptions, BundleWriter, EntryHeader, EntryName, FileParts, ModTime, ZipWriter,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

fn header(bytes: &[u8]) -> EntryHeader {
    EntryHeader {
        size: bytes.len() as u64,
        crc32: crc32(bytes),
        modified: ModTime::DOS_EPOCH,
    }
}

#[tokio::test]
async fn pushed_chunks_and_bytes_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let a = noise(700_001, 1);
    let b = noise(12, 2);
    let fixtures = [
        fixture("a.jpg", a.clone(), &["A"]),
        fixture("b.jpg", b.clone(), &[]),
    ];
    let mut writer =
        BundleWriter::new(FileParts::new(dir.path(), "p"), BundleOptions::default()).unwrap();
    for f in &fixtures {
        writer.add_bytes(&f.meta, &f.bytes).await.unwrap();
    }
    let (parts, sinks) = writer.finish().await.unwrap();
    assert_eq!(parts[0].photos, 2);
    let expected = BTreeMap::from([
        ("a.jpg".to_owned(), a.clone()),
        ("b.jpg".to_owned(), b.clone()),
    ]);
    let rows: Vec<[String; 4]> = fixtures
        .iter()
        .map(|f| {
            let name = if f.bytes.len() == 12 {
                "b.jpg"
            } else {
                "a.jpg"
            };
            [
                name.to_owned(),
                hex(&Sha256::digest(&f.bytes)),
                f.bytes.len().to_string(),
                f.labels.join(";"),
            ]
        })
        .collect();
    check_with_all_readers(&sinks.published()[0], &expected, &rows);

    // Chunked pushes through the zip writer alone.
    let path = dir.path().join("chunks.zip");
    let mut zip = ZipWriter::new(tokio::fs::File::create(&path).await.unwrap());
    let mut entry = zip
        .begin_entry(&EntryName::parse("a.jpg").unwrap(), header(&a))
        .unwrap();
    for chunk in a.chunks(65_537) {
        entry.write(chunk).await.unwrap();
    }
    entry.finish().await.unwrap();
    zip.finish().await.unwrap();
    if have("python3", &["-c", "import zipfile"], "python3") {
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nsys.stdout.buffer.write(z.read('a.jpg'))";
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout == a,
            "python zipfile read of pushed chunks"
        );
    }
}

#[tokio::test]
async fn pushed_entries_are_checked() {
    let a = noise(1000, 1);
    let name = EntryName::parse("a.jpg").unwrap();
    // Too many bytes.
    let mut zip = ZipWriter::new(tokio::io::sink());
    let mut entry = zip.begin_entry(&name, header(&a[..999])).unwrap();
    assert!(matches!(
        entry.write(&a).await,
        Err(BundleError::TooLong { declared: 999, .. })
    ));
    // Too few.
    let mut zip = ZipWriter::new(tokio::io::sink());
    let mut entry = zip.begin_entry(&name, header(&a)).unwrap();
    entry.write(&a[..10]).await.unwrap();
    assert!(matches!(
        entry.finish().await,
        Err(BundleError::SizeMismatch { actual: 10, .. })
    ));
    assert!(matches!(
        zip.begin_entry(&name, header(&a)),
        Err(BundleError::Poisoned)
    ));
    // Other bytes.
    let mut zip = ZipWriter::new(tokio::io::sink());
    let mut entry = zip.begin_entry(&name, header(&a)).unwrap();
    entry.write(&noise(1000, 9)).await.unwrap();
    assert!(matches!(
        entry.finish().await,
        Err(BundleError::CrcMismatch { .. })
    ));
    // Dropped unfinished: spent.
    let mut zip = ZipWriter::new(tokio::io::sink());
    drop(zip.begin_entry(&name, header(&a)).unwrap());
    assert!(matches!(zip.finish().await, Err(BundleError::Poisoned)));
}

/// A reader that hands out at most `step` bytes a read, as sockets do.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl tokio::io::AsyncRead for Trickle<'_> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = self.step.min(buf.remaining()).min(self.bytes.len());
        buf.put_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn short_reads_fill_the_buffer_across_chunks() {
    // 1.3 MB in reads of 999 bytes: several buffer-fulls, a partial last one.
    let a = noise(1_300_000, 5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trickle.zip");
    let mut zip = ZipWriter::new(tokio::fs::File::create(&path).await.unwrap());
    let name = EntryName::parse("a.jpg").unwrap();
    zip.add_entry(
        &name,
        header(&a),
        Trickle {
            bytes: &a,
            step: 999,
        },
    )
    .await
    .unwrap();
    let b = noise(10, 6);
    zip.add_entry(
        &EntryName::parse("b.jpg").unwrap(),
        header(&b),
        Trickle { bytes: &b, step: 3 },
    )
    .await
    .unwrap();
    zip.finish().await.unwrap();
    let expected = BTreeMap::from([("a.jpg".to_owned(), a), ("b.jpg".to_owned(), b)]);
    let scratch = tempfile::tempdir().unwrap();
    if have("python3", &["-c", "import zipfile"], "python3") {
        run(std::process::Command::new("python3")
            .arg(tools_dir().join("zipfile_extract.py"))
            .arg(&path)
            .arg(scratch.path()));
        assert!(
            read_dir(scratch.path()) == expected,
            "trickled entries differ"
        );
    }
}

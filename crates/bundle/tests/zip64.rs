//! Zip64: an entry over 4 GiB (zeros from a generator whose CRC is known, into a
//! sparse file, so the test needs no disk to speak of and a few seconds), an entry
//! after it whose offset needs zip64, and a zip with more than 65,535 entries.
//! Checked by Python zipfile (sizes, CRCs, offsets, the zip64 end records), unzip
//! and Java's streaming ZipInputStream.

mod common;

use common::*;
use pam_bundle::{
    BundleOptions, BundleWriter, EntryHeader, EntryName, FileParts, ModTime, PhotoMeta,
    Sha256Digest, ZipWriter,
};
use std::io::{Seek, SeekFrom, Write};
use std::ops::Range;
use std::pin::Pin;
use std::process::Command;
use std::task::{Context, Poll};
use tokio::io::{AsyncReadExt, AsyncWrite};

/// A file sink that leaves a hole instead of writing the bytes in `hole` (the big
/// entry's zeros, which the writer has already checked against their CRC).
struct SparseSink {
    file: std::fs::File,
    pos: u64,
    hole: Range<u64>,
}

impl AsyncWrite for SparseSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let (start, end) = (this.pos, this.pos + buf.len() as u64);
        let mut i = 0;
        while i < buf.len() {
            let at = start + i as u64;
            let next = if this.hole.contains(&at) {
                this.hole.end.min(end)
            } else if at < this.hole.start {
                this.hole.start.min(end)
            } else {
                end
            };
            let n = (next - at) as usize;
            if this.hole.contains(&at) {
                this.file.seek(SeekFrom::Current(n as i64))?;
            } else {
                this.file.write_all(&buf[i..i + n])?;
            }
            i += n;
        }
        this.pos = end;
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let len = self.pos;
        Poll::Ready(self.file.set_len(len))
    }
}

/// CRC-32 of `len` zero bytes.
fn zeros_crc(len: u64) -> u32 {
    let block = vec![0u8; 1 << 20];
    let mut h = crc32fast::Hasher::new();
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        h.update(&block[..n]);
        left -= n as u64;
    }
    h.finalize()
}

#[tokio::test]
async fn entry_over_4_gib_and_offsets_past_4_gib() {
    let big: u64 = (4 << 30) + (3 << 20) + 17; // 4 GiB + 3 MiB + 17 bytes
    let before = b"first".to_vec();
    let after = noise(1000, 42);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zip64.zip");
    // Layout: local header of "a.txt" (30 + 5) + 5 bytes, then "big.bin"'s local header
    // (30 + 7 + 20 for its zip64 extra): the zeros start at byte 97.
    let hole = 97..97 + big;
    let sink = SparseSink {
        file: std::fs::File::create(&path).unwrap(),
        pos: 0,
        hole,
    };
    let mut zip = ZipWriter::new(sink);
    let t = ModTime::from_unix(1_700_000_000);
    let header = |bytes: &[u8]| EntryHeader {
        size: bytes.len() as u64,
        crc32: crc32(bytes),
        modified: t,
    };
    zip.add_entry(
        &EntryName::parse("a.txt").unwrap(),
        header(&before),
        before.as_slice(),
    )
    .await
    .unwrap();
    let big_crc = zeros_crc(big);
    let zeros = tokio::io::repeat(0).take(big);
    let big_header = EntryHeader {
        size: big,
        crc32: big_crc,
        modified: t,
    };
    zip.add_entry(&EntryName::parse("big.bin").unwrap(), big_header, zeros)
        .await
        .unwrap();
    zip.add_entry(
        &EntryName::parse("after.bin").unwrap(),
        header(&after),
        after.as_slice(),
    )
    .await
    .unwrap();
    let (_, size) = zip.finish().await.unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), size);

    if have("python3", &["-c", "import zipfile"], "python3") {
        let expect = serde_like_json(
            &[
                ("a.txt", before.len() as u64, crc32(&before)),
                ("big.bin", big, big_crc),
                ("after.bin", after.len() as u64, crc32(&after)),
            ],
            &[("a.txt", &before), ("after.bin", &after)],
            "after.bin",
        );
        let out = run(Command::new("python3")
            .arg(tools_dir().join("zip64_check.py"))
            .arg(&path)
            .arg(expect));
        assert_eq!(out.trim(), "ok");
    }
    if have("unzip", &["-v"], "the Debian package `unzip`") {
        let listing = run(Command::new("unzip").arg("-Zl").arg(&path));
        assert!(listing.contains(&big.to_string()), "{listing}");
        let out = Command::new("unzip")
            .arg("-p")
            .arg(&path)
            .arg("after.bin")
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout == after,
            "unzip -p after.bin"
        );
    }
    if have(
        "java",
        &["-version"],
        "the Debian package `openjdk-17-jdk-headless`",
    ) {
        let out = run(Command::new("java")
            .arg(tools_dir().join("ZipStreamList.java"))
            .arg(&path));
        let want = format!(
            "a.txt\t5\t{:08x}\nbig.bin\t{big}\t{big_crc:08x}\nafter.bin\t1000\t{:08x}\n",
            crc32(&before),
            crc32(&after)
        );
        assert_eq!(out, want, "java ZipInputStream");
    }
}

/// The JSON the Python checker takes (hand-built: the test has no JSON crate).
fn serde_like_json(entries: &[(&str, u64, u32)], small: &[(&str, &[u8])], after: &str) -> String {
    let entries: Vec<String> = entries
        .iter()
        .map(|(n, s, c)| format!("[\"{n}\",{s},{c}]"))
        .collect();
    let small: Vec<String> = small
        .iter()
        .map(|(n, b)| format!("\"{n}\":\"{}\"", hex(b)))
        .collect();
    format!(
        "{{\"entries\":[{}],\"small\":{{{}}},\"big_offset_after\":\"{after}\"}}",
        entries.join(","),
        small.join(",")
    )
}

#[tokio::test]
async fn more_than_65535_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer =
        BundleWriter::new(FileParts::new(dir.path(), "many"), BundleOptions::default()).unwrap();
    let sha = Sha256Digest::from_bytes([7; 32]);
    let count = 70_000u32;
    for i in 0..count {
        let bytes = i.to_le_bytes();
        let meta = PhotoMeta::new("p.jpg", 4, crc32(&bytes), sha.clone());
        writer.add(&meta, bytes.as_slice()).await.unwrap();
    }
    let (parts, sinks) = writer.finish().await.unwrap();
    assert_eq!(parts[0].photos, u64::from(count));
    let path = &sinks.published()[0];
    if have("python3", &["-c", "import zipfile"], "python3") {
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nn = z.infolist()\n\
                      assert z.testzip() is None\nassert n[-1].filename == 'manifest.csv'\n\
                      assert n[69999].filename == 'p (70000).jpg', n[69999].filename\n\
                      assert z.read(n[69999]) == (69999).to_bytes(4, 'little')\nprint(len(n))";
        let out = run(Command::new("python3").arg("-c").arg(script).arg(path));
        assert_eq!(out.trim(), (count + 1).to_string());
    }
    if have("unzip", &["-v"], "the Debian package `unzip`") {
        let out = run(Command::new("unzip").arg("-tq").arg(path));
        assert!(out.contains("No errors detected"), "{out}");
    }
}

//! Shared by the integration tests: photo fixtures, bundle building, running the
//! external readers (unzip, bsdtar, Python zipfile, stream-unzip, Java
//! ZipInputStream) and comparing what they extract with what went in.
//!
//! A missing tool skips its check with a loud message, unless
//! `PAM_BUNDLE_REQUIRE_TOOLS=1` (CI sets it), which turns the skip into a failure.
#![allow(dead_code)]

use pam_bundle::{BundleOptions, BundleWriter, FileParts, PartSummary, PhotoMeta, Sha256Digest};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A photo to bundle: its record and its bytes.
pub struct Fixture {
    pub meta: PhotoMeta,
    pub bytes: Vec<u8>,
    pub labels: Vec<String>,
}

/// Deterministic pseudo-random bytes (xorshift), JPEG-like in not compressing.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

pub fn fixture(name: &str, bytes: Vec<u8>, labels: &[&str]) -> Fixture {
    let sha = Sha256Digest::from_bytes(Sha256::digest(&bytes).into());
    let meta = PhotoMeta::new(name, bytes.len() as u64, crc32(&bytes), sha)
        .with_labels(labels.iter().copied())
        .unwrap();
    Fixture {
        meta,
        bytes,
        labels: labels.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut h = crc32fast_like::Crc::new();
    h.update(bytes);
    h.finish()
}

/// Bitwise CRC-32 (IEEE), independent of the crate's, to check its headers.
mod crc32fast_like {
    pub struct Crc(u32);
    impl Crc {
        pub fn new() -> Self {
            Self(!0)
        }
        pub fn update(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 ^= u32::from(b);
                for _ in 0..8 {
                    self.0 = if self.0 & 1 != 0 {
                        (self.0 >> 1) ^ 0xEDB8_8320
                    } else {
                        self.0 >> 1
                    };
                }
            }
        }
        pub fn finish(&self) -> u32 {
            !self.0
        }
    }
}

/// What a finished bundle should contain, per part: entry name → bytes, and the
/// manifest rows (name, sha256, size, labels).
pub struct Built {
    pub parts: Vec<PartSummary>,
    pub paths: Vec<PathBuf>,
    pub expected: Vec<BTreeMap<String, Vec<u8>>>,
    pub manifest: Vec<Vec<[String; 4]>>,
}

/// Writes `fixtures` as a bundle into `dir` (stem `bundle`).
pub async fn build(dir: &Path, fixtures: &[Fixture], max_part_size: Option<u64>) -> Built {
    let options = BundleOptions {
        max_part_size,
        ..BundleOptions::default()
    };
    let mut writer = BundleWriter::new(FileParts::new(dir, "bundle"), options).unwrap();
    let mut expected: Vec<BTreeMap<String, Vec<u8>>> = Vec::new();
    let mut manifest: Vec<Vec<[String; 4]>> = Vec::new();
    for f in fixtures {
        let added = writer.add(&f.meta, f.bytes.as_slice()).await.unwrap();
        let i = added.part as usize - 1;
        if expected.len() <= i {
            expected.resize_with(i + 1, BTreeMap::new);
            manifest.resize_with(i + 1, Vec::new);
        }
        let name = added.name.to_string();
        assert!(
            expected[i].insert(name.clone(), f.bytes.clone()).is_none(),
            "duplicate {name}"
        );
        let sha = hex(&Sha256::digest(&f.bytes));
        manifest[i].push([name, sha, f.bytes.len().to_string(), f.labels.join(";")]);
    }
    let (parts, sinks) = writer.finish().await.unwrap();
    let paths = sinks.published().to_vec();
    Built {
        parts,
        paths,
        expected,
        manifest,
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `program` runs; if not, a loud skip (or a failure under CI).
pub fn have(program: &str, probe: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let msg = format!("{program} unavailable: install {install}");
        if std::env::var("PAM_BUNDLE_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{msg} (PAM_BUNDLE_REQUIRE_TOOLS=1)");
        }
        eprintln!("\n!!!!!!!! SKIPPED CHECK: {msg} !!!!!!!!\n");
    }
    ok
}

pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools")
}

/// Runs a command with a UTF-8 locale and panics with its output on failure.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.env("LC_ALL", "C.UTF-8").output().expect("spawn");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed: {text}");
    text
}

/// Every file in `dir` by name.
pub fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Checks that `dir` holds exactly `expected` plus a `manifest.csv` with `rows`.
pub fn check_extracted(
    reader: &str,
    dir: &Path,
    expected: &BTreeMap<String, Vec<u8>>,
    rows: &[[String; 4]],
) {
    let mut got = read_dir(dir);
    let manifest = got
        .remove("manifest.csv")
        .unwrap_or_else(|| panic!("{reader}: no manifest.csv"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{reader}: entry names"
    );
    for (name, bytes) in expected {
        assert!(
            got[name] == *bytes,
            "{reader}: {name} differs from the original"
        );
    }
    let mut csv = csv::ReaderBuilder::new().from_reader(manifest.as_slice());
    assert_eq!(
        csv.headers().unwrap(),
        vec!["name", "sha256", "size", "labels"],
        "{reader}"
    );
    let parsed: Vec<[String; 4]> = csv
        .records()
        .map(|r| {
            let r = r.unwrap();
            [
                r[0].to_owned(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[3].to_owned(),
            ]
        })
        .collect();
    assert_eq!(parsed, rows, "{reader}: manifest.csv");
}

/// Extracts `zip` with every available reader and checks each result.
pub fn check_with_all_readers(
    zip: &Path,
    expected: &BTreeMap<String, Vec<u8>>,
    rows: &[[String; 4]],
) {
    let scratch = tempfile::tempdir().unwrap();
    let fresh = |tag: &str| {
        let d = scratch.path().join(tag);
        std::fs::create_dir(&d).unwrap();
        d
    };
    if have("unzip", &["-v"], "the Debian package `unzip`") {
        let listing = run(Command::new("unzip").arg("-tq").arg(zip));
        assert!(
            listing.contains("No errors detected"),
            "unzip -t: {listing}"
        );
        let d = fresh("unzip");
        run(Command::new("unzip").arg("-q").arg(zip).arg("-d").arg(&d));
        check_extracted("unzip", &d, expected, rows);
    }
    if have(
        "bsdtar",
        &["--version"],
        "the Debian package `libarchive-tools`",
    ) {
        let d = fresh("bsdtar");
        run(Command::new("bsdtar").arg("-xf").arg(zip).arg("-C").arg(&d));
        check_extracted("bsdtar", &d, expected, rows);
        // bsdtar reading from a pipe: the streaming path of libarchive.
        let d = fresh("bsdtar-stream");
        let sh = format!("bsdtar -xf - -C '{}' < '{}'", d.display(), zip.display());
        run(Command::new("sh").arg("-c").arg(sh));
        check_extracted("bsdtar (stdin)", &d, expected, rows);
    }
    if have("python3", &["-c", "import zipfile"], "python3") {
        let d = fresh("zipfile");
        run(Command::new("python3")
            .arg(tools_dir().join("zipfile_extract.py"))
            .arg(zip)
            .arg(&d));
        check_extracted("python zipfile", &d, expected, rows);
    }
    if have(
        "python3",
        &["-c", "import stream_unzip"],
        "PyPI `stream-unzip` (pip install stream-unzip)",
    ) {
        let d = fresh("stream-unzip");
        run(Command::new("python3")
            .arg(tools_dir().join("stream_unzip_extract.py"))
            .arg(zip)
            .arg(&d));
        check_extracted("stream-unzip", &d, expected, rows);
    }
    if have(
        "java",
        &["-version"],
        "the Debian package `openjdk-17-jdk-headless`",
    ) {
        let d = fresh("java");
        run(Command::new("java")
            .arg(tools_dir().join("ZipStreamExtract.java"))
            .arg(zip)
            .arg(&d));
        check_extracted("java ZipInputStream", &d, expected, rows);
    }
}

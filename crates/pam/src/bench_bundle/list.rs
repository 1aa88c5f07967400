//! The photo list of `pam bench bundle`: one line per entry (path, entry name, size,
//! CRC-32, SHA-256), written by the parent once and streamed by the child, so the child
//! never holds the list whole.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// One line of the list the child reads.
pub(super) struct Listed {
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
    pub crc32: u32,
    pub sha256: String,
}

/// Records each source as import would, then lists them round after round under
/// distinct names until `target` bytes; returns the count and total size.
pub(super) fn write_list(sources: &[PathBuf], target: u64, list: &Path) -> Result<(u64, u64)> {
    let mut records = Vec::new();
    for path in sources {
        let mut file =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        let (mut crc, mut sha, mut size, mut buf) = (
            crc32fast::Hasher::new(),
            Sha256::new(),
            0u64,
            vec![0; 1 << 16],
        );
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            crc.update(&buf[..n]);
            sha.update(&buf[..n]);
            size += n as u64;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("photo.jpg")
            .to_owned();
        let sha256 = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
        records.push(Listed {
            path: path.clone(),
            name,
            size,
            crc32: crc.finalize(),
            sha256,
        });
    }
    if records.iter().all(|r| r.size == 0) {
        bail!("the photos are all empty");
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(list)?);
    let (mut count, mut total) = (0u64, 0u64);
    'rounds: for round in 1.. {
        for r in &records {
            if total >= target {
                break 'rounds;
            }
            let p = r.path.to_str().context("photo path is not UTF-8")?;
            writeln!(
                out,
                "{p}\tr{round:03}-{}\t{}\t{}\t{}",
                r.name, r.size, r.crc32, r.sha256
            )?;
            count += 1;
            total += r.size;
        }
    }
    out.flush()?;
    Ok((count, total))
}

pub(super) fn parse_line(line: &str) -> Result<Listed> {
    let f: Vec<&str> = line.split('\t').collect();
    let [path, name, size, crc32, sha256] = f[..] else {
        bail!("bad list line {line:?}")
    };
    Ok(Listed {
        path: path.into(),
        name: name.to_owned(),
        size: size.parse()?,
        crc32: crc32.parse()?,
        sha256: sha256.to_owned(),
    })
}

pub(super) fn read_list(list: &Path) -> Result<Vec<Listed>> {
    BufReader::new(std::fs::File::open(list)?)
        .lines()
        .map(|l| parse_line(&l?))
        .collect()
}

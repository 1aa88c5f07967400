//! What `pam import` does with one path on disk before anything is stored: walk folders,
//! decide by content whether a file is a JPEG (the SOI signature, then the headers
//! parsed up to the frame, read as a stream), and fingerprint it (SHA-256, streamed).
//! Names never decide: `photo.jpg` holding text is rejected, `IMG` holding a JPEG is not.

use pam_tasks::jpeg::JPEG_MAGIC;
use sha2::Digest;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// A file found under the paths given, or a path that could not be walked.
pub enum Found {
    /// A regular file.
    File(PathBuf),
    /// A path refused before reading it, with the reason.
    Refused(PathBuf, String),
}

/// Every regular file under `paths` (folders recursively, in name order). Symbolic
/// links to files are followed; links to folders are not (no cycles).
pub fn walk(paths: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.push(Found::Refused(path.clone(), e.to_string())),
            Ok(m) if m.is_dir() => walk_dir(path, &mut out),
            Ok(m) if m.is_file() => out.push(Found::File(path.clone())),
            Ok(_) => out.push(Found::Refused(
                path.clone(),
                "not a regular file or folder".into(),
            )),
        }
    }
    out
}

fn walk_dir(dir: &Path, out: &mut Vec<Found>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push(Found::Refused(dir.to_path_buf(), e.to_string())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let is_link_dir =
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) && path.is_dir();
        match std::fs::metadata(&path) {
            Err(e) => out.push(Found::Refused(path, e.to_string())),
            Ok(_) if is_link_dir => {
                tracing::debug!(path = %path.display(), "not following a link to a folder")
            }
            Ok(m) if m.is_dir() => walk_dir(&path, out),
            Ok(m) if m.is_file() => out.push(Found::File(path)),
            Ok(_) => out.push(Found::Refused(path, "not a regular file".into())),
        }
    }
}

/// Checks the file is a JPEG by content, reading only its headers.
pub fn check_jpeg(path: &Path) -> Result<(), String> {
    let mut file = BufReader::new(File::open(path).map_err(|e| e.to_string())?);
    let mut head = [0u8; 3];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(e.to_string()),
        }
    }
    if got < head.len() || head != JPEG_MAGIC {
        let shown: Vec<String> = head[..got].iter().map(|b| format!("{b:02X}")).collect();
        return Err(if got == 0 {
            "empty file, not a JPEG".into()
        } else {
            format!(
                "not a JPEG: content starts with {} instead of the JPEG signature FF D8 FF",
                shown.join(" ")
            )
        });
    }
    let rest = BufReader::new(File::open(path).map_err(|e| e.to_string())?);
    let mut decoder = jpeg_decoder::Decoder::new(rest);
    decoder
        .read_info()
        .map_err(|e| format!("not a decodable JPEG: {e}"))?;
    match decoder.info() {
        Some(info) if info.width > 0 && info.height > 0 => Ok(()),
        Some(_) => Err("not a decodable JPEG: zero width or height".into()),
        None => Err("not a decodable JPEG: no frame header".into()),
    }
}

/// SHA-256 (hex) and size of the file, read as a stream.
pub fn fingerprint(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut sha = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        size += n as u64;
    }
    let hex: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_by_content_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("photo.jpg");
        std::fs::write(&text, b"hello, not a photo").unwrap();
        assert!(check_jpeg(&text).unwrap_err().contains("68 65 6C"));
        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        assert!(check_jpeg(&empty).unwrap_err().contains("empty"));
        let truncated = dir.path().join("cut.jpg");
        std::fs::write(&truncated, [0xFF, 0xD8, 0xFF, 0xE0, 0x00]).unwrap();
        assert!(check_jpeg(&truncated).unwrap_err().contains("decodable"));
    }

    #[test]
    fn walks_folders_in_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/2"), b"x").unwrap();
        std::fs::write(dir.path().join("a"), b"x").unwrap();
        let found = walk(&[dir.path().to_path_buf(), dir.path().join("missing")]);
        let names: Vec<String> = found
            .iter()
            .map(|f| match f {
                Found::File(p) => format!("file {}", p.strip_prefix(dir.path()).unwrap().display()),
                Found::Refused(p, _) => {
                    format!("refused {}", p.file_name().unwrap().to_string_lossy())
                }
            })
            .collect();
        assert_eq!(names, ["file a", "file b/2", "refused missing"]);
    }
}

//! The local link-signing secret: 32 random bytes in `<data-dir>/secrets/presign.key`,
//! made on first use. Several processes may start at once (`pam serve` and a CLI
//! command), so creation is atomic and first-writer-wins: the bytes go to a private
//! temporary file (mode 0600) that is then hard-linked to the final name — a link
//! fails if the name exists, so nobody ever overwrites a key whose links are out.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Length of the signing secret.
pub const SECRET_LEN: usize = 32;

/// Why the secret file could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    /// Reading, writing or linking failed.
    #[error("link-signing secret {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The file holds something else than a secret this code made.
    #[error(
        "link-signing secret {path} holds {len} bytes, not {SECRET_LEN}; delete it to make a new one (links already sent stop working)"
    )]
    Length {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: usize,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SecretFileError + '_ {
    move |source| SecretFileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads the secret at `path`, creating it (and its directory, mode 0700) if absent.
pub fn load_or_create(path: &Path) -> Result<[u8; SECRET_LEN], SecretFileError> {
    if let Some(secret) = read(path)? {
        return Ok(secret);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    let mut secret = [0u8; SECRET_LEN];
    rand::fill(&mut secret);
    let tmp = dir.join(format!(
        ".presign.key.{}.{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&secret)?;
        f.sync_all()
    })();
    written.map_err(io(&tmp))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            tracing::info!(path = %path.display(), "created a new link-signing secret");
            Ok(secret)
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read(path)?.ok_or_else(|| io(path)(e))
        }
        Err(e) => Err(io(path)(e)),
    }
}

fn read(path: &Path) -> Result<Option<[u8; SECRET_LEN]>, SecretFileError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let secret: [u8; SECRET_LEN] =
        bytes
            .as_slice()
            .try_into()
            .map_err(|_| SecretFileError::Length {
                path: path.to_path_buf(),
                len: bytes.len(),
            })?;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            mode = format!("{:o}", meta.permissions().mode() & 0o777),
            "the link-signing secret is readable by other users; chmod 600 it"
        );
    }
    Ok(Some(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets/presign.key");
        let a = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), a);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn racing_creators_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets/presign.key");
        let secrets: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| load_or_create(&path).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(secrets.windows(2).all(|w| w[0] == w[1]), "two secrets made");
    }

    #[test]
    fn a_wrong_length_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("presign.key");
        std::fs::write(&path, b"short").unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert!(
            matches!(err, SecretFileError::Length { len: 5, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("presign.key"));
    }
}

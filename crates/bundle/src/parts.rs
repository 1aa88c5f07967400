//! [`FileParts`]: bundle parts as files in one folder, each written under a hidden
//! `.partial` name and renamed into place only once it is a complete, synced zip,
//! so no reader ever sees a partial part. A part still open when the `FileParts` is
//! dropped (the bundle failed) is deleted.

use crate::bundle::PartSinks;
use std::io;
use std::path::{Path, PathBuf};

/// Parts named `<stem>-<n>.zip` in `dir`.
#[derive(Debug)]
pub struct FileParts {
    dir: PathBuf,
    stem: String,
    open: Option<PathBuf>,
    published: Vec<PathBuf>,
}

impl FileParts {
    /// Parts go to `dir` as `<stem>-1.zip`, `<stem>-2.zip`, …
    pub fn new(dir: impl Into<PathBuf>, stem: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            stem: stem.into(),
            open: None,
            published: Vec::new(),
        }
    }

    /// The final path of part `part`.
    pub fn part_path(&self, part: u32) -> PathBuf {
        self.dir.join(format!("{}-{part}.zip", self.stem))
    }

    fn partial_path(&self, part: u32) -> PathBuf {
        self.dir.join(format!(".{}-{part}.zip.partial", self.stem))
    }

    /// Paths of the parts published so far, in order.
    pub fn published(&self) -> &[PathBuf] {
        &self.published
    }
}

impl PartSinks for FileParts {
    type Sink = tokio::fs::File;

    async fn open(&mut self, part: u32) -> io::Result<tokio::fs::File> {
        let path = self.partial_path(part);
        let file = tokio::fs::File::create(&path).await?;
        self.open = Some(path);
        Ok(file)
    }

    async fn close(&mut self, part: u32, sink: tokio::fs::File) -> io::Result<()> {
        sink.sync_all().await?;
        drop(sink);
        let from = self.partial_path(part);
        let to = self.part_path(part);
        tokio::fs::rename(&from, &to).await?;
        sync_dir(&self.dir).await;
        self.open = None;
        self.published.push(to);
        Ok(())
    }
}

/// Makes a rename durable; best effort (not every platform can open a folder).
async fn sync_dir(dir: &Path) {
    if let Ok(d) = tokio::fs::File::open(dir).await {
        let _ = d.sync_all().await;
    }
}

impl Drop for FileParts {
    fn drop(&mut self) {
        if let Some(path) = self.open.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

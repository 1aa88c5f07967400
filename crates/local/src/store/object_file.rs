//! Where a readable object's bytes are on this machine, for a local user who wants the
//! file itself (`pam download` prints the bundle's path next to its link). The path
//! names the object's current blob: an overwrite or delete replaces or removes it.

use super::LocalStore;
use pam_core::ports::store::StoreError;
use pam_core::{BucketName, ObjectKey};
use std::path::PathBuf;

impl LocalStore {
    /// The file holding the object's bytes; fails as GET would (`NotFound`, archived).
    pub async fn object_file(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
    ) -> Result<PathBuf, StoreError> {
        let row = self.load_row(bucket, key).await?;
        row.ensure_readable(self.now())?;
        Ok(self.layout.blob(bucket, row.location, &row.blob))
    }
}

//! Domain values, one per file; each validates on construction and has private fields.

mod bucket;
mod job_id;
mod key;
mod label;
mod match_mode;
mod notify;
mod restore;
mod sealed;
mod sha256;
mod storage;

pub use bucket::{BucketName, BucketNameError};
pub use job_id::{JobId, JobIdError};
pub use key::{KeyError, MAX_KEY_BYTES, ObjectKey, PHOTO_PREFIX, PhotoKey};
pub use label::{Label, LabelError, MAX_LABEL_CHARS};
pub use match_mode::{MatchMode, MatchModeError};
pub use notify::{NotifyTarget, NotifyTargetError};
pub use restore::{RestoreHeaderError, RestoreState, RestoreTier, RestoreTierError};
pub use sealed::{JobKey, SealError, SealedTarget};
pub use sha256::{Sha256, Sha256Error};
pub use storage::{ArchiveStatus, ColdTarget, StorageClass, StorageNameError};

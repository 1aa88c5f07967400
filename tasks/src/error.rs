//! The steps' one error type. Each variant has a stable name (`Pam.NotAJpeg`…) that
//! the state machines' Retry/Catch `ErrorEquals` lists use, on AWS (Lambda's
//! `errorType`) and in the embedded engine alike. Port errors map here in one place.

use pam_core::ports::{
    IndexError, JobError, KeysError, LabelerError, NotifyError, PresignError, StoreError,
};

/// Every error name a step can raise, for ASL authors and tests.
pub const ERROR_NAMES: &[&str] = &[
    "Pam.NotAJpeg",
    "Pam.NotFound",
    "Pam.ObjectArchived",
    "Pam.TooLarge",
    "Pam.Conflict",
    "Pam.InvalidInput",
    "Pam.Transient",
    "Pam.Internal",
    "Pam.NoPhotos",
    "Pam.ChannelNotConfirmed",
    "Pam.RestoreTimeout",
    "Pam.KeyErased",
    "Pam.AddressRefused",
];

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The object is not a JPEG (by content), or cannot be decoded.
    #[error("{key} is not a usable JPEG: {reason}")]
    NotAJpeg {
        /// The object.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The object (or index entry) does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The object is archived and not restored.
    #[error("object is archived: {0}")]
    ObjectArchived(String),
    /// The object is larger than the step accepts.
    #[error("{key} is {size} bytes; at most {max} are accepted")]
    TooLarge {
        /// The object.
        key: String,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The key is already recorded with different content.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The step's input is malformed.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Worth retrying (throttling, busy database, network).
    #[error("transient failure: {0}")]
    Transient(String),
    /// Anything else.
    #[error("internal error: {0}")]
    Internal(String),
    /// No photo matches the download's labels.
    #[error("no photos match: {0}")]
    NoPhotos(String),
    /// The person has not confirmed the notification subscription yet (retry later).
    #[error("the notification channel {0} is not confirmed yet")]
    ChannelNotConfirmed(String),
    /// Archived photos were still not restored after the last allowed poll round.
    #[error("restores timed out: {0}")]
    RestoreTimeout(String),
    /// The job's sealing key is gone (the job was closed): its address cannot be read.
    #[error("the key of download job {0} was erased; its address can no longer be read")]
    KeyErased(String),
    /// The delivery service refused the address.
    #[error("the notification address was refused: {0}")]
    AddressRefused(String),
}

impl StepError {
    /// The stable name Retry/Catch match on.
    pub fn error_name(&self) -> &'static str {
        match self {
            Self::NotAJpeg { .. } => "Pam.NotAJpeg",
            Self::NotFound(_) => "Pam.NotFound",
            Self::ObjectArchived(_) => "Pam.ObjectArchived",
            Self::TooLarge { .. } => "Pam.TooLarge",
            Self::Conflict(_) => "Pam.Conflict",
            Self::InvalidInput(_) => "Pam.InvalidInput",
            Self::Transient(_) => "Pam.Transient",
            Self::Internal(_) => "Pam.Internal",
            Self::NoPhotos(_) => "Pam.NoPhotos",
            Self::ChannelNotConfirmed(_) => "Pam.ChannelNotConfirmed",
            Self::RestoreTimeout(_) => "Pam.RestoreTimeout",
            Self::KeyErased(_) => "Pam.KeyErased",
            Self::AddressRefused(_) => "Pam.AddressRefused",
        }
    }

    /// Whether a Retry makes sense.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

impl From<StoreError> for StepError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } | StoreError::NoSuchBucket(_) => {
                Self::NotFound(e.to_string())
            }
            StoreError::InvalidObjectState { .. } => Self::ObjectArchived(e.to_string()),
            StoreError::Transient { .. } | StoreError::RestoreAlreadyInProgress { .. } => {
                Self::Transient(e.to_string())
            }
            StoreError::InvalidArgument(_) | StoreError::InvalidRange { .. } => {
                Self::InvalidInput(e.to_string())
            }
            StoreError::AlreadyExists { .. } | StoreError::Precondition(_) => {
                Self::Conflict(e.to_string())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<IndexError> for StepError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::NotFound(_) => Self::NotFound(e.to_string()),
            IndexError::AlreadyExists { .. } => Self::Conflict(e.to_string()),
            IndexError::InvalidArgument(_) => Self::InvalidInput(e.to_string()),
            IndexError::Transient { .. } => Self::Transient(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<JobError> for StepError {
    fn from(e: JobError) -> Self {
        match e {
            JobError::NotFound(_) => Self::NotFound(e.to_string()),
            JobError::Conflict(_) => Self::Conflict(e.to_string()),
            JobError::InvalidArgument(_) => Self::InvalidInput(e.to_string()),
            JobError::Transient { .. } => Self::Transient(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<KeysError> for StepError {
    fn from(e: KeysError) -> Self {
        match e {
            KeysError::Transient { .. } => Self::Transient(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<NotifyError> for StepError {
    fn from(e: NotifyError) -> Self {
        match e {
            NotifyError::Refused(_) => Self::AddressRefused(e.to_string()),
            NotifyError::InvalidChannel(_) => Self::InvalidInput(e.to_string()),
            NotifyError::Closed(_) => Self::Conflict(e.to_string()),
            NotifyError::Transient { .. } => Self::Transient(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<PresignError> for StepError {
    fn from(e: PresignError) -> Self {
        match e {
            PresignError::InvalidExpiry(_) => Self::InvalidInput(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl StepError {
    /// Maps a labeler failure for the object `key`.
    pub fn from_labeler(key: &str, e: LabelerError) -> Self {
        match e {
            LabelerError::InvalidImage(reason) => Self::NotAJpeg {
                key: key.to_owned(),
                reason,
            },
            LabelerError::NotFound { .. } => Self::NotFound(e.to_string()),
            LabelerError::ImageTooLarge { size, max } => Self::TooLarge {
                key: key.to_owned(),
                size,
                max,
            },
            LabelerError::InvalidObjectState(_) => Self::ObjectArchived(e.to_string()),
            LabelerError::Transient(_) => Self::Transient(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_listed_name() {
        let all = [
            StepError::NotAJpeg {
                key: "k".into(),
                reason: "r".into(),
            },
            StepError::NotFound("x".into()),
            StepError::ObjectArchived("x".into()),
            StepError::TooLarge {
                key: "k".into(),
                size: 2,
                max: 1,
            },
            StepError::Conflict("x".into()),
            StepError::InvalidInput("x".into()),
            StepError::Transient("x".into()),
            StepError::Internal("x".into()),
            StepError::NoPhotos("x".into()),
            StepError::ChannelNotConfirmed("x".into()),
            StepError::RestoreTimeout("x".into()),
            StepError::KeyErased("x".into()),
            StepError::AddressRefused("x".into()),
        ];
        for e in &all {
            assert!(ERROR_NAMES.contains(&e.error_name()), "{}", e.error_name());
        }
        assert_eq!(all.len(), ERROR_NAMES.len());
    }
}

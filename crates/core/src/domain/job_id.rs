//! Download job ids. A job id names a Step Functions execution and an SNS topic, so
//! it keeps to the characters both accept (letters, digits, `-`, `_`; ≤ 80).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a job id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid job id {0:?}: use 1 to 80 letters, digits, '-' or '_'")]
pub struct JobIdError(String);

/// A validated download job id.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JobId(String);

impl JobId {
    /// A fresh random id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// Validates an id received from outside.
    pub fn parse(id: impl Into<String>) -> Result<Self, JobIdError> {
        let id = id.into();
        let ok = (1..=80).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(id))
        } else {
            Err(JobIdError(id))
        }
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for JobId {
    type Error = JobIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<JobId> for String {
    fn from(id: JobId) -> Self {
        id.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JobId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse() {
        let id = JobId::generate();
        assert_eq!(JobId::parse(id.as_str()).unwrap(), id);
        assert_ne!(JobId::generate(), id);
    }

    #[test]
    fn refuses_bad_ids() {
        assert!(JobId::parse("").is_err());
        assert!(JobId::parse("a b").is_err());
        assert!(JobId::parse("a".repeat(81)).is_err());
        assert!(JobId::parse("../etc").is_err());
    }
}

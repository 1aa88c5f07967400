//! Label names as Rekognition reports them ("Mountain", "Golden Retriever"). Labels
//! come from classifiers and from people picking them in the UI, so they are trimmed
//! and bounded; comparison is exact (the UI offers the names the index returned).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest label name we accept, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// Why a label was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// Empty or only whitespace.
    #[error("label is empty")]
    Empty,
    /// Longer than [`MAX_LABEL_CHARS`].
    #[error("label is {0} characters; at most {MAX_LABEL_CHARS} are allowed")]
    TooLong(usize),
    /// Contains a control character.
    #[error("label contains control character U+{0:04X}")]
    ControlCharacter(u32),
}

/// A validated label name.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(String);

impl Label {
    /// Trims `name` and validates it.
    pub fn parse(name: impl AsRef<str>) -> Result<Self, LabelError> {
        let name = name.as_ref().trim();
        if name.is_empty() {
            return Err(LabelError::Empty);
        }
        let chars = name.chars().count();
        if chars > MAX_LABEL_CHARS {
            return Err(LabelError::TooLong(chars));
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            return Err(LabelError::ControlCharacter(c as u32));
        }
        Ok(Self(name.to_owned()))
    }

    /// The label name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Label {
    type Error = LabelError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Label> for String {
    fn from(label: Label) -> Self {
        label.0
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts() {
        assert_eq!(Label::parse("  Mountain ").unwrap().as_str(), "Mountain");
        assert_eq!(
            Label::parse("Golden Retriever").unwrap().as_str(),
            "Golden Retriever"
        );
    }

    #[test]
    fn refuses_bad_labels() {
        assert_eq!(Label::parse("   "), Err(LabelError::Empty));
        assert_eq!(Label::parse("a".repeat(101)), Err(LabelError::TooLong(101)));
        assert_eq!(Label::parse("a\nb"), Err(LabelError::ControlCharacter(10)));
        assert!(serde_json::from_str::<Label>("\"\"").is_err());
    }
}

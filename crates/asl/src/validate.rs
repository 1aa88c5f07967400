//! Static validation of a definition: every problem listed, each naming the state and field.
//! PLACEHOLDER: the validator helper replaces the body.

use serde_json::Value;

/// One thing wrong with a definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Where: e.g. `States.Choose` or `States.Fan.Branches[0].States.Inner`; empty for the top level.
    pub location: String,
    /// The offending field, e.g. `Next`, `Choices[2].Variable`.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "{}.{}: {}", self.location, self.field, self.message)
        }
    }
}

/// Validates a whole definition; `Err` holds every problem found, not just the first.
pub fn validate_definition(_definition: &Value) -> Result<(), Vec<Problem>> {
    Ok(())
}

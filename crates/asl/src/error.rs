//! The error a state raises, named as Step Functions names it (`States.Runtime`,
//! `States.TaskFailed`, a Task's own error name…), with its cause text.
//! Retry and Catch match on `error`; `cause` is free text.

use std::fmt;

/// An error raised while running a state; what Retry/Catch and a failed execution see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatesError {
    /// The error name, e.g. `States.Runtime` or a Task's own error type.
    pub error: String,
    /// Human-readable cause, worded as AWS words it where known.
    pub cause: String,
}

impl StatesError {
    /// Builds an error with the given name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// `States.Runtime`: a path, template or intrinsic could not be evaluated.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new("States.Runtime", cause)
    }
}

impl fmt::Display for StatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for StatesError {}

//! Static validation of a definition: every problem listed, each naming the state and field.
//!
//! The engine refuses a definition before running it, the way Step Functions refuses one
//! at CreateStateMachine, so that an operator sees all mistakes at once instead of one per
//! attempt. Problems are collected, never short-circuited.
//!
//! Layout: `machine` walks a state machine (top level, Parallel branches, Map processors)
//! and resolves transitions in their own scope; `state` checks one state by its Type;
//! `choice` checks Choice rules; `retry` checks Retry/Catch; `fields` knows which fields
//! each Type allows per query language; `values` holds the small typed checks they share.
//! Syntax of paths, templates, intrinsics and JSONata is delegated to `crate::path`,
//! `crate::intrinsics` and `crate::jsonata`.

mod choice;
mod compound;
mod fields;
mod machine;
mod retry;
mod state;
mod values;

use serde_json::Value;
use std::collections::HashMap;

/// One thing wrong with a definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Where: e.g. `States.Choose` or `States.Fan.Branches[0].States.Inner`; empty for the top level.
    pub location: String,
    /// The offending field, e.g. `Next`, `Choices[2].Variable`; empty when the state as a whole is at fault.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.location.is_empty(), self.field.is_empty()) {
            (true, true) => write!(f, "{}", self.message),
            (true, false) => write!(f, "{}: {}", self.field, self.message),
            (false, true) => write!(f, "{}: {}", self.location, self.message),
            (false, false) => write!(f, "{}.{}: {}", self.location, self.field, self.message),
        }
    }
}

/// Validates a whole definition; `Err` holds every problem found, not just the first.
pub fn validate_definition(definition: &Value) -> Result<(), Vec<Problem>> {
    let mut cx = Ctx::default();
    machine::check_top(&mut cx, definition);
    if cx.problems.is_empty() {
        Ok(())
    } else {
        Err(cx.problems)
    }
}

/// The query language a state is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    JsonPath,
    Jsonata,
}

impl Lang {
    /// Parses a `QueryLanguage` value.
    fn parse(text: &str) -> Option<Self> {
        match text {
            "JSONPath" => Some(Self::JsonPath),
            "JSONata" => Some(Self::Jsonata),
            _ => None,
        }
    }
}

/// What the walk accumulates: the problems, and every state name seen so far with its location
/// (names must be unique across the whole state machine, nested scopes included).
#[derive(Default)]
struct Ctx {
    problems: Vec<Problem>,
    names: HashMap<String, String>,
}

impl Ctx {
    fn report(&mut self, location: &str, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            location: location.to_owned(),
            field: field.into(),
            message: message.into(),
        });
    }
}

/// Joins a parent field and a child field: `Choices[0]` + `Next` → `Choices[0].Next`.
fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

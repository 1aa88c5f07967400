//! JSONPath and reference paths as ASL uses them (`$`, `$$` context, `$var` variables),
//! ResultPath insertion and payload templates (`"key.$": path-or-intrinsic`).
//! PLACEHOLDER signatures: the path/intrinsics helper replaces the bodies.

use crate::StatesError;
use serde_json::{Map, Value};

/// What a path can read: the state input (`$`), the context object (`$$`) and variables (`$name`).
pub struct Scope<'a> {
    /// `$`: the effective input of the state.
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context: &'a Value,
    /// `$name`: variables assigned so far.
    pub variables: &'a Map<String, Value>,
}

/// Which grammar a path field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A reference path: one node, no wildcards/filters (ResultPath, *Path comparisons, ItemsPath…).
    Reference,
    /// A full JSONPath (InputPath, OutputPath, `.$` template values).
    Path,
}

/// Checks a path's syntax; the error text says what is wrong.
pub fn validate(_path: &str, _kind: PathKind) -> Result<(), String> {
    Ok(())
}

/// Evaluates a path against the scope.
pub fn select(_path: &str, _scope: &Scope) -> Result<Value, StatesError> {
    Err(StatesError::runtime("path evaluation not implemented yet"))
}

/// Applies ResultPath: puts `result` into `input` at `path` (`$` replaces the whole input).
pub fn insert(_input: Value, _path: &str, _result: Value) -> Result<Value, StatesError> {
    Err(StatesError::runtime("ResultPath not implemented yet"))
}

/// Renders a payload template (Parameters, ResultSelector, ItemSelector, Assign).
pub fn render_template(_template: &Value, _scope: &Scope) -> Result<Value, StatesError> {
    Err(StatesError::runtime("templates not implemented yet"))
}

/// Checks a payload template statically (paths and intrinsic calls in `.$` keys).
pub fn validate_template(_template: &Value) -> Result<(), Vec<String>> {
    Ok(())
}

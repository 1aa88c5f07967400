//! JSONata query language support (`QueryLanguage: "JSONata"`, `{% … %}` expressions).
//! PLACEHOLDER signatures: the path/intrinsics helper replaces the bodies.

use crate::StatesError;
use serde_json::{Map, Value};

/// What a JSONata expression can read: `$states` and the variables.
pub struct JsonataScope<'a> {
    /// `$states`: `{"input", "context", "result"?, "errorOutput"?}`.
    pub states: &'a Value,
    /// Variables assigned so far, visible as `$name`.
    pub variables: &'a Map<String, Value>,
}

/// Renders a JSONata template: every string `{% expr %}` is evaluated, recursively through objects/arrays.
pub fn render(_template: &Value, _scope: &JsonataScope) -> Result<Value, StatesError> {
    Err(StatesError::runtime("JSONata not implemented yet"))
}

/// Checks the `{% %}` expressions of a template statically.
pub fn validate(_template: &Value) -> Result<(), Vec<String>> {
    Ok(())
}

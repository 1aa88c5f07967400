//! The `States.*` intrinsic functions (States.Format, States.Array, States.Hash…).
//! PLACEHOLDER signatures: the path/intrinsics helper replaces the bodies.

use crate::StatesError;
use crate::path::Scope;
use serde_json::Value;

/// True when a `.$` value is an intrinsic call rather than a path.
pub fn is_intrinsic(expr: &str) -> bool {
    expr.trim_start().starts_with("States.")
}

/// Checks an intrinsic call's syntax, function name and arity.
pub fn validate(_expr: &str) -> Result<(), String> {
    Ok(())
}

/// Evaluates an intrinsic call.
pub fn evaluate(_expr: &str, _scope: &Scope) -> Result<Value, StatesError> {
    Err(StatesError::runtime("intrinsics not implemented yet"))
}

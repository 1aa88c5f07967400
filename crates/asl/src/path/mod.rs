//! JSONPath and reference paths as ASL uses them (`$`, `$$` context, `$var` variables),
//! ResultPath insertion and payload templates (`"key.$": path-or-intrinsic`).
//!
//! Layout: [`ast`] (the parsed form), [`parser`] and [`filter`] (text → ast),
//! [`eval`] (Jayway semantics), [`template`] (payload templates and ResultPath).
//! Paths are parsed on each call; they are short and this keeps the interface stateless.

pub(crate) mod ast;
pub(crate) mod eval;
mod filter;
pub(crate) mod parser;
pub(crate) mod template;

pub use template::{insert, render_template, validate_template};

use crate::StatesError;
use ast::{JsonPath, Root};
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

/// Parses a path written in a definition, refusing `@` outside filters.
pub fn parse(path: &str) -> Result<JsonPath, String> {
    let parsed = parser::parse(path).map_err(|e| format!("invalid JSONPath '{path}': {e}"))?;
    if parsed.root == Root::Current {
        return Err(format!(
            "invalid JSONPath '{path}': '@' may only appear inside a filter"
        ));
    }
    Ok(parsed)
}

/// Checks a path's syntax; the error text says what is wrong.
pub fn validate(path: &str, kind: PathKind) -> Result<(), String> {
    let parsed = parse(path)?;
    if kind == PathKind::Reference && !parsed.is_reference() {
        return Err(format!(
            "'{path}' is not a reference path: it must name a single node (no wildcard, filter, slice, union, '..' or function)"
        ));
    }
    Ok(())
}

/// Checks a ResultPath: a reference path into the state input (`$…`), not `$$` or a variable.
pub fn validate_result_path(path: &str) -> Result<(), String> {
    validate(path, PathKind::Reference)?;
    match parse(path)?.root {
        Root::Input => Ok(()),
        _ => Err(format!(
            "ResultPath '{path}' must start with '$' (it writes into the state input)"
        )),
    }
}

/// Evaluates a path against the scope.
///
/// A definite path yields its node; an indefinite one an array of its matches. A miss is
/// `States.Runtime` with AWS's wording: `Invalid path '$.x' : No results for path: $['x']`
/// (the interpreter prefixes the "An error occurred while executing the state …" part).
pub fn select(path: &str, scope: &Scope) -> Result<Value, StatesError> {
    let parsed = parse(path).map_err(StatesError::runtime)?;
    eval::evaluate(&parsed, scope, None)
        .map_err(|e| StatesError::runtime(format!("Invalid path '{path}' : {e}")))
}

/// Like [`select`], but a path that matches nothing is `Ok(None)` (Choice `IsPresent`,
/// optional fields). Syntax errors and an undefined variable are still errors.
pub fn select_optional(path: &str, scope: &Scope) -> Result<Option<Value>, StatesError> {
    let parsed = parse(path).map_err(StatesError::runtime)?;
    match eval::evaluate(&parsed, scope, None) {
        Ok(v) => Ok(Some(v)),
        Err(e @ eval::EvalError::UnknownVariable(_)) => {
            Err(StatesError::runtime(format!("Invalid path '{path}' : {e}")))
        }
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests;

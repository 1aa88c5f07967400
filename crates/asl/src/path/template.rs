//! Payload templates (Parameters, ResultSelector, ItemSelector, Assign) and ResultPath:
//! the two places where a path builds or changes JSON instead of only reading it.

use super::ast::{Root, Segment, Selector};
use super::{PathKind, Scope, eval, parse, validate};
use crate::StatesError;
use crate::intrinsics;
use serde_json::{Map, Value};

/// Renders a payload template (Parameters, ResultSelector, ItemSelector, Assign).
///
/// A key ending in `.$` takes a path or an intrinsic call and loses the suffix; other
/// values are copied, objects and arrays recursively. Plain strings that look like paths
/// stay strings.
pub fn render_template(template: &Value, scope: &Scope) -> Result<Value, StatesError> {
    match template {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        out.insert(name.to_string(), dynamic_value(key, value, scope)?);
                    }
                    None => {
                        out.insert(key.clone(), render_template(value, scope)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|v| render_template(v, scope))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn dynamic_value(key: &str, value: &Value, scope: &Scope) -> Result<Value, StatesError> {
    let Value::String(expr) = value else {
        return Err(StatesError::runtime(format!(
            "The value for the field '{key}' must be a STRING that contains a JSONPath or an intrinsic function, but was {}",
            eval::json_type(value)
        )));
    };
    if intrinsics::is_intrinsic(expr) {
        return intrinsics::evaluate(expr, scope);
    }
    let parsed = parse(expr).map_err(StatesError::runtime)?;
    eval::evaluate(&parsed, scope, None).map_err(|_| {
        StatesError::runtime(format!(
            "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
            compact(scope.input)
        ))
    })
}

/// Checks a payload template statically (paths and intrinsic calls in `.$` keys).
/// Each message names the field, e.g. `field 'a.b.$': …`.
pub fn validate_template(template: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    check(template, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check(template: &Value, prefix: &str, problems: &mut Vec<String>) {
    match template {
        Value::Object(map) => {
            for (key, value) in map {
                let field = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if let Some(name) = key.strip_suffix(".$") {
                    if map.contains_key(name) {
                        problems.push(format!(
                            "field '{field}': both '{name}' and '{key}' are given; keep one"
                        ));
                    }
                    match value {
                        Value::String(expr) if intrinsics::is_intrinsic(expr) => {
                            if let Err(e) = intrinsics::validate(expr) {
                                problems.push(format!("field '{field}': {e}"));
                            }
                        }
                        Value::String(expr) => {
                            if let Err(e) = validate(expr, PathKind::Path) {
                                problems.push(format!("field '{field}': {e}"));
                            }
                        }
                        other => problems.push(format!(
                            "field '{field}': a key ending in '.$' needs a string holding a path or an intrinsic call, not {}",
                            eval::json_type(other)
                        )),
                    }
                } else {
                    check(value, &field, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(item, &format!("{prefix}[{i}]"), problems);
            }
        }
        _ => {}
    }
}

/// Applies ResultPath: puts `result` into `input` at `path` (`$` replaces the whole input).
///
/// Missing objects along the way are created; an index must point inside an existing array.
pub fn insert(input: Value, path: &str, result: Value) -> Result<Value, StatesError> {
    let parsed = parse(path).map_err(StatesError::runtime)?;
    if parsed.root != Root::Input || !parsed.is_reference() {
        return Err(StatesError::runtime(format!(
            "Invalid ResultPath '{path}': it must be a reference path starting with '$'"
        )));
    }
    if parsed.segments.is_empty() {
        return Ok(result);
    }
    let mut root = input;
    let fail = |why: String| {
        StatesError::runtime(format!(
            "Unable to apply ResultPath '{path}' to the state input: {why}"
        ))
    };
    let mut node = &mut root;
    let last = parsed.segments.len() - 1;
    let mut result = Some(result);
    for (i, segment) in parsed.segments.iter().enumerate() {
        match segment {
            Segment::Child(Selector::Names(names)) => {
                let name = &names[0];
                let Value::Object(map) = node else {
                    return Err(fail(format!(
                        "'{name}' cannot be set on a {} value",
                        eval::json_type(node)
                    )));
                };
                if i == last {
                    map.insert(name.clone(), result.take().unwrap_or_default());
                    break;
                }
                node = map
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
            }
            Segment::Child(Selector::Indices(indices)) => {
                let Value::Array(items) = node else {
                    return Err(fail(format!(
                        "index [{}] cannot be set on a {} value",
                        indices[0],
                        eval::json_type(node)
                    )));
                };
                let len = items.len() as i64;
                let index = if indices[0] < 0 {
                    len + indices[0]
                } else {
                    indices[0]
                };
                if !(0..len).contains(&index) {
                    return Err(fail(format!(
                        "index [{}] is outside the array of {len} items",
                        indices[0]
                    )));
                }
                let slot = &mut items[index as usize];
                if i == last {
                    *slot = result.take().unwrap_or_default();
                    break;
                }
                node = slot;
            }
            _ => unreachable!("a reference path holds only single names and indices"),
        }
    }
    Ok(root)
}

/// JSON text of a value, compact, as AWS quotes inputs in its causes.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

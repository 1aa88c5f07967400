//! JSONata query language support (`QueryLanguage: "JSONata"`, `{% … %}` expressions).
//!
//! Evaluation is delegated to the `jsonata-core` crate (chosen over jsonata-rs and seuil:
//! it is the most complete, takes host functions and variable bindings, and runs the
//! conformance cases). This module adds what Step Functions layers on top: templates whose
//! strings may be `{% expr %}`, `$states` and the variables as bindings, the AWS-only
//! functions (see [`functions`]), and AWS's error names and wording.

mod convert;
mod functions;

use crate::StatesError;
use jsonata_core::evaluator::{Context, Evaluator};
use serde_json::{Map, Value};

/// The error name of a JSONata expression that fails or yields nothing.
pub const QUERY_ERROR: &str = "States.QueryEvaluationError";

/// What a JSONata expression can read: `$states` and the variables.
pub struct JsonataScope<'a> {
    /// `$states`: `{"input", "context", "result"?, "errorOutput"?}`.
    pub states: &'a Value,
    /// Variables assigned so far, visible as `$name`.
    pub variables: &'a Map<String, Value>,
}

/// Renders a JSONata template: every string `{% expr %}` is evaluated, recursively through objects/arrays.
pub fn render(template: &Value, scope: &JsonataScope) -> Result<Value, StatesError> {
    render_field("", template, scope)
}

/// Like [`render`], naming the field the template sits in (`Output`, `Arguments`, `Items`…)
/// so a failure reads as AWS words it: "The JSONata expression '$x' specified for the
/// field 'Output/result' returned nothing (undefined)."
pub fn render_field(
    field: &str,
    template: &Value,
    scope: &JsonataScope,
) -> Result<Value, StatesError> {
    match template {
        Value::String(s) => match expression(s) {
            Some(expr) => evaluate(expr, scope).map_err(|why| why.into_error(expr, field)),
            None => Ok(template.clone()),
        },
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                out.insert(key.clone(), render_field(&join(field, key), value, scope)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| render_field(&join(field, &i.to_string()), v, scope))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn join(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_string()
    } else {
        format!("{field}/{key}")
    }
}

/// The expression inside a `{% … %}` string, or `None` for a plain string.
pub fn expression(s: &str) -> Option<&str> {
    s.strip_prefix("{%")
        .and_then(|rest| rest.strip_suffix("%}"))
        .map(str::trim)
}

/// Evaluates one expression (without the `{% %}`) against `$states` and the variables.
/// `Ok(None)` means the expression yielded nothing (JSONata's `undefined`).
pub fn evaluate_expression(expr: &str, scope: &JsonataScope) -> Result<Option<Value>, StatesError> {
    match evaluate(expr, scope) {
        Ok(v) => Ok(Some(v)),
        Err(Failure::Undefined) => Ok(None),
        Err(why) => Err(why.into_error(expr, "")),
    }
}

/// Why an expression produced no value.
enum Failure {
    Parse(String),
    Eval(String),
    Undefined,
}

impl Failure {
    fn into_error(self, expr: &str, field: &str) -> StatesError {
        let cause = match self {
            Failure::Undefined => format!(
                "The JSONata expression '{expr}' specified for the field '{field}' returned nothing (undefined)."
            ),
            Failure::Parse(why) => format!(
                "The JSONata expression '{expr}' specified for the field '{field}' could not be parsed: {why}"
            ),
            Failure::Eval(why) => format!(
                "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation: {why}"
            ),
        };
        StatesError::new(QUERY_ERROR, cause)
    }
}

fn evaluate(expr: &str, scope: &JsonataScope) -> Result<Value, Failure> {
    let ast = jsonata_core::parser::parse(expr).map_err(|e| Failure::Parse(e.to_string()))?;
    let mut context = Context::new();
    for (name, value) in scope.variables {
        context.bind(name.clone(), convert::to_jvalue(value));
    }
    context.bind("states".to_string(), convert::to_jvalue(scope.states));
    let mut evaluator = Evaluator::with_context(context);
    functions::register(&mut evaluator).map_err(Failure::Eval)?;
    let input = scope
        .states
        .get("input")
        .map(convert::to_jvalue)
        .unwrap_or(jsonata_core::value::JValue::Null);
    let result = evaluator
        .evaluate(&ast, &input)
        .map_err(|e| Failure::Eval(e.to_string()))?;
    convert::to_json(&result).ok_or(Failure::Undefined)
}

/// Checks the `{% %}` expressions of a template statically. Each message names where the
/// expression sits (`a/b/0`) and what is wrong.
pub fn validate(template: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    check(template, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check(template: &Value, at: &str, problems: &mut Vec<String>) {
    let place = |at: &str| {
        if at.is_empty() {
            String::new()
        } else {
            format!("field '{at}': ")
        }
    };
    match template {
        Value::String(s) => {
            if let Some(expr) = expression(s) {
                if expr.is_empty() {
                    problems.push(format!(
                        "{}the JSONata expression '{s}' is empty",
                        place(at)
                    ));
                } else if let Err(e) = jsonata_core::parser::parse(expr) {
                    problems.push(format!(
                        "{}the JSONata expression '{expr}' is invalid: {e}",
                        place(at)
                    ));
                }
            } else if s.trim_start().starts_with("{%") {
                problems.push(format!(
                    "{}'{s}' opens a JSONata expression with '{{%' but does not end with '%}}'",
                    place(at)
                ));
            }
        }
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| check(v, &join(at, k), problems)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| check(v, &join(at, &i.to_string()), problems)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;

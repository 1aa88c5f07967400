//! Evaluates a parsed path with Jayway's semantics, as Step Functions does: a definite path
//! yields one value or fails ("No results for path: $['a']"); an indefinite path (wildcard,
//! slice, filter, union, `..`) yields an array of every match, possibly empty.

use super::Scope;
use super::ast::{Function, JsonPath, Location, Root, Segment, Selector, Step};
use super::filter;
use serde_json::Value;

/// Why a path found nothing usable; the text follows Jayway's wording.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("No results for path: {0}")]
    NoResults(String),
    #[error("Missing property in path {0}")]
    MissingProperty(String),
    #[error(
        "Expected to find an object with property ['{property}'] in path {at} but found '{found}'. This is not a json object"
    )]
    NotAnObject {
        property: String,
        at: String,
        found: &'static str,
    },
    #[error("The variable '${0}' is not defined")]
    UnknownVariable(String),
    #[error("'@' is only meaningful inside a filter")]
    NoCurrentNode,
    #[error("Function {function}() cannot be applied to {found} at path {at}")]
    BadFunctionInput {
        function: &'static str,
        found: &'static str,
        at: String,
    },
}

/// Evaluates `path`; `current` is the node `@` refers to inside a filter.
pub fn evaluate(
    path: &JsonPath,
    scope: &Scope,
    current: Option<&Value>,
) -> Result<Value, EvalError> {
    let root = resolve_root(&path.root, scope, current)?;
    let (steps, function) = match path.segments.split_last() {
        Some((Segment::Function(f), rest)) => (rest, Some(*f)),
        _ => (&path.segments[..], None),
    };
    let value = if path.is_definite() {
        definite(root, steps, path)?.clone()
    } else {
        let mut nodes = vec![(root, Location::default())];
        for segment in steps {
            nodes = apply(segment, nodes, scope);
        }
        Value::Array(nodes.into_iter().map(|(v, _)| v.clone()).collect())
    };
    match function {
        Some(f) => call(f, value, path),
        None => Ok(value),
    }
}

/// True when the path yields anything (a definite path's node exists; an indefinite one matches).
pub fn exists(path: &JsonPath, scope: &Scope, current: Option<&Value>) -> bool {
    match evaluate(path, scope, current) {
        Ok(Value::Array(a)) if !path.is_definite() => !a.is_empty(),
        Ok(_) => true,
        Err(_) => false,
    }
}

fn resolve_root<'a>(
    root: &Root,
    scope: &Scope<'a>,
    current: Option<&'a Value>,
) -> Result<&'a Value, EvalError> {
    match root {
        Root::Input => Ok(scope.input),
        Root::Context => Ok(scope.context),
        Root::Variable(name) => scope
            .variables
            .get(name)
            .ok_or_else(|| EvalError::UnknownVariable(name.clone())),
        Root::Current => current.ok_or(EvalError::NoCurrentNode),
    }
}

/// Walks a definite path, failing as Jayway does when a step is missing.
fn definite<'a>(
    root: &'a Value,
    steps: &[Segment],
    path: &JsonPath,
) -> Result<&'a Value, EvalError> {
    let mut node = root;
    let mut at = Location::default();
    for (i, segment) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let missing = || {
            if last {
                EvalError::NoResults(normalized(path))
            } else {
                EvalError::MissingProperty(at.to_string())
            }
        };
        match segment {
            Segment::Child(Selector::Names(names)) => {
                let name = &names[0];
                let Value::Object(map) = node else {
                    return Err(EvalError::NotAnObject {
                        property: name.clone(),
                        at: at.to_string(),
                        found: java_type(node),
                    });
                };
                at = at.with(Step::Name(name.clone()));
                node = map.get(name).ok_or_else(|| {
                    if last {
                        EvalError::NoResults(normalized(path))
                    } else {
                        EvalError::MissingProperty(at.to_string())
                    }
                })?;
            }
            Segment::Child(Selector::Indices(indices)) => {
                let Value::Array(items) = node else {
                    return Err(missing());
                };
                let index = resolve_index(indices[0], items.len()).ok_or_else(missing)?;
                at = at.with(Step::Index(index));
                node = &items[index];
            }
            _ => unreachable!("a definite path holds only single names and indices"),
        }
    }
    Ok(node)
}

/// Applies one segment of an indefinite path to every current node; misses are skipped.
fn apply<'a>(
    segment: &Segment,
    nodes: Vec<(&'a Value, Location)>,
    scope: &Scope<'a>,
) -> Vec<(&'a Value, Location)> {
    let mut out = Vec::new();
    for (node, at) in nodes {
        match segment {
            Segment::Child(selector) => select_children(selector, node, &at, scope, &mut out),
            Segment::Descendant(selector) => descend(selector, node, &at, scope, &mut out),
            Segment::Function(_) => unreachable!("functions end the path"),
        }
    }
    out
}

fn descend<'a>(
    selector: &Selector,
    node: &'a Value,
    at: &Location,
    scope: &Scope<'a>,
    out: &mut Vec<(&'a Value, Location)>,
) {
    select_children(selector, node, at, scope, out);
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                descend(selector, v, &at.with(Step::Name(k.clone())), scope, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                descend(selector, v, &at.with(Step::Index(i)), scope, out);
            }
        }
        _ => {}
    }
}

fn select_children<'a>(
    selector: &Selector,
    node: &'a Value,
    at: &Location,
    scope: &Scope<'a>,
    out: &mut Vec<(&'a Value, Location)>,
) {
    match (selector, node) {
        (Selector::Names(names), Value::Object(map)) => {
            for name in names {
                if let Some(v) = map.get(name) {
                    out.push((v, at.with(Step::Name(name.clone()))));
                }
            }
        }
        (Selector::Indices(indices), Value::Array(items)) => {
            for &i in indices {
                if let Some(i) = resolve_index(i, items.len()) {
                    out.push((&items[i], at.with(Step::Index(i))));
                }
            }
        }
        (Selector::Slice { start, end, step }, Value::Array(items)) => {
            for i in slice_indices(*start, *end, *step, items.len()) {
                out.push((&items[i], at.with(Step::Index(i))));
            }
        }
        (Selector::Wildcard, Value::Object(map)) => {
            out.extend(map.iter().map(|(k, v)| (v, at.with(Step::Name(k.clone())))));
        }
        (Selector::Wildcard, Value::Array(items)) => {
            out.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v, at.with(Step::Index(i)))),
            );
        }
        (Selector::Filter(expr), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                if filter::holds(expr, v, scope) {
                    out.push((v, at.with(Step::Index(i))));
                }
            }
        }
        // Jayway applies a filter on an object to the object itself.
        (Selector::Filter(expr), Value::Object(_)) if filter::holds(expr, node, scope) => {
            out.push((node, at.clone()));
        }
        _ => {}
    }
}

fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if index < 0 { len + index } else { index };
    (0..len).contains(&i).then_some(i as usize)
}

/// Python-style slice bounds, clamped to the array.
fn slice_indices(
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let norm = |i: i64| if i < 0 { i + len } else { i };
    if step > 0 {
        let s = start.map(norm).unwrap_or(0).clamp(0, len);
        let e = end.map(norm).unwrap_or(len).clamp(0, len);
        (s..e).step_by(step as usize).map(|i| i as usize).collect()
    } else {
        let s = start.map(norm).unwrap_or(len - 1).clamp(-1, len - 1);
        let e = end.map(norm).unwrap_or(-1).clamp(-1, len - 1);
        let mut out = Vec::new();
        let mut i = s;
        while i > e {
            out.push(i as usize);
            i += step;
        }
        out
    }
}

fn call(function: Function, value: Value, path: &JsonPath) -> Result<Value, EvalError> {
    let bad = |name: &'static str, v: &Value| EvalError::BadFunctionInput {
        function: name,
        found: json_type(v),
        at: normalized(path),
    };
    match function {
        Function::Length => match &value {
            Value::Array(a) => Ok(a.len().into()),
            Value::Object(o) => Ok(o.len().into()),
            Value::String(s) => Ok(s.chars().count().into()),
            other => Err(bad("length", other)),
        },
        Function::Keys => match &value {
            Value::Object(o) => Ok(Value::Array(o.keys().cloned().map(Value::String).collect())),
            other => Err(bad("keys", other)),
        },
        Function::Min | Function::Max | Function::Avg | Function::Sum | Function::StdDev => {
            let name = function.name();
            let numbers: Vec<f64> = match &value {
                Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
                other => return Err(bad(name, other)),
            };
            if numbers.is_empty() && function != Function::Sum {
                return Err(bad(name, &value));
            }
            let n = numbers.len() as f64;
            let sum: f64 = numbers.iter().sum();
            let result = match function {
                Function::Min => numbers.iter().copied().fold(f64::INFINITY, f64::min),
                Function::Max => numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                Function::Avg => sum / n,
                Function::Sum => sum,
                _ => (numbers.iter().map(|x| (x - sum / n).powi(2)).sum::<f64>() / n).sqrt(),
            };
            Ok(serde_json::Number::from_f64(result)
                .map(Value::Number)
                .unwrap_or(Value::Null))
        }
    }
}

/// The path as Jayway prints it in messages: `$['a'][0][*]`.
pub fn normalized(path: &JsonPath) -> String {
    let mut out = String::from("$");
    for segment in &path.segments {
        match segment {
            Segment::Child(s) => out.push_str(&selector_text(s)),
            Segment::Descendant(s) => {
                out.push_str("..");
                out.push_str(&selector_text(s));
            }
            Segment::Function(f) => out.push_str(&format!(".{}()", f.name())),
        }
    }
    out
}

fn selector_text(selector: &Selector) -> String {
    match selector {
        Selector::Names(n) => format!(
            "[{}]",
            n.iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Selector::Indices(i) => format!(
            "[{}]",
            i.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
        Selector::Slice { start, end, .. } => {
            format!(
                "[{}:{}]",
                start.map(|s| s.to_string()).unwrap_or_default(),
                end.map(|e| e.to_string()).unwrap_or_default()
            )
        }
        Selector::Wildcard => "[*]".into(),
        Selector::Filter(_) => "[?]".into(),
    }
}

/// The Java class Jayway names in its messages for a JSON value.
fn java_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_f64() => "java.lang.Double",
        Value::Number(_) => "java.lang.Integer",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
    }
}

/// The JSON type name of a value, for messages.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An empty variable map, for scopes that have none.
#[cfg(test)]
pub fn no_variables() -> &'static serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(serde_json::Map::new)
}

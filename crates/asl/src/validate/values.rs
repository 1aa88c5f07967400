//! Typed checks on single field values, shared by the validator's parts: JSON types,
//! integer and number bounds, RFC 3339 timestamps, and the syntax of paths, templates,
//! intrinsic calls and JSONata expressions (delegated to the modules that evaluate them,
//! so validation and evaluation never disagree about the grammar).

use super::{Ctx, Lang};
use crate::path::PathKind;
use serde_json::{Map, Value};

/// How a value's JSON type reads in a message.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// True for a string written as a JSONata expression: `{% … %}`.
pub(super) fn is_jsonata(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

/// Reports a wrong JSON type.
pub(super) fn wrong_type(cx: &mut Ctx, loc: &str, field: &str, expected: &str, found: &Value) {
    cx.report(
        loc,
        field,
        format!("must be {expected}, found {}", type_name(found)),
    );
}

pub(super) fn string<'v>(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &'v Value,
) -> Option<&'v str> {
    match value {
        Value::String(s) => Some(s),
        other => {
            wrong_type(cx, loc, field, "a string", other);
            None
        }
    }
}

pub(super) fn boolean(cx: &mut Ctx, loc: &str, field: &str, value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => {
            wrong_type(cx, loc, field, "a boolean", other);
            None
        }
    }
}

pub(super) fn object<'v>(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &'v Value,
) -> Option<&'v Map<String, Value>> {
    match value {
        Value::Object(o) => Some(o),
        other => {
            wrong_type(cx, loc, field, "an object", other);
            None
        }
    }
}

pub(super) fn array<'v>(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &'v Value,
) -> Option<&'v [Value]> {
    match value {
        Value::Array(a) => Some(a),
        other => {
            wrong_type(cx, loc, field, "an array", other);
            None
        }
    }
}

/// A JSONata-capable field holding `{% … %}` instead of a literal: checks the expression
/// and returns true so the caller skips its literal checks.
pub(super) fn jsonata_instead(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &Value,
    lang: Lang,
) -> bool {
    match value {
        Value::String(s) if lang == Lang::Jsonata && is_jsonata(s) => {
            jsonata(cx, loc, field, value);
            true
        }
        _ => false,
    }
}

/// An integer no smaller than `min` (or, in JSONata, an expression).
pub(super) fn integer(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &Value,
    min: i64,
    lang: Lang,
) -> Option<i64> {
    if jsonata_instead(cx, loc, field, value, lang) {
        return None;
    }
    let found = match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) if i >= min => return Some(i),
            Some(i) => i.to_string(),
            None if n.as_u64().is_some() => return None, // beyond i64: certainly ≥ min
            None => n.to_string(),
        },
        other => type_name(other).to_owned(),
    };
    let what = if lang == Lang::Jsonata {
        " (or a {% %} expression)"
    } else {
        ""
    };
    cx.report(
        loc,
        field,
        format!("must be an integer ≥ {min}{what}, found {found}"),
    );
    None
}

/// A number no smaller than `min` (or, in JSONata, an expression).
pub(super) fn number(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &Value,
    min: f64,
    lang: Lang,
) -> Option<f64> {
    if jsonata_instead(cx, loc, field, value, lang) {
        return None;
    }
    match value.as_f64() {
        Some(n) if n >= min => Some(n),
        Some(n) => {
            cx.report(loc, field, format!("must be a number ≥ {min}, found {n}"));
            None
        }
        None => {
            wrong_type(cx, loc, field, "a number", value);
            None
        }
    }
}

/// A path field; `nullable` fields accept JSON null (InputPath/OutputPath/ResultPath: discard).
pub(super) fn path(
    cx: &mut Ctx,
    loc: &str,
    field: &str,
    value: &Value,
    kind: PathKind,
    nullable: bool,
) {
    match value {
        Value::Null if nullable => {}
        Value::String(p) => {
            if let Err(why) = crate::path::validate(p, kind) {
                cx.report(loc, field, format!("bad path '{p}': {why}"));
            }
        }
        other => {
            let expected = if nullable {
                "a path string or null"
            } else {
                "a path string"
            };
            wrong_type(cx, loc, field, expected, other);
        }
    }
}

/// A reference path or an intrinsic call (Fail's ErrorPath/CausePath).
pub(super) fn path_or_intrinsic(cx: &mut Ctx, loc: &str, field: &str, value: &Value) {
    match value {
        Value::String(p) if crate::intrinsics::is_intrinsic(p) => {
            if let Err(why) = crate::intrinsics::validate(p) {
                cx.report(loc, field, format!("bad intrinsic call '{p}': {why}"));
            }
        }
        _ => path(cx, loc, field, value, PathKind::Reference, false),
    }
}

/// An RFC 3339 timestamp such as `2016-03-14T01:59:00Z` (or, in JSONata, an expression).
pub(super) fn timestamp(cx: &mut Ctx, loc: &str, field: &str, value: &Value, lang: Lang) {
    if jsonata_instead(cx, loc, field, value, lang) {
        return;
    }
    if let Some(text) = string(cx, loc, field, value)
        && !is_timestamp(text)
    {
        cx.report(
            loc,
            field,
            format!("'{text}' is not an RFC 3339 timestamp (e.g. 2016-03-14T01:59:00Z)"),
        );
    }
}

/// True for an RFC 3339 date-time with an upper-case `T` separator.
pub(super) fn is_timestamp(text: &str) -> bool {
    text.get(10..11) == Some("T") && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// A payload template of a JSONPath state (Parameters, ResultSelector, ItemSelector, Assign).
pub(super) fn template(cx: &mut Ctx, loc: &str, field: &str, value: &Value) {
    if let Err(problems) = crate::path::validate_template(value) {
        for why in problems {
            cx.report(loc, field, why);
        }
    }
}

/// Every `{% %}` expression inside a JSONata state's field value.
pub(super) fn jsonata(cx: &mut Ctx, loc: &str, field: &str, value: &Value) {
    if let Err(problems) = crate::jsonata::validate(value) {
        for why in problems {
            cx.report(loc, field, why);
        }
    }
}

/// Reports when more than one of `names` is present in `obj`; returns how many are.
pub(super) fn at_most_one(
    cx: &mut Ctx,
    loc: &str,
    obj: &Map<String, Value>,
    names: &[&str],
) -> usize {
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| obj.contains_key(*n))
        .collect();
    if present.len() > 1 {
        cx.report(
            loc,
            present[1],
            format!(
                "only one of {} may be given, found {}",
                names.join(", "),
                present.join(" and ")
            ),
        );
    }
    present.len()
}

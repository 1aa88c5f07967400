//! The `States.*` intrinsic functions (States.Format, States.Array, States.Hash…).
//!
//! Layout: [`parser`] reads the call syntax; this file checks names and arity and resolves
//! arguments; [`collections`] holds the array and JSON functions, [`scalars`] the string,
//! encoding, hashing, math and UUID ones. Every failure is `States.Runtime` (what Step
//! Functions reports for a failing intrinsic at run time), with a cause naming the function.

mod collections;
mod parser;
mod scalars;

use crate::StatesError;
use crate::path::{self, PathKind, Scope};
use parser::{Arg, Call};
use serde_json::Value;

/// The error name a failing intrinsic raises.
pub const FAILURE: &str = "States.Runtime";

/// The functions Step Functions offers, with their minimum and maximum argument counts.
const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("Format", 1, usize::MAX),
    ("StringToJson", 1, 1),
    ("JsonToString", 1, 1),
    ("Array", 0, usize::MAX),
    ("ArrayPartition", 2, 2),
    ("ArrayContains", 2, 2),
    ("ArrayRange", 3, 3),
    ("ArrayGetItem", 2, 2),
    ("ArrayLength", 1, 1),
    ("ArrayUnique", 1, 1),
    ("Base64Encode", 1, 1),
    ("Base64Decode", 1, 1),
    ("Hash", 2, 2),
    ("JsonMerge", 3, 3),
    ("MathRandom", 2, 3),
    ("MathAdd", 2, 2),
    ("StringSplit", 2, 2),
    ("UUID", 0, 0),
];

/// True when a `.$` value is an intrinsic call rather than a path.
pub fn is_intrinsic(expr: &str) -> bool {
    expr.trim_start().starts_with("States.")
}

/// Checks an intrinsic call's syntax, function name and arity (nested calls and path
/// arguments included).
pub fn validate(expr: &str) -> Result<(), String> {
    let call = parser::parse(expr).map_err(|e| format!("invalid intrinsic function call: {e}"))?;
    check_call(&call)
}

fn check_call(call: &Call) -> Result<(), String> {
    let (min, max) = arity(&call.name)?;
    let n = call.args.len();
    if n < min || n > max {
        return Err(arity_message(&call.name, min, max, n));
    }
    for arg in &call.args {
        match arg {
            Arg::Call(inner) => check_call(inner)?,
            Arg::Path(p) => path::validate(p, PathKind::Path)
                .map_err(|e| format!("States.{}: {e}", call.name))?,
            Arg::Str { .. } | Arg::Literal(_) => {}
        }
    }
    if call.name == "Format"
        && let Some(Arg::Str { raw, .. }) = call.args.first()
    {
        let placeholders = scalars::count_placeholders(raw);
        if placeholders != n - 1 {
            return Err(format!(
                "States.Format: the template has {placeholders} '{{}}' placeholder(s) but {} argument(s) follow it",
                n - 1
            ));
        }
    }
    Ok(())
}

fn arity(name: &str) -> Result<(usize, usize), String> {
    FUNCTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, min, max)| (*min, *max))
        .ok_or_else(|| format!("'States.{name}' is not an intrinsic function"))
}

fn arity_message(name: &str, min: usize, max: usize, given: usize) -> String {
    let wanted = match (min, max) {
        (a, b) if a == b => format!("exactly {a}"),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    format!("States.{name} takes {wanted} argument(s), {given} given")
}

/// Evaluates an intrinsic call.
pub fn evaluate(expr: &str, scope: &Scope) -> Result<Value, StatesError> {
    let call = parser::parse(expr)
        .map_err(|e| failure(format!("Invalid intrinsic function call: {e}")))?;
    evaluate_call(&call, scope)
}

fn evaluate_call(call: &Call, scope: &Scope) -> Result<Value, StatesError> {
    let (min, max) = arity(&call.name).map_err(failure)?;
    if call.args.len() < min || call.args.len() > max {
        return Err(failure(arity_message(
            &call.name,
            min,
            max,
            call.args.len(),
        )));
    }
    let args = call
        .args
        .iter()
        .map(|a| resolve(a, scope))
        .collect::<Result<Vec<_>, _>>()?;
    let f = Func { name: &call.name };
    match call.name.as_str() {
        "Format" => {
            let Some(Arg::Str { raw, .. }) = call.args.first() else {
                return Err(f.fail("the first argument must be a string literal template"));
            };
            scalars::format(&f, raw, &args[1..])
        }
        "StringToJson" => collections::string_to_json(&f, &args[0]),
        "JsonToString" => Ok(Value::String(path::template::compact(&args[0]))),
        "Array" => Ok(Value::Array(args)),
        "ArrayPartition" => collections::partition(&f, &args[0], &args[1]),
        "ArrayContains" => Ok(Value::Bool(
            f.array(&args[0], 1)?
                .iter()
                .any(|v| collections::same(v, &args[1])),
        )),
        "ArrayRange" => collections::range(&f, &args[0], &args[1], &args[2]),
        "ArrayGetItem" => collections::get_item(&f, &args[0], &args[1]),
        "ArrayLength" => Ok(f.array(&args[0], 1)?.len().into()),
        "ArrayUnique" => collections::unique(&f, &args[0]),
        "JsonMerge" => collections::merge(&f, &args[0], &args[1], &args[2]),
        "Base64Encode" => scalars::base64_encode(&f, &args[0]),
        "Base64Decode" => scalars::base64_decode(&f, &args[0]),
        "Hash" => scalars::hash(&f, &args[0], &args[1]),
        "MathRandom" => scalars::random(&f, &args),
        "MathAdd" => scalars::add(&f, &args[0], &args[1]),
        "StringSplit" => scalars::split(&f, &args[0], &args[1]),
        "UUID" => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        other => Err(failure(format!(
            "'States.{other}' is not an intrinsic function"
        ))),
    }
}

fn resolve(arg: &Arg, scope: &Scope) -> Result<Value, StatesError> {
    match arg {
        Arg::Str { value, .. } => Ok(Value::String(value.clone())),
        Arg::Literal(v) => Ok(v.clone()),
        Arg::Call(c) => evaluate_call(c, scope),
        Arg::Path(p) => {
            let parsed = path::parse(p).map_err(failure)?;
            path::eval::evaluate(&parsed, scope, None).map_err(|_| {
                failure(format!(
                    "The JsonPath argument for the field '{p}' could not be found in the input '{}'",
                    path::template::compact(scope.input)
                ))
            })
        }
    }
}

fn failure(cause: impl Into<String>) -> StatesError {
    StatesError::new(FAILURE, cause)
}

/// The function being evaluated, for argument checks whose messages name it.
pub struct Func<'a> {
    name: &'a str,
}

impl Func<'_> {
    /// An error naming this function.
    pub fn fail(&self, why: impl std::fmt::Display) -> StatesError {
        failure(format!("The function 'States.{}' failed: {why}", self.name))
    }

    fn wrong_type(&self, position: usize, wanted: &str, got: &Value) -> StatesError {
        self.fail(format!(
            "argument {position} must be {wanted}, but was {} ({})",
            path::eval::json_type(got),
            path::template::compact(got)
        ))
    }

    /// Argument `position` (1-based) as an array.
    pub fn array<'v>(&self, v: &'v Value, position: usize) -> Result<&'v Vec<Value>, StatesError> {
        v.as_array()
            .ok_or_else(|| self.wrong_type(position, "an array", v))
    }

    /// Argument `position` as a string.
    pub fn string<'v>(&self, v: &'v Value, position: usize) -> Result<&'v str, StatesError> {
        v.as_str()
            .ok_or_else(|| self.wrong_type(position, "a string", v))
    }

    /// Argument `position` as a whole number (`3` or `3.0`).
    pub fn integer(&self, v: &Value, position: usize) -> Result<i64, StatesError> {
        match v.as_i64() {
            Some(i) => Ok(i),
            None => match v.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
                _ => Err(self.wrong_type(position, "an integer", v)),
            },
        }
    }

    /// Argument `position` as a number.
    pub fn number(&self, v: &Value, position: usize) -> Result<f64, StatesError> {
        v.as_f64()
            .ok_or_else(|| self.wrong_type(position, "a number", v))
    }
}

#[cfg(test)]
mod tests;

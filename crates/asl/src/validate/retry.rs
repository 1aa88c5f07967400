//! Retry and Catch on Task, Parallel and Map: each entry names the errors it matches
//! (`States.ALL` alone and in the last entry, since it swallows everything after it),
//! retriers have sane back-off numbers, catchers name a state in this scope.

use super::state::Transition;
use super::values::{self, array, integer, number, object, path, string, template};
use super::{Ctx, Lang, join};
use crate::path::PathKind;
use serde_json::{Map, Value};

const RETRIER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];

/// Checks Retry and Catch; returns the Catch transitions.
pub(super) fn check(
    cx: &mut Ctx,
    loc: &str,
    obj: &Map<String, Value>,
    lang: Lang,
) -> Vec<Transition> {
    if let Some(retry) = obj.get("Retry").and_then(|v| array(cx, loc, "Retry", v)) {
        for (i, entry) in retry.iter().enumerate() {
            let field = format!("Retry[{i}]");
            let Some(r) = object(cx, loc, &field, entry) else {
                continue;
            };
            error_equals(cx, loc, &field, r, i + 1 == retry.len());
            retrier(cx, loc, &field, r);
        }
    }
    let mut out = Vec::new();
    if let Some(catch) = obj.get("Catch").and_then(|v| array(cx, loc, "Catch", v)) {
        for (i, entry) in catch.iter().enumerate() {
            let field = format!("Catch[{i}]");
            let Some(c) = object(cx, loc, &field, entry) else {
                continue;
            };
            error_equals(cx, loc, &field, c, i + 1 == catch.len());
            out.extend(catcher(cx, loc, &field, c, lang));
        }
    }
    out
}

/// ErrorEquals: a non-empty array of error names; States.ALL alone and in the last entry.
fn error_equals(cx: &mut Ctx, loc: &str, entry: &str, obj: &Map<String, Value>, last: bool) {
    let field = join(entry, "ErrorEquals");
    let Some(value) = obj.get("ErrorEquals") else {
        cx.report(
            loc,
            &field,
            "missing: name the errors this entry handles (e.g. [\"States.ALL\"])",
        );
        return;
    };
    let Some(names) = array(cx, loc, &field, value) else {
        return;
    };
    if names.is_empty() {
        cx.report(loc, &field, "is empty: name at least one error");
    }
    let mut has_all = false;
    for (i, name) in names.iter().enumerate() {
        if let Some(n) = string(cx, loc, &format!("{field}[{i}]"), name) {
            has_all |= n == "States.ALL";
        }
    }
    if has_all && names.len() > 1 {
        cx.report(loc, &field, "States.ALL must appear alone in ErrorEquals");
    }
    if has_all && !last {
        let list = entry.split('[').next().unwrap_or(entry);
        cx.report(
            loc,
            &field,
            format!("an entry matching States.ALL must be the last one in {list}"),
        );
    }
}

/// A retrier's numbers: MaxAttempts ≥ 0, IntervalSeconds ≥ 1, BackoffRate ≥ 1, MaxDelaySeconds ≥ 1.
fn retrier(cx: &mut Ctx, loc: &str, entry: &str, obj: &Map<String, Value>) {
    for (key, value) in obj {
        let field = join(entry, key);
        match key.as_str() {
            "MaxAttempts" => {
                integer(cx, loc, &field, value, 0, Lang::JsonPath);
            }
            "IntervalSeconds" | "MaxDelaySeconds" => {
                integer(cx, loc, &field, value, 1, Lang::JsonPath);
            }
            "BackoffRate" => {
                number(cx, loc, &field, value, 1.0, Lang::JsonPath);
            }
            "JitterStrategy" => {
                if let Some(s) = string(cx, loc, &field, value)
                    && s != "FULL"
                    && s != "NONE"
                {
                    cx.report(
                        loc,
                        &field,
                        format!("'{s}' is not a jitter strategy; use FULL or NONE"),
                    );
                }
            }
            "Comment" => {
                string(cx, loc, &field, value);
            }
            k if RETRIER_FIELDS.contains(&k) => {}
            k => cx.report(
                loc,
                &field,
                format!("'{k}' is not a field of a Retry entry"),
            ),
        }
    }
}

/// A catcher: Next (a state of this scope), ResultPath/Output, Assign.
fn catcher(
    cx: &mut Ctx,
    loc: &str,
    entry: &str,
    obj: &Map<String, Value>,
    lang: Lang,
) -> Option<Transition> {
    for (key, value) in obj {
        let field = join(entry, key);
        match (key.as_str(), lang) {
            ("ErrorEquals" | "Next", _) => {}
            ("Comment", _) => {
                string(cx, loc, &field, value);
            }
            ("ResultPath", Lang::JsonPath) => {
                path(cx, loc, &field, value, PathKind::Reference, true)
            }
            ("Assign", Lang::JsonPath) => {
                if object(cx, loc, &field, value).is_some() {
                    template(cx, loc, &field, value);
                }
            }
            ("Assign" | "Output", Lang::Jsonata) => values::jsonata(cx, loc, &field, value),
            ("Output", Lang::JsonPath) => cx.report(
                loc,
                &field,
                "'Output' is a JSONata field; this state uses JSONPath",
            ),
            ("ResultPath", Lang::Jsonata) => cx.report(
                loc,
                &field,
                "'ResultPath' is a JSONPath field; this state uses JSONata (use Output)",
            ),
            (k, _) => cx.report(
                loc,
                &field,
                format!("'{k}' is not a field of a Catch entry"),
            ),
        }
    }
    let next_field = join(entry, "Next");
    match obj.get("Next") {
        None => {
            cx.report(
                loc,
                &next_field,
                "missing: a Catch entry must name the state to go to",
            );
            None
        }
        Some(v) => string(cx, loc, &next_field, v).map(|t| Transition::new(next_field.clone(), t)),
    }
}

//! Checks one state: its Type, the fields that Type allows, its transition (Next/End),
//! input/output processing fields, and the rules of each Type (Task, Wait, Fail…).
//! Parallel and Map live in `compound`; Choice rules in `choice`; Retry/Catch in `retry`.
//! Returns the state's transitions so the machine can resolve them in its own scope.

use super::fields::{self, TYPES};
use super::machine::query_language;
use super::values::{
    self, at_most_one, integer, path, path_or_intrinsic, string, template, timestamp,
};
use super::{Ctx, Lang, choice, compound, retry};
use crate::path::PathKind;
use serde_json::{Map, Value};

/// A transition out of a state: the field that names it (`Next`, `Default`,
/// `Choices[1].Next`, `Catch[0].Next`) and the state it names.
#[derive(Debug, Clone)]
pub(super) struct Transition {
    pub field: String,
    pub target: String,
}

impl Transition {
    pub(super) fn new(field: impl Into<String>, target: &str) -> Self {
        Self {
            field: field.into(),
            target: target.to_owned(),
        }
    }
}

/// Checks the state at `loc`; `inherited` is the query language of the enclosing machine.
pub(super) fn check_state(
    cx: &mut Ctx,
    loc: &str,
    value: &Value,
    inherited: Lang,
) -> Vec<Transition> {
    let Some(obj) = value.as_object() else {
        cx.report(
            loc,
            "",
            format!(
                "a state must be a JSON object, found {}",
                values::type_name(value)
            ),
        );
        return Vec::new();
    };
    let lang = state_language(cx, loc, obj, inherited);
    if let Some(v) = obj.get("Comment") {
        string(cx, loc, "Comment", v);
    }
    let ty = match obj.get("Type") {
        None => {
            cx.report(
                loc,
                "Type",
                format!("missing: every state needs a Type ({})", TYPES.join(", ")),
            );
            return loose_transitions(obj);
        }
        Some(v) => match string(cx, loc, "Type", v) {
            Some(t) if TYPES.contains(&t) => t,
            Some(t) => {
                cx.report(
                    loc,
                    "Type",
                    format!("'{t}' is not a state type; use one of {}", TYPES.join(", ")),
                );
                return loose_transitions(obj);
            }
            None => return loose_transitions(obj),
        },
    };
    fields::check_allowed(cx, loc, ty, lang, obj);
    let mut out: Vec<Transition> = transition(cx, loc, ty, obj).into_iter().collect();
    data_fields(cx, loc, obj, lang);
    match ty {
        "Task" => task(cx, loc, obj, lang),
        "Choice" => out.extend(choice::check(cx, loc, obj, lang)),
        "Wait" => wait(cx, loc, obj, lang),
        "Fail" => fail(cx, loc, obj, lang),
        "Parallel" => compound::parallel(cx, loc, obj, lang),
        "Map" => compound::map(cx, loc, obj, lang),
        _ => {}
    }
    if matches!(ty, "Task" | "Parallel" | "Map") {
        out.extend(retry::check(cx, loc, obj, lang));
    }
    out
}

/// The state's own QueryLanguage, else the enclosing one. A JSONata machine cannot hold JSONPath states.
fn state_language(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, inherited: Lang) -> Lang {
    let Some(value) = obj.get("QueryLanguage") else {
        return inherited;
    };
    match query_language(cx, loc, value) {
        Some(Lang::JsonPath) if inherited == Lang::Jsonata => {
            cx.report(
                loc,
                "QueryLanguage",
                "a state cannot use JSONPath when the state machine around it uses JSONata",
            );
            Lang::Jsonata
        }
        Some(lang) => lang,
        None => inherited,
    }
}

/// Transitions of a state whose Type is unusable, so its successors are not also called unreachable.
fn loose_transitions(obj: &Map<String, Value>) -> Vec<Transition> {
    ["Next", "Default"]
        .into_iter()
        .filter_map(|f| {
            obj.get(f)
                .and_then(Value::as_str)
                .map(|t| Transition::new(f, t))
        })
        .collect()
}

/// Next/End: exactly one for Pass/Task/Wait/Parallel/Map; neither for Choice/Succeed/Fail.
fn transition(cx: &mut Ctx, loc: &str, ty: &str, obj: &Map<String, Value>) -> Option<Transition> {
    let terminal_reason = match ty {
        "Succeed" | "Fail" => Some(format!("a {ty} state ends the execution by itself")),
        "Choice" => Some("a Choice state moves on through its Choices and Default".to_owned()),
        _ => None,
    };
    if let Some(reason) = terminal_reason {
        for field in ["Next", "End"] {
            if obj.contains_key(field) {
                cx.report(loc, field, format!("{reason}; remove {field}"));
            }
        }
        return None;
    }
    let end = match obj.get("End") {
        None => false,
        Some(v) => values::boolean(cx, loc, "End", v).unwrap_or(false),
    };
    let next = obj.get("Next").and_then(|v| string(cx, loc, "Next", v));
    match (next, end) {
        (Some(_), true) => {
            cx.report(
                loc,
                "End",
                "has both Next and \"End\": true; give exactly one",
            );
            None
        }
        (Some(target), false) => Some(Transition::new("Next", target)),
        (None, true) => None,
        (None, false) if obj.contains_key("Next") => None, // wrong type, already reported
        (None, false) => {
            cx.report(
                loc,
                "Next",
                format!("a {ty} state needs Next or \"End\": true"),
            );
            None
        }
    }
}

/// Input/output processing fields, per query language.
fn data_fields(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    if let Some(v) = obj.get("Assign") {
        values::object(cx, loc, "Assign", v);
    }
    match lang {
        Lang::JsonPath => {
            for (field, kind) in [
                ("InputPath", PathKind::Path),
                ("OutputPath", PathKind::Path),
                ("ResultPath", PathKind::Reference),
            ] {
                if let Some(v) = obj.get(field) {
                    path(cx, loc, field, v, kind, true);
                }
            }
            for field in ["Parameters", "ResultSelector", "ItemSelector", "Assign"] {
                if let Some(v) = obj.get(field) {
                    template(cx, loc, field, v);
                }
            }
        }
        Lang::Jsonata => {
            for field in [
                "Arguments",
                "Output",
                "Assign",
                "ItemSelector",
                "Credentials",
            ] {
                if let Some(v) = obj.get(field) {
                    values::jsonata(cx, loc, field, v);
                }
            }
        }
    }
}

/// Task: Resource, timeouts and heartbeats.
fn task(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    match obj.get("Resource") {
        None => cx.report(
            loc,
            "Resource",
            "missing: a Task state needs a Resource (e.g. a Lambda function ARN)",
        ),
        Some(v) => {
            if string(cx, loc, "Resource", v).is_some_and(|r| r.trim().is_empty()) {
                cx.report(loc, "Resource", "must not be empty");
            }
        }
    }
    if let Some(v) = obj.get("Credentials") {
        values::object(cx, loc, "Credentials", v);
    }
    at_most_one(cx, loc, obj, &["TimeoutSeconds", "TimeoutSecondsPath"]);
    at_most_one(cx, loc, obj, &["HeartbeatSeconds", "HeartbeatSecondsPath"]);
    let timeout = obj
        .get("TimeoutSeconds")
        .and_then(|v| integer(cx, loc, "TimeoutSeconds", v, 1, lang));
    let heartbeat = obj
        .get("HeartbeatSeconds")
        .and_then(|v| integer(cx, loc, "HeartbeatSeconds", v, 1, lang));
    if let (Some(t), Some(h)) = (timeout, heartbeat)
        && h >= t
    {
        cx.report(
            loc,
            "HeartbeatSeconds",
            format!("must be smaller than TimeoutSeconds ({t}), found {h}"),
        );
    }
    for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
        if let Some(v) = obj.get(field) {
            path(cx, loc, field, v, PathKind::Reference, false);
        }
    }
}

/// Wait: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath.
fn wait(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    let names = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
    if at_most_one(cx, loc, obj, &names) == 0 {
        cx.report(
            loc,
            "",
            format!("a Wait state needs exactly one of {}", names.join(", ")),
        );
    }
    if let Some(v) = obj.get("Seconds") {
        integer(cx, loc, "Seconds", v, 0, lang);
    }
    if let Some(v) = obj.get("Timestamp") {
        timestamp(cx, loc, "Timestamp", v, lang);
    }
    for field in ["SecondsPath", "TimestampPath"] {
        if let Some(v) = obj.get(field) {
            path(cx, loc, field, v, PathKind::Reference, false);
        }
    }
}

/// Fail: Error/ErrorPath and Cause/CausePath, each at most one of the pair.
fn fail(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    at_most_one(cx, loc, obj, &["Error", "ErrorPath"]);
    at_most_one(cx, loc, obj, &["Cause", "CausePath"]);
    for field in ["Error", "Cause"] {
        if let Some(v) = obj.get(field)
            && !values::jsonata_instead(cx, loc, field, v, lang)
        {
            string(cx, loc, field, v);
        }
    }
    for field in ["ErrorPath", "CausePath"] {
        if let Some(v) = obj.get(field) {
            path_or_intrinsic(cx, loc, field, v);
        }
    }
}

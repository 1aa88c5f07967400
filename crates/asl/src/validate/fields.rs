//! Which fields each state Type allows, per query language. JSONPath states shape data with
//! InputPath/Parameters/ResultSelector/ResultPath/OutputPath; JSONata states with Arguments
//! and Output. A field of the other language gets a message saying so, since that is the
//! usual mistake when a state is converted from one to the other.

use super::{Ctx, Lang};
use serde_json::{Map, Value};

/// The state types the engine knows.
pub(super) const TYPES: &[&str] = &[
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// Fields every state may have.
const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];

/// Fields checked elsewhere with a better message (transitions of terminal/Choice states).
const TRANSITIONS: &[&str] = &["Next", "End"];

/// The fields one Type allows: in both languages, JSONPath only, JSONata only.
struct Allowed {
    both: &'static [&'static str],
    jsonpath: &'static [&'static str],
    jsonata: &'static [&'static str],
}

fn allowed(ty: &str) -> Option<Allowed> {
    let a = |both, jsonpath, jsonata| {
        Some(Allowed {
            both,
            jsonpath,
            jsonata,
        })
    };
    match ty {
        "Pass" => a(
            &["Next", "End", "Assign"],
            &[
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "Result",
            ],
            &["Output"],
        ),
        "Task" => a(
            &[
                "Next",
                "End",
                "Assign",
                "Resource",
                "Retry",
                "Catch",
                "TimeoutSeconds",
                "HeartbeatSeconds",
                "Credentials",
            ],
            &[
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "ResultSelector",
                "TimeoutSecondsPath",
                "HeartbeatSecondsPath",
            ],
            &["Arguments", "Output"],
        ),
        "Choice" => a(
            &["Choices", "Default", "Assign"],
            &["InputPath", "OutputPath"],
            &["Output"],
        ),
        "Wait" => a(
            &["Next", "End", "Assign", "Seconds", "Timestamp"],
            &["InputPath", "OutputPath", "SecondsPath", "TimestampPath"],
            &["Output"],
        ),
        "Succeed" => a(&[], &["InputPath", "OutputPath"], &["Output"]),
        "Fail" => a(&["Error", "Cause"], &["ErrorPath", "CausePath"], &[]),
        "Parallel" => a(
            &["Next", "End", "Assign", "Branches", "Retry", "Catch"],
            &[
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "ResultSelector",
            ],
            &["Arguments", "Output"],
        ),
        "Map" => a(
            &[
                "Next",
                "End",
                "Assign",
                "ItemProcessor",
                "Iterator",
                "ItemSelector",
                "ItemReader",
                "ItemBatcher",
                "ResultWriter",
                "MaxConcurrency",
                "ToleratedFailureCount",
                "ToleratedFailurePercentage",
                "Label",
                "Retry",
                "Catch",
            ],
            &[
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "ResultSelector",
                "ItemsPath",
                "MaxConcurrencyPath",
                "ToleratedFailureCountPath",
                "ToleratedFailurePercentagePath",
            ],
            &["Items", "Output"],
        ),
        _ => None,
    }
}

/// Reports every field of `state` that its Type does not allow in `lang`.
/// Next/End are left to the transition check, which words it better.
pub(super) fn check_allowed(
    cx: &mut Ctx,
    loc: &str,
    ty: &str,
    lang: Lang,
    state: &Map<String, Value>,
) {
    let Some(allowed) = allowed(ty) else { return };
    let (own, other) = match lang {
        Lang::JsonPath => (allowed.jsonpath, allowed.jsonata),
        Lang::Jsonata => (allowed.jsonata, allowed.jsonpath),
    };
    for key in state.keys() {
        let k = key.as_str();
        if COMMON.contains(&k)
            || allowed.both.contains(&k)
            || own.contains(&k)
            || TRANSITIONS.contains(&k)
        {
            continue;
        }
        let message = if other.contains(&k) {
            match lang {
                Lang::JsonPath => format!(
                    "'{k}' is a JSONata field; this state uses JSONPath (set \"QueryLanguage\": \"JSONata\" or use the JSONPath fields)"
                ),
                Lang::Jsonata => format!(
                    "'{k}' is a JSONPath field; this state uses JSONata (use Arguments, Output and {{% %}} expressions)"
                ),
            }
        } else {
            format!("'{k}' is not a field of a {ty} state")
        };
        cx.report(loc, k, message);
    }
}

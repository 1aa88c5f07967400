//! Broken definitions refused with exact problems: nested scopes, names, Wait/Fail/Task rules,
//! query-language fields, and one definition with many problems listed at once.

use super::{p, problems};
use serde_json::json;

#[test]
fn nested_map_scopes_resolve_names_on_their_own() {
    let definition = json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Next": "After", "Branches": [{"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "End": true, "MaxConcurrency": -2, "ItemProcessor": {"StartAt": "Inner", "States": {
                "Inner": {"Type": "Pass", "Next": "After"}
            }}}
        }}]},
        "After": {"Type": "Succeed"}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.Fan.Branches[0].States.Each",
                "MaxConcurrency",
                "must be an integer ≥ 0, found -2"
            ),
            p(
                "States.Fan.Branches[0].States.Each.ItemProcessor.States.Inner",
                "Next",
                "Next 'After' names no state in this scope"
            ),
        ]
    );
}

#[test]
fn unreachable_states_and_duplicate_names_across_scopes() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}, "Lost": {"Type": "Pass", "Next": "X"}}},
            {"States": {"X": {"Type": "Pass", "End": true}}}
        ]},
        "Orphan": {"Type": "Succeed"}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.A.Branches[0].States.Lost",
                "",
                "state 'Lost' is unreachable: no transition from StartAt 'X' leads to it"
            ),
            p(
                "States.A.Branches[1]",
                "StartAt",
                "missing: name the state the machine starts at"
            ),
            p(
                "States.A.Branches[1].States.X",
                "",
                "state name 'X' is already used at States.A.Branches[0].States.X; names must be unique across the whole state machine, branches and Map processors included"
            ),
            p(
                "States.Orphan",
                "",
                "state 'Orphan' is unreachable: no transition from StartAt 'A' leads to it"
            ),
        ]
    );
}

#[test]
fn wait_fail_and_task_rules() {
    let definition = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1.5, "Timestamp": "2016-03-14 01:59:00", "Next": "T"},
        "T": {"Type": "Task", "TimeoutSeconds": 0, "TimeoutSecondsPath": "$.t", "Next": "F"},
        "F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "Next": "W"}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.W",
                "Timestamp",
                "only one of Seconds, Timestamp, SecondsPath, TimestampPath may be given, found Seconds and Timestamp"
            ),
            p("States.W", "Seconds", "must be an integer ≥ 0, found 1.5"),
            p(
                "States.W",
                "Timestamp",
                "'2016-03-14 01:59:00' is not an RFC 3339 timestamp (e.g. 2016-03-14T01:59:00Z)"
            ),
            p(
                "States.T",
                "Resource",
                "missing: a Task state needs a Resource (e.g. a Lambda function ARN)"
            ),
            p(
                "States.T",
                "TimeoutSecondsPath",
                "only one of TimeoutSeconds, TimeoutSecondsPath may be given, found TimeoutSeconds and TimeoutSecondsPath"
            ),
            p(
                "States.T",
                "TimeoutSeconds",
                "must be an integer ≥ 1, found 0"
            ),
            p(
                "States.F",
                "Next",
                "a Fail state ends the execution by itself; remove Next"
            ),
            p(
                "States.F",
                "ErrorPath",
                "only one of Error, ErrorPath may be given, found Error and ErrorPath"
            ),
        ]
    );
}

#[test]
fn fields_of_the_other_query_language_are_refused() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"a.$": "$.a"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "D"}]},
        "D": {"Type": "Pass", "QueryLanguage": "Python", "Output": {}, "End": true}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.A",
                "Parameters",
                "'Parameters' is a JSONPath field; this state uses JSONata (use Arguments, Output and {% %} expressions)"
            ),
            p(
                "States.B",
                "QueryLanguage",
                "a state cannot use JSONPath when the state machine around it uses JSONata"
            ),
            p(
                "States.C",
                "Choices[0].Variable",
                "'Variable' is a JSONPath Choice rule field; this state uses JSONata (use Condition)"
            ),
            p(
                "States.C",
                "Choices[0].IsPresent",
                "'IsPresent' is a JSONPath Choice rule field; this state uses JSONata (use Condition)"
            ),
            p(
                "States.C",
                "Choices[0].Condition",
                "missing: a JSONata Choice rule needs a Condition"
            ),
            p(
                "States.D",
                "QueryLanguage",
                "'Python' is not a query language; use JSONPath or JSONata"
            ),
        ]
    );
}

#[test]
fn a_definition_with_several_problems_lists_them_all() {
    let long_name = "N".repeat(81);
    let definition = json!({
        "StartAt": "Start", "Timeout": 5, "QueryLanguage": "JSONPath",
        "States": {
            "Start": {"Type": "Pass", "Next": "Missing", "Output": {}},
            "Odd": {"Type": "Sleep", "End": true},
            long_name.clone(): {"Type": "Succeed"},
            "Pick": {"Type": "Choice", "Choices": [], "Default": 7}
        }
    });
    assert_eq!(
        problems(definition),
        vec![
            p(
                "",
                "Timeout",
                "'Timeout' is not a field of a state machine definition"
            ),
            p(
                "States.Start",
                "Output",
                "'Output' is a JSONata field; this state uses JSONPath (set \"QueryLanguage\": \"JSONata\" or use the JSONPath fields)"
            ),
            p(
                "States.Odd",
                "Type",
                "'Sleep' is not a state type; use one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map"
            ),
            p(
                &format!("States.{long_name}"),
                "",
                "state name is 81 characters long; the limit is 80"
            ),
            p("States.Pick", "Default", "must be a string, found a number"),
            p(
                "States.Pick",
                "Choices",
                "is empty: a Choice state needs at least one rule"
            ),
            p(
                "States.Start",
                "Next",
                "Next 'Missing' names no state in this scope"
            ),
            p(
                "States.Odd",
                "",
                "state 'Odd' is unreachable: no transition from StartAt 'Start' leads to it"
            ),
            p(
                &format!("States.{long_name}"),
                "",
                &format!(
                    "state '{long_name}' is unreachable: no transition from StartAt 'Start' leads to it"
                )
            ),
            p(
                "States.Pick",
                "",
                "state 'Pick' is unreachable: no transition from StartAt 'Start' leads to it"
            ),
        ]
    );
}

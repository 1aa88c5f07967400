//! Static validation of ASL definitions: every definition AWS accepted validates clean
//! (zero false positives), and broken definitions are refused with every problem listed,
//! each naming the state, the field and what to do about it.

use pam_asl::validate::{Problem, validate_definition};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The problems of a definition as (location, field, message) triples, in report order.
fn problems(definition: Value) -> Vec<(String, String, String)> {
    match validate_definition(&definition) {
        Ok(()) => Vec::new(),
        Err(list) => list
            .into_iter()
            .map(|p| (p.location, p.field, p.message))
            .collect(),
    }
}

fn p(location: &str, field: &str, message: &str) -> (String, String, String) {
    (location.to_owned(), field.to_owned(), message.to_owned())
}

#[test]
fn every_conformance_definition_validates_clean() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/asl-conformance/cases.jsonl");
    let Ok(text) = std::fs::read_to_string(&file) else {
        eprintln!("skipping: {} is absent", file.display());
        return;
    };
    let mut checked = 0;
    let mut refused = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("a case line is JSON");
        if let Err(list) = validate_definition(&case["definition"]) {
            let shown: Vec<String> = list.iter().map(Problem::to_string).collect();
            refused.push(format!("{}: {}", case["id"], shown.join("; ")));
        }
        checked += 1;
    }
    assert!(
        checked > 300,
        "expected the full case file, read {checked} definitions"
    );
    assert!(
        refused.is_empty(),
        "{} AWS-accepted definitions refused:\n{}",
        refused.len(),
        refused.join("\n")
    );
}

#[test]
fn a_valid_machine_with_every_state_type_passes() {
    let definition = json!({
        "Comment": "all types", "StartAt": "Start", "TimeoutSeconds": 60, "Version": "1.0",
        "States": {
            "Start": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.r", "Next": "Work"},
            "Work": {"Type": "Task", "Resource": "${WorkFunctionArn}", "TimeoutSeconds": 30,
                     "HeartbeatSeconds": 10, "Parameters": {"n.$": "$.r.n"},
                     "Retry": [{"ErrorEquals": ["Pam.Transient"], "MaxAttempts": 3, "BackoffRate": 2.0,
                                "IntervalSeconds": 1, "JitterStrategy": "FULL"},
                               {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken"}],
                     "Next": "Decide"},
            "Decide": {"Type": "Choice", "Default": "Pause", "Choices": [
                {"And": [{"Variable": "$.n", "NumericGreaterThan": 1},
                         {"Not": {"Variable": "$.s", "StringEquals": "x"}}], "Next": "Fan"},
                {"Variable": "$.t", "TimestampLessThanEqualsPath": "$.u", "Next": "Done"}]},
            "Pause": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "Next": "Fan"},
            "Fan": {"Type": "Parallel", "Next": "Each", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "Next": "Done",
                     "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
                                       "States": {"Item": {"Type": "Pass", "End": true}}}},
            "Done": {"Type": "Succeed"},
            "Broken": {"Type": "Fail", "Error": "Broken", "CausePath": "$.error.Cause"}
        }
    });
    assert_eq!(problems(definition), Vec::new());
}

#[test]
fn unknown_next_is_named_with_its_scope() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "Nowhere"}
    }});
    assert_eq!(
        problems(definition),
        vec![p(
            "States.A",
            "Next",
            "Next 'Nowhere' names no state in this scope"
        )]
    );
}

#[test]
fn missing_end_and_both_next_and_end() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass"},
        "C": {"Type": "Pass", "Next": "B", "End": true},
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.B",
                "Next",
                "a Pass state needs Next or \"End\": true"
            ),
            p(
                "States.C",
                "End",
                "has both Next and \"End\": true; give exactly one"
            ),
            p(
                "States.C",
                "",
                "state 'C' is unreachable: no transition from StartAt 'A' leads to it"
            ),
        ]
    );
}

#[test]
fn bad_jsonpath_names_the_field_and_path() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "InputPath": "$.a[", "ResultPath": "$.items[*]", "End": true}
    }});
    let found = problems(definition);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("States.A", "InputPath")
    );
    assert!(
        found[0].2.starts_with("bad path '$.a[': "),
        "{}",
        found[0].2
    );
    assert_eq!(
        (found[1].0.as_str(), found[1].1.as_str()),
        ("States.A", "ResultPath")
    );
    assert!(
        found[1].2.starts_with("bad path '$.items[*]': "),
        "{}",
        found[1].2
    );
}

#[test]
fn bad_operator_and_wrong_operand_types() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Default": "D", "Choices": [
            {"Variable": "$.n", "NumericEqual": 1, "Next": "D"},
            {"Variable": "$.n", "NumericEquals": "1", "Next": "D"},
            {"Variable": "$.t", "TimestampEquals": "yesterday", "Next": "D"},
            {"Variable": "$.b", "IsNull": "yes", "Next": "D"},
        ]},
        "D": {"Type": "Succeed"}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.C",
                "Choices[0].NumericEqual",
                "'NumericEqual' is not a comparison operator (e.g. StringEquals, NumericLessThanPath, IsPresent)"
            ),
            p(
                "States.C",
                "Choices[0]",
                "Choice rule needs exactly one comparison operator, found none (use e.g. StringEquals, or And/Or/Not)"
            ),
            p(
                "States.C",
                "Choices[1].NumericEquals",
                "NumericEquals takes a number, found a string"
            ),
            p(
                "States.C",
                "Choices[2].TimestampEquals",
                "'yesterday' is not an RFC 3339 timestamp (e.g. 2016-03-14T01:59:00Z)"
            ),
            p(
                "States.C",
                "Choices[3].IsNull",
                "IsNull takes a boolean, found a string"
            ),
        ]
    );
}

#[test]
fn choice_rule_with_two_operators_and_nested_next() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericEquals": 1, "StringEquals": "1", "Next": "D"},
            {"Or": [], "Next": "D"},
            {"Not": {"Variable": "$.x", "IsPresent": true, "Next": "D"}, "Next": "D"},
            {"And": [{"NumericEquals": 3}], "Next": "D"},
        ], "End": true},
        "D": {"Type": "Succeed"}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.C",
                "End",
                "a Choice state moves on through its Choices and Default; remove End"
            ),
            p(
                "States.C",
                "Choices[0]",
                "Choice rule needs exactly one comparison operator, found 2: NumericEquals, StringEquals"
            ),
            p(
                "States.C",
                "Choices[1].Or",
                "is empty: Or needs at least one rule"
            ),
            p(
                "States.C",
                "Choices[2].Not.Next",
                "only a top-level Choice rule can have Next; rules nested in And/Or/Not cannot"
            ),
            p(
                "States.C",
                "Choices[3].And[0].Variable",
                "missing: a comparison rule needs a Variable naming the value to compare"
            ),
        ]
    );
}

#[test]
fn retry_with_states_all_not_last_and_bad_numbers() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:x", "End": true, "Retry": [
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": -1},
            {"ErrorEquals": ["Pam.Transient"], "BackoffRate": 0.5, "IntervalSeconds": 0, "JitterStrategy": "SOME"},
            {"ErrorEquals": []},
        ], "Catch": [{"ErrorEquals": ["States.ALL", "Other"], "Next": "Gone"}]}
    }});
    assert_eq!(
        problems(definition),
        vec![
            p(
                "States.T",
                "Retry[0].ErrorEquals",
                "an entry matching States.ALL must be the last one in Retry"
            ),
            p(
                "States.T",
                "Retry[0].MaxAttempts",
                "must be an integer ≥ 0, found -1"
            ),
            p(
                "States.T",
                "Retry[1].BackoffRate",
                "must be a number ≥ 1, found 0.5"
            ),
            p(
                "States.T",
                "Retry[1].IntervalSeconds",
                "must be an integer ≥ 1, found 0"
            ),
            p(
                "States.T",
                "Retry[1].JitterStrategy",
                "'SOME' is not a jitter strategy; use FULL or NONE"
            ),
            p(
                "States.T",
                "Retry[2].ErrorEquals",
                "is empty: name at least one error"
            ),
            p(
                "States.T",
                "Catch[0].ErrorEquals",
                "States.ALL must appear alone in ErrorEquals"
            ),
            p(
                "States.T",
                "Catch[0].Next",
                "Next 'Gone' names no state in this scope"
            ),
        ]
    );
}

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

#[test]
fn problems_display_with_location_and_field() {
    let err = validate_definition(
        &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}),
    )
    .expect_err("B does not exist");
    assert_eq!(
        err[0].to_string(),
        "States.A.Next: Next 'B' names no state in this scope"
    );
    let err = validate_definition(&json!([])).expect_err("not an object");
    assert_eq!(
        err[0].to_string(),
        "a definition must be a JSON object, found an array"
    );
}

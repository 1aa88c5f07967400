//! Broken definitions refused with exact problems: transitions, paths, Choice rules, Retry/Catch.

use super::{p, problems};
use serde_json::json;

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

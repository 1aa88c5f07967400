//! Static validation of ASL definitions: every definition AWS accepted validates clean
//! (zero false positives), and broken definitions are refused with every problem listed,
//! each naming the state, the field and what to do about it.

use pam_asl::validate::{Problem, validate_definition};
use serde_json::{Value, json};
use std::path::PathBuf;

#[path = "validation/broken.rs"]
mod broken;
#[path = "validation/machines.rs"]
mod machines;
#[path = "validation/scopes.rs"]
mod scopes;

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

//! The `pam asl` CLI contract: exit codes and the one-JSON-line outputs other tools parse.

use serde_json::{Value, json};
use std::process::{Command, Output};

fn pam(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pam"))
        .args(args)
        .output()
        .expect("run pam")
}

fn write(dir: &tempfile::TempDir, name: &str, v: &Value) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.to_string_lossy().into_owned()
}

fn line(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON line ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn validate_lists_every_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        &dir,
        "good.json",
        &json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
    );
    assert_eq!(pam(&["asl", "validate", &good]).status.code(), Some(0));
    let bad = write(
        &dir,
        "bad.json",
        &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}, "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": "one", "Next": "A"}]}}}),
    );
    let out = pam(&["asl", "validate", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Missing"), "{stderr}");
    assert!(
        stderr.lines().count() >= 3,
        "every problem on its own line: {stderr}"
    );
}

#[test]
fn run_prints_one_line_for_success_and_failure() {
    let dir = tempfile::tempdir().unwrap();
    let def = write(
        &dir,
        "d.json",
        &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"v.$": "$.x"}, "End": true}}}),
    );
    let input = write(&dir, "i.json", &json!({"x": 1.5}));
    let out = pam(&["asl", "run", "--definition", &def, "--input", &input]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        line(&out),
        json!({"status": "SUCCEEDED", "output": {"v": 1.5}})
    );

    let task = write(
        &dir,
        "t.json",
        &json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:x", "End": true}}}),
    );
    let out = pam(&["asl", "run", "--definition", &task]);
    assert_eq!(out.status.code(), Some(0));
    let v = line(&out);
    assert_eq!(v["status"], "FAILED");
    assert_eq!(v["error"], "States.TaskFailed");
    assert!(v["cause"].as_str().unwrap().contains("no invoker"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_json = dir.path().join("x.json");
    std::fs::write(&not_json, "{").unwrap();
    assert_eq!(
        pam(&["asl", "run", "--definition", not_json.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(pam(&["asl", "run"]).status.code(), Some(2));
}

#[test]
fn run_cases_prints_results_in_order_without_reading_expected() {
    let dir = tempfile::tempdir().unwrap();
    let case = |id: &str, def: Value, input: Value| {
        json!({"id": id, "definition": def, "input": input, "expected": {"status": "bogus"}})
            .to_string()
    };
    let text = [
        case("ok", json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}), json!({"a": 1})),
        case("fails", json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}), json!({})),
    ]
    .join("\n");
    let file = dir.path().join("cases.jsonl");
    std::fs::write(&file, text).unwrap();
    let out = pam(&["asl", "run-cases", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            json!({"id": "ok", "status": "SUCCEEDED", "output": {"a": 1}}),
            json!({"id": "fails", "status": "FAILED", "error": "E", "cause": "C"})
        ]
    );
}

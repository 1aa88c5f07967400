//! Checks the payload-template and intrinsic layer alone against the AWS-recorded cases:
//! every case that is a single Pass state whose only processing is `Parameters` is
//! rendered with `path::render_template` and compared with the recorded output. This
//! isolates path/intrinsic faults from interpreter faults. Skips when the cases file
//! (`../shared/asl-conformance/cases.jsonl` beside the workspace) is absent.

use pam_asl::path::{Scope, render_template};
use serde_json::{Map, Value};
use std::path::PathBuf;

fn cases_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/asl-conformance/cases.jsonl")
}

/// The `Parameters` of a one-state Pass machine that does nothing else, if the case is one.
fn single_pass_parameters(definition: &Value) -> Option<&Value> {
    let states = definition.get("States")?.as_object()?;
    if states.len() != 1 || definition.get("QueryLanguage").is_some() {
        return None;
    }
    let state = states.values().next()?.as_object()?;
    let plain = state
        .keys()
        .all(|k| matches!(k.as_str(), "Type" | "Parameters" | "End" | "Comment"));
    (state.get("Type")? == "Pass" && plain)
        .then(|| state.get("Parameters"))
        .flatten()
}

#[test]
fn pass_parameters_cases_render_as_aws_recorded() {
    let path = cases_file();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let (mut checked, mut failures) = (0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value =
            serde_json::from_str(line).expect("cases.jsonl holds one JSON object a line");
        let Some(parameters) = single_pass_parameters(&case["definition"]) else {
            continue;
        };
        checked += 1;
        let variables = Map::new();
        let context = serde_json::json!({});
        let scope = Scope {
            input: &case["input"],
            context: &context,
            variables: &variables,
        };
        let expected = &case["expected"];
        let got = render_template(parameters, &scope);
        let ok = match (&got, expected["status"].as_str()) {
            (Ok(v), Some("SUCCEEDED")) => v == &expected["output"],
            (Err(e), Some("FAILED")) => expected.get("error").is_none_or(|x| x == e.error.as_str()),
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: got {got:?}, expected {expected}", case["id"]));
        }
    }
    println!(
        "intrinsic/template cases: {}/{checked} pass",
        checked - failures.len()
    );
    assert!(
        checked > 50,
        "expected the single-Pass Parameters cases, found only {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

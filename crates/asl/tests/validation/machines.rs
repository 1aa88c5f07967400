//! The repository's own state machines (`statemachines/*.asl.json`) validate clean, and the
//! labelling workflow has the shape the design asks for.

use pam_asl::validate::{Problem, validate_definition};
use serde_json::Value;
use std::path::PathBuf;

/// The repository's own state machines, read from `statemachines/`.
fn repo_machine(name: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../statemachines")
        .join(name);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn every_repository_state_machine_validates_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../statemachines");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("statemachines/ exists")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".asl.json"))
        .collect();
    names.sort();
    assert!(
        names.contains(&"labelling.asl.json".to_owned()),
        "{names:?}"
    );
    for name in names {
        let shown: Vec<String> = match validate_definition(&repo_machine(&name)) {
            Ok(()) => continue,
            Err(list) => list.iter().map(Problem::to_string).collect(),
        };
        panic!("{name} is invalid:\n{}", shown.join("\n"));
    }
}

#[test]
fn labelling_runs_detect_index_archive_and_quarantines_failures() {
    let machine = repo_machine("labelling.asl.json");
    let states = machine["States"].as_object().expect("States");
    // The happy path, in order, each a Task on its step's placeholder.
    let mut name = machine["StartAt"].as_str().expect("StartAt").to_owned();
    let mut tasks = Vec::new();
    while let Some(next) = states[&name]["Next"].as_str() {
        if states[&name]["Type"] == "Task" {
            tasks.push(name.clone());
            assert_eq!(states[&name]["Resource"], format!("${{{name}FunctionArn}}"));
        }
        name = next.to_owned();
    }
    assert_eq!(
        tasks,
        ["ReadEvent", "DetectLabels", "IndexLabels", "Archive"]
    );
    assert_eq!(states[&name]["Type"], "Succeed");
    // ReadEvent has no photo to quarantine yet: its failures end the execution.
    let rejected = states["ReadEvent"]["Catch"][0]["Next"]
        .as_str()
        .expect("a catcher");
    assert_eq!(states[rejected]["Type"], "Fail");
    for task in &tasks[1..] {
        let state = &states[task];
        let retried: Vec<&str> = state["Retry"][0]["ErrorEquals"]
            .as_array()
            .expect("a retrier")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for transient in [
            "Pam.Transient",
            "Lambda.ServiceException",
            "Lambda.TooManyRequestsException",
            "States.Timeout",
        ] {
            assert!(
                retried.contains(&transient),
                "{task} does not retry {transient}"
            );
        }
        // Every failure reaches Quarantine, then the Fail state.
        let mut step = state["Catch"][0]["Next"]
            .as_str()
            .expect("a catcher")
            .to_owned();
        while states[&step]["Type"] == "Pass" {
            step = states[&step]["Next"].as_str().expect("Next").to_owned();
        }
        assert_eq!(step, "Quarantine");
        assert_eq!(states[&step]["Resource"], "${QuarantineFunctionArn}");
        assert_eq!(
            states[states[&step]["Next"].as_str().expect("Next")]["Type"],
            "Fail"
        );
        // The photo travels by reference only: bucket and key, or the previous step's
        // reference-only output.
        match state.get("Parameters") {
            Some(parameters) => {
                assert_eq!(parameters["bucket.$"], "$.photo.bucket", "{task}");
                assert_eq!(parameters["key.$"], "$.photo.key", "{task}");
            }
            None => assert_eq!(state["InputPath"], "$.detection", "{task}"),
        }
    }
    assert_eq!(
        states["ReadEvent"]["Parameters"]["photo"]
            .as_object()
            .map(|o| o.len()),
        Some(2)
    );
}

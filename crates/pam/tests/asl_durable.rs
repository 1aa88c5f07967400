//! Durability of `pam asl exec`: a real `pam` process is killed (SIGKILL) while an
//! execution sits in a Wait; a second process resumes it from the SQLite store. The
//! execution must end with the right output, the Wait must only take the time it had
//! left, and the history must number its events 1..n with nothing repeated or lost.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WAIT_SECONDS: u64 = 4;

fn pam() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pam"))
}

fn history(store: &Path, arn: &str) -> Vec<Value> {
    let out = pam()
        .args(["asl", "history", "--store"])
        .arg(store)
        .arg(arn)
        .output()
        .expect("run pam asl history");
    assert!(
        out.status.success(),
        "history failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("history is a JSON array")
}

#[test]
fn killed_during_wait_resumes_with_time_left_and_a_clean_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("executions.sqlite");
    let definition = dir.path().join("machine.json");
    let input = dir.path().join("input.json");
    std::fs::write(
        &definition,
        json!({
            "StartAt": "Prepare",
            "States": {
                "Prepare": {"Type": "Pass", "Result": {"step": 1}, "ResultPath": "$.prepared", "Assign": {"seen": true}, "Next": "Pause"},
                "Pause": {"Type": "Wait", "Seconds": WAIT_SECONDS, "Next": "Finish"},
                "Finish": {"Type": "Pass", "Parameters": {"input.$": "$", "seen.$": "$seen"}, "End": true}
            }
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(&input, r#"{"photo": "a.jpg"}"#).unwrap();
    let args = |c: &mut Command| {
        c.args(["asl", "exec", "--store"])
            .arg(&store)
            .arg("--definition")
            .arg(&definition)
            .arg("--input")
            .arg(&input)
            .args(["--name", "durable-1", "--machine", "test"]);
    };
    let arn = "arn:aws:states:local:000000000000:execution:test:durable-1";

    // First process: start, let it reach the Wait, then kill it hard.
    let mut first = pam();
    args(&mut first);
    let mut child = first
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn pam");
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the execution never reached its Wait"
        );
        std::thread::sleep(Duration::from_millis(100));
        if store.exists() {
            let events = std::panic::catch_unwind(|| history(&store, arn)).unwrap_or_default();
            if events.iter().any(|e| e["type"] == "WaitStateEntered") {
                break;
            }
        }
    }
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().expect("kill pam");
    child.wait().unwrap();
    let before = history(&store, arn);
    assert!(
        !before.iter().any(|e| e["type"] == "ExecutionSucceeded"),
        "finished before the kill"
    );

    // Second process: resumes the execution and waits for it.
    let restarted = Instant::now();
    let mut second = pam();
    args(&mut second);
    let out = second.output().expect("rerun pam");
    let resumed_for = restarted.elapsed();
    assert!(
        out.status.success(),
        "resume failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["status"], "SUCCEEDED", "{line}");
    assert_eq!(
        line["output"],
        json!({"input": {"photo": "a.jpg", "prepared": {"step": 1}}, "seen": true})
    );
    assert!(
        resumed_for < Duration::from_secs(WAIT_SECONDS) - Duration::from_millis(700),
        "the Wait restarted from scratch instead of resuming with the time left ({resumed_for:?})"
    );

    let events = history(&store, arn);
    let ids: Vec<u64> = events.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(
        ids,
        (1..=events.len() as u64).collect::<Vec<_>>(),
        "ids must be 1..n"
    );
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    for pair in events.windows(2) {
        assert!(pair[1]["previousEventId"].as_u64().unwrap() < pair[1]["id"].as_u64().unwrap());
    }
}

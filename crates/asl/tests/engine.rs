//! The executions API on an in-memory store and a virtual clock: histories, Task
//! invocation with Retry/Catch and timeouts, StopExecution, and resuming from a
//! checkpoint inside one process.

use async_trait::async_trait;
use pam_asl::store::Store;
use pam_asl::{
    Clock, Engine, ExecutionStatus, StatesError, TaskContext, TaskInvoker, VirtualClock,
};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Fails the first `fail_times` calls with `Flaky`, then echoes its input plus the retry count.
struct Flaky {
    fail_times: u32,
    calls: AtomicU32,
    seen: Mutex<Vec<(String, Value, u32)>>,
}

#[async_trait]
impl TaskInvoker for Flaky {
    async fn invoke(
        &self,
        resource: &str,
        input: Value,
        ctx: &TaskContext,
    ) -> Result<Value, StatesError> {
        self.seen
            .lock()
            .unwrap()
            .push((resource.to_string(), input.clone(), ctx.retry_count));
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.fail_times {
            return Err(StatesError::new("Flaky", "try again"));
        }
        Ok(json!({"echo": input, "retry": ctx.retry_count}))
    }
}

/// Never answers (for timeouts and StopExecution).
struct Hang;

#[async_trait]
impl TaskInvoker for Hang {
    async fn invoke(&self, _: &str, _: Value, _: &TaskContext) -> Result<Value, StatesError> {
        std::future::pending().await
    }
}

fn engine(invoker: Arc<dyn TaskInvoker>) -> (Arc<Engine>, Arc<VirtualClock>) {
    let clock = Arc::new(VirtualClock::default());
    (
        Engine::new(Store::open_in_memory().unwrap(), clock.clone(), invoker),
        clock,
    )
}

fn types(engine: &Engine, arn: &str) -> Vec<String> {
    engine
        .history(arn)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

#[tokio::test]
async fn task_retries_with_backoff_then_succeeds_and_history_is_numbered() {
    let flaky = Arc::new(Flaky {
        fail_times: 2,
        calls: AtomicU32::new(0),
        seen: Mutex::new(vec![]),
    });
    let (engine, clock) = engine(flaky.clone());
    let t0 = clock.now();
    let def = json!({
        "StartAt": "Call",
        "States": {"Call": {
            "Type": "Task", "Resource": "${DetectLabelsFunctionArn}",
            "Parameters": {"key.$": "$.key"},
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 5}],
            "ResultSelector": {"retry.$": "$.retry"},
            "ResultPath": "$.result",
            "End": true
        }}
    });
    let arn = engine
        .start("m", Some("e1"), &def, json!({"key": "photos/a.jpg"}))
        .unwrap();
    let record = engine.wait(&arn).await.unwrap();
    assert_eq!(record.status, ExecutionStatus::Succeeded);
    assert_eq!(
        record.output,
        Some(json!({"key": "photos/a.jpg", "result": {"retry": 2}}))
    );
    // 3 s then 6 s of virtual back-off.
    assert_eq!((clock.now() - t0).num_seconds(), 9);
    let seen = flaky.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].0, "${DetectLabelsFunctionArn}");
    assert_eq!(seen[0].1, json!({"key": "photos/a.jpg"}));
    assert_eq!(seen.iter().map(|s| s.2).collect::<Vec<_>>(), vec![0, 1, 2]);
    let history = engine.history(&arn).unwrap();
    let ids: Vec<u64> = history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=history.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        types(&engine, &arn),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let failed = history
        .iter()
        .find(|e| e.event_type == "TaskFailed")
        .unwrap();
    assert_eq!(failed.details["taskFailedEventDetails"]["error"], "Flaky");
}

#[tokio::test]
async fn caught_task_error_goes_to_the_catcher_with_error_output() {
    let flaky = Arc::new(Flaky {
        fail_times: 10,
        calls: AtomicU32::new(0),
        seen: Mutex::new(vec![]),
    });
    let (engine, _) = engine(flaky);
    let def = json!({
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "r", "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Quarantine"}], "End": true},
            "Quarantine": {"Type": "Pass", "End": true}
        }
    });
    let arn = engine
        .start("m", Some("e2"), &def, json!({"k": 1}))
        .unwrap();
    let record = engine.wait(&arn).await.unwrap();
    assert_eq!(
        record.output,
        Some(json!({"k": 1, "error": {"Error": "Flaky", "Cause": "try again"}}))
    );
}

#[tokio::test]
async fn task_timeout_is_states_timeout() {
    let (engine, clock) = engine(Arc::new(Hang));
    let def = json!({"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "r", "TimeoutSeconds": 5, "End": true}}});
    let arn = engine.start("m", Some("e3"), &def, json!({})).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    clock.advance(chrono::Duration::seconds(6));
    let record = engine.wait(&arn).await.unwrap();
    assert_eq!(record.status, ExecutionStatus::Failed);
    assert_eq!(record.error.as_deref(), Some("States.Timeout"));
    assert!(types(&engine, &arn).contains(&"TaskTimedOut".to_string()));
}

#[tokio::test]
async fn stop_aborts_a_running_execution() {
    let (engine, _) = engine(Arc::new(Hang));
    let def = json!({"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "r", "End": true}}});
    let arn = engine.start("m", Some("e4"), &def, json!({})).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        engine
            .stop(&arn, Some("Operator"), Some("no longer needed"))
            .await
            .unwrap()
    );
    let record = engine.describe(&arn).unwrap();
    assert_eq!(record.status, ExecutionStatus::Aborted);
    let history = engine.history(&arn).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.event_type, "ExecutionAborted");
    assert_eq!(last.id, history.len() as u64);
    assert!(
        !engine.stop(&arn, None, None).await.unwrap(),
        "stopping twice is a no-op"
    );
}

#[tokio::test]
async fn duplicate_names_and_invalid_definitions_are_refused() {
    let (engine, _) = engine(Arc::new(Hang));
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}});
    engine.start("m", Some("same"), &def, json!({})).unwrap();
    assert!(engine.start("m", Some("same"), &def, json!({})).is_err());
    assert!(
        engine
            .start("m", Some("bad name!"), &def, json!({}))
            .is_err()
    );
    let broken = json!({"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}});
    assert!(matches!(
        engine.start("m", None, &broken, json!({})),
        Err(pam_asl::EngineError::InvalidDefinition(_))
    ));
}

#[tokio::test]
async fn map_and_parallel_histories_have_their_events() {
    let (engine, _) = engine(Arc::new(Hang));
    let def = json!({
        "StartAt": "Fan",
        "States": {
            "Fan": {"Type": "Parallel", "Branches": [
                {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}
            ], "End": true}
        }
    });
    let arn = engine.start("m", Some("e5"), &def, json!([1, 2])).unwrap();
    let record = engine.wait(&arn).await.unwrap();
    assert_eq!(record.output, Some(json!([[1, 2]])));
    let t = types(&engine, &arn);
    for expected in [
        "ParallelStateStarted",
        "MapStateStarted",
        "MapIterationStarted",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "ParallelStateSucceeded",
    ] {
        assert!(
            t.contains(&expected.to_string()),
            "{expected} missing from {t:?}"
        );
    }
    assert_eq!(t.iter().filter(|x| *x == "MapIterationStarted").count(), 2);
}

#[tokio::test]
async fn resume_from_checkpoint_discards_events_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.sqlite");
    let clock = Arc::new(VirtualClock::default());
    // First engine: its Task never answers, like a process that died mid-call.
    let first = Engine::new(Store::open(&path).unwrap(), clock.clone(), Arc::new(Hang));
    let def = json!({
        "StartAt": "Prep",
        "States": {
            "Prep": {"Type": "Pass", "Assign": {"n": 7}, "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "r", "Parameters": {"n.$": "$n"}, "End": true}
        }
    });
    let arn = first.start("m", Some("r1"), &def, json!({})).unwrap();
    while !types(&first, &arn).contains(&"TaskStarted".to_string()) {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Second engine on the same file: resumes at the Task with the variables restored.
    let flaky = Arc::new(Flaky {
        fail_times: 0,
        calls: AtomicU32::new(0),
        seen: Mutex::new(vec![]),
    });
    let second = Engine::new(Store::open(&path).unwrap(), clock, flaky.clone());
    assert_eq!(second.resume_all().unwrap(), vec![arn.clone()]);
    let record = second.wait(&arn).await.unwrap();
    assert_eq!(record.output, Some(json!({"echo": {"n": 7}, "retry": 0})));
    let history = second.history(&arn).unwrap();
    let ids: Vec<u64> = history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=history.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        types(&second, &arn),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

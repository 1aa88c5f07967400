//! One execution from `ExecutionStarted` to its terminal event: runs the top-level
//! graph (from the start or a resume point), enforces the machine's `TimeoutSeconds`,
//! and reports the outcome in the terms DescribeExecution uses.

use crate::history::{HistoryEvent, Journal, error_details};
use crate::interp::{ExecutionInfo, Frame, ResumePoint, Runtime, Vars, run_graph};
use crate::model::Definition;
use crate::{Clock, StatesError, TaskInvoker};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

/// An execution's status, as DescribeExecution names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Still running (or waiting to resume after a restart).
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// The machine's `TimeoutSeconds` elapsed.
    TimedOut,
    /// Stopped by request.
    Aborted,
}

impl ExecutionStatus {
    /// The status text (`SUCCEEDED`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }

    /// Parses a status text.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_value(Value::String(text.to_string())).ok()
    }
}

/// How an execution ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Terminal status.
    pub status: ExecutionStatus,
    /// Output when it succeeded.
    pub output: Option<Value>,
    /// Error name when it failed (absent when the Fail state gave none).
    pub error: Option<String>,
    /// Cause when it failed.
    pub cause: Option<String>,
}

impl Outcome {
    /// The one-line JSON `pam asl run` prints.
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("status".into(), self.status.as_str().into());
        if self.status == ExecutionStatus::Succeeded {
            m.insert("output".into(), self.output.clone().unwrap_or(Value::Null));
        }
        if let Some(e) = &self.error {
            m.insert("error".into(), e.clone().into());
        }
        if let Some(c) = &self.cause {
            m.insert("cause".into(), c.clone().into());
        }
        Value::Object(m)
    }

    fn failed(status: ExecutionStatus, err: &StatesError) -> Self {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Outcome {
            status,
            output: None,
            error: opt(&err.error),
            cause: opt(&err.cause),
        }
    }
}

/// Runs (or resumes) the top level of an execution and writes its terminal event.
pub async fn run_execution(
    rt: &Runtime,
    definition: &Definition,
    resume: Option<ResumePoint>,
) -> Outcome {
    let input = rt.execution.input.clone();
    let first_prev = if resume.is_none() {
        rt.emit(
            0,
            "ExecutionStarted",
            Some((
                "executionStartedEventDetails",
                json!({"input": input.to_string(), "inputDetails": {"truncated": false},
                       "roleArn": "arn:aws:iam::000000000000:role/pam-local",
                       "stateMachineArn": rt.execution.state_machine_id}),
            )),
        )
    } else {
        0
    };
    let frame = Frame {
        top_level: true,
        map_item: None,
    };
    let run = run_graph(
        rt,
        &definition.graph,
        input,
        Vars::new(),
        &frame,
        first_prev,
        resume,
    );
    let result = match definition.timeout_seconds {
        Some(secs) => {
            let deadline = rt.execution.start_time
                + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX));
            tokio::select! {
                r = run => r.map_err(|e| (ExecutionStatus::Failed, e)),
                () = rt.clock.timer(deadline) => Err((ExecutionStatus::TimedOut,
                    StatesError::new("States.Timeout", "The execution did not finish within its TimeoutSeconds"))),
            }
        }
        None => run.await.map_err(|e| (ExecutionStatus::Failed, e)),
    };
    let last = rt.journal.next_id() - 1;
    match result {
        Ok(output) => {
            rt.emit(
                last,
                "ExecutionSucceeded",
                Some((
                    "executionSucceededEventDetails",
                    json!({"output": output.to_string(), "outputDetails": {"truncated": false}}),
                )),
            );
            Outcome {
                status: ExecutionStatus::Succeeded,
                output: Some(output),
                error: None,
                cause: None,
            }
        }
        Err((status, err)) => {
            let (ty, key) = match status {
                ExecutionStatus::TimedOut => ("ExecutionTimedOut", "executionTimedOutEventDetails"),
                _ => ("ExecutionFailed", "executionFailedEventDetails"),
            };
            rt.emit(last, ty, Some((key, error_details(&err.error, &err.cause))));
            Outcome::failed(status, &err)
        }
    }
}

/// Runs a definition once, in memory, and returns the outcome and the history.
pub async fn run_once(
    definition: &Definition,
    input: Value,
    clock: Arc<dyn Clock>,
    invoker: Arc<dyn TaskInvoker>,
) -> (Outcome, Vec<HistoryEvent>) {
    let start = clock.now();
    let rt = Runtime {
        execution: ExecutionInfo::new("local", "run", input, start),
        clock,
        invoker,
        journal: Arc::new(Journal::new(None)),
        checkpointer: None,
    };
    let outcome = run_execution(&rt, definition, None).await;
    (outcome, rt.journal.events())
}

/// Why a definition could not be run at all.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The validator found problems (all of them listed).
    #[error("invalid definition: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<crate::validate::Problem>),
    /// The model could not hold it.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
}

/// Validates, parses and runs a JSON definition once in memory (`pam asl run`, run-cases).
pub async fn run_definition(
    definition: &Value,
    input: Value,
    clock: Arc<dyn Clock>,
    invoker: Arc<dyn TaskInvoker>,
) -> Result<(Outcome, Vec<HistoryEvent>), RunError> {
    crate::validate::validate_definition(definition).map_err(RunError::Invalid)?;
    let parsed = Definition::parse(definition)?;
    Ok(run_once(&parsed, input, clock, invoker).await)
}

//! How Task states reach the outside world: the engine hands a `Resource` and the
//! effective input to a [`TaskInvoker`] the caller supplies, and never knows what runs.

use crate::StatesError;
use async_trait::async_trait;
use serde_json::Value;

/// What a Task invocation knows about where it runs.
#[derive(Debug, Clone)]
pub struct TaskContext {
    /// Execution ARN.
    pub execution_id: String,
    /// Execution name.
    pub execution_name: String,
    /// The Task state's name.
    pub state_name: String,
    /// 0 on the first attempt, then 1, 2… as Retry re-runs the state.
    pub retry_count: u32,
    /// The context object (`$$`) as the state sees it.
    pub context: Value,
}

/// Runs Task states' work.
///
/// Contract: return the task's JSON result, or a [`StatesError`] whose `error` is the name
/// Retry/Catch match on (e.g. the step's own error type) and `cause` free text. The
/// engine may call again for the same state (Retry, or resume after a crash), so
/// invocations should be idempotent.
#[async_trait]
pub trait TaskInvoker: Send + Sync {
    /// Invokes `resource` with `input`.
    async fn invoke(
        &self,
        resource: &str,
        input: Value,
        ctx: &TaskContext,
    ) -> Result<Value, StatesError>;
}

/// An invoker with no resources: every Task fails with `States.TaskFailed`
/// (`pam asl run`, the conformance cases).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoInvoker;

#[async_trait]
impl TaskInvoker for NoInvoker {
    async fn invoke(
        &self,
        resource: &str,
        _input: Value,
        _ctx: &TaskContext,
    ) -> Result<Value, StatesError> {
        Err(StatesError::new(
            "States.TaskFailed",
            format!("no invoker for resource {resource}"),
        ))
    }
}

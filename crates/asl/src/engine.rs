//! The executions API (StartExecution, DescribeExecution, ListExecutions,
//! GetExecutionHistory, StopExecution) over the durable [`Store`]. Each execution runs
//! as a tokio task; [`Engine::resume_all`] restarts the ones a previous process left
//! RUNNING, from their last checkpoint.

use crate::exec::{ExecutionStatus, Outcome, run_execution};
use crate::history::{EventSink, HistoryEvent, Journal, error_details};
use crate::interp::{Checkpointer, ExecutionInfo, ResumePoint, Runtime, Vars, timestamp_text};
use crate::model::{Definition, ModelError};
use crate::store::{ExecutionRecord, Store, StoreError};
use crate::validate::{Problem, validate_definition};
use crate::{Clock, TaskInvoker};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// Why an engine call failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The definition has problems (every one listed).
    #[error("invalid definition: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidDefinition(Vec<Problem>),
    /// The definition passed validation but could not be modelled.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input is over the 256 KiB payload limit.
    #[error("execution input is {0} bytes; the limit is 262144")]
    InputTooLarge(usize),
    /// Execution names may use letters, digits, `-` and `_` (1–80 characters).
    #[error("invalid execution name '{0}': use 1-80 letters, digits, '-' or '_'")]
    InvalidName(String),
}

/// Runs durable executions.
pub struct Engine {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    invoker: Arc<dyn TaskInvoker>,
    tasks: Mutex<HashMap<String, JoinHandle<()>>>,
}

/// Persists one execution's events and checkpoints.
struct StoreSink {
    store: Arc<Store>,
    arn: String,
}

impl EventSink for StoreSink {
    fn record(&self, event: &HistoryEvent) {
        if let Err(e) = self.store.append_event(&self.arn, event) {
            tracing::error!(execution = %self.arn, error = %e, "could not persist history event");
        }
    }
}

impl Checkpointer for StoreSink {
    fn checkpoint(&self, point: &ResumePoint) {
        if let Err(e) = self.store.save_checkpoint(&self.arn, point) {
            tracing::error!(execution = %self.arn, error = %e, "could not persist checkpoint");
        }
    }
}

fn valid_name(name: &str) -> bool {
    (1..=80).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Engine {
    /// An engine over a store, with the clock and invoker its executions use.
    pub fn new(store: Store, clock: Arc<dyn Clock>, invoker: Arc<dyn TaskInvoker>) -> Arc<Self> {
        Arc::new(Self {
            store: Arc::new(store),
            clock,
            invoker,
            tasks: Mutex::new(HashMap::new()),
        })
    }

    /// Validates, records and starts an execution; returns its ARN. `name` defaults to a UUID.
    pub fn start(
        self: &Arc<Self>,
        machine: &str,
        name: Option<&str>,
        definition: &Value,
        input: Value,
    ) -> Result<String, EngineError> {
        validate_definition(definition).map_err(EngineError::InvalidDefinition)?;
        let parsed = Definition::parse(definition)?;
        let size = input.to_string().len();
        if size > crate::interp::MAX_PAYLOAD_BYTES {
            return Err(EngineError::InputTooLarge(size));
        }
        let name = name.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
        if !valid_name(&name) {
            return Err(EngineError::InvalidName(name));
        }
        if !valid_name(machine) {
            return Err(EngineError::InvalidName(machine.to_string()));
        }
        let start = self.clock.now();
        let info = ExecutionInfo::new(machine, &name, input.clone(), start);
        let record = ExecutionRecord {
            execution_arn: info.id.clone(),
            name,
            state_machine: machine.to_string(),
            definition: definition.clone(),
            input,
            status: ExecutionStatus::Running,
            output: None,
            error: None,
            cause: None,
            start_date: timestamp_text(start),
            stop_date: None,
        };
        self.store.insert(&record)?;
        tracing::info!(execution = %record.execution_arn, "execution started");
        self.spawn(info, parsed, None, Vec::new());
        Ok(record.execution_arn)
    }

    /// Resumes every RUNNING execution that this engine is not already running.
    pub fn resume_all(self: &Arc<Self>) -> Result<Vec<String>, EngineError> {
        let mut resumed = Vec::new();
        for record in self.store.running()? {
            if self.lock_tasks().contains_key(&record.execution_arn) {
                continue;
            }
            let parsed = Definition::parse(&record.definition)?;
            let (point, events) = self.store.resume_state(&record.execution_arn)?;
            let start =
                crate::timestamp::parse(&record.start_date).unwrap_or_else(|| self.clock.now());
            let info = ExecutionInfo::new(
                &record.state_machine,
                &record.name,
                record.input.clone(),
                start,
            );
            let point = match (point, events.is_empty()) {
                (Some(p), _) => Some(p),
                // Started but no state entered yet: begin at StartAt without repeating ExecutionStarted.
                (None, false) => Some(ResumePoint {
                    state: parsed.graph.start_at.clone(),
                    input: record.input.clone(),
                    variables: Vars::new(),
                    next_event_id: 2,
                    previous_event_id: 1,
                    wait: None,
                }),
                (None, true) => None,
            };
            tracing::info!(execution = %record.execution_arn, state = ?point.as_ref().map(|p| &p.state), "resuming execution");
            self.spawn(info, parsed, point, events);
            resumed.push(record.execution_arn);
        }
        Ok(resumed)
    }

    fn lock_tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, JoinHandle<()>>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn spawn(
        self: &Arc<Self>,
        info: ExecutionInfo,
        definition: Definition,
        resume: Option<ResumePoint>,
        events: Vec<HistoryEvent>,
    ) {
        let arn = info.id.clone();
        let sink = Arc::new(StoreSink {
            store: self.store.clone(),
            arn: arn.clone(),
        });
        let rt = Runtime {
            clock: self.clock.clone(),
            invoker: self.invoker.clone(),
            journal: Arc::new(Journal::resume(events, Some(sink.clone()))),
            execution: info,
            checkpointer: Some(sink),
        };
        let engine = Arc::clone(self);
        let key = arn.clone();
        let mut tasks = self.lock_tasks();
        let handle = tokio::spawn(async move {
            let outcome = run_execution(&rt, &definition, resume).await;
            let stop = timestamp_text(engine.clock.now());
            if let Err(e) = engine.store.finish(&arn, &outcome, &stop) {
                tracing::error!(execution = %arn, error = %e, "could not record the outcome");
            }
            tracing::info!(execution = %arn, status = outcome.status.as_str(), "execution ended");
            engine.lock_tasks().remove(&arn);
        });
        tasks.insert(key, handle);
    }

    /// DescribeExecution.
    pub fn describe(&self, arn: &str) -> Result<ExecutionRecord, EngineError> {
        Ok(self.store.get(arn)?)
    }

    /// ListExecutions (newest first).
    pub fn list(&self) -> Result<Vec<ExecutionRecord>, EngineError> {
        Ok(self.store.list()?)
    }

    /// GetExecutionHistory.
    pub fn history(&self, arn: &str) -> Result<Vec<HistoryEvent>, EngineError> {
        self.store.get(arn)?;
        Ok(self.store.events(arn)?)
    }

    /// StopExecution: cancels a RUNNING execution and records `ExecutionAborted`.
    /// Returns false when it had already ended.
    pub async fn stop(
        &self,
        arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<bool, EngineError> {
        let record = self.store.get(arn)?;
        if record.status != ExecutionStatus::Running {
            return Ok(false);
        }
        let handle = self.lock_tasks().remove(arn);
        if let Some(h) = handle {
            h.abort();
            let _ = h.await;
        }
        let outcome = Outcome {
            status: ExecutionStatus::Aborted,
            output: None,
            error: error.map(str::to_string),
            cause: cause.map(str::to_string),
        };
        let events = self.store.events(arn)?;
        let last = events.last().map_or(0, |e| e.id);
        let now = self.clock.now();
        let event = HistoryEvent {
            id: last + 1,
            previous_event_id: last,
            timestamp: timestamp_text(now),
            event_type: "ExecutionAborted".into(),
            details: match error_details(error.unwrap_or(""), cause.unwrap_or("")) {
                Value::Object(m) if !m.is_empty() => {
                    let mut d = serde_json::Map::new();
                    d.insert("executionAbortedEventDetails".into(), Value::Object(m));
                    d
                }
                _ => serde_json::Map::new(),
            },
        };
        let ended = self.store.finish(arn, &outcome, &timestamp_text(now))?;
        if ended {
            self.store.append_event(arn, &event)?;
        }
        Ok(ended)
    }

    /// Waits until the execution has ended and returns its record (polls the store).
    pub async fn wait(&self, arn: &str) -> Result<ExecutionRecord, EngineError> {
        loop {
            let r = self.store.get(arn)?;
            if r.status != ExecutionStatus::Running {
                return Ok(r);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

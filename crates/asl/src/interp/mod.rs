//! The interpreter: runs a [`StateGraph`] state by state. One [`Runtime`] is shared by
//! everything an execution runs (top level, Parallel branches, Map iterations); each
//! graph run owns its variables (a copy of its parent's, as AWS scopes them).

mod choice;
mod io;
mod map;
mod parallel;
mod retry;
mod state;
mod task;
mod wait;

use crate::clock::Clock;
use crate::history::Journal;
use crate::model::StateGraph;
use crate::{StatesError, TaskInvoker};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::future::BoxFuture;
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub use io::MAX_PAYLOAD_BYTES;
pub use state::Transition;

/// Variables visible to a graph run (`$name`).
pub type Vars = Map<String, Value>;

/// Identity of an execution, as the context object shows it.
#[derive(Debug, Clone)]
pub struct ExecutionInfo {
    /// Execution ARN.
    pub id: String,
    /// Execution name.
    pub name: String,
    /// The execution input.
    pub input: Value,
    /// When it started.
    pub start_time: DateTime<Utc>,
    /// State machine ARN.
    pub state_machine_id: String,
    /// State machine name.
    pub state_machine_name: String,
}

impl ExecutionInfo {
    /// ARNs in the shape AWS uses, under a local account.
    pub fn new(machine: &str, name: &str, input: Value, start_time: DateTime<Utc>) -> Self {
        let prefix = "arn:aws:states:local:000000000000";
        Self {
            id: format!("{prefix}:execution:{machine}:{name}"),
            name: name.to_string(),
            input,
            start_time,
            state_machine_id: format!("{prefix}:stateMachine:{machine}"),
            state_machine_name: machine.to_string(),
        }
    }
}

/// Where the top level records its progress so a crashed execution can resume.
pub trait Checkpointer: Send + Sync {
    /// Called before a top-level state is entered, and again once a Wait knows its deadline.
    fn checkpoint(&self, point: &ResumePoint);
}

/// Enough to restart the top level at one state without repeating or losing events.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResumePoint {
    /// The state to run.
    pub state: String,
    /// Its raw input.
    pub input: Value,
    /// Variables at that point.
    pub variables: Vars,
    /// The id the next event gets: events from here on are discarded on resume.
    pub next_event_id: u64,
    /// The event the state's first event follows from.
    pub previous_event_id: u64,
    /// Set once a Wait state has been entered: the event id of its entry and its deadline.
    pub wait: Option<WaitPoint>,
}

/// A Wait in progress.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WaitPoint {
    /// Id of the `WaitStateEntered` event.
    pub entered_event_id: u64,
    /// When the Wait ends (RFC 3339).
    pub until: String,
    /// The state's effective input (after InputPath), to compute its output.
    pub effective_input: Value,
}

/// What every state of one execution shares.
pub struct Runtime {
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Where Task states go.
    pub invoker: Arc<dyn TaskInvoker>,
    /// The history being written.
    pub journal: Arc<Journal>,
    /// Identity for `$$`.
    pub execution: ExecutionInfo,
    /// Top-level progress for durability (none for throwaway runs).
    pub checkpointer: Option<Arc<dyn Checkpointer>>,
}

impl Runtime {
    /// Records an event now.
    pub(crate) fn emit(
        &self,
        previous: u64,
        event_type: &str,
        details: Option<(&str, Value)>,
    ) -> u64 {
        self.journal
            .emit(previous, self.clock.now(), event_type, details)
    }

    /// The current time as the context object prints it.
    pub(crate) fn now_text(&self) -> String {
        timestamp_text(self.clock.now())
    }
}

/// RFC 3339 with milliseconds and `Z`, the way the context object shows times.
pub(crate) fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Where a graph runs: top level (checkpointed) or nested, and the Map item if any.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// True only for the execution's own graph.
    pub top_level: bool,
    /// `$$.Map.Item` for a Map iteration.
    pub map_item: Option<(usize, Value)>,
}

impl Frame {
    /// The context object for a state of this frame.
    pub(crate) fn context(
        &self,
        rt: &Runtime,
        state: &str,
        entered: &str,
        retry_count: u32,
    ) -> Value {
        let e = &rt.execution;
        let mut ctx = json!({
            "Execution": {
                "Id": e.id,
                "Input": e.input,
                "Name": e.name,
                "RoleArn": "arn:aws:iam::000000000000:role/pam-local",
                "StartTime": timestamp_text(e.start_time),
                "RedriveCount": 0,
            },
            "State": {"EnteredTime": entered, "Name": state, "RetryCount": retry_count},
            "StateMachine": {"Id": e.state_machine_id, "Name": e.state_machine_name},
        });
        if let (Some((index, value)), Some(obj)) = (&self.map_item, ctx.as_object_mut()) {
            obj.insert(
                "Map".into(),
                json!({"Item": {"Index": index, "Value": value}}),
            );
        }
        ctx
    }
}

/// Runs a graph from its start (or from `resume`) to its end; returns its output.
/// Boxed because Map and Parallel run graphs inside a state of a graph.
pub fn run_graph<'a>(
    rt: &'a Runtime,
    graph: &'a StateGraph,
    input: Value,
    vars: Vars,
    frame: &'a Frame,
    previous_event: u64,
    resume: Option<ResumePoint>,
) -> BoxFuture<'a, Result<Value, StatesError>> {
    Box::pin(run_graph_inner(
        rt,
        graph,
        input,
        vars,
        frame,
        previous_event,
        resume,
    ))
}

async fn run_graph_inner(
    rt: &Runtime,
    graph: &StateGraph,
    input: Value,
    mut vars: Vars,
    frame: &Frame,
    previous_event: u64,
    resume: Option<ResumePoint>,
) -> Result<Value, StatesError> {
    let (mut name, mut input, mut prev, mut wait) = match resume {
        Some(point) => {
            vars = point.variables;
            (
                point.state,
                point.input,
                point.previous_event_id,
                point.wait,
            )
        }
        None => (graph.start_at.clone(), input, previous_event, None),
    };
    loop {
        let state = graph.state(&name)?.clone();
        if frame.top_level
            && let Some(cp) = &rt.checkpointer
            && wait.is_none()
        {
            cp.checkpoint(&ResumePoint {
                state: name.clone(),
                input: input.clone(),
                variables: vars.clone(),
                next_event_id: rt.journal.next_id(),
                previous_event_id: prev,
                wait: None,
            });
        }
        let run = state::StateRun {
            rt,
            state: &state,
            frame,
            resumed_wait: wait.take(),
        };
        match run.execute(input, &mut vars, &mut prev).await? {
            Transition::Next(next, output) => {
                name = next;
                input = output;
            }
            Transition::End(output) => return Ok(output),
        }
    }
}

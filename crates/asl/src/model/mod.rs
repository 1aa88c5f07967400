//! The typed definition model: what a state machine says, parsed once from JSON so the
//! interpreter never re-reads raw JSON for structure. Static checks live in `validate`
//! (every problem listed); parsing here only fails on shapes the interpreter cannot hold.

mod choice;
mod retry;

pub use choice::{ChoiceRule, Comparison, Operand, Operator};
pub use retry::{Catcher, JitterStrategy, Retrier};

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Errors turning JSON into a [`Definition`].
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The JSON does not have the shape of a state machine.
    #[error("invalid definition at {location}: {message}")]
    Shape {
        /// Where in the definition.
        location: String,
        /// What is wrong.
        message: String,
    },
}

/// `QueryLanguage`: JSONPath (the default) or JSONata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum QueryLanguage {
    /// `$.a.b` paths, `.$` templates, intrinsic functions.
    #[default]
    JSONPath,
    /// `{% … %}` expressions.
    JSONata,
}

/// A set of states with a start: the top level, a Parallel branch or a Map processor.
#[derive(Debug, Clone)]
pub struct StateGraph {
    /// `StartAt`.
    pub start_at: String,
    /// States by name.
    pub states: HashMap<String, Arc<State>>,
    /// The query language states inherit when they do not set one.
    pub query_language: QueryLanguage,
}

impl StateGraph {
    /// The named state, or a `States.Runtime` error naming it.
    pub fn state(&self, name: &str) -> Result<&Arc<State>, crate::StatesError> {
        self.states
            .get(name)
            .ok_or_else(|| crate::StatesError::runtime(format!("no state named '{name}'")))
    }
}

/// A whole state machine definition.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The top-level graph.
    pub graph: StateGraph,
    /// `TimeoutSeconds` of the whole execution.
    pub timeout_seconds: Option<u64>,
    /// The source JSON, kept for storage and describe.
    pub source: Value,
}

impl Definition {
    /// Parses a definition (call `validate::validate_definition` first for readable problems).
    pub fn parse(source: &Value) -> Result<Self, ModelError> {
        let graph = parse_graph(source, QueryLanguage::JSONPath, "")?;
        let timeout_seconds = source.get("TimeoutSeconds").and_then(Value::as_u64);
        Ok(Self {
            graph,
            timeout_seconds,
            source: source.clone(),
        })
    }
}

fn shape(location: &str, message: impl Into<String>) -> ModelError {
    ModelError::Shape {
        location: location.to_string(),
        message: message.into(),
    }
}

/// Parses `{StartAt, States, QueryLanguage?}` with an inherited query language.
pub(crate) fn parse_graph(
    value: &Value,
    inherited: QueryLanguage,
    location: &str,
) -> Result<StateGraph, ModelError> {
    let query_language = match value.get("QueryLanguage") {
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| shape(location, e.to_string()))?,
        None => inherited,
    };
    let start_at = value
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or_else(|| shape(location, "StartAt is missing"))?
        .to_string();
    let states_json = value
        .get("States")
        .and_then(Value::as_object)
        .ok_or_else(|| shape(location, "States is missing"))?;
    let mut states = HashMap::new();
    for (name, body) in states_json {
        let loc = format!("{location}States.{name}");
        let state = State::parse(name, body, query_language, &loc)?;
        states.insert(name.clone(), Arc::new(state));
    }
    Ok(StateGraph {
        start_at,
        states,
        query_language,
    })
}

/// One state: its name, the fields every state may have, and its type-specific part.
#[derive(Debug, Clone)]
pub struct State {
    /// The state's name.
    pub name: String,
    /// Effective query language (own or inherited).
    pub query_language: QueryLanguage,
    /// Fields shared by the state types.
    pub common: Common,
    /// The type-specific fields.
    pub kind: StateKind,
}

/// `present`-aware optional: `None` when absent, `Some(Value::Null)` when explicitly null.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Fields shared by several state types (each type uses those the spec allows it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Common {
    /// `Next`.
    pub next: Option<String>,
    /// `End`.
    #[serde(default)]
    pub end: bool,
    /// `InputPath` (`Some(Null)`: discard input).
    #[serde(default, deserialize_with = "present")]
    pub input_path: Option<Value>,
    /// `OutputPath` (`Some(Null)`: output `{}`).
    #[serde(default, deserialize_with = "present")]
    pub output_path: Option<Value>,
    /// `ResultPath` (`Some(Null)`: discard result).
    #[serde(default, deserialize_with = "present")]
    pub result_path: Option<Value>,
    /// `Parameters` (JSONPath payload template).
    pub parameters: Option<Value>,
    /// `ResultSelector`.
    pub result_selector: Option<Value>,
    /// `Result` (Pass).
    #[serde(default, deserialize_with = "present")]
    pub result: Option<Value>,
    /// `Assign`.
    pub assign: Option<Value>,
    /// `Arguments` (JSONata).
    #[serde(default, deserialize_with = "present")]
    pub arguments: Option<Value>,
    /// `Output` (JSONata).
    #[serde(default, deserialize_with = "present")]
    pub output: Option<Value>,
    /// `Retry`.
    #[serde(default)]
    pub retry: Vec<Retrier>,
    /// `Catch`.
    #[serde(default)]
    pub catch: Vec<Catcher>,
}

/// The type-specific part of a state.
#[derive(Debug, Clone)]
pub enum StateKind {
    /// `Pass`.
    Pass,
    /// `Task`.
    Task(TaskSpec),
    /// `Choice`.
    Choice(ChoiceSpec),
    /// `Wait`.
    Wait(WaitSpec),
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail(FailSpec),
    /// `Parallel`.
    Parallel(ParallelSpec),
    /// `Map` (inline).
    Map(Box<MapSpec>),
}

impl StateKind {
    /// The `Type` as written, used for history event names (`PassStateEntered`…).
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// Task fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskSpec {
    /// `Resource`: handed to the invoker as written.
    pub resource: String,
    /// `TimeoutSeconds` (number, or a JSONata string).
    pub timeout_seconds: Option<Value>,
    /// `TimeoutSecondsPath`.
    pub timeout_seconds_path: Option<String>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<Value>,
    /// `HeartbeatSecondsPath`.
    pub heartbeat_seconds_path: Option<String>,
}

/// Choice fields.
#[derive(Debug, Clone)]
pub struct ChoiceSpec {
    /// `Choices`, in order.
    pub choices: Vec<ChoiceRule>,
    /// `Default`.
    pub default: Option<String>,
}

/// Wait fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WaitSpec {
    /// `Seconds` (number, or a JSONata string).
    pub seconds: Option<Value>,
    /// `Timestamp`.
    pub timestamp: Option<Value>,
    /// `SecondsPath`.
    pub seconds_path: Option<String>,
    /// `TimestampPath`.
    pub timestamp_path: Option<String>,
}

/// Fail fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailSpec {
    /// `Error` (string, or a JSONata string).
    pub error: Option<Value>,
    /// `Cause`.
    pub cause: Option<Value>,
    /// `ErrorPath` (path or intrinsic).
    pub error_path: Option<String>,
    /// `CausePath`.
    pub cause_path: Option<String>,
}

/// Parallel fields.
#[derive(Debug, Clone)]
pub struct ParallelSpec {
    /// `Branches`.
    pub branches: Vec<Arc<StateGraph>>,
}

/// Inline Map fields.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// The processor (`ItemProcessor`, or legacy `Iterator`).
    pub processor: Arc<StateGraph>,
    /// `ItemsPath`.
    pub items_path: Option<String>,
    /// `Items` (JSONata: array or expression).
    pub items: Option<Value>,
    /// `ItemSelector` or legacy `Parameters`.
    pub item_selector: Option<Value>,
    /// `MaxConcurrency` (number or JSONata string).
    pub max_concurrency: Option<Value>,
    /// `MaxConcurrencyPath`.
    pub max_concurrency_path: Option<String>,
    /// `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<Value>,
    /// `ToleratedFailureCountPath`.
    pub tolerated_failure_count_path: Option<String>,
    /// `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<Value>,
    /// `ToleratedFailurePercentagePath`.
    pub tolerated_failure_percentage_path: Option<String>,
}

impl State {
    fn parse(
        name: &str,
        body: &Value,
        inherited: QueryLanguage,
        loc: &str,
    ) -> Result<Self, ModelError> {
        let obj = body
            .as_object()
            .ok_or_else(|| shape(loc, "a state must be an object"))?;
        let query_language = match obj.get("QueryLanguage") {
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| shape(loc, e.to_string()))?,
            None => inherited,
        };
        let mut common: Common =
            serde_json::from_value(body.clone()).map_err(|e| shape(loc, e.to_string()))?;
        let ty = obj.get("Type").and_then(Value::as_str).unwrap_or_default();
        let kind = match ty {
            "Pass" => StateKind::Pass,
            "Succeed" => StateKind::Succeed,
            "Task" => StateKind::Task(
                serde_json::from_value(body.clone()).map_err(|e| shape(loc, e.to_string()))?,
            ),
            "Wait" => StateKind::Wait(
                serde_json::from_value(body.clone()).map_err(|e| shape(loc, e.to_string()))?,
            ),
            "Fail" => StateKind::Fail(
                serde_json::from_value(body.clone()).map_err(|e| shape(loc, e.to_string()))?,
            ),
            "Choice" => StateKind::Choice(parse_choice(obj, loc)?),
            "Parallel" => {
                let branches = obj
                    .get("Branches")
                    .and_then(Value::as_array)
                    .ok_or_else(|| shape(loc, "Branches is missing"))?
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        parse_graph(b, query_language, &format!("{loc}.Branches[{i}]."))
                            .map(Arc::new)
                    })
                    .collect::<Result<_, _>>()?;
                StateKind::Parallel(ParallelSpec { branches })
            }
            "Map" => {
                let spec = parse_map(obj, query_language, loc)?;
                // Legacy `Parameters` on Map is the item selector, not the state's parameters.
                common.parameters = None;
                StateKind::Map(Box::new(spec))
            }
            other => return Err(shape(loc, format!("unknown state Type '{other}'"))),
        };
        Ok(State {
            name: name.to_string(),
            query_language,
            common,
            kind,
        })
    }
}

fn parse_choice(obj: &Map<String, Value>, loc: &str) -> Result<ChoiceSpec, ModelError> {
    let choices = obj
        .get("Choices")
        .and_then(Value::as_array)
        .ok_or_else(|| shape(loc, "Choices is missing"))?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            ChoiceRule::parse_top(c).map_err(|m| shape(&format!("{loc}.Choices[{i}]"), m))
        })
        .collect::<Result<_, _>>()?;
    let default = obj
        .get("Default")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(ChoiceSpec { choices, default })
}

fn parse_map(
    obj: &Map<String, Value>,
    ql: QueryLanguage,
    loc: &str,
) -> Result<MapSpec, ModelError> {
    let processor_json = obj
        .get("ItemProcessor")
        .or_else(|| obj.get("Iterator"))
        .ok_or_else(|| shape(loc, "ItemProcessor is missing"))?;
    let processor = Arc::new(parse_graph(
        processor_json,
        ql,
        &format!("{loc}.ItemProcessor."),
    )?);
    let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let v = |k: &str| obj.get(k).cloned();
    Ok(MapSpec {
        processor,
        items_path: s("ItemsPath"),
        items: v("Items"),
        item_selector: v("ItemSelector").or_else(|| v("Parameters")),
        max_concurrency: v("MaxConcurrency"),
        max_concurrency_path: s("MaxConcurrencyPath"),
        tolerated_failure_count: v("ToleratedFailureCount"),
        tolerated_failure_count_path: s("ToleratedFailureCountPath"),
        tolerated_failure_percentage: v("ToleratedFailurePercentage"),
        tolerated_failure_percentage_path: s("ToleratedFailurePercentagePath"),
    })
}

//! Execution history in the shape of Step Functions' GetExecutionHistory: numbered events
//! (`id`, `previousEventId`, `timestamp`, `type`) each with its `*EventDetails` object.
//! The [`Journal`] numbers events as they happen and forwards them to a durable sink.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex};

/// One history event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    /// 1-based, gap-free within an execution.
    pub id: u64,
    /// The event this one follows from (0 for the first).
    pub previous_event_id: u64,
    /// When it happened (RFC 3339, milliseconds).
    pub timestamp: String,
    /// `ExecutionStarted`, `PassStateEntered`, `TaskFailed`…
    #[serde(rename = "type")]
    pub event_type: String,
    /// The `<type>EventDetails` object(s), keyed as AWS keys them.
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

/// Where recorded events go besides memory (the SQLite store for durable executions).
pub trait EventSink: Send + Sync {
    /// Persists one event; called in id order.
    fn record(&self, event: &HistoryEvent);
}

/// Numbers events and keeps them in memory; forwards each to the sink if there is one.
pub struct Journal {
    inner: Mutex<Inner>,
    sink: Option<Arc<dyn EventSink>>,
}

struct Inner {
    events: Vec<HistoryEvent>,
    next_id: u64,
}

impl Journal {
    /// An empty journal.
    pub fn new(sink: Option<Arc<dyn EventSink>>) -> Self {
        Self {
            inner: Mutex::new(Inner {
                events: Vec::new(),
                next_id: 1,
            }),
            sink,
        }
    }

    /// A journal continuing a stored history (events already truncated to the checkpoint).
    pub fn resume(events: Vec<HistoryEvent>, sink: Option<Arc<dyn EventSink>>) -> Self {
        let next_id = events.last().map_or(1, |e| e.id + 1);
        Self {
            inner: Mutex::new(Inner { events, next_id }),
            sink,
        }
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> u64 {
        self.lock().next_id
    }

    /// Records an event and returns its id.
    pub fn emit(
        &self,
        previous: u64,
        at: DateTime<Utc>,
        event_type: &str,
        details: Option<(&str, Value)>,
    ) -> u64 {
        let mut map = Map::new();
        if let Some((key, value)) = details {
            map.insert(key.to_string(), value);
        }
        let event = {
            let mut inner = self.lock();
            let event = HistoryEvent {
                id: inner.next_id,
                previous_event_id: previous,
                timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
                event_type: event_type.to_string(),
                details: map,
            };
            inner.next_id += 1;
            inner.events.push(event.clone());
            // Record while holding the lock so the sink sees ids in order.
            if let Some(sink) = &self.sink {
                sink.record(&event);
            }
            event
        };
        event.id
    }

    /// A copy of every event so far.
    pub fn events(&self) -> Vec<HistoryEvent> {
        self.lock().events.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `{"name", "input", "inputDetails"}` for `*StateEntered`.
pub fn state_entered(name: &str, input: &Value) -> Value {
    json!({"name": name, "input": input.to_string(), "inputDetails": {"truncated": false}})
}

/// `{"name", "output", "outputDetails"}` for `*StateExited`.
pub fn state_exited(name: &str, output: &Value) -> Value {
    json!({"name": name, "output": output.to_string(), "outputDetails": {"truncated": false}})
}

/// `{"error", "cause"}` with absent parts left out, as AWS does.
pub fn error_details(error: &str, cause: &str) -> Value {
    let mut map = Map::new();
    if !error.is_empty() {
        map.insert("error".into(), Value::String(error.into()));
    }
    if !cause.is_empty() {
        map.insert("cause".into(), Value::String(cause.into()));
    }
    Value::Object(map)
}

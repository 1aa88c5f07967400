//! GetExecutionHistory events as JSON in the API's own casing (`id`,
//! `previousEventId`, `timestamp`, `type`, `<kind>EventDetails`), the shape the
//! embedded engine records, so one history page renders both worlds. The details kept
//! are those the operator view shows: inputs, outputs, resources, errors and causes.

use aws_sdk_sfn::types::HistoryEvent;
use serde_json::{Map, Value, json};

fn put(details: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        details.insert(key.to_owned(), Value::String(v.to_owned()));
    }
}

/// `error`/`cause` details, which every failure kind has.
macro_rules! failure {
    ($out:ident, $key:literal, $details:expr) => {
        if let Some(d) = $details {
            let mut m = Map::new();
            put(&mut m, "error", d.error());
            put(&mut m, "cause", d.cause());
            $out.insert($key.to_owned(), Value::Object(m));
        }
    };
}

/// One event as JSON.
pub fn event_json(event: &HistoryEvent) -> Value {
    let timestamp = event
        .timestamp()
        .fmt(aws_sdk_sfn::primitives::DateTimeFormat::DateTime)
        .unwrap_or_default();
    let mut out = Map::new();
    out.insert("id".into(), json!(event.id()));
    out.insert("previousEventId".into(), json!(event.previous_event_id()));
    out.insert("timestamp".into(), json!(timestamp));
    out.insert("type".into(), json!(event.r#type().as_str()));
    let mut details = |key: &str, fill: &dyn Fn(&mut Map<String, Value>)| {
        let mut m = Map::new();
        fill(&mut m);
        out.insert(key.to_owned(), Value::Object(m));
    };
    if let Some(d) = event.execution_started_event_details() {
        details("executionStartedEventDetails", &|m| {
            put(m, "input", d.input());
            put(m, "roleArn", d.role_arn());
        });
    }
    if let Some(d) = event.execution_succeeded_event_details() {
        details("executionSucceededEventDetails", &|m| {
            put(m, "output", d.output())
        });
    }
    if let Some(d) = event.state_entered_event_details() {
        details("stateEnteredEventDetails", &|m| {
            put(m, "name", Some(d.name()));
            put(m, "input", d.input());
        });
    }
    if let Some(d) = event.state_exited_event_details() {
        details("stateExitedEventDetails", &|m| {
            put(m, "name", Some(d.name()));
            put(m, "output", d.output());
        });
    }
    if let Some(d) = event.task_scheduled_event_details() {
        details("taskScheduledEventDetails", &|m| {
            put(m, "resourceType", Some(d.resource_type()));
            put(m, "resource", Some(d.resource()));
            put(m, "region", Some(d.region()));
            put(m, "parameters", Some(d.parameters()));
        });
    }
    if let Some(d) = event.task_started_event_details() {
        details("taskStartedEventDetails", &|m| {
            put(m, "resourceType", Some(d.resource_type()));
            put(m, "resource", Some(d.resource()));
        });
    }
    if let Some(d) = event.task_succeeded_event_details() {
        details("taskSucceededEventDetails", &|m| {
            put(m, "resourceType", Some(d.resource_type()));
            put(m, "resource", Some(d.resource()));
            put(m, "output", d.output());
        });
    }
    if let Some(d) = event.lambda_function_scheduled_event_details() {
        details("lambdaFunctionScheduledEventDetails", &|m| {
            put(m, "resource", Some(d.resource()));
            put(m, "input", d.input());
        });
    }
    if let Some(d) = event.lambda_function_succeeded_event_details() {
        details("lambdaFunctionSucceededEventDetails", &|m| {
            put(m, "output", d.output());
        });
    }
    if let Some(d) = event.map_state_started_event_details() {
        details("mapStateStartedEventDetails", &|m| {
            m.insert("length".into(), json!(d.length()));
        });
    }
    failure!(
        out,
        "executionFailedEventDetails",
        event.execution_failed_event_details()
    );
    failure!(
        out,
        "executionAbortedEventDetails",
        event.execution_aborted_event_details()
    );
    failure!(
        out,
        "executionTimedOutEventDetails",
        event.execution_timed_out_event_details()
    );
    failure!(
        out,
        "taskFailedEventDetails",
        event.task_failed_event_details()
    );
    failure!(
        out,
        "taskTimedOutEventDetails",
        event.task_timed_out_event_details()
    );
    failure!(
        out,
        "taskStartFailedEventDetails",
        event.task_start_failed_event_details()
    );
    failure!(
        out,
        "taskSubmitFailedEventDetails",
        event.task_submit_failed_event_details()
    );
    failure!(
        out,
        "lambdaFunctionFailedEventDetails",
        event.lambda_function_failed_event_details()
    );
    failure!(
        out,
        "lambdaFunctionScheduleFailedEventDetails",
        event.lambda_function_schedule_failed_event_details()
    );
    failure!(
        out,
        "lambdaFunctionStartFailedEventDetails",
        event.lambda_function_start_failed_event_details()
    );
    failure!(
        out,
        "lambdaFunctionTimedOutEventDetails",
        event.lambda_function_timed_out_event_details()
    );
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sfn::primitives::DateTime;
    use aws_sdk_sfn::types::{HistoryEventType, TaskFailedEventDetails};

    #[test]
    fn events_keep_the_api_casing() {
        let event = HistoryEvent::builder()
            .id(4)
            .previous_event_id(3)
            .timestamp(DateTime::from_secs(0))
            .r#type(HistoryEventType::TaskFailed)
            .task_failed_event_details(
                TaskFailedEventDetails::builder()
                    .resource_type("lambda")
                    .resource("invoke")
                    .error("Pam.NotAJpeg")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(
            event_json(&event),
            json!({"id": 4, "previousEventId": 3, "timestamp": "1970-01-01T00:00:00Z",
                   "type": "TaskFailed",
                   "taskFailedEventDetails": {"error": "Pam.NotAJpeg"}})
        );
    }
}

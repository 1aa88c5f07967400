//! The Task state: builds the effective input, hands `Resource` and input to the
//! invoker, races it against `TimeoutSeconds`, and records the Task* events.

use super::Vars;
use super::io::StateCtx;
use crate::history::error_details;
use crate::model::TaskSpec;
use crate::{StatesError, TaskContext};
use chrono::Duration;
use serde_json::{Value, json};

/// Step Functions' default Task timeout (99999999 s), kept for fidelity.
const DEFAULT_TIMEOUT_SECONDS: i64 = 99_999_999;

pub(crate) async fn run(
    sc: &StateCtx<'_>,
    spec: &TaskSpec,
    raw: &Value,
    vars: &Vars,
    prev: &mut u64,
    retry_count: u32,
) -> Result<Value, StatesError> {
    let input = if sc.jsonata() {
        match &sc.state.common.arguments {
            Some(t) => sc.jsonata_render("Arguments", t, &sc.states(raw, None, None), vars)?,
            None => raw.clone(),
        }
    } else {
        sc.effective_input(raw, vars)?
    };
    let timeout = timeout_seconds(sc, spec, raw, vars)?;
    let (resource_type, resource) = resource_parts(&spec.resource);
    let rt = sc.rt;
    let mut scheduled = json!({
        "resourceType": resource_type,
        "resource": resource,
        "region": "local",
        "parameters": input.to_string(),
        "timeoutInSeconds": timeout,
    });
    if let (Some(h), Some(obj)) = (
        spec.heartbeat_seconds.as_ref().and_then(Value::as_i64),
        scheduled.as_object_mut(),
    ) {
        obj.insert("heartbeatInSeconds".into(), h.into());
    }
    *prev = rt.emit(
        *prev,
        "TaskScheduled",
        Some(("taskScheduledEventDetails", scheduled)),
    );
    *prev = rt.emit(
        *prev,
        "TaskStarted",
        Some((
            "taskStartedEventDetails",
            json!({"resourceType": resource_type, "resource": resource}),
        )),
    );
    let ctx = TaskContext {
        execution_id: rt.execution.id.clone(),
        execution_name: rt.execution.name.clone(),
        state_name: sc.state.name.clone(),
        retry_count,
        context: sc.context.clone(),
    };
    let deadline = rt.clock.now() + Duration::seconds(timeout);
    let outcome = tokio::select! {
        r = rt.invoker.invoke(&spec.resource, input, &ctx) => r,
        () = rt.clock.timer(deadline) => {
            let err = StatesError::new("States.Timeout", format!("Task '{}' did not finish within {timeout} seconds", sc.state.name));
            let mut d = error_details(&err.error, &err.cause);
            add_resource(&mut d, resource_type, resource);
            *prev = rt.emit(*prev, "TaskTimedOut", Some(("taskTimedOutEventDetails", d)));
            return Err(err);
        }
    };
    match outcome {
        Ok(result) => {
            *prev = rt.emit(
                *prev,
                "TaskSucceeded",
                Some((
                    "taskSucceededEventDetails",
                    json!({"resourceType": resource_type, "resource": resource, "output": result.to_string(),
                           "outputDetails": {"truncated": false}}),
                )),
            );
            Ok(result)
        }
        Err(err) => {
            let mut d = error_details(&err.error, &err.cause);
            add_resource(&mut d, resource_type, resource);
            *prev = rt.emit(*prev, "TaskFailed", Some(("taskFailedEventDetails", d)));
            Err(err)
        }
    }
}

fn add_resource(details: &mut Value, resource_type: &str, resource: &str) {
    if let Some(obj) = details.as_object_mut() {
        obj.insert("resourceType".into(), resource_type.into());
        obj.insert("resource".into(), resource.into());
    }
}

/// `TimeoutSeconds` (number or JSONata) or `TimeoutSecondsPath`, else the default.
fn timeout_seconds(
    sc: &StateCtx<'_>,
    spec: &TaskSpec,
    raw: &Value,
    vars: &Vars,
) -> Result<i64, StatesError> {
    let value = if let Some(path) = &spec.timeout_seconds_path {
        let effective = sc.input_path(raw, vars)?;
        let v = sc.select(path, &effective, vars)?;
        Some((v, "TimeoutSecondsPath"))
    } else {
        match &spec.timeout_seconds {
            Some(t @ Value::String(_)) => Some((
                sc.jsonata_render("TimeoutSeconds", t, &sc.states(raw, None, None), vars)?,
                "TimeoutSeconds",
            )),
            Some(v) => Some((v.clone(), "TimeoutSeconds")),
            None => None,
        }
    };
    match value {
        None => Ok(DEFAULT_TIMEOUT_SECONDS),
        Some((v, field)) => v.as_i64().filter(|s| *s > 0).ok_or_else(|| {
            sc.runtime(format!(
                "The {field} field must be a positive integer, but was: {v}"
            ))
        }),
    }
}

/// How history names a resource: `arn:aws:states:::lambda:invoke` → (`lambda`, `invoke`);
/// anything else is a Lambda-style resource named as written.
fn resource_parts(resource: &str) -> (&str, &str) {
    if let Some(rest) = resource.strip_prefix("arn:aws:states:::")
        && let Some((service, action)) = rest.split_once(':')
    {
        return (service, action);
    }
    ("lambda", resource)
}

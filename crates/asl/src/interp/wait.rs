//! The Wait state (Seconds, Timestamp, SecondsPath, TimestampPath, JSONata forms).
//! At the top level its deadline is checkpointed once computed, so an execution that
//! restarts mid-Wait sleeps only for the time left.

use super::io::{StateCtx, apply_assign};
use super::state::exit;
use super::{Frame, ResumePoint, Transition, Vars, WaitPoint, timestamp_text};
use crate::StatesError;
use crate::model::WaitSpec;
use crate::timestamp;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

pub(crate) async fn run(
    sc: &StateCtx<'_>,
    frame: &Frame,
    spec: &WaitSpec,
    raw: Value,
    vars: &mut Vars,
    prev: &mut u64,
    resumed: Option<WaitPoint>,
) -> Result<Transition, StatesError> {
    let jsonata = sc.jsonata();
    let (effective, until) = match resumed {
        Some(w) => {
            let until = timestamp::parse(&w.until)
                .ok_or_else(|| sc.runtime("stored Wait deadline is unreadable"))?;
            (w.effective_input, until)
        }
        None => {
            let effective = if jsonata {
                raw.clone()
            } else {
                sc.input_path(&raw, vars)?
            };
            let until = deadline(sc, spec, &effective, &raw, vars)?;
            if frame.top_level
                && let Some(cp) = &sc.rt.checkpointer
            {
                cp.checkpoint(&ResumePoint {
                    state: sc.state.name.clone(),
                    input: raw.clone(),
                    variables: vars.clone(),
                    next_event_id: sc.rt.journal.next_id(),
                    previous_event_id: *prev,
                    wait: Some(WaitPoint {
                        entered_event_id: sc.entered_id,
                        until: timestamp_text(until),
                        effective_input: effective.clone(),
                    }),
                });
            }
            (effective, until)
        }
    };
    sc.rt.clock.sleep_until(until).await;
    let states = sc.states(&raw, None, None);
    let assigned = sc.assign(sc.state.common.assign.as_ref(), &effective, &states, vars)?;
    let output = if jsonata {
        match &sc.state.common.output {
            Some(t) => sc.jsonata_render("Output", t, &states, vars)?,
            None => raw,
        }
    } else {
        sc.output_path(effective, vars)?
    };
    apply_assign(vars, assigned);
    exit(sc, prev, output)
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn deadline(
    sc: &StateCtx<'_>,
    spec: &WaitSpec,
    effective: &Value,
    raw: &Value,
    vars: &Vars,
) -> Result<DateTime<Utc>, StatesError> {
    let now = sc.rt.clock.now();
    let states = || sc.states(raw, None, None);
    if let Some(seconds) = &spec.seconds {
        let value = match seconds {
            Value::String(_) => sc.jsonata_render("Seconds", seconds, &states(), vars)?,
            v => v.clone(),
        };
        let secs = value.as_i64().filter(|s| *s >= 0).ok_or_else(|| {
            sc.query_error(format!(
                "The Seconds field must be a non-negative integer, but was: {}",
                shown(&value)
            ))
        })?;
        return Ok(now + Duration::seconds(secs));
    }
    if let Some(path) = &spec.seconds_path {
        let value = sc.select(path, effective, vars)?;
        let secs = value.as_i64().filter(|s| *s >= 0).ok_or_else(|| {
            sc.runtime(format!(
                "The SecondsPath parameter cannot be parsed as a long value: {path} == {}",
                shown(&value)
            ))
        })?;
        return Ok(now + Duration::seconds(secs));
    }
    if let Some(ts) = &spec.timestamp {
        let value = match ts {
            Value::String(s) if s.trim_start().starts_with("{%") => {
                sc.jsonata_render("Timestamp", ts, &states(), vars)?
            }
            v => v.clone(),
        };
        return value.as_str().and_then(timestamp::parse).ok_or_else(|| {
            sc.query_error(format!(
                "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {}",
                shown(&value)
            ))
        });
    }
    if let Some(path) = &spec.timestamp_path {
        let value = sc.select(path, effective, vars)?;
        return value.as_str().and_then(timestamp::parse).ok_or_else(|| {
            sc.runtime(format!(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {}",
                shown(&value)
            ))
        });
    }
    Err(sc.runtime("a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath"))
}

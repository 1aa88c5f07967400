//! The inline Map state: selects the items, shapes each with ItemSelector, runs the
//! item processor over them with at most MaxConcurrency at once (0: unbounded), and
//! collects the outputs in item order. Tolerated failures are counted, not raised.

use super::io::StateCtx;
use super::state::error_output;
use super::{Frame, Vars, run_graph};
use crate::StatesError;
use crate::model::MapSpec;
use futures::{StreamExt, TryStreamExt, stream};
use serde_json::{Value, json};

/// JSON type names as Step Functions prints them in errors.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A `{% expr %}` string's expression text.
pub(crate) fn expression_text(v: &Value) -> String {
    let s = v.as_str().unwrap_or_default().trim();
    s.trim_start_matches("{%")
        .trim_end_matches("%}")
        .trim()
        .to_string()
}

pub(crate) async fn run(
    sc: &StateCtx<'_>,
    spec: &MapSpec,
    raw: &Value,
    vars: &Vars,
    prev: &mut u64,
) -> Result<Value, StatesError> {
    let jsonata = sc.jsonata();
    let states = sc.states(raw, None, None);
    let (effective, items) = if jsonata {
        let items = match &spec.items {
            Some(t) => {
                let v = sc.jsonata_render("Items", t, &states, vars)?;
                if !v.is_array() {
                    return Err(sc.query_error(format!(
                        "The JSONata expression '{}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {v}",
                        expression_text(t),
                        type_name(&v)
                    )));
                }
                v
            }
            None => raw.clone(),
        };
        (raw.clone(), items)
    } else {
        let effective = sc.input_path(raw, vars)?;
        let items = match &spec.items_path {
            Some(p) => sc.select(p, &effective, vars)?,
            None => effective.clone(),
        };
        (effective, items)
    };
    let Value::Array(items) = items else {
        let msg = format!(
            "Map state input must be an array but was: {}",
            type_name(&items)
        );
        return Err(if jsonata {
            sc.query_error(msg)
        } else {
            sc.runtime(msg)
        });
    };
    let limit = max_concurrency(sc, spec, &effective, &states, vars)?;
    let tolerated = tolerated_failures(sc, spec, &effective, &states, vars, items.len())?;
    let rt = sc.rt;
    let started = rt.emit(
        *prev,
        "MapStateStarted",
        Some((
            "mapStateStartedEventDetails",
            json!({"length": items.len()}),
        )),
    );
    *prev = started;

    let inputs = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let mut context = sc.context.clone();
            if let Some(obj) = context.as_object_mut() {
                obj.insert(
                    "Map".into(),
                    json!({"Item": {"Index": index, "Value": item}}),
                );
            }
            let input = match &spec.item_selector {
                None => Ok(item),
                Some(t) if jsonata => {
                    let mut s = states.clone();
                    if let Some(obj) = s.as_object_mut() {
                        obj.insert("context".into(), context);
                    }
                    sc.jsonata_render("ItemSelector", t, &s, vars)
                }
                Some(t) => {
                    let item_sc = StateCtx {
                        rt,
                        state: sc.state,
                        entered_id: sc.entered_id,
                        context,
                    };
                    item_sc.render(t, &effective, vars)
                }
            };
            input.map(|i| (index, i))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let name = &sc.state.name;
    let frame = Frame::default();
    let iteration = |(index, input): (usize, Value)| {
        let frame = &frame;
        async move {
            let details = json!({"name": name, "index": index});
            let begun = rt.emit(
                started,
                "MapIterationStarted",
                Some(("mapIterationStartedEventDetails", details.clone())),
            );
            let r = run_graph(rt, &spec.processor, input, vars.clone(), frame, begun, None).await;
            let kind = if r.is_ok() {
                "MapIterationSucceeded"
            } else {
                "MapIterationFailed"
            };
            let key = if r.is_ok() {
                "mapIterationSucceededEventDetails"
            } else {
                "mapIterationFailedEventDetails"
            };
            rt.emit(begun, kind, Some((key, details)));
            r
        }
    };
    let runs = stream::iter(inputs).map(iteration).buffered(limit);
    let outcome = match tolerated {
        None => runs.try_collect::<Vec<_>>().await,
        Some(allowed) => {
            let all: Vec<Result<Value, StatesError>> = runs.collect().await;
            let failed = all.iter().filter(|r| r.is_err()).count();
            if failed > allowed {
                Err(StatesError::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                ))
            } else {
                Ok(all
                    .into_iter()
                    .map(|r| r.unwrap_or_else(|e| error_output(&e)))
                    .collect())
            }
        }
    };
    match outcome {
        Ok(results) => {
            *prev = rt.emit(*prev, "MapStateSucceeded", None);
            Ok(Value::Array(results))
        }
        Err(e) => {
            *prev = rt.emit(*prev, "MapStateFailed", None);
            Err(e)
        }
    }
}

/// An integer field that may be a number, a numeric string, or (JSONata) an expression.
fn integer(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn max_concurrency(
    sc: &StateCtx<'_>,
    spec: &MapSpec,
    effective: &Value,
    states: &Value,
    vars: &Vars,
) -> Result<usize, StatesError> {
    let n = if let Some(path) = &spec.max_concurrency_path {
        let v = sc.select(path, effective, vars)?;
        integer(&v).ok_or_else(|| {
            sc.runtime(format!("The MaxConcurrencyPath field refers to value \"{v}\" which is not a valid integer: {path}"))
        })?
    } else {
        match &spec.max_concurrency {
            None => 0,
            Some(t @ Value::String(_)) => {
                let v = sc.jsonata_render("MaxConcurrency", t, states, vars)?;
                integer(&v).ok_or_else(|| {
                    sc.query_error(format!(
                        "The MaxConcurrency field must be a non-negative integer, but was: {v}"
                    ))
                })?
            }
            Some(v) => integer(v).unwrap_or(0),
        }
    };
    Ok(if n == 0 {
        usize::MAX
    } else {
        usize::try_from(n).unwrap_or(usize::MAX)
    })
}

/// How many failed iterations are tolerated: `None` when none (fail fast).
fn tolerated_failures(
    sc: &StateCtx<'_>,
    spec: &MapSpec,
    effective: &Value,
    states: &Value,
    vars: &Vars,
    total: usize,
) -> Result<Option<usize>, StatesError> {
    let read = |lit: &Option<Value>,
                path: &Option<String>,
                field: &str|
     -> Result<Option<f64>, StatesError> {
        let v = match (path, lit) {
            (Some(p), _) => sc.select(p, effective, vars)?,
            (None, Some(t @ Value::String(_))) => sc.jsonata_render(field, t, states, vars)?,
            (None, Some(v)) => v.clone(),
            (None, None) => return Ok(None),
        };
        let n = match &v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        n.filter(|n| *n >= 0.0).map(Some).ok_or_else(|| {
            sc.runtime(format!(
                "The {field} field must be a non-negative number, but was: {v}"
            ))
        })
    };
    let count = read(
        &spec.tolerated_failure_count,
        &spec.tolerated_failure_count_path,
        "ToleratedFailureCount",
    )?;
    let pct = read(
        &spec.tolerated_failure_percentage,
        &spec.tolerated_failure_percentage_path,
        "ToleratedFailurePercentage",
    )?;
    let from_pct = pct.map(|p| ((p / 100.0) * total as f64).floor() as usize);
    let from_count = count.map(|c| c as usize);
    Ok(match (from_count, from_pct) {
        (None, None) | (Some(0), None) | (None, Some(0)) | (Some(0), Some(0)) => None,
        (a, b) => Some(a.unwrap_or(0).max(b.unwrap_or(0))),
    })
}

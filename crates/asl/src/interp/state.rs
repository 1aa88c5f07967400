//! Running one state: its entry and exit events, Retry and Catch around the states
//! that have them (Pass, Task, Map, Parallel), and the simple types (Succeed, Fail).

use super::io::{StateCtx, apply_assign};
use super::{Frame, Runtime, Vars, WaitPoint, choice, map, parallel, retry, task, wait};
use crate::StatesError;
use crate::history::{state_entered, state_exited};
use crate::model::{Catcher, FailSpec, State, StateKind};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Where a state leads.
#[derive(Debug)]
pub enum Transition {
    /// Go to the named state with this input.
    Next(String, Value),
    /// The graph ends with this output.
    End(Value),
}

/// One run of one state.
pub(crate) struct StateRun<'a> {
    pub rt: &'a Runtime,
    pub state: &'a Arc<State>,
    pub frame: &'a Frame,
    /// Set when resuming a top-level Wait after a restart.
    pub resumed_wait: Option<WaitPoint>,
}

impl StateRun<'_> {
    /// Enters, runs and exits the state.
    pub async fn execute(
        self,
        raw: Value,
        vars: &mut Vars,
        prev: &mut u64,
    ) -> Result<Transition, StatesError> {
        let state = self.state;
        let ty = state.kind.type_name();
        let entered_text = self.rt.now_text();
        let entered_id = match &self.resumed_wait {
            Some(w) => w.entered_event_id,
            None => self.rt.emit(
                *prev,
                &format!("{ty}StateEntered"),
                Some(("stateEnteredEventDetails", state_entered(&state.name, &raw))),
            ),
        };
        *prev = entered_id;
        let context = self.frame.context(self.rt, &state.name, &entered_text, 0);
        let mut sc = StateCtx {
            rt: self.rt,
            state,
            entered_id,
            context,
        };
        match &state.kind {
            StateKind::Pass | StateKind::Task(_) | StateKind::Map(_) | StateKind::Parallel(_) => {
                self.retrying(&mut sc, raw, vars, prev).await
            }
            StateKind::Choice(spec) => choice::run(&sc, spec, raw, vars, prev).await,
            StateKind::Wait(spec) => {
                wait::run(&sc, self.frame, spec, raw, vars, prev, self.resumed_wait).await
            }
            StateKind::Succeed => {
                let output = if sc.jsonata() {
                    let states = sc.states(&raw, None, None);
                    match &state.common.output {
                        Some(t) => sc.jsonata_render("Output", t, &states, vars)?,
                        None => raw,
                    }
                } else {
                    let input = sc.input_path(&raw, vars)?;
                    sc.output_path(input, vars)?
                };
                exit(&sc, prev, output).map(|t| match t {
                    Transition::Next(_, v) | Transition::End(v) => Transition::End(v),
                })
            }
            StateKind::Fail(spec) => Err(fail_error(&sc, spec, &raw, vars)?),
        }
    }

    async fn retrying(
        &self,
        sc: &mut StateCtx<'_>,
        raw: Value,
        vars: &mut Vars,
        prev: &mut u64,
    ) -> Result<Transition, StatesError> {
        let common = &self.state.common;
        let mut attempts = vec![0u64; common.retry.len()];
        let mut retry_count = 0u32;
        loop {
            if let Some(s) = sc.context.get_mut("State").and_then(Value::as_object_mut) {
                s.insert("RetryCount".into(), retry_count.into());
            }
            match self.attempt(sc, &raw, vars, prev, retry_count).await {
                Ok((output, assigned)) => {
                    apply_assign(vars, assigned);
                    return exit(sc, prev, output);
                }
                Err(err) => {
                    if let Some(delay) = retry::next_delay(&common.retry, &mut attempts, &err) {
                        let until = self.rt.clock.now() + delay;
                        self.rt.clock.sleep_until(until).await;
                        retry_count += 1;
                        continue;
                    }
                    if let Some(catcher) = retry::find_catcher(&common.catch, &err) {
                        return caught(sc, catcher, &raw, vars, &err);
                    }
                    return Err(err);
                }
            }
        }
    }

    /// One attempt: the state's work, then its output processing.
    async fn attempt(
        &self,
        sc: &StateCtx<'_>,
        raw: &Value,
        vars: &Vars,
        prev: &mut u64,
        retry_count: u32,
    ) -> Result<(Value, Option<Vars>), StatesError> {
        let common = &self.state.common;
        let result = match &self.state.kind {
            StateKind::Pass if sc.jsonata() => common.result.clone().unwrap_or_else(|| raw.clone()),
            StateKind::Pass => {
                let effective = sc.effective_input(raw, vars)?;
                common.result.clone().unwrap_or(effective)
            }
            StateKind::Task(spec) => task::run(sc, spec, raw, vars, prev, retry_count).await?,
            StateKind::Map(spec) => map::run(sc, spec, raw, vars, prev).await?,
            StateKind::Parallel(spec) => parallel::run(sc, spec, raw, vars, prev).await?,
            _ => return Err(sc.runtime("state type has no result")),
        };
        sc.check_size(&result)?;
        let (output, assigned) = if sc.jsonata() {
            let states = sc.states(raw, Some(&result), None);
            let assigned = sc.assign(common.assign.as_ref(), &Value::Null, &states, vars)?;
            let output = match &common.output {
                Some(t) => sc.jsonata_render("Output", t, &states, vars)?,
                None => result,
            };
            (output, assigned)
        } else {
            let selected = match &common.result_selector {
                Some(t) => sc.render(t, &result, vars)?,
                None => result,
            };
            let assigned = sc.assign(common.assign.as_ref(), &selected, &Value::Null, vars)?;
            let combined = sc.result_path(raw, common.result_path.as_ref(), selected)?;
            (sc.output_path(combined, vars)?, assigned)
        };
        sc.check_size(&output)?;
        Ok((output, assigned))
    }
}

/// Emits `<Type>StateExited` and follows `Next`/`End`.
pub(crate) fn exit(
    sc: &StateCtx<'_>,
    prev: &mut u64,
    output: Value,
) -> Result<Transition, StatesError> {
    let state = sc.state;
    *prev = sc.rt.emit(
        *prev,
        &format!("{}StateExited", state.kind.type_name()),
        Some((
            "stateExitedEventDetails",
            state_exited(&state.name, &output),
        )),
    );
    match &state.common.next {
        Some(next) if !state.common.end => Ok(Transition::Next(next.clone(), output)),
        _ => Ok(Transition::End(output)),
    }
}

/// `{"Error", "Cause"}` as a Catch sees it (absent parts left out).
pub(crate) fn error_output(err: &StatesError) -> Value {
    let mut m = Map::new();
    if !err.error.is_empty() {
        m.insert("Error".into(), Value::String(err.error.clone()));
    }
    if !err.cause.is_empty() {
        m.insert("Cause".into(), Value::String(err.cause.clone()));
    }
    Value::Object(m)
}

fn caught(
    sc: &StateCtx<'_>,
    catcher: &Catcher,
    raw: &Value,
    vars: &mut Vars,
    err: &StatesError,
) -> Result<Transition, StatesError> {
    let error_output = error_output(err);
    let (output, assigned) = if sc.jsonata() {
        let states = sc.states(raw, None, Some(&error_output));
        let assigned = sc.assign(catcher.assign.as_ref(), &Value::Null, &states, vars)?;
        let output = match &catcher.output {
            Some(t) => sc.jsonata_render("Output", t, &states, vars)?,
            None => error_output,
        };
        (output, assigned)
    } else {
        let assigned = sc.assign(catcher.assign.as_ref(), &error_output, &Value::Null, vars)?;
        (
            sc.result_path(raw, catcher.result_path.as_ref(), error_output)?,
            assigned,
        )
    };
    apply_assign(vars, assigned);
    Ok(Transition::Next(catcher.next.clone(), output))
}

/// The error a Fail state raises: `Error`/`Cause`, their `*Path` forms, or JSONata.
fn fail_error(
    sc: &StateCtx<'_>,
    spec: &FailSpec,
    raw: &Value,
    vars: &Vars,
) -> Result<StatesError, StatesError> {
    let text = |literal: &Option<Value>,
                path: &Option<String>,
                field: &str|
     -> Result<String, StatesError> {
        if let Some(p) = path {
            return match sc.select(p, raw, vars)? {
                Value::String(s) => Ok(s),
                other => Err(sc.runtime(format!(
                    "The {field}Path field must resolve to a string, got {other}"
                ))),
            };
        }
        match literal {
            None => Ok(String::new()),
            Some(v) if sc.jsonata() => {
                match sc.jsonata_render(field, v, &sc.states(raw, None, None), vars)? {
                    Value::String(s) => Ok(s),
                    other => Err(
                        sc.query_error(format!("The {field} field must be a string, got {other}"))
                    ),
                }
            }
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Ok(other.to_string()),
        }
    };
    let error = text(&spec.error, &spec.error_path, "Error")?;
    let cause = text(&spec.cause, &spec.cause_path, "Cause")?;
    Ok(StatesError::new(error, cause))
}

//! The Parallel state: runs every branch on the same input at once; the result is the
//! branches' outputs in order. The first branch to fail fails the state (the others are
//! dropped, i.e. cancelled) with that branch's error.

use super::io::StateCtx;
use super::{Frame, Vars, run_graph};
use crate::StatesError;
use crate::model::ParallelSpec;
use futures::future::try_join_all;
use serde_json::Value;

pub(crate) async fn run(
    sc: &StateCtx<'_>,
    spec: &ParallelSpec,
    raw: &Value,
    vars: &Vars,
    prev: &mut u64,
) -> Result<Value, StatesError> {
    let input = if sc.jsonata() {
        match &sc.state.common.arguments {
            Some(t) => sc.jsonata_render("Arguments", t, &sc.states(raw, None, None), vars)?,
            None => raw.clone(),
        }
    } else {
        sc.effective_input(raw, vars)?
    };
    let rt = sc.rt;
    let started = rt.emit(*prev, "ParallelStateStarted", None);
    *prev = started;
    let frame = Frame::default();
    let branches = spec.branches.iter().map(|graph| {
        run_graph(
            rt,
            graph,
            input.clone(),
            vars.clone(),
            &frame,
            started,
            None,
        )
    });
    match try_join_all(branches).await {
        Ok(outputs) => {
            *prev = rt.emit(*prev, "ParallelStateSucceeded", None);
            Ok(Value::Array(outputs))
        }
        Err(e) => {
            *prev = rt.emit(*prev, "ParallelStateFailed", None);
            Err(e)
        }
    }
}

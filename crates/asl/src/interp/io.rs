//! Input and output processing for one state, in both query languages:
//! JSONPath (InputPath → Parameters → ResultSelector → ResultPath → OutputPath, `.$`
//! templates, Assign) and JSONata (`$states`, Arguments, Output, Assign).

use super::{Runtime, Vars};
use crate::StatesError;
use crate::jsonata::{self, JsonataScope};
use crate::model::{QueryLanguage, State};
use crate::path::{self, Scope};
use serde_json::{Map, Value, json};

/// AWS's payload limit: 256 KiB.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// One state's evaluation context: who it is, when it was entered, its `$$`.
pub(crate) struct StateCtx<'a> {
    pub rt: &'a Runtime,
    pub state: &'a State,
    pub entered_id: u64,
    pub context: Value,
}

impl StateCtx<'_> {
    /// JSONata state?
    pub fn jsonata(&self) -> bool {
        self.state.query_language == QueryLanguage::JSONata
    }

    /// Prefixes an error raised by this state's own evaluation the way AWS does.
    pub fn local(&self, e: StatesError) -> StatesError {
        if e.error == "States.Runtime" || e.error == "States.QueryEvaluationError" {
            StatesError::new(
                e.error,
                format!(
                    "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                    self.state.name, self.entered_id, e.cause
                ),
            )
        } else {
            e
        }
    }

    /// A `States.Runtime` error with this state's prefix.
    pub fn runtime(&self, cause: impl Into<String>) -> StatesError {
        self.local(StatesError::runtime(cause))
    }

    /// A `States.QueryEvaluationError` with this state's prefix.
    pub fn query_error(&self, cause: impl Into<String>) -> StatesError {
        self.local(StatesError::new("States.QueryEvaluationError", cause))
    }

    /// Evaluates a path (or intrinsic call) against `input`.
    pub fn select(&self, path: &str, input: &Value, vars: &Vars) -> Result<Value, StatesError> {
        let scope = Scope {
            input,
            context: &self.context,
            variables: vars,
        };
        let r = if crate::intrinsics::is_intrinsic(path) {
            crate::intrinsics::evaluate(path, &scope)
        } else {
            path::select(path, &scope)
        };
        r.map_err(|e| self.local(e))
    }

    /// Like `select`, `None` when the path matches nothing.
    pub fn select_optional(
        &self,
        path: &str,
        input: &Value,
        vars: &Vars,
    ) -> Result<Option<Value>, StatesError> {
        let scope = Scope {
            input,
            context: &self.context,
            variables: vars,
        };
        path::select_optional(path, &scope).map_err(|e| self.local(e))
    }

    /// Renders a `.$` payload template against `input`.
    pub fn render(
        &self,
        template: &Value,
        input: &Value,
        vars: &Vars,
    ) -> Result<Value, StatesError> {
        let scope = Scope {
            input,
            context: &self.context,
            variables: vars,
        };
        path::render_template(template, &scope).map_err(|e| self.local(e))
    }

    /// `InputPath` (JSONPath states): `null` gives `{}`.
    pub fn input_path(&self, raw: &Value, vars: &Vars) -> Result<Value, StatesError> {
        match &self.state.common.input_path {
            None => Ok(raw.clone()),
            Some(Value::Null) => Ok(json!({})),
            Some(Value::String(p)) => self.select(p, raw, vars),
            Some(other) => Err(self.runtime(format!("InputPath must be a string, got {other}"))),
        }
    }

    /// `InputPath` then `Parameters`.
    pub fn effective_input(&self, raw: &Value, vars: &Vars) -> Result<Value, StatesError> {
        let input = self.input_path(raw, vars)?;
        match &self.state.common.parameters {
            Some(t) => self.render(t, &input, vars),
            None => Ok(input),
        }
    }

    /// `ResultPath`: where `result` goes in the raw input (`null`: discard the result).
    pub fn result_path(
        &self,
        raw: &Value,
        path: Option<&Value>,
        result: Value,
    ) -> Result<Value, StatesError> {
        match path {
            None => Ok(result),
            Some(Value::Null) => Ok(raw.clone()),
            Some(Value::String(p)) => {
                path::insert(raw.clone(), p, result).map_err(|e| self.local(e))
            }
            Some(other) => Err(self.runtime(format!("ResultPath must be a string, got {other}"))),
        }
    }

    /// `OutputPath`: `null` gives `{}`.
    pub fn output_path(&self, value: Value, vars: &Vars) -> Result<Value, StatesError> {
        match &self.state.common.output_path {
            None => Ok(value),
            Some(Value::Null) => Ok(json!({})),
            Some(Value::String(p)) => self.select(p, &value, vars),
            Some(other) => Err(self.runtime(format!("OutputPath must be a string, got {other}"))),
        }
    }

    /// `$states` for JSONata.
    pub fn states(
        &self,
        input: &Value,
        result: Option<&Value>,
        error_output: Option<&Value>,
    ) -> Value {
        let mut m = Map::new();
        m.insert("input".into(), input.clone());
        m.insert("context".into(), self.context.clone());
        if let Some(r) = result {
            m.insert("result".into(), r.clone());
        }
        if let Some(e) = error_output {
            m.insert("errorOutput".into(), e.clone());
        }
        Value::Object(m)
    }

    /// Renders a JSONata template with `$states` and the variables.
    pub fn jsonata_render(
        &self,
        field: &str,
        template: &Value,
        states: &Value,
        vars: &Vars,
    ) -> Result<Value, StatesError> {
        jsonata::render_field(
            field,
            template,
            &JsonataScope {
                states,
                variables: vars,
            },
        )
        .map_err(|e| self.local(e))
    }

    /// Evaluates an `Assign` block: JSONPath templates read `input` as `$`; JSONata reads `$states`.
    pub fn assign(
        &self,
        assign: Option<&Value>,
        input: &Value,
        states: &Value,
        vars: &Vars,
    ) -> Result<Option<Vars>, StatesError> {
        let Some(template) = assign else {
            return Ok(None);
        };
        let rendered = if self.jsonata() {
            self.jsonata_render("Assign", template, states, vars)?
        } else {
            self.render(template, input, vars)?
        };
        match rendered {
            Value::Object(m) => Ok(Some(m)),
            other => Err(self.runtime(format!("Assign must be an object, got {other}"))),
        }
    }

    /// Fails with `States.DataLimitExceeded` when a payload is over 256 KiB.
    pub fn check_size(&self, value: &Value) -> Result<(), StatesError> {
        if value.to_string().len() > MAX_PAYLOAD_BYTES {
            return Err(StatesError::new(
                "States.DataLimitExceeded",
                format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    self.state.name
                ),
            ));
        }
        Ok(())
    }
}

/// Applies assigned values to the variables (after the state's output is computed).
pub(crate) fn apply_assign(vars: &mut Vars, assigned: Option<Vars>) {
    if let Some(new) = assigned {
        for (k, v) in new {
            vars.insert(k, v);
        }
    }
}

//! [`SfnExecutions`]: what the API needs of Step Functions — start a download execution
//! named by its job id (idempotently), describe and list executions, and read an
//! execution's history in the JSON shape the embedded engine's history has, so the
//! operator pages show both worlds alike.
//!
//! Idempotent start: StartExecution with a name already used and the same input is
//! answered by Step Functions with the existing execution while it runs; once it has
//! finished it answers `ExecutionAlreadyExists`, which [`SfnExecutions::start`] turns
//! into success when the stored input is the same JSON, and into
//! [`SfnError::Conflict`] otherwise.

mod history;

pub use history::event_json;

use aws_sdk_sfn::config::http::HttpResponse;
use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sfn::primitives::DateTime as SdkTime;
use pam_core::ports::index::{Page, PageRequest};
use pam_core::ports::store::BoxError;
use serde::Serialize;
use serde_json::Value;

use crate::sdk_error::is_transient;

/// What went wrong talking to Step Functions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SfnError {
    /// No such execution or state machine.
    #[error("not found: {0}")]
    NotFound(String),
    /// The execution name is taken by an execution with another input.
    #[error("execution {name} already exists with a different input")]
    Conflict {
        /// The name.
        name: String,
    },
    /// Malformed ARN, name, token or input.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Worth retrying.
    #[error("transient Step Functions failure: {0}")]
    Transient(BoxError),
    /// Anything else.
    #[error("Step Functions failed: {0}")]
    Backend(BoxError),
}

fn sfn_err<E>(err: SdkError<E, HttpResponse>) -> SfnError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let text = || {
        format!(
            "{}: {}",
            err.code().unwrap_or("no error code"),
            err.message().unwrap_or("no message")
        )
    };
    match err.code() {
        Some("ExecutionDoesNotExist" | "StateMachineDoesNotExist") => SfnError::NotFound(text()),
        Some(
            "InvalidArn"
            | "InvalidName"
            | "InvalidToken"
            | "InvalidExecutionInput"
            | "ValidationException",
        ) => SfnError::InvalidArgument(text()),
        _ if is_transient(&err) => SfnError::Transient(Box::new(err)),
        _ => SfnError::Backend(Box::new(err)),
    }
}

/// One execution, as `GET /executions` and `pam executions` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionInfo {
    /// Its ARN.
    pub execution_arn: String,
    /// Its name (a download's job id).
    pub name: String,
    /// The state machine's ARN.
    pub state_machine: String,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`…
    pub status: String,
    /// RFC 3339.
    pub start_date: String,
    /// RFC 3339, once finished.
    pub stop_date: Option<String>,
}

fn rfc3339(t: &SdkTime) -> String {
    t.fmt(aws_sdk_sfn::primitives::DateTimeFormat::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}

/// The ARN Step Functions gives execution `name` of `machine`.
pub fn execution_arn(machine: &str, name: &str) -> Result<String, SfnError> {
    let (head, machine_name) = machine.split_once(":stateMachine:").ok_or_else(|| {
        SfnError::InvalidArgument(format!("{machine} is not a state machine ARN"))
    })?;
    Ok(format!("{head}:execution:{machine_name}:{name}"))
}

/// Step Functions executions, through the SDK.
#[derive(Debug, Clone)]
pub struct SfnExecutions {
    client: aws_sdk_sfn::Client,
}

impl SfnExecutions {
    /// Wraps a client.
    pub fn new(client: aws_sdk_sfn::Client) -> Self {
        Self { client }
    }

    /// Starts `machine` as execution `name` with `input`; returns the execution ARN.
    /// A retry with the same name and input returns the same ARN.
    pub async fn start(
        &self,
        machine: &str,
        name: &str,
        input: &Value,
    ) -> Result<String, SfnError> {
        let text = input.to_string();
        let started = self
            .client
            .start_execution()
            .state_machine_arn(machine)
            .name(name)
            .input(&text)
            .send()
            .await;
        match started {
            Ok(out) => Ok(out.execution_arn().to_owned()),
            Err(e) if e.code() == Some("ExecutionAlreadyExists") => {
                let arn = execution_arn(machine, name)?;
                let described = self
                    .client
                    .describe_execution()
                    .execution_arn(&arn)
                    .send()
                    .await
                    .map_err(sfn_err)?;
                let stored: Option<Value> =
                    described.input().and_then(|s| serde_json::from_str(s).ok());
                if stored.as_ref() == Some(input) {
                    Ok(arn)
                } else {
                    Err(SfnError::Conflict {
                        name: name.to_owned(),
                    })
                }
            }
            Err(e) => Err(sfn_err(e)),
        }
    }

    /// One execution.
    pub async fn describe(&self, arn: &str) -> Result<ExecutionInfo, SfnError> {
        let d = self
            .client
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .map_err(sfn_err)?;
        Ok(ExecutionInfo {
            execution_arn: d.execution_arn().to_owned(),
            name: d.name().unwrap_or_default().to_owned(),
            state_machine: d.state_machine_arn().to_owned(),
            status: d.status().as_str().to_owned(),
            start_date: rfc3339(d.start_date()),
            stop_date: d.stop_date().map(rfc3339),
        })
    }

    /// Executions of `machine`, newest first; `page.after` is Step Functions' own token.
    pub async fn list(
        &self,
        machine: &str,
        page: PageRequest,
    ) -> Result<Page<ExecutionInfo>, SfnError> {
        if !(1..=1000).contains(&page.limit) {
            return Err(SfnError::InvalidArgument(format!(
                "a page holds 1 to 1000 executions, not {}",
                page.limit
            )));
        }
        let out = self
            .client
            .list_executions()
            .state_machine_arn(machine)
            .max_results(page.limit as i32)
            .set_next_token(page.after)
            .send()
            .await
            .map_err(sfn_err)?;
        let items = out
            .executions()
            .iter()
            .map(|e| ExecutionInfo {
                execution_arn: e.execution_arn().to_owned(),
                name: e.name().to_owned(),
                state_machine: e.state_machine_arn().to_owned(),
                status: e.status().as_str().to_owned(),
                start_date: rfc3339(e.start_date()),
                stop_date: e.stop_date().map(rfc3339),
            })
            .collect();
        Ok(Page {
            items,
            next: out.next_token().map(str::to_owned),
        })
    }

    /// Every event of the execution's history, oldest first, following `nextToken`,
    /// each as GetExecutionHistory's JSON (`id`, `previousEventId`, `timestamp`, `type`,
    /// `<kind>EventDetails`).
    pub async fn history(&self, arn: &str) -> Result<Vec<Value>, SfnError> {
        let mut events = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = self
                .client
                .get_execution_history()
                .execution_arn(arn)
                .max_results(1000)
                .set_next_token(next.take())
                .send()
                .await
                .map_err(sfn_err)?;
            events.extend(page.events().iter().map(event_json));
            match page.next_token() {
                Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                _ => return Ok(events),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_arns_follow_the_machine() {
        assert_eq!(
            execution_arn(
                "arn:aws:states:eu-west-1:1:stateMachine:pam-download",
                "j-1"
            )
            .unwrap(),
            "arn:aws:states:eu-west-1:1:execution:pam-download:j-1"
        );
        assert!(execution_arn("arn:aws:lambda:x", "j").is_err());
    }
}

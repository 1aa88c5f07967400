//! The operator view: `GET /executions` → `{"executions":[…]}` (both state machines,
//! newest first) and `GET /executions/{arn}/history` → `{"events":[…]}` in
//! GetExecutionHistory's shape, as `pam serve` answers from the embedded engine. Only
//! executions of PAM's two state machines can be read through it.

use super::{ApiError, caller, finish, no_route, path_param, respond, route};
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::http::Method;
use pam_aws::{ExecutionInfo, SfnError, SfnExecutions};
use pam_core::ports::index::PageRequest;
use serde_json::json;

/// How many executions of each machine the list shows.
pub const LIST_LIMIT: u32 = 100;

/// The executions API's dependencies.
#[derive(Debug)]
pub struct Executions<'a> {
    /// Step Functions.
    pub sfn: &'a SfnExecutions,
    /// The state machines whose executions are shown.
    pub machines: Vec<String>,
}

fn sfn_error(what: &str, e: SfnError) -> ApiError {
    match e {
        SfnError::NotFound(m) => ApiError::new(404, "NotFound", m),
        SfnError::InvalidArgument(m) => ApiError::bad_request(m),
        SfnError::Transient(_) => ApiError::unavailable(what, &e),
        other => ApiError::internal(what, &other),
    }
}

/// Whether `execution` is an execution of one of `machines`.
pub fn belongs_to(execution: &str, machines: &[String]) -> bool {
    machines.iter().any(|m| {
        pam_aws::sfn::execution_arn(m, "")
            .is_ok_and(|prefix| execution.starts_with(&prefix) && execution.len() > prefix.len())
    })
}

/// Handles one request.
pub async fn handle(
    api: &Executions<'_>,
    request: ApiGatewayProxyRequest,
) -> ApiGatewayProxyResponse {
    finish(serve(api, &request).await)
}

async fn serve(
    api: &Executions<'_>,
    request: &ApiGatewayProxyRequest,
) -> Result<ApiGatewayProxyResponse, ApiError> {
    caller(request)?;
    let (method, resource) = route(request);
    match (method.clone(), resource.as_str()) {
        (Method::GET, "/executions") => {
            let mut all: Vec<ExecutionInfo> = Vec::new();
            for machine in &api.machines {
                let page = api
                    .sfn
                    .list(machine, PageRequest::first(LIST_LIMIT))
                    .await
                    .map_err(|e| sfn_error("listing executions", e))?;
                all.extend(page.items);
            }
            all.sort_by(|a, b| b.start_date.cmp(&a.start_date));
            Ok(respond(200, &json!({ "executions": all })))
        }
        (Method::GET, "/executions/{arn}/history") => {
            let arn = path_param(request, "arn")?;
            if !belongs_to(arn, &api.machines) {
                return Err(ApiError::new(
                    404,
                    "NotFound",
                    format!("{arn} is not an execution of PAM's state machines"),
                ));
            }
            let events = api
                .sfn
                .history(arn)
                .await
                .map_err(|e| sfn_error("reading the history", e))?;
            Ok(respond(200, &json!({ "events": events })))
        }
        _ => Err(no_route(&method, &resource)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_machines_executions_are_readable() {
        let machines = vec!["arn:aws:states:r:1:stateMachine:pam-download".to_owned()];
        assert!(belongs_to(
            "arn:aws:states:r:1:execution:pam-download:job-1",
            &machines
        ));
        assert!(!belongs_to(
            "arn:aws:states:r:1:execution:pam-download:",
            &machines
        ));
        assert!(!belongs_to(
            "arn:aws:states:r:1:execution:other:job-1",
            &machines
        ));
        assert!(!belongs_to(
            "arn:aws:states:r:1:execution:pam-download-x:j",
            &machines
        ));
    }
}

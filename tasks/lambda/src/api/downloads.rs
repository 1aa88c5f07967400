//! `POST /downloads` and `GET /downloads/{id}`.
//!
//! POST validates the body (`DownloadBody`: labels, match, notify, tier,
//! link_ttl_seconds), prepares the job (its key, the sealed address, the job record:
//! `pam_tasks::download::prepare`, shared with `pam serve`) and starts the download state
//! machine in an execution named by the job id, then answers 202 `{"job_id"}`. A retried
//! start is harmless: same name and input is the same execution.
//!
//! GET answers the job's stage, counts, link (once presigned) and error, as the web app
//! expects (`JobStatus` in `frontend/src/api/types.ts`).

use super::{ApiError, caller, finish, no_route, path_param, respond, route};
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::http::Method;
use pam_aws::{SfnError, SfnExecutions};
use pam_core::JobId;
use pam_core::clock::Clock;
use pam_core::ports::jobs::JobRecord;
use pam_core::ports::{JobKeys, JobLog};
use pam_tasks::StepError;
use pam_tasks::download::{DownloadBody, prepare};
use serde_json::{Value, json};

/// The downloads API's dependencies.
#[derive(Debug)]
pub struct Downloads<'a> {
    /// Job keys.
    pub keys: &'a dyn JobKeys,
    /// Job log.
    pub jobs: &'a dyn JobLog,
    /// Clock.
    pub clock: &'a dyn Clock,
    /// Step Functions.
    pub sfn: &'a SfnExecutions,
    /// The download state machine.
    pub machine: &'a str,
    /// Link lifetime when the request names none (`PAM_LINK_TTL_SECONDS`; else 24 h).
    pub default_link_ttl: Option<std::time::Duration>,
}

fn step_error(what: &str, e: StepError) -> ApiError {
    match e {
        StepError::InvalidInput(m) => ApiError::bad_request(m),
        StepError::Conflict(m) => ApiError::new(409, "Conflict", m),
        StepError::NotFound(m) => ApiError::new(404, "NotFound", m),
        StepError::Transient(_) => ApiError::unavailable(what, &e),
        other => ApiError::internal(what, &other),
    }
}

/// A job as `GET /downloads/{id}` shows it.
pub fn job_status(record: &JobRecord) -> Value {
    let mut out = json!({
        "job_id": record.job_id,
        "stage": record.stage,
        "counts": record.counts,
        "labels": record.labels,
        "match": record.match_mode,
        "tier": record.tier,
        "notify": record.notify_kind,
        "created_at": record.created_at.to_rfc3339(),
        "updated_at": record.updated_at.to_rfc3339(),
    });
    if let Some(bundle) = &record.bundle {
        let parts: Vec<Value> = bundle
            .parts
            .iter()
            .filter_map(|p| {
                p.url
                    .as_ref()
                    .map(|url| json!({"url": url, "size": p.size}))
            })
            .collect();
        if let Some(first) = parts.first() {
            let mut link = json!({
                "url": first["url"],
                "size": bundle.size,
                "expires_at": bundle.expires_at.map(|t| t.to_rfc3339()),
            });
            if parts.len() > 1 {
                link["parts"] = Value::Array(parts);
            }
            out["link"] = link;
        }
    }
    if let Some(error) = &record.error {
        out["error"] = json!({"code": error.code, "message": error.message});
    }
    out
}

/// Handles one request.
pub async fn handle(
    api: &Downloads<'_>,
    request: ApiGatewayProxyRequest,
) -> ApiGatewayProxyResponse {
    finish(serve(api, &request).await)
}

async fn serve(
    api: &Downloads<'_>,
    request: &ApiGatewayProxyRequest,
) -> Result<ApiGatewayProxyResponse, ApiError> {
    let who = caller(request)?;
    let (method, resource) = route(request);
    match (method.clone(), resource.as_str()) {
        (Method::POST, "/downloads") => {
            let body = request
                .body
                .as_deref()
                .filter(|b| !b.trim().is_empty())
                .ok_or_else(|| ApiError::bad_request("a JSON body is required"))?;
            let mut value: Value = serde_json::from_str(body)
                .map_err(|e| ApiError::bad_request(format!("request body is not JSON: {e}")))?;
            if let (Some(object), Some(ttl)) = (value.as_object_mut(), api.default_link_ttl) {
                object
                    .entry("link_ttl_seconds")
                    .or_insert_with(|| json!(ttl.as_secs()));
            }
            let wanted = DownloadBody::parse(value.to_string().as_bytes())
                .map_err(|e| step_error("reading the request", e))?;
            let job = JobId::generate();
            let prepared = prepare(&wanted, &job, api.keys, api.jobs, api.clock)
                .await
                .map_err(|e| step_error("recording the job", e))?;
            let arn = api
                .sfn
                .start(api.machine, job.as_str(), &prepared.execution_input)
                .await
                .map_err(|e| match e {
                    SfnError::Transient(_) => ApiError::unavailable("starting the download", &e),
                    other => ApiError::internal("starting the download", &other),
                })?;
            tracing::info!(job_id = %job, execution = %arn, user = %who.sub, "download started");
            Ok(respond(
                202,
                &json!({"job_id": job, "status": job_status(&prepared.record)}),
            ))
        }
        (Method::GET, "/downloads/{id}") => {
            let id = path_param(request, "id")?;
            let job = JobId::parse(id).map_err(|e| ApiError::bad_request(e.to_string()))?;
            let record = api
                .jobs
                .get(&job)
                .await
                .map_err(|e| step_error("reading the job", e.into()))?
                .ok_or_else(|| ApiError::new(404, "NotFound", format!("no download job {job}")))?;
            Ok(respond(200, &job_status(&record)))
        }
        _ => Err(no_route(&method, &resource)),
    }
}

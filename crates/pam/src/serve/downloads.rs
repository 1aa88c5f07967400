//! `POST /downloads` and `GET /downloads/{job_id}`: start a download job and follow it.
//! The work is `crate::downloads` (shared with `pam download` / `pam jobs`, so the CLI's
//! JSON and the API's agree); this file maps HTTP to it and adds the `link` object the
//! web app opens once the job is ready. The address in the body is parsed by
//! `DownloadBody`, whose errors never repeat it; it is neither logged nor stored here.

use super::error::ApiError;
use super::state::AppState;
use crate::downloads::{self, DownloadError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use pam_core::JobId;
use pam_tasks::download::DownloadBody;
use serde_json::{Value, json};

fn download_error(context: &str, e: DownloadError) -> ApiError {
    match e {
        DownloadError::UnknownLabels(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "unknown_label", e.to_string())
        }
        e if e.is_bad_request() => ApiError::bad_request(e.to_string()),
        other => ApiError::internal(context, other),
    }
}

/// `POST /downloads` → 202 `{"job_id","stage"}`; the job runs on the engine in this process.
pub async fn start(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request = DownloadBody::parse(&body)
        .map_err(|e| download_error("reading the request", DownloadError::from(e)))?;
    let record = downloads::start(&state.world, &request)
        .await
        .map_err(|e| download_error("starting the download", e))?;
    tracing::info!(job_id = %record.job_id, labels = record.labels.len(), "download job started");
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"job_id": record.job_id.as_str(), "stage": record.stage})),
    ))
}

/// `GET /downloads/{job_id}` → stage, counts, `link` once ready, `error` once failed.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let missing = || ApiError::not_found(format!("no download job {id:?}"));
    let job = JobId::parse(&id).map_err(|_| missing())?;
    let status = downloads::status(&state.world, &job)
        .await
        .map_err(|e| download_error("reading the job", e))?
        .ok_or_else(missing)?;
    let mut value = serde_json::to_value(&status).map_err(|e| ApiError::internal("the job", e))?;
    // Server-side file paths are for the CLI, not for browsers.
    if let Some(bundle) = value.get_mut("bundle").and_then(Value::as_object_mut) {
        bundle.remove("path");
        if let Some(parts) = bundle.get_mut("parts").and_then(Value::as_array_mut) {
            for p in parts.iter_mut().filter_map(Value::as_object_mut) {
                p.remove("path");
            }
        }
    }
    if status.stage == "ready"
        && let Some(bundle) = &status.bundle
        && let Some(url) = &bundle.url
    {
        let parts: Vec<Value> = bundle
            .parts
            .iter()
            .filter_map(|p| p.url.as_ref().map(|u| json!({"url": u, "size": p.size})))
            .collect();
        value["link"] = json!({
            "url": url,
            "expires_at": bundle.expires_at,
            "size": bundle.size,
            "parts": parts,
        });
    }
    Ok(Json(value))
}

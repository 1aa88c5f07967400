//! `GET /labels` → `{"labels":[{"name","count"}]}`: every label with the number of
//! distinct photos carrying it, from the index (paginated there).

use super::{ApiError, caller, finish, no_route, respond, route};
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::http::Method;
use pam_core::ports::{IndexError, LabelIndex};
use serde_json::json;

/// Handles one request.
pub async fn handle(
    index: &dyn LabelIndex,
    request: ApiGatewayProxyRequest,
) -> ApiGatewayProxyResponse {
    finish(labels(index, &request).await)
}

async fn labels(
    index: &dyn LabelIndex,
    request: &ApiGatewayProxyRequest,
) -> Result<ApiGatewayProxyResponse, ApiError> {
    caller(request)?;
    let (method, resource) = route(request);
    if method != Method::GET || resource != "/labels" {
        return Err(no_route(&method, &resource));
    }
    let counts = index.label_counts().await.map_err(|e| match e {
        IndexError::Transient { .. } => ApiError::unavailable("reading the label counts", &e),
        other => ApiError::internal("reading the label counts", &other),
    })?;
    let labels: Vec<_> = counts
        .iter()
        .map(|c| json!({"name": c.name.as_str(), "count": c.count}))
        .collect();
    Ok(respond(200, &json!({ "labels": labels })))
}

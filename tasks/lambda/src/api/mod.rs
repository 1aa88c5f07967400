//! The API Lambdas: API Gateway REST proxy events in, proxy responses out, with the same
//! paths and JSON as `pam serve` (see `frontend/README.md`). The Cognito authorizer has
//! already checked the token; each handler still refuses a request without claims
//! (`requestContext.authorizer.claims.sub`), so a misconfigured route fails closed.
//! Errors are `{"error":{"code","message"}}` with the matching 4xx/5xx status.

pub mod downloads;
pub mod executions;
pub mod labels;
pub mod uploads;

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// An API failure: HTTP status, stable code, human message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Explanation (never an address or a secret).
    pub message: String,
}

impl ApiError {
    /// A 400 `InvalidRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequest", message)
    }

    /// Any status and code.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// A 500 for a backend failure (logged in full, summarised to the client).
    pub fn internal(what: &str, err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "{what} failed");
        Self::new(
            500,
            "Internal",
            format!("{what} failed; see the function's logs"),
        )
    }

    /// A 503 for a failure worth retrying.
    pub fn unavailable(what: &str, err: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %err, "{what} failed transiently");
        Self::new(503, "Unavailable", format!("{what} is busy; try again"))
    }
}

/// The signed-in caller, from the Cognito authorizer's claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user's `sub`.
    pub sub: String,
}

/// The caller of `request`, or 401.
pub fn caller(request: &ApiGatewayProxyRequest) -> Result<Caller, ApiError> {
    let sub = request
        .request_context
        .authorizer
        .fields
        .get("claims")
        .and_then(|claims| claims.get("sub"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    match sub {
        Some(sub) => Ok(Caller {
            sub: sub.to_owned(),
        }),
        None => Err(ApiError::new(
            401,
            "Unauthorized",
            "no Cognito claims on the request (requestContext.authorizer.claims.sub)",
        )),
    }
}

/// The route: the method and the resource template (`/downloads/{id}`), falling back to
/// the path when the event has no resource.
pub fn route(request: &ApiGatewayProxyRequest) -> (Method, String) {
    let resource = request
        .resource
        .clone()
        .or_else(|| request.path.clone())
        .unwrap_or_default();
    (request.http_method.clone(), resource)
}

/// A path parameter, URL-decoded by API Gateway already.
pub fn path_param<'a>(
    request: &'a ApiGatewayProxyRequest,
    name: &str,
) -> Result<&'a str, ApiError> {
    request
        .path_parameters
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("missing path parameter {{{name}}}")))
}

/// The JSON body as `T`, or a 400 naming what is wrong.
pub fn json_body<T: DeserializeOwned>(request: &ApiGatewayProxyRequest) -> Result<T, ApiError> {
    let text = request
        .body
        .as_deref()
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("a JSON body is required"))?;
    let text = if request.is_base64_encoded {
        return Err(ApiError::bad_request(
            "the body must be JSON text, not base64-encoded binary",
        ));
    } else {
        text
    };
    serde_json::from_str(text).map_err(|e| ApiError::bad_request(format!("body: {e}")))
}

/// A JSON response.
pub fn respond(status: u16, body: &impl Serialize) -> ApiGatewayProxyResponse {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    // REST proxy integrations answer CORS themselves; CDK names the web app's origin.
    if let Some(origin) = std::env::var(crate::env::CORS_ORIGIN)
        .ok()
        .and_then(|o| HeaderValue::from_str(&o).ok())
    {
        headers.insert("access-control-allow-origin", origin);
        headers.insert("vary", HeaderValue::from_static("Origin"));
    }
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = i64::from(status);
    response.headers = headers;
    response.body = Some(Body::Text(
        serde_json::to_string(body).unwrap_or_else(|_| "{}".into()),
    ));
    response
}

/// The response for an error.
pub fn error_response(err: &ApiError) -> ApiGatewayProxyResponse {
    respond(
        err.status,
        &json!({"error": {"code": err.code, "message": err.message}}),
    )
}

/// Turns a handler's result into a response.
pub fn finish(result: Result<ApiGatewayProxyResponse, ApiError>) -> ApiGatewayProxyResponse {
    result.unwrap_or_else(|e| error_response(&e))
}

/// 404/405 for a route this function does not serve.
pub fn no_route(method: &Method, resource: &str) -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        format!("this function does not serve {method} {resource}"),
    )
}

#[cfg(test)]
pub(crate) mod testing {
    //! Building proxy events as API Gateway sends them.
    use super::*;

    /// A request with claims for user `u1`.
    pub fn request(
        method: &str,
        resource: &str,
        path: &str,
        body: Option<Value>,
    ) -> ApiGatewayProxyRequest {
        let event = json!({
            "resource": resource,
            "path": path,
            "httpMethod": method,
            "headers": {},
            "multiValueHeaders": {},
            "queryStringParameters": null,
            "multiValueQueryStringParameters": null,
            "pathParameters": null,
            "stageVariables": null,
            "requestContext": {
                "httpMethod": method,
                "resourcePath": resource,
                "authorizer": {"claims": {"sub": "u1", "email": "not-logged@example.com"}},
                "identity": {}
            },
            "body": body.map(|b| b.to_string()),
            "isBase64Encoded": false
        });
        serde_json::from_value(event).expect("a valid proxy event")
    }

    /// Status and JSON body of a response.
    pub fn parts(response: &ApiGatewayProxyResponse) -> (i64, Value) {
        let body = match &response.body {
            Some(Body::Text(t)) => serde_json::from_str(t).unwrap(),
            other => panic!("unexpected body {other:?}"),
        };
        (response.status_code, body)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn requests_without_claims_are_refused() {
        let mut req = request("GET", "/labels", "/labels", None);
        assert_eq!(caller(&req).unwrap().sub, "u1");
        req.request_context.authorizer.fields.clear();
        let err = caller(&req).unwrap_err();
        assert_eq!(err.status, 401);
        let (status, body) = parts(&error_response(&err));
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "Unauthorized");
    }
}

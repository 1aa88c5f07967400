//! `POST /uploads` `{"file_name","size","content_type"?}` → `{"key","method":"PUT","url",
//! "headers"}`: a presigned PUT into the photo bucket under `photos/`, where the
//! object-created event starts labelling. Only `.jpg`/`.jpeg` names (any letter case)
//! are accepted; the content is checked by DetectLabels. One PUT carries up to 5 GiB
//! (S3's single-request limit); larger files are refused with a clear error.

use super::{ApiError, caller, finish, json_body, no_route, respond, route};
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::http::Method;
use pam_core::ports::Presigner;
use pam_core::ports::presign::{PresignMethod, PresignRequest};
use pam_core::{BucketName, ObjectKey, PHOTO_PREFIX};
use pam_tasks::read_event::has_jpeg_extension;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// S3's largest single PUT.
pub const MAX_SINGLE_PUT: u64 = 5 * 1024 * 1024 * 1024;
/// How long an upload URL lives.
pub const UPLOAD_URL_TTL: Duration = Duration::from_secs(15 * 60);

/// What the browser wants to upload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadBody {
    /// The file's name on the person's machine.
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its MIME type, if the browser knows it.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// Where uploads go.
#[derive(Debug)]
pub struct Uploads<'a> {
    /// Signs the PUT.
    pub presigner: &'a dyn Presigner,
    /// The photo bucket.
    pub bucket: &'a BucketName,
}

/// Handles one request.
pub async fn handle(
    uploads: &Uploads<'_>,
    request: ApiGatewayProxyRequest,
) -> ApiGatewayProxyResponse {
    finish(upload(uploads, &request).await)
}

/// The photo key for an upload: `photos/<random>/<file name>`, so names never collide
/// and the zip keeps the person's file name.
pub fn upload_key(file_name: &str) -> Result<ObjectKey, ApiError> {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request("file_name must be a plain file name"));
    }
    if !has_jpeg_extension(name) {
        return Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            format!("{name:?} is not a .jpg or .jpeg file"),
        ));
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    ObjectKey::parse(format!("{PHOTO_PREFIX}{}/{name}", &id[..16]))
        .map_err(|e| ApiError::bad_request(format!("file_name: {e}")))
}

async fn upload(
    uploads: &Uploads<'_>,
    request: &ApiGatewayProxyRequest,
) -> Result<ApiGatewayProxyResponse, ApiError> {
    caller(request)?;
    let (method, resource) = route(request);
    if method != Method::POST || resource != "/uploads" {
        return Err(no_route(&method, &resource));
    }
    let body: UploadBody = json_body(request)?;
    if body.size == 0 || body.size > MAX_SINGLE_PUT {
        return Err(ApiError::new(
            413,
            "TooLarge",
            format!(
                "size must be 1 to {MAX_SINGLE_PUT} bytes, not {}",
                body.size
            ),
        ));
    }
    if let Some(ct) = &body.content_type
        && !ct.is_empty()
        && !ct.eq_ignore_ascii_case("image/jpeg")
    {
        return Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            format!("content_type {ct:?} is not image/jpeg"),
        ));
    }
    let key = upload_key(&body.file_name)?;
    let presign = PresignRequest::new(
        PresignMethod::Put,
        uploads.bucket.clone(),
        key.clone(),
        UPLOAD_URL_TTL,
    )
    .map_err(|e| ApiError::internal("presigning the upload", &e))?;
    let signed = uploads
        .presigner
        .presign(&presign)
        .await
        .map_err(|e| ApiError::internal("presigning the upload", &e))?;
    Ok(respond(
        200,
        &json!({"key": key.as_str(), "method": "PUT", "url": signed.url, "headers": {},
                "expires_at": signed.expires_at.to_rfc3339()}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_keys_keep_the_name_under_photos() {
        let key = upload_key("C:\\Users\\me\\Holiday 1.JPEG").unwrap();
        assert!(key.as_str().starts_with("photos/"), "{key:?}");
        assert!(key.as_str().ends_with("/Holiday 1.JPEG"), "{key:?}");
        assert_eq!(upload_key("notes.txt").unwrap_err().status, 415);
        assert_eq!(upload_key("").unwrap_err().status, 400);
    }
}

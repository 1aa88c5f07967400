//! `POST /uploads`: how the browser sends a photo straight to the store, as it does to
//! S3 on AWS. Small files get one presigned PUT link; large ones a multipart plan — one
//! signed URL per part (a short-lived grant naming upload, key and part number), then
//! `complete_url` / `abort_url` on the API. Labelling starts from the object-created
//! event the store writes when the object appears, as with `pam import`.

use super::error::ApiError;
use super::links::store_error;
use super::spool::spool_body;
use super::state::AppState;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pam_core::ObjectKey;
use pam_core::ports::presign::{PresignMethod, PresignRequest, Presigner};
use pam_core::ports::store::{
    CompletedPart, MAX_PART_NUMBER, PhotoStore, PutOptions, PutSource, UploadId,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// Longest file name kept in the key.
const MAX_NAME: usize = 100;

/// `POST /uploads` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUpload {
    file_name: String,
    size: u64,
    content_type: String,
}

/// A file name made safe for a key segment: ASCII letters, digits, `.`, `_`, `-`.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    out = out.trim_start_matches(['.', '_']).to_owned();
    if out.len() > MAX_NAME {
        out = out[out.len() - MAX_NAME..].to_owned();
    }
    if out.is_empty() || out.chars().all(|c| c == '.') {
        out = "photo.jpg".into();
    }
    out
}

fn photo_options(key: &ObjectKey) -> PutOptions {
    let mut options = PutOptions {
        content_type: Some("image/jpeg".into()),
        ..PutOptions::default()
    };
    options.metadata.insert(
        pam_tasks::index_labels::FILE_NAME_METADATA.into(),
        key.file_name().to_owned(),
    );
    options
}

/// `POST /uploads` → a single presigned PUT, or a multipart plan.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<NewUpload>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(req) = body?;
    if req.file_name.trim().is_empty() {
        return Err(ApiError::bad_request("file_name must not be empty"));
    }
    if !req.content_type.eq_ignore_ascii_case("image/jpeg") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            format!(
                "only image/jpeg photos are accepted, not {:?}",
                req.content_type
            ),
        ));
    }
    let limits = &state.limits;
    if req.size == 0 {
        return Err(ApiError::bad_request("size must be positive"));
    }
    if req.size > limits.max_upload {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "{} bytes is over the {}-byte limit per photo",
                req.size, limits.max_upload
            ),
        ));
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let key = ObjectKey::parse(format!(
        "{}{id}/{}",
        pam_core::PHOTO_PREFIX,
        safe_name(&req.file_name)
    ))
    .map_err(|e| ApiError::bad_request(e.to_string()))?;
    if req.size <= limits.multipart_over {
        let request = PresignRequest::new(
            PresignMethod::Put,
            state.world.photos.clone(),
            key.clone(),
            limits.upload_ttl,
        )
        .map_err(|e| ApiError::internal("presigning the upload", e))?;
        let url = state
            .links
            .presign(&request)
            .await
            .map_err(|e| ApiError::internal("presigning the upload", e))?;
        return Ok(Json(json!({
            "key": key.as_str(),
            "method": "PUT",
            "url": url.url,
            "headers": {"Content-Type": "image/jpeg"},
            "expires_at": url.expires_at,
        })));
    }
    let parts = req.size.div_ceil(limits.part_size);
    if parts > u64::from(MAX_PART_NUMBER) {
        return Err(ApiError::bad_request(format!(
            "{parts} parts is over S3's {MAX_PART_NUMBER}"
        )));
    }
    let upload = state
        .world
        .store
        .create_multipart(&state.world.photos, &key, photo_options(&key))
        .await
        .map_err(|e| store_error("starting the upload", e))?;
    let base = state.public_url.as_str().trim_end_matches('/');
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let part_urls: Vec<Value> = (1..=parts as u32)
        .map(|n| {
            let grant = state
                .tokens
                .part_grant(&upload.0, key.as_str(), n, limits.upload_ttl);
            json!({
                "part_number": n,
                "url": format!("{base}/uploads/{}/parts/{n}?X-Pam-Grant={grant}", enc(&upload.0)),
            })
        })
        .collect();
    let (id, k) = (enc(&upload.0), enc(key.as_str()));
    Ok(Json(json!({
        "key": key.as_str(),
        "multipart": {
            "upload_id": upload.0,
            "part_size": limits.part_size,
            "parts": part_urls,
            "complete_url": format!("/uploads/{id}/complete?key={k}"),
            "abort_url": format!("/uploads/{id}?key={k}"),
        }
    })))
}

/// Query of the part route.
#[derive(Deserialize)]
pub struct PartQuery {
    #[serde(rename = "X-Pam-Grant")]
    grant: Option<String>,
}

/// `PUT /uploads/{upload_id}/parts/{part}?X-Pam-Grant=…`: one part, authorised by its grant.
pub async fn put_part(
    State(state): State<AppState>,
    Path((upload_id, part)): Path<(String, String)>,
    Query(query): Query<PartQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    let token = query.grant.ok_or_else(|| {
        ApiError::forbidden("bad_link", "the part URL lacks its X-Pam-Grant parameter")
    })?;
    let grant = state.tokens.verify_part(&token).map_err(|e| match e {
        super::auth::TokenError::Expired => {
            ApiError::forbidden("link_expired", "the part URL has expired")
        }
        other => ApiError::forbidden("bad_signature", other.to_string()),
    })?;
    if grant.upload_id != upload_id || part.parse::<u32>().ok() != Some(grant.part) {
        return Err(ApiError::forbidden(
            "bad_signature",
            "the grant is for another upload or part",
        ));
    }
    let key = ObjectKey::parse(grant.key).map_err(|e| ApiError::bad_request(e.to_string()))?;
    // A part may exceed the part size only by a little (the browser slices exactly).
    let part = grant.part;
    let limit = state.limits.part_size;
    let spooled = spool_body(&state, request.into_body(), limit, part == 1)
        .await
        .map_err(super::spool::SpoolError::into_api)?;
    let done = state
        .world
        .store
        .upload_part(
            &state.world.photos,
            &key,
            &UploadId(upload_id),
            part,
            PutSource::File(spooled.path().to_owned()),
        )
        .await
        .map_err(|e| store_error("storing the part", e))?;
    let mut response = StatusCode::OK.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&done.etag).map_err(|e| ApiError::internal("etag", e))?,
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag"),
    );
    Ok(response)
}

/// Query naming the upload's key.
#[derive(Deserialize)]
pub struct KeyQuery {
    key: String,
}

/// `POST /uploads/{upload_id}/complete` body.
#[derive(Deserialize)]
pub struct Complete {
    parts: Vec<PartDone>,
}

/// One uploaded part.
#[derive(Deserialize)]
pub struct PartDone {
    part_number: u32,
    etag: String,
}

fn photo_key(text: &str) -> Result<ObjectKey, ApiError> {
    let key = ObjectKey::parse(text).map_err(|e| ApiError::bad_request(e.to_string()))?;
    if !key.has_prefix(pam_core::PHOTO_PREFIX) {
        return Err(ApiError::bad_request("uploads go under photos/"));
    }
    Ok(key)
}

/// `POST /uploads/{upload_id}/complete?key=…`: the object appears (and labelling starts).
pub async fn complete(
    State(state): State<AppState>,
    Path(upload_id): Path<String>,
    Query(query): Query<KeyQuery>,
    body: Result<Json<Complete>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(done) = body?;
    let key = photo_key(&query.key)?;
    if done.parts.is_empty() {
        return Err(ApiError::bad_request("parts must list every uploaded part"));
    }
    let parts: Vec<CompletedPart> = done
        .parts
        .into_iter()
        .map(|p| CompletedPart {
            part_number: p.part_number,
            etag: p.etag,
        })
        .collect();
    let put = state
        .world
        .store
        .complete_multipart(&state.world.photos, &key, &UploadId(upload_id), &parts)
        .await
        .map_err(|e| store_error("completing the upload", e))?;
    tracing::info!(key = %key, size = put.size, "multipart upload completed");
    Ok(Json(
        json!({"key": key.as_str(), "etag": put.etag, "size": put.size}),
    ))
}

/// `DELETE /uploads/{upload_id}?key=…`: abandons a multipart upload.
pub async fn abort(
    State(state): State<AppState>,
    Path(upload_id): Path<String>,
    Query(query): Query<KeyQuery>,
) -> Result<StatusCode, ApiError> {
    let key = photo_key(&query.key)?;
    state
        .world
        .store
        .abort_multipart(&state.world.photos, &key, &UploadId(upload_id))
        .await
        .map_err(|e| store_error("aborting the upload", e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("IMG 0001.JPG"), "IMG_0001.JPG");
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\x\\été.jpg"), "t_.jpg");
        assert_eq!(safe_name("..."), "photo.jpg");
        assert_eq!(
            safe_name(&format!("{}.jpg", "a".repeat(300))).len(),
            MAX_NAME
        );
    }
}

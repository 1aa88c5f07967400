//! Presigned links (`/links/<bucket>/<key>?X-Pam-…`), the local stand-in for S3's
//! presigned URLs: checked with the data directory's link secret (`LocalPresigner`),
//! no bearer token. GET streams an object with HTTP Range support (bundles are large;
//! browsers and download managers resume); PUT takes a browser upload into the photos
//! bucket — streamed to a spool file, checked to be a JPEG, then stored, which writes
//! the object-created event that starts labelling exactly as `pam import` does.

use super::error::ApiError;
use super::spool::{SpoolError, spool_body};
use super::state::AppState;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pam_core::ports::store::{
    ByteRange, GetOptions, PhotoStore, PutOptions, PutSource, StoreError,
};
use pam_core::{BucketName, ObjectKey, PhotoKey};
use pam_local::presign::{LinkError, LocalPresigner};
use std::collections::HashMap;

/// Maps a store failure to the API's status and code (S3's names where it has them).
pub fn store_error(context: &str, e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound { .. } | StoreError::NoSuchBucket(_) => {
            ApiError::new(StatusCode::NOT_FOUND, "NoSuchKey", e.to_string())
        }
        StoreError::NoSuchUpload { .. } => {
            ApiError::new(StatusCode::NOT_FOUND, "NoSuchUpload", e.to_string())
        }
        StoreError::InvalidObjectState { .. } => {
            ApiError::new(StatusCode::FORBIDDEN, "InvalidObjectState", e.to_string())
        }
        StoreError::InvalidRange { .. } => ApiError::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "InvalidRange",
            e.to_string(),
        ),
        StoreError::EntityTooSmall { .. } => {
            ApiError::new(StatusCode::BAD_REQUEST, "EntityTooSmall", e.to_string())
        }
        StoreError::InvalidArgument(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "InvalidArgument", e.to_string())
        }
        StoreError::AlreadyExists { .. } | StoreError::Precondition(_) => ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            e.to_string(),
        ),
        StoreError::Transient { .. } => ApiError::unavailable(format!("{context}: try again")),
        other => ApiError::internal(context, other),
    }
}

fn link_refused(e: LinkError) -> ApiError {
    let code = match e {
        LinkError::Expired(_) => "link_expired",
        LinkError::BadSignature => "bad_signature",
        LinkError::WrongMethod { .. } => "wrong_method",
        _ => "bad_link",
    };
    ApiError::forbidden(code, e.to_string())
}

/// Checks the link of this request; returns the bucket and key it names.
fn checked(
    signer: &LocalPresigner,
    request_path: &str,
    method: &str,
    query: &HashMap<String, String>,
) -> Result<(BucketName, ObjectKey), ApiError> {
    let (bucket, key) = LocalPresigner::link_target(request_path).map_err(link_refused)?;
    signer
        .verify(method, &bucket, &key, query, chrono::Utc::now())
        .map_err(link_refused)?;
    let bucket = BucketName::parse(&bucket).map_err(|e| ApiError::not_found(e.to_string()))?;
    let key = ObjectKey::parse(key).map_err(|e| ApiError::not_found(e.to_string()))?;
    Ok((bucket, key))
}

/// Parses a single `bytes=` range; anything else (several ranges, other units, junk) is
/// ignored and the whole object is sent, as RFC 9110 allows.
fn parse_range(headers: &HeaderMap) -> Option<ByteRange> {
    let value = headers.get(header::RANGE)?.to_str().ok()?.trim();
    let spec = value.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    match (start.trim(), end.trim()) {
        ("", n) => n.parse().ok().map(ByteRange::Suffix),
        (s, "") => s.parse().ok().map(ByteRange::From),
        (s, e) => Some(ByteRange::FromTo(s.parse().ok()?, e.parse().ok()?)),
    }
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// `GET`/`HEAD /links/{bucket}/{*key}`: the object, whole or a range.
pub async fn get_object(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Result<Response, ApiError> {
    let method = request.method().as_str().to_owned();
    let (bucket, key) = checked(&state.links, request.uri().path(), &method, &query)?;
    let range = parse_range(request.headers());
    let got = match state
        .world
        .store
        .get(&bucket, &key, GetOptions { range })
        .await
    {
        Ok(got) => got,
        Err(StoreError::InvalidRange { size }) => {
            let mut r = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "InvalidRange",
                format!("the range is outside the object's {size} bytes"),
            )
            .into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes */{size}")),
            );
            return Ok(r);
        }
        Err(e) => return Err(store_error("reading the object", e)),
    };
    let size = got.meta.size;
    let (start, end) = (got.range.start, got.range.end);
    let partial = range.is_some();
    let mut response = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(
        got.body,
    )));
    *response.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_LENGTH,
        header_value(&(end - start).to_string()),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, header_value(&got.meta.etag));
    h.insert(
        header::LAST_MODIFIED,
        header_value(
            &got.meta
                .last_modified
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ),
    );
    let content_type = got.meta.content_type.clone().unwrap_or_else(|| {
        if key.as_str().ends_with(".zip") {
            "application/zip".into()
        } else {
            "application/octet-stream".into()
        }
    });
    h.insert(header::CONTENT_TYPE, header_value(&content_type));
    let name: String = key
        .file_name()
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    h.insert(
        header::CONTENT_DISPOSITION,
        header_value(&format!("attachment; filename=\"{name}\"")),
    );
    if partial {
        h.insert(
            header::CONTENT_RANGE,
            header_value(&format!("bytes {start}-{}/{size}", end.saturating_sub(1))),
        );
    }
    Ok(response)
}

/// `PUT /links/{bucket}/{*key}`: a presigned photo upload.
pub async fn put_object(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Result<Response, ApiError> {
    let (bucket, key) = checked(&state.links, request.uri().path(), "PUT", &query)?;
    if bucket != state.world.photos {
        return Err(ApiError::forbidden(
            "wrong_bucket",
            format!("uploads go to the {} bucket only", state.world.photos),
        ));
    }
    let photo = PhotoKey::try_from(key.clone())
        .map_err(|e| ApiError::forbidden("wrong_key", e.to_string()))?;
    let spooled = spool_body(&state, request.into_body(), state.limits.max_upload, true)
        .await
        .map_err(SpoolError::into_api)?;
    let path = spooled.path().to_owned();
    tokio::task::spawn_blocking(move || crate::import_files::check_jpeg(&path))
        .await
        .map_err(|e| ApiError::internal("checking the upload", e))?
        .map_err(|reason| ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_jpeg", reason))?;
    let mut options = PutOptions {
        content_type: Some("image/jpeg".into()),
        ..PutOptions::default()
    };
    options.metadata.insert(
        pam_tasks::index_labels::FILE_NAME_METADATA.into(),
        key.file_name().to_owned(),
    );
    let put = state
        .world
        .store
        .put(
            &bucket,
            photo.as_ref(),
            PutSource::File(spooled.path().to_owned()),
            options,
        )
        .await
        .map_err(|e| store_error("storing the upload", e))?;
    drop(spooled);
    tracing::info!(key = %key, size = put.size, "photo uploaded through a presigned link");
    let mut response = StatusCode::OK.into_response();
    response
        .headers_mut()
        .insert(header::ETAG, header_value(&put.etag));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(range: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, HeaderValue::from_str(range).unwrap());
        h
    }

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range(&headers("bytes=0-9")),
            Some(ByteRange::FromTo(0, 9))
        );
        assert_eq!(parse_range(&headers("bytes=5-")), Some(ByteRange::From(5)));
        assert_eq!(
            parse_range(&headers("bytes=-3")),
            Some(ByteRange::Suffix(3))
        );
        assert_eq!(parse_range(&headers("bytes=0-1,4-5")), None);
        assert_eq!(parse_range(&headers("items=0-1")), None);
        assert_eq!(parse_range(&headers("bytes=x-1")), None);
        assert_eq!(parse_range(&HeaderMap::new()), None);
    }
}

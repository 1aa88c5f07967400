//! The React app: `frontend/dist` (or `--ui DIR`) served as static files, `index.html`
//! for `/`, and `/config.json` telling the app it talks to this server with local
//! sign-in (on AWS the same build reads a Cognito configuration instead).

use super::error::ApiError;
use axum::Json;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

/// Why the UI folder cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// No `index.html` in it.
    #[error(
        "no built web app in {0}: run `npm ci && npm run build` in frontend/ (scripts/run.sh does it), or pass --ui DIR"
    )]
    Missing(PathBuf),
}

/// The default UI folder: `frontend/dist` in the working directory, else in the
/// repository pam was built from.
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("frontend/dist");
    if here.join("index.html").is_file() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend/dist")
}

/// Checks `dir` holds a built app.
pub fn check(dir: &Path) -> Result<(), UiError> {
    if dir.join("index.html").is_file() {
        Ok(())
    } else {
        Err(UiError::Missing(dir.to_owned()))
    }
}

/// `GET /config.json`: what the app needs to know about this server.
pub async fn config() -> Json<Value> {
    Json(json!({"apiBase": "", "auth": {"mode": "local"}}))
}

async fn not_found() -> impl IntoResponse {
    ApiError::not_found("no such page or API route")
}

/// Static files with `index.html` for directories and a JSON 404 for anything else.
pub fn service(dir: &Path) -> axum::Router {
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
            not_found,
        ));
    axum::Router::new().fallback_service(files)
}

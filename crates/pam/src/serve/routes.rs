//! The route table: every path the server answers, with who may call it. The router is
//! built from this table, `/openapi.json` is checked against it in both directions (a
//! test), and the API tests walk it for the auth matrix — so a route cannot be added
//! without its auth rule and its documentation.

use super::error::json_errors;
use super::state::AppState;
use super::{api, auth, downloads, links, openapi, ui, uploads};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, delete, get, post, put};
use std::path::Path;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (sign-in, the app's configuration, the API document).
    Public,
    /// A valid ID token in `Authorization: Bearer`.
    Token,
    /// The URL's own signature (presigned links, part grants).
    Signed,
}

/// One route: method, axum path, access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Method.
    pub method: &'static str,
    /// Path in axum syntax (`{id}`, `{*key}` for the rest of the path).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

const fn r(method: &'static str, path: &'static str, access: Access) -> Route {
    Route {
        method,
        path,
        access,
    }
}

/// Every API route. The static UI is served for any other GET.
pub const ROUTES: &[Route] = &[
    r("POST", "/auth/login", Access::Public),
    r("GET", "/config.json", Access::Public),
    r("GET", "/openapi.json", Access::Public),
    r("GET", "/labels", Access::Token),
    r("POST", "/uploads", Access::Token),
    r("POST", "/uploads/{upload_id}/complete", Access::Token),
    r("DELETE", "/uploads/{upload_id}", Access::Token),
    r("PUT", "/uploads/{upload_id}/parts/{part}", Access::Signed),
    r("POST", "/downloads", Access::Token),
    r("GET", "/downloads/{job_id}", Access::Token),
    r("GET", "/outbox", Access::Token),
    r("GET", "/executions", Access::Token),
    r("GET", "/executions/{arn}/history", Access::Token),
    r("GET", "/links/{bucket}/{*key}", Access::Signed),
    r("PUT", "/links/{bucket}/{*key}", Access::Signed),
];

fn handler(route: &Route) -> MethodRouter<AppState> {
    match (route.method, route.path) {
        ("POST", "/auth/login") => post(api::login),
        ("GET", "/config.json") => get(ui::config),
        ("GET", "/openapi.json") => get(openapi::document),
        ("GET", "/labels") => get(api::labels),
        ("POST", "/uploads") => post(uploads::create),
        ("POST", "/uploads/{upload_id}/complete") => post(uploads::complete),
        ("DELETE", "/uploads/{upload_id}") => delete(uploads::abort),
        ("PUT", "/uploads/{upload_id}/parts/{part}") => put(uploads::put_part),
        ("POST", "/downloads") => post(downloads::start),
        ("GET", "/downloads/{job_id}") => get(downloads::status),
        ("GET", "/outbox") => get(api::outbox),
        ("GET", "/executions") => get(api::executions),
        ("GET", "/executions/{arn}/history") => get(api::history),
        ("GET", "/links/{bucket}/{*key}") => get(links::get_object),
        ("PUT", "/links/{bucket}/{*key}") => put(links::put_object),
        (m, p) => unreachable!("route {m} {p} in ROUTES has no handler"),
    }
}

/// The whole app: API routes (token ones behind the auth middleware), the static UI as
/// fallback, JSON errors everywhere, and body limits (JSON small; uploads stream with
/// their own limit in the handler).
pub fn router(state: AppState, ui_dir: &Path) -> Router {
    let mut public = Router::new();
    let mut protected = Router::new();
    let mut signed = Router::new();
    for route in ROUTES {
        let h = handler(route);
        match route.access {
            Access::Public => public = public.route(route.path, h),
            Access::Token => protected = protected.route(route.path, h),
            Access::Signed => signed = signed.route(route.path, h),
        }
    }
    let protected = protected.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::require_token,
    ));
    let json_limit = DefaultBodyLimit::max(state.limits.max_json);
    Router::new()
        .merge(public.layer(json_limit))
        .merge(protected.layer(json_limit))
        // Signed uploads check their own size limit while streaming.
        .merge(signed.layer(DefaultBodyLimit::disable()))
        .fallback_service(ui::service(ui_dir))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

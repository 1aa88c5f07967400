//! `pam serve` tested from outside: the real binary on a free port with a temp data
//! directory. `auth.rs`: the auth matrix over every route of `/openapi.json` (which a
//! unit test ties to the router's table) and sign-in; `api.rs`: error shapes, limits,
//! graceful shutdown, `pam user`; `transfer.rs`: presigned links (tampered, expired,
//! Range), uploads single and multipart; `labelling.rs`: a browser-style upload of
//! real photos whose labels then appear; `journey.rs`: the React app in headless
//! Chromium end to end.
//! Tests needing the model/photos skip loudly unless PAM_REQUIRE_ASSETS=1; the browser
//! journey skips unless PAM_REQUIRE_BROWSER=1.

mod api;
mod auth;
mod helpers;
mod journey;
mod labelling;
mod transfer;

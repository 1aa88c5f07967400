//! `GET /openapi.json`: the API document, written by hand in `openapi.json` (it is also
//! what the AWS API Gateway serves). A test checks it against the route table in both
//! directions — every route documented, every documented operation routed, and the
//! security of each operation equal to the route's access rule.

use axum::Json;
use serde_json::Value;
use std::sync::OnceLock;

/// The document's text.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The parsed document.
pub fn parsed() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(OPENAPI).expect("openapi.json is valid JSON"))
}

/// `GET /openapi.json`.
pub async fn document() -> Json<Value> {
    Json(parsed().clone())
}

/// A route path as OpenAPI writes it (`{*key}` → `{key}`).
#[cfg(test)]
pub fn openapi_path(axum_path: &str) -> String {
    axum_path.replace("{*", "{")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::routes::{Access, ROUTES};
    use std::collections::BTreeSet;

    fn documented() -> BTreeSet<(String, String, bool)> {
        let mut out = BTreeSet::new();
        for (path, item) in parsed()["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let secured = op["security"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path} must state its security"))
                    .iter()
                    .any(|s| s.get("bearer").is_some());
                out.insert((method.to_uppercase(), path.clone(), secured));
            }
        }
        out
    }

    #[test]
    fn document_matches_the_route_table_both_ways() {
        let routed: BTreeSet<(String, String, bool)> = ROUTES
            .iter()
            .map(|r| {
                (
                    r.method.to_owned(),
                    openapi_path(r.path),
                    r.access == Access::Token,
                )
            })
            .collect();
        let doc = documented();
        let undocumented: Vec<_> = routed.difference(&doc).collect();
        let unrouted: Vec<_> = doc.difference(&routed).collect();
        assert!(
            undocumented.is_empty(),
            "routes missing from openapi.json (or with other security): {undocumented:?}"
        );
        assert!(
            unrouted.is_empty(),
            "openapi.json operations the router lacks: {unrouted:?}"
        );
    }
}

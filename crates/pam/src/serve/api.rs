//! The small JSON routes: sign-in, labels, the local outbox and the operator's view of
//! executions (what the Step Functions console shows on AWS).

use super::auth::Claims;
use super::error::ApiError;
use super::state::AppState;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, State};
use pam_asl::EngineError;
use pam_asl::store::StoreError as ExecStoreError;
use pam_core::ports::LabelIndex;
use pam_local::accounts::AccountError;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path as FsPath;

/// `POST /auth/login` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    username: String,
    password: String,
}

/// `POST /auth/login` → `{"id_token","expires_in"}`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<Login>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(login) = body?;
    match state
        .accounts
        .authenticate(&login.username, &login.password)
        .await
    {
        Ok(user) => {
            tracing::info!(user = %user.name, "signed in");
            Ok(Json(json!({
                "id_token": state.tokens.issue(&user),
                "expires_in": state.tokens.ttl().as_secs(),
                "token_type": "Bearer",
            })))
        }
        Err(AccountError::BadCredentials) => {
            tracing::info!("sign-in refused");
            Err(ApiError::unauthorized(
                "bad_credentials",
                "wrong user name or password",
            ))
        }
        Err(e) if e.is_transient() => Err(ApiError::unavailable(
            "the accounts database is busy; try again",
        )),
        Err(e) => Err(ApiError::internal("sign-in", e)),
    }
}

/// `GET /labels` → `{"labels":[{"name","count"}]}`, highest count first.
pub async fn labels(
    State(state): State<AppState>,
    Extension(_caller): Extension<Claims>,
) -> Result<Json<Value>, ApiError> {
    let mut counts = state
        .world
        .index
        .label_counts()
        .await
        .map_err(|e| ApiError::internal("listing labels", e))?;
    counts.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.as_str().cmp(b.name.as_str()))
    });
    let labels: Vec<Value> = counts
        .iter()
        .map(|c| json!({"name": c.name.as_str(), "count": c.count}))
        .collect();
    Ok(Json(json!({ "labels": labels })))
}

fn engine_error(context: &str, e: EngineError) -> ApiError {
    match e {
        EngineError::Store(ExecStoreError::NotFound(arn)) => {
            ApiError::not_found(format!("no execution {arn}"))
        }
        other => ApiError::internal(context, other),
    }
}

/// `GET /executions` → `{"executions":[{execution_arn,name,state_machine,status,start_date,stop_date}]}`, newest first.
pub async fn executions(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let engine = state.world.engine.clone();
    let records = tokio::task::spawn_blocking(move || engine.list())
        .await
        .map_err(|e| ApiError::internal("listing executions", e))?
        .map_err(|e| engine_error("listing executions", e))?;
    let mut list: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "execution_arn": r.execution_arn,
                "name": r.name,
                "state_machine": r.state_machine,
                "status": r.status,
                "start_date": r.start_date,
                "stop_date": r.stop_date,
                "error": r.error,
            })
        })
        .collect();
    list.sort_by(|a, b| b["start_date"].as_str().cmp(&a["start_date"].as_str()));
    Ok(Json(json!({ "executions": list })))
}

/// `GET /executions/{arn}/history` → `{"events":[…]}` in GetExecutionHistory's shape.
pub async fn history(
    State(state): State<AppState>,
    Path(arn): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let engine = state.world.engine.clone();
    let events = tokio::task::spawn_blocking(move || engine.history(&arn))
        .await
        .map_err(|e| ApiError::internal("reading history", e))?
        .map_err(|e| engine_error("reading history", e))?;
    Ok(Json(json!({ "events": events })))
}

/// `GET /outbox` → `{"messages":[{id,channel,subject,body,created_at}]}`: what PAM would
/// have sent had SMTP / an SMS webhook been configured (files carry no address).
pub async fn outbox(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let dir = state.outbox_dir.clone();
    let messages = tokio::task::spawn_blocking(move || read_outbox(&dir))
        .await
        .map_err(|e| ApiError::internal("reading the outbox", e))?
        .map_err(|e| ApiError::internal("reading the outbox", e))?;
    Ok(Json(json!({ "messages": messages })))
}

/// Most recent messages shown.
const OUTBOX_LIMIT: usize = 200;

fn read_outbox(dir: &FsPath) -> std::io::Result<Vec<Value>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let channel = match path.extension().and_then(|e| e.to_str()) {
            Some("eml") => "email",
            Some("txt") => "sms",
            _ => continue,
        };
        let modified = entry.metadata()?.modified()?;
        found.push((modified, path, channel));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    let mut out = Vec::new();
    for (modified, path, channel) in found.into_iter().take(OUTBOX_LIMIT) {
        let text = std::fs::read_to_string(&path)?;
        let (subject, body) = split_message(&text);
        let created: chrono::DateTime<chrono::Utc> = modified.into();
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        out.push(json!({
            "id": id,
            "channel": channel,
            "subject": subject,
            "body": body,
            "created_at": created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }));
    }
    Ok(out)
}

/// Splits a message file into its `Subject:` header (if it has headers) and its body.
fn split_message(text: &str) -> (Option<String>, String) {
    let normalized = text.replace("\r\n", "\n");
    let Some((head, body)) = normalized.split_once("\n\n") else {
        return (None, normalized);
    };
    let looks_like_headers = head.lines().all(|l| {
        l.starts_with([' ', '\t']) || l.split_once(':').is_some_and(|(k, _)| !k.contains(' '))
    });
    if !looks_like_headers {
        return (None, normalized);
    }
    let subject = head
        .lines()
        .find_map(|l| l.strip_prefix("Subject:").map(|s| s.trim().to_owned()));
    (subject, body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_headers_from_body() {
        let (s, b) = split_message(
            "To: undisclosed-recipients:;\r\nSubject: Ready\r\n\r\nHello\r\nlink\r\n",
        );
        assert_eq!(s.as_deref(), Some("Ready"));
        assert_eq!(b, "Hello\nlink\n");
        let (s, b) = split_message("Your photos: http://x\n\nbye");
        assert_eq!(s, None);
        assert!(b.starts_with("Your photos"));
    }

    #[test]
    fn outbox_lists_messages_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_outbox(&dir.path().join("missing")).unwrap().is_empty());
        std::fs::write(dir.path().join("1-a.eml"), "Subject: One\n\nfirst").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("2-b.txt"), "second").unwrap();
        std::fs::write(dir.path().join("ignored.tmp"), "x").unwrap();
        let got = read_outbox(dir.path()).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0]["channel"], "sms");
        assert_eq!(got[1]["subject"], "One");
        assert_eq!(got[1]["body"], "first");
    }
}

//! Starting a download job: the request (validated), the API body it comes from, and
//! [`prepare`], which makes the job's sealing key, seals the address, records the job
//! (stage queued) and builds the execution input. The execution input carries the
//! address only sealed; everything else in it is plain and small.
//!
//! `prepare` is idempotent for one job id: the key is the one made first and the
//! address is sealed deterministically, so a retried request builds the same input
//! (Step Functions accepts a second start under one name only with the same input).

use crate::download::config::DEFAULT_LINK_TTL;
use crate::error::StepError;
use pam_core::clock::Clock;
use pam_core::ports::jobs::{JobCounts, JobLog, JobRecord, JobStage};
use pam_core::ports::keys::JobKeys;
use pam_core::ports::presign::MAX_PRESIGN;
use pam_core::{JobId, Label, MatchMode, NotifyTarget, RestoreTier};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Most labels one request may name.
pub const MAX_LABELS: usize = 50;

/// A validated download request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRequest {
    /// The labels (deduplicated, in the order given).
    pub labels: Vec<Label>,
    /// Any / all.
    pub match_mode: MatchMode,
    /// Who to tell (redacted when printed).
    pub notify: NotifyTarget,
    /// Restore tier for archived photos.
    pub tier: RestoreTier,
    /// How long the links work (1 s ..= 7 days).
    pub link_ttl: Duration,
}

impl DownloadRequest {
    /// Checks the request: 1 to [`MAX_LABELS`] labels (duplicates dropped), a link
    /// lifetime of 1 second to 7 days.
    pub fn new(
        labels: Vec<Label>,
        match_mode: MatchMode,
        notify: NotifyTarget,
        tier: RestoreTier,
        link_ttl: Duration,
    ) -> Result<Self, StepError> {
        let mut unique: Vec<Label> = Vec::with_capacity(labels.len());
        for label in labels {
            if !unique.contains(&label) {
                unique.push(label);
            }
        }
        if unique.is_empty() {
            return Err(StepError::InvalidInput(
                "labels: name at least one label".into(),
            ));
        }
        if unique.len() > MAX_LABELS {
            return Err(StepError::InvalidInput(format!(
                "labels: {} given, at most {MAX_LABELS} are allowed",
                unique.len()
            )));
        }
        if link_ttl < Duration::from_secs(1) || link_ttl > MAX_PRESIGN {
            return Err(StepError::InvalidInput(format!(
                "link_ttl_seconds: {} is outside 1 to {} (7 days)",
                link_ttl.as_secs(),
                MAX_PRESIGN.as_secs()
            )));
        }
        Ok(Self {
            labels: unique,
            match_mode,
            notify,
            tier,
            link_ttl,
        })
    }
}

/// The JSON body of `POST /downloads`:
/// `{"labels":[…],"match":"any|all","notify":{"email":…}|{"phone":…},"tier":…,"link_ttl_seconds":…}`.
/// `match` defaults to `any`, `tier` to `Standard`, `link_ttl_seconds` to 24 h.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadBody {
    /// Label names.
    pub labels: Vec<String>,
    /// `any` or `all`.
    #[serde(rename = "match", default)]
    pub match_mode: Option<String>,
    /// `{"email": …}` or `{"phone": …}`; kept as JSON so no parse error can echo it.
    pub notify: Value,
    /// `Expedited`, `Standard` or `Bulk`.
    #[serde(default)]
    pub tier: Option<String>,
    /// Link lifetime in seconds.
    #[serde(default)]
    pub link_ttl_seconds: Option<u64>,
}

impl DownloadBody {
    /// Parses a request body. Errors name the field and never repeat the address.
    pub fn parse(body: &[u8]) -> Result<DownloadRequest, StepError> {
        let parsed: Self = serde_json::from_slice(body).map_err(|e| {
            StepError::InvalidInput(format!("request body: {}", strip_values(&e.to_string())))
        })?;
        parsed.into_request()
    }

    /// Validates the fields into a [`DownloadRequest`].
    pub fn into_request(self) -> Result<DownloadRequest, StepError> {
        let bad = |field: &str, why: String| StepError::InvalidInput(format!("{field}: {why}"));
        let labels = self
            .labels
            .iter()
            .map(|l| Label::parse(l).map_err(|e| bad("labels", e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let match_mode = match self.match_mode.as_deref() {
            None => MatchMode::Any,
            Some(m) => m
                .parse()
                .map_err(|e: pam_core::MatchModeError| bad("match", e.to_string()))?,
        };
        let tier = match self.tier.as_deref() {
            None => RestoreTier::Standard,
            Some(t) => t
                .parse()
                .map_err(|e: pam_core::RestoreTierError| bad("tier", e.to_string()))?,
        };
        let notify = notify_target(&self.notify)?;
        let ttl = self
            .link_ttl_seconds
            .map_or(DEFAULT_LINK_TTL, Duration::from_secs);
        DownloadRequest::new(labels, match_mode, notify, tier, ttl)
    }
}

/// `{"email": "…"}` or `{"phone": "…"}`, with errors that do not quote the value.
fn notify_target(value: &Value) -> Result<NotifyTarget, StepError> {
    let bad = |why: &str| StepError::InvalidInput(format!("notify: {why}"));
    let object = value
        .as_object()
        .ok_or_else(|| bad("expected {\"email\": …} or {\"phone\": …}"))?;
    if object.len() != 1 {
        return Err(bad("give exactly one of \"email\" or \"phone\""));
    }
    let (kind, address) = object.iter().next().expect("one entry");
    let address = address
        .as_str()
        .ok_or_else(|| bad("the address must be a string"))?;
    let target = match kind.as_str() {
        "email" => NotifyTarget::email(address),
        "phone" => NotifyTarget::phone(address),
        _ => return Err(bad("give exactly one of \"email\" or \"phone\"")),
    };
    target.map_err(|e| StepError::InvalidInput(format!("notify: {e}")))
}

/// serde_json quotes offending string values (`invalid type: string "…"`); drop them.
fn strip_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_quote = false;
    for c in message.chars() {
        match c {
            '"' if !in_quote => {
                in_quote = true;
                out.push_str("\"…");
            }
            '"' => {
                in_quote = false;
                out.push('"');
            }
            _ if in_quote => {}
            _ => out.push(c),
        }
    }
    out
}

/// A prepared job: its record and the execution input to start it with.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The job as recorded (stage queued on first call).
    pub record: JobRecord,
    /// `{job_id, labels, match, notify: SealedTarget, tier, link_ttl_seconds}`.
    pub execution_input: Value,
}

/// Makes the job's key, seals the address, records the job and builds the execution
/// input. The caller then starts the download state machine named by the job id.
pub async fn prepare(
    req: &DownloadRequest,
    job: &JobId,
    keys: &dyn JobKeys,
    jobs: &dyn JobLog,
    clock: &dyn Clock,
) -> Result<Prepared, StepError> {
    let key = keys.create(job).await?;
    let sealed = key.seal_deterministic(job, &req.notify);
    let now = clock.now();
    let record = JobRecord {
        job_id: job.clone(),
        labels: req.labels.clone(),
        match_mode: req.match_mode,
        tier: req.tier,
        notify_kind: req.notify.kind().to_owned(),
        stage: JobStage::Queued,
        counts: JobCounts::default(),
        bundle: None,
        error: None,
        created_at: now,
        updated_at: now,
    };
    jobs.create(&record).await?;
    let record = jobs
        .get(job)
        .await?
        .ok_or_else(|| StepError::Internal(format!("job {job} vanished after create")))?;
    let execution_input = json!({
        "job_id": job,
        "labels": req.labels,
        "match": req.match_mode,
        "notify": sealed,
        "tier": req.tier,
        "link_ttl_seconds": req.link_ttl.as_secs(),
    });
    tracing::info!(job_id = %job, kind = req.notify.kind(), labels = req.labels.len(), "download job prepared");
    Ok(Prepared {
        record,
        execution_input,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parses_with_defaults() {
        let req = DownloadBody::parse(
            br#"{"labels":["Mountain","Mountain","Beach"],"notify":{"email":"a@example.com"}}"#,
        )
        .unwrap();
        assert_eq!(req.labels.len(), 2);
        assert_eq!(req.match_mode, MatchMode::Any);
        assert_eq!(req.tier, RestoreTier::Standard);
        assert_eq!(req.link_ttl, DEFAULT_LINK_TTL);
    }

    #[test]
    fn bad_bodies_name_the_field_and_never_the_address() {
        let cases: &[(&[u8], &str)] = &[
            (br#"{"labels":[],"notify":{"email":"secret@example.com"}}"#, "labels"),
            (br#"{"labels":["A"],"notify":"secret@example.com"}"#, "notify"),
            (br#"{"labels":["A"],"notify":{"email":"secret@nowhere"}}"#, "notify"),
            (br#"{"labels":["A"],"notify":{"email":"secret@example.com","phone":"+14155550123"}}"#, "notify"),
            (br#"{"labels":["A"],"notify":{"fax":"secret"}}"#, "notify"),
            (br#"{"labels":["A"],"notify":{"email":"secret@example.com"},"tier":"fast"}"#, "tier"),
            (br#"{"labels":["A"],"notify":{"email":"secret@example.com"},"match":"some"}"#, "match"),
            (br#"{"labels":["A"],"notify":{"email":"secret@example.com"},"link_ttl_seconds":604801}"#, "link_ttl_seconds"),
            (br#"{"labels":["A"],"notify":{"email":"secret@example.com"},"emial":"secret@example.com"}"#, "emial"),
            (br#"{"labels":"secret@example.com","notify":{}}"#, "request body"),
        ];
        for (body, field) in cases {
            let err = DownloadBody::parse(body).unwrap_err();
            let text = err.to_string();
            assert_eq!(err.error_name(), "Pam.InvalidInput", "{text}");
            assert!(text.contains(field), "{text} should name {field}");
            assert!(!text.contains("secret"), "{text} leaks the address");
        }
    }
}

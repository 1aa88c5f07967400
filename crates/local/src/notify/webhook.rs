//! SMS through an HTTP webhook: `POST <PAM_SMS_WEBHOOK>` with JSON `{"to","body"}`
//! (the shape most SMS gateways and a small relay script accept). 2xx is delivered;
//! 429, 5xx and network trouble are Transient; any other 4xx means the gateway
//! refused the number. Error texts never carry the number or the webhook's query
//! string (which may hold a gateway token).

use super::Scrubbed;
use pam_core::ports::notify::{Message, NotifyError};
use std::time::Duration;
use url::Url;

const NOTIFIER: &str = "sms-webhook";
/// How long one webhook call may take.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(30);

/// The webhook endpoint and its HTTP client.
#[derive(Debug)]
pub(crate) struct WebhookSender {
    client: reqwest::Client,
    url: Url,
}

impl WebhookSender {
    pub(crate) fn new(url: Url) -> Result<Self, NotifyError> {
        let client = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .build()
            .map_err(|e| NotifyError::Backend {
                notifier: NOTIFIER,
                source: Box::new(e.without_url()),
            })?;
        Ok(Self { client, url })
    }

    /// The webhook without its query string, for messages.
    fn shown(&self) -> String {
        format!(
            "{}://{}{}",
            self.url.scheme(),
            self.url.host_str().unwrap_or_default(),
            self.url.path()
        )
    }

    pub(crate) async fn send(&self, number: &str, message: &Message) -> Result<(), NotifyError> {
        let body = serde_json::json!({ "to": number, "body": message.body });
        let answer = self
            .client
            .post(self.url.clone())
            .json(&body)
            .send()
            .await
            .map_err(|e| NotifyError::Transient {
                notifier: NOTIFIER,
                source: Box::new(Scrubbed(format!(
                    "webhook {}: {}",
                    self.shown(),
                    e.without_url()
                ))),
            })?;
        let status = answer.status();
        if status.is_success() {
            return Ok(());
        }
        let what = format!("webhook {} answered {status}", self.shown());
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            Err(NotifyError::Transient {
                notifier: NOTIFIER,
                source: Box::new(Scrubbed(what)),
            })
        } else {
            Err(NotifyError::Refused(what))
        }
    }
}

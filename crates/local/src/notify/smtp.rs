//! Email through an SMTP relay with `lettre` (tokio, rustls): a plain-text message
//! with an `X-Pam-Job` header. The relay's replies may echo the recipient, so every
//! error text is scrubbed of the address before it leaves this file, and failures are
//! sorted into Refused (5xx: the address will never work), Transient (4xx, timeouts,
//! connection trouble) and Backend (TLS, a message lettre cannot build).

use super::config::SmtpConfig;
use super::{Scrubbed, scrub};
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use pam_core::JobId;
use pam_core::ports::notify::{Message, NotifyError};
use std::time::Duration;

const NOTIFIER: &str = "smtp";
/// How long one SMTP command may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// `X-Pam-Job: <job id>` so a message can be traced to its job without the address.
#[derive(Debug, Clone)]
pub(crate) struct XPamJob(pub(crate) String);

impl Header for XPamJob {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Pam-Job")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// An SMTP relay and the sender mailbox.
pub(crate) struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    endpoint: String,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpSender({})", self.endpoint)
    }
}

impl SmtpSender {
    pub(crate) fn new(config: &SmtpConfig, from: Mailbox) -> Result<Self, NotifyError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.url().as_str())
            .map_err(|e| NotifyError::Backend {
                notifier: NOTIFIER,
                source: Box::new(Scrubbed(format!(
                    "cannot use SMTP relay {}: {}",
                    config.endpoint(),
                    scrub(&e.to_string(), &[config.url().password().unwrap_or("")])
                ))),
            })?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            transport,
            endpoint: config.endpoint(),
            from,
        })
    }

    pub(crate) async fn send(
        &self,
        job: &JobId,
        address: &str,
        message: &Message,
    ) -> Result<(), NotifyError> {
        let to: Mailbox = address.parse().map_err(|_| {
            NotifyError::Refused("the email address is not one SMTP can send to".into())
        })?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .header(XPamJob(job.to_string()))
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| NotifyError::Backend {
                notifier: NOTIFIER,
                source: Box::new(Scrubbed(format!(
                    "cannot build the email: {}",
                    scrub(&e.to_string(), &[address])
                ))),
            })?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) => Err(self.classify(&e, address)),
        }
    }

    fn classify(&self, e: &lettre::transport::smtp::Error, address: &str) -> NotifyError {
        let text = scrub(&e.to_string(), &[address]);
        let detail = Scrubbed(format!("relay {}: {text}", self.endpoint));
        if e.is_permanent() {
            let code = e.status().map(|c| c.to_string()).unwrap_or_default();
            NotifyError::Refused(format!(
                "SMTP relay {} refused the message permanently ({code})",
                self.endpoint
            ))
        } else if e.is_client() || e.is_tls() || e.is_response() {
            NotifyError::Backend {
                notifier: NOTIFIER,
                source: Box::new(detail),
            }
        } else {
            // 4xx, timeouts, refused or dropped connections: worth retrying.
            NotifyError::Transient {
                notifier: NOTIFIER,
                source: Box::new(detail),
            }
        }
    }
}

//! The notification port: one channel per download job (an SNS topic on AWS; locally a
//! row that holds the address sealed, delivering by SMTP, an SMS webhook or an outbox
//! folder). The channel is the only place the address lives while a job runs, and
//! closing it erases the address.

use crate::domain::{JobId, NotifyTarget};
use crate::ports::store::BoxError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A channel's id: an SNS topic ARN, or a local channel id. Not personal data.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChannelId(String);

impl ChannelId {
    /// Wraps an id an adapter made (non-empty, ≤ 512 bytes).
    pub fn parse(id: impl Into<String>) -> Result<Self, NotifyError> {
        let id = id.into();
        if id.is_empty() || id.len() > 512 || id.chars().any(char::is_control) {
            return Err(NotifyError::InvalidChannel(
                "a channel id must be 1 to 512 printable characters".into(),
            ));
        }
        Ok(Self(id))
    }
    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChannelId({})", self.0)
    }
}

/// Whether a publish on the channel will reach the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subscription {
    /// Messages will be delivered.
    Confirmed,
    /// The person has not yet confirmed (SNS email); publishing now would be lost.
    PendingConfirmation,
}

/// A message to the person. The body is plain text; a link stands alone on its own
/// line so that no mail client breaks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Subject line (email) — SMS ignores it.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// What went wrong in a [`Notifier`] call. Never contains the address.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// Unknown or malformed channel id.
    #[error("invalid channel: {0}")]
    InvalidChannel(String),
    /// The channel was closed (its address erased).
    #[error("channel {0} is closed")]
    Closed(ChannelId),
    /// The address was refused by the delivery service (e.g. SNS InvalidParameter).
    #[error("the address was refused: {0}")]
    Refused(String),
    /// Worth retrying (connection refused, throttling, 4xx-temporary SMTP).
    #[error("transient failure in {notifier}: {source}")]
    Transient {
        /// The notifier.
        notifier: &'static str,
        /// Cause.
        source: BoxError,
    },
    /// Any other failure.
    #[error("{notifier} failed: {source}")]
    Backend {
        /// The notifier.
        notifier: &'static str,
        /// Cause.
        source: BoxError,
    },
}

/// Per-job notification channels.
///
/// # Contract
/// - `open` is idempotent per job: a second call returns the same channel and adds no
///   second subscription.
/// - `publish` delivers the message to the address (at least once); on a closed
///   channel it is `Closed`.
/// - `close` erases the address and the channel; closing twice is `Ok`.
/// - No error, log line or stored row carries the address in clear.
#[async_trait]
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// Creates the job's channel and subscribes the address.
    async fn open(&self, job: &JobId, target: &NotifyTarget) -> Result<ChannelId, NotifyError>;
    /// Whether messages will reach the person yet.
    async fn subscription(&self, channel: &ChannelId) -> Result<Subscription, NotifyError>;
    /// Sends a message to the channel's address.
    async fn publish(&self, channel: &ChannelId, message: &Message) -> Result<(), NotifyError>;
    /// Deletes the channel and the address with it.
    async fn close(&self, channel: &ChannelId) -> Result<(), NotifyError>;
}

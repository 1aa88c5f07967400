//! [`SnsNotifier`]: the `Notifier` port on Amazon SNS — one topic per download job,
//! named `<prefix><job id>`, so a job's channel is found again by name and deleting it
//! removes the subscription (and with it the address) at once.
//!
//! - `open`: CreateTopic is idempotent for a name; the address is subscribed only when
//!   the topic has no subscription yet, so a retried OpenChannel adds no second one
//!   (SNS itself also answers a repeated Subscribe with the existing subscription).
//!   Email subscriptions wait for the person's confirmation; SMS ones are live at once.
//! - `subscription`: ListSubscriptionsByTopic (paginated); a subscription still pending
//!   shows `PendingConfirmation` as its ARN there, and GetSubscriptionAttributes'
//!   `PendingConfirmation` attribute says so for the others.
//! - `publish`: Publish to the topic; a deleted topic is `Closed`.
//! - `close`: DeleteTopic, which SNS treats as done when the topic is already gone.
//!
//! Errors never carry the address: SDK errors are reduced to their code and message,
//! and the subscribe call's error (whose message may echo the endpoint) to its code.

use async_trait::async_trait;
use aws_sdk_sns::config::http::HttpResponse;
use aws_sdk_sns::error::{ProvideErrorMetadata, SdkError};
use pam_core::ports::notify::{ChannelId, Message, Notifier, NotifyError, Subscription};
use pam_core::{JobId, NotifyTarget};

use crate::sdk_error::is_transient;

const NOTIFIER: &str = "sns";
/// SNS email subjects: at most 100 printable ASCII characters.
const MAX_SUBJECT: usize = 100;

fn notify_err<E>(err: SdkError<E, HttpResponse>, closed: Option<&ChannelId>) -> NotifyError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(channel) = closed
        && matches!(err.code(), Some("NotFound" | "NotFoundException"))
    {
        return NotifyError::Closed(channel.clone());
    }
    let transient = is_transient(&err);
    let text = format!(
        "{}: {}",
        err.code().unwrap_or("no error code"),
        err.message().unwrap_or("no message")
    );
    if transient {
        NotifyError::Transient {
            notifier: NOTIFIER,
            source: text.into(),
        }
    } else {
        NotifyError::Backend {
            notifier: NOTIFIER,
            source: text.into(),
        }
    }
}

/// Per-job SNS topics.
#[derive(Debug, Clone)]
pub struct SnsNotifier {
    client: aws_sdk_sns::Client,
    prefix: String,
}

impl SnsNotifier {
    /// A notifier naming topics `<prefix><job id>` (`PAM_TOPIC_PREFIX`, e.g.
    /// `pam-download-`). The prefix keeps to SNS's topic-name characters.
    pub fn new(
        client: aws_sdk_sns::Client,
        prefix: impl Into<String>,
    ) -> Result<Self, NotifyError> {
        let prefix = prefix.into();
        let ok = prefix.len() <= 170
            && prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(NotifyError::InvalidChannel(format!(
                "topic prefix {prefix:?}: use at most 170 letters, digits, '-' or '_'"
            )));
        }
        Ok(Self { client, prefix })
    }

    /// The topic name of `job`'s channel.
    pub fn topic_name(&self, job: &JobId) -> String {
        format!("{}{job}", self.prefix)
    }

    fn check(&self, channel: &ChannelId) -> Result<(), NotifyError> {
        let name = channel.as_str().rsplit(':').next().unwrap_or_default();
        if !channel.as_str().starts_with("arn:") || !name.starts_with(&self.prefix) {
            return Err(NotifyError::InvalidChannel(format!(
                "{channel} is not a topic ARN named {}<job id>",
                self.prefix
            )));
        }
        Ok(())
    }

    /// The topic's email and SMS subscriptions (other protocols, such as an operator's
    /// queue, are not the person's): (ARN or `PendingConfirmation`, protocol) of each.
    async fn subscriptions(
        &self,
        channel: &ChannelId,
    ) -> Result<Vec<(String, String)>, NotifyError> {
        let mut arns = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = self
                .client
                .list_subscriptions_by_topic()
                .topic_arn(channel.as_str())
                .set_next_token(next.take())
                .send()
                .await
                .map_err(|e| notify_err(e, Some(channel)))?;
            arns.extend(page.subscriptions().iter().filter_map(|s| {
                let protocol = s.protocol()?;
                let arn = s.subscription_arn()?;
                PERSONAL_PROTOCOLS
                    .contains(&protocol)
                    .then(|| (arn.to_owned(), protocol.to_owned()))
            }));
            match page.next_token() {
                Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                _ => return Ok(arns),
            }
        }
    }
}

/// The protocols that deliver to a person.
const PERSONAL_PROTOCOLS: &[&str] = &["email", "email-json", "sms"];

/// `PendingConfirmation` as ListSubscriptionsByTopic shows an unconfirmed subscription.
const PENDING: &str = "PendingConfirmation";

/// Keeps a subject within SNS's rules: printable ASCII, ≤ 100 characters, no newline.
fn subject(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let trimmed = cleaned.trim();
    let cut = trimmed
        .char_indices()
        .nth(MAX_SUBJECT)
        .map_or(trimmed.len(), |(i, _)| i);
    let out = trimmed[..cut].trim_end().to_owned();
    if out.is_empty() {
        "PAM".to_owned()
    } else {
        out
    }
}

#[async_trait]
impl Notifier for SnsNotifier {
    async fn open(&self, job: &JobId, target: &NotifyTarget) -> Result<ChannelId, NotifyError> {
        let created = self
            .client
            .create_topic()
            .name(self.topic_name(job))
            .send()
            .await
            .map_err(|e| notify_err(e, None))?;
        let arn = created.topic_arn().ok_or_else(|| NotifyError::Backend {
            notifier: NOTIFIER,
            source: "CreateTopic answered without a topic ARN".into(),
        })?;
        let channel = ChannelId::parse(arn)?;
        let protocol = if target.is_email() { "email" } else { "sms" };
        let existing = self.subscriptions(&channel).await?;
        if existing.iter().any(|(_, p)| p == protocol) {
            tracing::debug!(%job, "channel already open");
            return Ok(channel);
        }
        let subscribed = self
            .client
            .subscribe()
            .topic_arn(channel.as_str())
            .protocol(protocol)
            .endpoint(target.expose())
            .return_subscription_arn(true)
            .send()
            .await;
        if let Err(err) = subscribed {
            // The message may quote the endpoint: keep the code only.
            let code = err.code().unwrap_or("no error code").to_owned();
            if matches!(
                code.as_str(),
                "InvalidParameter" | "InvalidParameterException"
            ) {
                return Err(NotifyError::Refused(format!(
                    "SNS refused the {} address ({code})",
                    target.kind()
                )));
            }
            let source = format!("Subscribe failed: {code}").into();
            return Err(if is_transient(&err) {
                NotifyError::Transient {
                    notifier: NOTIFIER,
                    source,
                }
            } else {
                NotifyError::Backend {
                    notifier: NOTIFIER,
                    source,
                }
            });
        }
        tracing::info!(%job, kind = target.kind(), "channel opened");
        Ok(channel)
    }

    async fn subscription(&self, channel: &ChannelId) -> Result<Subscription, NotifyError> {
        self.check(channel)?;
        let arns = self.subscriptions(channel).await?;
        if arns.is_empty() {
            // Unsubscribed (or never subscribed): a publish would reach no one.
            return Ok(Subscription::PendingConfirmation);
        }
        for (arn, _) in arns {
            if arn == PENDING {
                return Ok(Subscription::PendingConfirmation);
            }
            let attributes = self
                .client
                .get_subscription_attributes()
                .subscription_arn(&arn)
                .send()
                .await
                .map_err(|e| notify_err(e, Some(channel)))?;
            let pending = attributes
                .attributes()
                .and_then(|a| a.get("PendingConfirmation"))
                .is_some_and(|v| v == "true");
            if pending {
                return Ok(Subscription::PendingConfirmation);
            }
        }
        Ok(Subscription::Confirmed)
    }

    async fn publish(&self, channel: &ChannelId, message: &Message) -> Result<(), NotifyError> {
        self.check(channel)?;
        self.client
            .publish()
            .topic_arn(channel.as_str())
            .subject(subject(&message.subject))
            .message(&message.body)
            .send()
            .await
            .map_err(|e| notify_err(e, Some(channel)))?;
        Ok(())
    }

    async fn close(&self, channel: &ChannelId) -> Result<(), NotifyError> {
        self.check(channel)?;
        match self
            .client
            .delete_topic()
            .topic_arn(channel.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.code(), Some("NotFound" | "NotFoundException")) => Ok(()),
            Err(e) => Err(notify_err(e, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_keep_to_sns_rules() {
        assert_eq!(subject("Your photos\nare ready"), "Your photos are ready");
        assert_eq!(subject("Fotos — fertig"), "Fotos   fertig");
        assert_eq!(subject(&"x".repeat(300)).len(), 100);
        assert_eq!(subject("\n"), "PAM");
    }
}

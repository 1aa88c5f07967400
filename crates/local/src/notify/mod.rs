//! The `Notifier` port on one machine. A channel is a SQLite row (`channels.sqlite`)
//! holding the job's address sealed with the job's key from [`JobKeys`]: erasing the
//! key shreds the address even if a crash left the row behind, and closing the channel
//! deletes the row. Delivery: email by SMTP when configured, SMS by a webhook when
//! configured, otherwise a file in the outbox folder. Local channels need no
//! confirmation, so they are always `Confirmed`.
//!
//! Neither errors nor log lines carry the address: it is opened from its seal only
//! inside [`Notifier::publish`], handed to the sender, and scrubbed from any error
//! text the relay returns.

mod channels;
mod config;
mod outbox;
mod smtp;
mod webhook;

pub use config::{DEFAULT_FROM, NotifyConfig, NotifyConfigError, SmtpConfig, parse_webhook};

use async_trait::async_trait;
use channels::Channels;
use pam_core::clock::{Clock, SystemClock};
use pam_core::ports::keys::JobKeys;
use pam_core::ports::notify::{ChannelId, Message, Notifier, NotifyError, Subscription};
use pam_core::{JobId, NotifyTarget};
use smtp::SmtpSender;
use std::path::Path;
use std::sync::Arc;
use webhook::WebhookSender;

/// Local channel ids are this prefix and the job id.
pub const CHANNEL_PREFIX: &str = "local-";

/// An error text already cleared of personal data.
#[derive(Debug)]
pub(crate) struct Scrubbed(pub(crate) String);

impl std::fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Scrubbed {}

/// `text` with every case-insensitive occurrence of each non-empty secret replaced.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let lower_secret = secret.to_lowercase();
        loop {
            let lower = out.to_lowercase();
            // Byte offsets agree only when lowercasing kept lengths; else redact all.
            if lower.len() != out.len() {
                if lower.contains(&lower_secret) {
                    return "[details withheld: they contained the address]".into();
                }
                break;
            }
            match lower.find(&lower_secret) {
                Some(at) => out.replace_range(at..at + secret.len(), "[address]"),
                None => break,
            }
        }
    }
    out
}

fn backend(source: impl std::error::Error + Send + Sync + 'static) -> NotifyError {
    NotifyError::Backend {
        notifier: channels::NAME,
        source: Box::new(source),
    }
}

fn db_error(e: rusqlite::Error) -> NotifyError {
    if crate::db::is_busy(&e) {
        NotifyError::Transient {
            notifier: channels::NAME,
            source: Box::new(e),
        }
    } else {
        backend(e)
    }
}

fn keys_error(e: pam_core::ports::KeysError) -> NotifyError {
    match e {
        pam_core::ports::KeysError::Transient { .. } => NotifyError::Transient {
            notifier: "job-keys",
            source: Box::new(e),
        },
        other => NotifyError::Backend {
            notifier: "job-keys",
            source: Box::new(other),
        },
    }
}

/// The local notifier.
#[derive(Debug)]
pub struct LocalNotifier {
    config: NotifyConfig,
    channels: Channels,
    keys: Arc<dyn JobKeys>,
    smtp: Option<SmtpSender>,
    webhook: Option<WebhookSender>,
    clock: Arc<dyn Clock>,
}

impl LocalNotifier {
    /// Opens the notifier with its channel table at `channels_db` (e.g.
    /// `<data-dir>/channels.sqlite`), sealing addresses with `keys`.
    pub async fn open(
        config: NotifyConfig,
        channels_db: &Path,
        keys: Arc<dyn JobKeys>,
    ) -> Result<Self, NotifyError> {
        Self::open_with_clock(config, channels_db, keys, Arc::new(SystemClock)).await
    }

    /// As [`open`](Self::open), with a clock for outbox file names and dates.
    pub async fn open_with_clock(
        config: NotifyConfig,
        channels_db: &Path,
        keys: Arc<dyn JobKeys>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, NotifyError> {
        let from = config
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| NotifyError::Backend {
                notifier: "smtp",
                source: Box::new(Scrubbed(format!(
                    "sender {:?} is not a mailbox: {e}",
                    config.from
                ))),
            })?;
        let smtp = config
            .smtp
            .as_ref()
            .map(|s| SmtpSender::new(s, from))
            .transpose()?;
        let webhook = config
            .sms_webhook
            .clone()
            .map(WebhookSender::new)
            .transpose()?;
        let channels = Channels::open(channels_db).await.map_err(db_error)?;
        tracing::debug!(
            smtp = ?config.smtp,
            sms_webhook = webhook.is_some(),
            outbox = %config.outbox_dir.display(),
            "local notifier ready"
        );
        Ok(Self {
            config,
            channels,
            keys,
            smtp,
            webhook,
            clock,
        })
    }

    /// The job a channel id names.
    fn job_of(channel: &ChannelId) -> Result<JobId, NotifyError> {
        channel
            .as_str()
            .strip_prefix(CHANNEL_PREFIX)
            .and_then(|id| JobId::parse(id).ok())
            .ok_or_else(|| {
                NotifyError::InvalidChannel(format!("{channel} is not a local channel id"))
            })
    }

    async fn deliver(
        &self,
        job: &JobId,
        target: &NotifyTarget,
        n: u64,
        message: &Message,
    ) -> Result<&'static str, NotifyError> {
        match (target.kind(), &self.smtp, &self.webhook) {
            ("email", Some(smtp), _) => {
                smtp.send(job, target.expose(), message).await?;
                Ok("smtp")
            }
            ("phone", _, Some(hook)) => {
                hook.send(target.expose(), message).await?;
                Ok("sms-webhook")
            }
            (kind, _, _) => {
                let (dir, kind, from, now) = (
                    self.config.outbox_dir.clone(),
                    kind.to_owned(),
                    self.config.from.clone(),
                    self.clock.now(),
                );
                let (job, message) = (job.clone(), message.clone());
                let path = tokio::task::spawn_blocking(move || {
                    outbox::write(&dir, &job, &kind, n, &from, &message, now)
                })
                .await
                .map_err(backend)??;
                tracing::info!(path = %path.display(), "message written to the outbox");
                Ok("outbox")
            }
        }
    }
}

#[async_trait]
impl Notifier for LocalNotifier {
    async fn open(&self, job: &JobId, target: &NotifyTarget) -> Result<ChannelId, NotifyError> {
        let key = self.keys.create(job).await.map_err(keys_error)?;
        let stored = self
            .channels
            .insert(job, key.seal(job, target))
            .await
            .map_err(db_error)?;
        if stored != target.kind() {
            tracing::warn!(%job, stored, asked = target.kind(), "channel already open with another kind; kept the first");
        }
        tracing::info!(%job, kind = stored, "notification channel open");
        ChannelId::parse(format!("{CHANNEL_PREFIX}{job}"))
    }

    async fn subscription(&self, channel: &ChannelId) -> Result<Subscription, NotifyError> {
        let job = Self::job_of(channel)?;
        if self.channels.exists(&job).await.map_err(db_error)? {
            Ok(Subscription::Confirmed)
        } else {
            Err(NotifyError::Closed(channel.clone()))
        }
    }

    async fn publish(&self, channel: &ChannelId, message: &Message) -> Result<(), NotifyError> {
        let job = Self::job_of(channel)?;
        let Some((sealed, n)) = self.channels.next_message(&job).await.map_err(db_error)? else {
            return Err(NotifyError::Closed(channel.clone()));
        };
        let Some(key) = self.keys.get(&job).await.map_err(keys_error)? else {
            tracing::warn!(%job, "the job's key was erased: the channel's address is gone");
            return Err(NotifyError::Closed(channel.clone()));
        };
        let target = key.open(&job, &sealed).map_err(backend)?;
        let via = self.deliver(&job, &target, n, message).await?;
        tracing::info!(%job, kind = target.kind(), via, n, "notification sent");
        Ok(())
    }

    async fn close(&self, channel: &ChannelId) -> Result<(), NotifyError> {
        let job = Self::job_of(channel)?;
        if !self.channels.delete(&job).await.map_err(db_error)? {
            return Err(NotifyError::Transient {
                notifier: channels::NAME,
                source: Box::new(Scrubbed(format!(
                    "channel of job {job} deleted, but the WAL could not be emptied yet; retry the close"
                ))),
            });
        }
        tracing::info!(%job, "notification channel closed");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_hides_the_address_in_any_case() {
        let text = "550 5.1.1 <Person.Name@Example.com>: unknown; person.name@example.com";
        let out = scrub(text, &["person.name@example.com"]);
        assert!(!out.to_lowercase().contains("person.name"), "{out}");
        assert_eq!(out.matches("[address]").count(), 2);
        assert_eq!(scrub("nothing here", &["", "a@b.cd"]), "nothing here");
    }
}

//! How the local notifier delivers: SMTP when `PAM_SMTP_URL` is set, an SMS webhook
//! when `PAM_SMS_WEBHOOK` is set, otherwise files in an outbox folder. Read once from
//! the environment (or built by hand in tests); SMTP passwords never reach `Debug`.

use std::fmt;
use std::path::{Path, PathBuf};
use url::Url;

/// The sender used when `PAM_SMTP_FROM` is not set.
pub const DEFAULT_FROM: &str = "PAM <pam@localhost>";

/// Why the notify configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum NotifyConfigError {
    /// A URL variable does not parse or has the wrong scheme.
    #[error("{var}: {problem}")]
    BadUrl {
        /// The variable.
        var: &'static str,
        /// What is wrong (never the password).
        problem: String,
    },
    /// The sender is not a mailbox (`Name <addr@host>` or `addr@host`).
    #[error("PAM_SMTP_FROM {from:?} is not a mailbox such as \"PAM <pam@example.com>\": {problem}")]
    BadFrom {
        /// The configured sender (operator's, not personal data of a requester).
        from: String,
        /// Parser message.
        problem: String,
    },
}

/// An SMTP relay: `smtp://host:port` (plain; add `?tls=required` for STARTTLS),
/// `smtps://host:port` (TLS), optionally `user:pass@`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    url: Url,
}

impl SmtpConfig {
    /// Validates an SMTP URL.
    pub fn parse(text: &str) -> Result<Self, NotifyConfigError> {
        let bad = |problem: String| NotifyConfigError::BadUrl {
            var: "PAM_SMTP_URL",
            problem,
        };
        let url = Url::parse(text.trim()).map_err(|e| bad(format!("not a URL ({e})")))?;
        if !matches!(url.scheme(), "smtp" | "smtps") {
            return Err(bad(format!(
                "scheme {:?} is not smtp:// or smtps://",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("no host".into()));
        }
        Ok(Self { url })
    }

    /// The URL (with any password), for the transport.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// `host:port` for logs.
    pub fn endpoint(&self) -> String {
        let port = self.url.port().unwrap_or(if self.url.scheme() == "smtps" {
            465
        } else {
            25
        });
        format!("{}:{port}", self.url.host_str().unwrap_or_default())
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpConfig({}://{})", self.url.scheme(), self.endpoint())
    }
}

/// Everything the local notifier needs to know about delivery.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// SMTP relay for email; `None` → email goes to the outbox.
    pub smtp: Option<SmtpConfig>,
    /// Webhook that sends SMS (POST JSON `{"to","body"}`); `None` → the outbox.
    pub sms_webhook: Option<Url>,
    /// Where undelivered-by-network messages are written (`.eml` / `.txt`).
    pub outbox_dir: PathBuf,
    /// The sender mailbox for email.
    pub from: String,
}

impl NotifyConfig {
    /// Outbox only (nothing leaves the machine): `<data_dir>/outbox`.
    pub fn outbox_only(data_dir: &Path) -> Self {
        Self {
            smtp: None,
            sms_webhook: None,
            outbox_dir: data_dir.join("outbox"),
            from: DEFAULT_FROM.to_owned(),
        }
    }

    /// Reads `PAM_SMTP_URL`, `PAM_SMTP_FROM` and `PAM_SMS_WEBHOOK`; the outbox is
    /// `<data_dir>/outbox`. Empty variables count as unset.
    pub fn from_env(data_dir: &Path) -> Result<Self, NotifyConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = Self::outbox_only(data_dir);
        config.smtp = var("PAM_SMTP_URL")
            .map(|u| SmtpConfig::parse(&u))
            .transpose()?;
        if let Some(from) = var("PAM_SMTP_FROM") {
            config.from = from.trim().to_owned();
        }
        config.sms_webhook = var("PAM_SMS_WEBHOOK")
            .map(|u| parse_webhook(&u))
            .transpose()?;
        config.check()?;
        Ok(config)
    }

    /// Checks the sender (the URLs were checked when parsed).
    pub fn check(&self) -> Result<(), NotifyConfigError> {
        self.from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| NotifyConfigError::BadFrom {
                from: self.from.clone(),
                problem: e.to_string(),
            })?;
        Ok(())
    }
}

/// Validates an SMS webhook URL (http or https).
pub fn parse_webhook(text: &str) -> Result<Url, NotifyConfigError> {
    let bad = |problem: String| NotifyConfigError::BadUrl {
        var: "PAM_SMS_WEBHOOK",
        problem,
    };
    let url = Url::parse(text.trim()).map_err(|e| bad(format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "scheme {:?} is not http or https",
            url.scheme()
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_checked_and_passwords_hidden() {
        let c = SmtpConfig::parse("smtp://user:s3cret@127.0.0.1:2525").unwrap();
        assert_eq!(c.endpoint(), "127.0.0.1:2525");
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(
            SmtpConfig::parse("smtps://mail.example.com")
                .unwrap()
                .endpoint(),
            "mail.example.com:465"
        );
        for bad in ["http://x", "smtp://", "nonsense", "smtp:relay"] {
            assert!(SmtpConfig::parse(bad).is_err(), "{bad} accepted");
        }
        let err = SmtpConfig::parse("ftp://user:s3cret@x").unwrap_err();
        assert!(!err.to_string().contains("s3cret"));
    }

    #[test]
    fn webhook_and_sender_are_checked() {
        assert!(parse_webhook("http://127.0.0.1:9000/sms").is_ok());
        assert!(parse_webhook("file:///tmp/x").is_err());
        let mut c = NotifyConfig::outbox_only(Path::new("/tmp/d"));
        assert_eq!(c.outbox_dir, Path::new("/tmp/d/outbox"));
        assert!(c.check().is_ok());
        c.from = "not a mailbox".into();
        assert!(matches!(c.check(), Err(NotifyConfigError::BadFrom { .. })));
    }
}

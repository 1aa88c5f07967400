//! The outbox folder: where messages go when no SMTP relay or SMS webhook is
//! configured, so a person running PAM on one machine can still read the link. Each
//! message is one file, `<time>-<job>-<n>.eml` (email) or `.txt` (phone), written to a
//! temporary name and renamed, so a reader never sees half a file. The files carry the
//! job id but never the address (`To: undisclosed-recipients:;`).

use super::Scrubbed;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use pam_core::JobId;
use pam_core::ports::notify::{Message, NotifyError};
use std::io::Write;
use std::path::{Path, PathBuf};

const NOTIFIER: &str = "outbox";

/// Writes one message; returns the file's path.
pub(crate) fn write(
    dir: &Path,
    job: &JobId,
    kind: &str,
    n: u64,
    from: &str,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<PathBuf, NotifyError> {
    let ext = if kind == "email" { "eml" } else { "txt" };
    let name = format!("{}-{job}-{n}.{ext}", now.format("%Y%m%dT%H%M%S%.3fZ"));
    let text = if kind == "email" {
        eml(job, from, message, now)
    } else {
        sms(job, message, now)
    };
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let io = |e: std::io::Error, what: &str| NotifyError::Backend {
        notifier: NOTIFIER,
        source: Box::new(Scrubbed(format!("{what} in {}: {e}", dir.display()))),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(e, "cannot create the outbox"))?;
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e, "cannot write a message"));
    }
    std::fs::rename(&tmp, &path).map_err(|e| io(e, "cannot move a message into place"))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(path)
}

/// An RFC 5322 message with a plain-text UTF-8 body (8bit: long links stay whole).
fn eml(job: &JobId, from: &str, message: &Message, now: DateTime<Utc>) -> String {
    let subject = if message.subject.is_ascii() {
        message.subject.replace(['\r', '\n'], " ")
    } else {
        format!(
            "=?utf-8?b?{}?=",
            base64::engine::general_purpose::STANDARD.encode(message.subject.as_bytes())
        )
    };
    let mut body = message.body.replace("\r\n", "\n").replace('\n', "\r\n");
    if !body.ends_with("\r\n") {
        body.push_str("\r\n");
    }
    format!(
        "From: {from}\r\nTo: undisclosed-recipients:;\r\nSubject: {subject}\r\nDate: {}\r\n\
         X-Pam-Job: {job}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{body}",
        now.to_rfc2822()
    )
}

/// A text message as an SMS gateway would get it, minus the number.
fn sms(job: &JobId, message: &Message, now: DateTime<Utc>) -> String {
    format!(
        "X-Pam-Job: {job}\nDate: {}\nTo: (phone number withheld)\n\n{}\n",
        now.to_rfc3339(),
        message.body.trim_end()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn eml_has_headers_and_an_unbroken_body() {
        let job = JobId::parse("j-1").unwrap();
        let url = format!("https://x.test/{}", "a".repeat(300));
        let m = Message {
            subject: "Your photos are ready — 3 parts".into(),
            body: format!("Hello\n\n{url}\n"),
        };
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let text = eml(&job, "PAM <pam@localhost>", &m, at);
        assert!(text.contains("To: undisclosed-recipients:;\r\n"));
        assert!(text.contains("X-Pam-Job: j-1\r\n"));
        assert!(text.contains("Subject: =?utf-8?b?"));
        assert!(
            text.contains(&format!("\r\n{url}\r\n")),
            "link kept on one line"
        );
        let (head, _) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.lines().all(|l| l.len() < 200));
    }
}

//! No log line carries the address: every event at every level (ours and the
//! libraries') is captured by a global subscriber while channels are opened, used
//! (outbox, SMTP, SMS webhook, a refusing relay) and closed; then the capture is
//! searched. One test in its own binary because the subscriber is process-wide.

mod notify_support;

use notify_support::{http_sink, smtp_sink};
use pam_core::ports::notify::{Message, Notifier};
use pam_core::{JobId, NotifyTarget};
use pam_local::notify::parse_webhook;
use pam_local::{LocalNotifier, NotifyConfig, SmtpConfig, SqliteJobKeys};
use std::io::Write;
use std::sync::{Arc, Mutex};

const EMAIL: &str = "okapi.narwhal.5519@example.net";
const PHONE: &str = "+15555550199";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn round(config: NotifyConfig, dir: &std::path::Path, job: &str, target: NotifyTarget) {
    let keys = Arc::new(SqliteJobKeys::open(&dir.join("keys.sqlite")).await.unwrap());
    let n = LocalNotifier::open(config, &dir.join("channels.sqlite"), keys)
        .await
        .unwrap();
    let job = JobId::parse(job).unwrap();
    let channel = n.open(&job, &target).await.unwrap();
    let m = Message {
        subject: "ready".into(),
        body: "http://127.0.0.1:8080/links/working/x.zip".into(),
    };
    // Some of these fail on purpose; the failure's own log lines are under test too.
    let _ = n.publish(&channel, &m).await;
    n.close(&channel).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_carries_the_address() {
    let capture = Capture::default();
    let sink = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .init();

    let dir = tempfile::tempdir().unwrap();
    let email = || NotifyTarget::email(EMAIL).unwrap();
    let phone = || NotifyTarget::phone(PHONE).unwrap();
    round(
        NotifyConfig::outbox_only(dir.path()),
        dir.path(),
        "logs-outbox",
        email(),
    )
    .await;
    round(
        NotifyConfig::outbox_only(dir.path()),
        dir.path(),
        "logs-phone",
        phone(),
    )
    .await;

    let ok = smtp_sink(None).await;
    let refusing = smtp_sink(Some("550 5.1.1 {rcpt}: no such user")).await;
    for (i, relay) in [ok.addr, refusing.addr].into_iter().enumerate() {
        let mut config = NotifyConfig::outbox_only(dir.path());
        config.smtp = Some(SmtpConfig::parse(&format!("smtp://{relay}")).unwrap());
        round(config, dir.path(), &format!("logs-smtp-{i}"), email()).await;
    }
    assert_eq!(
        ok.mails.lock().unwrap().len(),
        1,
        "the good relay got the mail"
    );

    let hook = http_sink(200).await;
    let mut config = NotifyConfig::outbox_only(dir.path());
    config.sms_webhook = Some(parse_webhook(&format!("http://{}/sms", hook.addr)).unwrap());
    round(config, dir.path(), "logs-hook", phone()).await;
    assert_eq!(hook.bodies.lock().unwrap().len(), 1);

    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("notification sent") && text.contains("channel closed"),
        "the capture saw the notifier's own lines:\n{text}"
    );
    for needle in ["okapi", "narwhal", "5555550199"] {
        assert!(
            !text.to_lowercase().contains(needle),
            "{needle} logged:\n{text}"
        );
    }
}

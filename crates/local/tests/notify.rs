//! `LocalNotifier` against real protocol partners on 127.0.0.1 (an SMTP sink, an HTTP
//! server for the SMS webhook) and the outbox folder: delivery, idempotent open, close
//! and key erasure shredding the channel, error classes — and that the address
//! appears in no error and in no file under the data directory.

mod notify_support;

use notify_support::{files_containing, http_sink, smtp_sink};
use pam_core::ports::JobKeys;
use pam_core::ports::notify::{ChannelId, Message, Notifier, NotifyError, Subscription};
use pam_core::{JobId, NotifyTarget};
use pam_local::notify::parse_webhook;
use pam_local::{LocalNotifier, NotifyConfig, SmtpConfig, SqliteJobKeys};
use std::sync::Arc;

const EMAIL: &str = "zebra.quokka.7731@example.org";
const PHONE: &str = "+447700900123";

struct Fixture {
    dir: tempfile::TempDir,
    keys: Arc<SqliteJobKeys>,
    notifier: LocalNotifier,
}

async fn fixture(edit: impl FnOnce(&mut NotifyConfig)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(
        SqliteJobKeys::open(&dir.path().join("keys.sqlite"))
            .await
            .unwrap(),
    );
    let mut config = NotifyConfig::outbox_only(dir.path());
    edit(&mut config);
    let notifier = LocalNotifier::open(config, &dir.path().join("channels.sqlite"), keys.clone())
        .await
        .unwrap();
    Fixture {
        dir,
        keys,
        notifier,
    }
}

fn message(job: &JobId) -> Message {
    Message {
        subject: format!("Your PAM bundle {job} is ready"),
        body: format!(
            "Your photos are ready.\n\nhttp://127.0.0.1:8080/links/working/bundles/{job}/pam-{job}.zip?X-Pam-Method=GET&X-Pam-Expires=1999999999&X-Pam-Signature={}\n",
            "ab".repeat(32)
        ),
    }
}

fn outbox_files(f: &Fixture) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(f.dir.path().join("outbox"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn assert_no_address(f: &Fixture, address: &str) {
    let hits = files_containing(f.dir.path(), address);
    assert!(hits.is_empty(), "the address is stored in {hits:?}");
}

#[tokio::test]
async fn email_goes_to_the_outbox_without_the_address() {
    let f = fixture(|_| {}).await;
    let job = JobId::parse("job-outbox").unwrap();
    let target = NotifyTarget::email(EMAIL).unwrap();
    let channel = f.notifier.open(&job, &target).await.unwrap();
    assert_eq!(
        f.notifier.open(&job, &target).await.unwrap(),
        channel,
        "open is idempotent"
    );
    assert_eq!(
        f.notifier.subscription(&channel).await.unwrap(),
        Subscription::Confirmed
    );
    let m = message(&job);
    f.notifier.publish(&channel, &m).await.unwrap();
    f.notifier.publish(&channel, &m).await.unwrap();

    let files = outbox_files(&f);
    assert_eq!(files.len(), 2, "{files:?}");
    let (name, text) = &files[0];
    assert!(
        name.ends_with("-job-outbox-1.eml"),
        "one channel, numbered messages: {name}"
    );
    assert!(files[1].0.ends_with("-job-outbox-2.eml"));
    assert!(text.contains("To: undisclosed-recipients:;"));
    assert!(text.contains("X-Pam-Job: job-outbox"));
    assert!(text.contains(&format!("Subject: {}", m.subject)));
    let link = m.body.lines().find(|l| l.starts_with("http")).unwrap();
    assert!(text.contains(link), "the link stands whole on its line");
    assert_no_address(&f, EMAIL);
    assert_no_address(&f, "zebra.quokka");

    f.notifier.close(&channel).await.unwrap();
    f.notifier
        .close(&channel)
        .await
        .expect("closing twice is Ok");
    assert!(matches!(
        f.notifier.publish(&channel, &m).await,
        Err(NotifyError::Closed(_))
    ));
    assert!(matches!(
        f.notifier.subscription(&channel).await,
        Err(NotifyError::Closed(_))
    ));
    assert_no_address(&f, EMAIL);
}

#[tokio::test]
async fn phone_goes_to_the_outbox_as_text() {
    let f = fixture(|_| {}).await;
    let job = JobId::parse("job-sms").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::phone(PHONE).unwrap())
        .await
        .unwrap();
    f.notifier.publish(&channel, &message(&job)).await.unwrap();
    let files = outbox_files(&f);
    assert_eq!(files.len(), 1);
    assert!(files[0].0.ends_with("-job-sms-1.txt"));
    assert!(files[0].1.contains("Your photos are ready."));
    assert_no_address(&f, PHONE);
    assert_no_address(&f, "7700900123");
}

#[tokio::test]
async fn erasing_the_key_shreds_the_channel() {
    let f = fixture(|_| {}).await;
    let job = JobId::parse("job-shred").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::email(EMAIL).unwrap())
        .await
        .unwrap();
    f.keys.erase(&job).await.unwrap();
    assert!(matches!(
        f.notifier.publish(&channel, &message(&job)).await,
        Err(NotifyError::Closed(_))
    ));
    let strange = ChannelId::parse("arn:aws:sns:eu-west-1:1:pam-download-x").unwrap();
    assert!(matches!(
        f.notifier.publish(&strange, &message(&job)).await,
        Err(NotifyError::InvalidChannel(_))
    ));
}

#[tokio::test]
async fn email_is_sent_over_smtp() {
    let sink = smtp_sink(None).await;
    let url = format!("smtp://{}", sink.addr);
    let f = fixture(|c| c.smtp = Some(SmtpConfig::parse(&url).unwrap())).await;
    let job = JobId::parse("job-smtp").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::email(EMAIL).unwrap())
        .await
        .unwrap();
    let m = message(&job);
    f.notifier.publish(&channel, &m).await.unwrap();
    let mails = sink.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt, vec![format!("<{EMAIL}>")]);
    let data = &mails[0].data;
    assert!(data.contains("X-Pam-Job: job-smtp"), "{data}");
    assert!(data.contains("From: PAM <pam@localhost>"), "{data}");
    assert!(data.contains("Your photos are ready."), "{data}");
    let link = m.body.lines().find(|l| l.starts_with("http")).unwrap();
    let unfolded = data.replace("=\r\n", "").replace("=3D", "=");
    assert!(unfolded.contains(link), "link lost: {data}");
    assert!(
        !f.dir.path().join("outbox").exists(),
        "nothing goes to the outbox"
    );
    assert_no_address(&f, EMAIL);
}

#[tokio::test]
async fn smtp_refusal_is_refused_and_scrubbed() {
    let sink = smtp_sink(Some("550 5.1.1 {rcpt}: Recipient address rejected")).await;
    let url = format!("smtp://{}", sink.addr);
    let f = fixture(|c| c.smtp = Some(SmtpConfig::parse(&url).unwrap())).await;
    let job = JobId::parse("job-refused").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::email(EMAIL).unwrap())
        .await
        .unwrap();
    let err = f
        .notifier
        .publish(&channel, &message(&job))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Refused(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("zebra"), "{shown}");
}

#[tokio::test]
async fn smtp_down_is_transient_and_scrubbed() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("smtp://127.0.0.1:{port}");
    let f = fixture(|c| c.smtp = Some(SmtpConfig::parse(&url).unwrap())).await;
    let job = JobId::parse("job-down").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::email(EMAIL).unwrap())
        .await
        .unwrap();
    let err = f
        .notifier
        .publish(&channel, &message(&job))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Transient { .. }), "{err:?}");
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        shown.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(!shown.contains("zebra"), "{shown}");
}

#[tokio::test]
async fn sms_goes_to_the_webhook() {
    let ok = http_sink(200).await;
    let url = parse_webhook(&format!("http://{}/sms?token=t0k3n", ok.addr)).unwrap();
    let f = fixture(|c| c.sms_webhook = Some(url)).await;
    let job = JobId::parse("job-hook").unwrap();
    let channel = f
        .notifier
        .open(&job, &NotifyTarget::phone(PHONE).unwrap())
        .await
        .unwrap();
    let m = message(&job);
    f.notifier.publish(&channel, &m).await.unwrap();
    let bodies = ok.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(json["to"], PHONE);
    assert_eq!(json["body"], m.body.as_str());
    assert_no_address(&f, PHONE);
}

#[tokio::test]
async fn webhook_failures_are_classified() {
    for (status, transient) in [(503u16, true), (429, true), (400, false)] {
        let sink = http_sink(status).await;
        let url = parse_webhook(&format!("http://{}/sms?token=t0k3n", sink.addr)).unwrap();
        let f = fixture(|c| c.sms_webhook = Some(url)).await;
        let job = JobId::parse(format!("job-hook-{status}")).unwrap();
        let channel = f
            .notifier
            .open(&job, &NotifyTarget::phone(PHONE).unwrap())
            .await
            .unwrap();
        let err = f
            .notifier
            .publish(&channel, &message(&job))
            .await
            .unwrap_err();
        match (&err, transient) {
            (NotifyError::Transient { .. }, true) | (NotifyError::Refused(_), false) => {}
            _ => panic!("status {status}: {err:?}"),
        }
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("7700900123") && !shown.contains("t0k3n"),
            "{shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_opens_make_one_channel_and_close_leaves_no_seal() {
    let f = Arc::new(fixture(|_| {}).await);
    let job = JobId::parse("job-race").unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (f, job) = (f.clone(), job.clone());
        tasks.spawn(async move {
            let target = NotifyTarget::email(EMAIL).unwrap();
            f.notifier.open(&job, &target).await.unwrap()
        });
    }
    let mut ids = Vec::new();
    while let Some(id) = tasks.join_next().await {
        ids.push(id.unwrap());
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    let db = f.dir.path().join("channels.sqlite");
    let sealed: Vec<String> = {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = c.prepare("SELECT sealed FROM channels").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(sealed.len(), 1, "one row per job");
    assert!(
        !files_containing(f.dir.path(), &sealed[0]).is_empty(),
        "the sealed address is stored while the channel is open"
    );
    f.notifier.close(&ids[0]).await.unwrap();
    let left = files_containing(f.dir.path(), &sealed[0]);
    assert!(
        left.is_empty(),
        "the sealed address outlived close in {left:?}"
    );
}

//! `SnsNotifier` on moto: per-job topics named by prefix and job id, idempotent open
//! (one subscription however often it is called), the subscription state, a publish that
//! reaches a subscriber (an SQS queue stands in for the person's inbox), and close.
//! moto confirms every subscription at once, so `PendingConfirmation` is checked against
//! the adapter's parsing on the wire (`wire.rs`-style) only where moto cannot show it.

use pam_aws::SnsNotifier;
use pam_core::ports::notify::{Message, Notifier, NotifyError, Subscription};
use pam_core::{JobId, NotifyTarget};

fn notifier(moto: &crate::helpers::Moto, prefix: &str) -> SnsNotifier {
    SnsNotifier::new(aws_sdk_sns::Client::new(&moto.sdk), prefix).unwrap()
}

#[tokio::test]
async fn channels_open_once_publish_and_close() {
    let moto = crate::moto!();
    let prefix = format!(
        "pam-test-{}-",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let sns = notifier(&moto, &prefix);
    let job = JobId::parse("job-1").unwrap();
    let target = NotifyTarget::phone("+14155550123").unwrap();
    let channel = sns.open(&job, &target).await.unwrap();
    assert!(
        channel.as_str().ends_with(&format!(":{prefix}job-1")),
        "{channel}"
    );
    assert_eq!(
        sns.open(&job, &target).await.unwrap(),
        channel,
        "same topic"
    );

    let client = aws_sdk_sns::Client::new(&moto.sdk);
    let subs = client
        .list_subscriptions_by_topic()
        .topic_arn(channel.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(
        subs.subscriptions().len(),
        1,
        "open twice, one subscription"
    );
    assert_eq!(subs.subscriptions()[0].protocol(), Some("sms"));
    assert_eq!(
        sns.subscription(&channel).await.unwrap(),
        Subscription::Confirmed
    );

    // An SQS subscriber receives what the person would.
    let queue = moto.sqs_subscriber(channel.as_str()).await;
    let link = format!("https://example.com/{}", "x".repeat(300));
    let message = Message {
        subject: "Your photos are ready\n".into(),
        body: format!("Download:\n{link}\n"),
    };
    sns.publish(&channel, &message).await.unwrap();
    let received = moto.sqs_messages(&queue).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(received[0].contains(&link), "the link arrives whole");

    sns.close(&channel).await.unwrap();
    sns.close(&channel).await.expect("closing twice is Ok");
    let err = sns.publish(&channel, &message).await.unwrap_err();
    assert!(matches!(err, NotifyError::Closed(_)), "{err:?}");
    let topics = client.list_topics().send().await.unwrap();
    assert!(
        topics
            .topics()
            .iter()
            .all(|t| t.topic_arn() != Some(channel.as_str())),
        "the topic is gone"
    );
}

#[tokio::test]
async fn email_subscriptions_and_bad_input() {
    let moto = crate::moto!();
    let prefix = format!(
        "pam-test-{}-",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let sns = notifier(&moto, &prefix);
    let job = JobId::parse("job-2").unwrap();
    let target = NotifyTarget::email("person@example.com").unwrap();
    let channel = sns.open(&job, &target).await.unwrap();
    // moto confirms email subscriptions at once; AWS leaves them pending until the
    // person clicks, which the adapter reads from the same attributes.
    assert_eq!(
        sns.subscription(&channel).await.unwrap(),
        Subscription::Confirmed
    );
    sns.close(&channel).await.unwrap();

    assert!(SnsNotifier::new(aws_sdk_sns::Client::new(&moto.sdk), "bad prefix!").is_err());
    let foreign = pam_core::ports::notify::ChannelId::parse(
        "arn:aws:sns:us-east-1:123456789012:someone-elses-topic",
    )
    .unwrap();
    assert!(matches!(
        sns.publish(
            &foreign,
            &Message {
                subject: "s".into(),
                body: "b".into()
            }
        )
        .await,
        Err(NotifyError::InvalidChannel(_))
    ));
}

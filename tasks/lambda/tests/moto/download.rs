//! The download state machine on moto's engine with our binaries as its Tasks, started
//! the way the web app starts it: `POST /downloads` to the `api-downloads` function.
//! Photos are labelled first through the labelling machine (moto's Rekognition gives
//! every image "Mobile Phone", so that is the label asked for) and archived to GLACIER,
//! so the job restores them (moto restores at once) before bundling. The bundle in the
//! working bucket must hold every photo byte for byte, the person's channel (an SMS
//! subscription; an SQS queue subscribed by the test reads what was published) must get
//! the link, and at the end the topic and the job's key are gone.

use crate::harness::{Emulator, World, http};
use crate::labelling::{create_machine, label};
use pam_aws::DynamoJobKeys;
use pam_core::JobId;
use pam_core::ports::JobKeys;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The download binaries.
pub const DOWNLOAD_FUNCTIONS: &[&str] = &[
    "open-channel",
    "resolve-manifest",
    "start-restores",
    "check-restores",
    "build-bundle",
    "presign",
    "notify",
    "close-channel",
];

/// An API Gateway REST proxy event with Cognito claims.
pub fn api_event(
    method: &str,
    resource: &str,
    path: &str,
    params: Value,
    body: Option<Value>,
) -> Value {
    json!({
        "resource": resource, "path": path, "httpMethod": method,
        "headers": {"content-type": "application/json"}, "multiValueHeaders": {},
        "queryStringParameters": null, "multiValueQueryStringParameters": null,
        "pathParameters": params, "stageVariables": null,
        "requestContext": {"httpMethod": method, "resourcePath": resource, "identity": {},
                           "authorizer": {"claims": {"sub": "user-1"}}},
        "body": body.map(|b| b.to_string()), "isBase64Encoded": false
    })
}

/// The status code and JSON body of an API function's answer.
pub async fn call_api(emulator: &Emulator, function: &str, event: Value) -> (i64, Value) {
    let (status, answer) = emulator.invoke(function, &event).await;
    assert_eq!(status, 200, "{function}: {answer}");
    let body = answer["body"].as_str().unwrap_or("null");
    (
        answer["statusCode"].as_i64().unwrap(),
        serde_json::from_str(body).unwrap(),
    )
}

/// A query-protocol SQS call to moto (two calls do not warrant the SQS SDK).
async fn sqs(world: &World, params: &[(&str, &str)]) -> String {
    let body: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect();
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
        ),
    ];
    let (status, answer) = http(
        "POST",
        &format!("{}/", world.endpoint),
        &headers,
        body.join("&").as_bytes(),
    )
    .await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    assert_eq!(status, 200, "SQS {params:?}: {text}");
    text
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Waits for the job's topic and subscribes a new SQS queue to it; returns the queue URL.
async fn tap_channel(world: &World, topic_name: &str) -> String {
    let sns = aws_sdk_sns::Client::new(&world.sdk);
    let started = Instant::now();
    let topic = loop {
        let topics = sns.list_topics().send().await.unwrap();
        if let Some(arn) = topics
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .find(|a| a.ends_with(&format!(":{topic_name}")))
        {
            break arn.to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no topic {topic_name}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let queue = World::unique("pam-inbox");
    let created = sqs(
        world,
        &[
            ("Action", "CreateQueue"),
            ("QueueName", &queue),
            ("Version", "2012-11-05"),
        ],
    )
    .await;
    let start = created.find("<QueueUrl>").unwrap() + 10;
    let url = unescape(&created[start..start + created[start..].find("</QueueUrl>").unwrap()]);
    sns.subscribe()
        .topic_arn(topic)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:us-east-1:123456789012:{queue}"))
        .send()
        .await
        .unwrap();
    url
}

/// The SNS messages waiting in the queue.
async fn inbox(world: &World, queue_url: &str) -> Vec<String> {
    let answer = sqs(
        world,
        &[
            ("Action", "ReceiveMessage"),
            ("QueueUrl", queue_url),
            ("MaxNumberOfMessages", "10"),
            ("Version", "2012-11-05"),
        ],
    )
    .await;
    answer
        .split("<Body>")
        .skip(1)
        .map(|chunk| {
            let body = unescape(&chunk[..chunk.find("</Body>").unwrap()]);
            let envelope: Value = serde_json::from_str(&body).unwrap();
            envelope["Message"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

/// Unzips `zip` with Python's zipfile into a map of entry name → bytes.
fn unzip(zip: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bundle.zip");
    std::fs::write(&file, zip).unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
        ])
        .arg(&file)
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the bundle is a valid zip");
    std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn download_runs_on_moto_from_the_api_to_the_link() {
    let world = crate::world!();
    let _proxy = crate::harness::proxy_lock().lock().await;
    world.execute_state_machines().await;
    let mut emulator = Emulator::start(&world).await;
    world.route_lambda_to(&emulator).await;
    let labelled = label(&world, &mut emulator).await;

    let s3 = world.settings.s3_client(&world.sdk);
    let working = World::unique("pam-working");
    s3.create_bucket().bucket(&working).send().await.unwrap();
    let secret = aws_sdk_secretsmanager::Client::new(&world.sdk)
        .create_secret()
        .name(World::unique("pam-presign"))
        .secret_string(
            r#"{"AccessKeyId":"AKIAPAMTESTKEY000001","SecretAccessKey":"pam-test-secret"}"#,
        )
        .send()
        .await
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    let download_machine = create_machine(&world, "download.asl.json").await;
    let prefix = format!("{}-", World::unique("pam-download"));
    let env = world.function_env(&[
        ("PAM_PHOTOS_BUCKET", labelled.photos.clone()),
        ("PAM_WORKING_BUCKET", working.clone()),
        ("PAM_TABLE", labelled.table.clone()),
        ("PAM_TOPIC_PREFIX", prefix.clone()),
        ("PAM_PRESIGN_SECRET_ARN", secret),
        ("PAM_RESTORE_POLL_SECONDS", "1".into()),
        ("PAM_DOWNLOAD_STATE_MACHINE_ARN", download_machine.clone()),
        ("PAM_LABELLING_STATE_MACHINE_ARN", download_machine.clone()),
    ]);
    for name in DOWNLOAD_FUNCTIONS
        .iter()
        .chain(&["api-downloads", "api-labels"])
    {
        emulator.function(name, &env);
    }

    let (status, labels) = call_api(
        &emulator,
        "api-labels",
        api_event("GET", "/labels", "/labels", Value::Null, None),
    )
    .await;
    assert_eq!(status, 200, "{labels}");
    assert_eq!(
        labels["labels"],
        json!([{"name": "Mobile Phone", "count": 3}])
    );

    let request = json!({"labels": ["Mobile Phone"], "match": "any",
                         "notify": {"phone": "+14155550123"}, "tier": "Expedited"});
    let (status, started) = call_api(
        &emulator,
        "api-downloads",
        api_event(
            "POST",
            "/downloads",
            "/downloads",
            Value::Null,
            Some(request),
        ),
    )
    .await;
    assert_eq!(status, 202, "{started}");
    let job = started["job_id"].as_str().unwrap().to_owned();
    let queue = tap_channel(&world, &format!("{prefix}{job}")).await;

    let started_at = Instant::now();
    let status = loop {
        let (code, status) = call_api(
            &emulator,
            "api-downloads",
            api_event(
                "GET",
                "/downloads/{id}",
                &format!("/downloads/{job}"),
                json!({"id": job}),
                None,
            ),
        )
        .await;
        assert_eq!(code, 200, "{status}");
        if status["stage"] == "ready" || status["stage"] == "failed" {
            break status;
        }
        assert!(
            started_at.elapsed() < Duration::from_secs(180),
            "job stuck: {status}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(
        status["stage"],
        "ready",
        "{status}\n{}",
        emulator.log("build-bundle")
    );
    assert_eq!(
        status["counts"],
        json!({"matched": 3, "archived": 3, "restored": 3, "zipped": 3})
    );
    let link = status["link"]["url"].as_str().expect("a link").to_owned();

    let execution = pam_aws::sfn::execution_arn(&download_machine, &job).unwrap();
    let (outcome, error, _) =
        crate::labelling::wait(&world, &execution, Duration::from_secs(60)).await;
    assert_eq!(outcome, "SUCCEEDED", "{error:?}");

    let key = format!("bundles/{job}/pam-{job}.zip");
    let zip = s3
        .get_object()
        .bucket(&working)
        .key(&key)
        .send()
        .await
        .unwrap();
    let zip = zip.body.collect().await.unwrap().into_bytes().to_vec();
    let entries = unzip(&zip);
    for (photo_key, bytes) in &labelled.jpegs {
        let name = photo_key.rsplit('/').next().unwrap();
        assert_eq!(
            entries.get(name),
            Some(bytes),
            "{name} byte for byte; entries {:?}",
            entries.keys()
        );
    }
    assert!(entries.contains_key("manifest.csv"), "{:?}", entries.keys());
    assert_eq!(entries.len(), labelled.jpegs.len() + 1);
    // The link is a presigned GET of that object (moto does not check signatures).
    assert!(
        link.contains(&format!("/{working}/bundles/{job}/")),
        "{link}"
    );
    assert!(link.contains("X-Amz-Expires=86400"), "24 h link: {link}");
    assert!(
        link.contains("AKIAPAMTESTKEY000001"),
        "signed with the long-term key: {link}"
    );
    let (code, fetched) = http("GET", &link, &[], b"").await;
    assert_eq!((code, fetched.len()), (200, zip.len()));

    let messages = inbox(&world, &queue).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains(&link),
        "the message carries the whole link: {}",
        messages[0]
    );

    let topics = aws_sdk_sns::Client::new(&world.sdk)
        .list_topics()
        .send()
        .await
        .unwrap();
    assert!(
        topics
            .topics()
            .iter()
            .all(|t| !t.topic_arn().unwrap_or_default().contains(&prefix)),
        "CloseChannel deleted the topic"
    );
    let keys = DynamoJobKeys::new(aws_sdk_dynamodb::Client::new(&world.sdk), &labelled.table);
    assert!(
        keys.get(&JobId::parse(&job).unwrap())
            .await
            .unwrap()
            .is_none(),
        "key erased"
    );
}

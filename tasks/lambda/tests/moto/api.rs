//! The upload and operator API functions as processes on moto: `POST /uploads` gives a
//! presigned PUT under `photos/` that really stores the file, and `GET /executions` /
//! `GET /executions/{arn}/history` show an execution of one of PAM's machines (and
//! refuse any other).

use crate::download::{api_event, call_api};
use crate::harness::{Emulator, World, http};
use serde_json::{Value, json};

#[tokio::test]
async fn uploads_and_executions_answer_as_pam_serve_does() {
    let world = crate::world!();
    world.execute_state_machines().await;
    let s3 = world.settings.s3_client(&world.sdk);
    let photos = World::unique("pam-photos");
    s3.create_bucket().bucket(&photos).send().await.unwrap();
    let secret = aws_sdk_secretsmanager::Client::new(&world.sdk)
        .create_secret()
        .name(World::unique("pam-presign"))
        .secret_string(r#"{"AccessKeyId":"AKIAPAMTESTKEY000002","SecretAccessKey":"s"}"#)
        .send()
        .await
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    let sfn = aws_sdk_sfn::Client::new(&world.sdk);
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let mut machines = Vec::new();
    for _ in 0..2 {
        machines.push(
            sfn.create_state_machine()
                .name(World::unique("pam"))
                .definition(definition.to_string())
                .role_arn("arn:aws:iam::123456789012:role/pam")
                .send()
                .await
                .unwrap()
                .state_machine_arn()
                .to_owned(),
        );
    }
    let execution = pam_aws::SfnExecutions::new(sfn.clone())
        .start(&machines[0], "job-api-1", &json!({"job_id": "job-api-1"}))
        .await
        .unwrap();
    crate::labelling::wait(&world, &execution, std::time::Duration::from_secs(30)).await;

    let mut emulator = Emulator::start(&world).await;
    let env = world.function_env(&[
        ("PAM_PHOTOS_BUCKET", photos.clone()),
        ("PAM_PRESIGN_SECRET_ARN", secret),
        ("PAM_DOWNLOAD_STATE_MACHINE_ARN", machines[0].clone()),
        ("PAM_LABELLING_STATE_MACHINE_ARN", machines[1].clone()),
        ("PAM_CORS_ORIGIN", "https://pam.example.com".into()),
    ]);
    emulator.function("api-uploads", &env);
    emulator.function("api-executions", &env);

    let body = json!({"file_name": "Beach Day.JPG", "size": 5, "content_type": "image/jpeg"});
    let event = api_event("POST", "/uploads", "/uploads", Value::Null, Some(body));
    let (raw_status, raw) = emulator.invoke("api-uploads", &event).await;
    assert_eq!(raw_status, 200, "{raw}");
    assert_eq!(
        raw["headers"]["access-control-allow-origin"],
        "https://pam.example.com"
    );
    let (status, plan) = call_api(&emulator, "api-uploads", event).await;
    assert_eq!(status, 200, "{plan}");
    let key = plan["key"].as_str().unwrap();
    assert!(
        key.starts_with("photos/") && key.ends_with("/Beach Day.JPG"),
        "{key}"
    );
    assert_eq!(plan["method"], "PUT");
    let url = plan["url"].as_str().unwrap();
    assert!(url.contains("AKIAPAMTESTKEY000002"), "{url}");
    let (put, _) = http("PUT", url, &[], b"bytes").await;
    assert_eq!(put, 200, "the presigned PUT stores the file");
    let stored = s3
        .get_object()
        .bucket(&photos)
        .key(key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stored.body.collect().await.unwrap().into_bytes().as_ref(),
        b"bytes"
    );
    let (status, refused) = call_api(
        &emulator,
        "api-uploads",
        api_event(
            "POST",
            "/uploads",
            "/uploads",
            Value::Null,
            Some(json!({"file_name": "x.png", "size": 1})),
        ),
    )
    .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );

    let (status, listed) = call_api(
        &emulator,
        "api-executions",
        api_event("GET", "/executions", "/executions", Value::Null, None),
    )
    .await;
    assert_eq!(status, 200, "{listed}");
    let executions = listed["executions"].as_array().unwrap();
    assert_eq!(executions.len(), 1, "{listed}");
    assert_eq!(executions[0]["execution_arn"], execution.as_str());
    assert_eq!(executions[0]["status"], "SUCCEEDED");
    let path = format!("/executions/{execution}/history");
    let (status, history) = call_api(
        &emulator,
        "api-executions",
        api_event(
            "GET",
            "/executions/{arn}/history",
            &path,
            json!({"arn": execution}),
            None,
        ),
    )
    .await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["events"][0]["type"], "ExecutionStarted");
    let foreign = "arn:aws:states:us-east-1:123456789012:execution:someone-else:x";
    let (status, _) = call_api(
        &emulator,
        "api-executions",
        api_event(
            "GET",
            "/executions/{arn}/history",
            "/executions/x/history",
            json!({"arn": foreign}),
            None,
        ),
    )
    .await;
    assert_eq!(status, 404);
    let mut no_claims = api_event("GET", "/executions", "/executions", Value::Null, None);
    no_claims["requestContext"]["authorizer"] = json!({});
    let (status, body) = call_api(&emulator, "api-executions", no_claims).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("Unauthorized"))
    );
}

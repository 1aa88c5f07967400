//! `SfnExecutions` on moto with its state-machine engine switched on: named,
//! idempotent starts (while running and after the end), a conflicting input refused,
//! describe and list, and the history in the engine's JSON shape.

use pam_aws::{SfnError, SfnExecutions};
use pam_core::ports::index::PageRequest;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn executions_start_once_and_read_back() {
    let moto = crate::moto!();
    moto.execute_state_machines().await;
    let client = aws_sdk_sfn::Client::new(&moto.sdk);
    let definition = json!({
        "StartAt": "Hello",
        "States": {"Hello": {"Type": "Pass", "Result": {"said": "hello"}, "ResultPath": "$.greeting", "End": true}}
    });
    let name = format!(
        "pam-test-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let machine = client
        .create_state_machine()
        .name(&name)
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/pam-test")
        .send()
        .await
        .unwrap()
        .state_machine_arn()
        .to_owned();
    let sfn = SfnExecutions::new(client);
    let input = json!({"job_id": "job-1", "labels": ["Mountain"]});
    let arn = sfn.start(&machine, "job-1", &input).await.unwrap();
    assert!(arn.ends_with(":job-1"), "named executions: {arn}");
    assert_eq!(pam_aws::sfn::execution_arn(&machine, "job-1").unwrap(), arn);

    let mut status = String::new();
    for _ in 0..100 {
        status = sfn.describe(&arn).await.unwrap().status;
        if status != "RUNNING" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "SUCCEEDED");
    assert_eq!(
        sfn.start(&machine, "job-1", &input).await.unwrap(),
        arn,
        "a retried start of a finished execution with the same input is the same execution"
    );
    let other = sfn
        .start(&machine, "job-1", &json!({"job_id": "job-1"}))
        .await;
    assert!(matches!(other, Err(SfnError::Conflict { .. })), "{other:?}");

    let info = sfn.describe(&arn).await.unwrap();
    assert_eq!(info.name, "job-1");
    assert_eq!(info.state_machine, machine);
    assert!(info.stop_date.is_some());
    let listed = sfn.list(&machine, PageRequest::first(10)).await.unwrap();
    assert_eq!(listed.items, vec![info]);

    let history = sfn.history(&arn).await.unwrap();
    let types: Vec<&str> = history.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types.first(), Some(&"ExecutionStarted"), "{history:#?}");
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"), "{history:#?}");
    assert!(types.contains(&"PassStateEntered"), "{types:?}");
    assert_eq!(history[0]["id"], 1);
    assert_eq!(history[0]["previousEventId"], 0);
    let started: serde_json::Value = serde_json::from_str(
        history[0]["executionStartedEventDetails"]["input"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(started, input);
    let output = history.last().unwrap()["executionSucceededEventDetails"]["output"]
        .as_str()
        .unwrap();
    assert!(output.contains("hello"), "{output}");

    let missing = sfn
        .describe(&pam_aws::sfn::execution_arn(&machine, "nope").unwrap())
        .await;
    assert!(matches!(missing, Err(SfnError::NotFound(_))), "{missing:?}");
}

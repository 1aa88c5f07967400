//! Uploads from a browser's point of view: real photos PUT through presigned links; the
//! store's object-created events start labelling inside `pam serve`, and the labels
//! appear in `GET /labels` with counts equal to the photos carrying them.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn uploaded_photos_get_labelled() {
    let photos = real_photos(3);
    let mut missing = Vec::new();
    if !model_path().is_file() {
        missing.push(format!(
            "{} (run scripts/fetch-model.sh)",
            model_path().display()
        ));
    }
    if photos.len() < 3 {
        missing.push(format!(
            "three photos in {} (run scripts/fetch-photos.sh)",
            repo().join(".cache/photos").display()
        ));
    }
    if !require(
        "uploaded_photos_get_labelled",
        &missing,
        "PAM_REQUIRE_ASSETS",
    ) {
        return;
    }
    let ui = stub_ui();
    let server = Server::start(ui.path());
    let token = server.token().await;
    let t = Some(token.as_str());
    let mut keys = Vec::new();
    for path in &photos {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (status, plan) = server
            .call(
                Method::POST,
                "/uploads",
                t,
                Some(json!({"file_name": name, "size": bytes.len(), "content_type": "image/jpeg"})),
            )
            .await;
        assert_eq!(status, 200, "{plan}");
        let mut put = server.client.put(plan["url"].as_str().unwrap()).body(bytes);
        for (k, v) in plan["headers"].as_object().unwrap() {
            put = put.header(k.as_str(), v.as_str().unwrap());
        }
        let r = put.send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        keys.push(plan["key"].as_str().unwrap().to_owned());
    }
    let finished = until(
        "three labelling executions to end",
        Duration::from_secs(300),
        || async {
            let (_, body) = server.call(Method::GET, "/executions", t, None).await;
            let list: Vec<Value> = body["executions"]
                .as_array()?
                .iter()
                .filter(|e| e["state_machine"] == "labelling")
                .cloned()
                .collect();
            (list.len() >= 3 && list.iter().all(|e| e["status"] != "RUNNING")).then_some(list)
        },
    )
    .await;
    for e in &finished {
        assert_eq!(e["status"], "SUCCEEDED", "{e}");
        let arn = e["execution_arn"].as_str().unwrap();
        let path = format!(
            "/executions/{}/history",
            percent_encoding::utf8_percent_encode(arn, percent_encoding::NON_ALPHANUMERIC)
        );
        let (status, history) = server.call(Method::GET, &path, t, None).await;
        assert_eq!(status, 200, "{history}");
        let types: Vec<&str> = history["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|ev| ev["type"].as_str())
            .collect();
        assert_eq!(types.first(), Some(&"ExecutionStarted"));
        assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    }
    let (status, labels) = server.call(Method::GET, "/labels", t, None).await;
    assert_eq!(status, 200);
    let labels = labels["labels"].as_array().unwrap();
    assert!(!labels.is_empty(), "labelling ran, so some label exists");
    for l in labels {
        let count = l["count"].as_u64().unwrap();
        assert!((1..=3).contains(&count), "{l}");
    }
    let counts: Vec<u64> = labels
        .iter()
        .map(|l| l["count"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "highest count first: {counts:?}"
    );
    eprintln!(
        "labels after upload: {}",
        labels
            .iter()
            .map(|l| format!("{}({})", l["name"].as_str().unwrap(), l["count"]))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

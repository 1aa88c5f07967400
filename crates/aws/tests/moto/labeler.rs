//! `RekognitionLabeler` on moto, whose DetectLabels always answers one fixed label
//! ("Mobile Phone", parent "Phone"): checks the request reaches it by S3 reference and
//! the answer comes back in the port's shape, with the port's filters applied.

use pam_aws::RekognitionLabeler;
use pam_core::ObjectKey;
use pam_core::ports::labeler::{DetectLabelsRequest, Labeler};
use pam_core::ports::store::PhotoStoreExt;

#[tokio::test]
async fn detect_labels_answers_in_the_ports_shape() {
    let moto = crate::moto!();
    let bucket = moto.fresh_bucket().await;
    let key = ObjectKey::parse("photos/phone.jpg").unwrap();
    moto.store()
        .put_bytes(&bucket, &key, b"\xff\xd8\xff\xe0 jpeg".to_vec())
        .await
        .unwrap();
    let labeler =
        RekognitionLabeler::new(aws_sdk_rekognition::Client::new(&moto.sdk), moto.store());
    let mut request = DetectLabelsRequest {
        bucket: bucket.clone(),
        key: key.clone(),
        max_labels: Some(10),
        min_confidence: Some(50.0),
    };
    let out = labeler.detect_labels(&request).await.unwrap();
    assert_eq!(out.labels.len(), 1);
    let label = &out.labels[0];
    assert_eq!(label.name.as_str(), "Mobile Phone");
    assert!((99.0..=100.0).contains(&label.confidence));
    let parents: Vec<&str> = label.parents.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parents, ["Phone"]);
    assert_eq!(out.label_model_version, "3.0");
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(
        json["Labels"][0]["Name"], "Mobile Phone",
        "Rekognition's JSON shape"
    );
    assert_eq!(json["Labels"][0]["Parents"][0]["Name"], "Phone");

    request.min_confidence = Some(99.99);
    let out = labeler.detect_labels(&request).await.unwrap();
    assert!(
        out.labels.is_empty(),
        "labels under min_confidence are dropped"
    );

    request.min_confidence = Some(150.0);
    assert!(
        labeler.detect_labels(&request).await.is_err(),
        "confidence outside 0..=100"
    );
}

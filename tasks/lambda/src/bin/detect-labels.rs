//! The `DetectLabels` Task of the labelling state machine (`${DetectLabelsFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_labelling_step("DetectLabels").await
}

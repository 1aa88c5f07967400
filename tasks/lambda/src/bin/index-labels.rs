//! The `IndexLabels` Task of the labelling state machine (`${IndexLabelsFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_labelling_step("IndexLabels").await
}

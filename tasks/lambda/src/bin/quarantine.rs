//! The `Quarantine` Task of the labelling state machine (`${QuarantineFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_labelling_step("Quarantine").await
}

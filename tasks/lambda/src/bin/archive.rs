//! The `Archive` Task of the labelling state machine (`${ArchiveFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_labelling_step("Archive").await
}

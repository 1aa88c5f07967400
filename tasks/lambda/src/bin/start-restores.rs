//! The `StartRestores` Task of the download state machine (`${StartRestoresFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("StartRestores").await
}

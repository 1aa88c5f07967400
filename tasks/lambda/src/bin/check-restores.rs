//! The `CheckRestores` Task of the download state machine (`${CheckRestoresFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("CheckRestores").await
}

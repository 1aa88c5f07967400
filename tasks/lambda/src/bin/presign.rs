//! The `Presign` Task of the download state machine (`${PresignFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("Presign").await
}

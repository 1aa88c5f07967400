//! The `Notify` Task of the download state machine (`${NotifyFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("Notify").await
}

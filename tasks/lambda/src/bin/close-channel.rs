//! The `CloseChannel` Task of the download state machine (`${CloseChannelFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("CloseChannel").await
}

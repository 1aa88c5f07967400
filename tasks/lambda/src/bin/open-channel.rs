//! The `OpenChannel` Task of the download state machine (`${OpenChannelFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("OpenChannel").await
}

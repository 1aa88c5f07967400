//! The `BuildBundle` Task of the download state machine (`${BuildBundleFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("BuildBundle").await
}

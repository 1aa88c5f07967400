//! The `ResolveManifest` Task of the download state machine (`${ResolveManifestFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_download_step("ResolveManifest").await
}

//! How the adapters reach AWS: one `SdkConfig` for every client, built with a rustls
//! (ring) HTTPS client, an optional endpoint override (moto on 127.0.0.1 in tests, a
//! VPC endpoint in production) and S3 path-style addressing when the endpoint needs it.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::Credentials;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

/// Where and how to talk to AWS.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// Overrides every service's endpoint, e.g. `http://127.0.0.1:5000` for moto.
    pub endpoint: Option<String>,
    /// Region; `None` takes it from the environment (`AWS_REGION`, profile, IMDS).
    pub region: Option<String>,
    /// Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key`.
    /// Emulators such as moto need it; AWS itself prefers virtual-hosted style.
    pub force_path_style: bool,
    /// Fixed credentials instead of the standard chain (emulators take any).
    pub credentials: Option<Credentials>,
}

impl AwsSettings {
    /// Settings for an emulator at `endpoint`: path-style S3, region `us-east-1`
    /// unless `AWS_REGION` says otherwise, dummy credentials.
    pub fn emulator(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: Some(endpoint.into()),
            region: Some(std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into())),
            force_path_style: true,
            credentials: Some(Credentials::new(
                "testing", "testing", None, None, "emulator",
            )),
        }
    }

    /// Loads the shared SDK configuration: credentials, region and retry settings from
    /// the standard chain (environment, profile, container or instance role).
    pub async fn load(&self) -> SdkConfig {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
        if let Some(endpoint) = &self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some(credentials) = &self.credentials {
            loader = loader.credentials_provider(credentials.clone());
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        loader.load().await
    }

    /// An S3 client for `sdk` honouring [`force_path_style`](Self::force_path_style).
    pub fn s3_client(&self, sdk: &SdkConfig) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(self.force_path_style)
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }
}

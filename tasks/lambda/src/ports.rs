//! Builds the AWS adapters from the environment, once per cold start: one `SdkConfig`
//! (the standard credential and region chain; `AWS_ENDPOINT_URL` for emulators, which
//! then also gets path-style S3), and only the ports a binary asks for, so a binary
//! never needs a variable it does not use.

use crate::env::{self, ConfigError, Vars};
use aws_config::SdkConfig;
use pam_aws::{
    AwsSettings, DynamoIndex, DynamoJobKeys, DynamoJobLog, RekognitionLabeler, S3Presigner,
    S3Store, SfnExecutions, SnsNotifier,
};
use pam_core::BucketName;
use pam_core::clock::SystemClock;
use pam_core::domain::ColdTarget;
use pam_core::ports::presign::{PresignError, PresignRequest, PresignedUrl, Presigner};
use pam_tasks::download::{DownloadConfig, DownloadSteps};
use pam_tasks::{LabellingSteps, archive, detect_labels};
use std::sync::Arc;

/// The presigner of every download function but `presign`: only that function may read
/// the signing key's secret (least privilege), so the others refuse to sign, by name.
#[derive(Debug, Clone, Copy)]
pub struct PresignElsewhere;

#[async_trait::async_trait]
impl Presigner for PresignElsewhere {
    async fn presign(&self, _request: &PresignRequest) -> Result<PresignedUrl, PresignError> {
        Err(PresignError::Backend(
            "links are signed by the presign function, the only one given the signing key".into(),
        ))
    }
}

/// The SDK configuration and settings every port is built from.
#[derive(Debug, Clone)]
pub struct Aws {
    /// Endpoint, path style.
    pub settings: AwsSettings,
    /// The loaded SDK configuration.
    pub sdk: SdkConfig,
}

impl Aws {
    /// Loads the configuration; `AWS_ENDPOINT_URL` (an emulator) turns on path-style S3.
    pub async fn load(vars: &dyn Vars) -> Self {
        let endpoint = vars
            .var("AWS_ENDPOINT_URL")
            .filter(|e| !e.trim().is_empty());
        let settings = AwsSettings {
            force_path_style: endpoint.is_some(),
            endpoint,
            region: None,
            credentials: None,
        };
        let sdk = settings.load().await;
        Self { settings, sdk }
    }

    /// The photo store.
    pub fn store(&self) -> S3Store {
        S3Store::new(self.settings.s3_client(&self.sdk))
    }

    fn dynamo(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.sdk)
    }

    /// The label index on `PAM_TABLE`.
    pub fn index(&self, vars: &dyn Vars) -> Result<DynamoIndex, ConfigError> {
        Ok(DynamoIndex::new(
            self.dynamo(),
            env::required(vars, env::TABLE)?,
        ))
    }

    /// The job log on `PAM_TABLE`.
    pub fn jobs(&self, vars: &dyn Vars) -> Result<DynamoJobLog, ConfigError> {
        Ok(DynamoJobLog::new(
            self.dynamo(),
            env::required(vars, env::TABLE)?,
        ))
    }

    /// The job keys on `PAM_TABLE`.
    pub fn keys(&self, vars: &dyn Vars) -> Result<DynamoJobKeys, ConfigError> {
        Ok(DynamoJobKeys::new(
            self.dynamo(),
            env::required(vars, env::TABLE)?,
        ))
    }

    /// Per-job SNS topics named `PAM_TOPIC_PREFIX<job id>`.
    pub fn notifier(&self, vars: &dyn Vars) -> Result<SnsNotifier, ConfigError> {
        let prefix = env::required(vars, env::TOPIC_PREFIX)?;
        SnsNotifier::new(aws_sdk_sns::Client::new(&self.sdk), prefix).map_err(|e| {
            ConfigError::Invalid {
                name: env::TOPIC_PREFIX,
                reason: e.to_string(),
            }
        })
    }

    /// Step Functions.
    pub fn executions(&self) -> SfnExecutions {
        SfnExecutions::new(aws_sdk_sfn::Client::new(&self.sdk))
    }

    /// The presigner, signing with the long-term key in `PAM_PRESIGN_SECRET_ARN`.
    pub async fn presigner(&self, vars: &dyn Vars) -> Result<S3Presigner, ConfigError> {
        let arn = env::required(vars, env::PRESIGN_SECRET_ARN)?;
        let key = pam_aws::load_presign_key(&self.sdk, &arn)
            .await
            .map_err(|e| ConfigError::Unusable {
                what: format!("the signing key in {}", env::PRESIGN_SECRET_ARN),
                reason: e.to_string(),
            })?;
        Ok(S3Presigner::new(
            &self.sdk,
            key,
            self.settings.force_path_style,
        ))
    }

    /// The labelling steps: S3, DynamoDB on `PAM_TABLE`, Rekognition.
    pub fn labelling_steps(&self, vars: &dyn Vars) -> Result<LabellingSteps, ConfigError> {
        let mut detect = detect_labels::Config::default();
        if let Some(floor) = env::min_confidence(vars)? {
            detect.min_confidence = floor;
        }
        let archive = archive::Config {
            target: cold_target(vars)?,
            ..archive::Config::default()
        };
        let store = self.store();
        Ok(LabellingSteps {
            labeler: Arc::new(RekognitionLabeler::new(
                aws_sdk_rekognition::Client::new(&self.sdk),
                store.clone(),
            )),
            store: Arc::new(store),
            index: Arc::new(self.index(vars)?),
            clock: Arc::new(SystemClock),
            detect,
            archive,
        })
    }
}

impl Aws {
    /// The download steps. `presign`: load the signing key (the `presign` binary only).
    pub async fn download_steps(
        &self,
        vars: &dyn Vars,
        presign: bool,
    ) -> Result<DownloadSteps, ConfigError> {
        let mut config = DownloadConfig::aws_like(
            bucket(vars, env::PHOTOS_BUCKET)?,
            bucket(vars, env::WORKING_BUCKET)?,
        );
        if let Some(ttl) = env::link_ttl(vars)? {
            config.default_link_ttl = ttl;
        }
        if let Some(poll) = env::restore_poll_seconds(vars)? {
            for tier in [
                &mut config.polling.expedited,
                &mut config.polling.standard,
                &mut config.polling.bulk,
            ] {
                tier.poll_seconds = poll;
            }
        }
        let presigner: Arc<dyn Presigner> = if presign {
            Arc::new(self.presigner(vars).await?)
        } else {
            Arc::new(PresignElsewhere)
        };
        Ok(DownloadSteps {
            store: Arc::new(self.store()),
            index: Arc::new(self.index(vars)?),
            jobs: Arc::new(self.jobs(vars)?),
            keys: Arc::new(self.keys(vars)?),
            notifier: Arc::new(self.notifier(vars)?),
            presigner,
            clock: Arc::new(SystemClock),
            config,
        })
    }
}

/// A bucket named by a variable.
pub fn bucket(vars: &dyn Vars, name: &'static str) -> Result<BucketName, ConfigError> {
    let text = env::required(vars, name)?;
    BucketName::parse(&text).map_err(|e| ConfigError::Invalid {
        name,
        reason: e.to_string(),
    })
}

/// `PAM_COLD_TARGET`, default Intelligent-Tiering with its Archive Access tier.
pub fn cold_target(vars: &dyn Vars) -> Result<ColdTarget, ConfigError> {
    let target = env::optional(vars, env::COLD_TARGET, |v| {
        Ok(match v {
            "intelligent_tiering_archive" => ColdTarget::IntelligentTieringArchiveAccess,
            "intelligent_tiering_deep_archive" => ColdTarget::IntelligentTieringDeepArchiveAccess,
            "glacier" => ColdTarget::Glacier,
            "deep_archive" => ColdTarget::DeepArchive,
            "standard" => ColdTarget::Standard,
            other => return Err(format!("{other:?} is not a cold target")),
        })
    })?;
    Ok(target.unwrap_or(ColdTarget::IntelligentTieringArchiveAccess))
}

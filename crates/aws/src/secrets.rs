//! Reads the presign key from Secrets Manager (`PAM_PRESIGN_SECRET_ARN`): the secret
//! holds `{"AccessKeyId","SecretAccessKey"}` of the IAM user that only signs links (see
//! [`crate::presign`] for why links are not signed with a Lambda's own credentials).

use crate::presign::{KeyError, LongTermKey};
use aws_config::SdkConfig;

/// Why the signing key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Secrets Manager refused or failed the call.
    #[error("reading secret {arn}: {message}")]
    Read {
        /// The secret.
        arn: String,
        /// The service's code and message.
        message: String,
    },
    /// The secret has no string value.
    #[error("secret {0} has no SecretString")]
    NotAString(String),
    /// The secret's JSON is not a usable long-term key.
    #[error("secret {arn}: {source}")]
    Key {
        /// The secret.
        arn: String,
        /// What is wrong with it.
        source: KeyError,
    },
}

/// Loads the long-term signing key stored in secret `arn`.
pub async fn load_presign_key(sdk: &SdkConfig, arn: &str) -> Result<LongTermKey, SecretError> {
    use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
    let client = aws_sdk_secretsmanager::Client::new(sdk);
    let got = client
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| SecretError::Read {
            arn: arn.to_owned(),
            message: format!(
                "{}: {}",
                e.code().unwrap_or("no error code"),
                e.message().unwrap_or("no message")
            ),
        })?;
    let text = got
        .secret_string()
        .ok_or_else(|| SecretError::NotAString(arn.to_owned()))?;
    LongTermKey::from_secret_json(text).map_err(|source| SecretError::Key {
        arn: arn.to_owned(),
        source,
    })
}

//! The Lambdas' configuration: environment variables CDK sets (names in the project
//! contract). A missing or malformed one is a [`ConfigError`] naming the variable,
//! which `main` reports through the Runtime API's init-error call.

use std::time::Duration;

/// Photo bucket name.
pub const PHOTOS_BUCKET: &str = "PAM_PHOTOS_BUCKET";
/// Working bucket name (manifests, bundles).
pub const WORKING_BUCKET: &str = "PAM_WORKING_BUCKET";
/// The one DynamoDB table (index, jobs, job keys).
pub const TABLE: &str = "PAM_TABLE";
/// SNS topic name prefix for per-job channels.
pub const TOPIC_PREFIX: &str = "PAM_TOPIC_PREFIX";
/// Secrets Manager ARN of the link-signing key.
pub const PRESIGN_SECRET_ARN: &str = "PAM_PRESIGN_SECRET_ARN";
/// The download state machine.
pub const DOWNLOAD_STATE_MACHINE_ARN: &str = "PAM_DOWNLOAD_STATE_MACHINE_ARN";
/// The labelling state machine.
pub const LABELLING_STATE_MACHINE_ARN: &str = "PAM_LABELLING_STATE_MACHINE_ARN";
/// Optional: DetectLabels' confidence floor (0–100).
pub const MIN_CONFIDENCE: &str = "PAM_MIN_CONFIDENCE";
/// Optional: default link lifetime in seconds (1 s – 7 days).
pub const LINK_TTL_SECONDS: &str = "PAM_LINK_TTL_SECONDS";
/// Optional: seconds between restore polls, for every tier (default: AWS's restore
/// times, e.g. a minute for Expedited). Emulators and tests shorten it.
pub const RESTORE_POLL_SECONDS: &str = "PAM_RESTORE_POLL_SECONDS";
/// Optional (API functions): the web app's origin, sent as `Access-Control-Allow-Origin`.
pub const CORS_ORIGIN: &str = "PAM_CORS_ORIGIN";
/// Optional: where Archive sends photos: `intelligent_tiering_archive` (default),
/// `intelligent_tiering_deep_archive`, `glacier`, `deep_archive` or `standard`.
pub const COLD_TARGET: &str = "PAM_COLD_TARGET";

/// A configuration problem, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The variable is not set (or empty).
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    /// The variable's value is unusable.
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A resource named by the configuration could not be loaded (e.g. the secret).
    #[error("{what}: {reason}")]
    Unusable {
        /// What was being loaded (names the variable).
        what: String,
        /// Why it failed.
        reason: String,
    },
}

/// Where variables come from: the process environment, or a map in tests.
pub trait Vars {
    /// The value of `name`, if set.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Vars for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Vars for std::collections::HashMap<&str, &str> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| (*v).to_owned())
    }
}

/// A required variable.
pub fn required(vars: &dyn Vars, name: &'static str) -> Result<String, ConfigError> {
    vars.var(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or(ConfigError::Missing(name))
}

/// An optional variable parsed with `parse`.
pub fn optional<T>(
    vars: &dyn Vars,
    name: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, ConfigError> {
    match vars.var(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => parse(v.trim())
            .map(Some)
            .map_err(|reason| ConfigError::Invalid { name, reason }),
    }
}

/// `PAM_MIN_CONFIDENCE`, 0–100.
pub fn min_confidence(vars: &dyn Vars) -> Result<Option<f32>, ConfigError> {
    optional(vars, MIN_CONFIDENCE, |v| match v.parse::<f32>() {
        Ok(c) if (0.0..=100.0).contains(&c) => Ok(c),
        _ => Err(format!("{v:?} is not a confidence between 0 and 100")),
    })
}

/// `PAM_LINK_TTL_SECONDS`, 1 s – 7 days.
pub fn link_ttl(vars: &dyn Vars) -> Result<Option<Duration>, ConfigError> {
    optional(vars, LINK_TTL_SECONDS, |v| match v.parse::<u64>() {
        Ok(s) if (1..=7 * 86_400).contains(&s) => Ok(Duration::from_secs(s)),
        _ => Err(format!("{v:?} is not a number of seconds from 1 to 604800")),
    })
}

/// `PAM_RESTORE_POLL_SECONDS`, 1 s – 6 h.
pub fn restore_poll_seconds(vars: &dyn Vars) -> Result<Option<u64>, ConfigError> {
    optional(vars, RESTORE_POLL_SECONDS, |v| match v.parse::<u64>() {
        Ok(s) if (1..=6 * 3600).contains(&s) => Ok(s),
        _ => Err(format!("{v:?} is not a number of seconds from 1 to 21600")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn missing_and_invalid_variables_are_named() {
        let vars = HashMap::from([(TABLE, "t"), (MIN_CONFIDENCE, "120"), (PHOTOS_BUCKET, " ")]);
        assert_eq!(required(&vars, TABLE).unwrap(), "t");
        assert_eq!(
            required(&vars, PHOTOS_BUCKET),
            Err(ConfigError::Missing(PHOTOS_BUCKET))
        );
        let err = min_confidence(&vars).unwrap_err();
        assert!(err.to_string().contains("PAM_MIN_CONFIDENCE"), "{err}");
        assert_eq!(link_ttl(&vars), Ok(None));
    }
}

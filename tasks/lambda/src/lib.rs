//! PAM's AWS Lambda functions: one binary per Step Functions Task (named after the step
//! in kebab-case: `${DetectLabelsFunctionArn}` → `detect-labels`) and one per API area,
//! each a few lines over this library.
//!
//! # Layout
//! - [`env`]: the environment variables CDK sets, read with errors that name them.
//! - [`init_error`]: a start without configuration is reported through the Runtime
//!   API's `/runtime/init/error` and the process exits (never a silent panic).
//! - [`ports`]: the AWS adapters built from the environment.
//! - [`step`]: the step handler: JSON in, JSON out, `StepError` → `errorType`.
//! - [`api`]: API Gateway REST proxy handlers with `pam serve`'s paths and JSON.
#![warn(missing_docs)]

pub mod api;
pub mod env;
pub mod init_error;
pub mod ports;
pub mod step;

pub use env::{ConfigError, ProcessEnv};
pub use init_error::exit_with_init_error;
pub use ports::Aws;

/// Logs as JSON lines to stdout (CloudWatch), level from `RUST_LOG` (default `info`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .without_time()
        .try_init();
}

/// `value`, or the init-error report and exit.
pub async fn or_exit<T>(value: Result<T, ConfigError>) -> T {
    match value {
        Ok(v) => v,
        Err(e) => exit_with_init_error(&e).await,
    }
}

/// Serves one labelling step (the binaries `read-event`, `detect-labels`,
/// `index-labels`, `archive`, `quarantine` are this call).
pub async fn serve_labelling_step(step: &'static str) -> Result<(), lambda_runtime::Error> {
    init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let steps = or_exit(aws.labelling_steps(&ProcessEnv)).await;
    step::run(steps, step).await
}

/// Serves one download step (`open-channel`, `resolve-manifest`, `start-restores`,
/// `check-restores`, `build-bundle`, `presign`, `notify`, `close-channel`); only
/// `Presign` loads the signing key.
pub async fn serve_download_step(step: &'static str) -> Result<(), lambda_runtime::Error> {
    init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let steps = or_exit(aws.download_steps(&ProcessEnv, step == "Presign").await).await;
    step::run(steps, step).await
}

//! One rule for every service: which SDK failures are worth retrying (transport
//! failures, 5xx, throttling and conflict codes), so the job log, job keys, notifier
//! and executions adapters classify errors alike.

// The smithy types every SDK crate re-exports; one import serves all services.
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

/// Error codes AWS services use for "try again later".
const TRANSIENT_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
    "TransactionConflictException",
    "TransactionInProgressException",
    "KMSThrottlingException",
];

/// Whether `err` is worth retrying.
pub(crate) fn is_transient<E>(err: &SdkError<E, HttpResponse>) -> bool
where
    E: ProvideErrorMetadata,
{
    let transport = matches!(
        err,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
    );
    let status = err.raw_response().map(|r| r.status().as_u16());
    transport
        || status.is_some_and(|s| s >= 500 || s == 429)
        || err.code().is_some_and(|c| TRANSIENT_CODES.contains(&c))
}

//! DynamoDB SDK errors → the port's [`IndexError`]: throttling, conflicts and transport
//! failures are transient; everything else is a backend failure with its code.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use pam_core::ports::index::IndexError;

pub(crate) const INDEX: &str = "dynamodb";

/// Maps any DynamoDB SDK error; `doing` names the call for the message.
pub(crate) fn index_err<E>(err: SdkError<E, HttpResponse>) -> IndexError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let transport = matches!(
        err,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
    );
    let status = err.raw_response().map(|r| r.status().as_u16());
    let transient = transport
        || status.is_some_and(|s| s >= 500)
        || matches!(
            err.code(),
            Some(
                "ProvisionedThroughputExceededException"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "InternalServerError"
                    | "TransactionConflictException"
                    | "TransactionInProgressException"
            )
        );
    if transient {
        IndexError::Transient {
            index: INDEX,
            source: Box::new(err),
        }
    } else {
        IndexError::Backend {
            index: INDEX,
            source: Box::new(err),
        }
    }
}

/// An SDK builder refused a value: a bug here, reported with context.
pub(crate) fn build_err(what: &str, err: impl std::fmt::Display) -> IndexError {
    IndexError::Backend {
        index: INDEX,
        source: format!("building {what}: {err}").into(),
    }
}

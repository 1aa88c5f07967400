//! Retry and Catch clauses as written in a state.

use serde::Deserialize;
use serde_json::Value;

/// `JitterStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum JitterStrategy {
    /// Exact back-off.
    #[default]
    NONE,
    /// A random delay between 0 and the back-off.
    FULL,
}

/// One `Retry` clause.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Retrier {
    /// Error names this clause matches (`States.ALL` matches any but terminal ones).
    pub error_equals: Vec<String>,
    /// First delay, seconds (default 1).
    pub interval_seconds: Option<f64>,
    /// Retries allowed (default 3; 0 never retries).
    pub max_attempts: Option<u64>,
    /// Multiplier per attempt (default 2.0).
    pub backoff_rate: Option<f64>,
    /// Upper bound on one delay, seconds.
    pub max_delay_seconds: Option<f64>,
    /// `FULL` or `NONE`.
    #[serde(default)]
    pub jitter_strategy: JitterStrategy,
}

/// One `Catch` clause.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Catcher {
    /// Error names this clause matches.
    pub error_equals: Vec<String>,
    /// Where the next state goes.
    pub next: String,
    /// Where the error output goes in the input (`Some(Null)`: discard).
    #[serde(default, deserialize_with = "super::present")]
    pub result_path: Option<Value>,
    /// `Assign` on catch.
    pub assign: Option<Value>,
    /// `Output` on catch (JSONata).
    #[serde(default, deserialize_with = "super::present")]
    pub output: Option<Value>,
}

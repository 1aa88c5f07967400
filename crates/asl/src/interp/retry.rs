//! Which Retry or Catch clause an error matches, and how long to back off.
//!
//! `States.ALL` matches every error except the terminal ones (`States.Runtime`,
//! `States.DataLimitExceeded`), which only a clause naming them matches;
//! `States.TaskFailed` matches every error except `States.Timeout`.

use crate::StatesError;
use crate::model::{Catcher, JitterStrategy, Retrier};
use chrono::Duration;

const TERMINAL: [&str; 2] = ["States.Runtime", "States.DataLimitExceeded"];

/// Does an `ErrorEquals` list match this error?
pub(crate) fn matches(error_equals: &[String], err: &StatesError) -> bool {
    error_equals.iter().any(|name| {
        if name == &err.error {
            return true;
        }
        match name.as_str() {
            "States.ALL" => !TERMINAL.contains(&err.error.as_str()),
            "States.TaskFailed" => {
                !TERMINAL.contains(&err.error.as_str()) && err.error != "States.Timeout"
            }
            _ => false,
        }
    })
}

/// The delay before the next attempt, or `None` when no retrier matches or the
/// matching one has used its attempts. Counts the attempt in `attempts`.
pub(crate) fn next_delay(
    retriers: &[Retrier],
    attempts: &mut [u64],
    err: &StatesError,
) -> Option<Duration> {
    let (i, r) = retriers
        .iter()
        .enumerate()
        .find(|(_, r)| matches(&r.error_equals, err))?;
    let done = attempts[i];
    if done >= r.max_attempts.unwrap_or(3) {
        return None;
    }
    attempts[i] += 1;
    let interval = r.interval_seconds.unwrap_or(1.0);
    let rate = r.backoff_rate.unwrap_or(2.0);
    let mut seconds = interval * rate.powi(i32::try_from(done).unwrap_or(i32::MAX));
    if let Some(max) = r.max_delay_seconds {
        seconds = seconds.min(max);
    }
    if r.jitter_strategy == JitterStrategy::FULL {
        seconds *= rand::random::<f64>();
    }
    Some(Duration::milliseconds((seconds * 1000.0).round() as i64))
}

/// The first Catch clause that matches.
pub(crate) fn find_catcher<'a>(catchers: &'a [Catcher], err: &StatesError) -> Option<&'a Catcher> {
    catchers.iter().find(|c| matches(&c.error_equals, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(json: &str) -> Retrier {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn states_all_skips_terminal_errors() {
        let all = vec!["States.ALL".to_string()];
        assert!(matches(&all, &StatesError::new("Boom", "")));
        assert!(!matches(&all, &StatesError::runtime("x")));
        assert!(matches(
            &["States.Runtime".to_string()],
            &StatesError::runtime("x")
        ));
        let tf = vec!["States.TaskFailed".to_string()];
        assert!(!matches(&tf, &StatesError::new("States.Timeout", "")));
    }

    #[test]
    fn backoff_grows_and_is_capped_then_stops() {
        let r = vec![retrier(
            r#"{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":3,"MaxDelaySeconds":10}"#,
        )];
        let mut a = vec![0];
        let e = StatesError::new("E", "");
        let delays: Vec<_> = std::iter::from_fn(|| next_delay(&r, &mut a, &e)).collect();
        assert_eq!(
            delays,
            vec![
                Duration::seconds(2),
                Duration::seconds(6),
                Duration::seconds(10)
            ]
        );
    }

    #[test]
    fn zero_attempts_never_retries() {
        let r = vec![retrier(r#"{"ErrorEquals":["States.ALL"],"MaxAttempts":0}"#)];
        assert!(next_delay(&r, &mut [0], &StatesError::new("E", "")).is_none());
    }
}

//! Time as the engine sees it. Wait states, Retry back-off and Task timeouts all go
//! through a [`Clock`], so tests and `run-cases` use a [`VirtualClock`] that jumps
//! forward instantly, while executions in production use the [`SystemClock`].

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use tokio::sync::watch;

/// A source of "now" and a way to wait for a later instant.
#[async_trait]
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
    /// Waits for `deadline` (Wait states, Retry back-off). A virtual clock jumps there.
    async fn sleep_until(&self, deadline: DateTime<Utc>);
    /// Resolves once time reaches `deadline` by other means (Task timeouts race this
    /// against the task). A virtual clock never jumps for a timer: it fires only when
    /// something else moves time past the deadline.
    async fn timer(&self, deadline: DateTime<Utc>);
}

/// Wall-clock time, tokio timers.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let left = deadline - Utc::now();
        if let Ok(left) = left.to_std() {
            tokio::time::sleep(left).await;
        }
    }

    async fn timer(&self, deadline: DateTime<Utc>) {
        self.sleep_until(deadline).await;
    }
}

/// Deterministic time: starts at a fixed instant and only moves when something sleeps;
/// a sleep moves it to the deadline at once (never backwards), so concurrent branches
/// that wait the same span end at the same virtual instant.
#[derive(Debug)]
pub struct VirtualClock {
    now: watch::Sender<DateTime<Utc>>,
}

impl VirtualClock {
    /// A clock starting at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: watch::Sender::new(start),
        }
    }

    /// Moves time forward by hand (tests, invokers that simulate slow work).
    pub fn advance(&self, by: chrono::Duration) {
        self.now.send_modify(|now| *now += by);
    }
}

impl Default for VirtualClock {
    /// Starts at 2024-01-01T00:00:00Z.
    fn default() -> Self {
        Self::new(
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }
}

#[async_trait]
impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        self.now.send_if_modified(|now| {
            let later = deadline > *now;
            if later {
                *now = deadline;
            }
            later
        });
        tokio::task::yield_now().await;
    }

    async fn timer(&self, deadline: DateTime<Utc>) {
        let mut rx = self.now.subscribe();
        // The sender lives as long as self, so this only ends when the deadline is reached.
        let _ = rx.wait_for(|now| *now >= deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn virtual_sleep_jumps_and_never_goes_back() {
        let clock = VirtualClock::default();
        let t0 = clock.now();
        clock.sleep_until(t0 + chrono::Duration::seconds(30)).await;
        assert_eq!(clock.now() - t0, chrono::Duration::seconds(30));
        clock.sleep_until(t0).await;
        assert_eq!(clock.now() - t0, chrono::Duration::seconds(30));
    }

    #[tokio::test]
    async fn virtual_timer_fires_only_when_time_moves_past_it() {
        let clock = std::sync::Arc::new(VirtualClock::default());
        let deadline = clock.now() + chrono::Duration::seconds(5);
        let c = clock.clone();
        let timer = tokio::spawn(async move { c.timer(deadline).await });
        tokio::task::yield_now().await;
        assert!(!timer.is_finished());
        clock.advance(chrono::Duration::seconds(6));
        tokio::time::timeout(std::time::Duration::from_secs(5), timer)
            .await
            .unwrap()
            .unwrap();
    }
}

//! How transactions are retried after a retryable error.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

/// How often and how patiently `transaction_with_retry` runs a transaction
/// again after a [retryable](crate::Error::is_retryable) error (a
/// serialization failure, a deadlock, SQLite busy).
///
/// Attempt `n` (from 1) that fails retryably is followed by a pause of
/// `initial_backoff * 2^(n-1)`, capped at `max_backoff`, each pause
/// randomized to between half and all of that so that contending callers
/// spread out. After `max_attempts` attempts the last error is returned.
///
/// ```
/// use std::time::Duration;
/// use quarry_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(10)
///     .initial_backoff(Duration::from_millis(5));
/// assert_eq!(policy.max_attempts, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times the transaction runs at most, the first included.
    /// Default 5.
    pub max_attempts: u32,
    /// The pause after the first failed attempt. Default 10 ms.
    pub initial_backoff: Duration,
    /// The longest pause. Default 1 s.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Sets [`max_attempts`](Self::max_attempts).
    #[must_use]
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    #[must_use]
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    #[must_use]
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Whether attempt `attempt` (from 1), having failed retryably, is
    /// followed by another.
    pub(crate) fn again(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// The pause after failed attempt `attempt` (from 1).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let full = doubled.min(self.max_backoff);
        // Between half and all of it, from a per-process random hash of now.
        let noise = RandomState::new().hash_one((Instant::now(), attempt));
        let fraction = 0.5 + (noise % 1000) as f64 / 2000.0;
        full.mul_f64(fraction)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::RetryPolicy;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        let first = policy.backoff(1);
        assert!(first >= Duration::from_millis(5) && first <= Duration::from_millis(10));
        let third = policy.backoff(3);
        assert!(third >= Duration::from_millis(20) && third <= Duration::from_millis(40));
        assert!(policy.backoff(30) <= Duration::from_secs(1));
        assert!(policy.again(4));
        assert!(!policy.again(5));
    }
}

//! When and how long to wait before trying a call again.
//!
//! Exponential backoff with full jitter (a random wait between zero and the exponential
//! cap), so that many clients failing together do not retry together. A wait the server
//! asks for (`Retry-After`, `x-ogw-ratelimit-reset`) is a floor, not a suggestion.

use std::time::Duration;

/// How a client retries calls. Only transient failures are retried: connection failures,
/// timeouts, gateway replies (429/502/503/504 without the API's JSON), and codes the spec
/// marks `retryable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_server_wait: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms up to 10 s, and at most 60 s of server-requested wait.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt per call.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Requests per call, the first included; at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff cap before the first retry; it doubles for each further retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff cap.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// A server asking for a longer wait than this ends the retries instead.
    pub fn max_server_wait(mut self, wait: Duration) -> Self {
        self.max_server_wait = wait;
        self
    }

    /// Requests per call, the first included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest server-requested wait believed (see
    /// [`max_server_wait`](Self::max_server_wait)).
    pub(crate) fn server_wait_cap(&self) -> Duration {
        self.max_server_wait
    }

    /// The wait before retry number `retry` (1 for the first retry), or `None` when the
    /// server asked for more than [`max_server_wait`](Self::max_server_wait).
    pub(crate) fn delay(&self, retry: u32, server_wait: Option<Duration>) -> Option<Duration> {
        let cap = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_delay);
        let jittered = cap.mul_f64(fastrand::f64());
        match server_wait {
            Some(wait) if wait > self.max_server_wait => None,
            Some(wait) => Some(jittered.max(wait)),
            None => Some(jittered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_under_a_doubling_cap() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay(1, None).unwrap() <= Duration::from_millis(100));
            assert!(policy.delay(2, None).unwrap() <= Duration::from_millis(200));
            assert!(policy.delay(5, None).unwrap() <= Duration::from_millis(350));
        }
        let spread: std::collections::BTreeSet<_> =
            (0..50).map(|_| policy.delay(3, None).unwrap()).collect();
        assert!(spread.len() > 10, "full jitter spreads the waits");
    }

    #[test]
    fn server_wait_is_a_floor_and_too_long_a_wait_ends_retries() {
        let policy = RetryPolicy::default();
        for _ in 0..50 {
            assert!(
                policy.delay(1, Some(Duration::from_secs(2))).unwrap() >= Duration::from_secs(2)
            );
        }
        assert_eq!(policy.delay(1, Some(Duration::from_secs(61))), None);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}

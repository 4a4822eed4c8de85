//! How slow and how long a file transfer may be: [`TransferPolicy`], and [`Pace`], which
//! tells a transfer that is merely slow from one that has stalled.
//!
//! A server that sends its first bytes and then one byte every few seconds never trips a
//! read timeout, yet never ends. So a transfer's bytes are counted per window (curl's
//! `--speed-limit`/`--speed-time`): a window that carries fewer than the floor's worth
//! ends the attempt as if the connection had broken, and the transfer is resumed or sent
//! again like any broken one. A transfer as a whole is also bounded in time.

use crate::error::TransportError;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Default floor of a transfer's rate, bytes per second: a poor mobile link (tens of KiB/s)
/// passes it many times over; a body that drips a byte at a time does not.
pub const DEFAULT_MIN_RATE: u64 = 1024;

/// Default window the floor is measured over (curl's default `--speed-time`).
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(30);

/// Default bound on one transfer as a whole, from its request to its last byte,
/// resumptions included.
pub const DEFAULT_TRANSFER_TIME: Duration = Duration::from_secs(3600);

/// How slow and how long a file transfer (a download's body, an upload's file) may be.
///
/// A transfer is cut when a window of [`window`](Self::window) carries fewer than
/// `min_rate × window` bytes (at least one), and then resumed or sent again like a broken
/// connection. It fails once [`time_limit`](Self::time_limit) has passed since its first
/// request, whatever its progress. Set on the client
/// ([`ClientBuilder::transfer_policy`](crate::ClientBuilder::transfer_policy)); a call's own
/// `time_limit` replaces the time limit for that call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransferPolicy {
    /// The floor, in bytes per second (default [`DEFAULT_MIN_RATE`]).
    pub min_rate: u64,
    /// The window the floor is measured over (default [`DEFAULT_RATE_WINDOW`]).
    pub window: Duration,
    /// The bound on a transfer as a whole (default [`DEFAULT_TRANSFER_TIME`]).
    pub time_limit: Duration,
}

impl Default for TransferPolicy {
    fn default() -> Self {
        TransferPolicy {
            min_rate: DEFAULT_MIN_RATE,
            window: DEFAULT_RATE_WINDOW,
            time_limit: DEFAULT_TRANSFER_TIME,
        }
    }
}

impl TransferPolicy {
    /// A transfer slower than `bytes_per_second` over a whole `window` counts as stalled.
    /// A zero rate still cuts a transfer that carries nothing for a window; a zero window
    /// counts as one millisecond.
    pub fn min_rate(mut self, bytes_per_second: u64, window: Duration) -> Self {
        self.min_rate = bytes_per_second;
        self.window = window.max(Duration::from_millis(1));
        self
    }

    /// Bounds a transfer as a whole, from its first request to its last byte.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    /// The bytes a window must carry: the floor's worth, and at least one.
    fn bytes_per_window(&self) -> u64 {
        let bytes = self.min_rate as f64 * self.window.as_secs_f64();
        (bytes.ceil() as u64).max(1)
    }
}

/// Where a window that cannot be reached is placed instead (tokio's timers go this far).
const FAR: Duration = Duration::from_secs(365 * 24 * 3600);

/// Counts a transfer's bytes window by window and says when a window fell short.
#[derive(Debug, Clone)]
pub(crate) struct Pace {
    policy: TransferPolicy,
    /// Where the current window began, and the count then.
    window_start: Instant,
    count_at_start: u64,
}

impl Pace {
    /// The first window starts now, at `count`.
    pub(crate) fn start(policy: TransferPolicy, count: u64) -> Pace {
        Pace {
            policy,
            window_start: Instant::now(),
            count_at_start: count,
        }
    }

    /// When the current window ends: a read should not wait past it.
    pub(crate) fn window_end(&self) -> Instant {
        // A window too long to end (a floor set aside) ends in a year.
        self.window_start
            .checked_add(self.policy.window)
            .unwrap_or_else(|| self.window_start + FAR)
    }

    /// Called with the running count whenever a window may have ended: nothing before the
    /// window's end; at or after it, a new window when this one carried enough, else the
    /// shortfall.
    pub(crate) fn check(&mut self, count: u64) -> Result<(), Stalled> {
        let now = Instant::now();
        if now < self.window_end() {
            return Ok(());
        }
        let carried = count.saturating_sub(self.count_at_start);
        if carried < self.policy.bytes_per_window() {
            return Err(Stalled {
                bytes: carried,
                over: now.saturating_duration_since(self.window_start),
                min_rate: self.policy.min_rate,
            });
        }
        self.window_start = now;
        self.count_at_start = count;
        Ok(())
    }
}

/// A window that carried less than the floor: what was seen, for the error's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stalled {
    /// Bytes the window carried.
    pub(crate) bytes: u64,
    /// How long the window lasted.
    pub(crate) over: Duration,
    /// The floor, bytes per second.
    pub(crate) min_rate: u64,
}

impl fmt::Display for Stalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.over.as_secs_f64();
        let rate = if secs > 0.0 {
            self.bytes as f64 / secs
        } else {
            0.0
        };
        write!(
            f,
            "the transfer stalled: {} bytes in {secs:.1}s ({rate:.1} B/s), under the floor of {} B/s",
            self.bytes, self.min_rate
        )
    }
}

/// An upload's progress as its body is sent: bytes handed to the connection, and a signal
/// once all of them were. Shared by the body's stream, which counts, and the attempt's
/// [`watch_upload`], which judges.
#[derive(Debug)]
pub(crate) struct Meter {
    sent: AtomicU64,
    total: u64,
    done: Notify,
}

impl Meter {
    /// A meter for a body of `total` bytes (an empty one is done at once).
    pub(crate) fn new(total: u64) -> Meter {
        let meter = Meter {
            sent: AtomicU64::new(0),
            total,
            done: Notify::new(),
        };
        if total == 0 {
            meter.done.notify_one();
        }
        meter
    }

    /// Counts `bytes` more sent; the last of them signals the end.
    pub(crate) fn add(&self, bytes: u64) {
        let sent = self.sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if sent >= self.total && sent - bytes < self.total {
            self.done.notify_one();
        }
    }

    /// Bytes sent so far.
    pub(crate) fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Whether the whole body was handed to the connection: after that the server may
    /// have it all, and may act on it.
    pub(crate) fn is_done(&self) -> bool {
        self.sent() >= self.total
    }
}

/// Resolves with the error that ends an upload's attempt, and never before it: a window
/// under the policy's floor while the body is being sent, or, once it was all sent, no
/// reply within `reply_timeout`. Raced against the attempt's exchange (the call's deadline
/// bounds both).
pub(crate) async fn watch_upload(
    meter: &Meter,
    policy: TransferPolicy,
    reply_timeout: Duration,
) -> TransportError {
    let mut pace = Pace::start(policy, 0);
    loop {
        match tokio::time::timeout_at(pace.window_end(), meter.done.notified()).await {
            Ok(()) => break,
            Err(_) => {
                if let Err(stalled) = pace.check(meter.sent()) {
                    return TransportError::stalled(None, stalled.to_string());
                }
            }
        }
    }
    tokio::time::sleep(reply_timeout).await;
    TransportError::attempt_timed_out()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(rate: u64, window_ms: u64) -> TransferPolicy {
        TransferPolicy::default().min_rate(rate, Duration::from_millis(window_ms))
    }

    #[test]
    fn a_window_needs_the_floor_and_at_least_a_byte() {
        assert_eq!(policy(1024, 30_000).bytes_per_window(), 30_720);
        assert_eq!(policy(1000, 500).bytes_per_window(), 500);
        assert_eq!(policy(0, 1000).bytes_per_window(), 1);
        assert_eq!(policy(1, 1).bytes_per_window(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn windows_are_judged_at_their_end_only() {
        let mut pace = Pace::start(policy(100, 1000), 0);
        // Mid-window, even with nothing carried: no verdict yet.
        tokio::time::advance(Duration::from_millis(999)).await;
        assert_eq!(pace.check(0), Ok(()));
        // A full window with enough: a new window from here.
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(pace.check(100), Ok(()));
        assert_eq!(pace.window_end(), Instant::now() + Duration::from_secs(1));
        // The next window carries 99 of the 100 it needs.
        tokio::time::advance(Duration::from_secs(1)).await;
        let stalled = pace.check(199).unwrap_err();
        assert_eq!(stalled.bytes, 99);
        assert_eq!(stalled.over, Duration::from_secs(1));
        assert_eq!(
            stalled.to_string(),
            "the transfer stalled: 99 bytes in 1.0s (99.0 B/s), under the floor of 100 B/s"
        );
    }
}

//! Client-side rate limits from the specs: every attempt of a call waits for a slot of its
//! endpoint's documented limit before it is sent, so bulk work stays under the provider's
//! limits instead of reacting to throttled replies.
//!
//! - [`RateLimit`]: a limit as a page states it (per second, per minute, or both), generated
//!   into each endpoint's [`EndpointInfo`](crate::EndpointInfo).
//! - [`RateLimits`]: what a client does with them: off, a fraction of the documented limit
//!   (default [`DEFAULT_FRACTION`]), or explicit numbers per endpoint or limit group.
//! - `Limiter` (`limiter.rs`): the slots of one client (shared by its clones), in process
//!   (`slots.rs`) or, with shared state (feature `redis`), across processes.
//!
//! The algorithm is GCRA without burst: the slots of one key are spaced `interval` apart,
//! where `interval` is the longest `window / allowed` over the windows the page gives. So any
//! window of a documented length holds at most the allowed number of calls, whatever the
//! number of tasks, and a call that finds the key idle goes at once.

mod limiter;
mod slots;

pub(crate) use limiter::Limiter;

use crate::provider::{EndpointLimit, RateLimit};

use std::collections::HashMap;
use std::time::Duration;

/// The share of a documented limit a client uses unless told otherwise: a margin for clock
/// differences and for other clients of the same app.
pub const DEFAULT_FRACTION: f64 = 0.9;

/// The pause after a throttled reply that names no reset time (HTTP 429, Feishu 99991400,
/// DingTalk's QPS code without a header).
pub const DEFAULT_THROTTLE_PAUSE: Duration = Duration::from_secs(1);

/// What a client does with the documented limits. Default: [`DEFAULT_FRACTION`] of each.
///
/// ```
/// use taskapi_runtime::{RateLimit, RateLimits};
/// // 80% of every documented limit, and at most 20 calls a second to one endpoint.
/// let limits = RateLimits::fraction(0.8)
///     .set("feishu.drive.export_task.get", RateLimit::per_second(20));
/// # let _ = limits;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// The share of documented limits used; `None`: documented limits are ignored.
    fraction: Option<f64>,
    /// Explicit limits by endpoint id or limit group, used as given (no fraction).
    explicit: HashMap<String, RateLimit>,
    /// One explicit limit for every endpoint not in `explicit`, each under its own key.
    uniform: Option<RateLimit>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::fraction(DEFAULT_FRACTION)
    }
}

impl RateLimits {
    /// No client-side limit: calls only back off when the provider throttles them.
    pub fn off() -> Self {
        RateLimits {
            fraction: None,
            explicit: HashMap::new(),
            uniform: None,
        }
    }

    /// `fraction` of every documented limit (e.g. 0.5 when two independent clients share
    /// an app). A fraction that is not a positive number turns documented limits off.
    pub fn fraction(fraction: f64) -> Self {
        RateLimits {
            fraction: (fraction.is_finite() && fraction > 0.0).then_some(fraction),
            explicit: HashMap::new(),
            uniform: None,
        }
    }

    /// `limit` for every endpoint (each endpoint or limit group under its own key),
    /// whatever its page documents: e.g. a lower limit set on a test server.
    pub fn uniform(limit: RateLimit) -> Self {
        RateLimits {
            uniform: Some(limit),
            ..RateLimits::off()
        }
    }

    /// An explicit limit for one endpoint id (`feishu.drive.export_task.get`) or limit
    /// group, used as given instead of the documented one (also when documented limits
    /// are off).
    pub fn set(mut self, endpoint_or_group: impl Into<String>, limit: RateLimit) -> Self {
        self.explicit.insert(endpoint_or_group.into(), limit);
        self
    }

    /// The spacing of the slots of an endpoint, and the key they are counted under; `None`
    /// when its calls are not limited.
    pub(crate) fn interval(
        &self,
        id: &'static str,
        documented: Option<&EndpointLimit>,
    ) -> Option<(&'static str, Duration)> {
        let key = documented.map_or(id, |d| d.key);
        // Most clients set no explicit limit: no hashing on every call for them. A limit set
        // for the endpoint alone (by id, in a group) counts under the id: one key, one
        // spacing.
        let explicit = match self.explicit.is_empty() {
            true => None,
            false => (self.explicit.get(key).map(|limit| (key, limit)))
                .or_else(|| self.explicit.get(id).map(|limit| (id, limit))),
        };
        if let Some((key, limit)) = explicit.or(self.uniform.as_ref().map(|limit| (key, limit))) {
            return limit.interval(1.0).map(|i| (key, i));
        }
        let documented = documented?;
        documented.limit.interval(self.fraction?).map(|i| (key, i))
    }

    /// Whether no call can be limited (nothing to look up per call).
    pub(crate) fn is_off(&self) -> bool {
        self.fraction.is_none() && self.explicit.is_empty() && self.uniform.is_none()
    }

    /// Reads the CLI's `--rate-limit`: `off`, a fraction of the documented limits (`0.5`),
    /// or one limit for every endpoint (`20/s`, `100/min`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "off" {
            return Ok(RateLimits::off());
        }
        let bad = || {
            format!(
                "expected off, a fraction of the documented limits like 0.5, or N/s or N/min; got {text:?}"
            )
        };
        if let Some((count, unit)) = text.split_once('/') {
            let count: u32 = count.trim().parse().map_err(|_| bad())?;
            let limit = match unit.trim() {
                "s" => RateLimit::per_second(count),
                "min" => RateLimit::per_minute(count),
                _ => return Err(bad()),
            };
            if count == 0 {
                return Err(bad());
            }
            return Ok(RateLimits::uniform(limit));
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => Ok(RateLimits::fraction(f)),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITED: EndpointLimit = EndpointLimit {
        limit: RateLimit {
            per_second: Some(50),
            per_minute: Some(1000),
        },
        key: "group",
    };

    #[test]
    fn the_strictest_window_sets_the_spacing() {
        // 50/s alone: 20 ms; 1000/min alone: 60 ms; both: 60 ms.
        assert_eq!(
            RateLimit::per_second(50).interval(1.0),
            Some(Duration::from_millis(20))
        );
        assert_eq!(LIMITED.limit.interval(1.0), Some(Duration::from_millis(60)));
        // 0.9 of 100/min: 90 calls a minute, one every 666.7 ms.
        let spacing = RateLimit::per_minute(100).interval(0.9).unwrap();
        assert_eq!(spacing.as_millis(), 666);
    }

    #[test]
    fn nothing_limits_without_a_window_or_with_a_bad_fraction() {
        let none = RateLimit {
            per_second: None,
            per_minute: None,
        };
        assert_eq!(none.interval(1.0), None);
        assert_eq!(RateLimit::per_second(0).interval(1.0), None);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(RateLimit::per_second(5).interval(bad), None, "{bad}");
        }
        assert!(RateLimits::fraction(f64::NAN).is_off());
    }

    #[test]
    fn policies_pick_the_documented_fraction_or_the_explicit_number() {
        let id = "feishu.x.get";
        assert_eq!(
            RateLimits::default().interval(id, Some(&LIMITED)),
            Some(("group", Duration::from_secs_f64(60.0 / 900.0)))
        );
        assert_eq!(RateLimits::off().interval(id, Some(&LIMITED)), None);
        assert_eq!(RateLimits::default().interval(id, None), None);
        // Explicit numbers win, by group or by id, even with documented limits off.
        let by_group = RateLimits::off().set("group", RateLimit::per_second(10));
        assert_eq!(
            by_group.interval(id, Some(&LIMITED)),
            Some(("group", Duration::from_millis(100)))
        );
        let by_id = RateLimits::default().set(id, RateLimit::per_second(4));
        assert_eq!(
            by_id.interval(id, None),
            Some((id, Duration::from_millis(250)))
        );
        // Set by id for an endpoint in a group: its own key, not the group's.
        assert_eq!(
            by_id.interval(id, Some(&LIMITED)),
            Some((id, Duration::from_millis(250)))
        );
        assert!(RateLimits::off().is_off());
        assert!(!by_group.is_off());
        // Uniform: every endpoint, documented or not, under its own key.
        let uniform = RateLimits::uniform(RateLimit::per_second(20));
        assert_eq!(
            uniform.interval(id, Some(&LIMITED)),
            Some(("group", Duration::from_millis(50)))
        );
        assert_eq!(
            uniform.interval(id, None),
            Some((id, Duration::from_millis(50)))
        );
    }

    #[test]
    fn the_cli_flag_reads_off_a_fraction_or_a_uniform_limit() {
        assert_eq!(RateLimits::parse("off"), Ok(RateLimits::off()));
        assert_eq!(RateLimits::parse("0.5"), Ok(RateLimits::fraction(0.5)));
        assert_eq!(
            RateLimits::parse("20/s"),
            Ok(RateLimits::uniform(RateLimit::per_second(20)))
        );
        assert_eq!(
            RateLimits::parse("100/min"),
            Ok(RateLimits::uniform(RateLimit::per_minute(100)))
        );
        for bad in ["", "0", "-1", "nan", "inf", "0/s", "5/h", "x/s", "1/s/s"] {
            let err = RateLimits::parse(bad).expect_err(bad);
            assert!(err.contains("N/s"), "{bad}: {err}");
        }
    }
}

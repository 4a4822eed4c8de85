//! What the fake saw, for tests and benchmarks that check what reached the server: requests
//! and arrival times per route, throttled replies, tokens issued ([`FakeStats`]), in
//! process (`FakeServer::stats`) and over HTTP at [`STATS_PATH`] (for `taskapi serve-fake`
//! in another process).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// `GET` this path of a fake server for its [`FakeStats`] as JSON. No provider's API lives
/// under `/_fake/`, and the request is not counted.
pub const STATS_PATH: &str = "/_fake/stats";

/// Arrival times kept at most, over all routes: 4 MB. Later arrivals are counted in
/// [`FakeStats::arrivals_dropped`], not kept.
pub const MAX_ARRIVALS: usize = 1_000_000;

/// What a fake server saw since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FakeStats {
    /// Requests per route (endpoint id, or `<provider>.token`), throttled ones included.
    pub requests: BTreeMap<String, usize>,
    /// Replies the server's rate limit throttled (see `FakeServer::set_rate_limit`).
    pub throttled: usize,
    /// Tokens the token endpoints issued (scripted token replies not included).
    pub tokens_issued: usize,
    /// When each request of a route arrived, in milliseconds since the server started, in
    /// order of arrival (at most [`MAX_ARRIVALS`] over all routes).
    pub arrivals_ms: BTreeMap<String, Vec<u32>>,
    /// Arrivals not kept once [`MAX_ARRIVALS`] were.
    pub arrivals_dropped: usize,
    /// The server's rate limit, requests per second per route, when it has one.
    pub rate_limit: Option<u32>,
}

/// Arrival times per route, in milliseconds since the server started, bounded in number.
#[derive(Debug, Default)]
pub(super) struct Arrivals {
    pub(super) by_route: HashMap<&'static str, Vec<u32>>,
    kept: usize,
    pub(super) dropped: usize,
}

impl Arrivals {
    pub(super) fn record(&mut self, route: &'static str, at: Duration) {
        if self.kept >= MAX_ARRIVALS {
            self.dropped += 1;
            return;
        }
        self.kept += 1;
        let ms = u32::try_from(at.as_millis()).unwrap_or(u32::MAX);
        self.by_route.entry(route).or_default().push(ms);
    }

    pub(super) fn of(&self, route: &str) -> Vec<Duration> {
        self.by_route
            .get(route)
            .map(|all| {
                all.iter()
                    .map(|ms| Duration::from_millis(u64::from(*ms)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrivals_are_kept_in_milliseconds_up_to_the_cap() {
        let mut arrivals = Arrivals::default();
        arrivals.record("a", Duration::from_micros(1_500));
        arrivals.record("a", Duration::from_secs(2));
        assert_eq!(
            arrivals.of("a"),
            [Duration::from_millis(1), Duration::from_millis(2000)]
        );
        assert!(arrivals.of("b").is_empty());
        arrivals.kept = MAX_ARRIVALS;
        arrivals.record("a", Duration::from_secs(3));
        assert_eq!((arrivals.of("a").len(), arrivals.dropped), (2, 1));
        // Beyond u32 milliseconds (49 days), times saturate rather than wrap.
        let mut arrivals = Arrivals::default();
        arrivals.record("a", Duration::from_secs(u64::MAX / 2));
        assert_eq!(
            arrivals.of("a"),
            [Duration::from_millis(u64::from(u32::MAX))]
        );
    }
}

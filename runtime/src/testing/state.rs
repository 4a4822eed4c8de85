//! What the fake keeps between requests: scripts, counts, tokens issued, the last request
//! of each route, tasks in progress, arrival times and its own rate limit.

use super::download::DEFAULT_DOWNLOAD_NAME;
use super::list::ListPlan;
use super::recorded::Recorded;
use super::reply::Scripted;
use super::responder::Responder;
use super::route::{Route, RouteKind};
use super::stats::{Arrivals, FakeStats};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

pub(super) struct State {
    /// Scripted replies per route id, served in order; the last one repeats.
    pub(super) scripts: HashMap<&'static str, VecDeque<Scripted>>,
    pub(super) requests: HashMap<&'static str, usize>,
    pub(super) tokens_issued: usize,
    pub(super) token_lifetime: i64,
    /// The last request of each route.
    pub(super) last: HashMap<&'static str, Recorded>,
    /// Size of the files download routes serve.
    pub(super) download_size: u64,
    /// Whether downloads accept ranges.
    pub(super) accept_ranges: bool,
    /// The file name downloads give in their `Content-Disposition`; `None`: no header.
    pub(super) download_name: Option<String>,
    /// Polls a started task stays pending for.
    pub(super) pending_polls: u32,
    /// Per poller id: polls left before its task is done.
    pub(super) running: HashMap<&'static str, u32>,
    /// Polls every task a poller is asked about stays pending for, counted per task (its
    /// request's path and query); `None`: only started tasks are pending.
    pub(super) pending_per_task: Option<u32>,
    /// Per poller id and task: polls seen (at most [`MAX_TASKS`] tasks).
    pub(super) task_polls: HashMap<(&'static str, String), u32>,
    /// The server's clock starts here: arrival times and rate-limit windows count from it.
    pub(super) started: Instant,
    /// Requests per second per route the fake answers before throttling; `None`: no limit.
    pub(super) rate_limit: Option<u32>,
    /// Per route: the current 1 s window (its index since `started`) and requests in it.
    pub(super) windows: HashMap<&'static str, (u64, u32)>,
    /// Throttled replies sent by the rate limit.
    pub(super) throttled: usize,
    /// When each request arrived, per route.
    pub(super) arrivals: Arrivals,
    /// The lists paginated routes serve, by route id.
    pub(super) lists: HashMap<&'static str, ListPlan>,
    /// Routes answered by a test's own code, by route id.
    pub(super) responders: HashMap<&'static str, Responder>,
}

impl Default for State {
    fn default() -> Self {
        State {
            scripts: HashMap::new(),
            requests: HashMap::new(),
            tokens_issued: 0,
            token_lifetime: 7200,
            last: HashMap::new(),
            download_size: 34_356,
            accept_ranges: true,
            download_name: Some(DEFAULT_DOWNLOAD_NAME.to_owned()),
            pending_polls: 0,
            running: HashMap::new(),
            pending_per_task: None,
            task_polls: HashMap::new(),
            started: Instant::now(),
            rate_limit: None,
            windows: HashMap::new(),
            throttled: 0,
            arrivals: Arrivals::default(),
            lists: HashMap::new(),
            responders: HashMap::new(),
        }
    }
}

impl State {
    /// Time since the server started, by its clock.
    pub(super) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Counts a request of `route` arriving at `at` (since start) against the rate limit:
    /// `Some(seconds until the window ends, at least 1)` when it is over the limit.
    pub(super) fn over_limit(&mut self, route: &'static Route, at: Duration) -> Option<u32> {
        let limit = self.rate_limit?;
        if matches!(route.kind, RouteKind::Token { .. }) {
            return None;
        }
        let window = at.as_secs();
        let entry = self.windows.entry(route.id).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 <= limit {
            return None;
        }
        self.throttled += 1;
        let left = Duration::from_secs(window + 1).saturating_sub(at);
        Some(
            u32::try_from(left.as_secs_f64().ceil() as u64)
                .unwrap_or(u32::MAX)
                .max(1),
        )
    }
}

impl State {
    /// A snapshot of what the server saw.
    pub(super) fn stats(&self) -> FakeStats {
        FakeStats {
            requests: self
                .requests
                .iter()
                .map(|(route, n)| ((*route).to_owned(), *n))
                .collect(),
            throttled: self.throttled,
            tokens_issued: self.tokens_issued,
            arrivals_ms: self
                .arrivals
                .by_route
                .iter()
                .map(|(route, at)| ((*route).to_owned(), at.clone()))
                .collect(),
            arrivals_dropped: self.arrivals.dropped,
            rate_limit: self.rate_limit,
        }
    }
}

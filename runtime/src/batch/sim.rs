//! Simulated tasks and time for the scheduler's tests: a clock whose sleeps return at once,
//! and tasks that answer a script poll by poll, logging when each poll was made.

use crate::error::{
    ApiError, DecodeError, EndpointError, ErrorCode, Failure, InvalidRequest, TokenError,
    TransportError,
};
use crate::{BatchWaiter, BoxFuture, Clock, Observation, Pollable, WaitDefaults, WaitState};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Simulated time: a sleep returns at once and moves the clock on.
#[derive(Default)]
pub(super) struct SimClock(Mutex<Duration>);

impl SimClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for SimClock {
    fn now(&self) -> Duration {
        *self.0.lock().unwrap()
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.advance(duration);
        Box::pin(async {})
    }
}

#[derive(Debug)]
pub(super) struct SimError(ApiError);

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SimError {}

pub(super) fn api(message: impl Into<String>) -> ApiError {
    ApiError::new(500, ErrorCode::Int(1), message.into(), None)
}

impl EndpointError for SimError {
    fn from_api(error: ApiError) -> Self {
        SimError(error)
    }
    fn from_transport(error: TransportError) -> Self {
        SimError(api(error.to_string()))
    }
    fn from_decode(error: DecodeError) -> Self {
        SimError(api(error.to_string()))
    }
    fn from_invalid_request(error: InvalidRequest) -> Self {
        SimError(api(error.to_string()))
    }
    fn from_token(error: TokenError) -> Self {
        SimError(api(error.to_string()))
    }
    fn failure(&self) -> Failure<'_> {
        Failure::Api(&self.0)
    }
}

/// What a simulated task answers at one poll.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Reply {
    Pending,
    /// A reply without a status: the task's state is unknown.
    NoStatus,
    Done,
    Failed,
    /// A transient error, with the server's wait.
    Transient(Option<Duration>),
    /// An error retrying cannot fix.
    Fatal,
}

/// Every poll of every task: (task, the clock at the poll).
pub(super) type Log = Arc<Mutex<Vec<(usize, Duration)>>>;

/// A task that answers `script[n]` at its n-th poll (the last answer repeats); a poll takes
/// `latency` of simulated time, during which it counts as in flight (with none, it ends at
/// once).
#[derive(Clone)]
pub(super) struct SimTask {
    id: usize,
    script: Arc<Vec<Reply>>,
    /// Polls of this task so far.
    polled: Arc<AtomicUsize>,
    clock: Arc<SimClock>,
    log: Log,
    latency: Duration,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

impl Pollable for SimTask {
    type Data = Reply;
    type Status = u8;
    type Error = SimError;

    fn poll(&self, _time_left: Duration) -> BoxFuture<'_, Result<Reply, SimError>> {
        let now = self.clock.now();
        self.log.lock().unwrap().push((self.id, now));
        let n = self.polled.fetch_add(1, Ordering::SeqCst);
        let reply = self.script.get(n).or(self.script.last()).copied();
        let in_flight = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(in_flight, Ordering::SeqCst);
        let takes_time = !self.latency.is_zero();
        Box::pin(async move {
            // A poll that takes time is in flight across a turn of the scheduler, so polls
            // overlap (one that takes none ends at once: simulated time cannot jump past it).
            let mut yielded = !takes_time;
            std::future::poll_fn(|cx| {
                if yielded {
                    std::task::Poll::Ready(())
                } else {
                    yielded = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
            self.clock.advance(self.latency);
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            match reply.unwrap_or(Reply::Pending) {
                Reply::Transient(wait) => Err(SimError(
                    api("busy").documented("", true).with_retry_after(wait),
                )),
                Reply::Fatal => Err(SimError(api("no permission"))),
                other => Ok(other),
            }
        })
    }

    fn observe(data: &Reply) -> Observation<u8> {
        let (status, state) = match data {
            Reply::Done => (1, WaitState::Succeeded),
            Reply::Failed => (2, WaitState::Failed),
            _ => (0, WaitState::Pending),
        };
        Observation {
            status: (*data != Reply::NoStatus).then_some(status),
            state,
            message: (state == WaitState::Failed).then(|| "why".to_owned()),
            done: None,
            total: None,
        }
    }
}

pub(super) struct Sim {
    pub(super) clock: Arc<SimClock>,
    pub(super) log: Log,
    latency: Duration,
    in_flight: Arc<AtomicUsize>,
    pub(super) most_in_flight: Arc<AtomicUsize>,
}

impl Sim {
    pub(super) fn new(latency: Duration) -> Self {
        Sim {
            clock: Arc::default(),
            log: Arc::default(),
            latency,
            in_flight: Arc::default(),
            most_in_flight: Arc::default(),
        }
    }

    pub(super) fn task(&self, id: usize, script: Vec<Reply>) -> (usize, SimTask) {
        let task = SimTask {
            id,
            script: Arc::new(script),
            polled: Arc::default(),
            clock: self.clock.clone(),
            log: self.log.clone(),
            latency: self.latency,
            in_flight: self.in_flight.clone(),
            most_in_flight: self.most_in_flight.clone(),
        };
        (id, task)
    }

    /// Pending for `n` polls, then `end`.
    pub(super) fn after(&self, id: usize, n: usize, end: Reply) -> (usize, SimTask) {
        let mut script = vec![Reply::Pending; n];
        script.push(end);
        self.task(id, script)
    }

    pub(super) fn polls(&self, id: usize) -> Vec<Duration> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(task, _)| *task == id)
            .map(|(_, at)| *at)
            .collect()
    }

    pub(super) fn batch<I>(&self, tasks: I, delay_secs: u64) -> BatchWaiter<'static, usize, SimTask>
    where
        I: IntoIterator<Item = (usize, SimTask)>,
        I::IntoIter: Send + 'static,
    {
        let delay = Duration::from_secs(delay_secs);
        BatchWaiter::new(tasks, fixed(delay, Duration::from_secs(3600))).clock(self.clock.clone())
    }
}

/// Delays of exactly `delay` (no growth, so no jitter).
pub(super) fn fixed(delay: Duration, max_wait: Duration) -> WaitDefaults {
    WaitDefaults {
        min_delay: delay,
        max_delay: delay,
        max_wait,
    }
}

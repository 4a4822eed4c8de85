//! Waiting for a task to end: poll an endpoint until its status is terminal, with delays
//! that grow with the time waited, within bounds, and the last poll at the deadline.
//!
//! The delay before the next poll is `min_delay + GROWTH × time waited so far`, capped at
//! `max_delay`, jittered down by at most [`JITTER`]. A task that ends is therefore noticed at most
//! `GROWTH × its length + min_delay` later, while long tasks are polled ever more rarely
//! (fewer polls than a fixed interval once a task runs for a minute or so).

use super::error::EndpointError;
use super::future::BoxFuture;
use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

/// The share of the time waited so far that the next delay may add (see the module docs).
pub const GROWTH: f64 = 0.2;

/// How far below its ceiling a delay may be jittered. Enough to keep many waiters from
/// polling in step; small, because every shortened delay is an extra poll.
pub const JITTER: f64 = 0.1;

/// The time a poll made at the deadline gets for its reply. Every wait ends within the
/// maximum wait plus this (and scheduling noise).
pub const LAST_POLL_GRACE: Duration = Duration::from_millis(500);

/// Where a status leaves the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitState {
    /// Not finished (or finished but not ready yet, e.g. no file token).
    Pending,
    /// Finished and usable.
    Succeeded,
    /// Finished without success.
    Failed,
}

/// What one reply says about the task, as the endpoint's spec reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<S> {
    /// The status field; `None` when the reply did not carry one (treated as pending).
    pub status: Option<S>,
    /// What the status (and readiness rule) means.
    pub state: WaitState,
    /// The reply's failure message, when the spec names one.
    pub message: Option<String>,
    /// Items done, when the spec names a progress counter (DingTalk `succCount`).
    pub done: Option<i64>,
    /// Items in all (DingTalk `totalCount`).
    pub total: Option<i64>,
}

impl<S> Observation<S> {
    /// A task whose status is per element of an array (a spec's `status: items[].status`),
    /// from each element's observation: failed once any element failed (that element's
    /// status and message), succeeded once every element succeeded, pending otherwise
    /// (the first pending element's status). With no element at all it is pending with no
    /// status: the task reports nothing yet.
    pub fn of_each(elements: impl IntoIterator<Item = Observation<S>>) -> Self {
        let mut pending = None;
        let mut succeeded = None;
        for element in elements {
            match element.state {
                WaitState::Failed => return element,
                WaitState::Pending => {
                    pending.get_or_insert(element);
                }
                WaitState::Succeeded => {
                    succeeded.get_or_insert(element);
                }
            }
        }
        pending.or(succeeded).unwrap_or(Observation {
            status: None,
            state: WaitState::Pending,
            message: None,
            done: None,
            total: None,
        })
    }
}

/// A request that can be polled: implemented by the generated request types of endpoints
/// whose spec declares a `waiter`.
pub trait Pollable: Clone + Send + Sync {
    /// The decoded reply.
    type Data: Send;
    /// The status enum.
    type Status: Clone + PartialEq + fmt::Debug + Send + Sync;
    /// The endpoint's error.
    type Error: EndpointError;
    /// Sends the request once (with the client's retries), within `time_left`: the
    /// wait's deadline bounds the poll's attempts, retries and server-requested waits.
    fn poll(&self, time_left: Duration) -> BoxFuture<'_, Result<Self::Data, Self::Error>>;
    /// Reads the task's state out of a reply, by the spec's rules.
    fn observe(data: &Self::Data) -> Observation<Self::Status>;
}

/// Per-endpoint defaults from its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitDefaults {
    /// Shortest delay between polls (kept within the endpoint's rate limit).
    pub min_delay: Duration,
    /// Longest delay between polls.
    pub max_delay: Duration,
    /// Give up after this long.
    pub max_wait: Duration,
}

/// How a wait ended, when the task ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitOutcome<T, S> {
    /// The task succeeded; the final reply.
    Succeeded(T),
    /// The task ended without success.
    Failed {
        /// The terminal status (an `Unknown` value when the spec treats unlisted values as
        /// failures).
        status: Option<S>,
        /// The reply's failure message, if any.
        message: Option<String>,
        /// The final reply.
        data: T,
    },
}

/// What awaiting a [`Waiter`] gives.
pub type WaitResult<P> = Result<
    WaitOutcome<<P as Pollable>::Data, <P as Pollable>::Status>,
    WaitError<<P as Pollable>::Error>,
>;

/// Why a wait ended without the task ending.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// A call failed with an error that retrying cannot fix (not found, no permission,
    /// a wrong secret). Transient failures do not end a wait.
    Call(E),
    /// The task was still running when the maximum wait ran out.
    TimedOut {
        /// Time waited.
        elapsed: Duration,
        /// Requests sent to the status endpoint (a poll's own retries not counted).
        polls: u32,
        /// The last transient failure, if the last poll failed.
        last_error: Option<E>,
        /// The last reply carried no status at all: the task's state is unknown (a reply
        /// the spec does not describe, or a wrong endpoint), not merely slow.
        no_status: bool,
    },
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Call(e) => e.fmt(f),
            WaitError::TimedOut {
                elapsed,
                polls,
                last_error,
                no_status,
            } => {
                write!(
                    f,
                    "the task did not end within {:.1}s ({polls} polls)",
                    elapsed.as_secs_f64()
                )?;
                if *no_status {
                    f.write_str(
                        "; the last reply carried no status, so the task's state is unknown \
                         (not merely slow)",
                    )?;
                }
                if let Some(e) = last_error {
                    write!(f, "; last poll failed: {e}")?;
                }
                Ok(())
            }
        }
    }
}

/// The call's error text is part of this one's (as its own `Display` includes its
/// cause's), so `source` passes on the call error's source rather than repeating it.
impl<E: std::error::Error + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call(e) => e.source(),
            WaitError::TimedOut { last_error, .. } => last_error.as_ref().and_then(|e| e.source()),
        }
    }
}

/// What the waiter has seen so far, reported when the status or progress changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress<'a, S> {
    /// Polls so far.
    pub polls: u32,
    /// Time waited so far.
    pub elapsed: Duration,
    /// The status now.
    pub status: Option<&'a S>,
    /// What it means.
    pub state: WaitState,
    /// Items done, if the endpoint counts them.
    pub done: Option<i64>,
    /// Items in all, if the endpoint counts them.
    pub total: Option<i64>,
}

/// Time as the waiter sees it. The default is tokio's clock; tests inject one whose sleeps
/// return at once, so hour-long waits run in milliseconds.
pub trait Clock: Send + Sync {
    /// Time since some fixed start.
    fn now(&self) -> Duration;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// Real time, by tokio.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    start: tokio::time::Instant,
}

impl Default for TokioClock {
    fn default() -> Self {
        TokioClock {
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// What a progress report is about: status, state, done, total. A report is made when it
/// changes (a status can stay the same while its state moves on, e.g. a file token arrives).
type Seen<S> = (Option<S>, WaitState, Option<i64>, Option<i64>);

type ProgressFn<'c, S> = Box<dyn FnMut(&Progress<'_, S>) + Send + 'c>;

/// Polls a request until its task ends. Configure it, then `.await` it. Dropping the future
/// stops the polling.
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<'c, P: Pollable> {
    request: P,
    settings: WaitDefaults,
    on_progress: Option<ProgressFn<'c, P::Status>>,
    clock: Arc<dyn Clock>,
}

impl<P: Pollable> fmt::Debug for Waiter<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("min_delay", &self.settings.min_delay)
            .field("max_delay", &self.settings.max_delay)
            .field("max_wait", &self.settings.max_wait)
            .finish_non_exhaustive()
    }
}

impl<'c, P: Pollable + 'c> Waiter<'c, P> {
    /// A waiter with the endpoint's defaults (used by generated code).
    pub fn new(request: P, defaults: WaitDefaults) -> Self {
        Waiter {
            request,
            settings: defaults,
            on_progress: None,
            clock: Arc::new(TokioClock::default()),
        }
    }

    /// Shortest delay between polls. Going below the spec's default may break the
    /// endpoint's rate limit.
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.settings.min_delay = delay;
        self
    }

    /// Longest delay between polls.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.settings.max_delay = delay;
        self
    }

    /// Give up after this long; the last poll is made at this deadline.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.settings.max_wait = wait;
        self
    }

    /// Called with the first observation and whenever the status, its meaning or the
    /// progress counts change.
    pub fn on_progress(mut self, report: impl FnMut(&Progress<'_, P::Status>) + Send + 'c) -> Self {
        self.on_progress = Some(Box::new(report));
        self
    }

    /// Replaces the clock (for tests and simulations).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Polls until the task ends, a call fails for good, or the maximum wait runs out.
    ///
    /// The deadline bounds everything: each poll gets the time left (a poll at the deadline
    /// gets [`LAST_POLL_GRACE`]), and a server asking for a longer wait than what is left
    /// ends the wait at once.
    pub async fn run(mut self) -> WaitResult<P> {
        let start = self.clock.now();
        let mut polls = 0;
        let mut last_seen: Option<Seen<P::Status>> = None;
        let mut no_status = false;
        loop {
            polls += 1;
            let elapsed = self.clock.now().saturating_sub(start);
            let result = self
                .request
                .poll(self.settings.poll_time(elapsed))
                .await
                .map(|data| {
                    let seen = P::observe(&data);
                    let key = (seen.status.clone(), seen.state, seen.done, seen.total);
                    if last_seen.as_ref() != Some(&key) {
                        tracing::debug!(polls, status = ?seen.status, state = ?seen.state, "task state");
                        if let Some(report) = self.on_progress.as_mut() {
                            report(&Progress {
                                polls,
                                elapsed,
                                status: seen.status.as_ref(),
                                state: seen.state,
                                done: seen.done,
                                total: seen.total,
                            });
                        }
                        last_seen = Some(key);
                    }
                    (data, seen)
                });
            let elapsed = self.clock.now().saturating_sub(start);
            match self
                .settings
                .step::<P>(polls, elapsed, result, &mut no_status)
            {
                Step::Done(result) => return result,
                Step::Again(delay) => self.clock.sleep(delay).await,
            }
        }
    }
}

/// A poll's result as a wait reads it: the reply and what it says about the task, or the
/// error.
pub(crate) type PollSeen<P> =
    Result<(<P as Pollable>::Data, Observation<<P as Pollable>::Status>), <P as Pollable>::Error>;

/// What one poll means for a wait: [`WaitDefaults::step`].
pub(crate) enum Step<P: Pollable> {
    /// The wait is over.
    Done(WaitResult<P>),
    /// Poll again after this long.
    Again(Duration),
}

/// The rules every wait follows, one task ([`Waiter`]) or many (`BatchWaiter`): the delay
/// before the next poll, the time a poll gets, and what a poll's result means.
impl WaitDefaults {
    /// The delay after waiting `elapsed`: `min + GROWTH × elapsed`, at most `max`, jittered
    /// down by up to [`JITTER`] but never below `min`. Saturates: any durations are fine.
    pub(crate) fn delay(&self, elapsed: Duration) -> Duration {
        let max = self.max_delay.max(self.min_delay);
        let ceiling = self
            .min_delay
            .saturating_add(scale(elapsed, GROWTH))
            .min(max);
        let floor = scale(ceiling, 1.0 - JITTER).max(self.min_delay);
        floor.saturating_add(scale(ceiling.saturating_sub(floor), fastrand::f64()))
    }

    /// The time a poll made after waiting `elapsed` gets: what is left of the maximum wait,
    /// and [`LAST_POLL_GRACE`] for a poll at (or past) the deadline.
    pub(crate) fn poll_time(&self, elapsed: Duration) -> Duration {
        self.max_wait.saturating_sub(elapsed).max(LAST_POLL_GRACE)
    }

    /// What a poll's result (the reply and what it says, or the error), seen after waiting
    /// `elapsed` with `polls` polls, means: the end of the wait, or the delay before the
    /// next poll.
    ///
    /// The deadline bounds everything: the last poll is placed at the deadline, and a server
    /// asking for a longer wait than what is left ends the wait at once. Transient failures
    /// do not end it; any other error does.
    ///
    /// `no_status` is the wait's memory of whether the last reply carried no status: a reply
    /// sets it, a failed poll leaves it, so a timeout whose very last poll failed (cut by
    /// the deadline) still says the task's state was never known.
    pub(crate) fn step<P: Pollable>(
        &self,
        polls: u32,
        elapsed: Duration,
        result: PollSeen<P>,
        no_status: &mut bool,
    ) -> Step<P> {
        let mut last_error = None;
        let mut server_wait = None;
        match result {
            Ok((data, seen)) => match seen.state {
                WaitState::Succeeded => return Step::Done(Ok(WaitOutcome::Succeeded(data))),
                WaitState::Failed => {
                    return Step::Done(Ok(WaitOutcome::Failed {
                        status: seen.status,
                        message: seen.message,
                        data,
                    }));
                }
                WaitState::Pending => *no_status = seen.status.is_none(),
            },
            Err(error) if error.failure().is_retryable() => {
                tracing::debug!(polls, error = %error, "poll failed; still waiting");
                server_wait = error.failure().retry_after();
                last_error = Some(error);
            }
            Err(error) => return Step::Done(Err(WaitError::Call(error))),
        }
        let remaining = self.max_wait.saturating_sub(elapsed);
        // A rate limit's reset pushes the next poll out; past the deadline, no poll could be
        // made, so the wait ends now.
        if remaining.is_zero() || server_wait.is_some_and(|wait| wait > remaining) {
            return Step::Done(Err(WaitError::TimedOut {
                elapsed,
                polls,
                last_error,
                no_status: *no_status,
            }));
        }
        let delay = self.delay(elapsed).max(server_wait.unwrap_or_default());
        Step::Again(delay.min(remaining))
    }
}

/// `duration × factor`, saturating instead of panicking on overflow.
fn scale(duration: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

impl<'c, P: Pollable + 'c> IntoFuture for Waiter<'c, P> {
    type Output = WaitResult<P>;
    type IntoFuture = BoxFuture<'c, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg(test)]
mod tests {
    use super::{Observation, WaitState};

    fn element(status: i64, state: WaitState) -> Observation<i64> {
        Observation {
            status: Some(status),
            state,
            message: Some(format!("element {status}")),
            done: None,
            total: None,
        }
    }

    #[test]
    fn the_elements_of_a_task_decide_its_state_together() {
        use WaitState::{Failed, Pending, Succeeded};
        let of = |states: &[WaitState]| {
            let elements = states
                .iter()
                .enumerate()
                .map(|(i, s)| element(i as i64, *s));
            let seen = Observation::of_each(elements);
            (seen.status, seen.state)
        };
        assert_eq!(of(&[]), (None, Pending), "nothing reported yet");
        assert_eq!(of(&[Succeeded, Succeeded]), (Some(0), Succeeded));
        assert_eq!(of(&[Succeeded, Pending]), (Some(1), Pending));
        assert_eq!(
            of(&[Pending, Failed]),
            (Some(1), Failed),
            "any failure ends it"
        );
        assert_eq!(
            of(&[Succeeded, Failed, Failed]),
            (Some(1), Failed),
            "the first"
        );
        let failed = Observation::of_each([element(0, Succeeded), element(1, Failed)]);
        assert_eq!(failed.message.as_deref(), Some("element 1"));
    }
}

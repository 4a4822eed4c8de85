//! [`BatchWaiter`]: the scheduler. Pending tasks live in a slab (key, request, start, polls)
//! with one min-heap entry each for the time their next poll is due; only the polls in
//! flight are futures, in one `FuturesUnordered`; one timer waits for the earliest due poll.

use super::item::{BatchSummary, EndKind, TaskEnded};
use crate::future::BoxFuture;
use crate::waiter::Step;
use crate::{Clock, Pollable, TokioClock, WaitDefaults};
use futures_core::Stream;
use futures_util::stream::{FuturesUnordered, StreamExt as _};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Polls in flight at once unless [`BatchWaiter::max_in_flight`] says otherwise.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

/// Where [`BatchWaiter::new`] takes its tasks from: the iterator, as a boxed stream.
type Source<'c, K, P> = Pin<Box<dyn Stream<Item = (K, P)> + Send + 'c>>;

/// A task between polls (`request` is `None` while a poll of it is in flight: the poll's
/// future owns the request and hands it back).
struct Task<K, P> {
    key: K,
    request: Option<P>,
    /// The clock's time at its first poll.
    start: Duration,
    polls: u32,
    /// The last reply carried no status (see `WaitDefaults::step`).
    no_status: bool,
}

/// When a task's next poll is due; ties go to the task that was scheduled first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Due {
    at: Duration,
    seq: u64,
    slot: usize,
}

/// A poll that came back: the task's slot, its request, the result.
struct Polled<P: Pollable> {
    slot: usize,
    request: P,
    result: Result<P::Data, P::Error>,
}

/// Waits for many tasks of one endpoint with one scheduler, and yields each task as it
/// ends (a [`Stream`] of [`TaskEnded`], in the order the ends are noticed).
///
/// Every task follows the rules of a single [`Waiter`](crate::Waiter), counted from its
/// own first poll: delays that grow with its time waited, its own maximum wait with the last
/// poll at its deadline, transient failures and server-requested waits (a rate limit's
/// reset) as in a single wait. Polls are started in the order they are due, at most
/// [`max_in_flight`](Self::max_in_flight) at once; tasks are taken from the source as
/// there is room, after the polls already due. [`summary`](Self::summary) gives the counts
/// at any time.
///
/// Drive it with [`next`](Self::next) (or any `Stream` combinator): it makes progress only
/// while it is polled. Dropping it stops everything, polls in flight included.
///
/// Generated code builds one per endpoint (`client.wait_many_*`); `new` takes
/// `(key, request)` pairs and the endpoint's defaults (`*_WAIT_DEFAULTS`), `from_stream`
/// a stream of them (e.g. read lazily from a file).
#[must_use = "a batch does nothing until it is polled"]
pub struct BatchWaiter<'c, K, P: Pollable, S = Source<'c, K, P>> {
    source: Option<S>,
    settings: WaitDefaults,
    max_in_flight: usize,
    max_pending: usize,
    clock: Arc<dyn Clock>,
    tasks: Vec<Option<Task<K, P>>>,
    free: Vec<usize>,
    due: BinaryHeap<Reverse<Due>>,
    seq: u64,
    in_flight: FuturesUnordered<BoxFuture<'c, Polled<P>>>,
    /// The timer for the earliest due poll, and the time it waits for.
    timer: Option<(Duration, BoxFuture<'static, ()>)>,
    summary: BatchSummary,
}

// Nothing is pinned structurally: every future and the source are boxed or `Unpin`.
impl<K, P: Pollable, S> Unpin for BatchWaiter<'_, K, P, S> {}

impl<K, P: Pollable, S> fmt::Debug for BatchWaiter<'_, K, P, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWaiter")
            .field("min_delay", &self.settings.min_delay)
            .field("max_delay", &self.settings.max_delay)
            .field("max_wait", &self.settings.max_wait)
            .field("max_in_flight", &self.max_in_flight)
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl<'c, K: Send + 'c, P: Pollable + 'c> BatchWaiter<'c, K, P> {
    /// Waits for the tasks of `(key, request)` pairs with the endpoint's defaults. The
    /// iterator is read as there is room for new tasks, not all at once.
    pub fn new<I>(tasks: I, defaults: WaitDefaults) -> Self
    where
        I: IntoIterator<Item = (K, P)>,
        I::IntoIter: Send + 'c,
    {
        BatchWaiter::from_stream(
            Box::pin(futures_util::stream::iter(tasks)) as Source<'c, K, P>,
            defaults,
        )
    }
}

impl<'c, K, P: Pollable + 'c, S: Stream<Item = (K, P)> + Unpin> BatchWaiter<'c, K, P, S> {
    /// Waits for the tasks a stream of `(key, request)` pairs yields, taken as there is
    /// room; the batch ends when the stream has ended and every task with it.
    pub fn from_stream(tasks: S, defaults: WaitDefaults) -> Self {
        BatchWaiter {
            source: Some(tasks),
            settings: defaults,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            max_pending: usize::MAX,
            clock: Arc::new(TokioClock::default()),
            tasks: Vec::new(),
            free: Vec::new(),
            due: BinaryHeap::new(),
            seq: 0,
            in_flight: FuturesUnordered::new(),
            timer: None,
            summary: BatchSummary::default(),
        }
    }

    /// Shortest delay between two polls of a task. Going below the spec's default may
    /// break the endpoint's rate limit.
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.settings.min_delay = delay;
        self
    }

    /// Longest delay between two polls of a task.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.settings.max_delay = delay;
        self
    }

    /// Each task gives up this long after its first poll; its last poll is made then.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.settings.max_wait = wait;
        self
    }

    /// Polls in flight at once, all tasks together (default [`DEFAULT_MAX_IN_FLIGHT`];
    /// at least 1).
    pub fn max_in_flight(mut self, polls: usize) -> Self {
        self.max_in_flight = polls.max(1);
        self
    }

    /// Tasks started and not ended at once (default: no limit). A new task is taken from
    /// the source only when fewer are pending, which bounds memory for an endless source;
    /// a task's maximum wait counts from its first poll, so waiting for room costs it none.
    pub fn max_pending(mut self, tasks: usize) -> Self {
        self.max_pending = tasks.max(1);
        self
    }

    /// Replaces the clock (for tests and simulations).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The counts so far: ended tasks by kind, pending tasks, polls.
    pub fn summary(&self) -> BatchSummary {
        self.summary
    }

    /// Polls in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The next task to end, or `None` when every task has ended and the source is
    /// exhausted (`StreamExt::next` without importing a trait).
    pub async fn next(&mut self) -> Option<TaskEnded<K, P>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Starts every poll that is due, then polls of new tasks, while there is room; how
    /// many were started.
    fn start_due(&mut self, cx: &mut Context<'_>) -> usize {
        let mut started = 0;
        while self.in_flight.len() < self.max_in_flight {
            let now = self.clock.now();
            if let Some(Reverse(due)) = self.due.peek().copied()
                && due.at <= now
            {
                self.due.pop();
                self.launch(due.slot, now);
                started += 1;
                continue;
            }
            if self.summary.pending >= self.max_pending {
                break;
            }
            let Some(source) = self.source.as_mut() else {
                break;
            };
            match Pin::new(source).poll_next(cx) {
                Poll::Ready(Some((key, request))) => {
                    let slot = self.admit(key, request, now);
                    self.launch(slot, now);
                    started += 1;
                }
                Poll::Ready(None) => self.source = None,
                Poll::Pending => break,
            }
        }
        started
    }

    /// A new task in a free slot.
    fn admit(&mut self, key: K, request: P, now: Duration) -> usize {
        let task = Task {
            key,
            request: Some(request),
            start: now,
            polls: 0,
            no_status: false,
        };
        self.summary.pending += 1;
        match self.free.pop() {
            Some(slot) => {
                self.tasks[slot] = Some(task);
                slot
            }
            None => {
                self.tasks.push(Some(task));
                self.tasks.len() - 1
            }
        }
    }

    /// Starts a poll of the task in `slot`.
    fn launch(&mut self, slot: usize, now: Duration) {
        let Some(task) = self.tasks.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        let Some(request) = task.request.take() else {
            return;
        };
        task.polls += 1;
        self.summary.polls += 1;
        let time_left = self.settings.poll_time(now.saturating_sub(task.start));
        self.in_flight.push(Box::pin(async move {
            let result = request.poll(time_left).await;
            Polled {
                slot,
                request,
                result,
            }
        }));
    }

    /// A poll came back: the task ends, or its next poll is scheduled.
    fn settle(&mut self, polled: Polled<P>) -> Option<TaskEnded<K, P>> {
        let Polled {
            slot,
            request,
            result,
        } = polled;
        let now = self.clock.now();
        let task = self.tasks.get_mut(slot).and_then(Option::as_mut)?;
        let elapsed = now.saturating_sub(task.start);
        let result = result.map(|data| {
            let seen = P::observe(&data);
            (data, seen)
        });
        match self
            .settings
            .step::<P>(task.polls, elapsed, result, &mut task.no_status)
        {
            Step::Again(delay) => {
                task.request = Some(request);
                self.seq += 1;
                self.due.push(Reverse(Due {
                    at: now.saturating_add(delay),
                    seq: self.seq,
                    slot,
                }));
                None
            }
            Step::Done(result) => {
                let task = self.tasks.get_mut(slot).and_then(Option::take)?;
                self.free.push(slot);
                let kind = EndKind::of(&result);
                self.summary.record(kind);
                tracing::debug!(polls = task.polls, ended = %kind, "batch task ended");
                Some(TaskEnded {
                    key: task.key,
                    result,
                    polls: task.polls,
                    elapsed,
                })
            }
        }
    }
}

impl<'c, K, P: Pollable + 'c, S: Stream<Item = (K, P)> + Unpin> Stream
    for BatchWaiter<'c, K, P, S>
{
    type Item = TaskEnded<K, P>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            // Ends first: each is yielded as soon as it is seen.
            if let Poll::Ready(Some(polled)) = this.in_flight.poll_next_unpin(cx) {
                if let Some(ended) = this.settle(polled) {
                    return Poll::Ready(Some(ended));
                }
                continue;
            }
            if this.start_due(cx) > 0 {
                continue;
            }
            if this.in_flight.is_empty() && this.due.is_empty() && this.source.is_none() {
                this.timer = None;
                return Poll::Ready(None);
            }
            // Room for a poll, and the next one is due later: wait for its time (a poll
            // that comes back or a new task wakes this too, by the wakers registered above).
            if this.in_flight.len() < this.max_in_flight
                && let Some(Reverse(due)) = this.due.peek().copied()
            {
                if this.timer.as_ref().map(|(at, _)| *at) != Some(due.at) {
                    let wait = due.at.saturating_sub(this.clock.now());
                    let clock = Arc::clone(&this.clock);
                    this.timer = Some((due.at, Box::pin(async move { clock.sleep(wait).await })));
                }
                if let Some((_, timer)) = this.timer.as_mut()
                    && timer.as_mut().poll(cx).is_ready()
                {
                    this.timer = None;
                    continue;
                }
            }
            return Poll::Pending;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let pending = self.summary.pending;
        match &self.source {
            None => (pending, Some(pending)),
            Some(source) => {
                let (low, high) = source.size_hint();
                (
                    pending.saturating_add(low),
                    high.and_then(|h| h.checked_add(pending)),
                )
            }
        }
    }
}

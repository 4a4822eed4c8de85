//! What a [`BatchWaiter`](super::BatchWaiter) yields ([`TaskEnded`]) and counts
//! ([`BatchSummary`]).

use crate::{Pollable, WaitError, WaitOutcome, WaitResult};
use std::fmt;
use std::time::Duration;

/// One task of a batch that ended, as soon as the batch noticed.
#[non_exhaustive]
pub struct TaskEnded<K, P: Pollable> {
    /// The key the task was given with.
    pub key: K,
    /// How it ended: as a single wait ends ([`WaitOutcome`] when the task ended, a
    /// [`WaitError`] when it timed out or could not be polled).
    pub result: WaitResult<P>,
    /// Polls of this task (a poll's own retries not counted).
    pub polls: u32,
    /// From its first poll to the end.
    pub elapsed: Duration,
}

impl<K, P: Pollable> TaskEnded<K, P> {
    /// Which of the four ways it ended.
    pub fn kind(&self) -> EndKind {
        EndKind::of(&self.result)
    }
}

impl<K: fmt::Debug, P: Pollable> fmt::Debug for TaskEnded<K, P>
where
    P::Data: fmt::Debug,
    P::Error: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskEnded")
            .field("key", &self.key)
            .field("result", &self.result)
            .field("polls", &self.polls)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// The four ways a task of a batch ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndKind {
    /// The task succeeded ([`WaitOutcome::Succeeded`]).
    Succeeded,
    /// The task ended without success ([`WaitOutcome::Failed`]).
    Failed,
    /// Still running at its maximum wait ([`WaitError::TimedOut`]).
    TimedOut,
    /// A poll failed with an error that retrying cannot fix ([`WaitError::Call`]).
    Error,
}

impl EndKind {
    /// The kind of a wait's result.
    pub fn of<T, S, E>(result: &Result<WaitOutcome<T, S>, WaitError<E>>) -> Self {
        match result {
            Ok(WaitOutcome::Succeeded(_)) => EndKind::Succeeded,
            Ok(WaitOutcome::Failed { .. }) => EndKind::Failed,
            Err(WaitError::TimedOut { .. }) => EndKind::TimedOut,
            Err(WaitError::Call(_)) => EndKind::Error,
        }
    }

    /// Its name in snake case: `succeeded`, `failed`, `timed_out`, `error` (the CLI's
    /// `outcome` field).
    pub fn as_str(self) -> &'static str {
        match self {
            EndKind::Succeeded => "succeeded",
            EndKind::Failed => "failed",
            EndKind::TimedOut => "timed_out",
            EndKind::Error => "error",
        }
    }
}

impl fmt::Display for EndKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A batch's counts so far ([`BatchWaiter::summary`](super::BatchWaiter::summary)): tasks
/// ended each way, tasks started and not ended, polls sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchSummary {
    /// Tasks that succeeded.
    pub succeeded: usize,
    /// Tasks that ended without success.
    pub failed: usize,
    /// Tasks still running at their maximum wait.
    pub timed_out: usize,
    /// Tasks that could not be polled (an error that retrying cannot fix).
    pub errors: usize,
    /// Tasks taken from the source and not ended yet (polled at least once, or being polled).
    pub pending: usize,
    /// Polls started so far, all tasks together (a poll's own retries not counted).
    pub polls: u64,
}

impl BatchSummary {
    /// Tasks ended, all kinds together.
    pub fn ended(&self) -> usize {
        self.succeeded + self.failed + self.timed_out + self.errors
    }

    /// Tasks ended of one kind.
    pub fn count(&self, kind: EndKind) -> usize {
        match kind {
            EndKind::Succeeded => self.succeeded,
            EndKind::Failed => self.failed,
            EndKind::TimedOut => self.timed_out,
            EndKind::Error => self.errors,
        }
    }

    pub(super) fn record(&mut self, kind: EndKind) {
        self.pending = self.pending.saturating_sub(1);
        match kind {
            EndKind::Succeeded => self.succeeded += 1,
            EndKind::Failed => self.failed += 1,
            EndKind::TimedOut => self.timed_out += 1,
            EndKind::Error => self.errors += 1,
        }
    }
}

impl fmt::Display for BatchSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} succeeded, {} failed, {} timed out, {} errors, {} pending, {} polls",
            self.succeeded, self.failed, self.timed_out, self.errors, self.pending, self.polls
        )
    }
}

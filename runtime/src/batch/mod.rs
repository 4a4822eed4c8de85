//! Waiting for many tasks of one endpoint at once: [`BatchWaiter`], one scheduler for any
//! number of tasks, whose ended tasks come out as a [`Stream`](futures_core::Stream) in the
//! order they end.
//!
//! Each task follows the rules of a single [`Waiter`](crate::Waiter): delays of
//! `min + GROWTH × its time waited` (capped, jittered), its own maximum wait with the last
//! poll at its deadline, transient failures and server-requested waits as in a single wait.
//! The batch adds a schedule: every pending task sits in one min-heap by the time its next
//! poll is due, polls are started in that order with at most
//! [`max_in_flight`](BatchWaiter::max_in_flight) at once (the client's rate limiter, which
//! every poll goes through, bounds their rate), and new tasks are taken from the source as
//! there is room. A pending task is its key, its request and a few numbers: no spawned task
//! and no future of its own until a poll of it is in flight.

// `item.rs`: what the stream yields and the running counts; `waiter.rs`: the scheduler;
// `tests.rs`: its unit tests, on the simulated tasks and time of `sim.rs`.
mod item;
mod waiter;

#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;

pub use item::{BatchSummary, EndKind, TaskEnded};
pub use waiter::{BatchWaiter, DEFAULT_MAX_IN_FLIGHT};

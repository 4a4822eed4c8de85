//! The limiter of one client (shared by its clones): looks up an endpoint's interval by the
//! client's [`RateLimits`], takes a slot (from the shared state when there is one, else in
//! process), and waits for it in a `taskapi.throttle` span.

use super::slots::Slots;
use super::{DEFAULT_THROTTLE_PAUSE, RateLimits};
use crate::provider::EndpointInfo;
use crate::shared::SharedState;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// Which slots an endpoint's calls take: its key and their spacing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    endpoint: &'static str,
    key: &'static str,
    interval: Duration,
}

/// The next slot comes after the call's deadline.
#[derive(Debug)]
pub(crate) struct SlotAfterDeadline;

#[derive(Debug)]
pub(crate) struct Limiter {
    policy: RateLimits,
    slots: Slots,
    shared: Option<Shared>,
}

/// The shared state and the app's scope in it.
#[derive(Debug)]
struct Shared {
    state: Arc<dyn SharedState>,
    scope: String,
    /// Set once a failure of the shared state has been logged: one warning per client, not
    /// one per call.
    warned: AtomicBool,
}

impl Limiter {
    pub(crate) fn new(policy: RateLimits, shared: Option<(Arc<dyn SharedState>, String)>) -> Self {
        Limiter {
            policy,
            slots: Slots::default(),
            shared: shared.map(|(state, scope)| Shared {
                state,
                scope,
                warned: AtomicBool::new(false),
            }),
        }
    }

    /// The slot `endpoint`'s calls take, if they are limited: a check without awaiting, so
    /// that the call's future holds the waiting only for endpoints that need it.
    pub(crate) fn slot_of(&self, endpoint: &EndpointInfo) -> Option<Slot> {
        if self.policy.is_off() {
            return None;
        }
        let (key, interval) = self
            .policy
            .interval(endpoint.id, endpoint.rate_limit.as_ref())?;
        Some(Slot {
            endpoint: endpoint.id,
            key,
            interval,
        })
    }

    /// Waits for the next `slot`; returns the time waited. A slot after `deadline` is
    /// neither waited for nor taken: `Err(SlotAfterDeadline)` at once, and the callers
    /// after it keep their places.
    pub(crate) async fn acquire(
        &self,
        slot: Slot,
        deadline: Option<Instant>,
    ) -> Result<Duration, SlotAfterDeadline> {
        let Slot {
            endpoint,
            key,
            interval,
        } = slot;
        let max_wait = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let Some(wait) = self.reserve(key, interval, max_wait).await else {
            return Err(SlotAfterDeadline);
        };
        if !wait.is_zero() {
            let span = tracing::info_span!(
                "taskapi.throttle",
                endpoint,
                key,
                waited_ms = wait.as_millis() as u64
            );
            tokio::time::sleep(wait).instrument(span).await;
        }
        Ok(wait)
    }

    /// The provider throttled a call of `endpoint`: no slot of its key for the reset period
    /// (`reset`, or [`DEFAULT_THROTTLE_PAUSE`] when the reply named none), in every process
    /// sharing the state.
    pub(crate) async fn throttled(&self, endpoint: &EndpointInfo, reset: Option<Duration>) {
        if self.policy.is_off() {
            return;
        }
        let Some((key, _)) = self
            .policy
            .interval(endpoint.id, endpoint.rate_limit.as_ref())
        else {
            return;
        };
        let pause = reset.unwrap_or(DEFAULT_THROTTLE_PAUSE);
        tracing::debug!(
            endpoint = endpoint.id,
            pause_ms = pause.as_millis() as u64,
            "throttled: pausing the limiter"
        );
        self.slots.pause(key, pause, Instant::now());
        if let Some(shared) = &self.shared
            && let Err(e) = shared.state.pause_slots(&shared.scope, key, pause).await
        {
            shared.warn_once(&e);
        }
    }

    /// The wait for the next slot of `key`; `None` (nothing taken) when it is further away
    /// than `max_wait`.
    async fn reserve(
        &self,
        key: &'static str,
        interval: Duration,
        max_wait: Option<Duration>,
    ) -> Option<Duration> {
        if let Some(shared) = &self.shared {
            match shared
                .state
                .reserve_slot(&shared.scope, key, interval, max_wait)
                .await
            {
                Ok(wait) => return wait,
                Err(e) => shared.warn_once(&e),
            }
        }
        self.slots.reserve(key, interval, max_wait, Instant::now())
    }
}

impl Shared {
    fn warn_once(&self, error: &dyn std::fmt::Display) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(%error, "rate limits fall back to this process's own state");
        }
    }
}

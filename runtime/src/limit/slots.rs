//! In-process slots: for each key, when its next slot is free (GCRA's theoretical arrival
//! time). Reserving takes the next slot and moves it on by the key's interval, so callers
//! are served in the order they asked, each told how long to wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Default)]
pub(super) struct Slots {
    next: Mutex<HashMap<&'static str, Instant>>,
}

impl Slots {
    fn next(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Instant>> {
        self.next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes the next slot of `key`, `interval` after the one before; returns the wait
    /// until it from `now` (zero for a key that has been idle for an interval). A slot
    /// more than `max_wait` away is not taken: `None`, and the key is left as it was.
    pub(super) fn reserve(
        &self,
        key: &'static str,
        interval: Duration,
        max_wait: Option<Duration>,
        now: Instant,
    ) -> Option<Duration> {
        let mut next = self.next();
        let free = next.entry(key).or_insert(now);
        let slot = (*free).max(now);
        if max_wait.is_some_and(|max| slot - now > max) {
            return None;
        }
        *free = slot + interval;
        Some(slot - now)
    }

    /// No slot of `key` before `now + pause` (a throttled reply).
    pub(super) fn pause(&self, key: &'static str, pause: Duration, now: Instant) {
        let mut next = self.next();
        let free = next.entry(key).or_insert(now);
        *free = (*free).max(now + pause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn callers_are_spaced_by_the_interval_in_the_order_they_asked() {
        let slots = Slots::default();
        let t0 = Instant::now();
        let waits: Vec<Duration> = (0..5)
            .map(|_| slots.reserve("k", 100 * MS, None, t0).unwrap())
            .collect();
        assert_eq!(waits, [0, 100, 200, 300, 400].map(|n| n * MS));
        // Another key is independent.
        assert_eq!(
            slots.reserve("other", 100 * MS, None, t0).unwrap(),
            Duration::ZERO
        );
        // Idle for long: the next call goes at once, and no burst builds up.
        let later = t0 + 10 * 1000 * MS;
        assert_eq!(
            slots.reserve("k", 100 * MS, None, later).unwrap(),
            Duration::ZERO
        );
        assert_eq!(slots.reserve("k", 100 * MS, None, later).unwrap(), 100 * MS);
    }

    #[test]
    fn any_window_holds_at_most_its_limit() {
        // 20 calls a second, 1000 callers at once: the slots of every 1 s window.
        let slots = Slots::default();
        let t0 = Instant::now();
        let at: Vec<Duration> = (0..1000)
            .map(|_| slots.reserve("k", 50 * MS, None, t0).unwrap())
            .collect();
        for (i, start) in at.iter().enumerate() {
            let in_window = at[i..]
                .iter()
                .take_while(|t| **t < *start + 1000 * MS)
                .count();
            assert!(
                in_window <= 20,
                "{in_window} calls in the second from {start:?}"
            );
        }
    }

    #[test]
    fn a_caller_that_cannot_wait_for_its_slot_takes_none() {
        let slots = Slots::default();
        let t0 = Instant::now();
        assert_eq!(slots.reserve("k", 100 * MS, None, t0), Some(Duration::ZERO));
        // The next slot is 100 ms away: too far for 50 ms, however often it is asked.
        for _ in 0..20 {
            assert_eq!(slots.reserve("k", 100 * MS, Some(50 * MS), t0), None);
        }
        // Nothing was pushed out: the next caller that can wait gets the next slot.
        assert_eq!(
            slots.reserve("k", 100 * MS, Some(100 * MS), t0),
            Some(100 * MS)
        );
    }

    #[test]
    fn a_pause_pushes_the_next_slot_out_and_never_pulls_it_in() {
        let slots = Slots::default();
        let t0 = Instant::now();
        slots.pause("k", 2000 * MS, t0);
        assert_eq!(slots.reserve("k", 100 * MS, None, t0).unwrap(), 2000 * MS);
        // A shorter pause than what is already reserved changes nothing.
        slots.pause("k", 10 * MS, t0);
        assert_eq!(slots.reserve("k", 100 * MS, None, t0).unwrap(), 2100 * MS);
    }
}

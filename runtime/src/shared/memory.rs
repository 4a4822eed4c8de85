//! A [`SharedState`] in memory, for the unit tests of the token protocol: what Redis does,
//! with expiries, and a switch that makes every operation fail.

use super::{SharedState, SharedStateError, StoredToken, TokenLock};
use crate::future::BoxFuture;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Default)]
pub(super) struct MemoryState {
    /// Values by key, with when they expire.
    values: Mutex<HashMap<String, (Vec<u8>, Instant)>>,
    pub(super) failing: AtomicBool,
    owners: AtomicUsize,
}

impl MemoryState {
    fn check(&self) -> Result<(), SharedStateError> {
        if self.failing.load(Ordering::Relaxed) {
            Err(SharedStateError::new("memory store switched off"))
        } else {
            Ok(())
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<(Vec<u8>, Duration)> {
        let now = Instant::now();
        let mut values = self.values.lock().unwrap();
        values.retain(|_, (_, expires)| *expires > now);
        values
            .get(key)
            .map(|(v, expires)| (v.clone(), *expires - now))
    }

    pub(super) fn set(&self, key: &str, value: &[u8], ttl: Duration) {
        let expires = Instant::now() + ttl;
        self.values
            .lock()
            .unwrap()
            .insert(key.to_owned(), (value.to_vec(), expires));
    }

    pub(super) fn values_clear(&self) {
        self.values.lock().unwrap().clear();
    }

    fn delete_if_equal(&self, key: &str, value: &[u8]) {
        if self.get(key).is_some_and(|(v, _)| v == value) {
            self.values.lock().unwrap().remove(key);
        }
    }
}

pub(super) fn token_key(scope: &str) -> String {
    format!("{scope}:token")
}

pub(super) fn lock_key(scope: &str) -> String {
    format!("{scope}:lock")
}

impl SharedState for MemoryState {
    fn reserve_slot<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: Duration,
        _: Option<Duration>,
    ) -> BoxFuture<'a, Result<Option<Duration>, SharedStateError>> {
        Box::pin(async { Err(SharedStateError::new("no slots here")) })
    }

    fn pause_slots<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async { Err(SharedStateError::new("no slots here")) })
    }

    fn shared_token<'a>(
        &'a self,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, SharedStateError>> {
        Box::pin(async move {
            self.check()?;
            Ok(self
                .get(&token_key(scope))
                .map(|(sealed, fresh_for)| StoredToken { sealed, fresh_for }))
        })
    }

    fn lock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        expiry: Duration,
    ) -> BoxFuture<'a, Result<Option<TokenLock>, SharedStateError>> {
        Box::pin(async move {
            self.check()?;
            if self.get(&lock_key(scope)).is_some() {
                return Ok(None);
            }
            let owner = format!("owner-{}", self.owners.fetch_add(1, Ordering::Relaxed));
            self.set(&lock_key(scope), owner.as_bytes(), expiry);
            Ok(Some(TokenLock::new(owner)))
        })
    }

    fn store_token<'a>(
        &'a self,
        scope: &'a str,
        lock: &'a TokenLock,
        sealed: &'a [u8],
        fresh_for: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            self.check()?;
            self.set(&token_key(scope), sealed, fresh_for);
            self.delete_if_equal(&lock_key(scope), lock.owner().as_bytes());
            Ok(())
        })
    }

    fn unlock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        lock: &'a TokenLock,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            self.check()?;
            self.delete_if_equal(&lock_key(scope), lock.owner().as_bytes());
            Ok(())
        })
    }

    fn invalidate_token<'a>(
        &'a self,
        scope: &'a str,
        sealed: &'a [u8],
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            self.check()?;
            self.delete_if_equal(&token_key(scope), sealed);
            Ok(())
        })
    }
}

//! The token protocol a `ManagedToken` runs on a [`SharedState`] (feature `redis`): one
//! fetch per refresh across every process of an app.
//!
//! On a cache miss (behind the in-process single flight, so one caller per process): read
//! the stored token; if there is none, take the fetch lock and fetch (after reading again:
//! the holder before may have just stored one), then store the token sealed and release
//! the lock in one step; if another process holds the lock, poll for its token every
//! [`POLL`] until the lock could be taken (its holder finished without a token, or died and
//! its lock expired). A refused token is deleted from the store if it is still the one
//! stored, so every process fetches anew and none deletes a newer one.
//!
//! When the store fails, the caller fetches on its own, and one warning per `ManagedToken`
//! is logged; a token fetched under the lock is kept even when storing it fails.

use super::seal::TokenSeal;
use super::{SharedState, SharedStateError, TokenLock};
use crate::error::TokenError;
use crate::token::AccessToken;
use crate::token::MAX_TOKEN_LIFETIME;
use crate::token::Obtained;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// How often a process waiting for another's fetch reads the store.
pub(crate) const POLL: Duration = Duration::from_millis(25);

/// One app's tokens in a shared store.
pub(crate) struct SharedTokens {
    state: Arc<dyn SharedState>,
    scope: String,
    seal: TokenSeal,
    /// Set once a failure of the store has been logged.
    warned: AtomicBool,
    /// The token this process has from the store, as stored (sealed), to invalidate it.
    held: Mutex<Option<(AccessToken, Vec<u8>)>>,
    /// A refused token (sealed) to delete from the store before the next read.
    refused: Mutex<Option<Vec<u8>>>,
}

impl fmt::Debug for SharedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedTokens")
            .field("state", &self.state)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SharedTokens {
    /// The tokens of the app with this secret (used only to derive the sealing key) in
    /// `state` under `scope`.
    pub(crate) fn new(state: Arc<dyn SharedState>, scope: String, app_secret: &str) -> Self {
        SharedTokens {
            state,
            scope,
            seal: TokenSeal::new(app_secret),
            warned: AtomicBool::new(false),
            held: Mutex::new(None),
            refused: Mutex::new(None),
        }
    }

    /// A token: the stored one, or one `fetch`ed by this process under the lock (or by the
    /// lock's holder, waited for). `fetch` runs at most once; when the store fails before
    /// it ran, it runs without the store. `lock_expiry` bounds how long a lock is held and
    /// how long this process waits for another's.
    pub(crate) async fn obtain<F, Fut>(
        &self,
        lock_expiry: Duration,
        fetch: F,
    ) -> Result<Obtained, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Obtained, TokenError>>,
    {
        let mut fetch = Some(fetch);
        match self.through_store(lock_expiry, &mut fetch).await {
            Ok(outcome) => outcome,
            Err(error) => {
                self.warn_once(&error);
                match fetch.take() {
                    Some(fetch) => fetch().await,
                    // `through_store` returns an error only before fetching.
                    None => Err(TokenError::other(error.to_string())),
                }
            }
        }
    }

    /// The provider refused `stale`: if it is the token this process has from the store,
    /// the store forgets it before this process reads it again.
    pub(crate) fn refused(&self, stale: &AccessToken) {
        if let Some((token, sealed)) = lock(&self.held).as_ref()
            && token == stale
        {
            *lock(&self.refused) = Some(sealed.clone());
        }
    }

    async fn through_store<F, Fut>(
        &self,
        lock_expiry: Duration,
        fetch: &mut Option<F>,
    ) -> Result<Result<Obtained, TokenError>, SharedStateError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Obtained, TokenError>>,
    {
        let refused = lock(&self.refused).take();
        if let Some(sealed) = refused {
            self.state.invalidate_token(&self.scope, &sealed).await?;
        }
        let give_up = Instant::now() + lock_expiry;
        loop {
            if let Some(obtained) = self.read().await? {
                return Ok(Ok(obtained));
            }
            if let Some(taken) = self
                .state
                .lock_token_fetch(&self.scope, lock_expiry)
                .await?
            {
                return Ok(self.fetch_locked(taken, fetch).await);
            }
            if Instant::now() >= give_up {
                // The holder neither stored a token nor let its lock expire (a lock set
                // without expiry?): fetch for this process alone.
                tracing::debug!(scope = %self.scope, "the token fetch lock outlived its expiry");
                return Ok(match fetch.take() {
                    Some(fetch) => fetch().await,
                    None => Err(TokenError::other("the token fetch ran already")),
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fetches holding the lock, stores the token and releases the lock. Dropped before
    /// that (a call's time limit, a caller gone), it releases the lock in a task of its own
    /// rather than leave every process waiting for the lock's expiry.
    async fn fetch_locked<F, Fut>(
        &self,
        taken: TokenLock,
        fetch: &mut Option<F>,
    ) -> Result<Obtained, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Obtained, TokenError>>,
    {
        let mut held = HeldLock {
            state: self.state.clone(),
            scope: self.scope.clone(),
            lock: Some(taken.clone()),
        };
        // The holder before may have stored its token and released the lock between this
        // process's read and its lock.
        match self.read().await {
            Ok(Some(obtained)) => {
                self.unlock(&mut held, &taken).await;
                return Ok(obtained);
            }
            Ok(None) => {}
            Err(error) => self.warn_once(&error),
        }
        let Some(fetch) = fetch.take() else {
            self.unlock(&mut held, &taken).await;
            return Err(TokenError::other("the token fetch ran already"));
        };
        let result = fetch().await;
        // A token for one use only (no freshness) is not shared; nor is a failure.
        let sealed = match &result {
            Ok(Obtained {
                token,
                fresh_for: Some(fresh_for),
            }) => self
                .seal
                .seal(&self.scope, token)
                .map(|sealed| (token, sealed, *fresh_for)),
            _ => None,
        };
        match sealed {
            Some((token, sealed, fresh_for)) => {
                match self
                    .state
                    .store_token(&self.scope, &taken, &sealed, fresh_for)
                    .await
                {
                    Ok(()) => {
                        held.disarm();
                        *lock(&self.held) = Some((token.clone(), sealed));
                    }
                    Err(error) => self.warn_once(&error),
                }
            }
            None => self.unlock(&mut held, &taken).await,
        }
        result
    }

    /// The stored token, if there is one this app's key opens (anything else is absent).
    async fn read(&self) -> Result<Option<Obtained>, SharedStateError> {
        let Some(stored) = self.state.shared_token(&self.scope).await? else {
            return Ok(None);
        };
        let Some(token) = self.seal.open(&self.scope, &stored.sealed) else {
            return Ok(None);
        };
        *lock(&self.held) = Some((token.clone(), stored.sealed));
        Ok(Some(Obtained {
            token,
            fresh_for: Some(stored.fresh_for.min(MAX_TOKEN_LIFETIME)),
        }))
    }

    /// Releases `taken`; once released, `held` has nothing left to release.
    async fn unlock(&self, held: &mut HeldLock, taken: &TokenLock) {
        match self.state.unlock_token_fetch(&self.scope, taken).await {
            Ok(()) => held.disarm(),
            Err(error) => self.warn_once(&error),
        }
    }

    fn warn_once(&self, error: &SharedStateError) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(%error, "tokens fall back to this process's own cache");
        }
    }
}

/// The fetch lock while this process holds it. Dropped still armed (the future holding it
/// was dropped mid-fetch, or storing or releasing failed), it releases the lock in a task
/// on the current runtime, if there is one; a lock another holder took since is left alone.
struct HeldLock {
    state: Arc<dyn SharedState>,
    scope: String,
    lock: Option<TokenLock>,
}

impl HeldLock {
    /// The lock was released (or handed over with the token): nothing to do on drop.
    fn disarm(&mut self) {
        self.lock = None;
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        let Some(taken) = self.lock.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to release it on: the lock expires on its own.
            return;
        };
        let (state, scope) = (self.state.clone(), std::mem::take(&mut self.scope));
        runtime.spawn(async move {
            if let Err(error) = state.unlock_token_fetch(&scope, &taken).await {
                tracing::debug!(%error, "releasing an abandoned token fetch lock failed");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::memory::{MemoryState, lock_key, token_key};
    use super::*;
    use std::sync::atomic::AtomicUsize;

    const SCOPE: &str = "feishu:0123456789abcdef";
    const EXPIRY: Duration = Duration::from_secs(5);

    /// A process's view: its own `SharedTokens` on the common store.
    fn process(store: &Arc<MemoryState>) -> SharedTokens {
        SharedTokens::new(store.clone(), SCOPE.to_owned(), "app-secret")
    }

    /// A fetch that counts, takes `delay`, and issues `t-<n>`.
    async fn fetch(fetches: &AtomicUsize, delay: Duration) -> Result<Obtained, TokenError> {
        let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(delay).await;
        Ok(Obtained {
            token: AccessToken::new(format!("t-{n}")),
            fresh_for: Some(Duration::from_secs(60)),
        })
    }

    async fn obtain(p: &SharedTokens, fetches: &AtomicUsize) -> AccessToken {
        p.obtain(EXPIRY, || fetch(fetches, Duration::from_millis(100)))
            .await
            .unwrap()
            .token
    }

    #[tokio::test]
    async fn processes_share_one_fetch_and_the_store_holds_it_sealed() {
        let store = Arc::new(MemoryState::default());
        let fetches = AtomicUsize::new(0);
        let processes: Vec<_> = (0..5).map(|_| process(&store)).collect();
        let tokens = futures_join(processes.iter().map(|p| obtain(p, &fetches)).collect()).await;
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert!(tokens.iter().all(|t| t.expose() == "t-1"));
        let (sealed, _) = store.get(&token_key(SCOPE)).unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("t-1"));
        assert!(
            store.get(&lock_key(SCOPE)).is_none(),
            "the lock is released"
        );
    }

    #[tokio::test]
    async fn a_refused_token_is_forgotten_for_all_but_a_newer_one_is_kept() {
        let store = Arc::new(MemoryState::default());
        let fetches = AtomicUsize::new(0);
        let (a, b) = (process(&store), process(&store));
        let old = obtain(&a, &fetches).await;
        assert_eq!(obtain(&b, &fetches).await, old);
        b.refused(&old);
        let new = obtain(&b, &fetches).await;
        assert_eq!((new.expose(), fetches.load(Ordering::SeqCst)), ("t-2", 2));
        // A learns of the refusal late: its compare-and-delete leaves B's new token.
        a.refused(&old);
        assert_eq!(obtain(&a, &fetches).await, new);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failing_store_means_one_fetch_of_ones_own() {
        let store = Arc::new(MemoryState::default());
        store.failing.store(true, Ordering::Relaxed);
        let fetches = AtomicUsize::new(0);
        let p = process(&store);
        assert_eq!(obtain(&p, &fetches).await.expose(), "t-1");
        assert_eq!(obtain(&p, &fetches).await.expose(), "t-2");
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            2,
            "once per obtain, never twice"
        );
    }

    #[tokio::test]
    async fn a_dead_holders_lock_delays_the_fetch_until_it_expires() {
        let store = Arc::new(MemoryState::default());
        store.set(&lock_key(SCOPE), b"crashed", Duration::from_millis(200));
        let fetches = AtomicUsize::new(0);
        let started = Instant::now();
        let token = obtain(&process(&store), &fetches).await;
        assert_eq!((token.expose(), fetches.load(Ordering::SeqCst)), ("t-1", 1));
        assert!(started.elapsed() >= Duration::from_millis(200));
    }

    #[tokio::test]
    async fn a_fetch_dropped_under_the_lock_releases_it_at_once() {
        let store = Arc::new(MemoryState::default());
        let fetches = AtomicUsize::new(0);
        // The fetch never ends; the caller gives up (a call's time limit) and drops it.
        let abandoned = process(&store);
        let gave_up = tokio::time::timeout(
            Duration::from_millis(50),
            abandoned.obtain(EXPIRY, std::future::pending),
        )
        .await;
        assert!(gave_up.is_err(), "the fetch never ends");
        // The release runs in a task of its own: once it ran, the lock is free.
        tokio::task::yield_now().await;
        assert!(
            store.get(&lock_key(SCOPE)).is_none(),
            "the dropped fetch released its lock"
        );
        // Another process takes the lock at once, not after its expiry (5 s).
        let started = Instant::now();
        assert_eq!(obtain(&process(&store), &fetches).await.expose(), "t-1");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn foreign_bytes_and_other_secrets_count_as_no_token() {
        let store = Arc::new(MemoryState::default());
        store.set(&token_key(SCOPE), b"garbage", Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        assert_eq!(obtain(&process(&store), &fetches).await.expose(), "t-1");
        let other = SharedTokens::new(store.clone(), SCOPE.to_owned(), "another-secret");
        assert_eq!(obtain(&other, &fetches).await.expose(), "t-2");
        // A token for one use only is not stored.
        let p = process(&store);
        store.values_clear();
        let once = p
            .obtain(EXPIRY, || async {
                Ok(Obtained {
                    token: AccessToken::new("t-once"),
                    fresh_for: None,
                })
            })
            .await
            .unwrap();
        assert_eq!(once.token.expose(), "t-once");
        assert!(store.get(&token_key(SCOPE)).is_none());
        assert!(store.get(&lock_key(SCOPE)).is_none());
    }

    /// Runs futures concurrently on this task (no `futures` dependency).
    async fn futures_join<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
        let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
        let mut out: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
        std::future::poll_fn(|cx| {
            let mut pending = false;
            for (future, slot) in futures.iter_mut().zip(out.iter_mut()) {
                if slot.is_none() {
                    match future.as_mut().poll(cx) {
                        std::task::Poll::Ready(v) => *slot = Some(v),
                        std::task::Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
        out.into_iter().flatten().collect()
    }
}

//! State shared by the processes of one app: rate-limit slots and tokens, so that N workers
//! together stay under a limit and fetch one token per refresh. [`SharedState`] is the
//! interface; `redis.rs` (feature `redis`) implements it on Redis.
//!
//! Everything degrades to in-process state: when the shared store fails, a client keeps
//! working on its own slots and tokens (and logs a warning once).
//!
//! Tokens cross the store sealed: `seal.rs` encrypts them with a key derived from the app
//! secret, so a store sees opaque bytes; `tokens.rs` is the protocol a `ManagedToken` runs
//! on a [`SharedState`] (read, lock, fetch, store, invalidate). Both, and `redis.rs` with
//! its Lua scripts in `scripts.rs`, come with feature `redis`.

use crate::future::BoxFuture;
use std::fmt;
use std::time::Duration;

#[cfg(feature = "redis")]
mod masked;
#[cfg(all(test, feature = "redis"))]
mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
mod scripts;
#[cfg(feature = "redis")]
mod seal;
#[cfg(feature = "redis")]
pub(crate) mod tokens;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use self::redis::{DEFAULT_REDIS_BACKOFF, DEFAULT_REDIS_TIMEOUT, RedisState};

/// State shared by the processes of one app. Implemented by `RedisState` (feature `redis`);
/// implement it for another store.
///
/// `scope` names the app (provider and a hash of the app id or token, never a secret):
/// see [`scope`].
pub trait SharedState: Send + Sync + fmt::Debug {
    /// Reserves the next slot of `key`, `interval` after the last slot any process
    /// reserved (GCRA without burst, atomically); returns how long to wait for it from now.
    /// When that wait would be longer than `max_wait`, nothing is reserved and the answer
    /// is `None`: a caller that cannot wait so long must not push the slots of the others
    /// out.
    fn reserve_slot<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        interval: Duration,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Option<Duration>, SharedStateError>>;

    /// No slot of `key` before `pause` from now, for every process (a throttled reply).
    fn pause_slots<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        pause: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>>;

    /// The token stored for `scope` and how long it stays fresh; `None` when none is. The
    /// bytes are sealed by the runtime (encrypted and authenticated with a key derived from
    /// the app secret): a store keeps them as they are and never sees a token.
    ///
    /// The token methods have defaults that report the store as unable to share tokens:
    /// a store for rate limits alone implements the two slot methods only.
    fn shared_token<'a>(
        &'a self,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, SharedStateError>> {
        let _ = scope;
        Box::pin(async { Err(no_tokens()) })
    }

    /// Tries to become the one process that fetches `scope`'s token: `Some` when this
    /// caller now holds the lock, `None` when another holder does. The lock expires after
    /// `expiry`, so a holder that dies blocks the others for that long at most.
    fn lock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        expiry: Duration,
    ) -> BoxFuture<'a, Result<Option<TokenLock>, SharedStateError>> {
        let _ = (scope, expiry);
        Box::pin(async { Err(no_tokens()) })
    }

    /// Stores `sealed` as `scope`'s token, fresh for `fresh_for`, then releases `lock` if
    /// it still holds it (atomically, so a waiter that finds the lock free finds the token).
    fn store_token<'a>(
        &'a self,
        scope: &'a str,
        lock: &'a TokenLock,
        sealed: &'a [u8],
        fresh_for: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        let _ = (scope, lock, sealed, fresh_for);
        Box::pin(async { Err(no_tokens()) })
    }

    /// Releases `lock` if it still holds it (the fetch failed, or found a token stored
    /// meanwhile); a lock another holder took since is left alone.
    fn unlock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        lock: &'a TokenLock,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        let _ = (scope, lock);
        Box::pin(async { Err(no_tokens()) })
    }

    /// The provider refused the token sealed as `sealed`: forget `scope`'s token if it is
    /// still that one (compare and delete), so that every process fetches a new one and
    /// none deletes a newer token.
    fn invalidate_token<'a>(
        &'a self,
        scope: &'a str,
        sealed: &'a [u8],
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        let _ = (scope, sealed);
        Box::pin(async { Err(no_tokens()) })
    }
}

fn no_tokens() -> SharedStateError {
    SharedStateError::new("this store does not share tokens")
}

/// A sealed token as a [`SharedState`] stores it, and how long it stays fresh.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The token, sealed by the runtime: opaque to the store.
    pub sealed: Vec<u8>,
    /// How long it stays fresh from now (the stored expiry left).
    pub fresh_for: Duration,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("sealed_bytes", &self.sealed.len())
            .field("fresh_for", &self.fresh_for)
            .finish()
    }
}

/// The lock of one token fetch, held by the process that took it: a random owner value,
/// so that only its holder releases it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLock {
    owner: String,
}

impl TokenLock {
    /// A lock held under `owner` (random: unique to one holder).
    pub fn new(owner: impl Into<String>) -> Self {
        TokenLock {
            owner: owner.into(),
        }
    }

    /// The owner value the lock was taken with.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

/// The shared store could not be used; the client goes on with in-process state.
#[derive(Debug, Clone)]
pub struct SharedStateError {
    message: String,
}

impl SharedStateError {
    /// An error with this description (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        SharedStateError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SharedStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shared state unavailable: {}", self.message)
    }
}

impl std::error::Error for SharedStateError {}

/// The scope of an app's shared state: `provider:` and the first 16 hex digits of the
/// SHA-256 of `identity` (the builder's: the app id, or for a static token the token, with
/// the origin the client talks to), so that key names carry no id or secret.
pub fn scope(provider: &str, identity: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(identity.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{provider}:{hex}")
}

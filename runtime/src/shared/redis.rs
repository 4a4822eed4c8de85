//! [`RedisState`]: [`SharedState`] on Redis. One multiplexed connection, made on first use;
//! every operation one Lua script or command (see `scripts.rs`) bounded by a short timeout;
//! after a failure Redis is skipped for a backoff, so a dead or hung Redis costs a client
//! one timeout now and then, not one per call.

use super::masked::{mask_url, scrub};
use super::scripts::{
    DELETE_IF_EQUAL, PAUSE_SLOTS, READ_TOKEN, RESERVE_SLOT, STORE_TOKEN, limit_key, lock_key,
    token_key,
};
use super::seal::random_hex;
use super::{SharedState, SharedStateError, StoredToken, TokenLock};
use crate::future::BoxFuture;
use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, Client, RedisResult};
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How long one Redis operation (or connecting) may take before the client gives up on it
/// and goes on with in-process state.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// How long Redis is skipped after a failure before it is tried again.
pub const DEFAULT_REDIS_BACKOFF: Duration = Duration::from_secs(2);

/// Rate-limit slots and tokens shared through Redis by every process of an app (feature
/// `redis`), for [`ClientBuilder::shared_state`](crate::ClientBuilder::shared_state).
///
/// Nothing connects until the first operation, so a client whose Redis is down at start
/// still builds and works. Every operation is bounded by [`timeout`](Self::timeout); after
/// a failure Redis is skipped for [`backoff`](Self::backoff). A password in the URL is
/// never shown: `Debug`, [`url`](Self::url) and errors mask it.
///
/// ```
/// # fn main() -> Result<(), taskapi_runtime::shared::SharedStateError> {
/// use taskapi_runtime::shared::RedisState;
/// let state = RedisState::new("redis://:hunter2@127.0.0.1:6379/0")?;
/// assert_eq!(state.url(), "redis://:***@127.0.0.1:6379/0");
/// # Ok(()) }
/// ```
pub struct RedisState {
    client: Client,
    /// The URL with its password masked.
    shown_url: String,
    /// The password as written and percent-decoded, to mask in the text of errors.
    passwords: Vec<String>,
    timeout: Duration,
    backoff: Duration,
    connection: Mutex<Option<MultiplexedConnection>>,
    /// Held while connecting: callers arriving meanwhile wait for that attempt.
    connecting: tokio::sync::Mutex<()>,
    skip_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("url", &self.shown_url)
            .field("timeout", &self.timeout)
            .field("backoff", &self.backoff)
            .finish_non_exhaustive()
    }
}

impl RedisState {
    /// A store at `url` (`redis://[user:password@]host[:port][/db]`, or `redis+unix://`;
    /// no TLS, so `rediss://` is refused), parsed now, connected on first use. Fails on a
    /// URL the client cannot use; the error shows the URL with its password masked.
    pub fn new(url: &str) -> Result<Self, SharedStateError> {
        let (shown_url, passwords) = mask_url(url);
        let client = Client::open(url).map_err(|e| {
            SharedStateError::new(format!(
                "invalid Redis URL {shown_url:?}: {}",
                scrub(&e.to_string(), &passwords)
            ))
        })?;
        Ok(RedisState {
            client,
            shown_url,
            passwords,
            timeout: DEFAULT_REDIS_TIMEOUT,
            backoff: DEFAULT_REDIS_BACKOFF,
            connection: Mutex::new(None),
            connecting: tokio::sync::Mutex::new(()),
            skip_until: Mutex::new(None),
        })
    }

    /// How long one operation, or connecting, may take (default
    /// [`DEFAULT_REDIS_TIMEOUT`]; at least 1 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long Redis is skipped after a failure (default [`DEFAULT_REDIS_BACKOFF`]).
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// The URL, its password masked (`***`).
    pub fn url(&self) -> &str {
        &self.shown_url
    }

    fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        mutex
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The connection, made now if there is none; an error while Redis is skipped.
    async fn connection(&self) -> Result<MultiplexedConnection, SharedStateError> {
        self.check_skip()?;
        if let Some(connection) = Self::lock(&self.connection).clone() {
            return Ok(connection);
        }
        let _connecting = self.connecting.lock().await;
        // Another caller connected, or failed, while this one waited.
        self.check_skip()?;
        if let Some(connection) = Self::lock(&self.connection).clone() {
            return Ok(connection);
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let connected = tokio::time::timeout(
            self.timeout,
            self.client
                .get_multiplexed_async_connection_with_config(&config),
        )
        .await;
        match connected {
            Ok(Ok(connection)) => {
                *Self::lock(&self.connection) = Some(connection.clone());
                Ok(connection)
            }
            Ok(Err(e)) => Err(self.failed(&format!("cannot connect: {e}"))),
            Err(_) => Err(self.failed(&format!("cannot connect within {:?}", self.timeout))),
        }
    }

    fn check_skip(&self) -> Result<(), SharedStateError> {
        match *Self::lock(&self.skip_until) {
            Some(until) if Instant::now() < until => Err(SharedStateError::new(format!(
                "Redis at {} failed recently; skipped until its backoff has passed",
                self.shown_url
            ))),
            _ => Ok(()),
        }
    }

    /// Records a failure: the connection is dropped and Redis skipped for the backoff.
    fn failed(&self, what: &str) -> SharedStateError {
        *Self::lock(&self.connection) = None;
        *Self::lock(&self.skip_until) = Some(Instant::now() + self.backoff);
        let error = SharedStateError::new(format!(
            "Redis at {}: {}",
            self.shown_url,
            scrub(what, &self.passwords)
        ));
        tracing::debug!(%error, "shared state failed");
        error
    }

    /// Runs one operation on the connection, bounded by the timeout.
    async fn bounded<T>(
        &self,
        operation: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, SharedStateError> {
        match tokio::time::timeout(self.timeout, operation).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(self.failed(&e.to_string())),
            Err(_) => Err(self.failed(&format!("no reply within {:?}", self.timeout))),
        }
    }
}

/// Microseconds, at least 1 (a zero interval or pause still means "now").
fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros())
        .unwrap_or(u64::MAX)
        .max(1)
}

/// Milliseconds for `PX`, at least 1 (Redis refuses 0).
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl SharedState for RedisState {
    fn reserve_slot<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        interval: Duration,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Option<Duration>, SharedStateError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut script = RESERVE_SLOT.key(limit_key(scope, key));
            // -1: any wait (a `max_wait` beyond i64's µs is any wait too).
            let max_wait =
                max_wait.map_or(-1, |max| i64::try_from(max.as_micros()).unwrap_or(i64::MAX));
            script.arg(micros(interval)).arg(max_wait);
            let wait: i64 = self.bounded(script.invoke_async(&mut connection)).await?;
            // Negative: later than `max_wait`, nothing reserved.
            Ok((wait >= 0).then(|| Duration::from_micros(wait.unsigned_abs())))
        })
    }

    fn pause_slots<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        pause: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut script = PAUSE_SLOTS.key(limit_key(scope, key));
            script.arg(micros(pause));
            self.bounded(script.invoke_async::<i64>(&mut connection))
                .await
                .map(drop)
        })
    }

    fn shared_token<'a>(
        &'a self,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, SharedStateError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let script = READ_TOKEN.key(token_key(scope));
            let stored: Option<(Vec<u8>, i64)> =
                self.bounded(script.invoke_async(&mut connection)).await?;
            // A token without an expiry (PTTL -1) was not stored by a client: not trusted.
            Ok(stored
                .filter(|(_, ttl)| *ttl > 0)
                .map(|(sealed, ttl)| StoredToken {
                    sealed,
                    fresh_for: Duration::from_millis(ttl.unsigned_abs()),
                }))
        })
    }

    fn lock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        expiry: Duration,
    ) -> BoxFuture<'a, Result<Option<TokenLock>, SharedStateError>> {
        Box::pin(async move {
            let owner = random_hex(16)
                .ok_or_else(|| SharedStateError::new("no randomness for a lock owner"))?;
            let mut connection = self.connection().await?;
            let mut command = ::redis::cmd("SET");
            command
                .arg(lock_key(scope))
                .arg(&owner)
                .arg("NX")
                .arg("PX")
                .arg(millis(expiry));
            let taken: Option<String> = self.bounded(command.query_async(&mut connection)).await?;
            Ok(taken.map(|_| TokenLock::new(owner)))
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
            let mut connection = self.connection().await?;
            let mut script = STORE_TOKEN.key(token_key(scope));
            script
                .key(lock_key(scope))
                .arg(sealed)
                .arg(millis(fresh_for))
                .arg(lock.owner());
            self.bounded(script.invoke_async::<i64>(&mut connection))
                .await
                .map(drop)
        })
    }

    fn unlock_token_fetch<'a>(
        &'a self,
        scope: &'a str,
        lock: &'a TokenLock,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut script = DELETE_IF_EQUAL.key(lock_key(scope));
            script.arg(lock.owner());
            self.bounded(script.invoke_async::<i64>(&mut connection))
                .await
                .map(drop)
        })
    }

    fn invalidate_token<'a>(
        &'a self,
        scope: &'a str,
        sealed: &'a [u8],
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut script = DELETE_IF_EQUAL.key(token_key(scope));
            script.arg(sealed);
            self.bounded(script.invoke_async::<i64>(&mut connection))
                .await
                .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let state = RedisState::new("redis://user:pa55word@127.0.0.1:6379/2").unwrap();
        assert_eq!(state.url(), "redis://user:***@127.0.0.1:6379/2");
        assert!(!format!("{state:?}").contains("pa55word"));
        let state = RedisState::new("redis+unix:///run/redis.sock?pass=pa55word&db=1").unwrap();
        assert_eq!(state.url(), "redis+unix:///run/redis.sock?pass=***&db=1");
        assert!(!format!("{state:?}").contains("pa55word"));
        // An unusable URL: the error masks the password too.
        for bad in [
            "http://user:pa55word@host/",
            "redis://user:pa55word@",
            "nota url :pa55word@x",
            "user:pa55word@127.0.0.1:6379",
            "redis+unix:///run/redis.sock?pass=pa55word&db=first",
            "unix:///run/redis.sock?password=pa55word&db=first",
        ] {
            let error = RedisState::new(bad).unwrap_err().to_string();
            assert!(!error.contains("pa55word"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_dead_redis_fails_fast_then_is_skipped_for_the_backoff() {
        // Nothing listens on a port that was free a moment ago.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let state = RedisState::new(&format!("redis://127.0.0.1:{port}"))
            .unwrap()
            .backoff(Duration::from_secs(60));
        let first = state
            .reserve_slot("s", "k", Duration::from_millis(10), None)
            .await
            .unwrap_err();
        assert!(first.to_string().contains("cannot connect"), "{first}");
        let skipped = state.shared_token("s").await.unwrap_err();
        assert!(skipped.to_string().contains("skipped"), "{skipped}");
    }
}

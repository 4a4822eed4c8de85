//! Where access tokens come from: a static token, app credentials exchanged at the
//! provider's token endpoint (cached, refreshed ahead of expiry, one fetch at a time), or a
//! caller's own [`TokenSource`].

use super::decode::{self, Reply};
use super::error::{ApiError, Failed, TokenError, TransportError};
use super::http;
use super::provider::{EndpointInfo, Envelope, HasProvider};
use super::token::{AccessToken, MAX_TOKEN_LIFETIME, Obtained};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

#[cfg(feature = "redis")]
use crate::shared::{SharedState, tokens::SharedTokens};
#[cfg(feature = "redis")]
use std::sync::Arc;

use crate::future::BoxFuture;

/// What a token source may use to reach the provider: the client's connection pool, base
/// URL and per-attempt timeout.
#[derive(Debug, Clone)]
pub struct TokenContext {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) max_reply_bytes: usize,
}

/// Supplies access tokens to a client. Implement it for a custom source (a vault, a sidecar).
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token to send now.
    fn token<'a>(
        &'a self,
        context: &'a TokenContext,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;

    /// The provider refused `stale`: forget it, if it is still the one cached.
    fn invalidate(&self, _stale: &AccessToken) {}

    /// Whether [`invalidate`](Self::invalidate) can lead to a different token. A call that
    /// failed with an invalid-token code is retried once only when this is true.
    fn can_refresh(&self) -> bool {
        false
    }
}

/// The same token every time.
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenSource for StaticToken {
    fn token<'a>(&'a self, _: &'a TokenContext) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// An app's id and secret. The secret never appears in Debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct AppCredentials {
    id: String,
    secret: AccessToken,
}

impl AppCredentials {
    /// Feishu `app_id` + `app_secret`, or DingTalk `appKey` + `appSecret`.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        AppCredentials {
            id: id.into(),
            secret: AccessToken::new(secret),
        }
    }

    /// The app id (not secret).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The secret, for the token request body only.
    pub fn secret(&self) -> &str {
        self.secret.expose()
    }
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A provider's token endpoint, generated from the `token_endpoint` of its provider spec.
pub trait TokenApi: HasProvider + 'static {
    /// The JSON body sent.
    type TokenRequest: Serialize;
    /// The reply decoded.
    type TokenReply: DeserializeOwned;
    /// Method and path of the token endpoint.
    const TOKEN_ENDPOINT: &'static EndpointInfo;
    /// How the token reply is wrapped.
    const TOKEN_ENVELOPE: Envelope;
    /// Environment variables holding the app id and secret (for the CLI).
    const CREDENTIALS_ENV: (&'static str, &'static str);
    /// The request body for these credentials.
    fn token_request(credentials: &AppCredentials) -> Self::TokenRequest;
    /// The token and its lifetime in seconds.
    fn token_from_reply(reply: Self::TokenReply) -> (AccessToken, i64);
    /// Attaches the spec's hint and retryability to a token endpoint error (common codes).
    fn document_token_error(error: ApiError) -> ApiError;
}

/// Tokens fetched with app credentials: cached per credentials, refreshed `margin` before
/// they expire, and fetched by one caller at a time: callers that arrive during a fetch
/// wait for it and share its outcome, success or failure. After a failed fetch, callers get
/// that failure without a new fetch until a backoff (growing with consecutive failures)
/// has passed, so a broken token endpoint sees a few requests, not one per call.
///
/// With `shared` (feature `redis`), the processes of an app share one token through a
/// [`SharedState`](crate::shared::SharedState) as well: one fetch per refresh for all of
/// them.
pub struct ManagedToken<A> {
    credentials: AppCredentials,
    margin: Duration,
    state: Mutex<State>,
    /// Held by the caller that fetches. Dropping that caller's future releases it, and the
    /// next waiter fetches instead.
    flight: tokio::sync::Mutex<()>,
    /// The app's token in state shared with its other processes.
    #[cfg(feature = "redis")]
    shared: Option<SharedTokens>,
    api: PhantomData<fn() -> A>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// Counts finished fetches, so a waiter can tell that one ended while it waited.
    fetches: u64,
    /// The outcome of the last finished fetch, for the callers that waited for it.
    last: Option<Result<AccessToken, TokenError>>,
    /// Fetches that failed in a row, and when the next fetch may be made.
    failures: u32,
    retry_at: Option<Instant>,
}

#[derive(Clone)]
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// Official SDKs treat tokens as expired 3 to 10 minutes early; five minutes sits between.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The wait after the first failed fetch; it doubles with each further failure in a row.
const FIRST_FAILURE_BACKOFF: Duration = Duration::from_millis(250);
/// The longest wait between failed fetches (below the retry policy's 60 s server-wait cap,
/// so callers retry after it rather than give up).
const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(30);
/// The longest a process holds the shared fetch lock (and waits for another's).
#[cfg(feature = "redis")]
const MAX_LOCK_EXPIRY: Duration = Duration::from_secs(61);

impl<A: TokenApi> ManagedToken<A> {
    /// A cache for these credentials, refreshing [`DEFAULT_REFRESH_MARGIN`] ahead of expiry.
    pub fn new(credentials: AppCredentials) -> Self {
        ManagedToken {
            credentials,
            margin: DEFAULT_REFRESH_MARGIN,
            state: Mutex::new(State::default()),
            flight: tokio::sync::Mutex::new(()),
            #[cfg(feature = "redis")]
            shared: None,
            api: PhantomData,
        }
    }

    /// Shares the token with the other processes of the app through `state`, under `scope`
    /// (see [`shared::scope`](crate::shared::scope); the builder passes
    /// `scope(provider, "app:<app id>@<origin>")`): on a cache miss the stored token is used; when
    /// there is none, one process fetches it under a lock that expires on its own, and the
    /// others wait for it; a refused token is forgotten for all. The token is stored
    /// encrypted with a key derived from the app secret; the secret is never stored.
    ///
    /// The in-process cache and single flight stay in front: one caller per process asks
    /// the store. When the store fails, tokens are fetched by this process alone and one
    /// warning is logged.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn shared(mut self, state: Arc<dyn SharedState>, scope: impl Into<String>) -> Self {
        self.shared = Some(SharedTokens::new(
            state,
            scope.into(),
            self.credentials.secret(),
        ));
        self
    }

    /// How long before expiry a token is replaced. Capped at half the token's lifetime.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn fetch(&self, context: &TokenContext) -> Result<(AccessToken, i64), TokenError> {
        let endpoint = A::TOKEN_ENDPOINT;
        let url = format!("{}{}", context.base_url, endpoint.path);
        let body = serde_json::to_vec(&A::token_request(&self.credentials))
            .map_err(|e| TokenError::other(format!("cannot encode the token request: {e}")))?;
        let span = tracing::debug_span!(
            "taskapi.token",
            provider = A::PROVIDER.name,
            endpoint = endpoint.path,
            http.status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let request = context
            .http
            .request(endpoint.method.clone(), url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .timeout(context.timeout)
            .build()
            .map_err(|e| {
                TokenError::from_failed(Failed::Transport(TransportError::from_reqwest(e, None)))
            })?;
        let exchanged = http::exchange(
            &context.http,
            request,
            None,
            A::PROVIDER,
            context.max_reply_bytes,
        )
        .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let exchanged = exchanged.map_err(|e| TokenError::from_failed(Failed::Transport(e)))?;
        span.record("http.status", exchanged.status);
        let reply = Reply {
            status: exchanged.status,
            request_id: exchanged.request_id,
            retry_after: exchanged.retry_after,
            body: &exchanged.body,
            known_secrets: &[self.credentials.secret()],
        };
        match decode::reply::<A::TokenReply>(
            A::TOKEN_ENVELOPE,
            A::PROVIDER.request_id_body_field,
            &reply,
        ) {
            Ok(decoded) => Ok(A::token_from_reply(decoded.data)),
            Err(Failed::Api(e)) => Err(TokenError::from_failed(Failed::Api(
                A::document_token_error(e),
            ))),
            Err(other) => Err(TokenError::from_failed(other)),
        }
    }

    /// A token fetched by this process, fresh until `margin` before it expires (capped at
    /// half its lifetime). `expire <= 0`: the token is handed to the callers that waited
    /// for this fetch and not cached (nor shared); the next caller fetches again.
    async fn fetch_fresh(&self, context: &TokenContext) -> Result<Obtained, TokenError> {
        let (token, expires_in) = self.fetch(context).await?;
        tracing::debug!(
            provider = A::PROVIDER.name,
            expires_in,
            "fetched an access token"
        );
        let fresh_for = (expires_in > 0).then(|| {
            let lifetime = Duration::from_secs(expires_in.unsigned_abs()).min(MAX_TOKEN_LIFETIME);
            lifetime.saturating_sub(self.margin.min(lifetime / 2))
        });
        Ok(Obtained { token, fresh_for })
    }

    /// A token from shared state when there is one, else fetched by this process.
    async fn obtain(&self, context: &TokenContext) -> Result<Obtained, TokenError> {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            // Held no longer than a fetch can take (one attempt), so a holder that died
            // blocks the others for about an attempt's timeout.
            let lock_expiry = context
                .timeout
                .saturating_add(Duration::from_secs(1))
                .min(MAX_LOCK_EXPIRY);
            return shared
                .obtain(lock_expiry, || self.fetch_fresh(context))
                .await;
        }
        self.fetch_fresh(context).await
    }

    /// Records a finished fetch: caches the token (unless it is for one use only), or
    /// starts or lengthens the backoff.
    fn finish(&self, result: Result<Obtained, TokenError>) -> Result<AccessToken, TokenError> {
        let mut state = self.state();
        state.fetches += 1;
        let outcome = match result {
            Ok(Obtained { token, fresh_for }) => {
                state.failures = 0;
                state.retry_at = None;
                state.cached = fresh_for.map(|fresh_for| Cached {
                    token: token.clone(),
                    refresh_at: Instant::now() + fresh_for,
                });
                Ok(token)
            }
            Err(error) => {
                state.failures = state.failures.saturating_add(1);
                let backoff = FIRST_FAILURE_BACKOFF
                    .saturating_mul(2u32.saturating_pow(state.failures - 1))
                    .min(MAX_FAILURE_BACKOFF)
                    .max(
                        error
                            .retry_after()
                            .unwrap_or_default()
                            .min(MAX_FAILURE_BACKOFF),
                    );
                state.retry_at = Some(Instant::now() + backoff);
                Err(error)
            }
        };
        state.last = Some(outcome.clone());
        outcome
    }
}

impl State {
    fn fresh(&self) -> Option<AccessToken> {
        self.cached
            .as_ref()
            .filter(|c| Instant::now() < c.refresh_at)
            .map(|c| c.token.clone())
    }

    /// The last failure, while its backoff runs, telling callers how long is left.
    fn backing_off(&self) -> Option<TokenError> {
        let left = self.retry_at?.checked_duration_since(Instant::now())?;
        match &self.last {
            Some(Err(error)) => Some(error.clone().with_retry_after(left)),
            _ => None,
        }
    }
}

impl<A: TokenApi> TokenSource for ManagedToken<A> {
    fn token<'a>(
        &'a self,
        context: &'a TokenContext,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let seen = {
                let state = self.state();
                if let Some(token) = state.fresh() {
                    return Ok(token);
                }
                if let Some(error) = state.backing_off() {
                    return Err(error);
                }
                state.fetches
            };
            let _flight = self.flight.lock().await;
            {
                let state = self.state();
                // A fetch ended while we waited: share its outcome, whatever it was.
                if state.fetches != seen
                    && let Some(outcome) = &state.last
                {
                    return match state.backing_off() {
                        Some(error) => Err(error),
                        None => outcome.clone(),
                    };
                }
                if let Some(token) = state.fresh() {
                    return Ok(token);
                }
            }
            let result = self.obtain(context).await;
            self.finish(result)
        })
    }

    fn invalidate(&self, stale: &AccessToken) {
        let mut state = self.state();
        if state.cached.as_ref().is_some_and(|c| &c.token == stale) {
            state.cached = None;
        }
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            shared.refused(stale);
        }
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

impl<A> fmt::Debug for ManagedToken<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagedToken")
            .field("credentials", &self.credentials)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}
